"""Relation patterns (ontology/patterns/relations.yaml) run over sentences whose mentions became typed slots.

"The VRAEM is ... a stronghold of the guerrilla group" is seen as
"⟦GeographicArea#0⟧ is ... a stronghold of ⟦CriminalGroup#1⟧", so one pattern serves every group and place.
Finding matches is separate from building facts; cue words (negation, hedges, past time) veto a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import regex

from .errors import InvalidLexicon
from .literals import LiteralGate, finditer
from .model import Fact, Mention, Sentence

__all__ = ["Masked", "RelationPattern", "compile_relations", "mask", "find_facts", "slot_regex", "vetoed"]

_PLACEHOLDER = re.compile(r"\{(?:(?P<role>[sox]):(?P<types>[A-Za-z|]+)(?P<many>[+*~])?|(?P<title>title)|"
                          r"gap(?::(?P<gap>\d+))?|skip(?::(?P<skip>\d+))?)\}")
_TOKEN = re.compile(r"⟦[A-Za-z]+#(\d+)⟧")
_SLOT = re.compile(r"⟦([A-Za-z]+)#(\d+)⟧")
_THE = re.compile(r"(?i)(?:^|(?<=\s))the\s+$")
_IRREGULAR_SPACE = re.compile(r"[^\S ]|\s\s")  # whitespace other than a lone plain space


@dataclass(frozen=True)
class Masked:
    """A sentence with each mention replaced by `⟦Type#i⟧`, single-spaced, and a map back to offsets."""

    text: str
    offsets: tuple[int, ...]  # masked index -> absolute article offset
    mentions: tuple[Mention, ...]

    @cached_property
    def slots(self) -> tuple[tuple[int, int, str, int], ...]:
        """Each slot's start, end, class and mention index, read once for the relation and event rules."""
        return tuple((m.start(), m.end(), m.group(1), int(m.group(2))) for m in _SLOT.finditer(self.text))

    def original(self, start: int, end: int, article_text: str) -> str:
        """The article's words behind a stretch of the masked text."""
        if start >= end:
            return ""
        stop = self.offsets[end - 1] + 1
        for m in _TOKEN.finditer(self.text, start, end):
            if m.end() == end:
                stop = self.mentions[int(m.group(1))].end
        return article_text[self.offsets[start]:stop]


def mask(sentence: Sentence, inside: list[Mention], types: dict[str, str], text: str) -> Masked:
    """Replace the sentence's mentions (`inside`, in text order; with a "the" just before them) by typed slots."""
    out: list[str] = []
    offsets: list[int] = []
    position = sentence.start
    for index, m in enumerate(inside):
        chunk = text[position:m.start]
        lead = _THE.search(chunk, max(0, len(chunk.rstrip()) - 3))  # only there can a final 'the' start
        if lead:
            chunk = chunk[:lead.start()]
        _append_text(out, offsets, chunk, position)
        token = f"⟦{types[m.entity]}#{index}⟧"
        out.append(token)
        offsets.extend([m.start] * len(token))
        position = m.end
    _append_text(out, offsets, text[position:sentence.end], position)
    return Masked("".join(out), tuple(offsets), tuple(inside))


def _append_text(out: list[str], offsets: list[int], chunk: str, base: int) -> None:
    """Append `chunk` with each run of whitespace as one space, and none right after a space. Most chunks are
    single-spaced already and go in whole; the others a character at a time."""
    previous_space = bool(out) and out[-1].endswith(" ")
    if not _IRREGULAR_SPACE.search(chunk) and not (previous_space and chunk.startswith(" ")):
        if chunk:
            out.append(chunk)
            offsets.extend(range(base, base + len(chunk)))
        return
    for i, ch in enumerate(chunk):
        if ch.isspace():
            if previous_space:
                continue
            ch = " "
        previous_space = ch == " "
        out.append(ch)
        offsets.append(base + i)


@dataclass(frozen=True)
class RelationPattern:
    id: str
    predicate: str
    regex: regex.Pattern
    article_subject: bool
    checks: tuple[str, ...]
    confidence: float
    fixed_object: str | None = None
    leading: frozenset[str] = frozenset()  # the classes of the slot the pattern opens with, if it does
    needs: tuple[frozenset[str], ...] = ()  # per slot of the pattern, the classes that can fill it

    def matches(self, text: str, tokens: list[tuple[int, str]], present: set[str], starts: list[int] | None):
        """Every match. A pattern whose slots the sentence cannot fill is skipped; one that opens with a slot
        is tried only where a slot starts, another only at `starts` (where its leading words are, when known):
        this finds the overlapping matches at a fraction of the cost of trying every position."""
        for need in self.needs:
            if need.isdisjoint(present):
                return
        if self.leading:
            starts = [start for start, cls in tokens if cls in self.leading]
        yield from finditer(self.regex, text, starts, overlapped=True)


_LINKERS = {
    # "X, Y and Z"
    "+": r"(?:,| and|, and| or|, or| as well as|, as well as| along with|, along with| and from| and in)",
    # "chief negotiator X and top commander Y": a title may stand after the conjunction
    "*": r"(?:,| and|, and| as well as| along with| together with)(?: [a-z][\w-]*){0,2}",
    # "Mayapo, a village in the Llochegua district of Huanta province, Ayacucho, inside the VRAEM"
    "~": r"(?: (?:district|province|department|state|region|municipality|county|area))?"
         r"(?:,| of| in| inside| within| near|, inside|, within|, in)(?: the)?",
}


def slot_regex(types: str, ontology, name: str | None, many: str | None = None) -> str:
    """Regex for a typed slot: the named classes and their subclasses; `many` (+, *, ~) takes a list."""
    classes: set[str] = set()
    for wanted in types.split("|"):
        if wanted not in ontology.classes:
            raise InvalidLexicon(f"unknown class '{wanted}' in a placeholder")
        classes.update(ontology.subclasses(wanted))
    one = rf"⟦(?:{'|'.join(sorted(classes))})#\d+⟧"
    body = rf"{one}(?:{_LINKERS[many]} {one})*" if many else one
    return f"(?P<{name}>{body})" if name else f"(?:{body})"


def compile_pattern(source: str, ontology, title_regex: str, where: str) -> regex.Pattern:
    def replace(m: re.Match[str]) -> str:
        if m.group("title"):
            return f"(?P<title>{title_regex})"
        if m.group("role"):
            return slot_regex(m.group("types"), ontology, m.group("role"), m.group("many"))
        if m.group(0).startswith("{skip"):
            return rf"(?: \S+){{0,{int(m.group('skip') or 4)}}}?"
        return rf"(?: [^\s⟦⟧]+){{0,{int(m.group('gap') or 4)}}}?"

    try:
        return regex.compile(_PLACEHOLDER.sub(replace, source), regex.IGNORECASE | regex.VERSION1)
    except (regex.error, InvalidLexicon) as exc:
        raise InvalidLexicon(f"{where}: {exc}") from exc


def compile_relations(data: dict, ontology, people, cues, entities) -> LiteralGate[RelationPattern]:
    """Check and compile every relation pattern; a bad one names its id."""
    compiled = []
    seen: set[str] = set()
    title = people.title_regex()
    for index, spec in enumerate((data or {}).get("patterns", [])):
        where = f"patterns/relations.yaml: pattern {index + 1} ({spec.get('id', '?')})"
        for key in ("id", "predicate", "pattern"):
            if not spec.get(key):
                raise InvalidLexicon(f"{where}: missing '{key}'")
        if spec["id"] in seen:
            raise InvalidLexicon(f"{where}: id used twice")
        seen.add(spec["id"])
        if spec["predicate"] not in ontology.properties:
            raise InvalidLexicon(f"{where}: predicate '{spec['predicate']}' is not a property of kg.ttl")
        for check in spec.get("checks", ["negation", "hedge"]):
            if check not in cues.sets:
                raise InvalidLexicon(f"{where}: check '{check}' is not a cue set of patterns/cues.yaml")
        article_subject = spec.get("subject") == "article"
        source = spec["pattern"]
        if not article_subject and "{s:" not in source:
            raise InvalidLexicon(f"{where}: the pattern has no {{s:Type}} subject")
        fixed = spec.get("object")
        if fixed is not None and fixed not in entities:
            raise InvalidLexicon(f"{where}: object '{fixed}' is no gazetteer id")
        if "{o:" not in source and "{title}" not in source and fixed is None:
            raise InvalidLexicon(f"{where}: the pattern has no {{o:Type}} object, {{title}} or fixed object")
        compiled.append(RelationPattern(spec["id"], spec["predicate"], compile_pattern(source, ontology, title, where),
                                        article_subject, tuple(spec.get("checks", ["negation", "hedge"])),
                                        float(spec.get("confidence", 0.7)), fixed,
                                        leading=_leading(source, ontology), needs=_needs(source, ontology)))
    return LiteralGate(compiled, lambda pattern: pattern.regex)


def _slot_classes(placeholder: re.Match[str], ontology) -> frozenset[str]:
    """The classes (subclasses included) a typed placeholder accepts."""
    return frozenset(c for t in placeholder.group("types").split("|") for c in ontology.subclasses(t))


def _leading(source: str, ontology) -> frozenset[str]:
    """The classes that can fill the slot a pattern opens with (of any role), or none if it opens with words."""
    m = _PLACEHOLDER.match(source)
    return _slot_classes(m, ontology) if m and m.group("role") else frozenset()


def _needs(source: str, ontology) -> tuple[frozenset[str], ...]:
    """The classes the subject and object slots accept (an {x:...} slot may be optional, so it is left out)."""
    return tuple(_slot_classes(m, ontology) for m in _PLACEHOLDER.finditer(source) if m.group("role") in ("s", "o"))


def vetoed(masked_text: str, start: int, end: int, checks: tuple[str, ...], cues) -> bool:
    """True when a cue word of the named sets stands in the match or just before it."""
    if not checks:
        return False
    words = cues.window_words
    before = masked_text[:start].rsplit(None, words)[-words:] if words else []  # the last words only
    window = cues.without_phrases(" ".join(before + [masked_text[start:end]]))
    return any(cues.regex(check).search(window) for check in checks)


def _slots(group: str | None) -> list[int]:
    return [int(i) for i in _TOKEN.findall(group or "")]


def find_facts(sentence: Sentence, masked: Masked, patterns: LiteralGate[RelationPattern], lexicon,
               text: str) -> list[Fact]:
    """Every fact the patterns find in one sentence."""
    facts: list[Fact] = []
    tokens = [(start, cls) for start, _, cls, _ in masked.slots]
    if not tokens:
        return facts
    present = {cls for _, cls in tokens}
    for pattern, starts in patterns.candidates(masked.text):
        for m in pattern.matches(masked.text, tokens, present, starts):
            if vetoed(masked.text, m.start(), m.end(), pattern.checks, lexicon.cues):
                continue
            groups = m.groupdict()
            subjects = [None] if pattern.article_subject else _slots(groups.get("s"))
            if groups.get("title"):
                start = min(m.start("title"), m.start("x") if groups.get("x") else m.start("title"))
                end = max(m.end("title"), m.end("tail") if groups.get("tail") else m.end("title"),
                          m.end("x") if groups.get("x") and m.start("x") > m.start("title") else m.end("title"))
                literal = masked.original(start, end, text)
                if pattern.predicate == "holdsPosition":
                    for s in subjects:
                        facts.append(Fact(masked.mentions[s].entity, pattern.predicate, literal, sentence,
                                          pattern.id, pattern.confidence, object_is_literal=True,
                                          subject_mention=masked.mentions[s]))
                    continue
            if pattern.fixed_object:
                for s in subjects:
                    subj = masked.mentions[s]
                    facts.append(Fact(subj.entity, pattern.predicate, pattern.fixed_object, sentence, pattern.id,
                                      pattern.confidence, subject_mention=subj))
                continue
            for o in _slots(groups.get("o")):
                obj = masked.mentions[o]
                for s in subjects:
                    subj = masked.mentions[s] if s is not None else None
                    if subj is not None and subj.entity == obj.entity:
                        continue
                    facts.append(Fact(subj.entity if subj else "article", pattern.predicate, obj.entity, sentence,
                                      pattern.id, pattern.confidence, subject_mention=subj, object_mention=obj))
    return _longest_titles(facts)


def _longest_titles(facts: list[Fact]) -> list[Fact]:
    """'Ministerial Council President' and not also 'President' for the same person in the same sentence."""
    titles = [f for f in facts if f.predicate == "holdsPosition"]
    return [f for f in facts if f.predicate != "holdsPosition" or not any(
        g is not f and g.subject == f.subject and len(g.object) > len(f.object) and f.object in g.object
        for g in titles)]
