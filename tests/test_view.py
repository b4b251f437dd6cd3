"""The HTML view in real headless Chromium: it draws offline, edges show their evidence, no request leaves."""

from __future__ import annotations

import pytest

from kg.pipeline import build
from kg.store import Store
from kg.views import write_view

from conftest import SEED


@pytest.fixture(scope="module")
def view_file(tmp_path_factory, seed_store):
    path = tmp_path_factory.mktemp("view") / "index.html"
    write_view(seed_store, path)
    return path


def _open(browser, path):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_function("document.body.dataset.stable === 'true'", timeout=30000)
    return page, requests, errors


def test_view_draws_offline(browser, view_file):
    page, requests, errors = _open(browser, view_file)
    assert page.evaluate("nodes.length") == 20 and page.evaluate("edges.length") == 29
    assert page.evaluate("document.querySelector('#network canvas').width") > 0
    legend = page.inner_text("#legend")
    assert "CriminalGroup" in legend and "operatesIn" in legend
    assert [r for r in requests if not r.startswith("file:")] == []
    assert errors == []
    page.close()


def test_clicking_an_edge_shows_its_evidence(browser, view_file):
    page, _, errors = _open(browser, view_file)
    point = page.evaluate("""(() => {
        const id = edges.getIds().find(i => edges.get(i).label === 'operatesIn'
                                        && INFO.nodes[edges.get(i).from].label === 'Shining Path');
        const e = edges.get(id);
        const a = network.getPosition(e.from), b = network.getPosition(e.to);
        return network.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
    })()""")
    box = page.locator("#network").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    panel = page.locator("#panel")
    assert "Shining Path — operatesIn — VRAEM" in panel.inner_text()
    assert "stronghold of" in panel.locator("blockquote").inner_text()
    assert panel.locator("mark.object").first.inner_text() == "VRAEM"
    assert "Peru Renews Military Operations" in panel.inner_text()
    assert errors == []
    page.close()


def test_search_by_alias_and_node_details(browser, view_file):
    page, _, _ = _open(browser, view_file)
    page.fill("#search", "Sendero Luminoso")
    page.dispatch_event("#search", "change")
    panel = page.inner_text("#panel")
    assert panel.startswith("Shining Path") and "CriminalGroup" in panel and "Sendero Luminoso" in panel
    assert page.evaluate("network.getSelectedNodes()") == ["https://w3id.org/actorgraph/id/shining-path"]
    page.close()


def test_article_text_cannot_inject_markup(browser, tmp_path, lexicon):
    hostile = tmp_path / "hostile.txt"
    text = SEED.read_text(encoding="utf-8").replace(
        "Peru Renews Military Operations in VRAEM Coca Hub", "<script>window.pwned = 1</script> Hub</title>")
    hostile.write_text(text.replace("stronghold of the guerrilla group",
                                    "stronghold of the guerrilla group <img src=x onerror=window.pwned=2>"),
                       encoding="utf-8")
    store = Store(None)
    build([hostile], store, lexicon)
    out = tmp_path / "hostile.html"
    write_view(store, out)
    assert "<script>window.pwned" not in out.read_text(encoding="utf-8")
    page, requests, errors = _open(browser, out)
    page.evaluate("showEdge(edges.getIds().find(i => edges.get(i).label === 'operatesIn'"
                  " && INFO.nodes[edges.get(i).from].label === 'Shining Path'))")
    assert "<img src=x" in page.inner_text("#panel")
    assert page.evaluate("window.pwned") is None
    assert [r for r in requests if not r.startswith("file:")] == []
    page.close()
