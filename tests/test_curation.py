"""Curators' decisions (ontology/curation.yaml) apply at every build and are recorded in the graph."""

from __future__ import annotations

import shutil

import pytest
from conftest import SEED

from kg.errors import InvalidLexicon
from kg.extract.article import extract
from kg.knowledge.lexicon import load_lexicon
from kg.paths import ontology_dir
from kg.pipeline.builder import build
from kg.read.text import read_text
from kg.store.embedded import Store

TEXT = ("Cartel news\n\nThe Tren del Sur gang controls the city of Ciudad Juárez. "
        "Police arrested Mario Pérez Luna, alias \"El Topo,\" in Chihuahua.\n")


def _lexicon(tmp_path, decisions: str):
    root = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), root)
    (root / "curation.yaml").write_text(f"source: test\ndecisions:\n{decisions}", encoding="utf-8")
    return load_lexicon(root)


def _extract(lexicon, text=TEXT):
    return extract(read_text(text, "t", "t", lexicon.layout, lexicon.dates), lexicon)


def test_reject_keeps_the_assertion_but_not_the_triple(tmp_path):
    lexicon = _lexicon(tmp_path, """
  - {id: not-now, action: reject, reason: test, by: tester, date: 2026-11-26,
     fact: {subject: shining-path, predicate: operatesIn, object: vraem}}
""")
    store = Store(None)
    build([SEED], store, lexicon)
    ask = "ASK { kgr:shining-path kg:operatesIn kgr:vraem }"
    assert not bool(store.query(ask))
    rows = list(store.query("SELECT ?a ?why WHERE { ?a kg:rejectedBy ?d ; rdf:subject kgr:shining-path . "
                            "?d rdfs:comment ?why ; kg:action 'reject' }"))
    assert rows and rows[0]["why"].value == "test"


def test_a_rejected_fact_is_no_edge_and_only_why_shows_it(tmp_path):
    from kg.network.model import load_network
    from kg.query.run import parse_bindings, run_query, saved_queries

    lexicon = _lexicon(tmp_path, """
  - {id: not-now, action: reject, reason: test, fact: {subject: shining-path, predicate: operatesIn, object: vraem}}
""")
    store = Store(None)
    build([SEED], store, lexicon)
    queries = saved_queries(ontology_dir())

    def rows(name, *bind):
        result = run_query(store, queries[name].text, parse_bindings(list(bind)))
        return [{v.value: s[v.value].value for v in result.variables if s[v.value] is not None} for s in result]

    graph = load_network(store)
    assert not graph.has_edge("https://w3id.org/actorgraph/id/shining-path", "https://w3id.org/actorgraph/id/vraem")
    assert graph.has_edge("https://w3id.org/actorgraph/id/pe-army", "https://w3id.org/actorgraph/id/vraem")
    assert [r["actor"] for r in rows("who-operates-where", "name=VRAEM")] == ["Peruvian Armed Forces", "Peruvian Army"]
    assert [r["actor"] for r in rows("actors-by-region")] == ["Peruvian Armed Forces", "Peruvian Army"]
    assert "operatesIn" not in {r["predicate"] for r in rows("entity", "name=Shining Path")}
    found = rows("why", "from=Shining Path", "to=VRAEM")  # one sentence, read by two rules
    assert len(found) == 2 and all(w["rejectedBy"] == "not-now" and "stronghold" in w["sentence"] for w in found)


def test_alias_of_a_curated_entity_is_matched(tmp_path):
    lexicon = _lexicon(tmp_path, """
  - {id: azteca, action: alias, entity: barrio-azteca, names: {es: [Los Aztecas de Juárez]}, reason: test}
""")
    assert ("Los Aztecas de Juárez", "es") in lexicon.entities["barrio-azteca"].names


def test_merge_and_type_of_found_entities(tmp_path):
    lexicon = _lexicon(tmp_path, """
  - {id: same-man, action: merge, from: mario-perez-luna, into: carlos-tubino, reason: test}
  - {id: retype, action: type, entity: tren-del-sur, type: Organization, reason: test}
""")
    extraction = _extract(lexicon)
    assert extraction.entities["tren-del-sur"].type == "Organization"
    assert "mario-perez-luna" not in extraction.entities
    merged = extraction.entities["carlos-tubino"]
    assert merged.label == "Carlos Tubino" and ("Mario Pérez Luna", "") in merged.names
    assert ("El Topo", "") in merged.names
    assert any(m.entity == "carlos-tubino" and m.text.startswith("Mario") for m in extraction.mentions)
    facts = {(f.subject, f.predicate, f.object) for f in extraction.facts}
    assert ("tren-del-sur", "operatesIn", "mx-ciudad-juarez") in facts


def test_decisions_are_in_the_graph(tmp_path):
    lexicon = _lexicon(tmp_path, """
  - {id: azteca, action: alias, entity: barrio-azteca, names: {es: [Aztecas]}, reason: They say so., by: ana}
""")
    store = Store(None)
    build([SEED], store, lexicon)
    (row,) = list(store.query("SELECT ?d ?e ?by WHERE { GRAPH <https://w3id.org/actorgraph/curation> "
                              "{ ?d a kg:CurationDecision ; kg:about ?e ; dcterms:creator ?by } }"))
    assert row["e"].value.endswith("/barrio-azteca") and row["by"].value == "ana"


@pytest.mark.parametrize("entry, message", [
    ("- {id: x, action: delete, reason: r}", "action: Input should be 'reject', 'merge', 'alias' or 'type'"),
    ("- {id: x, action: reject, reason: r, fact: {subject: a}}", "missing 'fact.predicate'"),
    ("- {id: x, action: type, entity: a, type: Cartel, reason: r}", "type 'Cartel' is not a class"),
    ("- {id: x, action: alias, entity: a, names: {es: [b]}}", "missing 'reason'"),
])
def test_bad_decisions_are_named(tmp_path, entry, message):
    with pytest.raises(InvalidLexicon, match=f"curation.yaml: decision 1 .*{message}"):
        _lexicon(tmp_path, entry + "\n")
