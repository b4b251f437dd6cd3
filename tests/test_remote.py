"""The store behind real SPARQL servers: build into them, query them, and get the embedded store's answers."""

from __future__ import annotations

import pytest
from conftest import SEED, SEED_IDS, SEEDS
from servers import oxigraph_server, virtuoso_server

from kg.export.rdf import export_rdf
from kg.network.find import find_entity_in_store
from kg.network.model import load_network
from kg.network.selection import select_nodes
from kg.paths import ontology_dir
from kg.pipeline.builder import build
from kg.query.run import run_query, saved_queries
from kg.store.embedded import Store
from kg.store.remote import RemoteStore
from kg.store.sync import copy_store

QUERIES = saved_queries(ontology_dir())
pytestmark = pytest.mark.slow  # starts real Oxigraph and Virtuoso servers
BIND = ["name=Sendero Luminoso", "from=Shining Path", "to=VRAEM"]


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def remote(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "oxigraph":
        with oxigraph_server(folder) as url:
            yield RemoteStore(url)
    else:
        with virtuoso_server(folder) as (url, update_url):
            yield RemoteStore(url, update_url=update_url)


def _rows(store, name):
    from kg.query.run import parse_bindings

    result = run_query(store, QUERIES[name].text, parse_bindings(BIND))
    names = [v.value for v in result.variables]
    # GROUP_CONCAT's order is left to each engine by the standard: compare its parts as sets
    def cell(term):
        return None if term is None else "; ".join(sorted(str(term.value).split("; ")))

    return sorted(tuple(cell(s[n]) for n in names) for s in result)


def test_build_twice_then_same_answers_as_embedded(remote, seeds_store, lexicon):
    first = build([SEEDS], remote, lexicon)
    assert first.built == SEED_IDS and not first.errors
    again = build([SEEDS], remote, lexicon)
    assert again.unchanged == SEED_IDS
    for name in QUERIES:
        if name == "schema":
            continue
        columns = 4 if name == "facts-by-rule" else None  # the example sentence is engine-specific
        assert [r[:columns] for r in _rows(remote, name)] == [r[:columns] for r in _rows(seeds_store, name)], name


@pytest.mark.parametrize("focus,depth", [(None, 1), ("Peru", 1), ("ELN", 2)])
def test_a_capped_view_chooses_and_reads_the_same_as_embedded(remote, seeds_store, lexicon, focus, depth,
                                                              monkeypatch):
    import kg.network.model

    build([SEEDS], remote, lexicon)
    monkeypatch.setattr(kg.network.model, "_MENTIONS_READ", 2)  # most nodes' articles found walking the newest
    drawn = []
    for store in (remote, seeds_store):
        centre = find_entity_in_store(store, focus) if focus else None
        selection = select_nodes(store, 8, centre, depth, max_links=10)
        for newest in (0, 1):
            graph = load_network(store, selection=selection, newest_sources=newest, newest_articles=2 * newest)
            edges = sorted((s, o, k, d["evidence"], d["sources"], d["dates"])
                           for s, o, k, d in graph.edges(keys=True, data=True))
            nodes = sorted((n, list(d["articles"]), d["mentioned"]) for n, d in graph.nodes(data=True))
            drawn.append((selection, edges, nodes))
    assert drawn[:2] == drawn[2:] and drawn[0][1]


def test_rebuilding_an_article_replaces_its_graph(remote, lexicon, tmp_path):
    edited = tmp_path / SEED.name
    edited.write_text(SEED.read_text(encoding="utf-8").replace("Alto Huallaga", "Chapare"), encoding="utf-8")
    build([edited], remote, lexicon)
    named = {r["e"].value.rsplit("/", 1)[1] for r in remote.query(
        "SELECT ?e WHERE { GRAPH <https://w3id.org/actorgraph/id/article-000_6bef111ac725a0fa> "
        "{ ?a schema:mentions ?e } }")}
    assert "chapare" in named and "alto-huallaga" not in named
    labels = {r["l"].value for r in remote.query("SELECT ?l WHERE { ?x rdfs:label ?l }")}
    elsewhere = list(remote.query("SELECT ?g WHERE { GRAPH ?g { ?g schema:mentions kgr:alto-huallaga } }"))
    assert "Chapare" in labels and ("Alto Huallaga" in labels) == bool(elsewhere)  # no article needs it: gone
    build([SEED], remote, lexicon)


def test_export_matches_the_embedded_store(remote, seeds_store, lexicon, tmp_path):
    build([SEEDS], remote, lexicon)
    export_rdf(remote, "nq", tmp_path / "remote.nq")
    export_rdf(seeds_store, "nq", tmp_path / "local.nq")
    assert (tmp_path / "remote.nq").read_bytes() == (tmp_path / "local.nq").read_bytes()


def test_pull_then_push_round_trip(remote, lexicon, tmp_path):
    build([SEEDS], remote, lexicon)
    local = Store(tmp_path / "pulled")
    graphs, statements = copy_store(remote, local)
    assert graphs == len(remote.named_graphs()) and statements == len(local)
    remote.drop_graph(__import__("pyoxigraph").NamedNode("https://w3id.org/actorgraph/id/article-000_6bef111ac725a0fa"))
    copy_store(local, remote)
    assert sorted(map(str, remote.quads())) == sorted(map(str, local.quads()))
