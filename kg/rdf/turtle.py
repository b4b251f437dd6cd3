"""An extraction as the Turtle it brings into a store, for `kg extract --format ttl`.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.knowledge.lexicon import Lexicon
from kg.model import Extraction
from kg.rdf.quads import extraction_quads
from kg.vocab import PREFIXES

__all__ = ["extraction_turtle"]


def extraction_turtle(extraction: Extraction, lexicon: Lexicon) -> str:
    """What the article brings into a store as Turtle: its named graph and the gazetteer entries it needs."""
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in extraction_quads(extraction, lexicon)]
    return (ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b"").decode()

