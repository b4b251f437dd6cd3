"""The curated data: it loads fast enough, every label maps to the ontology, bad entries are named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import InvalidLexicon
from kg.knowledge.lexicon import load_lexicon
from kg.paths import ontology_dir
from kg.vocab import KG


def test_every_gazetteer_entry_is_loaded_as_written(lexicon):
    """No entry is dropped or changed on the way in: each one's id, label, type and file, as curated."""
    import yaml

    files = sorted((ontology_dir() / "gazetteer").glob("*.yaml"))
    assert files
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in data["entities"]:
            entity = lexicon.entities.get(entry["id"])
            assert entity is not None, f"{path.name}: {entry['id']} is not loaded"
            assert (entity.label, entity.type, entity.source) == \
                (entry["label"], entry["type"], f"gazetteer/{path.name}#{entry['id']}")


def test_every_emitted_class_and_predicate_is_declared(seed_store, lexicon):
    used_classes = {q.object.value for q in seed_store.quads()
                    if q.predicate.value.endswith("#type") and q.object.value.startswith(KG)}
    used_predicates = {q.predicate.value for q in seed_store.quads() if q.predicate.value.startswith(KG)}
    assert {c[len(KG):] for c in used_classes} <= lexicon.ontology.classes
    assert {p[len(KG):] for p in used_predicates} <= lexicon.ontology.properties


def test_a_countrys_body_goes_by_its_generic_words_after_each_demonym(lexicon):
    # the gazetteer writes "Salvadoran police"; "Salvadorean police" comes from demonyms.yaml
    assert {"Salvadoran police", "Salvadorean police"} <= {name for name, _ in lexicon.entities["sv-police"].names}
    assert ("Salvadorean national civil police", "en") in lexicon.entities["sv-police"].names
    assert not [n for n, _ in lexicon.entities["sv-police"].names if n.startswith("Honduran")]


def test_ontology_declares_the_contract_terms(lexicon):
    ontology = lexicon.ontology
    for cls in ("Actor", "Person", "Organization", "CriminalGroup", "GovernmentBody", "SecurityForce", "MediaOutlet",
                "Region", "Country", "AdministrativeArea", "GeographicArea", "Event", "StateOfEmergency", "Arrest",
                "Attack", "Seizure", "Deployment", "Extradition", "Killing", "Agreement", "CriminalEconomy",
                "Assertion"):
        assert cls in ontology.classes
    for prop in ("operatesIn", "locatedIn", "memberOf", "leaderOf", "holdsPosition", "involvedIn", "clashesWith",
                 "allyOf", "arrested", "deployedTo", "agent", "place", "date"):
        assert prop in ontology.properties
    triples = list(ox.parse(ontology.turtle, format=ox.RdfFormat.TURTLE))
    kinds = {(t.subject.value[len(KG):], t.object.value.rsplit("#", 1)[-1]) for t in triples
             if t.predicate.value.endswith("#type")}
    assert ("clashesWith", "SymmetricProperty") in kinds and ("allyOf", "SymmetricProperty") in kinds
    assert ("locatedIn", "TransitiveProperty") in kinds
    described = {t.subject.value for t in triples if t.predicate.value.endswith("#comment")}
    assert all(KG + p in described for p in ontology.properties | ontology.classes)


def test_peru_first_level_regions_are_there(lexicon):
    regions = [e for e in lexicon.entities.values() if e.located_in == ("peru",) and e.type == "AdministrativeArea"]
    assert len([e for e in regions if e.iso and e.iso.startswith("PE-")]) >= 25


def test_seed_actors_have_spanish_names(lexicon):
    assert ("Sendero Luminoso", "es") in lexicon.entities["shining-path"].names


@pytest.fixture
def broken_copy(tmp_path):
    root = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), root)
    return root


@pytest.mark.parametrize("entry, message", [
    ("- {id: Bad Id, label: X, type: CriminalGroup}", "entry 1 (Bad Id): id: must be a lowercase slug"),
    ("- {id: x-group, label: X, type: Cartel}", "entry 1 (x-group): type 'Cartel' is not"),
    ("- {id: x-group, label: X, type: CriminalGroup, home: [atlantis]}", "refers to 'atlantis'"),
    ("- {id: x-group, type: CriminalGroup}", "entry 1 (x-group): missing 'label'"),
    ("- {id: x-group, label: X, type: CriminalGroup, colour: red}", "entry 1 (x-group): unknown field 'colour'"),
    ("- {id: shining-path, label: X, type: CriminalGroup}", "id 'shining-path' is also used by"),
])
def test_bad_gazetteer_entries_are_named(broken_copy, entry, message):
    (broken_copy / "gazetteer" / "zz-test.yaml").write_text(f"source: test\nentities:\n{entry}\n", encoding="utf-8")
    with pytest.raises(InvalidLexicon, match="zz-test.yaml") as error:
        load_lexicon(broken_copy)
    assert message in str(error.value)


def test_a_file_without_source_is_refused(broken_copy):
    (broken_copy / "gazetteer" / "zz-test.yaml").write_text("entities: []\n", encoding="utf-8")
    with pytest.raises(InvalidLexicon, match="zz-test.yaml: says nowhere where its facts come from"):
        load_lexicon(broken_copy)


@pytest.mark.parametrize("file, rule, message", [
    ("relations.yaml", "{id: bad.one, predicate: operatesIn, pattern: '{s:Actor} in {o:Planet}'}",
     r"pattern \d+ \(bad.one\): unknown class 'Planet'"),
    # an agent the shapes would refuse would keep every article it is found in out of the store
    ("events.yaml",
     "{id: bad.agent, type: Attack, trigger: raided, agent: {side: before, types: [AdministrativeArea]}}",
     r"\(bad.agent\): agent type 'AdministrativeArea' is no Actor"),
    ("events.yaml",
     "{id: bad.place, type: Attack, trigger: raided, place: {side: after, types: [Region], after_words: in}}",
     r"event \d+ \(bad.place\): place.after_words: Input should be a valid list, not 'in'"),
])
def test_bad_pattern_is_named(broken_copy, file, rule, message):
    path = broken_copy / "patterns" / file
    path.write_text(path.read_text(encoding="utf-8") + f"  - {rule}\n", encoding="utf-8")
    with pytest.raises(InvalidLexicon, match=message):
        load_lexicon(broken_copy)


def test_only_a_fact_rule_may_trigger_on_a_part_of_speech_alone(broken_copy):
    # an event needs a trigger word for the parse gate; a fact between two names does not
    rule = ("rules:\n  - {id: zz.any, %s, trigger: {pos: [PROPN]}, args: {%s}, examples: [{text: x, gives: {}}], "
            "counter_examples: [{text: y, gives: {}}]}\n")
    path = broken_copy / "patterns" / "syntax" / "zz-test.yaml"
    path.write_text("source: test\n" + rule % ("fact: locatedIn", "subject: {paths: ['.'], classes: [Region]}, "
                                                "object: {paths: [appos], classes: [Region]}"), encoding="utf-8")
    assert load_lexicon(broken_copy).syntax.rules[-1].trigger.lemmas == frozenset()
    path.write_text("source: test\n" + rule % ("event: Attack", "place: {paths: [appos], classes: [Region]}"),
                    encoding="utf-8")
    with pytest.raises(InvalidLexicon, match=r"zz-test.yaml: rule 1 \(zz.any\): the trigger needs 'lemma'"):
        load_lexicon(broken_copy)


def test_adding_an_alias_needs_no_code(broken_copy, tmp_path):
    from kg.extract.article import extract
    from kg.read.text import read_text

    (broken_copy / "gazetteer" / "zz-test.yaml").write_text(
        "source: test\nentities:\n- {id: los-testigos, label: Los Testigos, type: CriminalGroup, kind: gang, "
        "names: {es: [Banda de los Testigos]}}\n", encoding="utf-8")
    lexicon = load_lexicon(broken_copy)
    article = read_text("Headline\n\nThe Banda de los Testigos controls the port of Guayaquil.\n", "t", "t",
                        lexicon.layout, lexicon.dates)
    facts = {(f.subject, f.predicate, f.object) for f in extract(article, lexicon).facts}
    assert ("los-testigos", "operatesIn", "ec-guayaquil") in facts


def test_missing_ontology_folder(tmp_path):
    with pytest.raises(InvalidLexicon, match="no kg.ttl here"):
        load_lexicon(Path(tmp_path))


@pytest.mark.parametrize("extra, message", [
    ("  XX: [Martian]\n", "'XX' is no ISO code of a gazetteer country"),
    ("  ZA: [Peruvian]\n", "'Peruvian' is given to PE and ZA"),
])
def test_a_bad_demonym_is_named(broken_copy, extra, message):
    path = broken_copy / "patterns" / "demonyms.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    with pytest.raises(InvalidLexicon, match=message):
        load_lexicon(broken_copy)
