"""The embedded, persistent store (Oxigraph on disk) behind one small interface.

One article is one named graph, replaced in a single transaction: a failure leaves the article as it was
before, never half-written, and building the same article twice leaves the store unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from kg.errors import StoreError
from kg.vocab import ARTICLE, CONTENT_HASH, PREFIXES

__all__ = ["Store", "open_store"]


class Store:
    """A folder holding an Oxigraph database; `read_only` lets queries run beside a build.

    `Store(None)` is an in-memory store, for tests, scoring and notebooks. With `create=False` a missing folder is
    an error, not a new empty store (`kg remove` on a mistyped path).
    """

    def __init__(self, location: str | Path | None, read_only: bool = False, create: bool = True):
        self.location = str(location) if location else ":memory:"
        if location is None:
            self._db = ox.Store()
            return
        path = Path(location)
        try:
            if read_only or not create:
                if not path.exists():
                    raise StoreError(f"{path}: no store here; build one first with `kg build`")
            if read_only:
                self._db = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._db = ox.Store(str(path))
                self._repair()
        except OSError as exc:
            message = str(exc)
            if "lock" in message.lower():
                message = "the store is in use by another kg process (a build?); wait for it to finish"
            raise StoreError(f"{path}: cannot open the store: {message}") from exc

    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
        """Drop the named graph, then write the new quads in one transaction: a crash between the two leaves
        the article absent, never half-written; a new graph is a single transaction."""
        quads = [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]
        try:
            if self._db.contains_named_graph(graph):
                self._db.remove_graph(graph)
            self._db.extend(quads)
        except OSError as exc:
            raise StoreError(f"{self.location}: write failed: {exc}") from exc

    def replace_graph_and_update(self, graph: ox.NamedNode, quads: Iterable[ox.Quad], update: str) -> None:
        """Replace a named graph (drop it, with no quads) and run `update` (the summaries it changes) as one
        SPARQL update request, which Oxigraph runs as one transaction."""
        self.update(_replacement(graph, quads, update))

    def add_new_graphs(self, nquads: bytes, marks: list[ox.Quad], entries: list[ox.Quad] = ()) -> None:
        """Write statements the store does not hold yet with Oxigraph's bulk loader, parsed in Rust: new
        articles' graphs (N-Quads) and gazetteer entries the store lacks. Several times faster and far more
        compact on disk than one transaction per graph. The articles' content hashes (`marks`) go in last, in a
        transaction of their own: a graph without one is incomplete, and the next write open removes it."""
        try:
            self._db.bulk_load(nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
            if entries:
                self._db.bulk_extend(entries)
            self._db.extend(marks)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"{self.location}: write failed: {exc}") from exc

    def holds_only(self, graphs: set[str]) -> bool:
        """Whether every statement is in one of these named graphs: none in others, none in the default graph."""
        default = self._db.quads_for_pattern(None, None, None, ox.DefaultGraph())
        return {g.value for g in self._db.named_graphs()} <= graphs and next(iter(default), None) is None

    def clear(self) -> None:
        """Remove every statement (a build that writes every article anew starts from an empty store)."""
        try:
            self._db.clear()
        except OSError as exc:
            raise StoreError(f"{self.location}: write failed: {exc}") from exc

    def _repair(self) -> None:
        """Remove article graphs a killed build left without their content hash (see add_new_graphs)."""
        marks = self._db.quads_for_pattern(None, ox.NamedNode(CONTENT_HASH), None, None)
        complete = {q.graph_name.value for q in marks}
        for graph in list(self._db.named_graphs()):
            if graph.value.startswith(ARTICLE) and graph.value not in complete:
                self._db.remove_graph(graph)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Insert quads into the graphs they name, in one transaction."""
        try:
            self._db.extend(quads)
        except OSError as exc:
            raise StoreError(f"{self.location}: write failed: {exc}") from exc

    def drop_graph(self, graph: ox.NamedNode) -> None:
        self.update(f"DROP SILENT GRAPH {graph}")

    def update(self, sparql: str) -> None:
        try:
            self._db.update(sparql)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"{self.location}: write failed: {exc}") from exc

    def query(self, sparql: str, default_graphs: Iterable[str] = (), named_graphs: Iterable[str] = ()):
        """Run SPARQL with the project's prefixes predeclared, over the union of all graphs; or, given
        `default_graphs` (IRIs), over their merge as the default graph, as a SPARQL Protocol client asks with
        default-graph-uri. `named_graphs` (named-graph-uri) limits the graphs GRAPH ?g reaches."""
        dataset: dict = {"default_graph": [ox.NamedNode(g) for g in default_graphs]}
        if not dataset["default_graph"]:
            dataset = {"use_default_graph_as_union": True}
        named = [ox.NamedNode(g) for g in named_graphs]
        if named:
            dataset["named_graphs"] = named
        return self._db.query(sparql, prefixes=PREFIXES, **dataset)

    def quads_of(self, graph: str) -> list[ox.Quad]:
        """Every statement of one named graph."""
        return list(self._db.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad, sorted, so exports are byte-for-byte reproducible."""
        return iter(sorted(self._db.quads_for_pattern(None, None, None, None), key=str))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._db.named_graphs())

    def flush(self) -> None:
        self._db.flush()

    def optimize(self) -> None:
        """Compact the database. Each bulk load adds files of its own; after a large build, lookups that
        must visit them all are several times slower (a 1,000-article store: a join 0.24 s before, 0.07 s
        after, for about a second of compaction)."""
        try:
            self._db.optimize()
        except OSError as exc:
            raise StoreError(f"{self.location}: compaction failed: {exc}") from exc

    def __len__(self) -> int:
        return len(self._db)


def _replacement(graph: ox.NamedNode, quads: Iterable[ox.Quad], update: str) -> str:
    statements = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    parts = [f"DROP SILENT GRAPH {graph}"] + ([f"INSERT DATA {{ GRAPH {graph} {{\n{statements}\n}} }}"]
                                              if statements else []) + ([update] if update else [])
    return " ;\n".join(parts)


def open_store(location: str | Path, read_only: bool = False, create: bool = True):
    """The store named by a folder (embedded) or an http(s):// SPARQL endpoint (see kg.remote)."""
    if str(location).startswith(("http://", "https://")):
        from kg.store.remote import RemoteStore

        return RemoteStore(str(location))
    return Store(location, read_only=read_only, create=create)
