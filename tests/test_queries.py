"""Every saved query parses, says what it answers, and gives the expected rows on the seed, row by row."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import article_text

from kg.paths import ontology_dir
from kg.query.results import format_result
from kg.query.run import (
    bind,
    page,
    parse_bindings,
    run_query,
    saved_queries,
    unused_bindings,
)

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
def test_every_saved_query_answers_the_seed_about_what_it_is_asked(seed_store, name):
    asked = {"name": "VRAEM", "from": "Shining Path", "to": "VRAEM"}
    got = rows(seed_store, name, **asked)
    assert got, f"{name} answers nothing on the seed"
    if set(unused_bindings(QUERIES[name].text, parse_bindings([f"{k}={v}" for k, v in asked.items()]))) < set(asked):
        assert all("VRAEM" in " ".join(map(str, row)) for row in got), got  # only rows about what it was asked


def test_actors_by_region_counts_articles_per_pair(seed_store):
    assert rows(seed_store, "actors-by-region") == [
        ("VRAEM", "Peruvian Armed Forces", "1", "2016-10-11", "2016-10-11"),
        ("VRAEM", "Peruvian Army", "1", "2016-10-11", "2016-10-11"),
        ("VRAEM", "Shining Path", "1", "2016-10-11", "2016-10-11")]


def test_actors_by_region_puts_the_most_reported_actor_first_with_its_first_and_latest_article(corpus_store):
    vraem = [r for r in rows(corpus_store, "actors-by-region") if r[0] == "VRAEM"]
    assert vraem[0] == ("VRAEM", "Shining Path", "2", "2016-10-11", "2023-11-16")
    assert [r[1] for r in vraem[1:]] == ["Peruvian Armed Forces", "Peruvian Army"]


def test_entity_by_alias(seed_store):
    got = {(r[0], r[2], r[3], r[4]) for r in rows(seed_store, "entity", name="Sendero Luminoso")}
    assert got == {("Shining Path", "operatesIn", "VRAEM", "out"),
                   ("Shining Path", "involvedIn", "drug trafficking", "out"),
                   ("Shining Path", "clashesWith", "Peruvian Armed Forces", "in"),
                   ("Shining Path", "target", "Arrest", "in")}


def test_entity_gives_one_row_per_fact_with_its_count_dates_and_newest_sentence(corpus_store):
    facts = [r for r in rows(corpus_store, "entity", name="Shining Path") if r[2:5] == ("operatesIn", "VRAEM", "out")]
    assert len(facts) == 1 and facts[0][7:] == ("2", "2016-10-11", "2023-11-16")
    stated = [r for r in rows(corpus_store, "who-operates-where", name="Shining Path") if r[1] == "VRAEM"]
    assert len(stated) >= 2  # every sentence is still there, in `who-operates-where` and `why`
    newest = max(stated, key=lambda r: r[4])
    assert facts[0][5:7] == (newest[2], newest[3])


def test_entity_names_the_classes_of_events_it_takes_part_in_with_their_sentence(seed_store):
    (arrest,) = [r for r in rows(seed_store, "entity", name="Shining Path") if r[2] == "target"]
    assert arrest[3:5] == ("Arrest", "in") and arrest[7:] == ("1", "2016-10-11", "2016-10-11")
    assert "the capture of several leaders of the Shining Path" in arrest[5]
    assert arrest[6] == "Peru Renews Military Operations in VRAEM Coca Hub"
    assert {r[3] for r in rows(seed_store, "entity", name="VRAEM") if r[2] == "place"} == {"StateOfEmergency",
                                                                                          "Deployment"}


def test_entity_gives_one_row_per_role_and_event_class_with_its_count_dates_and_newest_sentence(articles_store):
    store = articles_store({
        "older": article_text("On May 2, 2016, the National Police of Peru arrested Mario Huamán Torres in Ayacucho.",
                              headline="Arrest in Ayacucho", published=date(2016, 5, 3)),
        "newer": article_text("On June 9, 2023, the National Police of Peru arrested Luis Ramos Soto in Cusco.",
                              headline="Arrest in Cusco", published=date(2023, 6, 10)),
    })
    assert [r[1:3] for r in rows(store, "timeline")] == [("Arrest", "National Police of Peru")] * 2
    (arrests,) = [r for r in rows(store, "entity", name="National Police of Peru") if r[2] == "agent"]
    assert arrests[3:5] == ("Arrest", "in") and arrests[7:] == ("2", "2016-05-03", "2023-06-10")
    assert "Luis Ramos Soto" in arrests[5] and arrests[6] == "Arrest in Cusco"
    (summary,) = store.query("SELECT ?events WHERE { GRAPH <https://w3id.org/actorgraph/summaries> { ?s a "
                             "kg:EventRoleSummary ; kg:summaryPredicate kg:agent ; kg:eventCount ?events } }")
    assert summary["events"].value == "2"


def test_entity_name_ignores_case_and_accents(seed_store):
    assert rows(seed_store, "entity", name="MARIANO GONZALEZ") == rows(seed_store, "entity", name="Mariano González")
    assert {r[3] for r in rows(seed_store, "entity", name="mariano gonzalez")} == {"Defense Minister",
                                                                                  "Ministry of Defense of Peru"}


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


def _listed(store, text) -> list[tuple]:
    """Rows as text, the names an event's agents (targets, places) concatenate sorted: GROUP_CONCAT's order is
    the engine's, and follows the query's plan."""
    return [tuple("; ".join(sorted(v.value.split("; "))) if i in (2, 3, 4) else str(v) for i, v in enumerate(r))
            for r in run_query(store, text)]


def test_a_page_of_the_timeline_chosen_on_the_monthly_counts_is_that_slice_of_the_whole_listing(seeds_store):
    text = QUERIES["timeline"].text
    whole = _listed(seeds_store, text)
    assert len(whole) > 6 and whole[0][0] == '""' and whole[-1][0] != '""'  # undated and dated events
    for limit in (1, 2, 5, len(whole)):
        for offset in [*range(len(whole) + 2), 1000]:
            chosen = page(text, limit, offset, seeds_store)
            assert "VALUES ?cls" in chosen and ("VALUES ?d" in chosen or "FILTER(false)" in chosen)
            assert _listed(seeds_store, chosen) == whole[offset:offset + limit], (limit, offset)
    assert _listed(seeds_store, page(text, None, 3, seeds_store)) == whole[3:]


def test_positions(seed_store):
    assert rows(seed_store, "positions") == [
        ("Carlos Tubino", "vice president of the Congressional Defense Committee", "1", "2016-10-11"),
        ("Fernando Zavala", "Ministerial Council President", "1", "2016-10-11"),
        ("Mariano González", "Defense Minister", "1", "2016-10-11")]


def test_articles_mentioning(seed_store):
    assert rows(seed_store, "articles-mentioning", name="vraem") == [
        ("VRAEM", "2016-10-11", "Peru Renews Military Operations in VRAEM Coca Hub", "000_6bef111ac725a0fa")]
    assert rows(seed_store, "articles-mentioning", name="Bolivia") == []


def test_shared_regions(corpus_store):
    assert rows(corpus_store, "shared-regions") == [
        ("VRAEM", "3", "Shining Path (2); Peruvian Armed Forces (1); Peruvian Army (1)"),
        ("Catatumbo", "2", "FARC dissidents (1); National Liberation Army (1)")]


def test_a_region_with_one_actor_is_not_shared(corpus_store):
    assert "Sonora" not in {r[0] for r in rows(corpus_store, "shared-regions")}
    assert ("Sonora", "Sinaloa Cartel") in {r[:2] for r in rows(corpus_store, "actors-by-region")}


def test_events_by_month(corpus_store):
    got = rows(corpus_store, "events-by-month")
    assert ("2016-10", "StateOfEmergency", "1", "1") in got and ("2022-11", "StateOfEmergency", "2", "1") in got
    assert ("1999", "Attack", "1", "1") in got  # dated to the year only ("in 1999 paramilitaries ... massacred")
    assert not any(kind == "Agreement" for _, kind, *_ in got)  # "who had signed the 2016 peace agreement": no party
    assert [r[:2] for r in got] == sorted(r[:2] for r in got)


def test_regions_by_country(seed_store):
    got = rows(seed_store, "regions-by-country")
    assert ("Peru", "VRAEM", "GeographicArea") in got and ("Peru", "Alto Huallaga", "GeographicArea") in got
    assert ("Peru", "Ayacucho", "AdministrativeArea") in got
    assert {country for country, *_ in got} == {"Peru"}


def test_facts_by_rule(seed_store):
    got = {r[0]: r[1:] for r in rows(seed_store, "facts-by-rule")}
    assert got["gazetteer.locatedIn"][:3] == ("16", "0", "1")  # the gazetteer's facts come from no article
    assert got["gazetteer.locatedIn"][3] is None
    assert got["cites.reported-by"][:3] == ("2", "1", "0.7")
    assert got["operates.stronghold-of"][:3] == ("1", "1", "0.7")
    assert "stronghold of the guerrilla group" in got["operates.stronghold-of"][3]
    facts = [int(r[1]) for r in rows(seed_store, "facts-by-rule")]
    assert facts == sorted(facts, reverse=True)


def test_facts_by_rule_counts_articles(corpus_store):
    got = {r[0]: r[1:3] for r in rows(corpus_store, "facts-by-rule")}
    assert got["cites.reported-by"] == ("8", "5") and got["syntax.arrest.verb"] == ("5", "2")


def test_why(seed_store):
    found = rows(seed_store, "why", **{"from": "Sendero Luminoso", "to": "VRAEM"})
    # one sentence, read by a surface rule and by a rule over its parse
    assert sorted((r[0], r[4]) for r in found) == [("operatesIn", "operates.stronghold-of"),
                                                   ("operatesIn", "syntax.operates.noun")]
    assert len({r[1] for r in found}) == 1 and all("guerrilla group" in r[6] for r in found)


def test_schema_lists_the_ontology(seed_store):
    terms = {r[0] for r in rows(seed_store, "schema")}
    assert {"https://w3id.org/actorgraph/ontology#operatesIn",
            "https://w3id.org/actorgraph/ontology#Assertion"} <= terms


def test_formats(seed_store):
    def result():
        return run_query(seed_store, QUERIES["positions"].text)

    assert format_result(result(), "csv").splitlines()[0] == "person,position,articles,latest"
    assert format_result(result(), "tsv").splitlines()[0] == "?person\t?position\t?articles\t?latest"
    assert '"bindings"' in format_result(result(), "json")
    table = format_result(result(), "table").splitlines()
    assert table[0].split() == ["person", "position", "articles", "latest"] and table[-1] == "(3 rows)"


def test_bind_adds_only_the_variables_the_query_uses():
    bindings = parse_bindings(["name=Sendero Luminoso", "region=VRAEM"])
    query = "SELECT ?e WHERE { ?e kg:nameKey ?nameKey }"
    assert bind(query, bindings) == ('SELECT ?e WHERE { VALUES (?nameKey) { ("sendero luminoso") }  '
                                     '?e kg:nameKey ?nameKey }')
    assert bind("SELECT ?e WHERE { ?e a kg:Country }", bindings) == "SELECT ?e WHERE { ?e a kg:Country }"
    assert unused_bindings(query, bindings) == ["region"]


def test_shared_regions_rank_each_regions_actors_by_their_articles(articles_store):
    store = articles_store({
        "a": article_text("The Shining Path operates in the VRAEM. The Peruvian Army operates in the VRAEM."),
        "b": article_text("The Shining Path operates in the VRAEM, officials in Lima said."),
        "c": article_text("The ELN operates in Catatumbo, near the border with Venezuela."),
    })
    assert rows(store, "shared-regions") == [("VRAEM", "2", "Shining Path (2); Peruvian Army (1)")]
    got = {r[0]: r[1:3] for r in rows(store, "facts-by-rule")}
    assert got["operates.controls"] == ("4", "3")  # four statements, in three articles
