"""Curated files are strict: each broken copy of a curated YAML file stops the load with one InvalidLexicon line
naming the file, the entry and the field, never a KeyError, and never a rule that loads and then fails on every
article."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from kg.cli.commands import cli
from kg.errors import InvalidLexicon
from kg.knowledge.lexicon import load_lexicon
from kg.knowledge.schemas import schema_for
from kg.paths import ontology_dir


@pytest.fixture
def broken_copy(tmp_path):
    root = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), root)
    return root


def _edit(root, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _append(root, relative: str, text: str) -> None:
    path = root / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _refused(root) -> str:
    with pytest.raises(InvalidLexicon) as error:
        load_lexicon(root)
    message = str(error.value)
    assert "\n" not in message
    return message


def test_every_curated_yaml_file_has_a_schema():
    files = sorted(str(p.relative_to(ontology_dir())) for p in ontology_dir().rglob("*.yaml"))
    assert len(files) >= 12
    assert [f for f in files if schema_for(f) is None] == []


_EVENT = "  - {id: test.raid, type: Attack, trigger: raided, agent: {side: before, types: [CriminalGroup]}"


@pytest.mark.parametrize("relative, old, new, message", [
    # a date word list written as a string was read letter by letter: "m", "a", "y" were months
    ("patterns/dates.yaml", "5: [May, mayo]", "5: May", "patterns/dates.yaml: months.5: Input should be a valid list"),
    ("patterns/dates.yaml", "  12: [December, Dec, diciembre]\n", "", "months lacks 12"),
    ("patterns/dates.yaml", "future_tolerance_days: 31", "future_tolerance_days: a month",
     "future_tolerance_days: Input should be a valid integer, not 'a month'"),
    ("patterns/cues.yaml", 'exact_case: ["may"]', 'exact_case: "may"', "exact_case: Input should be a valid list"),
    # a byline without its groups failed with IndexError on every article the reader saw
    ("reader.yaml", "(?: BY (?P<author>.+?))?", "(?: BY .+?)?", "reader.yaml: byline: needs the named groups"),
    ("reader.yaml", "teaser_line: '^", "teaser_line: '^(", "reader.yaml: teaser_line: does not compile"),
    ("reader.yaml", "max_bytes: 10000000", "max_bytes: ten million", "max_bytes: Input should be a valid integer"),
    ("patterns/people.yaml", "\ntitles:", "\ntitle:", "patterns/people.yaml: missing 'titles'"),
    ("patterns/given-names.yaml", "single_name_titles: [Comrade, Camarada, Comandante, Commander]",
     "single_name_titles: Comrade", "single_name_titles: Input should be a valid list"),
    # YAML 1.1 reads the key NO (Norway) as false
    ("patterns/demonyms.yaml", "  PE: [Peruvian]", "  NO: [Norwegian]\n  PE: [Peruvian]",
     "patterns/demonyms.yaml: demonyms.0.[key]: Input should be a valid string, not False"),
    ("patterns/anaphora.yaml", "max_sentences: 4\n", "max_sentences: four\n",
     "patterns/anaphora.yaml: max_sentences: Input should be a valid integer"),
    ("patterns/anaphora.yaml", "kinds: [paramilitary]", "kinds: [paramilitaries]",
     "rule 5 (anaphor.paramilitary): kind 'paramilitaries' is not one of"),
    ("patterns/names.yaml", "source:", "sauce:", "patterns/names.yaml: says nowhere where its facts come from"),
    ("gazetteer/people.yaml", "entities:", "entities: none\nthings:", "gazetteer/people.yaml: entities: Input should "
                                                                       "be a valid list"),
    ("curation.yaml", "    names: {es: [Sendero]}", "    names: {es: Sendero}",
     "curation.yaml: decision 1 (sendero-short-name): names.es: Input should be a valid list"),
    ("curation.yaml", "    entity: shining-path\n", "    entity: shining-path\n    into: peru\n",
     "decision 1 (sendero-short-name): a alias decision takes no 'into'"),
])
def test_a_broken_curated_file_is_named(broken_copy, relative, old, new, message):
    _edit(broken_copy, relative, old, new)
    assert message in _refused(broken_copy)


@pytest.mark.parametrize("relative, entry, message", [
    # an event rule naming a role it does not define: `require` made it a dead rule, `carry_over` raised
    # AttributeError on every article with a match
    ("patterns/events.yaml", _EVENT + ", require: [victim]}", r"event \d+ \(test.raid\): require.1: Input should be "
                                                              r"'agent', 'target' or 'place'"),
    ("patterns/events.yaml", _EVENT + ", carry_over: [target]}",
     r"\(test.raid\): carry_over names the role 'target', which this rule does not define"),
    ("patterns/events.yaml", _EVENT + ", victim: {side: after}}", r"\(test.raid\): unknown field 'victim'"),
    ("patterns/events.yaml", _EVENT + ", implies: [{predicate: clashesWith, subject: agent}]}",
     r"\(test.raid\): missing 'implies.1.object'"),
    ("patterns/events.yaml", _EVENT + ", agent: {side: left}}", r"\(test.raid\): agent.side: Input should be "
                                                               r"'before' or 'after'"),
    ("patterns/events.yaml", "  - {id: test.raid, type: Attack, trigger: 'raided (by'}",
     r"\(test.raid\): trigger: does not compile: missing \)"),
    ("patterns/events.yaml", _EVENT + ", confidence: high}", r"\(test.raid\): confidence: Input should be a valid "
                                                             r"number, not 'high'"),
    ("patterns/events.yaml", _EVENT + "}\n" + _EVENT + "}", r"event \d+ \(test.raid\): id used twice \(also event"),
    ("patterns/relations.yaml", "  - {id: test.no-predicate, pattern: '{s:Actor} in {o:Region}'}",
     r"patterns/relations.yaml: pattern \d+ \(test.no-predicate\): missing 'predicate'"),
    ("patterns/relations.yaml",
     "  - {id: test.typo, predicate: citesOutlet, subject: articel, pattern: 'said {o:Actor}'}",
     r"\(test.typo\): subject: Input should be 'article'"),
    ("patterns/relations.yaml",
     "  - {id: test.bad-regex, predicate: operatesIn, pattern: '{s:Actor} (in {o:Region}'}",
     r"pattern \d+ \(test.bad-regex\): missing \)"),
    ("patterns/names.yaml",
     "  - {id: test.bad, type: CriminalGroup, pattern: '{NAME} Gang', label: x, requires: '(gang'}",
     r"rule \d+ \(test.bad\): requires: does not compile"),
    ("patterns/anaphora.yaml", "  - {id: test.empty, words: [], types: [Person]}",
     r"rule \d+ \(test.empty\): words: List should have at least 1 item"),
    ("curation.yaml", "  - {id: merge-half, action: merge, from: los-mayos, reason: r}",
     r"decision 2 \(merge-half\): a merge decision needs 'into'"),
])
def test_a_broken_rule_is_named(broken_copy, relative, entry, message):
    _append(broken_copy, relative, entry + "\n")
    with pytest.raises(InvalidLexicon, match=message):
        load_lexicon(broken_copy)


def test_a_gazetteer_entry_of_the_wrong_shape_is_named(broken_copy):
    (broken_copy / "gazetteer" / "zz-test.yaml").write_text(
        "source: test\nentities:\n- {id: x-group, label: X, type: CriminalGroup, names: {es: Los X}}\n",
        encoding="utf-8")
    assert "gazetteer/zz-test.yaml: entry 1 (x-group): names.es: Input should be a valid list" in _refused(broken_copy)


def test_a_number_is_a_good_identifier(broken_copy):
    (broken_copy / "gazetteer" / "zz-test.yaml").write_text(
        "source: test\nentities:\n- {id: x-town, label: X, type: AdministrativeArea, locatedIn: peru, "
        "geonames: 3932488}\n", encoding="utf-8")
    entity = load_lexicon(broken_copy).entities["x-town"]
    assert entity.geonames == "3932488" and entity.located_in == ("peru",)


@pytest.mark.parametrize("content, message", [
    ("source: test\nmonths: [\xe9]\n".encode("latin-1"), "patterns/dates.yaml: cannot read: 'utf-8' codec"),
    (b"source: test\nmonths: [January\n", "patterns/dates.yaml: cannot read: while parsing"),
    (b"", "patterns/dates.yaml: expected a mapping of fields, found NoneType"),
    (b"- January\n", "patterns/dates.yaml: expected a mapping of fields, found list"),
])
def test_an_unreadable_file_is_named(broken_copy, content, message):
    (broken_copy / "patterns" / "dates.yaml").write_bytes(content)
    assert message in _refused(broken_copy)


def test_the_cli_says_it_in_one_line(broken_copy, monkeypatch, tmp_path):
    _edit(broken_copy, "patterns/dates.yaml", "5: [May, mayo]", "5: May")
    article = tmp_path / "a.txt"
    article.write_text("Headline\n\nThe Gulf Clan controls the port of Turbo.\n", encoding="utf-8")
    monkeypatch.setenv("KG_ONTOLOGY", str(broken_copy))
    result = CliRunner().invoke(cli, ["extract", str(article)])
    assert result.exit_code == 2
    assert result.output == "Error: patterns/dates.yaml: months.5: Input should be a valid list, not 'May'\n"
