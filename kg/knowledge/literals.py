"""Words a regular expression cannot match without, read off its syntax tree, so that a rule is tried only on
text that has them, and only where a match can start.

The relation patterns, event triggers, name rules and people patterns would otherwise each scan every
sentence; one Aho-Corasick pass over a sentence finds the words of them all. The test is necessary, never sufficient:
the regex engine still decides every match, so what is found does not change, only what is not tried.

Words and text are compared folded with `str.upper().casefold()`, under which every character that the
case-insensitive engines in use (re, and regex with and without full case folding) let match an ASCII
character folds to contain it; other characters with case are left out of words. Where folding changes the
length of a text its positions no longer line up, and every rule is tried everywhere.

The syntax tree is Python's own (`re._parser`), which reads the patterns as `regex` does except for `regex`'s
own extensions; a pattern that uses one gets no words and is tried everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from re import _constants as sre  # type: ignore[attr-defined]  # (typeshed leaves out re's private parser)
from re import _parser  # type: ignore[attr-defined]
from typing import Generic, TypeVar

import ahocorasick

__all__ = ["Literals", "literals", "LiteralGate", "finditer"]

_MOST = 256  # alternatives a set of strings may grow to before it is given up
_SHORTEST = 3  # a required string shorter than this is in nearly every sentence: not worth looking for
# regex-only syntax that Python's parser would read as plain characters: fuzzy counts like {e<=1}, nested sets
# and set operations (V1), POSIX classes
_REGEX_ONLY = re.compile(r"\{(?!\d*(?:,\d*)?\})|\[[^\]]*\[|--|&&|~~|\|\|")
_NAMED_GROUP = re.compile(r"(?<!\\)((?:\\\\)*)\(\?P<\w+>")  # regex allows a name twice, re does not
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_CONSUMING = (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN, sre.CATEGORY)


def _fold(text: str) -> str:
    return text.upper().casefold()


@dataclass(frozen=True)
class Literals:
    """What every match of one pattern needs: a string of each clause somewhere in the text (folded), and,
    unless `leading` is None, one of `leading` where the match starts."""

    clauses: tuple[frozenset[str], ...] = ()
    leading: frozenset[str] | None = None


@dataclass(frozen=True)
class _Info:
    """What a piece of a pattern matches: `words` when it is a small set of fixed strings, the clauses it
    needs, the strings every non-empty match of it starts with, and whether it can match nothing."""

    words: frozenset[str] | None
    clauses: tuple[frozenset[str], ...]
    leading: frozenset[str] | None
    nullable: bool


_EMPTY = _Info(frozenset([""]), (), frozenset(), True)
_ANYTHING = _Info(None, (), None, False)
_UNKNOWN = _Info(None, (), None, True)


def literals(pattern) -> Literals:
    """The literals of a compiled pattern (`re` or `regex`); none when it cannot be read safely."""
    if _REGEX_ONLY.search(pattern.pattern):
        return Literals()
    try:
        tree = _parser.parse(_NAMED_GROUP.sub(r"\1(?:", pattern.pattern), pattern.flags & re.VERBOSE)
    except (re.error, RecursionError):
        return Literals()
    info = _sequence(tree.data)
    clauses = {_pruned(c) for c in info.clauses}
    leading = None
    if info.leading and not info.nullable and min(map(len, info.leading)) >= 2:
        leading = _pruned(info.leading, suffixes=False)
    return Literals(tuple(sorted((c for c in clauses if min(map(len, c)) >= _SHORTEST), key=sorted)), leading)


def _pruned(strings: frozenset[str], suffixes: bool = True) -> frozenset[str]:
    """Drop each string that starts (or, with `suffixes`, ends) with another of the set: the shorter one says
    as much about a text."""
    kept = _without_longer(strings, lambda s: s)
    return frozenset(_without_longer(kept, lambda s: s[::-1])) if suffixes else frozenset(kept)


def _without_longer(strings, key: Callable[[str], str]) -> list[str]:
    """In sorted order a string that starts with another comes right after it or after others that do."""
    kept: list[str] = []
    for s in sorted(strings, key=key):
        if not kept or not key(s).startswith(key(kept[-1])):
            kept.append(s)
    return kept


def _usable(code: int) -> bool:
    """A character whose matches fold to it: ASCII, or one without case."""
    ch = chr(code)
    return ch.isascii() or ch.upper() == ch.lower() == ch.casefold() == ch


def _item(op, av) -> _Info:
    """What one node of the tree matches (a plain character never comes here: `_sequence` joins those)."""
    if op is sre.IN and all(o is sre.LITERAL and _usable(v) for o, v in av):
        return _words({_fold(chr(v)) for _, v in av})
    if op is sre.SUBPATTERN:
        return _sequence(av[3])
    if op is sre.ATOMIC_GROUP:
        return _sequence(av)
    if op is sre.BRANCH:
        return _branch([_sequence(b) for b in av[1]])
    if op in _REPEATS:
        return _repeat(_sequence(av[2]), av[0], av[1])
    if op in _ZERO_WIDTH:
        return _EMPTY
    return _ANYTHING if op in _CONSUMING else _UNKNOWN


def _words(words: set[str]) -> _Info:
    return _Info(frozenset(words), (frozenset(words),), frozenset(w for w in words if w), "" in words)


def _repeat(inner: _Info, least: int, most: int) -> _Info:
    if most == 0:
        return _EMPTY
    if inner.words is not None and most == 1:
        return _words(set(inner.words) | ({""} if least == 0 else set()))
    return _Info(None, inner.clauses if least else (), inner.leading, inner.nullable or least == 0)


def _branch(options: list[_Info]) -> _Info:
    words = None
    if all(o.words is not None for o in options):
        union = frozenset[str]().union(*(o.words for o in options if o.words is not None))
        words = union if len(union) <= _MOST else None
    clause = frozenset().union(*(max(o.clauses, key=_strength) for o in options)) \
        if all(o.clauses for o in options) else None
    leading = None if any(o.leading is None for o in options) else \
        frozenset[str]().union(*(o.leading for o in options if o.leading is not None))
    return _Info(words, (clause,) if clause else (), leading, any(o.nullable for o in options))


def _strength(clause: frozenset[str]) -> tuple[int, int]:
    """Longer shortest string first, then fewer strings: the clause least likely to be met by chance."""
    return min(map(len, clause)), -len(clause)


def _sequence(items) -> _Info:
    infos: list[_Info] = []
    text = ""  # consecutive plain characters, read as one string
    for op, av in items:
        if op is sre.LITERAL and _usable(av):
            text += chr(av)
            continue
        if text:
            infos.append(_words({_fold(text)}))
            text = ""
        infos.append(_item(op, av))
    if text:
        infos.append(_words({_fold(text)}))
    clauses: list[frozenset[str]] = []
    run = {""}  # the fixed strings the latest items spell, one after the other
    all_words = True
    for info in infos:
        if info.words is not None and len(run) * len(info.words) <= _MOST:
            run = {a + b for a in run for b in info.words}
            continue
        all_words = False
        if "" not in run:
            clauses.append(frozenset(run))
        clauses.extend(info.clauses)
        run = set(info.words) if info.words is not None else {""}
    if "" not in run:
        clauses.append(frozenset(run))
    words = frozenset(run) if all_words else None
    return _Info(words, tuple(clauses), _leading(infos), all(i.nullable for i in infos))


def _leading(infos: list[_Info]) -> frozenset[str] | None:
    """The strings every non-empty match of a sequence starts with: the fixed strings it opens with, followed
    by what the next item starts with; where an item may match nothing, also what comes after it."""
    found: set[str] = set()  # starts of the ways through the sequence already settled
    heads = {""}  # what the ways still open have spelled so far
    for info in infos:
        if info.words is not None and len(heads) * len(info.words) <= _MOST:
            heads = {a + b for a in heads for b in info.words}
            continue
        if info.leading is None:
            return None if "" in heads else frozenset(found | heads)
        if not info.nullable and len(heads) * len(info.leading) <= _MOST:
            return frozenset(found | {a + b for a in heads for b in info.leading})
        found |= heads - {""}
        if "" not in heads:
            return frozenset(found)
        found |= info.leading
        if not info.nullable:
            return frozenset(found)
        heads = {""}
    return frozenset(found | (heads - {""}))


T = TypeVar("T")


class LiteralGate(Generic[T]):
    """Rules with the literals of each, in their order; one pass over a text tells which rules may match it.
    Each rule is filed under its strongest clause, so a text wakes only the rules whose clause it meets."""

    def __init__(self, rules: Sequence[T], pattern: Callable[[T], object]):
        self.rules = tuple(rules)
        self._literals = [literals(pattern(rule)) for rule in self.rules]
        ids: dict[frozenset[str], int] = {}
        for lits in self._literals:
            for clause in lits.clauses:
                ids.setdefault(clause, len(ids))
        self._needs = [frozenset(ids[c] for c in lits.clauses) for lits in self._literals]
        self._always = [i for i, lits in enumerate(self._literals) if not lits.clauses]
        self._filed: dict[int, list[int]] = {}
        for i, lits in enumerate(self._literals):
            if lits.clauses:
                self._filed.setdefault(ids[max(lits.clauses, key=_strength)], []).append(i)
        words: dict[str, set[int]] = {w: set() for lits in self._literals for w in lits.leading or ()}
        for clause, index in ids.items():
            for word in clause:
                words.setdefault(word, set()).add(index)
        self._automaton = ahocorasick.Automaton()
        for word, clause_ids in sorted(words.items()):
            self._automaton.add_word(word, (word, len(word) - 1, frozenset(clause_ids)))
        if words:
            self._automaton.make_automaton()

    def __iter__(self) -> Iterator[T]:
        return iter(self.rules)

    def candidates(self, text: str) -> Iterator[tuple[T, list[int] | None]]:
        """Each rule that may match `text`, in order, with the only positions a match of it can start at (or
        None: anywhere)."""
        folded = _fold(text)
        if len(folded) != len(text) or not len(self._automaton):
            yield from ((rule, None) for rule in self.rules)
            return
        starts: dict[str, list[int]] = {}
        met: set[int] = set()
        for end, (word, length, clause_ids) in self._automaton.iter(folded):
            starts.setdefault(word, []).append(end - length)
            met |= clause_ids
        woken = set(self._always)
        for clause_id in met:
            woken.update(self._filed.get(clause_id, ()))
        for i in sorted(woken):
            if not self._needs[i] <= met:
                continue
            leading = self._literals[i].leading
            if leading is None:
                yield self.rules[i], None
            else:
                yield self.rules[i], sorted({p for word in leading.intersection(starts) for p in starts[word]})


def finditer(pattern, text: str, starts: list[int] | None, overlapped: bool = False) -> Iterator:
    """The matches `pattern.finditer(text)` finds (overlapping ones too, with `overlapped`), trying only
    `starts` when they are known. A pattern with leading words never matches the empty string, so after a
    match the search goes on from its end, as `finditer`'s does."""
    if starts is None:
        yield from pattern.finditer(text, overlapped=True) if overlapped else pattern.finditer(text)
        return
    resume = 0
    for start in starts:
        if start < resume:
            continue
        found = pattern.match(text, start)
        if found:
            yield found
            if not overlapped:
                resume = found.end()
