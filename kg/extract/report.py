"""Readable forms of one extraction: JSON records with evidence, and the rule behind each fact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.model import Event, Extraction, Fact

if TYPE_CHECKING:
    from kg.knowledge.curation import Decision

__all__ = ["extraction_records", "explain"]


def _label(extraction: Extraction, entity_id: str) -> str:
    """The entity's canonical name, or its id when the extraction does not hold it."""
    entity = extraction.entities.get(entity_id)
    return entity.label if entity else entity_id


def _fact_record(fact: Fact, extraction: Extraction) -> dict:
    def label(entity_id: str) -> str:
        return _label(extraction, entity_id)

    return {"kind": "fact", "subject": "article" if fact.subject == "article" else label(fact.subject),
            "subject_id": fact.subject, "predicate": fact.predicate,
            "object": fact.object if fact.object_is_literal else label(fact.object),
            "object_id": None if fact.object_is_literal else fact.object,
            "sentence": fact.sentence.text, "start": fact.sentence.start, "end": fact.sentence.end,
            "section": fact.sentence.section, "rule": fact.rule, "confidence": fact.confidence,
            "resolution": fact.resolution, "curated_source": fact.curated_source, "parse": fact.parse}


def extraction_records(extraction: Extraction) -> list[dict]:
    """One record per fact and event, in text order, each with its sentence, offsets and rule."""
    records = [_fact_record(f, extraction) for f in extraction.facts + extraction.cited_outlets]
    def label(entity_id: str) -> str:
        return extraction.entities[entity_id].label

    for event in extraction.events:
        records.append({"kind": "event", "type": event.type, "agents": [label(i) for i in event.agents],
                        "targets": [label(i) for i in event.targets], "places": [label(i) for i in event.places],
                        "date": event.date, "start_date": event.start_date, "end_date": event.end_date,
                        "duration_days": event.duration_days, "trigger": event.trigger,
                        "sentence": event.sentence.text, "start": event.sentence.start, "end": event.sentence.end,
                        "section": event.sentence.section, "rule": event.rule, "confidence": event.confidence,
                        "parse": event.parse})
    return sorted(records, key=lambda r: (r["start"], r["kind"], r["rule"], str(r.get("object", r.get("type")))))


def explain(extraction: Extraction) -> str:
    """Each fact and event for a reader: the sentence, where it stands, the rule, and any resolution step."""
    article = extraction.article

    def label(entity_id: str) -> str:
        return _label(extraction, entity_id)

    out = [f"{article.headline} ({article.published or 'no date'}, {article.id})", ""]
    curated = [f for f in extraction.facts if f.curated_source]
    items: list[tuple[int, int, Fact | Event | tuple[Fact, Decision]]]
    items = [(f.sentence.start, 0, f) for f in extraction.facts + extraction.cited_outlets
             if not f.curated_source] + \
            [(e.sentence.start, 1, e) for e in extraction.events] + \
            [(f.sentence.start, 2, (f, d)) for f, d in extraction.rejected]
    for *_, item in sorted(items, key=lambda x: (x[0], x[1], str(x[2]))):
        if isinstance(item, Event):
            roles = "; ".join(f"{role} {', '.join(label(i) for i in ids)}" for role, ids in
                              (("agent", item.agents), ("target", item.targets), ("place", item.places)) if ids)
            dates = ", ".join(f"{k} {v}" for k, v in (("date", item.date), ("start", item.start_date),
                                                      ("end", item.end_date)) if v)
            head = f"EVENT {item.type}: {roles}" + (f" ({dates})" if dates else "")
            notes = [m.resolution for m in item.mentions if m.resolution]
            head += f'\n    trigger: "{item.trigger}"'
            sentence, rule, confidence, path = item.sentence, item.rule, item.confidence, item.parse
        else:
            fact, decision = item if isinstance(item, tuple) else (item, None)
            subject = f"article {article.id}" if fact.subject == "article" else label(fact.subject)
            obj = f'"{fact.object}"' if fact.object_is_literal else label(fact.object)
            head = f"{'REJECTED ' if decision else ''}{subject}  {fact.predicate}  {obj}"
            notes = [n for n in (fact.resolution,) if n]
            if decision:
                notes.append(f"rejected by curation decision {decision.id}: {decision.reason}")
            sentence, rule, confidence, path = fact.sentence, fact.rule, fact.confidence, fact.parse
        out.append(head)
        out.append(f"    sentence [{sentence.start}-{sentence.end}, {sentence.section}]: "
                   f"{' '.join(sentence.text.split())}")
        out.append(f"    rule: {rule} (confidence {confidence:.2f})")
        if path:
            out.append(f"    parse: {path}")
        out.extend(f"    resolved: {n}" for n in notes)
        out.append("")
    if curated:
        out.append("From the gazetteer, for the places the article names (kg:locatedIn, transitive):")
        chains: dict[str, list[str]] = {}
        for fact in curated:
            chains.setdefault(fact.subject, []).append(label(fact.object))
        out.extend(f"    {label(s)}  locatedIn  {', '.join(sorted(set(o)))}" for s, o in sorted(chains.items()))
        out.append("")
    return "\n".join(out)
