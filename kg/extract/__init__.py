"""Extraction: one `Article` and the lexicon in, an `Extraction` (mentions, entities, facts, events, each with its
evidence) out. Pure: no I/O, no store, no RDF.

Public: `extract` (an article), `extraction_records` and `explain` (readable forms of the result).
"""

from kg.extract.article import extract
from kg.extract.report import explain, extraction_records

__all__ = ["explain", "extract", "extraction_records"]
