"""Relation patterns (ontology/patterns/relations.yaml) run over sentences whose mentions became typed slots.

"The VRAEM is ... a stronghold of the guerrilla group" is seen as
"⟦GeographicArea#0⟧ is ... a stronghold of ⟦CriminalGroup#1⟧", so one pattern serves every group and place.
Finding matches is separate from building facts; cue words (negation, hedges, past time) veto a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from kg.knowledge.literals import LiteralGate
from kg.knowledge.relation_rules import RelationPattern
from kg.model import Fact, Mention, Sentence

__all__ = ["Masked", "mask", "find_facts", "vetoed"]
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
            # the article itself (None) or the mentions in the subject slot
            subjects = [None] if pattern.article_subject else [masked.mentions[s] for s in _slots(groups.get("s"))]
            if groups.get("title"):
                start = min(m.start("title"), m.start("x") if groups.get("x") else m.start("title"))
                end = max(m.end("title"), m.end("tail") if groups.get("tail") else m.end("title"),
                          m.end("x") if groups.get("x") and m.start("x") > m.start("title") else m.end("title"))
                literal = masked.original(start, end, text)
                if pattern.predicate == "holdsPosition":
                    for subj in subjects:
                        facts.append(Fact(subj.entity if subj else "article", pattern.predicate, literal, sentence,
                                          pattern.id, pattern.confidence, object_is_literal=True,
                                          subject_mention=subj))
                    continue
            if pattern.fixed_object:
                for subj in subjects:
                    facts.append(Fact(subj.entity if subj else "article", pattern.predicate, pattern.fixed_object,
                                      sentence, pattern.id, pattern.confidence, subject_mention=subj))
                continue
            for o in _slots(groups.get("o")):
                obj = masked.mentions[o]
                for subj in subjects:
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
