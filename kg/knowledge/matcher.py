"""Find every gazetteer name, generic word and referring phrase in a text in one pass (Aho-Corasick)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick

from kg.text import fold

if TYPE_CHECKING:
    from kg.knowledge.lexicon import AnaphorRule
    from kg.model import Entity

__all__ = ["Hit", "NameIndex"]


@dataclass(frozen=True)
class Hit:
    """A raw match: what kind of word it is and what it may refer to (entity ids, or an anaphor rule id)."""

    start: int
    end: int
    kind: str  # name | acronym | generic | nominal | anaphor
    refs: tuple[str, ...]


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_PLACE_TYPES = ("AdministrativeArea", "GeographicArea")


@dataclass
class NameIndex:
    """Two automata: names with capitals match case-sensitively, all-lowercase words in any case."""

    exact: ahocorasick.Automaton
    anycase: ahocorasick.Automaton

    @classmethod
    def build(cls, entities: dict[str, Entity], anaphora: tuple[AnaphorRule, ...]) -> NameIndex:
        table: dict[tuple[bool, str], dict[str, set[str]]] = {}

        def add(text: str, kind: str, ref: str) -> None:
            key = fold(text.strip())
            lower = key == key.lower()
            if lower:
                key = key.lower()
            if len(key) < 2:
                return
            table.setdefault((not lower, key), {}).setdefault(kind, set()).add(ref)

        for entity in entities.values():
            add(entity.label, "name", entity.id)
            if entity.type == "Country":  # a newsletter's section line: "HONDURAS: State of exception extended"
                add(entity.label.upper(), "name", entity.id)
            for name, lang in entity.names:
                add(name, "acronym" if not lang and name.isupper() else "name", entity.id)
                if name[:1].islower() and name != name.lower() and entity.type in _PLACE_TYPES:
                    # "state of México" also opens a sentence or a heading: "State of México" (a place only:
                    # "Authorities in Mexico" opening a sentence stays a generic word and a place)
                    add(name[:1].upper() + name[1:], "name", entity.id)
            for word in entity.generic:
                add(word.lower(), "generic", entity.id)
            for word in entity.nominals:
                add(word.lower(), "nominal", entity.id)
        for rule in anaphora:
            for word in rule.words:
                add(word.lower(), "anaphor", rule.id)
        exact, anycase = ahocorasick.Automaton(), ahocorasick.Automaton()
        for (case_sensitive, key), kinds in sorted(table.items()):
            value = tuple(sorted((kind, tuple(sorted(refs))) for kind, refs in kinds.items()))
            (exact if case_sensitive else anycase).add_word(key, (len(key), value))
        for automaton in (exact, anycase):
            if len(automaton):
                automaton.make_automaton()
        return cls(exact, anycase)

    def find(self, text: str, offset: int = 0) -> list[Hit]:
        """Every whole-word match, overlapping ones included (the resolver picks among them); positions are
        shifted by `offset`, where `text` starts in the article."""
        folded = fold(text)
        hits: list[Hit] = []
        for automaton, haystack in ((self.exact, folded), (self.anycase, folded.lower())):
            if not len(automaton) or automaton.kind != ahocorasick.AHOCORASICK:
                continue
            for end_index, (length, value) in automaton.iter(haystack):
                start, end = end_index - length + 1, end_index + 1
                if start > 0 and _is_word_char(folded[start - 1]) and _is_word_char(folded[start]):
                    continue
                if end < len(folded) and _is_word_char(folded[end]) and _is_word_char(folded[end - 1]):
                    continue
                for kind, refs in value:
                    hits.append(Hit(start + offset, end + offset, kind, refs))
        return hits
