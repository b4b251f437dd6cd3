"""The literal gate (kg/literals.py) only ever skips work: a rule it holds back has no match in the text, and
trying a rule at the positions it gives finds every match the rule has."""

from __future__ import annotations

import re

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.people import _patterns as people_patterns
from kg.knowledge.lexicon import default_lexicon
from kg.knowledge.literals import LiteralGate, Literals, finditer, literals

FLAGS = regex.IGNORECASE | regex.VERSION1


def test_fixed_words_become_clauses_and_leading_strings():
    found = literals(regex.compile(r"(?:Stronghold|bastion)s? (?:of|for) ⟦(?:Person|Country)#\d+⟧ (?:is|was)",
                                   FLAGS))
    spelled = {f"{word}{plural} {of} ⟦{cls}#" for word in ("stronghold", "bastion") for plural in ("", "s")
               for of in ("of", "for") for cls in ("person", "country")}
    assert found.leading == spelled
    assert found.clauses == (frozenset(spelled), frozenset({"⟧ is", "⟧ was"}))


def test_optional_parts_are_not_required():
    found = literals(regex.compile(r"(?:the )?(?:main )?cartel|gang", FLAGS))
    assert found.leading is None or "the " not in found.leading
    assert all("main " not in clause for clause in found.clauses)


def test_syntax_only_the_regex_module_knows_gives_nothing():
    assert literals(regex.compile(r"(?:cartel){e<=1}", FLAGS)) == Literals()
    assert literals(regex.compile(r"[[a-z]--[aeiou]]cartel", FLAGS)) == Literals()
    assert literals(regex.compile(r"\mcartel\M", FLAGS)) == Literals()


def test_verbose_patterns_are_read_without_their_spaces():
    assert literals(regex.compile(r"strong hold  # a comment", FLAGS | regex.VERBOSE)).clauses == ({"stronghold"},)


def test_characters_with_case_outside_ascii_are_left_out():
    found = literals(re.compile(r"Cártel de"))
    assert all("á" not in word for clause in found.clauses for word in clause)


WORDS = ["the", " ", ", ", "'s ", "⟦Person#0⟧", "⟦CriminalGroup#1⟧", "⟦Country#2⟧", "⟦AdministrativeArea#3⟧",
         "⟦SecurityForce#4⟧", "⟦CriminalEconomy#5⟧", "⟦MediaOutlet#6⟧", "⟦PERSON#7⟧", "President", "former",
         "Defense Minister", "leader of", "stronghold of", "operates in", "allied with", "clashed with",
         "arrested", "was captured by", "according to", "trafficking", "alias", "STRONGHOLD", "ß", "ﬁ", "İ", "ı",
         "K", "financial operator", "strongholds", "in the", "controls", "deployed to", "and"]


def _overlapping(rule, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rule.regex.finditer(text, overlapped=True)]


def _through_gate(gate: LiteralGate, text: str) -> dict[int, list[tuple[int, int]]]:
    """The matches of each rule the gate lets through, tried where it says."""
    found = {}
    for rule, starts in gate.candidates(text):
        found[id(rule)] = _overlapping(rule, text) if starts is None else \
            [m.span() for m in (rule.regex.match(text, p) for p in starts) if m]
    return found


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join))
def test_relation_patterns_find_the_same_through_the_gate(text):
    gate = default_lexicon().relations
    found = _through_gate(gate, text)
    for rule in gate:
        assert found.get(id(rule), []) == _overlapping(rule, text), rule.id


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefilnorstuKİıßﬁ ⟦⟧#0123456789PCs", max_size=40))
def test_odd_case_folding_never_hides_a_match(text):
    rule = type("Rule", (), {"regex": regex.compile(r"(?:fi|ss|st|ki|in)[a-z]* ⟦(?:P|C)#\d+⟧", FLAGS)})()
    gate = LiteralGate([rule], lambda r: r.regex)
    assert _through_gate(gate, text).get(id(rule), []) == _overlapping(rule, text)


SENTENCE_WORDS = ["the", "The", "Los", "Zetas", "gang", "Cartel", "cartel", "municipality of", "Tibú", "in",
                  "arrested", "captured", "arrest of", "extradited", "killed", "deployed", "sent", "peace deal",
                  "Defense Minister", "former", "President", "Mariano", "González", "alias", '"El Mayo"', ",", ".",
                  "⟦Person#0⟧", "⟦SecurityForce#1⟧", "ARRESTED", "ß", "İ", "ı", "de", "la"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SENTENCE_WORDS), max_size=14).map(" ".join))
def test_event_triggers_name_rules_and_people_patterns_find_the_same_through_the_gate(text):
    lexicon = default_lexicon()
    for gate, pattern_of in ((lexicon.events, lambda rule: rule.trigger), (lexicon.name_rules, lambda r: r.regex),
                             (people_patterns(lexicon.people), lambda rule_and_pattern: rule_and_pattern[1])):
        woken = {id(rule): [m.span() for m in finditer(pattern_of(rule), text, starts)]
                 for rule, starts in gate.candidates(text)}
        for rule in gate:
            assert woken.get(id(rule), []) == [m.span() for m in pattern_of(rule).finditer(text)]
