"""An extraction as the Turtle it brings into a store, for `kg extract --format ttl`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.model import Extraction
from kg.rdf.quads import extraction_quads
from kg.vocab import PREFIXES

if TYPE_CHECKING:  # the lexicon's loaders (yaml, pydantic) stay out of the views' and the server's start
    from kg.knowledge.lexicon import Lexicon

__all__ = ["extraction_turtle"]


def extraction_turtle(extraction: Extraction, lexicon: Lexicon) -> str:
    """What the article brings into a store as Turtle: its named graph and the gazetteer entries it needs."""
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in extraction_quads(extraction, lexicon)]
    return (ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b"").decode()

