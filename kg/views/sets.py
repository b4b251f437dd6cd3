"""The investigators' set of views: index.html (the whole graph, listing every other view), one ego view per
actor and region with at least two facts, one view per article, and a timeline of events. The set shares one
copy of vis-network and of the views' script in lib/ (copy the folder as a whole)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from kg import __version__
from kg.knowledge.ontology import default_ontology
from kg.network.articles import ArticleText, read_article_text, sentence_anchor
from kg.network.model import load_network
from kg.rdf.quads import article_id
from kg.views.pages import LIB_FILES, library_file, templates
from kg.views.render import (
    ViewInfo,
    caps,
    cut_note,
    ego_graph,
    entity_slug,
    has_view,
    most_reported,
    neighbour_data,
    render_view,
)

if TYPE_CHECKING:
    from kg.store.embedded import Store

__all__ = ["write_views", "TIMELINE_EVENTS", "TIMELINE_PAGE"]

# The set's timeline page lists the most recent events, not all: 10,000 articles report 100,000 events.
TIMELINE_EVENTS = 5000
# Events per page of the timeline page (Previous and Next turn them).
TIMELINE_PAGE = 100


def write_views(store: Store, folder: str | Path, depth: int = 1, max_nodes: int | None = None,
                max_links: int | None = None, progress: Callable[[int, int], None] | None = None) -> list[ViewInfo]:
    """The investigators' set: index.html (whole graph, listing the others), entity/<id>.html for every actor
    and region with at least two facts, article/<id>.html for every article, timeline.html and map.html (see
    `kg.views.map`); the graph
    and entity views with at most `max_nodes` nodes and `max_links` links (see `most_reported` and `caps`).

    Each page is written as soon as it is drawn (a store of thousands of articles makes thousands of pages);
    `progress` is called after each with the number written and the number in all."""
    folder = Path(folder)
    graph = load_network(store)
    entity_ids = sorted(n for n, d in graph.nodes(data=True) if has_view(d["type"]) and graph.degree(n) >= 2)
    articles = sorted({e.article for *_, d in graph.edges(data=True) for e in d["evidence"] if e.article})
    targets = {node: f"entity/{entity_slug(node)}.html" for node in entity_ids}
    total = len(entity_ids) + len(articles) + 3
    (folder / "lib").mkdir(parents=True, exist_ok=True)
    for name in LIB_FILES:
        (folder / "lib" / name).write_bytes(library_file(name))
    infos: list[ViewInfo] = []

    def page(info: ViewInfo, sub: nx.MultiDiGraph, article: ArticleText | None = None,
             centre: str | None = None) -> None:
        up = os.path.relpath(folder, (folder / info.path).parent)
        links = {n: f"{up}/{t}" for n, t in targets.items() if n in sub}
        _write(folder / info.path, render_view(sub, f"actorgraph: {info.title}", links=links, lib=f"{up}/lib",
                                               article=article, article_pages=f"{up}/article/",
                                               expand_pages=f"{up}/data/"))
        if centre:  # what a view of the set loads to expand this entity in place
            _write(folder / "data" / f"{entity_slug(centre)}.js",
                   neighbour_data(sub, centre, links, f"{up}/article/", expand_pages=f"{up}/data/"))
        infos.append(info)
        if progress:
            progress(len(infos), total)

    limit, most = caps(True, max_nodes, max_links)
    for node in entity_ids:
        near = ego_graph(graph, node, depth)
        ego = most_reported(near, limit, node, most)
        title = f"{graph.nodes[node]['label']} and its neighbours" + cut_note(ego, near.number_of_nodes(),
                                                                            near.number_of_edges())
        page(ViewInfo(f"entity/{entity_slug(node)}.html", title, "entity", ego.number_of_nodes(),
                      ego.number_of_edges()), ego, centre=node)
    for iri in articles:
        sub = load_network(store, article=article_id(iri))
        text = read_article_text(store, article_id(iri))
        page(ViewInfo(f"article/{article_id(iri)}.html", text.headline or article_id(iri), "article",
                      sub.number_of_nodes(), sub.number_of_edges()), sub, text)
    events = _timeline(graph)
    timeline = _most_recent(events, TIMELINE_EVENTS)
    cut = "" if len(timeline) == len(events) else \
        f" (the {len(timeline)} most recent of {len(events)}; all of them: kg query --saved timeline)"
    _write(folder / "timeline.html", templates().get_template("timeline.html").render(
        title="actorgraph: timeline of events" + cut, version=__version__, events=timeline, page_size=TIMELINE_PAGE,
        types=sorted({e["type"] for e in timeline})))
    infos.append(ViewInfo("timeline.html", "Timeline of events" + cut, "timeline", len(timeline), 0))
    if progress:
        progress(len(infos), total)
    from kg.views.map import draw_map  # (the map draws on the network views' panels)

    html, drawn = draw_map(store, graph=graph, entity_pages=targets, article_pages="article/")
    _write(folder / "map.html", html)
    infos.append(ViewInfo("map.html", "Map of regions", "map", drawn["drawn"], 0))
    if progress:
        progress(len(infos), total)
    limit, most = caps(False, max_nodes, max_links)
    shown = most_reported(graph, limit, max_links=most)
    title = "actorgraph: the whole graph" + cut_note(shown, graph.number_of_nodes(), graph.number_of_edges())
    index = ViewInfo("index.html", title, "graph", shown.number_of_nodes(), shown.number_of_edges())
    _write(folder / "index.html", render_view(shown, index.title, links=targets, views=infos, lib="lib",
                                              article_pages="article/", expand_pages="data/"))
    if progress:
        progress(len(infos) + 1, total)
    return [index] + infos


def _timeline(graph: nx.MultiDiGraph) -> list[dict]:
    """Events with their roles and evidence, by date (undated last)."""
    events = []
    kinds = default_ontology().event_classes
    for node, data in graph.nodes(data=True):
        if data["type"] not in kinds:
            continue
        roles: dict[str, list[str]] = {"agent": [], "target": [], "place": []}
        evidence = None
        for _, other, key, edge in graph.out_edges(node, keys=True, data=True):
            roles.setdefault(key, []).append(graph.nodes[other]["label"])
            evidence = evidence or (edge["evidence"][0] if edge["evidence"] else None)
        events.append({"date": data.get("date", ""), "type": data["type"], "agent": ", ".join(sorted(roles["agent"])),
                       "target": ", ".join(sorted(roles["target"])), "place": ", ".join(sorted(roles["place"])),
                       "sentence": evidence.sentence if evidence else "", "headline": evidence.headline if evidence
                       else "", "published": evidence.date if evidence else "",
                       "link": f"article/{article_id(evidence.article)}.html#{sentence_anchor(evidence.start)}"
                       if evidence and evidence.article and evidence.sentence else ""})
    return sorted(events, key=lambda e: (e["date"] == "", e["date"], e["type"], e["sentence"]))


def _most_recent(events: list[dict], limit: int) -> list[dict]:
    """The `limit` most recent of events in date order (undated last), still in date order; undated events
    only if fewer dated ones than `limit`."""
    dated = sum(1 for e in events if e["date"])
    return events[dated - limit:dated] if dated >= limit else events[:limit]


def _write(path: Path, html: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
