"""Every rule of ontology/patterns/syntax/ gives what its examples say and not what its counter-examples say.

Each example is extracted as a one-paragraph article, through the whole extractor (gazetteer, NER, parse), and the
fact or event is looked for among what that rule made."""

from __future__ import annotations

from datetime import date

import pytest

from kg.errors import InvalidLexicon
from kg.extract.article import extract
from kg.knowledge.lexicon import default_lexicon
from kg.knowledge.syntax_rules import compile_syntax
from kg.model import Article, Paragraph
from kg.text import fold

RULES = default_lexicon().syntax.rules
CASES = [pytest.param(rule.id, case, True, id=f"{rule.id}-example-{i}") for rule in RULES
         for i, case in enumerate(rule.examples)] + \
        [pytest.param(rule.id, case, False, id=f"{rule.id}-counter-{i}") for rule in RULES
         for i, case in enumerate(rule.counter_examples)]


def _article(text: str) -> Article:
    return Article(id="example", source="example", text=text, paragraphs=(Paragraph(0, len(text), "body"),),
                   published=date(2024, 6, 3))


def _names(extraction, entity_id: str) -> set[str]:
    entity = extraction.entities.get(entity_id)
    if entity is None:
        return {fold(entity_id)}
    return {fold(entity.label)} | {fold(n) for n, _ in entity.names}


def gives(extraction, rule_id: str, wanted: dict) -> bool:
    """Whether the rule `rule_id` (or its implied facts) made the fact or event `wanted` in the extraction."""
    if "event" in wanted:
        for event in extraction.events:
            if event.rule != rule_id or event.type != wanted["event"]:
                continue
            if all(fold(wanted[role]) in set().union(*(_names(extraction, i) for i in getattr(event, f"{role}s")))
                   for role in ("agent", "target", "place") if role in wanted) and \
                    (not wanted.get("date") or (event.date or "").startswith(wanted["date"])):
                return True
        return False
    for fact in extraction.facts:
        if fact.rule.split(".implies")[0] != rule_id or fact.predicate != wanted["p"]:
            continue
        if fold(wanted["s"]) in _names(extraction, fact.subject) and \
                fold(wanted["o"]) in _names(extraction, fact.object):
            return True
    return False


@pytest.mark.parametrize("rule_id, case, expected", CASES)
def test_rule_examples(rule_id, case, expected):
    extraction = extract(_article(case["text"]), default_lexicon())
    assert gives(extraction, rule_id, case["gives"]) is expected, case["text"]


def test_a_trigger_condition_may_list_alternative_paths():
    # "sends guns and drugs" and "sends drugs and guns": one condition, met by either path
    rule = next(r for r in RULES if r.id == "syntax.involved.arms-and-drugs-sending")
    (alternatives,) = rule.trigger.with_paths
    assert [" / ".join(map(str, path)) for path in alternatives] == [
        "dobj[ammunition,arm,explosive,firearm,grenade,gun,munition,pistol,rifle,weapon] / "
        "conj[cannabis,cocaine,crack,drug,ecstasy,fentanyl,heroin,marijuana,meth,methamphetamine,narcotic,opium]",
        "dobj[cannabis,cocaine,crack,drug,ecstasy,fentanyl,heroin,marijuana,meth,methamphetamine,narcotic,opium] / "
        "conj[ammunition,arm,explosive,firearm,grenade,gun,munition,pistol,rifle,weapon]"]
    for text in ("Andrés Ruiz Pérez sends guns and drugs to Brazil.",
                 "Andrés Ruiz Pérez sends drugs and guns to Brazil."):
        assert gives(extract(_article(text), default_lexicon()), rule.id,
                     {"s": "Andrés Ruiz Pérez", "p": "involvedIn", "o": "arms trafficking"}), text


def test_a_frame_without_its_slot_is_one_clear_error():
    lexicon = default_lexicon()
    rule = {"id": "x.minister", "fact": "leaderOf", "trigger": {"lemma": ["minister"]},
            "args": {"subject": {"paths": ["^compound"], "classes": ["Person"]},
                     "object": {"paths": ["compound"], "classes": ["GovernmentBody"], "frames": ["Ministry"]}},
            "examples": [{"text": "a", "gives": {}}], "counter_examples": [{"text": "b", "gives": {}}]}
    with pytest.raises(InvalidLexicon, match=r"syntax/x.yaml: rule 1 \(x.minister\), object: frame 'Ministry'"):
        compile_syntax([("syntax/x.yaml", {"rules": [rule]})], {}, lexicon.ontology, lexicon.entities)


def test_a_step_may_name_a_grammar_list_and_an_unknown_list_is_one_clear_error():
    lexicon = default_lexicon()

    def rule(step: str) -> dict:
        return {"id": "x.members", "event": "Arrest", "trigger": {"lemma": ["arrest"]},
                "args": {"target": {"paths": [f"{step}/compound"], "classes": ["CriminalGroup"]}},
                "examples": [{"text": "a", "gives": {}}], "counter_examples": [{"text": "b", "gives": {}}]}

    grammar = {"member_plurals": ["leaders", "members"]}
    (compiled,) = compile_syntax([("syntax/x.yaml", {"rules": [rule("dobj[@member_plurals,bosses]")]})], grammar,
                                 lexicon.ontology, lexicon.entities)
    assert str(compiled.arguments["target"].paths[0][0]) == "dobj[bosses,leaders,members]"
    with pytest.raises(InvalidLexicon, match=r"syntax/x.yaml: rule 1 \(x.members\), target: 'dobj\[@member_plural\]' "
                                             r"names '@member_plural', which is no word list"):
        compile_syntax([("syntax/x.yaml", {"rules": [rule("dobj[@member_plural]")]})], grammar, lexicon.ontology,
                       lexicon.entities)
