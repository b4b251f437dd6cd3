"""kg serve's query editor and reader pages in headless Chromium: highlighting, completion, Ctrl+Enter, a field
per parameter of a saved query with its notes, links from results to views, downloads and permalinks; an
article's markup in the results or its reader page runs nothing, and no request leaves the machine."""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest
from conftest import HOSTILE_HEADLINE, SEED, hostile_seed, serving

from kg.pipeline.builder import build
from kg.serve.app import ServerConfig
from kg.store.embedded import Store


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory, lexicon):
    folder = tmp_path_factory.mktemp("editor")
    store = Store(folder / "store")
    assert build([SEED, hostile_seed(folder)], store, lexicon).ok
    location = store.location
    store.close()  # (the workers open it read-only: no writer may compact it under them)
    with serving(ServerConfig(store=location, port=0, timeout=5, workers=1)) as url:
        yield url


@pytest.fixture
def page(open_page, endpoint):
    page, page.requests, page.errors = open_page(None, viewport=(1280, 900))
    yield page
    assert page.errors == [] and all(r.startswith(endpoint) for r in page.requests)


def _rows(page):
    page.wait_for_function("document.getElementById('status').textContent.includes('rows')")
    return page.locator("#results tbody tr")


def test_the_editor_highlights_completes_and_runs_on_ctrl_enter(page, endpoint):
    page.goto(f"{endpoint}/")
    assert page.locator(".CodeMirror .cm-keyword").count() >= 3  # SELECT, WHERE, ORDER BY...
    assert "schema:" in page.inner_text("#prefixes")
    page.evaluate("editor.setValue('')")
    page.locator(".CodeMirror textarea").focus()
    page.keyboard.type("SELECT ?a WHERE { ?a a kg:CriminalG")
    page.wait_for_selector(".CodeMirror-hints")
    assert "kg:CriminalGroup" in page.locator(".CodeMirror-hints").all_inner_texts()[0]
    page.keyboard.press("Enter")  # takes the completion
    page.keyboard.type(" } ORDER BY ?a")
    assert page.evaluate("editor.getValue()") == "SELECT ?a WHERE { ?a a kg:CriminalGroup } ORDER BY ?a"
    page.keyboard.press("Control+Enter")
    rows = _rows(page)
    assert rows.count() >= 1
    assert page.locator("#results tbody a").first.get_attribute("href").startswith("/views/entity/")


def test_results_download_and_come_back_from_a_permalink(page, endpoint):
    query = "SELECT ?name WHERE { kgr:shining-path skos:altLabel ?name } ORDER BY ?name"
    page.goto(f"{endpoint}/?" + urllib.parse.urlencode({"query": query}))
    names = _rows(page).all_inner_texts()
    assert "Sendero Luminoso" in names
    csv_link = page.locator("#csv").get_attribute("href")
    with urllib.request.urlopen(endpoint + csv_link) as answer:
        assert answer.read().decode().splitlines()[0] == "name"
    with urllib.request.urlopen(endpoint + page.locator("#json").get_attribute("href")) as answer:
        assert b'"Sendero Luminoso"' in answer.read()
    permalink = page.locator("#permalink").get_attribute("href")
    page.goto(endpoint + permalink)
    assert page.evaluate("editor.getValue()") == query and _rows(page).all_inner_texts() == names


def test_a_saved_query_gets_a_field_per_parameter_and_notes(page, endpoint):
    page.goto(f"{endpoint}/")
    page.select_option("#saved", "who-operates-where")
    field = page.locator("#parameters input[name=name]")
    assert field.count() == 1
    page.click("#run")
    page.wait_for_url("**/?saved=who-operates-where")
    _rows(page)
    assert page.inner_text("#notes").startswith("Note: ?name is not bound, so who-operates-where answers for every")
    page.fill("#parameters input[name=name]", "Sendero Luminoso")
    page.press("#parameters input[name=name]", "Enter")
    page.wait_for_url("**/?saved=who-operates-where&name=Sendero+Luminoso")
    assert _rows(page).count() >= 1 and page.inner_text("#notes") == ""
    assert "VRAEM" in page.inner_text("#results tbody")
    assert page.locator("#permalink").get_attribute("href") == "/?saved=who-operates-where&name=Sendero+Luminoso"
    page.fill("#parameters input[name=name]", "Sendero Lminoso")
    page.click("#run")
    page.wait_for_url("**/?saved=who-operates-where&name=Sendero+Lminoso")
    _rows(page)
    assert "no entity in the store is named 'Sendero Lminoso'" in page.inner_text("#notes")


def test_an_articles_markup_runs_nothing_in_the_results(page, endpoint):
    query = "SELECT ?headline ?sentence WHERE { ?a schema:headline ?headline . ?s kg:evidence ?sentence } LIMIT 400"
    page.goto(f"{endpoint}/?" + urllib.parse.urlencode({"query": query}))
    text = " ".join(_rows(page).all_inner_texts())
    assert HOSTILE_HEADLINE in text and "<img src=x onerror" in text
    assert page.evaluate("window.pwned") is None and page.locator("#results img, #results script").count() == 0


def test_the_served_reader_page_marks_facts_and_links_them(page, endpoint):
    page.goto(f"{endpoint}/views/article/hostile.html")
    page.wait_for_function("document.body.dataset.stable === 'true'", timeout=30000)
    assert page.inner_text("#reader h2") == HOSTILE_HEADLINE and page.evaluate("window.pwned") is None
    assert page.locator("mark.fact").count() >= 3
    page.goto(f"{endpoint}/views/entity/shining-path.html")
    page.wait_for_function("document.body.dataset.stable === 'true'", timeout=30000)
    page.evaluate("showEdge(edges.getIds().find(i => edges.get(i).label === 'operatesIn'))")
    link = page.locator("#panel a.in-article").first.get_attribute("href")
    assert link.startswith("../article/") and "#s" in link
    page.locator("#panel a.in-article").first.click()
    page.wait_for_url("**/views/article/*")
    page.wait_for_function("document.body.dataset.stable === 'true'", timeout=30000)
    assert page.locator("mark.fact.current").count() >= 1


def test_a_served_view_expands_a_node_from_the_store(page, endpoint):
    page.goto(f"{endpoint}/views/entity/shining-path.html")
    page.wait_for_function("document.body.dataset.stable === 'true'", timeout=30000)
    before = page.evaluate("nodes.length")
    node = page.evaluate("Object.keys(INFO.nodes).find(id => INFO.nodes[id].expand && id.endsWith('/vraem'))")
    assert node and page.evaluate(f"INFO.nodes['{node}'].expand") == "../data/vraem.js"
    page.evaluate(f"expand('{node}')")
    page.wait_for_function("document.body.dataset.expanded === '1'")
    assert page.evaluate("nodes.length") > before
    assert any(r.endswith("/views/data/vraem.js") for r in page.requests)
