"""Every saved query parses, says what it answers, and gives the expected rows on the seed, row by row."""

from __future__ import annotations

import pytest

from kg.paths import ontology_dir
from kg.query import format_result, parse_bindings, run_query, saved_queries

QUERIES = saved_queries(ontology_dir())


def rows(store, query_name, **bind):
    result = run_query(store, QUERIES[query_name].text, parse_bindings([f"{k}={v}" for k, v in bind.items()]))
    names = [v.value for v in result.variables]
    return [tuple((s[n].value if s[n] is not None else None) for n in names) for s in result]


def test_there_are_at_least_eight_saved_queries_each_explained():
    assert len(QUERIES) >= 8
    for query in QUERIES.values():
        assert len(query.description) > 20, query.name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_saved_query_runs(seed_store, name):
    run_query(seed_store, QUERIES[name].text, parse_bindings(["name=VRAEM", "from=Shining Path", "to=VRAEM"]))


def test_actors_by_region(seed_store):
    got = [(actor, region) for actor, region, *_ in rows(seed_store, "actors-by-region")]
    assert got == [("Peruvian Armed Forces", "VRAEM"), ("Peruvian Army", "VRAEM"), ("Shining Path", "VRAEM")]
    evidence = rows(seed_store, "actors-by-region")[2]
    assert "stronghold of the guerrilla group" in evidence[2]
    assert evidence[3:] == ("Peru Renews Military Operations in VRAEM Coca Hub", "2016-10-11")


def test_entity_by_alias(seed_store):
    got = {(r[0], r[2], r[3], r[4]) for r in rows(seed_store, "entity", name="Sendero Luminoso")}
    assert got == {("Shining Path", "operatesIn", "VRAEM", "out"),
                   ("Shining Path", "involvedIn", "drug trafficking", "out"),
                   ("Shining Path", "clashesWith", "Peruvian Armed Forces", "in")}


def test_entity_name_ignores_case_and_accents(seed_store):
    assert rows(seed_store, "entity", name="MARIANO GONZALEZ") == rows(seed_store, "entity", name="Mariano González")
    assert {r[3] for r in rows(seed_store, "entity", name="mariano gonzalez")} == {"Defense Minister"}


def test_entity_shows_what_the_gazetteer_states(seed_store):
    got = {(r[2], r[3], r[5], r[6]) for r in rows(seed_store, "entity", name="VRAEM") if r[4] == "out"}
    assert ("locatedIn", "Peru", None, "gazetteer: gazetteer/areas.yaml#vraem") in got


def test_who_operates_where_from_either_end(seed_store):
    assert [r[:2] for r in rows(seed_store, "who-operates-where", name="vraem")] == [
        ("Peruvian Armed Forces", "VRAEM"), ("Peruvian Army", "VRAEM"), ("Shining Path", "VRAEM")]
    (row,) = rows(seed_store, "who-operates-where", name="Sendero Luminoso")
    assert row[:2] == ("Shining Path", "VRAEM") and "stronghold of the guerrilla group" in row[2]
    assert row[3:] == ("Peru Renews Military Operations in VRAEM Coca Hub", "2016-10-11")


def test_timeline(seed_store):
    got = [r[:5] for r in rows(seed_store, "timeline")]
    assert got == [("", "Deployment", "Peruvian Armed Forces", "", "VRAEM"),
                   ("2015", "Arrest", "", "Shining Path", ""),
                   ("2016-10-05", "StateOfEmergency", "Fernando Zavala", "", "VRAEM")]


def test_positions(seed_store):
    assert [r[:2] for r in rows(seed_store, "positions")] == [
        ("Carlos Tubino", "vice president of the Congressional Defense Committee"),
        ("Fernando Zavala", "Ministerial Council President"),
        ("Mariano González", "Defense Minister")]


def test_articles_mentioning(seed_store):
    assert rows(seed_store, "articles-mentioning", name="vraem") == [
        ("VRAEM", "2016-10-11", "Peru Renews Military Operations in VRAEM Coca Hub", "000_6bef111ac725a0fa")]
    assert rows(seed_store, "articles-mentioning", name="Bolivia") == []


def test_shared_regions(seed_store):
    assert rows(seed_store, "shared-regions") == [
        ("VRAEM", "Peruvian Armed Forces", "Peruvian Army", "1"),
        ("VRAEM", "Peruvian Armed Forces", "Shining Path", "1"),
        ("VRAEM", "Peruvian Army", "Shining Path", "1")]


def test_regions_by_country(seed_store):
    got = rows(seed_store, "regions-by-country")
    assert ("Peru", "VRAEM", "GeographicArea") in got and ("Peru", "Alto Huallaga", "GeographicArea") in got
    assert ("Peru", "Ayacucho", "AdministrativeArea") in got
    assert {country for country, *_ in got} == {"Peru"}


def test_facts_by_rule(seed_store):
    got = {r[0]: int(r[1]) for r in rows(seed_store, "facts-by-rule")}
    assert got["gazetteer.locatedIn"] == 16
    assert got["operates.stronghold-of"] == 1 and got["cites.reported-by"] == 2


def test_why(seed_store):
    (row,) = rows(seed_store, "why", **{"from": "Sendero Luminoso", "to": "VRAEM"})
    assert row[0] == "operatesIn" and row[4] == "operates.stronghold-of"
    assert "guerrilla group" in row[6]


def test_schema_lists_the_ontology(seed_store):
    terms = {r[0] for r in rows(seed_store, "schema")}
    assert {"https://w3id.org/actorgraph/ontology#operatesIn", "https://w3id.org/actorgraph/ontology#Assertion"} <= terms


def test_formats(seed_store):
    result = lambda: run_query(seed_store, QUERIES["positions"].text)  # noqa: E731
    assert format_result(result(), "csv").splitlines()[0] == "person,position,sentence,article"
    assert format_result(result(), "tsv").splitlines()[0] == "?person\t?position\t?sentence\t?article"
    assert '"bindings"' in format_result(result(), "json")
    table = format_result(result(), "table").splitlines()
    assert table[0].split() == ["person", "position", "sentence", "article"] and table[-1] == "(3 rows)"
