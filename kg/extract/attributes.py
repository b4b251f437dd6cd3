"""The model's attribute_ruler (POS, morphology and some lemmas from each token's tag, word and dependency) and
its rule lemmatizer as tables: the same rules giving the same values, several times faster.

The ruler runs a Matcher of 179 one- and two-token patterns over every Doc and sets each match's attributes from
Python, one Span at a time: a fifth of a sentence's parse. Here each distinct value of a token's features (TAG,
LOWER, DEP, IS_SPACE) is tested once against every condition the patterns place on that feature, and each
distinct combination of the results is turned once into the attributes it sets; a Doc then costs a lookup per
token and two array copies. The rules apply as the ruler applies them: every match is found on the Doc as the
parser left it, then applied in the order of its rule, a later rule's value standing. The lemmatizer's rules
read a token's word, POS and morphology only: each distinct triple is lemmatized once, by the component itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG  # type: ignore[import-not-found]  # (Cython)

__all__ = ["AttributeTable", "LemmaTable"]

_FEATURES = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "IS_SPACE": IS_SPACE}
_READ = [TAG, LOWER, DEP, IS_SPACE]
_WRITE = [TAG, DEP, POS, MORPH, LEMMA]  # every attribute a rule may set (a table for a rule setting others is refused)


def _test(value) -> Callable[[object], bool]:
    """A pattern's condition on one feature, as the Matcher reads it: equal, IN, NOT_IN, REGEX (searched)."""
    if not isinstance(value, dict):
        return lambda v: v == value
    if len(value) != 1:
        raise ValueError(f"attribute_ruler condition not supported: {value}")
    (op, arg), = value.items()
    members = set(arg) if op in ("IN", "NOT_IN") else set()
    if op == "IN":
        return lambda v: v in members
    if op == "NOT_IN":
        return lambda v: v not in members
    if op == "REGEX":
        return lambda v: isinstance(v, str) and re.search(arg, v) is not None
    raise ValueError(f"attribute_ruler operator not supported: {op}")


class AttributeTable:
    """Applies the rules of a loaded `attribute_ruler` to a Doc, as the component itself would."""

    def __init__(self, ruler) -> None:
        self._strings = ruler.vocab.strings
        # every distinct condition on a feature: (feature, key of the condition) -> its bit and its test
        self._bits: dict[tuple[str, str], int] = {}
        self._tests: dict[str, list[tuple[int, Callable[[object], bool]]]] = {f: [] for f in _FEATURES}
        self._rules: list[tuple[int, list[int], int, dict[int, int]]] = []  # rule, token masks, index, attrs
        for order, (entry, attrs, index) in enumerate(zip(ruler.patterns, ruler.attrs, ruler.indices, strict=True)):
            if set(attrs) - set(_WRITE):
                raise ValueError(f"attribute_ruler sets attributes not supported: {entry['attrs']}")
            for pattern in entry["patterns"]:
                masks = [self._mask(token) for token in pattern]
                self._rules.append((order, masks, index % len(pattern), dict(attrs)))
        self._signatures: list[dict[int, int]] = [{} for _ in _READ]
        self._results: dict[int, tuple[tuple[tuple[int, int], ...], tuple, tuple]] = {}
        self._longer = [rule for rule in self._rules if len(rule[1]) > 1]

    def _mask(self, token: dict) -> int:
        mask = 0
        for feature, value in token.items():
            if feature not in _FEATURES:
                raise ValueError(f"attribute_ruler pattern feature not supported: {feature}")
            key = (feature, repr(value))
            if key not in self._bits:
                self._bits[key] = 1 << len(self._bits)
                self._tests[feature].append((self._bits[key], _test(value)))
            mask |= self._bits[key]
        return mask

    def _signature(self, column: int, value: int) -> int:
        """The conditions a feature's value meets, as bits (computed once per distinct value)."""
        feature = list(_FEATURES)[column]
        read = bool(value) if feature == "IS_SPACE" else self._strings[value] if value else ""
        bits = 0
        for bit, test in self._tests[feature]:
            if test(read):
                bits |= bit
        self._signatures[column][value] = bits
        return bits

    def _result(self, mask: int) -> tuple[tuple[tuple[int, int], ...], tuple, tuple]:
        """For a token of these conditions: what its one-token rules set (in order, a later value standing), those
        rules, and the longer rules whose first token it can be (computed once per distinct mask)."""
        ones = tuple((order, attrs) for order, masks, _, attrs in self._rules
                     if len(masks) == 1 and masks[0] & mask == masks[0])
        merged: dict[int, int] = {}
        for _, attrs in ones:
            merged.update(attrs)
        starts = tuple(rule for rule in self._longer if rule[1][0] & mask == rule[1][0])
        result = (tuple((_WRITE.index(attr), value) for attr, value in merged.items()), ones, starts)
        self._results[mask] = result
        return result

    def __call__(self, doc):
        tags, lowers, deps, spaces = self._signatures
        masks = []
        for tag, lower, dep, space in doc.to_array(_READ).tolist():
            mask = tags.get(tag)
            if mask is None:
                mask = self._signature(0, tag)
            bits = lowers.get(lower)
            mask |= self._signature(1, lower) if bits is None else bits
            bits = deps.get(dep)
            mask |= self._signature(2, dep) if bits is None else bits
            bits = spaces.get(space)
            masks.append(mask | (self._signature(3, space) if bits is None else bits))
        values = doc.to_array(_WRITE).tolist()
        longer: dict[int, list[tuple[int, dict[int, int]]]] = {}
        for i, mask in enumerate(masks):
            result = self._results.get(mask) or self._result(mask)
            row = values[i]
            for column, value in result[0]:
                row[column] = value
            for order, rule_masks, index, attrs in result[2]:
                if i + len(rule_masks) <= len(masks) and \
                        all(m & masks[i + k] == m for k, m in enumerate(rule_masks)):
                    longer.setdefault(i + index, []).append((order, attrs))
        for i, found in longer.items():  # a two-token rule's match: every rule of the token again, in order
            for _, attrs in sorted(self._results[masks[i]][1] + tuple(found), key=lambda pair: pair[0]):
                for attr, value in attrs.items():
                    values[i][_WRITE.index(attr)] = value
        doc.from_array(_WRITE, numpy.array(values, dtype=numpy.uint64))
        return doc


class LemmaTable:
    """Sets the lemmas a loaded rule `lemmatizer` sets (those the attribute ruler left unset), each distinct (word,
    POS, morphology) lemmatized once by the component: its rules read nothing else of a token."""

    def __init__(self, lemmatizer) -> None:
        if lemmatizer.mode != "rule" or lemmatizer.overwrite:
            raise ValueError(f"lemmatizer not supported: mode {lemmatizer.mode}, overwrite {lemmatizer.overwrite}")
        self._lemmatizer = lemmatizer
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc):
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()):
            if lemma == 0:
                lemma = self._lemmas.get((orth, pos, morph), 0)
                if lemma == 0:
                    token = doc[i]
                    token.lemma_ = self._lemmatizer.lemmatize(token)[0]
                    lemma = self._lemmas[orth, pos, morph] = token.lemma
            lemmas.append(lemma)
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64))
        return doc
