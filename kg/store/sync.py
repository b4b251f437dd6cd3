"""Copy a whole store to another: the embedded store into a SPARQL server (push) or back (pull).

Graph by graph, each replaced on the target as one update (big graphs in chunks), so an interrupted copy
leaves every graph on the target either as it was or complete; run it again to finish.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

__all__ = ["copy_store"]


def copy_store(source, target, progress: Callable[[str, int], None] | None = None) -> tuple[int, int]:
    """Copy every named graph of `source` into `target`; returns (graphs, statements) copied."""
    graphs = source.named_graphs()
    statements = 0
    for graph in graphs:
        quads = source.quads_of(graph)
        target.replace_graph(ox.NamedNode(graph), quads)
        statements += len(quads)
        if progress:
            progress(graph, len(quads))
    target.flush()
    return len(graphs), statements
