"""The entity network as GraphML or GEXF, for Gephi and Cytoscape.

Every node and edge carries a label, a `weight` (edges: the number of sources stating the link; nodes: the
number of articles naming the entity), a colour (the views' colours when the caller passes them: GEXF's
`viz:color`, GraphML's `color` attribute as #rrggbb) and the first and last publication dates of the articles
stating its links (`first_date`, `last_date`; in GEXF also the `start` and `end` that Gephi's timeline reads).
No internal key of networkx reaches the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kg.errors import KgError
from kg.network.model import load_network
from kg.store.embedded import Store

__all__ = ["export_network", "network_graph"]

GREY = "#999999"


class _GexfWriter(GEXFWriter):
    """networkx's GEXF writer, without the edge keys of a multigraph it adds as a `networkx_key` attribute."""

    def add_attributes(self, node_or_edge, xml_obj, data, default):
        return super().add_attributes(node_or_edge, xml_obj, {k: v for k, v in data.items() if k != "key"},
                                      default)


def _rgb(color: str) -> dict:
    return {"r": int(color[1:3], 16), "g": int(color[3:5], 16), "b": int(color[5:7], 16), "a": 1.0}


def _day(date: str) -> str:
    """A publication date as Gephi's timeline reads it (a full date), else nothing."""
    return date if len(date) == 10 else ""


def network_graph(store: Store, colors: Mapping[str, str] | None = None, gexf: bool = False) -> nx.MultiDiGraph:
    """The exported network: `colors` maps classes and predicates to #rrggbb (grey for a name not in it). With
    `gexf`, colours and dates in the form the GEXF writer turns into `viz:color` and
    `start`/`end`."""
    graph = load_network(store)
    colors = colors or {}
    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    dates: dict[str, list[str]] = {node: [] for node in graph}
    for s, o, data in graph.edges(data=True):
        for node in (s, o):
            dates[node].extend(d for d in map(_day, data["dates"]) if d)

    def when(found: list[str]) -> dict:
        span = {"first_date": min(found, default=""), "last_date": max(found, default="")}
        if gexf and found:
            span |= {"start": span["first_date"], "end": span["last_date"]}
        return span

    def paint(color: str) -> dict:
        return {"viz": {"color": _rgb(color)}} if gexf else {"color": color}

    for node, data in sorted(graph.nodes(data=True)):
        color = colors.get(data["type"]) or GREY
        flat.add_node(node, label=data["label"], type=data["type"], aliases="|".join(data["aliases"]),
                      weight=data["mentioned"], **when(dates[node]), **paint(color))
    for index, (s, o, key, data) in enumerate(sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])):
        ids = {"id": f"e{index}"} if gexf else {}  # (GraphML names an edge by its key, GEXF by its id)
        flat.add_edge(s, o, key=f"e{index}", **ids, label=key, predicate=key, weight=data["sources"],
                      evidence=len(data["evidence"]),
                      sentence=data["evidence"][0].sentence if data["evidence"] else "",
                      **when([d for d in map(_day, data["dates"]) if d]), **paint(colors.get(key) or GREY))
    return flat


def export_network(store: Store, fmt: str, out: str | Path | BinaryIO,
                   colors: Mapping[str, str] | None = None) -> int:
    """Write GraphML or GEXF (see `network_graph`) to a path or a binary stream; returns the edges written."""
    if fmt not in ("graphml", "gexf"):
        raise KgError(f"unknown network format '{fmt}'")
    flat = network_graph(store, colors, gexf=fmt == "gexf")
    if isinstance(out, (str, Path)):
        Path(out).parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(flat, out)
    else:
        writer = _GexfWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
        writer.add_graph(flat)
        writer.xml.find("meta").attrib.pop("lastmodifieddate", None)  # the same store, the same bytes
        if isinstance(out, (str, Path)):
            with open(out, "wb") as handle:
                writer.write(handle)
        else:
            writer.write(out)
    return flat.number_of_edges()
