"""The HTML view in real headless Chromium: it draws offline, edges show their evidence, no request leaves."""

from __future__ import annotations

import pytest
from conftest import hostile_store, offsite

from kg.views.render import write_view


@pytest.fixture(scope="module")
def written(tmp_path_factory, seed_store):
    path = tmp_path_factory.mktemp("view") / "index.html"
    return path, write_view(seed_store, path)


@pytest.fixture(scope="module")
def view_file(written):
    return written[0]


def _click_edge(page, predicate, source_label):
    """Click a point of the edge that no node or other edge covers, as a person would."""
    point = page.evaluate("""([predicate, source]) => {
        const id = edges.getIds().find(i => edges.get(i).label === predicate
                                        && INFO.nodes[edges.get(i).from].label === source);
        const e = edges.get(id);
        const a = network.getPosition(e.from), b = network.getPosition(e.to);
        for (let t = 0.5; t > 0.05; t -= 0.05) {
            for (const u of [t, 1 - t]) {
                const p = network.canvasToDOM({x: a.x + (b.x - a.x) * u, y: a.y + (b.y - a.y) * u});
                if (network.getNodeAt(p) === undefined && network.getEdgeAt(p) === id) return p;
            }
        }
        return null;
    }""", [predicate, source_label])
    assert point is not None, "the edge is hidden under others"
    box = page.locator("#network").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_the_browser_is_debians_chromium(browser):
    """Not one Playwright downloaded (a fresh CI machine has none): the version /usr/bin/chromium reports."""
    import subprocess

    from conftest import CHROMIUM

    reported = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=60).stdout
    assert f"Chromium {browser.version} " in reported and "Debian" in reported


def test_view_draws_offline(open_page, written):
    view_file, stats = written
    assert stats["nodes"] > 15 and stats["edges"] > 20
    page, requests, errors = open_page(view_file)
    assert page.evaluate("nodes.length") == stats["nodes"] and page.evaluate("edges.length") == stats["edges"]
    assert page.evaluate("document.querySelector('#network canvas').width") > 0
    legend = page.inner_text("#legend")
    assert "CriminalGroup" in legend and "operatesIn" in legend
    assert offsite(requests) == []
    assert errors == []
    page.close()


def test_clicking_an_edge_shows_its_evidence(open_page, view_file):
    page, _, errors = open_page(view_file)
    _click_edge(page, "operatesIn", "Shining Path")
    panel = page.locator("#panel")
    assert "Shining Path — operatesIn — VRAEM" in panel.inner_text()
    # one sentence read by two rules is one quote naming both
    assert "stronghold of" in panel.locator("blockquote").inner_text()
    assert "rule operates.stronghold-of, syntax.operates.noun" in panel.inner_text()
    assert panel.locator("mark.object").first.inner_text() == "VRAEM"
    assert "Peru Renews Military Operations" in panel.inner_text()
    assert errors == []
    page.close()


def test_a_link_stated_more_often_than_shown_says_how_to_read_the_rest(open_page, corpus_store, tmp_path, monkeypatch):
    from kg.views import render as views

    monkeypatch.setattr(views, "SOURCES_LISTED", 1)
    out = tmp_path / "shining-path.html"
    write_view(corpus_store, out, focus="Shining Path", depth=1)
    page, _, errors = open_page(out)
    page.evaluate("showEdge(edges.getIds().find(i => edges.get(i).label === 'operatesIn'"
                  " && INFO.nodes[edges.get(i).from].label === 'Shining Path'"
                  " && INFO.nodes[edges.get(i).to].label === 'VRAEM'))")
    panel = page.locator("#panel")
    assert panel.locator("blockquote").count() == 1 and "stated by 2 sources" in panel.inner_text()
    assert panel.locator(".more").inner_text() == \
        '\u2026 and 1 older: kg query --saved why --bind from="Shining Path" to="VRAEM"'
    assert errors == []
    page.close()


def test_search_by_alias_and_node_details(open_page, view_file):
    page, _, _ = open_page(view_file)
    page.fill("#search", "Sendero Luminoso")
    page.press("#search", "Enter")
    panel = page.inner_text("#panel")
    assert panel.startswith("Shining Path") and "CriminalGroup" in panel and "Sendero Luminoso" in panel
    assert page.evaluate("network.getSelectedNodes()") == ["https://w3id.org/actorgraph/id/shining-path"]
    page.close()


def test_article_text_cannot_inject_markup(open_page, tmp_path, lexicon):
    store = hostile_store(tmp_path, lexicon)
    out = tmp_path / "hostile.html"
    write_view(store, out)
    assert "<script>window.pwned" not in out.read_text(encoding="utf-8")
    page, requests, errors = open_page(out)
    page.evaluate("showEdge(edges.getIds().find(i => edges.get(i).label === 'operatesIn'"
                  " && INFO.nodes[edges.get(i).from].label === 'Shining Path'))")
    assert "<img src=x" in page.inner_text("#panel")
    assert page.evaluate("window.pwned") is None
    assert offsite(requests) == []
    page.close()


def test_filters_hide_and_show_without_blanking(open_page, view_set):
    page, requests, errors = open_page(view_set / "index.html")
    total = page.evaluate("nodes.length")
    page.click("#filters summary")
    page.locator("#class-filters input[value='CriminalGroup']").uncheck()
    visible = page.evaluate("nodes.get({filter: n => !n.hidden}).length")
    groups = page.evaluate("NODES.filter(n => INFO.nodes[n.id].type === 'CriminalGroup').length")
    assert groups > 0 and visible == total - groups
    assert page.evaluate("document.querySelector('#network canvas').width") > 0
    page.locator("#class-filters input[value='CriminalGroup']").check()
    assert page.evaluate("nodes.get({filter: n => !n.hidden}).length") == total
    page.locator("#predicate-filters input[value='locatedIn']").uncheck()
    assert page.evaluate("edges.get({filter: e => !e.hidden && e.label === 'locatedIn'}).length") == 0
    page.fill("#date-to", "2017-01-01")
    page.dispatch_event("#date-to", "change")
    shown = page.evaluate("edges.get({filter: e => !e.hidden}).map(e => INFO.edges[e.id].dates)")
    assert shown and all(not dates or min(dates) <= "2017-01-01" for dates in shown)
    assert len(shown) < page.evaluate("edges.length")
    assert offsite(requests) == [] and errors == []
    page.close()


def test_the_timeline_page_turns_pages(browser, seeds_store, tmp_path, monkeypatch):
    import kg.views.sets
    from kg.views.sets import write_views

    monkeypatch.setattr(kg.views.sets, "TIMELINE_PAGE", 10)
    write_views(seeds_store, tmp_path)
    page = browser.new_page()
    page.goto((tmp_path / "timeline.html").as_uri())
    shown = "[...document.querySelectorAll('#events tbody tr')].filter(r => !r.hidden).map(r => r.textContent)"
    total = page.evaluate("document.querySelectorAll('#events tbody tr').length")
    first = page.evaluate(shown)
    assert total > 10 and len(first) == 10 and page.is_disabled("#previous")
    page.click("#next")
    second = page.evaluate(shown)
    assert second and not set(first) & set(second) and page.inner_text("#page").startswith("11-")
    page.click("#previous")
    assert page.evaluate(shown) == first
    page.close()


def test_node_links_to_its_own_view_and_the_landing_lists_views(open_page, view_set):
    page, _, errors = open_page(view_set / "index.html")
    assert "Actors and regions" in page.inner_text("#views")
    page.fill("#search", "ELN")
    page.press("#search", "Enter")
    link = page.locator("#panel a.own-view")
    assert link.get_attribute("href") == "entity/eln.html"
    link.click()
    page.wait_for_url("**/entity/eln.html")
    page.wait_for_function("document.body.dataset.stable === 'true'", timeout=30000)
    assert page.title() == "actorgraph: National Liberation Army and its neighbours"
    assert errors == []
    page.close()


def test_a_dense_view_comes_to_rest(open_page, tmp_path):
    """150 nodes and 600 links: the browser lays them out, then the nodes stay where they are."""
    import random

    import networkx as nx

    from kg.network.model import Evidence
    from kg.views.render import PHYSICS_LIMIT, render_view

    rng = random.Random(3)
    graph = nx.MultiDiGraph()
    names = [f"https://w3id.org/actorgraph/id/n{i}" for i in range(PHYSICS_LIMIT)]
    for name in names:
        graph.add_node(name, label=name[-4:], type="CriminalGroup", aliases=[], articles={}, mentioned=0,
                       positions=[], date="")
    while graph.number_of_edges() < 600:
        s, o = rng.sample(names, 2)
        evidence = [Evidence(f"{s[-4:]} and {o[-4:]}.", "https://w3id.org/actorgraph/article/a", "A", "2024-01-01",
                             "rule")]
        graph.add_edge(s, o, key="allyOf", predicate="allyOf", evidence=evidence, sources=1, dates=["2024-01-01"])
    path = tmp_path / "dense.html"
    path.write_text(render_view(graph, "dense"), encoding="utf-8")
    page, _, errors = open_page(path)
    first = page.evaluate("network.getPositions()")
    page.wait_for_timeout(500)
    assert page.evaluate("network.getPositions()") == first and not errors
    assert page.evaluate("OPTIONS.physics.enabled")  # laid out by the browser, not in Python
    page.close()
