"""Event rules of ontology/patterns/events.yaml, checked and compiled once when the lexicon loads: a trigger,
the roles it takes from the mentions around it, and the facts an event implies. Running them is kg.extract.events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from kg.errors import InvalidLexicon
from kg.knowledge.literals import LiteralGate

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


def compile_events(data: dict, ontology, cues) -> LiteralGate[EventRule]:
    """Check and compile every event rule; a bad one names its id."""
    rules = []
    for index, spec in enumerate((data or {}).get("events", [])):
        where = f"patterns/events.yaml: event {index + 1} ({spec.get('id', '?')})"
        if not spec.get("id") or not spec.get("type") or not spec.get("trigger"):
            raise InvalidLexicon(f"{where}: needs id, type and trigger")
        if spec["type"] not in ontology.classes or not ontology.is_a(spec["type"], "Event"):
            raise InvalidLexicon(f"{where}: '{spec['type']}' is not an Event class of kg.ttl")
        roles = {}
        for role in ROLES:
            if role in spec:
                r = spec[role]
                if r.get("side") not in ("before", "after"):
                    raise InvalidLexicon(f"{where}: {role}.side must be before or after")
                wanted = ontology.ranges[role]  # what kg.ttl (and ontology/shapes.ttl) wants there
                for name in r.get("types", ["Actor"]):
                    if name in ontology.classes and not ontology.is_a(name, wanted) and \
                            not (wanted == "Actor" and name == "Country"):  # a country acts through its government
                        raise InvalidLexicon(f"{where}: {role} type '{name}' is no {wanted}")
                words = r.get("after_words")
                if words is not None and (not isinstance(words, list) or not all(
                        isinstance(w, str) and re.fullmatch(r"[a-z]+", w) for w in words)):
                    raise InvalidLexicon(f"{where}: {role}.after_words must be a list of lower-case words")
                roles[role] = Role(r["side"], _classes(r.get("types", ["Actor"]), ontology, where),
                                   bool(r.get("by", False)),
                                   tuple(_classes([p], ontology, where) for p in r.get("prefer", [])),
                                   bool(r.get("list", False)), frozenset(words or ()))
        for check in spec.get("checks", []):
            if check not in cues.sets:
                raise InvalidLexicon(f"{where}: check '{check}' is not a cue set of patterns/cues.yaml")
        for implied in spec.get("implies", []):
            if implied.get("predicate") not in ontology.properties:
                raise InvalidLexicon(f"{where}: implied predicate '{implied.get('predicate')}' is not in kg.ttl")
        try:
            trigger = regex.compile(spec["trigger"], regex.IGNORECASE)
        except regex.error as exc:
            raise InvalidLexicon(f"{where}: trigger: {exc}") from exc
        blockers = spec.get("blockers")
        rules.append(EventRule(
            spec["id"], spec["type"], trigger, roles, tuple(spec.get("passive", ())), tuple(spec.get("require", ())),
            tuple(spec.get("require_any", ())), tuple(spec.get("implies", ())), tuple(spec.get("checks", ())),
            re.compile(r"(?i)\b(?:" + "|".join(re.escape(b) for b in blockers) + r")\b") if blockers else None,
            float(spec.get("confidence", 0.7)), bool(spec.get("lasting", False)),
            tuple(spec.get("carry_over", ()))))
    return LiteralGate(rules, lambda rule: rule.trigger)

