"""Find people the gazetteer does not know: a capitalised name next to a title, one that opens with a given
name, a quoted "Comrade X", or a name followed by its alias.

"Defense Minister Mariano González", "Carlos Tubino, the vice president of ...", "Joaquín "El Chapo"
Guzmán", "Pablo Beltrán, alias 'Gabino'". Titles, given names and the words that never make a name come
from ontology/patterns/people.yaml and given-names.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.knowledge.lexicon import PeopleRules
from kg.knowledge.literals import LiteralGate, finditer
from kg.text import fold

__all__ = ["PersonCandidate", "find_people", "name_tokens"]

_UPPER = "A-ZÁÉÍÓÚÑÜÀÂÊÔÃÕÇÖËÄÈ"
_LOWER = "a-záéíóúñüàâêôãõçïöëäèß"
# A name's word may have a capital inside after Mc, Mac or O' ("McDermott", "O'Brien"), never cut to the "Mc".
# (A lookahead for a whole word after each token made finding people a third slower.)
_TOKEN = (rf"(?:[{_UPPER}](?:(?<=M)a?c[{_UPPER}]|(?<=O)['’][{_UPPER}])?[{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
          rf"|[{_UPPER}]\.)")
_NICK = r"(?:\s+[\"“](?P<nick>[^\"”]{2,30})[\"”])"
_LATE_NICK = r"(?:\s+[\"“](?P<late_nick>[^\"”]{2,30})[\"”])"  # after the second word: 'Juan Antonio "Tony" Pérez'
_WORD = re.compile(r"[\"“][^\"”]*[\"”]|\S+")  # a quoted nickname is one word
_NEXT_WORD = re.compile(r"\s+(\w+)")
# A quoted nickname standing for a person ("known as 'Tigre'"): the name inside, a capital first
_QUOTED = rf"[\"“'‘](?P<{{group}}>[{_UPPER}][^\"”'’,.]{{{{1,29}}}})[,.]?[\"”'’]"
# A nickname quoted straight after a person noun, with no cue ("cartel kingpin 'El Chepe'", "gang leader "Fito""):
# capitalised words only, so that a quoted remark ("the leader 'would not surrender'") is no name
_TITLED = (rf"[\"“'‘](?P<name>[{_UPPER}][{_LOWER}]+(?:\s+(?:(?:de|del|la|el|los)\s+)?[{_UPPER}][{_LOWER}]+){{0,3}})"
           rf"[,.]?[\"”'’](?![\w'’])(?!\s+[{_UPPER}])")  # (not a nickname inside a name: 'boss "El Chapo" Guzmán')


@dataclass(frozen=True)
class PersonCandidate:
    """A name found by a rule, by offsets within the text searched (nickname included in the span)."""

    start: int
    end: int
    name: str
    rule: str
    alias: str | None = None


@lru_cache(maxsize=8)
def _patterns(rules: PeopleRules) -> LiteralGate[tuple[str, re.Pattern[str]]]:
    connectors = "|".join(re.escape(c) for c in sorted(rules.name_connectors, key=len, reverse=True))
    part = rf"\s+(?:(?:{connectors})\s+)?{_TOKEN}"
    name = rf"(?P<name>{_TOKEN}(?:{part}{_LATE_NICK}(?:{part}){{1,2}}|{_NICK}?(?:{part}){{1,3}}))"
    title = rules.title_regex()
    cues = "|".join(re.escape(c) for c in sorted(rules.alias_cues, key=len, reverse=True))
    single = "|".join(re.escape(t) for t in rules.single_name_titles)
    name_cues = "|".join(re.escape(c) for c in sorted(rules.name_cues, key=len, reverse=True))
    nouns = "|".join(re.escape(n) for n in sorted(rules.nickname_nouns, key=len, reverse=True))
    patterns = {
        "people.alias": re.compile(rf"{name},?\s+(?i:{cues})\s+[\"“'‘](?P<alias>[^\"”'’]{{2,40}}?)[,.]?[\"”'’]"),
        "people.title-before-name": re.compile(rf"(?<![\w-])(?i:{title})\s+{name}"),
        "people.name-comma-title": re.compile(
            rf"{name},\s+(?i:(?:the|an?|who is the|who was the|currently the|now the)\s+)?"
            rf"(?:[\w-]+\s+){{0,2}}?(?i:{title})"),
        "people.single-name": re.compile(rf"(?<![\w-])(?P<name>(?:{single})\s+{_TOKEN})") if single else None,
        "people.given-name": re.compile(rf"(?<![\w-]){name}"),
        "people.after-name-cue": re.compile(rf"(?<![\w-])(?i:{name_cues})\s+{name}") if name_cues else None,
        "people.nickname": re.compile(
            rf"(?<![\w-])(?i:{nouns}),?\s+(?i:{cues})\s+{_QUOTED.format(group='name')}"
            rf"(?:,?\s+and\s+{_QUOTED.format(group='second')})?") if nouns and cues else None,
        "people.title-nickname": re.compile(rf"(?<![\w-])(?i:{nouns})\s+{_TITLED}") if nouns else None,
    }
    return LiteralGate([(rule, p) for rule, p in patterns.items() if p is not None], lambda item: item[1])


@lru_cache(maxsize=8)
def _place_appositive(rules: PeopleRules) -> re.Pattern[str]:
    nouns = "|".join(re.escape(n) for n in sorted(rules.place_appositives)) or "(?!)"
    return re.compile(rf",\s+(?:an?|the)\s+(?:(?!of\b)[\w-]+\s+){{0,3}}?(?:{nouns})"
                      rf"(?=\s*[,.;]|\s+(?:in|on|near|about|north|south|east|west|where|that|which|with|along)\b)")


def _opens_with(name: str, openers: frozenset[str]) -> bool:
    words = name.split()
    return any(" ".join(words[:n]) in openers for n in (1, 2))


def name_tokens(name: str) -> list[str]:
    return re.findall(_TOKEN, name)


def _clean(text: str, start: int, end: int, rules: PeopleRules, single: bool) -> tuple[int, int, str] | None:
    """Drop leading and trailing words that cannot be part of a name; the label leaves out a nickname."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]
    while words and (words[0][2] in rules.not_names or words[0][2] in rules.name_connectors
                     or words[0][2].lower() in rules.lower_titles):
        words.pop(0)
    while words and (words[-1][2] in rules.not_names or words[-1][2] in rules.name_connectors
                     or words[-1][2][:1] in "\"“"):
        words.pop()
    plain = [w for w in words if w[2][:1] not in "\"“"]
    capitalised = [w for w in plain if w[2][:1].isupper()]
    if len(capitalised) < (1 if single else 2) or any(w[2] in rules.not_names for w in plain):
        return None
    return words[0][0], words[-1][1], " ".join(w[2] for w in plain)


def find_people(text: str, rules: PeopleRules) -> list[PersonCandidate]:
    """Names next to titles, given names or alias cues in `text`; offsets are relative to `text`."""
    found: list[PersonCandidate] = []
    for (rule, pattern), starts in _patterns(rules).candidates(text):
        for m in finditer(pattern, text, starts):
            if rule == "people.title-nickname":
                if not _opens_with(m.group("name"), rules.not_names | rules.group_openers):
                    found.append(PersonCandidate(m.start("name"), m.end("name"), m.group("name"), rule))
                continue
            if rule == "people.nickname":
                found.extend(PersonCandidate(m.start(g), m.end(g), m.group(g), rule) for g in ("name", "second")
                             if m.group(g) and not _opens_with(m.group(g), rules.not_names | rules.group_openers))
                continue
            cleaned = _clean(text, m.start("name"), m.end("name"), rules, rule == "people.single-name")
            if cleaned is None:
                continue
            start, end, name = cleaned
            if rule == "people.alias":
                end = m.end()
            if rule == "people.given-name" and fold(name.split()[0]) not in rules.given_names:
                continue
            after = _NEXT_WORD.match(text, end)
            if after and after.group(1) in rules.not_after or _place_appositive(rules).match(text, end):
                continue
            groups = m.groupdict()
            alias = groups.get("alias") or groups.get("nick") or groups.get("late_nick")
            found.append(PersonCandidate(start, end, name, rule, alias.strip(" ,.") if alias else None))
    return found
