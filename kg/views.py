"""Interactive network views (pyvis / vis-network) in one self-contained HTML file that works offline.

pyvis builds the nodes and edges; the page is our own template with vis-network inlined from the pyvis
package, so nothing is fetched from a CDN. Every text from an article reaches the page as JSON (with `<`
escaped) and is put into the DOM with textContent, so an article cannot inject markup.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pyvis.network import Network

from . import __version__
from .network import find_entity, load_network
from .store import Store

__all__ = ["write_view", "render_view", "CLASS_STYLE", "PREDICATE_COLOR"]

CLASS_STYLE = {
    "Person": ("#f28e2b", "dot"), "CriminalGroup": ("#d62728", "diamond"),
    "GovernmentBody": ("#1f77b4", "triangleDown"), "SecurityForce": ("#2ca02c", "triangle"),
    "MediaOutlet": ("#7f7f7f", "hexagon"), "Organization": ("#9467bd", "dot"),
    "Country": ("#8c564b", "square"), "AdministrativeArea": ("#17becf", "square"),
    "GeographicArea": ("#bcbd22", "square"), "CriminalEconomy": ("#e377c2", "triangle"),
}
EVENT_STYLE = ("#f2c14e", "star")
PREDICATE_COLOR = {
    "operatesIn": "#d62728", "locatedIn": "#b0b0b0", "memberOf": "#f28e2b", "leaderOf": "#ff5e00",
    "involvedIn": "#e377c2", "clashesWith": "#000000", "allyOf": "#2ca02c", "arrested": "#1f77b4",
    "deployedTo": "#17a2b8", "agent": "#8c6d31", "target": "#843c39", "place": "#6b6ecf",
}
PHYSICS_LIMIT = 150


def _json(data) -> Markup:
    """JSON safe inside a <script>: no '<' can close the tag or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _style(node_type: str) -> tuple[str, str]:
    return CLASS_STYLE.get(node_type, EVENT_STYLE)


def _subgraph(graph: nx.MultiDiGraph, focus: str | None, depth: int) -> nx.MultiDiGraph:
    if not focus:
        return graph
    centre = find_entity(graph, focus)
    near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre, cutoff=depth)
    return graph.subgraph(sorted(near)).copy()


def render_view(graph: nx.MultiDiGraph, title: str) -> str:
    """The HTML page for a network of entities."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    degree = dict(graph.to_undirected(as_view=True).degree())
    positions = {}
    physics = graph.number_of_nodes() <= PHYSICS_LIMIT
    if not physics:
        positions = nx.spring_layout(nx.Graph(graph), seed=7, scale=60 * graph.number_of_nodes() ** 0.5)
    info_nodes, info_edges = {}, {}
    for node, data in sorted(graph.nodes(data=True)):
        color, shape = _style(data["type"])
        tooltip = "\n".join(filter(None, [data["label"], data["type"],
                                          "Also: " + ", ".join(data["aliases"][:8]) if data["aliases"] else "",
                                          *[f"In: {h}" for h in list(data["articles"].values())[:5]]]))
        extra = {"x": float(positions[node][0]), "y": float(positions[node][1])} if positions else {}
        net.add_node(node, label=data["label"], title=tooltip, color=color, shape=shape,
                     size=12 + 4 * min(degree.get(node, 0), 10), **extra)
        info_nodes[node] = {"label": data["label"], "type": data["type"], "aliases": data["aliases"],
                            "positions": data["positions"], "articles": list(data["articles"].values()),
                            "facts": []}
    for index, (s, o, key, data) in enumerate(sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])):
        edge_id = f"e{index}"
        first = data["evidence"][0] if data["evidence"] else None
        tooltip = f"{graph.nodes[s]['label']} {key} {graph.nodes[o]['label']}"
        if first:
            tooltip += f"\n\u201c{first.sentence}\u201d\n{first.headline} ({first.date})"
        net.add_edge(s, o, id=edge_id, label=key, title=tooltip, color=PREDICATE_COLOR.get(key, "#999999"),
                     arrows="to", font={"size": 10, "align": "middle"})
        info_edges[edge_id] = {"from": s, "to": o, "predicate": key, "evidence": [
            {"sentence": e.sentence, "subject_text": e.subject_text, "object_text": e.object_text,
             "headline": e.headline, "date": e.date, "rule": e.rule, "article": e.article.rsplit("/", 1)[-1].removeprefix("article-")}
            for e in data["evidence"]]}
        fact = f"{key} {graph.nodes[o]['label']}"
        info_nodes[s]["facts"].append(fact)
        info_nodes[o]["facts"].append(f"{graph.nodes[s]['label']} {key}")
    nodes, edges, *_ = net.get_network_data()
    options = {"physics": {"enabled": physics, "stabilization": {"iterations": 300}},
               "interaction": {"hover": True, "tooltipDelay": 150},
               "edges": {"smooth": False}}
    used_types = sorted({d["type"] for _, d in graph.nodes(data=True)})
    used_predicates = sorted({k for *_, k in graph.edges(keys=True)})
    legend = [{"name": t, "color": _style(t)[0], "kind": "node"} for t in used_types] + \
             [{"name": p, "color": PREDICATE_COLOR.get(p, "#999999"), "kind": "edge"} for p in used_predicates]
    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True)
    return env.get_template("view.html").render(
        title=title, version=__version__, node_count=len(nodes), edge_count=len(edges),
        vis_js=Markup((lib / "vis-network.min.js").read_text(encoding="utf-8")),
        vis_css=Markup((lib / "vis-network.css").read_text(encoding="utf-8")),
        nodes_json=_json(nodes), edges_json=_json(edges), legend_json=_json(legend), options_json=_json(options),
        info_json=_json({"nodes": info_nodes, "edges": info_edges}))


def write_view(store: Store, output: str | Path, focus: str | None = None, depth: int = 2,
               article: str | None = None) -> dict[str, int]:
    """Write the whole-graph view, an ego view (`focus`) or one article's view to `output`."""
    graph = _subgraph(load_network(store, article=article), focus, depth)
    title = "actorgraph"
    if focus:
        title += f": {graph.nodes[find_entity(graph, focus)]['label']} and its neighbours"
    elif article:
        title += f": article {article}"
    html = render_view(graph, title)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(html, encoding="utf-8")
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
