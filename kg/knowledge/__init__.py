"""Curated knowledge, loaded from ontology/ and checked once: the ontology, the gazetteer and its name index,
relation, event and name rules, people, date and cue words, the reader's layout and the curation decisions.

Public: `load_lexicon` (a folder), `default_lexicon` (the shipped one, loaded once per process), `Lexicon`;
`default_ontology`, `load_ontology`, `Ontology` (kg.ttl's classes and relations, which every list in the code
derives from).
"""

from kg.knowledge.lexicon import Lexicon, default_lexicon, load_lexicon
from kg.knowledge.ontology import Ontology, default_ontology, load_ontology

__all__ = ["Lexicon", "Ontology", "default_lexicon", "default_ontology", "load_lexicon", "load_ontology"]
