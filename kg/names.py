"""Find groups and places the gazetteer does not know, by the words around them (ontology/patterns/names.yaml):
"the Noreste Cartel", "the Barrio Azteca gang", "Los Lagartos" near crime words, "the municipality of Tibú".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import InvalidLexicon
from .literals import LiteralGate, finditer

__all__ = ["NameRule", "NameCandidate", "compile_name_rules", "find_names"]

_TOKEN = r"[A-ZÁÉÍÓÚÑÜ][\w'’-]*[\w]"
_NAME = rf"(?P<name>{_TOKEN}(?: (?:(?:de|del|de la|de los|y|la) )?{_TOKEN}){{0,3}})"


@dataclass(frozen=True)
class NameRule:
    id: str
    type: str
    regex: re.Pattern[str]
    label: str
    kinds: dict[str, str]
    requires: re.Pattern[str] | None


@dataclass(frozen=True)
class NameCandidate:
    start: int
    end: int
    label: str
    type: str
    kind: str | None
    rule: str


def compile_name_rules(data: dict, ontology) -> LiteralGate[NameRule]:
    rules = []
    for index, spec in enumerate((data or {}).get("rules", [])):
        where = f"patterns/names.yaml: rule {index + 1} ({spec.get('id', '?')})"
        for key in ("id", "type", "pattern", "label"):
            if not spec.get(key):
                raise InvalidLexicon(f"{where}: missing '{key}'")
        if spec["type"] not in ontology.classes:
            raise InvalidLexicon(f"{where}: type '{spec['type']}' is not a class of kg.ttl")
        try:
            regex = re.compile(spec["pattern"].replace("{NAME}", _NAME))
            requires = re.compile(spec["requires"]) if spec.get("requires") else None
        except re.error as exc:
            raise InvalidLexicon(f"{where}: {exc}") from exc
        if "name" not in regex.groupindex:
            raise InvalidLexicon(f"{where}: the pattern has no {{NAME}} (or (?P<name>...))")
        rules.append(NameRule(spec["id"], spec["type"], regex, spec["label"], dict(spec.get("kinds") or {}),
                              requires))
    return LiteralGate(rules, lambda rule: rule.regex)


def find_names(text: str, rules: LiteralGate[NameRule], not_names: frozenset[str]) -> list[NameCandidate]:
    """Every group or place name the rules see in `text`; offsets are relative to `text`."""
    found = []
    for rule, starts in rules.candidates(text):
        if rule.requires and not rule.requires.search(text):
            continue
        for m in finditer(rule.regex, text, starts):
            name = m.group("name")
            words = name.split()
            if words[0] in not_names or words[-1] in not_names:
                continue
            groups = {k: v for k, v in m.groupdict().items() if v}
            label = rule.label.format(**{k: groups.get(k, "") for k in ("name", "head")}).strip()
            start = min(m.start("name"), m.start("head") if "head" in groups else m.start("name"))
            end = max(m.end("name"), m.end("head") if "head" in groups else m.end("name"))
            found.append(NameCandidate(start, end, label, rule.type, rule.kinds.get(groups.get("head", "")),
                                       rule.id))
    return found
