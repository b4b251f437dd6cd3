"""Readable forms of one extraction: JSON records with evidence, or the article's graph as Turtle."""

from __future__ import annotations

import pyoxigraph as ox

from .lexicon import Lexicon
from .model import Extraction, Fact
from .rdf import extraction_quads
from .vocab import PREFIXES

__all__ = ["extraction_records", "extraction_turtle"]


def _fact_record(fact: Fact, extraction: Extraction) -> dict:
    label = lambda i: extraction.entities[i].label if i in extraction.entities else i  # noqa: E731
    return {"kind": "fact", "subject": "article" if fact.subject == "article" else label(fact.subject),
            "subject_id": fact.subject, "predicate": fact.predicate,
            "object": fact.object if fact.object_is_literal else label(fact.object),
            "object_id": None if fact.object_is_literal else fact.object,
            "sentence": fact.sentence.text, "start": fact.sentence.start, "end": fact.sentence.end,
            "section": fact.sentence.section, "rule": fact.rule, "confidence": fact.confidence,
            "resolution": fact.resolution, "curated_source": fact.curated_source}


def extraction_records(extraction: Extraction) -> list[dict]:
    """One record per fact and event, in text order, each with its sentence, offsets and rule."""
    records = [_fact_record(f, extraction) for f in extraction.facts + extraction.cited_outlets]
    label = lambda i: extraction.entities[i].label  # noqa: E731
    for event in extraction.events:
        records.append({"kind": "event", "type": event.type, "agents": [label(i) for i in event.agents],
                        "targets": [label(i) for i in event.targets], "places": [label(i) for i in event.places],
                        "date": event.date, "start_date": event.start_date, "end_date": event.end_date,
                        "duration_days": event.duration_days, "trigger": event.trigger,
                        "sentence": event.sentence.text, "start": event.sentence.start, "end": event.sentence.end,
                        "section": event.sentence.section, "rule": event.rule, "confidence": event.confidence})
    return sorted(records, key=lambda r: (r["start"], r["kind"], r["rule"], str(r.get("object", r.get("type")))))


def extraction_turtle(extraction: Extraction, lexicon: Lexicon) -> str:
    """The article's named graph as Turtle (its triples; the graph name is the article IRI)."""
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in extraction_quads(extraction, lexicon)]
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode()
