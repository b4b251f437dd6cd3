"""Find people the gazetteer does not know: a capitalised name next to a title, or a quoted alias.

"Defense Minister Mariano González", "Carlos Tubino, the vice president of ...", "Pablo Beltrán, alias
'Gabino'". The titles and the words that never make a name come from ontology/patterns/people.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import PeopleRules

__all__ = ["PersonCandidate", "find_people", "name_tokens"]

_UPPER = "A-ZÁÉÍÓÚÑÜÀÂÊÔÃÕÇ"
_LOWER = "a-záéíóúñüàâêôãõçï"
_TOKEN = rf"(?:[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?|[{_UPPER}]\.)"


@dataclass(frozen=True)
class PersonCandidate:
    """A name found by a rule, by offsets within the text searched."""

    start: int
    end: int
    name: str
    rule: str
    alias: str | None = None


@lru_cache(maxsize=8)
def _patterns(rules: PeopleRules) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    connectors = "|".join(re.escape(c) for c in sorted(rules.name_connectors, key=len, reverse=True))
    name = rf"(?P<name>{_TOKEN}(?:\s+(?:(?:{connectors})\s+)?{_TOKEN}){{1,4}})"
    title = rules.title_regex()
    before = re.compile(rf"(?<![\w-])(?i:{title})\s+{name}")
    after = re.compile(rf"{name},\s+(?i:(?:the|an?|who is the|who was the|currently the|now the)\s+)?"
                       rf"(?:[\w-]+\s+){{0,2}}?(?i:{title})")
    cues = "|".join(re.escape(c) for c in sorted(rules.alias_cues, key=len, reverse=True))
    alias = re.compile(rf"{name},?\s+(?i:{cues})\s+[\"“'‘](?P<alias>[^\"”'’]{{2,40}})[\"”'’]")
    return before, after, alias


def name_tokens(name: str) -> list[str]:
    return re.findall(_TOKEN, name)


def _trim(text: str, start: int, end: int, rules: PeopleRules) -> tuple[int, int] | None:
    """Drop leading and trailing words that cannot be part of a name; None when fewer than two remain."""
    words = [(m.start() + start, m.end() + start, m.group()) for m in re.finditer(r"\S+", text[start:end])]
    while words and (words[0][2] in rules.not_names or words[0][2] in rules.name_connectors):
        words.pop(0)
    while words and (words[-1][2] in rules.not_names or words[-1][2] in rules.name_connectors):
        words.pop()
    capitalised = [w for w in words if w[2][:1].isupper()]
    if len(capitalised) < 2 or any(w[2] in rules.not_names for w in words):
        return None
    return words[0][0], words[-1][1]


def find_people(text: str, rules: PeopleRules) -> list[PersonCandidate]:
    """Names next to titles or alias cues in `text`; offsets are relative to `text`."""
    before, after, alias = _patterns(rules)
    found: list[PersonCandidate] = []
    for rule, pattern in (("people.alias", alias), ("people.title-before-name", before),
                          ("people.name-comma-title", after)):
        for m in pattern.finditer(text):
            span = _trim(text, m.start("name"), m.end("name"), rules)
            if span is None:
                continue
            found.append(PersonCandidate(span[0], span[1], text[span[0]:span[1]], rule,
                                         m.group("alias") if "alias" in pattern.groupindex else None))
    return found
