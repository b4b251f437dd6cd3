"""Find groups and places the gazetteer does not know, by the words around them (ontology/patterns/names.yaml):
"the Noreste Cartel", "the Barrio Azteca gang", "Los Lagartos" near crime words, "the municipality of Tibú".
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.knowledge.literals import LiteralGate, finditer
from kg.knowledge.name_rules import MEMBER, NameRule

__all__ = ["NameCandidate", "find_names"]

_QUOTES = set("\"“”'‘’")


@dataclass(frozen=True)
class NameCandidate:
    start: int
    end: int
    label: str
    type: str
    kind: str | None
    rule: str


def find_names(text: str, rules: LiteralGate[NameRule], not_names: frozenset[str]) -> list[NameCandidate]:
    """Every group or place name the rules see in `text`; offsets are relative to `text`."""
    found = []
    for rule, starts in rules.candidates(text):
        if rule.requires and not rule.requires.search(text):
            continue
        for m in finditer(rule.regex, text, starts):
            if "list" in rule.regex.groupindex:
                found.extend(_members(m, rule, not_names))
                continue
            name = m.group("name")
            words = name.split()
            if words[0] in not_names or words[-1] in not_names:
                continue
            groups = {k: v for k, v in m.groupdict().items() if v}
            label = rule.label.format(**{k: groups.get(k, "") for k in ("name", "head")}).strip()
            # the head joins the mention unless a quote parts them ("the Lorenzana crime family", not '"Bagdad" gang')
            head = "head" in groups and not set(text[min(m.end("name"), m.end("head")):max(m.start("name"),
                                                                                          m.start("head"))]) & _QUOTES
            start = min(m.start("name"), m.start("head")) if head else m.start("name")
            end = max(m.end("name"), m.end("head")) if head else m.end("name")
            found.append(NameCandidate(start, end, label, rule.type, rule.kinds.get(groups.get("head", "")),
                                       rule.id))
    return found


def _members(m, rule: NameRule, not_names: frozenset[str]) -> list[NameCandidate]:
    """Each name of a list after a plural cue ("the two gangs, Los Toros and La Oficina"), of the cue's class."""
    groups = m.groupdict()
    kind = rule.kinds.get(groups.get("head") or groups.get("head2") or "")
    out = []
    for member in MEMBER.finditer(m.string, m.start("list"), m.end("list")):
        group = "quoted" if member.group("quoted") else "plain"
        name = member.group(group)
        if name.split()[0] in not_names or name.split()[-1] in not_names:
            continue
        out.append(NameCandidate(member.start(group), member.end(group), rule.label.format(name=name, head=""),
                                 rule.type, kind, rule.id))
    return out
