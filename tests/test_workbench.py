"""The investigator's workbench in headless Chromium: every sentence leads to its place in its article's reader
page and from there to the original; find forgives accents, case and partial names; nothing an article says runs."""

from __future__ import annotations

import pytest
from conftest import SEED, hostile_store, offsite

from kg.network.articles import marked_paragraphs, read_article_text
from kg.pipeline.builder import build
from kg.rdf.quads import article_iri
from kg.store.embedded import Store
from kg.views.render import write_view

ARTICLE = "000_6bef111ac725a0fa"
VIEWPORT = (1400, 860)  # (the reader's three columns)


def test_sentences_are_marked_at_their_offsets():
    text = "Head\n\nOne two. Three four.\nFive."
    assert marked_paragraphs(text, {6: "One two.", 15: "Three four.\nFive.", 90: "Not there."}) == [
        [["Head", ""]], [["One two.", "s6"], [" ", ""], ["Three four.", "s15"]], [["Five.", "s15"]]]
    assert marked_paragraphs("A b. A b.", {99: "A b."}) == [[["A b.", "s99"], [" A b.", ""]]]
    # with the paragraphs the reader found, only they are shown: the "Head" line is left out
    assert marked_paragraphs(text, {6: "One two.", 15: "Three four.\nFive."}, ((6, 26, "body"), (27, 32, "analysis"))) \
        == [[["One two.", "s6"], [" ", ""], ["Three four.", "s15"]], [["Five.", "s15"]]]


def test_the_reader_page_shows_the_text_with_every_fact_marked(open_page, view_set, corpus_store):
    page, requests, errors = open_page((view_set / "article" / f"{ARTICLE}.html").as_uri(), viewport=VIEWPORT)
    reader = page.locator("#reader")
    assert reader.locator("h2.headline").inner_text() == "Peru Renews Military Operations in VRAEM Coca Hub"
    marks = page.evaluate("[...document.querySelectorAll('mark.fact')].map(m => [m.dataset.anchor, m.textContent])")
    text = read_article_text(corpus_store, ARTICLE).text
    assert len(marks) >= 5
    for anchor, piece in marks:  # each mark stands where its offset says
        start = int(anchor[1:])
        assert text[start:start + len(piece)] == piece
    # the article as it stands, not the page around it: title, byline, body and analysis, no nav or footer
    shown = reader.inner_text()
    assert "Coca · 2016-10-11 · by Tristan Clavel · InSight Crime" in reader.locator(".byline").inner_text()
    assert "HomeNewsBrief" not in shown and "THE ORGANIZATION" not in shown and "Was this content" not in shown
    assert page.locator("#reader p").count() == len(read_article_text(corpus_store, ARTICLE).paragraphs) >= 3
    assert page.locator("#reader h3.section").all_inner_texts() == ["BODY", "ANALYSIS"]
    sentences = {row["s"].value for row in corpus_store.query(
        f"SELECT ?s WHERE {{ GRAPH ?g {{ ?x prov:wasDerivedFrom {article_iri(ARTICLE)} ; kg:evidence ?s }} }}")}
    anchored = page.evaluate("[...document.querySelectorAll('mark.fact')].map(m => m.dataset.anchor)")
    marked = {}
    for anchor, piece in marks:
        marked[anchor] = marked.get(anchor, "") + piece
    assert len(sentences) >= 5 and len(set(anchored)) >= len(sentences)  # every fact's sentence has its mark
    assert all(any(s.replace("\n", "") == m.replace("\n", "") for m in marked.values()) for s in sentences)
    page.locator("mark.fact").first.click()
    assert page.evaluate("network.getSelectedEdges().length") > 0 and "rule " in page.inner_text("#panel")
    link = page.locator("#panel a.in-article").first.get_attribute("href")
    assert link.startswith("#s")
    page.goto(f"{(view_set / 'article' / f'{ARTICLE}.html').as_uri()}{link}")
    page.wait_for_function("document.body.dataset.stable === 'true'")
    assert page.locator("mark.fact.current").count() >= 1
    assert offsite(requests) == [] and errors == []
    page.close()


def test_panels_and_the_timeline_link_to_the_sentence_in_its_article(open_page, view_set):
    page, requests, errors = open_page((view_set / "index.html").as_uri(), viewport=VIEWPORT)
    page.evaluate("showEdge(edges.getIds().find(i => edges.get(i).label === 'operatesIn'"
                  " && INFO.nodes[edges.get(i).from].label === 'Shining Path'))")
    page.locator("#panel a.in-article").first.click()
    page.wait_for_url("**/article/*.html#s*")
    page.wait_for_function("document.body.dataset.stable === 'true'")
    anchor = page.evaluate("location.hash.slice(1)")
    assert page.locator(f"mark.fact[data-anchor='{anchor}'].current").count() >= 1
    page.goto((view_set / "timeline.html").as_uri())
    link = page.locator("td.sentence a").first
    assert link.get_attribute("href").startswith("article/") and "#s" in link.get_attribute("href")
    assert offsite(requests) == [] and errors == []
    page.close()


def test_the_reader_links_to_the_original_page(open_page, tmp_path, lexicon):
    dump = tmp_path / "with-url.txt"
    dump.write_text("URL: https://example.org/news/vraem\n" + SEED.read_text(encoding="utf-8"), encoding="utf-8")
    store = Store(None)
    build([dump], store, lexicon)
    out = tmp_path / "article.html"
    write_view(store, out, article="with-url")
    page, requests, errors = open_page(out.as_uri(), viewport=VIEWPORT)
    original = page.locator("#reader a.original")
    assert original.get_attribute("href") == "https://example.org/news/vraem"
    assert original.get_attribute("rel") == "noopener noreferrer"
    assert offsite(requests) == [] and errors == []
    page.close()


def test_a_hostile_article_runs_nothing_in_its_reader_page(open_page, tmp_path, lexicon):
    store = hostile_store(tmp_path, lexicon)
    out = tmp_path / "hostile.html"
    write_view(store, out, article="hostile")
    assert "<script>window.pwned" not in out.read_text(encoding="utf-8")
    page, requests, errors = open_page(out.as_uri(), viewport=VIEWPORT)
    assert "<script>window.pwned = 1</script>" in page.inner_text("#reader h2")
    assert "<img src=x onerror" in page.inner_text("#reader")
    page.locator("mark.fact").first.click()
    assert page.evaluate("window.pwned") is None and page.locator("#reader img, #panel img").count() == 0
    assert offsite(requests) == [] and errors == []
    page.close()


@pytest.mark.parametrize("typed, label", [("Sendero Lum", "Shining Path"), ("zambada", "Ismael Zambada"),
                                          ("Joaquin Guzman", "Joaquín Guzmán"), ("the shining path", "Shining Path"),
                                          ("SHINING", "Shining Path")])
def test_find_forgives_accents_case_and_partial_names(open_page, view_set, typed, label):
    page, _, errors = open_page((view_set / "index.html").as_uri(), viewport=VIEWPORT)
    page.fill("#search", typed)
    assert page.locator("#suggestions").is_visible() and page.locator("#suggestions li").count() >= 1
    page.press("#search", "Enter")
    assert page.inner_text("#panel h2").startswith(label)
    assert len(page.evaluate("network.getSelectedNodes()")) == 1 and errors == []
    page.close()


def test_find_says_when_nothing_matches(open_page, view_set):
    page, _, errors = open_page((view_set / "index.html").as_uri(), viewport=VIEWPORT)
    page.evaluate("showNode(NODES[0].id)")
    page.fill("#search", "Nobody Known Anywhere")
    assert page.inner_text("#find-status") == "No match for \u201cNobody Known Anywhere\u201d"
    page.press("#search", "Enter")
    assert "No node of this view matches" in page.inner_text("#panel")
    assert page.evaluate("network.getSelectedNodes()") == [] and errors == []
    page.close()


def test_the_legend_draws_each_class_in_its_shape_and_events_have_colours_of_their_own(open_page, view_set):
    page, _, errors = open_page((view_set / "index.html").as_uri(), viewport=VIEWPORT)
    legend = page.evaluate("legendItems()")
    assert [i["name"] for i in legend if i["kind"] == "node"] == sorted(page.evaluate(
        "[...new Set(NODES.map(n => INFO.nodes[n.id].type))]"))
    drawn = page.evaluate("[...document.querySelectorAll('#legend span')].map(s => "
                          "[s.textContent, s.querySelector('svg > *').dataset.shape, s.querySelector('svg > *')"
                          ".getAttribute('fill')])")
    assert drawn == [[i["name"], i["shape"] if i["kind"] == "node" else "line", i["color"]] for i in legend]
    assert ["CriminalGroup", "diamond", "#d62728"] in drawn
    events = page.evaluate("NODES.filter(n => INFO.nodes[n.id].type === 'Arrest' || INFO.nodes[n.id].type === "
                           "'Attack').map(n => [INFO.nodes[n.id].type, n.color, n.label, INFO.nodes[n.id].label])")
    assert {t for t, *_ in events} == {"Arrest", "Attack"}
    assert len({c for _, c, *_ in events}) == 2  # one colour per kind of event
    for kind, _, short, _ in events:  # "Arrest · VRAEM · 2016-10-08", not the headline
        assert short.startswith(kind) and len(short) <= 60
    assert errors == []
    page.close()


def _label_count(page, scale):
    page.evaluate(f"network.moveTo({{scale: {scale}, animation: false}}); network.redraw()")
    page.wait_for_timeout(150)
    return page.evaluate("Object.values(network.body.nodes).filter(n => n.labelModule.visible()).length")


def test_labels_follow_the_zoom_and_the_layout_is_the_same_at_every_load(open_page, view_set):
    page, _, errors = open_page((view_set / "index.html").as_uri(), viewport=VIEWPORT)
    first = page.evaluate("network.getPositions()")
    total = page.evaluate("nodes.length")
    far, near = _label_count(page, 0.35), _label_count(page, 2.5)
    assert 0 < far < near == total
    page.close()
    again, _, more_errors = open_page((view_set / "index.html").as_uri(), viewport=VIEWPORT)
    assert again.evaluate("network.getPositions()") == first
    assert errors == [] and more_errors == []
    again.close()


def test_a_path_view_is_laid_out_as_a_chain(open_page, tmp_path, seeds_store):
    from click.testing import CliRunner

    from kg.cli.commands import cli

    out = tmp_path / "path.html"
    result = CliRunner().invoke(cli, ["path", "Shining Path", "Peru", "--store", seeds_store.location, "-o", str(out)])
    assert result.exit_code == 0, result.output
    page, _, errors = open_page(out.as_uri(), viewport=VIEWPORT)
    positions = page.evaluate("network.getPositions()")
    labels = page.evaluate("Object.fromEntries(NODES.map(n => [n.id, INFO.nodes[n.id].label]))")
    xs = {labels[n]: p["x"] for n, p in positions.items()}
    assert xs["Shining Path"] == min(xs.values()) and xs["Peru"] == max(xs.values()) and len(set(xs.values())) >= 2
    points = {(round(p["x"]), round(p["y"])) for p in positions.values()}
    assert len(points) == len(positions)  # no two nodes on top of each other
    assert errors == []
    page.close()


def test_filters_have_all_and_none_and_dates_leave_no_isolated_node(open_page, view_set):
    page, requests, errors = open_page((view_set / "index.html").as_uri(), viewport=VIEWPORT)
    total = page.evaluate("nodes.length")
    page.click("#filters summary")
    page.click("#class-filters button.none")
    assert page.evaluate("nodes.get({filter: n => !n.hidden}).length") == 0
    page.click("#class-filters button.all")
    assert page.evaluate("nodes.get({filter: n => !n.hidden}).length") == total
    bars = page.locator("#histogram rect")
    assert bars.count() >= 2
    bars.first.click()
    month = bars.first.get_attribute("data-month")
    assert page.input_value("#date-from") == f"{month}-01"
    lonely = page.evaluate("""nodes.get({filter: n => !n.hidden}).filter(n =>
        !EDGES.some(e => (e.from === n.id || e.to === n.id) && !edges.get(e.id).hidden)).length""")
    assert lonely == 0 and page.evaluate("nodes.get({filter: n => !n.hidden}).length") < total
    page.click("#all-dates")
    assert page.evaluate("nodes.get({filter: n => !n.hidden}).length") == total
    assert offsite(requests) == [] and errors == []
    page.close()


def test_a_screenshot_shows_every_class_of_the_legend(open_page, view_set, tmp_path):
    """Count what the canvas drew: pixels of each class's colour, and the screenshot taken of it."""
    page, _, errors = open_page((view_set / "index.html").as_uri(), viewport=VIEWPORT)
    page.evaluate("network.fit({animation: false}); network.redraw()")
    page.wait_for_timeout(200)
    shot = page.locator("#network").screenshot(path=str(tmp_path / "index.png"))
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    counts = page.evaluate("""() => {
        // each class's colour counted on the canvas once one node of that class is in view, so a small node
        // hidden under a dense fit still counts as drawn when it is drawn
        const canvas = document.querySelector('#network canvas');
        const wanted = {};
        for (const item of legendItems().filter(i => i.kind === 'node')) {
            const node = nodes.get().find(n => (n.color && (n.color.background || n.color)) === item.color);
            if (node) { network.focus(node.id, {scale: 2, animation: false}); }
            network.redraw();
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            wanted[item.color] = 0;
            for (let i = 0; i < data.length; i += 4) {
                const hex = '#' + [0, 1, 2].map(k => data[i + k].toString(16).padStart(2, '0')).join('');
                if (hex === item.color) wanted[item.color] += 1;
            }
        }
        return wanted;
    }""")
    assert counts and all(n > 0 for n in counts.values()), counts
    assert errors == []
    page.close()


def test_a_node_is_expanded_in_place_from_the_sets_own_data(open_page, view_set):
    import json
    import re

    page, requests, errors = open_page((view_set / "entity" / "vraem.html").as_uri(), viewport=VIEWPORT)
    drawn = set(page.evaluate("nodes.getIds()"))
    gains = {}
    for node, url in page.evaluate("Object.entries(INFO.nodes).filter(([id, i]) => i.expand)"
                                   ".map(([id, i]) => [id, i.expand])"):
        script = (view_set / "entity" / url).resolve().read_text(encoding="utf-8")
        data = json.loads(re.fullmatch(r"kgExpand\((.*)\);\n", script, re.S).group(1))
        gains[node] = {n["id"] for n in data["nodes"]} - drawn
    node = next(n for n, new in sorted(gains.items()) if new)
    page.evaluate(f"showNode({json.dumps(node)})")
    page.click("#panel button.expand")
    page.wait_for_function("document.body.dataset.expanded === '1'")
    assert set(page.evaluate("nodes.getIds()")) == drawn | gains[node]
    added = sorted(gains[node])[0]
    page.evaluate(f"showNode({json.dumps(added)})")  # the panels of what came in work as the others
    assert page.inner_text("#panel h2").strip() and page.locator("#panel a.own-view, #panel li").count() >= 1
    page.click("#panel button.pin")
    assert page.evaluate(f"nodes.get({json.dumps(added)}).fixed") is True
    assert offsite(requests) == [] and errors == []
    page.close()


def _legend_and_filters(page):
    return page.evaluate("""[[...document.querySelectorAll('#legend span')].map(s => s.textContent),
        [...document.querySelectorAll('#class-filters input, #predicate-filters input')].map(i => i.value)]""")


def test_the_legend_and_the_filters_follow_a_node_expanded_in_place(open_page, view_set):
    """Expanding brings classes and relations the page had none of: the legend draws them, the filters list
    them (with the boxes unticked before still unticked) and hide what comes in."""
    import json
    import re

    page, requests, errors = open_page((view_set / "entity" / "vraem.html").as_uri(), viewport=VIEWPORT)
    legend, boxes = _legend_and_filters(page)
    assert sorted(legend) == sorted(boxes)
    drawn = page.evaluate("Object.fromEntries(NODES.map(n => [n.id, INFO.nodes[n.id].type]))")
    richest, new_classes = None, set()
    for node, url in page.evaluate("Object.entries(INFO.nodes).filter(([id, i]) => i.expand)"
                                   ".map(([id, i]) => [id, i.expand])"):
        script = (view_set / "entity" / url).resolve().read_text(encoding="utf-8")
        data = json.loads(re.fullmatch(r"kgExpand\((.*)\);\n", script, re.S).group(1))
        types = {data["info"]["nodes"][n["id"]]["type"] for n in data["nodes"]} - set(drawn.values())
        if len(types) > len(new_classes):
            richest, new_classes = node, types
    assert richest and new_classes, "no expansion here brings a class of its own"
    kept = sorted(set(drawn.values()))[0]
    page.click("#filters summary")
    page.uncheck(f"#class-filters input[value='{kept}']")
    page.evaluate(f"showNode({json.dumps(richest)})")
    page.click("#panel button.expand")
    page.wait_for_function("document.body.dataset.expanded === '1'")
    legend, boxes = _legend_and_filters(page)
    assert new_classes <= set(legend) and new_classes <= set(boxes) and sorted(legend) == sorted(boxes)
    assert page.is_checked(f"#class-filters input[value='{kept}']") is False
    fresh = sorted(new_classes)[0]
    assert page.evaluate(f"nodes.get({{filter: n => INFO.nodes[n.id].type === {json.dumps(fresh)} && !n.hidden}})"
                         ".length") >= 1
    page.uncheck(f"#class-filters input[value='{fresh}']")
    assert page.evaluate(f"nodes.get({{filter: n => INFO.nodes[n.id].type === {json.dumps(fresh)} && !n.hidden}})"
                         ".length") == 0
    shapes = page.evaluate("[...document.querySelectorAll('#legend span.node svg > *')].map(p => p.dataset.shape)")
    assert len(shapes) == len(legend) - len(page.evaluate("legendItems().filter(i => i.kind === 'edge')"))
    assert offsite(requests) == [] and errors == []
    page.close()


def test_a_selection_is_shared_in_the_url_and_saved_as_graphml_png_and_svg(open_page, view_set, tmp_path):
    import xml.etree.ElementTree as ET

    import networkx as nx

    page, requests, errors = open_page((view_set / "index.html").as_uri() + "#select=shining-path,vraem",
                                       viewport=VIEWPORT)
    chosen = sorted(page.evaluate("network.getSelectedNodes()"))
    assert [c.rsplit("/", 1)[-1] for c in chosen] == ["shining-path", "vraem"]
    with page.expect_download() as download:
        page.click("#graphml")
    path = tmp_path / "selection.graphml"
    download.value.save_as(path)
    graph = nx.read_graphml(path)
    assert sorted(graph.nodes) == chosen and graph.number_of_edges() >= 1
    assert {d["label"] for _, d in graph.nodes(data=True)} == {"Shining Path", "VRAEM"}
    page.evaluate("network.unselectAll()")
    page.click("#share")
    assert page.evaluate("location.hash") == "#select="
    with page.expect_download() as download:
        page.click("#png")
    download.value.save_as(tmp_path / "view.png")
    assert (tmp_path / "view.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as download:
        page.click("#svg")
    download.value.save_as(tmp_path / "view.svg")
    svg = ET.parse(tmp_path / "view.svg").getroot()
    drawn = {e.get("data-id"): (e.tag.split("}")[1], e.get("data-shape"), e.get("fill"))
             for e in svg if e.get("data-id")}
    # each node in the shape and colour the canvas draws it with (styles.yaml): squares, diamonds, stars...
    expected = page.evaluate("Object.fromEntries(nodes.get({filter: n => !n.hidden}).map(n => "
                             "[n.id, [network.body.nodes[n.id].options.shape, n.color]]))")
    assert {i: (shape, color) for i, (_, shape, color) in drawn.items()} == {i: tuple(v) for i, v in expected.items()}
    tags = {shape: tag for tag, shape, _ in drawn.values()}
    assert tags["square"] == "rect" and tags["diamond"] == "polygon" and tags["star"] == "polygon"
    assert tags.get("dot", "circle") == "circle" and len(set(tags)) >= 4
    assert len(svg.findall("{http://www.w3.org/2000/svg}line")) == page.evaluate("edges.length")
    assert offsite(requests) == [] and errors == []
    page.close()
