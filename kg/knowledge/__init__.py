"""Curated knowledge, loaded from ontology/ and checked once: the ontology, the gazetteer and its name index,
relation, event and name rules, people, date and cue words, the reader's layout and the curation decisions.

Public: `load_lexicon` (a folder), `default_lexicon` (the shipped one, loaded once per process), `Lexicon`.
"""

from kg.knowledge.lexicon import Lexicon, default_lexicon, load_lexicon

__all__ = ["Lexicon", "default_lexicon", "load_lexicon"]
