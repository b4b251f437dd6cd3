"""Interactive network views (pyvis / vis-network) in self-contained HTML files that work offline.

pyvis builds the nodes and edges; the page is our own template (kg.views.pages) with vis-network inlined, so
nothing is fetched from a CDN. Every text from an article reaches the page as JSON (with `<` escaped) and is
put into the DOM with textContent, so an article cannot inject markup. A single view written by `write_view`
carries its own copy of vis-network; the set of views (kg.views.sets) shares one.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
from markupsafe import Markup
from pyvis.network import Network

from kg import __version__
from kg.errors import KgError
from kg.knowledge.ontology import default_ontology
from kg.network.articles import (
    ArticleText,
    marked_paragraphs,
    read_article_text,
    sentence_anchor,
)
from kg.network.find import find_entity, find_entity_in_store
from kg.network.model import Evidence, load_network, newest_first
from kg.network.selection import node_weights, rank_links, rank_nodes, select_nodes
from kg.rdf.quads import article_id
from kg.views.pages import script_json, templates, view_script, vis_library
from kg.views.styles import default_styles

if TYPE_CHECKING:
    from kg.store.embedded import Store

__all__ = ["ViewInfo", "write_view", "draw_view", "entity_slug", "render_view", "ego_graph", "most_reported",
           "neighbour_data", "MAX_NODES", "MAX_LINKS", "EGO_NODES", "EGO_LINKS", "caps", "cut_note", "has_view"]

PHYSICS_LIMIT = 150  # above this many nodes, positions are computed here and the browser does no physics
# Beyond this many nodes and links a view is a hairball nobody reads, and its page runs to hundreds of
# megabytes (the neighbourhood of the most reported cartel of 10,000 generated articles at depth 2: 39,000
# nodes and 128,000 links, a 240 MB page; its 150 most reported nodes alone share 10,000 links).
MAX_NODES = 500
MAX_LINKS = 2000
# An entity's view draws fewer: up to PHYSICS_LIMIT nodes the browser lays it out itself, and the 150 most
# reported neighbours of a cartel in ten thousand articles already share 10,000 links. Reading the evidence
# of each link drawn is most of the view's cost: with 500 nodes and 2,000 links that cartel's took 2.3 s.
EGO_NODES = PHYSICS_LIMIT
EGO_LINKS = 600
# A node's panel lists the newest articles mentioning it, not all: a country is named in thousands. A link's
# lists the sentences of the newest articles stating it: a cartel's presence in a country is stated in
# thousands (`why` reads them all).
ARTICLES_LISTED = 50
SOURCES_LISTED = 3


@dataclass(frozen=True)
class ViewInfo:
    """One written view: where it is (relative to the views folder), what it shows, how big it is."""

    path: str
    title: str
    kind: str
    nodes: int
    edges: int


class _IdList(list):
    """pyvis keeps node ids in a list and tests membership on every add: a set beside it keeps that O(1)."""

    def __init__(self):
        super().__init__()
        self._seen: set = set()

    def append(self, item) -> None:
        self._seen.add(item)
        super().append(item)

    def __contains__(self, item) -> bool:
        return item in self._seen


class _Network(Network):
    """A pyvis Network whose node checks are O(1), so 5,000-node views build in linear time."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.node_ids = _IdList()

    def get_nodes(self):
        return self.node_ids


def has_view(node_type: str) -> bool:
    """Whether a node of this class gets a view of its own in a set: actors and regions do (kg.ttl)."""
    ontology = default_ontology()
    return node_type in ontology.actor_classes or node_type in ontology.region_classes


def ego_graph(graph: nx.MultiDiGraph, centre: str, depth: int) -> nx.MultiDiGraph:
    """The entity and everything within `depth` hops of it, whatever the edges' direction."""
    near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre, cutoff=depth)
    return graph.subgraph(sorted(near)).copy()


def most_reported(graph: nx.MultiDiGraph, limit: int, centre: str | None = None,
                  max_links: int = 0) -> nx.MultiDiGraph:
    """At most `limit` nodes and `max_links` links (0: no limit), ranked as `select_nodes` ranks them in the
    store (`rank_nodes`, `rank_links`), each link weighed by the number of sources stating it (`sources`). A
    node the cut leaves without links goes too."""
    sources = {(s, key, o): d["sources"] for s, o, key, d in graph.edges(keys=True, data=True)}
    if (not limit or graph.number_of_nodes() <= limit) and (not max_links or len(sources) <= max_links):
        return graph
    hops = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre) if centre else {}
    kept = set(rank_nodes(dict.fromkeys(graph, 0) | node_weights(sources), hops, limit))
    among = {key: n for key, n in sources.items() if key[0] in kept and key[2] in kept}
    # (a multigraph's edges are (u, v, key); the networkx stub types edge_subgraph with pairs only)
    return graph.edge_subgraph([(s, o, p) for s, p, o in rank_links(among, hops, max_links)]).copy()  # type: ignore[misc]


def render_view(graph: nx.MultiDiGraph, title: str, links: dict[str, str] | None = None,
                views: list[ViewInfo] | None = None, highlight: set[tuple[str, str]] | None = None,
                lib: str | None = None, query_page: str | None = None, article: ArticleText | None = None,
                article_pages: str | None = None, chain_from: str | None = None,
                expand_pages: str | None = None) -> str:
    """The HTML page of a network. `links` maps node ids to their own view (relative URL); `views` lists the
    other views (on the landing page); `highlight` names edges (u, v) to draw thick (a path). With `lib` (a
    relative folder) the page loads vis-network and its script (`LIB_FILES`) from there instead of carrying its
    own copy; with
    `query_page` (the URL of `kg serve`'s query page), a link stated more often than shown links to the `why`
    query that lists every source. With `article`, the page is that article's reader: its text beside the
    network, every fact's sentence marked where it stands; with `article_pages` (a relative folder), every
    sentence and headline in a panel links to its place in its article's reader page there. With `chain_from`
    (a node: a path view), the nodes stand in columns by their distance from it, so the chain reads left to
    right. With `expand_pages` (a relative folder of `neighbour_data` scripts), a node with a view of its own
    can be expanded in place: its neighbours are added to the drawing from `<slug>.js` there."""
    drawn = _drawing(graph, links, highlight, query_page, article, article_pages, chain_from, expand_pages)
    return _page(graph, title, views, lib, article, *drawn)


def _drawing(graph: nx.MultiDiGraph, links: dict[str, str] | None, highlight: set[tuple[str, str]] | None,
             query_page: str | None, article: ArticleText | None, article_pages: str | None,
             chain_from: str | None, expand_pages: str | None) -> tuple:
    """The nodes and edges vis-network draws and what the panels show of them (see `render_view`)."""
    styles, events = default_styles(), default_ontology().event_classes  # (each looked up once, not per node)
    net = _Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    undirected = graph.to_undirected(as_view=True)
    centrality = nx.degree_centrality(undirected) if graph.number_of_nodes() > 1 else {}
    physics = graph.number_of_nodes() <= PHYSICS_LIMIT and chain_from is None
    positions: dict = {}
    if chain_from is not None:
        positions = _chain_positions(undirected, chain_from)
    elif not physics:  # (numpy comes in only here: a tenth of a second off `kg view --focus` as a command)
        from kg.network.layout import layout

        positions = layout(nx.Graph(undirected))
    info_nodes, info_edges = {}, {}
    sentences: dict[int, str] = {}
    stated_at: dict[str, list[str]] = {}
    for node, data in sorted(graph.nodes(data=True)):
        color, shape = styles.of_class(data["type"])
        own = (links or {}).get(node)
        tooltip = "\n".join(filter(None, [data["label"], data["type"],
                                          "Also: " + ", ".join(data["aliases"][:8]) if data["aliases"] else "",
                                          *[f"In: {h}" for h in list(data["articles"].values())[:5]]]))
        extra = {"x": round(float(positions[node][0]), 1), "y": round(float(positions[node][1]), 1)} \
            if positions else {}
        net.add_node(node, label=_short_label(graph, node, data, events), title=tooltip, color=color, shape=shape,
                     value=round(1 + 99 * centrality.get(node, 0) ** 0.5, 1), **extra)
        info_nodes[node] = {"label": data["label"], "type": data["type"], "aliases": data["aliases"],
                            "positions": data["positions"], "facts": [], "view": own,
                            "expand": f"{expand_pages}{entity_slug(node)}.js" if own and expand_pages is not None
                            else None,
                            "articles": _listed(data["articles"], data["mentioned"], data["label"], article_pages)}
    for s, o, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        edge_id = "e" + hashlib.sha256(f"{s} {key} {o}".encode()).hexdigest()[:12]  # the same in every view
        evidence = _newest_evidence(data["evidence"])
        first = evidence[0] if evidence else None
        tooltip = f"{graph.nodes[s]['label']} {key} {graph.nodes[o]['label']}"
        if first and first.sentence:
            tooltip += f"\n\u201c{first.sentence}\u201d\n{first.headline} ({first.date})"
        elif first:
            tooltip += f"\nfrom the gazetteer: {first.entry}"
        wide = highlight is not None and ((s, o) in highlight or (o, s) in highlight)
        net.add_edge(s, o, id=edge_id, label=key, title=tooltip, color=styles.of_relation(key),
                     arrows="to", font={"size": 10, "align": "middle"}, width=6 if wide else 1)
        unread = data["sources"] - len({e.article or e.entry for e in evidence})
        ends = {"from": graph.nodes[s]["label"], "to": graph.nodes[o]["label"]}
        more = f"\u2026 and {unread} older: kg query --saved why --bind from=\"{ends['from']}\" " \
               f"to=\"{ends['to']}\"" if unread > 0 else ""
        why = f"{query_page}?{urllib.parse.urlencode({'saved': 'why', **ends})}" if more and query_page else ""
        info_edges[edge_id] = {"from": s, "to": o, "predicate": key, "dates": data["dates"], "sources": data["sources"],
                               "more": more, "why": why, "evidence": [
            {"sentence": e.sentence, "subject_text": e.subject_text, "object_text": e.object_text,
             "headline": e.headline, "date": e.date, "outlet": e.publisher, "rule": e.rule, "entry": e.entry,
             "article": article_id(e.article), "link": _sentence_link(e, article, article_pages)}
            for e in evidence]}
        if article:
            for e in data["evidence"]:
                if e.sentence and article_id(e.article) == article.id:
                    sentences[e.start] = e.sentence
                    stated_at.setdefault(sentence_anchor(e.start), []).append(edge_id)
        info_nodes[s]["facts"].append(f"{key} {graph.nodes[o]['label']}")
        info_nodes[o]["facts"].append(f"{graph.nodes[s]['label']} {key}")
    nodes, edges, *_ = net.get_network_data()
    return nodes, edges, info_nodes, info_edges, sentences, stated_at, physics


def neighbour_data(graph: nx.MultiDiGraph, centre: str, links: dict[str, str] | None = None,
                   article_pages: str | None = None, query_page: str | None = None,
                   expand_pages: str | None = None) -> str:
    """The script a view loads to expand `centre` in place (see `render_view`): the nodes, links and panels
    of `graph` (its neighbourhood) as a call of the page's `kgExpand`."""
    nodes, edges, info_nodes, info_edges, *_ = _drawing(graph, links, None, query_page, None, article_pages, None,
                                                         expand_pages)
    payload = {"centre": centre, "nodes": [{k: v for k, v in n.items() if k not in ("x", "y")} for n in nodes],
               "edges": edges, "info": {"nodes": info_nodes, "edges": info_edges}}
    return f"kgExpand({script_json(payload)});\n"


def _page(graph: nx.MultiDiGraph, title: str, views: list[ViewInfo] | None, lib: str | None,
          article: ArticleText | None, nodes: list, edges: list, info_nodes: dict, info_edges: dict,
          sentences: dict[int, str], stated_at: dict[str, list[str]], physics: bool) -> str:
    """The page of a drawing (see `render_view`)."""
    # Labels by level of detail: a label is drawn only when its text would be at least `drawThreshold` pixels
    # high, and a node's text grows with its size (`value`), so zoomed out only the big nodes are named, zoomed
    # in all are. The seed makes the browser's layout the same at every load.
    options = {"physics": {"enabled": physics, "stabilization": {"iterations": 300}},
               "layout": {"randomSeed": 7, "improvedLayout": graph.number_of_nodes() <= 100},
               "nodes": {"scaling": {"min": 10, "max": 50, "label": {"enabled": True, "min": 12, "max": 30,
                                                                     "drawThreshold": 9, "maxVisible": 30}}},
               "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": not physics},
               "edges": {"smooth": False, "font": {"size": 10, "align": "middle"}}}
    reader = None if article is None else {
        "headline": article.headline, "date": article.date, "outlet": article.publisher, "url": article.url,
        "id": article.id, "author": article.author, "topic": article.topic, "edges": stated_at,
        "paragraphs": marked_paragraphs(article.text, sentences, article.paragraphs),
        "sections": [section for *_, section in article.paragraphs]}
    listing = [{"path": v.path, "title": v.title, "kind": v.kind, "nodes": v.nodes, "edges": v.edges}
               for v in views or []]
    return templates().get_template("view.html").render(
        title=title, version=__version__, node_count=len(nodes), edge_count=len(edges),
        lib=lib, vis_js=None if lib else Markup((vis_library() / "vis-network.min.js").read_text(encoding="utf-8")),
        vis_css=None if lib else Markup((vis_library() / "vis-network.css").read_text(encoding="utf-8")),
        nodes_json=script_json(nodes), edges_json=script_json(edges),
        options_json=script_json(options), info_json=script_json({"nodes": info_nodes, "edges": info_edges}),
        views_json=script_json(listing), reader_json=script_json(reader), view_js=None if lib else view_script())


def _short_label(graph: nx.MultiDiGraph, node: str, data: dict, events: frozenset[str]) -> str:
    """An entity's label, or an event's (its class is one of `events`) in few words: its type, its place (else
    its target) and its date."""
    if data["type"] not in events:
        return data["label"]
    roles: dict[str, list[str]] = {}
    for _, other, key in graph.out_edges(node, keys=True):
        roles.setdefault(key, []).append(graph.nodes[other]["label"])
    where = sorted(roles.get("place") or roles.get("target") or [])
    party = (where[0][:24] + ("\u2026" if len(where[0]) > 24 else "")) if where else ""
    return " \u00b7 ".join(filter(None, [data["type"], party, data.get("date", "")]))


def _chain_positions(graph: nx.Graph, start: str) -> dict[str, tuple[float, float]]:
    """A path view's nodes in columns, one per hop from `start`, each column centred on the chain's line."""
    hops = nx.single_source_shortest_path_length(graph, start) if start in graph else {}
    columns: dict[int, list[str]] = {}
    for node in sorted(graph):
        columns.setdefault(hops.get(node, max(hops.values(), default=0) + 1), []).append(node)
    return {node: (260.0 * hop, 140.0 * (row - (len(column) - 1) / 2))
            for hop, column in columns.items() for row, node in enumerate(column)}


def _newest_evidence(evidence: list[Evidence]) -> list[Evidence]:
    """The evidence a link's panel shows: that of the `SOURCES_LISTED` newest articles (or entries) stating it,
    as `load_network` reads it when told to (`newest_sources`)."""
    sources = {e.article or e.entry: e.date for e in evidence}
    newest = set(newest_first(sources, sources)[:SOURCES_LISTED])
    return [e for e in evidence if (e.article or e.entry) in newest]


def _sentence_link(evidence: Evidence, article: ArticleText | None, article_pages: str | None) -> str:
    """Where a panel's sentence links: its place in this page's reader, or in its article's page of the set."""
    if not evidence.sentence:
        return ""
    anchor = sentence_anchor(evidence.start)
    if article and article_id(evidence.article) == article.id:
        return f"#{anchor}"
    return "" if article_pages is None else f"{article_pages}{article_id(evidence.article)}.html#{anchor}"


def _listed(articles: dict[str, str], mentioned: int, label: str, article_pages: str | None) -> list[dict]:
    """The headlines a node's panel lists (with the link to their reader page, if the page has them): the
    newest, and how to ask for the others (`mentioned` counts all the articles naming it, read or not)."""
    listed = [{"text": headline, "link": "" if article_pages is None else f"{article_pages}{article_id(iri)}.html"}
              for iri, headline in list(articles.items())[:ARTICLES_LISTED]]
    if mentioned <= len(listed):
        return listed
    return listed + [{"text": f"\u2026 and {mentioned - len(listed)} older: kg query --saved articles-mentioning "
                              f"--bind name=\"{label}\"", "link": ""}]


def write_view(store: Store, output: str | Path, focus: str | None = None, depth: int = 1,
               article: str | None = None, max_nodes: int | None = None,
               max_links: int | None = None) -> dict[str, int]:
    """Write the whole-graph view, an ego view (`focus`) or one article's view to `output`, with at most
    `max_nodes` nodes and `max_links` links (see `select_nodes`; 0: no limit; by default `EGO_NODES` and
    `EGO_LINKS` for an ego view, `MAX_NODES` and `MAX_LINKS` otherwise). Returns the nodes and edges drawn,
    the nodes there were to choose from (`of`) and the links among the chosen ones (`edges_of`)."""
    html, stats = draw_view(store, focus, depth, article, max_nodes, max_links)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(html, encoding="utf-8")
    return stats


def draw_view(store: Store, focus: str | None = None, depth: int = 1, article: str | None = None,
              max_nodes: int | None = None, max_links: int | None = None, entity_pages: str | None = None,
              lib: str | None = None, query_page: str | None = None,
              article_pages: str | None = None, expand_pages: str | None = None,
              data: bool = False) -> tuple[str, dict[str, int]]:
    """The page `write_view` writes, and its figures. With `entity_pages` (a relative folder, "" for the
    page's own) every actor and region drawn links to its own view there, `<slug>.html`, with `lib` the
    page loads vis-network from that folder, and with `query_page` the links stated more often than shown
    link to the query page (see `render_view`): how `kg serve` draws a view when it is asked for one. An
    article's view is its reader page (its text beside the network); with `article_pages` every sentence in a
    panel links to its place in its article's page there; with `expand_pages`, a node with a view of its own
    can be expanded in place from `<slug>.js` there, the script `data` asks for instead of the page (see
    `neighbour_data`)."""
    selection = None
    max_nodes, max_links = caps(bool(focus and not article), max_nodes, max_links)
    centre: str | None
    if focus and not article:  # read only the neighbourhood from the store
        centre = find_entity_in_store(store, focus)
        selection = select_nodes(store, max_nodes, centre, depth, max_links)
        graph = load_network(store, focus=centre, depth=depth, selection=selection, newest_sources=SOURCES_LISTED,
                             newest_articles=ARTICLES_LISTED)
        if centre not in graph:  # facts with literal objects only (holdsPosition): no edge to draw
            raise KgError(f"no entity named '{focus}' has facts in the store")
    else:
        if not article:
            selection = select_nodes(store, max_nodes, max_links=max_links)
        # a view with a size limit lists the newest sources and articles only
        graph = load_network(store, article=article, selection=selection,
                             newest_sources=SOURCES_LISTED if selection else 0,
                             newest_articles=ARTICLES_LISTED if selection else 0)
        centre = find_entity(graph, focus) if focus else None
    title, text = "actorgraph", read_article_text(store, article) if article else None
    if centre:
        graph = ego_graph(graph, centre, depth)
        title += f": {graph.nodes[centre]['label']} and its neighbours"
    elif text:
        title += f": {text.headline or 'article ' + text.id}"
    nodes = selection.total if selection else graph.number_of_nodes()
    links = selection.links_among if selection else graph.number_of_edges()
    graph = most_reported(graph, max_nodes, centre, max_links)
    title += cut_note(graph, nodes, links, selection.complete if selection else True)
    own = None if entity_pages is None else {
        node: f"{entity_pages}{entity_slug(node)}.html" for node, data in graph.nodes(data=True)
        if has_view(data["type"])}
    if data and centre:
        html = neighbour_data(graph, centre, own, article_pages, query_page, expand_pages)
    else:
        html = render_view(graph, title, links=own, lib=lib, query_page=query_page, article=text,
                           article_pages=article_pages, expand_pages=expand_pages)
    return html, {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "of": nodes, "edges_of": links}


def caps(ego: bool, max_nodes: int | None = None, max_links: int | None = None) -> tuple[int, int]:
    """The limits a view is drawn with: those given, else an ego view's or the others' defaults."""
    nodes, links = (EGO_NODES, EGO_LINKS) if ego else (MAX_NODES, MAX_LINKS)
    return nodes if max_nodes is None else max_nodes, links if max_links is None else max_links


def entity_slug(iri: str) -> str:
    """The name of an entity's page in a set of views: its IRI's last segment."""
    return iri.rsplit("/", 1)[-1]


def cut_note(drawn: nx.MultiDiGraph, nodes: int, links: int, complete: bool = True) -> str:
    """What a title says of a view cut to its limits: how many of how many."""
    parts = []
    if drawn.number_of_nodes() < nodes:
        parts.append(f"the {drawn.number_of_nodes()} most reported of {'' if complete else 'at least '}{nodes} "
                     f"entities and events")
    if drawn.number_of_edges() < links:
        parts.append(f"{'their' if parts else 'the'} {drawn.number_of_edges()} most reported links of {links}")
    return f" ({', '.join(parts)})" if parts else ""


