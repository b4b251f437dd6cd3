"""Event rules of ontology/patterns/events.yaml, checked and compiled once when the lexicon loads: a trigger,
the roles it takes from the mentions around it, and the facts an event implies. Running them is kg.extract.events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from kg.errors import InvalidLexicon
from kg.knowledge.literals import LiteralGate
from kg.knowledge.schemas import EventsFile

__all__ = ["ROLES", "Role", "EventRule", "compile_events"]

ROLES = ("agent", "target", "place")


@dataclass(frozen=True)
class Role:
    side: str
    types: frozenset[str]
    by: bool
    prefer: tuple[frozenset[str], ...]
    many: bool
    after_words: frozenset[str] = frozenset()  # the mention must follow one of these (up to four words on)


@dataclass(frozen=True)
class EventRule:
    id: str
    type: str
    trigger: regex.Pattern
    roles: dict[str, Role]
    passive: tuple[str, ...]
    require: tuple[str, ...]
    require_any: tuple[str, ...]
    implies: tuple[dict, ...]
    checks: tuple[str, ...]
    blockers: re.Pattern[str] | None
    confidence: float
    lasting: bool
    carry_over: tuple[str, ...]


def _classes(names, ontology, where) -> frozenset[str]:
    out: set[str] = set()
    for name in names:
        if name not in ontology.classes:
            raise InvalidLexicon(f"{where}: unknown class '{name}'")
        out.update(ontology.subclasses(name))
    return frozenset(out)


def compile_events(data: EventsFile, ontology, cues) -> LiteralGate[EventRule]:
    """Check and compile every event rule against the ontology and the cue sets; a bad one names its id."""
    rules = []
    for index, spec in enumerate(data.events):
        where = f"patterns/events.yaml: event {index + 1} ({spec.id})"
        if spec.type not in ontology.classes or not ontology.is_a(spec.type, "Event"):
            raise InvalidLexicon(f"{where}: '{spec.type}' is not an Event class of kg.ttl")
        roles = {}
        for name, r in spec.roles().items():
            wanted = ontology.ranges[name]  # what kg.ttl (and ontology/shapes.ttl) wants there
            for cls in r.types:
                if cls in ontology.classes and not ontology.is_a(cls, wanted) and \
                        not (wanted == "Actor" and cls == "Country"):  # a country acts through its government
                    raise InvalidLexicon(f"{where}: {name} type '{cls}' is no {wanted}")
            roles[name] = Role(r.side, _classes(r.types, ontology, where), r.by,
                               tuple(_classes([p], ontology, where) for p in r.prefer), r.many,
                               frozenset(r.after_words or ()))
        for check in spec.checks:
            if check not in cues.sets:
                raise InvalidLexicon(f"{where}: check '{check}' is not a cue set of patterns/cues.yaml")
        for implied in spec.implies:
            if implied.predicate not in ontology.properties:
                raise InvalidLexicon(f"{where}: implied predicate '{implied.predicate}' is not in kg.ttl")
        blockers = spec.blockers
        rules.append(EventRule(
            spec.id, spec.type, regex.compile(spec.trigger, regex.IGNORECASE), roles, tuple(spec.passive),
            tuple(spec.require), tuple(spec.require_any), tuple(i.model_dump() for i in spec.implies),
            tuple(spec.checks),
            re.compile(r"(?i)\b(?:" + "|".join(re.escape(b) for b in blockers) + r")\b") if blockers else None,
            spec.confidence, spec.lasting, tuple(spec.carry_over)))
    return LiteralGate(rules, lambda rule: rule.trigger)
