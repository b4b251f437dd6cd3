"""The embedded, persistent store (Oxigraph on disk) behind one small interface.

One article is one named graph, replaced in a single transaction: a failure leaves the article as it was
before, never half-written, and building the same article twice leaves the store unchanged.

A build writes through `writing`: into a copy made beside the store (hard links to the store's files, so
cheap), put in the store's place when the build is done. Readers see the old store or the new one, never a
half-written one; a build killed part way leaves the store as it was. The copy carries a mark (`kg-building`)
until it is done, and a store that carries one is refused by readers; each finished build leaves a new
generation stamp (`kg-generation`), by which `kg serve` notices it. A build into a `Store` opened on its
folder (a notebook's `build(sources, Store(path), ...)`) writes in place: `building_in_place` marks the folder
while it runs, so readers are refused rather than shown half a store, and stamps it when done. Beside the
database, `kg-sources.json` names each article's source file, so that a build can tell an edited article from
another file that has the same id (see kg.pipeline.builder).
"""

from __future__ import annotations

import fcntl
import gc
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError
from kg.store.sparql_text import read_query_text
from kg.vocab import ARTICLE, CONTENT_HASH, PREFIXES

__all__ = ["BUILDING", "GENERATION", "SOURCES", "Store", "building_in_place", "check_readable", "generation",
           "open_store", "store_for_writing", "writing"]

BUILDING = "kg-building"
GENERATION = "kg-generation"
SOURCES = "kg-sources.json"


class Store:
    """A folder holding an Oxigraph database; `read_only` lets queries run beside a build.

    `Store(None)` is an in-memory store, for tests, scoring and notebooks. With `create=False` a missing folder is
    an error, not a new empty store (`kg remove` on a mistyped path).
    """

    def __init__(self, location: str | Path | None, read_only: bool = False, create: bool = True):
        self.location = str(location) if location else ":memory:"
        self.folder: Path | None = None  # where it writes (None: in memory, or read-only)
        self.staged = False  # a copy that `writing` puts in place
        if location is None:
            self._db = ox.Store()
            return
        path = Path(location)
        try:
            if read_only or not create:
                if not path.exists():
                    raise StoreError(f"{path}: no store here; build one first with `kg build`")
            if read_only:
                _refuse_unfinished(path)
                self._db = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._db = ox.Store(str(path))
                self.folder = path
                self._repair()
        except OSError as exc:
            message = str(exc)
            if "lock" in message.lower():
                message = "the store is in use by another kg process (a build?); wait for it to finish"
            raise StoreError(f"{path}: cannot open the store: {message}") from exc
        except RuntimeError as exc:  # RocksDB's word for a damaged database ("Corruption: ...")
            raise StoreError(f"{path}: the store is damaged ({str(exc).strip()[:300]}); build it again into a new "
                             f"folder (`kg build --store NEW`) or restore a copy") from exc

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

    def add_new_graphs(self, nquads: bytes, marks: list[ox.Quad], entries: Sequence[ox.Quad] = ()) -> None:
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
        complete = {q.graph_name.value for q in marks if isinstance(q.graph_name, ox.NamedNode)}
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
        """Run SPARQL with the project's prefixes predeclared, over the union of all graphs; or over the
        dataset the query names (FROM, FROM NAMED), as the standard says; or, given `default_graphs` and
        `named_graphs` (IRIs, as a SPARQL Protocol client asks with default-graph-uri and named-graph-uri), over
        that dataset, which then replaces the query's own: the merge of `default_graphs` as the default graph
        (empty when there are none), and `named_graphs` for GRAPH ?g (all of them when there are none)."""
        default = [ox.NamedNode(g) for g in default_graphs]
        named = [ox.NamedNode(g) for g in named_graphs]
        dataset: dict = {}
        if default or named:
            dataset["default_graph"] = default
            if named:
                dataset["named_graphs"] = named
        elif not read_query_text(sparql).has_dataset:
            dataset["use_default_graph_as_union"] = True
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

    def sources(self) -> dict[str, str]:
        """Each article's source file (its resolved path, by id), as the builds that wrote it recorded it."""
        if self.folder is None:
            return {}
        try:
            recorded = json.loads((self.folder / SOURCES).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return recorded if isinstance(recorded, dict) else {}

    def record_sources(self, sources: dict[str, str]) -> None:
        if self.folder is not None:
            (self.folder / SOURCES).write_text(json.dumps(sources, ensure_ascii=False, indent=0, sort_keys=True),
                                               encoding="utf-8")

    def optimize(self) -> None:
        """Compact the database. Each bulk load adds files of its own; after a large build, lookups that
        must visit them all are several times slower (a 1,000-article store: a join 0.24 s before, 0.07 s
        after, for about a second of compaction)."""
        try:
            self._db.optimize()
        except OSError as exc:
            raise StoreError(f"{self.location}: compaction failed: {exc}") from exc

    def close(self) -> None:
        """Let the database go: Oxigraph closes it when nothing holds it any more (see `writing`)."""
        del self._db

    def __len__(self) -> int:
        return len(self._db)


def _replacement(graph: ox.NamedNode, quads: Iterable[ox.Quad], update: str) -> str:
    statements = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    parts = [f"DROP SILENT GRAPH {graph}"] + ([f"INSERT DATA {{ GRAPH {graph} {{\n{statements}\n}} }}"]
                                              if statements else []) + ([update] if update else [])
    return " ;\n".join(parts)


def _refuse_unfinished(path: Path) -> None:
    if (path / BUILDING).exists():
        raise StoreError(f"{path}: this store was left part-written by a build that did not finish; build it "
                         f"again (`kg build`) to repair it, or rebuild it into a new folder")


def generation(location: str | Path) -> str:
    """The store's generation stamp: a new one after each finished build ("" for a store without one)."""
    try:
        return (Path(location) / GENERATION).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def check_readable(location: str | Path) -> None:
    """Open the store read-only and read from it, so a damaged or part-written one is refused with its path
    and what to do, rather than failing every query later."""
    try:
        store = Store(location, read_only=True)
        store.query("ASK { ?s ?p ?o }")
        store.named_graphs()
        list(store.query(f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{CONTENT_HASH}> ?h }} }}"))
    except StoreError:
        raise
    except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
        raise StoreError(f"{location}: the store cannot be read ({exc}); it is damaged: build it again into a new "
                         f"folder (`kg build --store NEW`) or restore a copy") from exc


@contextmanager
def writing(location: str | Path) -> Iterator[Store]:
    """The store at `location` to write in: a copy beside it, put in its place when the block ends without an
    error (see the module's docstring). One writer at a time: a second is refused while the first runs."""
    path = Path(location)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f".{path.name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise StoreError(f"{path}: another kg process is writing this store; wait for it to finish") from exc
        for leftover in path.parent.glob(f".{path.name}.new-*"):  # of a build that was killed
            shutil.rmtree(leftover, ignore_errors=True)
        staging = path.parent / f".{path.name}.new-{os.getpid()}-{time.time_ns()}"
        store: Store | None = None
        try:
            if path.exists():
                if (path / BUILDING).exists():  # written in place by a build that did not finish
                    (path / BUILDING).unlink()
                    Store(path)  # opened for writing: incomplete article graphs are removed (Store._repair)
                try:
                    ox.Store(str(path)).backup(str(staging))
                except (OSError, RuntimeError) as exc:
                    message = str(exc)
                    if "lock" in message.lower():
                        message = "the store is in use by another kg process (a build?); wait for it to finish"
                    raise StoreError(f"{path}: cannot open the store: {message}") from exc
                gc.collect()
                if (path / SOURCES).exists():
                    shutil.copy2(path / SOURCES, staging / SOURCES)
            staging.mkdir(parents=True, exist_ok=True)
            (staging / BUILDING).write_text(f"{os.getpid()}\n", encoding="utf-8")
            store = Store(staging)
            store.location, store.staged = str(path), True
            yield store
            store.flush()
            store.close()  # nothing is written into the folder once it is in place
            gc.collect()
            _stamp(staging)
            (staging / BUILDING).unlink()
            _put_in_place(staging, path)
        finally:
            if store is not None and hasattr(store, "_db"):  # a block that failed: let the copy's database go first,
                store.close()  # or its files, still open, may outlive the removal of the folder
                gc.collect()
            shutil.rmtree(staging, ignore_errors=True)


def _stamp(folder: Path) -> None:
    (folder / GENERATION).write_text(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {uuid.uuid4().hex[:12]}\n",
                                     encoding="utf-8")


@contextmanager
def building_in_place(store) -> Iterator[None]:
    """A build into `store` as it is: for a `Store` opened on its folder and not a copy of `writing`, the
    folder is marked mid-build while the block runs (readers that open it are refused, not shown half of it;
    a build killed part way leaves the mark, and the next `kg build` repairs the store), and stamped with a
    new generation when it ends (a running `kg serve` answers from it). Nothing for other stores."""
    folder = None if getattr(store, "staged", True) else getattr(store, "folder", None)
    if folder is None:
        yield
        return
    (folder / BUILDING).write_text(f"{os.getpid()}\n", encoding="utf-8")
    yield
    store.flush()
    _stamp(folder)
    (folder / BUILDING).unlink()


def _put_in_place(staging: Path, path: Path) -> None:
    """Swap the finished copy and the store in one step (renameat2 RENAME_EXCHANGE), so that the store's path
    never lacks a store; then `staging` holds the old one. Without that call, two renames."""
    if not path.exists():
        staging.rename(path)
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        at_fdcwd, rename_exchange = -100, 2
        if libc.renameat2(at_fdcwd, os.fsencode(staging), at_fdcwd, os.fsencode(path), rename_exchange) == 0:
            return
    except (OSError, AttributeError):
        pass
    old = path.parent / f".{path.name}.old-{os.getpid()}"
    path.rename(old)
    staging.rename(path)
    old.rename(staging)


@contextmanager
def store_for_writing(location: str | Path, create: bool = True, **remote):
    """The store named by `location` to write in: a folder through `writing`, a SPARQL server as it is."""
    if str(location).startswith(("http://", "https://")):
        yield open_store(location, **remote)
        return
    if not create and not Path(location).exists():
        raise StoreError(f"{location}: no store here; build one first with `kg build`")
    with writing(location) as store:
        yield store


def open_store(location: str | Path, read_only: bool = False, create: bool = True, **remote):
    """The store named by a folder (embedded) or an http(s):// SPARQL endpoint (see kg.remote; `remote` are
    its options: timeout, max_bytes)."""
    if str(location).startswith(("http://", "https://")):
        from kg.store.remote import RemoteStore

        return RemoteStore(str(location), **remote)
    return Store(location, read_only=read_only, create=create)
