"""The investigators' set of views and the network analysis behind them."""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from conftest import CORPUS, article_text

from kg.errors import KgError
from kg.export.graphml import export_network
from kg.network import model as network_module
from kg.network.analysis import analyze, shortest_chains
from kg.network.find import find_entity, find_entity_in_store
from kg.network.model import Evidence, load_network
from kg.network.selection import rank_links, select_nodes
from kg.paths import ontology_dir
from kg.query.run import parse_bindings, run_query, saved_queries
from kg.views import render as views_module
from kg.views import sets as sets_module
from kg.views.pages import VIEW_SCRIPT, VIS_FILES, vis_library
from kg.views.render import (
    EGO_LINKS,
    EGO_NODES,
    MAX_LINKS,
    MAX_NODES,
    draw_view,
    ego_graph,
    most_reported,
    write_view,
)
from kg.views.sets import write_views
from kg.vocab import KG, SUMMARY_GRAPH, summary_iri

QUERIES = saved_queries(ontology_dir())


@pytest.fixture(scope="module")
def views(tmp_path_factory, corpus_store):
    folder = tmp_path_factory.mktemp("views")
    return folder, write_views(corpus_store, folder)


def test_the_set_lists_every_view(views, corpus_store):
    folder, infos = views
    kinds = {v.kind for v in infos}
    assert kinds == {"graph", "entity", "article", "timeline", "map"}
    assert {v.path for v in infos if v.kind == "article"} == {f"article/{p.stem}.html" for p in CORPUS}
    graph = load_network(corpus_store)
    expected = {n.rsplit("/", 1)[-1] for n, d in graph.nodes(data=True)
                if graph.degree(n) >= 2 and d["type"] not in {"CriminalEconomy", "StateOfEmergency", "Arrest",
                                                              "Attack", "Seizure", "Deployment", "Extradition",
                                                              "Killing", "Agreement"}}
    assert {v.path for v in infos if v.kind == "entity"} == {f"entity/{e}.html" for e in expected}
    for info in infos:
        assert (folder / info.path).is_file()
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert '"path": "entity/shining-path.html"' in index and '"path": "timeline.html"' in index
    assert '"path": "map.html"' in index


def test_the_sets_pages_share_one_copy_of_the_views_script(views, seed_store, tmp_path):
    """lib/view.js is written once and loaded by each network page of the set (relative, so file:// works); a
    view written alone carries it inline."""
    folder, infos = views
    script = (folder / "lib" / VIEW_SCRIPT).read_text(encoding="utf-8")
    assert "function showEdge" in script and "window.kgExpand" in script and "{{" not in script
    for info in infos:
        if info.kind in ("timeline", "map"):
            continue
        html = (folder / info.path).read_text(encoding="utf-8")
        up = "" if "/" not in info.path else "../"
        assert f'<script src="{up}lib/{VIEW_SCRIPT}"></script>' in html, info.path
        assert "function showEdge" not in html and html.count("\n") < 120, info.path
    alone = tmp_path / "alone.html"
    write_view(seed_store, alone)
    page = alone.read_text(encoding="utf-8")
    assert "function showEdge" in page and "<script src=" not in page and '<link rel="stylesheet"' not in page


def test_timeline_lists_events_in_order_and_escapes(views):
    folder, _ = views
    html = (folder / "timeline.html").read_text(encoding="utf-8")
    assert html.index("2015") < html.index("2016-10-05") < html.index("2025-01-24")
    assert "60-day state of emergency" in html
    assert "<script>window" not in html


def test_analysis_ranks_and_groups(corpus_store):
    graph = load_network(corpus_store)
    result = analyze(graph, top=5)
    assert {r.label for r in result.central_actors[:2]} == {"Shining Path", "National Liberation Army"}
    assert result.central_regions[0].label == "Peru"
    assert any({"Shining Path", "VRAEM"} <= set(c) or {"Shining Path"} <= set(c) for c in result.communities)


def test_shortest_chain_has_evidence(corpus_store):
    graph = load_network(corpus_store)
    (chain, *_) = shortest_chains(graph, "Sendero Luminoso", "Fernando Zavala")
    assert len(chain) == 3
    assert chain[0].predicate == "operatesIn" and graph.nodes[chain[0].object]["label"] == "VRAEM"
    assert all(hop.evidence and hop.evidence[0].sentence for hop in chain)
    assert shortest_chains(graph, "Shining Path", "Shining Path") == [[]]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_exports_carry_labels_classes_and_evidence_counts(corpus_store, tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    edges = export_network(corpus_store, fmt, out)
    text = out.read_text(encoding="utf-8")
    ET.fromstring(text)  # well-formed XML
    assert edges > 100
    assert "Shining Path" in text and "CriminalGroup" in text and "operatesIn" in text and "evidence" in text


@pytest.mark.parametrize("name", ["Shining Path", "VRAEM", "ELN", "Peru", "sonora"])
@pytest.mark.parametrize("depth", [1, 2])
def test_an_ego_view_reads_only_the_neighbourhood_and_misses_nothing(corpus_store, name, depth):
    full = load_network(corpus_store)
    centre = find_entity_in_store(corpus_store, name)
    assert centre == find_entity(full, name)
    expected = ego_graph(full, centre, depth)
    got = ego_graph(load_network(corpus_store, focus=centre, depth=depth), centre, depth)
    assert sorted(got.edges(keys=True)) == sorted(expected.edges(keys=True))
    assert all(got.edges[e]["evidence"] == expected.edges[e]["evidence"] for e in expected.edges(keys=True))
    assert all(got.nodes[n] == expected.nodes[n] for n in expected.nodes)
    assert got.number_of_nodes() < full.number_of_nodes()


def test_an_entity_is_found_by_name_alias_or_iri(corpus_store):
    iri = "https://w3id.org/actorgraph/id/shining-path"
    assert {find_entity_in_store(corpus_store, name) for name in ["the Shining Path", "SENDERO LUMINOSO", iri]} == {iri}
    with pytest.raises(KgError, match="no entity named"):
        find_entity_in_store(corpus_store, "https://w3id.org/actorgraph/id/nobody")


def _linked(*links: tuple[str, str, int]):
    """A network whose links carry the given number of sentences each."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for s, o, sentences in links:
        evidence = [Evidence(f"{s} and {o}, {i}.", f"article-{i}", "", "", "rule") for i in range(sentences)]
        graph.add_edge(s, o, key="allyOf", predicate="allyOf", evidence=evidence, sources=sentences, dates=[])
    return graph


def test_a_capped_view_keeps_the_centre_then_the_nearest_then_the_most_reported():
    graph = _linked(("c", "near1", 1), ("c", "near2", 5), ("near2", "far", 50), ("c", "near3", 2))
    assert sorted(most_reported(graph, 3, "c")) == ["c", "near2", "near3"]  # the far one is heavier but farther
    assert most_reported(graph, 0, "c") is graph and most_reported(graph, 5, "c") is graph


def test_a_capped_view_keeps_the_centres_links_then_what_joins_the_farther_nodes_then_the_most_reported():
    graph = _linked(("c", "a", 1), ("a", "b", 9), ("c", "b", 2), ("b", "d", 5), ("a", "d", 3))
    kept = most_reported(graph, 0, "c", max_links=3)
    assert sorted(kept.edges()) == [("b", "d"), ("c", "a"), ("c", "b")]  # the centre's two, then d's best way in
    assert sorted(most_reported(graph, 0, "c", max_links=4).edges()) == [("a", "b"), ("b", "d"), ("c", "a"), ("c", "b")]
    assert sorted(most_reported(graph, 0, max_links=1).edges()) == [("a", "b")]  # no centre: the most reported


def test_a_two_hop_view_spends_its_links_on_joining_its_nodes_not_on_the_hubs_links_among_themselves():
    hubs = [(f"hub{i}", f"hub{j}", 100) for i in range(4) for j in range(4) if i != j]
    spokes = [("c", f"hub{i}", 1) for i in range(4)]
    spokes += [(f"hub{i}", f"leaf{i}{k}", 1) for i in range(4) for k in range(3)]
    links = {(s, "allyOf", o): n for s, o, n in hubs + spokes}
    hops = {"c": 0} | {f"hub{i}": 1 for i in range(4)} | {f"leaf{i}{k}": 2 for i in range(4) for k in range(3)}
    kept = rank_links(links, hops, 16)
    assert {n for s, _, o in kept for n in (s, o)} == set(hops)  # all 17 nodes drawn, joined to the centre
    assert kept[:4] == [("c", "allyOf", f"hub{i}") for i in range(4)]
    assert rank_links(links, hops, 0)[16:] == sorted(key for key in links if key[2].startswith("hub") and key[0] != "c")


def test_a_capped_whole_graph_drops_what_the_cut_leaves_unlinked():
    graph = _linked(("a", "b", 9), ("b", "c", 9), ("d", "e", 1))
    assert sorted(most_reported(graph, 4)) == ["a", "b", "c"]  # e fell to the cut: d alone is not drawn


def test_the_command_line_says_the_library_default_caps():
    from kg.cli.commands import cli

    helps = {p.name: " ".join(p.help.split()) for p in cli.commands["view"].params if p.name.startswith("max_")}
    assert f"Default: {EGO_NODES} around an entity" in helps["max_nodes"]
    assert f"; {MAX_NODES} otherwise" in helps["max_nodes"]
    assert helps["max_links"].endswith(f"Default: {EGO_LINKS} around an entity, {MAX_LINKS} otherwise.")


def test_an_entity_view_has_caps_of_its_own_and_the_whole_graph_the_larger_ones(corpus_store, tmp_path, monkeypatch):
    from kg.views import render as views

    monkeypatch.setattr(views, "EGO_NODES", 4)
    assert write_view(corpus_store, tmp_path / "peru.html", focus="Peru")["nodes"] == 4
    whole = write_view(corpus_store, tmp_path / "all.html")
    assert whole["nodes"] == whole["of"] > 4
    assert views.caps(True, 0, 7) == (0, 7)


def test_a_capped_ego_view_says_so_in_its_title(corpus_store, tmp_path):
    out = tmp_path / "peru.html"
    stats = write_view(corpus_store, out, focus="Peru", depth=1, max_nodes=4)
    assert stats["nodes"] == 4 and stats["of"] > 4
    html = out.read_text(encoding="utf-8")
    assert f"(the 4 most reported of {stats['of']} entities and events)" in html
    full = write_view(corpus_store, tmp_path / "all.html", focus="Peru", depth=1, max_nodes=0)
    assert full["nodes"] == full["of"] == stats["of"]


@pytest.mark.parametrize("focus,depth", [(None, 1), ("Peru", 1), ("Shining Path", 2), ("ELN", 2)])
def test_a_selection_draws_its_links_with_all_their_evidence(corpus_store, focus, depth):
    full = load_network(corpus_store)
    centre = find_entity_in_store(corpus_store, focus) if focus else None
    selection = select_nodes(corpus_store, 8, centre, depth, max_links=10)
    assert len(selection.nodes) == 8 and len(selection.links) == min(10, selection.links_among)
    got = load_network(corpus_store, selection=selection)
    assert set(got.edges(keys=True)) == {(s, o, p) for s, p, o in selection.links}
    for edge in got.edges(keys=True):
        assert got.edges[edge]["evidence"] == full.edges[edge]["evidence"], edge
    if centre:
        assert centre in got and any(centre in (s, o) for s, _, o in selection.links)  # (not the first by IRI)
        near = ego_graph(full, centre, 1)
        assert set(got) <= set(ego_graph(full, centre, depth))
        assert (sum(1 for n in got if n in near) == min(8, near.number_of_nodes()))  # the nearest come first


def test_a_focus_links_come_before_the_others(corpus_store):
    centre = find_entity_in_store(corpus_store, "Peru")
    selection = select_nodes(corpus_store, 50, centre, 2, max_links=5)
    assert all(centre in (s, o) for s, _, o in selection.links)


@pytest.mark.parametrize("name,depth", [("Shining Path", 1), ("ELN", 2), ("Peru", 2)])
def test_everything_is_selected_when_it_fits(corpus_store, name, depth):
    full = load_network(corpus_store)
    centre = find_entity_in_store(corpus_store, name)
    ego = ego_graph(full, centre, depth)
    for selection in select_nodes(corpus_store, 500, centre, depth, 2000), select_nodes(corpus_store, 0, centre, depth):
        assert selection.nodes == set(ego) and selection.links == {(s, p, o) for s, o, p in ego.edges(keys=True)}
    whole = select_nodes(corpus_store, 500, max_links=2000)
    assert whole.nodes == set(full) and len(whole.links) == whole.links_among == full.number_of_edges()


def test_the_set_caps_its_graph_and_entity_views_and_says_so(corpus_store, tmp_path):
    infos = {v.path: v for v in write_views(corpus_store, tmp_path, max_nodes=6, max_links=8)}
    full = load_network(corpus_store)
    assert infos["index.html"].nodes <= 6 and infos["index.html"].edges <= 8
    assert f"most reported of {full.number_of_nodes()} entities and events" in infos["index.html"].title
    peru = infos["entity/peru.html"]
    assert peru.nodes <= 6 and peru.edges <= 8 and "most reported" in peru.title
    assert peru.title in (tmp_path / "entity" / "peru.html").read_text(encoding="utf-8")


def test_a_nodes_panel_lists_its_newest_articles_and_how_to_ask_for_the_rest(corpus_store, tmp_path, monkeypatch):
    graph = load_network(corpus_store)
    peru = find_entity(graph, "Peru")
    listed = list(graph.nodes[peru]["articles"].values())
    newest_first = [r["headline"].value for r in run_query(corpus_store, QUERIES["articles-mentioning"].text,
                                                           parse_bindings(["name=Peru"]))]
    assert len(listed) >= 2 and listed == newest_first  # not the order of their IRIs
    monkeypatch.setattr(views_module, "ARTICLES_LISTED", 1)
    html = tmp_path / "peru.html"
    write_view(corpus_store, html, focus="Peru", depth=1)
    info = json.loads(re.search(r"const INFO = (.*?);\n", html.read_text(encoding="utf-8")).group(1))
    assert [a["text"] for a in info["nodes"][peru]["articles"]] == listed[:1] + [
        f"\u2026 and {len(listed) - 1} older: kg query --saved articles-mentioning --bind name=\"Peru\""]


def test_the_set_reports_its_progress_page_by_page(seed_store, tmp_path):
    calls = []
    infos = write_views(seed_store, tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert [done for done, _ in calls] == list(range(1, len(infos) + 1))
    assert {total for _, total in calls} == {len(infos)}


def test_the_sets_timeline_keeps_the_most_recent_events_and_says_so(seed_store, tmp_path, monkeypatch):
    monkeypatch.setattr(sets_module, "TIMELINE_EVENTS", 1)
    infos = write_views(seed_store, tmp_path)
    html = (tmp_path / "timeline.html").read_text(encoding="utf-8")
    assert html.count('<tr data-type=') == 1 and '<tr data-type="StateOfEmergency"><td>2016-10-05</td>' in html
    (timeline,) = [v for v in infos if v.kind == "timeline"]
    assert timeline.title == "Timeline of events (the 1 most recent of 3; all of them: kg query --saved timeline)"
    assert "<title>actorgraph: timeline of events (the 1 most recent of 3;" in html


def test_a_views_link_shows_its_newest_sources_and_how_to_read_them_all(corpus_store, tmp_path, monkeypatch):
    monkeypatch.setattr(views_module, "SOURCES_LISTED", 1)
    html = tmp_path / "shining-path.html"
    write_view(corpus_store, html, focus="Shining Path", depth=1)
    info = json.loads(re.search(r"const INFO = (.*?);\n", html.read_text(encoding="utf-8")).group(1))
    (edge,) = [e for e in info["edges"].values() if e["predicate"] == "operatesIn"
               and info["nodes"][e["from"]]["label"] == "Shining Path" and info["nodes"][e["to"]]["label"] == "VRAEM"]
    assert edge["sources"] == 2 and edge["dates"] == ["2016-10-11", "2023-11-16"]  # every source counted
    assert [e["date"] for e in edge["evidence"]] == ["2023-11-16"]  # the newest read
    assert edge["more"] == '\u2026 and 1 older: kg query --saved why --bind from="Shining Path" to="VRAEM"'
    assert edge["why"] == ""  # a file has no query page to link to; kg serve's views do:
    served, _ = draw_view(corpus_store, "Shining Path", depth=1, query_page="/")
    assert '"why": "/?saved=why&from=Shining+Path&to=VRAEM"' in served
    bindings = [arg for arg in shlex.split(edge["more"].split(": ", 1)[1]) if "=" in arg]
    why = {row["article"].value for row in run_query(corpus_store, QUERIES["why"].text, parse_bindings(bindings))
           if row["predicate"].value == "operatesIn"}
    assert len(why) == edge["sources"] and edge["evidence"][0]["headline"] in why  # the older one is there too


def test_a_bounded_read_keeps_a_prefix_of_each_nodes_newest_articles(corpus_store, monkeypatch):
    full = load_network(corpus_store)
    selection = select_nodes(corpus_store, 0)
    monkeypatch.setattr(network_module, "_MENTIONS_READ", 2)  # the least named read whole, the others walked to
    monkeypatch.setattr(network_module, "_WALK", 1)
    got = load_network(corpus_store, selection=selection, newest_articles=2)
    for node, data in got.nodes(data=True):
        assert data["mentioned"] == len(full.nodes[node]["articles"])
        assert list(data["articles"]) == list(full.nodes[node]["articles"])[:2], node
    monkeypatch.setattr(network_module, "_NEWEST_READ", 1)  # the walk stops early: shorter, never wrong
    got = load_network(corpus_store, selection=selection, newest_articles=2)
    short = 0
    for node, data in got.nodes(data=True):
        expected = list(full.nodes[node]["articles"])
        assert list(data["articles"]) == expected[:len(data["articles"])]
        short += len(data["articles"]) < min(2, len(expected))
    assert short


def test_the_vendored_vis_network_is_the_version_its_note_names():
    """kg/views/lib/VERSION records which vis-network the views carry: a copy changed without it fails here."""
    note = (vis_library() / "VERSION").read_text(encoding="utf-8")
    for name in VIS_FILES:
        digest = hashlib.sha256((vis_library() / name).read_bytes()).hexdigest()
        assert f"{digest}  {name}" in note
    assert "@version 9.1.2" in (vis_library() / "vis-network.min.js").read_text(encoding="utf-8")[:400]
    assert note.startswith("vis-network 9.1.2 ") and (vis_library() / "LICENSE").is_file()


def test_a_capped_views_links_are_counted_and_read_from_their_summaries(articles_store):
    """A link stated by more articles than a view shows is counted by its summary and shows the sentences of
    the articles its summary's newest assertions come from: edit the summary, and the view follows it."""
    days = [date(2016, 10, 11), date(2019, 3, 2), date(2021, 6, 30), date(2023, 11, 16)]
    store = articles_store({f"a{i}": article_text(f"The Shining Path operates in the VRAEM, report {i} says.",
                                                  published=day) for i, day in enumerate(days)})
    full = load_network(store)
    key = (find_entity(full, "Shining Path"), find_entity(full, "VRAEM"), "operatesIn")
    selection = select_nodes(store, 0)
    got = load_network(store, selection=selection, newest_sources=2).edges[key]
    assert got["sources"] == full.edges[key]["sources"] == 4
    assert {e.date for e in got["evidence"]} == {"2021-06-30", "2023-11-16"}  # the two newest articles
    def quotes(evidence):  # a full read merges the rules of one sentence, the summary names the newest assertion
        return {(e.article, e.start, e.sentence) for e in evidence}

    assert quotes(got["evidence"]) <= quotes(full.edges[key]["evidence"])
    assert got["dates"] == ["2016-10-11", "2021-06-30", "2023-11-16"]  # the first, and those of what is shown
    for newest in (4, 5):  # no more sources than it shows: all read, as without the summaries
        got = load_network(store, selection=selection, newest_sources=newest).edges[key]
        assert got["evidence"] == full.edges[key]["evidence"] and got["dates"] == full.edges[key]["dates"]
    summary = f"<{summary_iri('fact', *(f'<{iri}>' for iri in (key[0], KG + key[2], key[1])))}>"
    store.update(f"DELETE WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ {summary} <{KG}articleCount> ?n }} }} ;"
                 f"INSERT DATA {{ GRAPH <{SUMMARY_GRAPH}> {{ {summary} <{KG}articleCount> 40 }} }}")
    assert load_network(store, selection=selection, newest_sources=2).edges[key]["sources"] == 40


@pytest.mark.parametrize("newest", [1, 3])
def test_a_capped_views_links_keep_their_counts_and_their_newest_evidence(corpus_store, newest):
    full = load_network(corpus_store)
    got = load_network(corpus_store, selection=select_nodes(corpus_store, 0), newest_sources=newest)
    assert set(got.edges(keys=True)) == set(full.edges(keys=True))
    for edge, data in got.edges.items():
        whole = full.edges[edge]
        assert data["sources"] == whole["sources"], edge
        assert set(data["evidence"]) <= set(whole["evidence"]) and data["evidence"], edge
        shown = {e.article or e.entry for e in data["evidence"]}
        newer = {e.article or e.entry for e in whole["evidence"] if e.date > max(e.date for e in data["evidence"])}
        assert len(shown) <= newest and not newer, edge  # the newest
        if whole["sources"] <= newest:
            assert data["evidence"] == whole["evidence"] and data["dates"] == whole["dates"], edge
        else:
            assert set(data["dates"]) <= set(whole["dates"]) and whole["dates"][0] in data["dates"] \
                and whole["dates"][-1] in data["dates"], edge
