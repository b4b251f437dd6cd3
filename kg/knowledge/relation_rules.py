"""Relation patterns of ontology/patterns/relations.yaml, checked and compiled once when the lexicon loads.

A pattern is written over typed slots: "{o:GeographicArea} is {gap} a stronghold of {s:CriminalGroup}" becomes a
regex over "⟦GeographicArea#0⟧ is ... a stronghold of ⟦CriminalGroup#1⟧", so one pattern serves every group
and place. Running them is kg.extract.relations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from kg.errors import InvalidLexicon
from kg.knowledge.literals import LiteralGate, finditer
from kg.knowledge.schemas import RelationsFile

__all__ = ["RelationPattern", "compile_relations", "compile_pattern", "slot_regex"]

_PLACEHOLDER = re.compile(r"\{(?:(?P<role>[sox]):(?P<types>[A-Za-z|]+)(?P<many>[+*~])?|(?P<title>title)|"
                          r"gap(?::(?P<gap>\d+))?|skip(?::(?P<skip>\d+))?)\}")


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
    "+": r"(?:,| and| or| as well as|, as well as| along with|, along with| and from| and in)",
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
    if many == "+":  # "X, Y and Z" and "X, Y, and Z" are lists; "X, and Y" is two clauses ("A fought B, and it
        # clashed with C"), "X, Y" no list ("After the fall of Los Zetas, the Gulf Cartel expanded")
        conjunction = _LINKERS[many].replace("(?:,|", "(?:", 1)
        body = rf"{one}(?:(?:, {one})*{conjunction} {one}|(?:, {one})+, (?:and|or) {one})?"
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


def compile_relations(data: RelationsFile, ontology, people, cues, entities) -> LiteralGate[RelationPattern]:
    """Check and compile every relation pattern; a bad one names its id."""
    compiled = []
    title = people.title_regex()
    for index, spec in enumerate(data.patterns):
        where = f"patterns/relations.yaml: pattern {index + 1} ({spec.id})"
        if spec.predicate not in ontology.properties:
            raise InvalidLexicon(f"{where}: predicate '{spec.predicate}' is not a property of kg.ttl")
        for check in spec.checks:
            if check not in cues.sets:
                raise InvalidLexicon(f"{where}: check '{check}' is not a cue set of patterns/cues.yaml")
        article_subject = spec.subject == "article"
        source = spec.pattern
        if not article_subject and "{s:" not in source:
            raise InvalidLexicon(f"{where}: the pattern has no {{s:Type}} subject")
        if spec.object is not None and spec.object not in entities:
            raise InvalidLexicon(f"{where}: object '{spec.object}' is no gazetteer id")
        if "{o:" not in source and "{title}" not in source and spec.object is None:
            raise InvalidLexicon(f"{where}: the pattern has no {{o:Type}} object, {{title}} or fixed object")
        compiled.append(RelationPattern(spec.id, spec.predicate, compile_pattern(source, ontology, title, where),
                                        article_subject, tuple(spec.checks), spec.confidence, spec.object,
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

