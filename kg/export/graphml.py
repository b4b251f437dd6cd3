"""The entity network as GraphML or GEXF, for Gephi and Cytoscape.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.errors import KgError
from kg.network.model import load_network
from kg.store.embedded import Store

__all__ = ["export_network"]


def export_network(store: Store, fmt: str, out: str | Path) -> int:
    """GraphML or GEXF with labels, classes and evidence counts, for Gephi and Cytoscape."""
    graph = load_network(store)
    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, data in sorted(graph.nodes(data=True)):
        flat.add_node(node, label=data["label"], type=data["type"], aliases="|".join(data["aliases"]),
                      articles=len(data["articles"]))
    for s, o, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        flat.add_edge(s, o, key=key, predicate=key, evidence=len(data["evidence"]),
                      sentence=data["evidence"][0].sentence if data["evidence"] else "")
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(flat, out)
    elif fmt == "gexf":
        nx.write_gexf(flat, out)
    else:
        raise KgError(f"unknown network format '{fmt}'")
    return flat.number_of_edges()

