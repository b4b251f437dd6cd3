"""The build: article files -> read -> extract -> RDF -> check -> store, one transaction per article.

An article whose file and the curated data are unchanged is skipped before it is even parsed (its content
hash is in the store); the others are extracted in parallel worker processes (`jobs`) and written by this
process, in order, as they come back, in bulk-loaded batches, so memory stays bounded by the window of
articles in flight and the batch, not the corpus. The gazetteer entries an article needs go into the shared
gazetteer graph before the article's own graph (see kg.gazetteer_graph). A bad file, a missing one, one
whose id another file of the build already has, or one whose extraction fails with an unexpected exception (a
bug: the report names the file, the exception and where it was raised), is reported and skipped; the other
files of the same build still go in.
"""

from __future__ import annotations

import gc
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import NamedNode

from kg.errors import InvalidArticle, KgError
from kg.extract.article import Found, extract_found, find_mentions, parse_ahead
from kg.extract.parse import ModelMissing, load_model
from kg.knowledge.lexicon import Lexicon, load_lexicon
from kg.model import Extraction
from kg.pipeline.gazetteer import GazetteerGraph
from kg.pipeline.summaries import (
    Contribution,
    Fold,
    change,
    contribution,
    count_writes,
    curated_names,
    recomputed_lines,
    repair,
    start_writes,
    stored_contribution,
    summary_nquads,
    writes_since_compaction,
)
from kg.rdf.quads import (
    article_iri,
    article_quads,
    content_hash,
    curated_entities,
    curation_quads,
    gazetteer_entries,
    ontology_quads,
)
from kg.rdf.validate import check_article
from kg.read.files import file_digest, read_article, source_files
from kg.vocab import ARTICLE, CONTENT_HASH, CURATION_GRAPH, GAZETTEER_GRAPH, ONTOLOGY_GRAPH, SUMMARY_GRAPH

__all__ = ["BuildReport", "build", "extract_file", "remove_article"]


@dataclass
class BuildReport:
    """What a build did: articles written or unchanged, and the files it could not read."""

    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    entities: int = 0
    facts: int = 0
    events: int = 0
    statements: int = 0
    in_store: int = 0  # articles the store holds after the build

    @property
    def ok(self) -> bool:
        return not self.errors


def extract_file(path: str | Path, lexicon: Lexicon, article_id: str | None = None) -> Extraction:
    """Read and extract one article file, no store involved; its id is `article_id`, else made from its name."""
    return extract_found(_found(path, lexicon, article_id), lexicon)


def _found(path: str | Path, lexicon: Lexicon, article_id: str | None) -> Found:
    return find_mentions(read_article(path, lexicon.layout, lexicon.dates, article_id), lexicon)


@dataclass(frozen=True)
class _Done:
    """One article's result, as it travels back from a worker: its graph as N-Quads bytes, not live objects
    (the content hash apart, as `mark`: it is written last), and the ids of the gazetteer entries it needs."""

    path: str
    article_id: str
    nquads: bytes = b""
    mark: bytes = b""
    curated: tuple[str, ...] = ()
    error: str | None = None
    warnings: tuple[str, ...] = ()
    entities: int = 0
    facts: int = 0
    events: int = 0
    summary: Contribution | None = None


def _process_batch(items: list[tuple[Path, str]], lexicon: Lexicon) -> list[_Done]:
    """A few articles read up to the parse, their sentences parsed in one batch (kg.extract.article.parse_ahead),
    then extracted one by one. An article that fails is reported as it would be alone: by `_process`, which meets
    the same failure again."""
    found: dict[int, Found] = {}
    for i, (path, article_id) in enumerate(items):
        try:
            found[i] = _found(path, lexicon, article_id)
        except Exception:  # noqa: BLE001 (reported by _process, below)
            continue
    try:
        parse_ahead(list(found.values()), lexicon)
    except Exception:  # noqa: BLE001 (each article's own parse meets it again, and reports it)
        pass
    return [_process(path, article_id, lexicon, found.get(i)) for i, (path, article_id) in enumerate(items)]


def _process(path: Path, article_id: str, lexicon: Lexicon, found: Found | None = None) -> _Done:
    try:
        return _extracted(path, article_id, lexicon, found)
    except InvalidArticle as exc:
        return _Done(str(path), article_id, error=str(exc))
    except Exception as exc:  # noqa: BLE001 (a bug met in one article must not stop the build of the others)
        return _Done(str(path), article_id, error=f"{path}: not written, its extraction failed: {_summary(exc)}")


def _summary(exc: Exception) -> str:
    """The exception on one line, with the innermost frame it was raised in."""
    message = " ".join(str(exc).split())
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return f"{type(exc).__name__}: {message}"
    frame = frames[-1]
    package_parent = Path(__file__).resolve().parent.parent.parent
    where = Path(frame.filename)
    if where.is_relative_to(package_parent):
        where = where.relative_to(package_parent)
    return f"{type(exc).__name__}: {message} (in {frame.name}, {where}:{frame.lineno})"


def _extracted(path: Path, article_id: str, lexicon: Lexicon, found: Found | None) -> _Done:
    extraction = extract_found(found or _found(path, lexicon, article_id), lexicon)
    quads = article_quads(extraction, lexicon)
    curated = curated_entities(extraction, lexicon)
    violations = check_article(quads, lexicon.root, gazetteer_entries(curated, lexicon))
    warnings = extraction.article.warnings
    if violations:
        more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
        return _Done(str(path), extraction.article.id, warnings=warnings,
                     error=f"{path}: not written, its graph does not conform to ontology/shapes.ttl: "
                           f"{violations[0]}{more}")
    mark = [q for q in quads if q.predicate.value == CONTENT_HASH]
    body = [q for q in quads if q.predicate.value != CONTENT_HASH]
    return _Done(str(path), extraction.article.id, ox.serialize(body, format=ox.RdfFormat.N_QUADS) or b"",
                 ox.serialize(mark, format=ox.RdfFormat.N_QUADS) or b"", tuple(curated), warnings=warnings,
                 entities=len(extraction.entities),
                 facts=len(extraction.facts) + len(extraction.cited_outlets), events=len(extraction.events),
                 summary=contribution(article_iri(extraction.article.id).value, body))


_WORKER_LEXICON: Lexicon | None = None


def _die_with_parent() -> None:
    """On Linux, a worker gets SIGTERM when the build that started it dies, even by SIGKILL."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker_init(root: str) -> None:
    """One lexicon and one spaCy model per worker process, loaded once, before its first article; its parse
    cache (kg.extract.parse) then serves every article the worker extracts in this build."""
    global _WORKER_LEXICON  # noqa: PLW0603 (one lexicon per worker process, loaded once)
    _die_with_parent()
    _WORKER_LEXICON = load_lexicon(root)
    try:
        load_model()
    except ModelMissing:
        pass  # reported by each article's extraction, as in a build without workers (a failed initializer would
        # break the pool with no message)
    _collect_rarely()


def _collect_rarely() -> None:
    """The lexicon and the model stay for the worker's life: out of the collector's sight (gc.freeze), and the
    collector run every 50,000 allocations, not 700. An article allocates some hundred thousand objects (terms,
    Docs, quads) that are nearly all freed by their counts; each collection walked the millions of the lexicon
    and the model: a sixth of a worker's CPU time on generated articles (the SHACL check's index of an article's
    quads took 14 ms instead of 6)."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _worker(items: list[tuple[str, str]]) -> list[_Done]:
    if _WORKER_LEXICON is None:
        raise RuntimeError("a build worker runs only after _worker_init")
    return _process_batch([(Path(path), article_id) for path, article_id in items], _WORKER_LEXICON)


def _stored_hashes(store) -> dict[str, str]:
    rows = store.query(f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{CONTENT_HASH}> ?h }} }}")
    return {row["g"].value: row["h"].value for row in rows}


def build(sources: Iterable[str | Path], store, lexicon: Lexicon, progress: Callable[[str], object] | None = None,
          jobs: int = 1) -> BuildReport:
    """Build every article of `sources` into `store`, replacing each changed article's named graph.

    `store` is a store's folder or URL (written as `kg build` writes it: a folder into a copy put in its
    place when done, see kg.store.embedded.writing), or a store object, written as it is (a `Store` opened on
    a folder is marked mid-build meanwhile, see building_in_place). `jobs` worker processes extract in
    parallel (0: one per core); `progress` is called once per file. A file whose id is that of another file
    an earlier build put in the store is an error naming both, and not built.
    """
    if isinstance(store, (str, Path)):
        from kg.store.embedded import store_for_writing

        with store_for_writing(store) as written:
            return build(sources, written, lexicon, progress, jobs)
    from kg.store.embedded import building_in_place

    with building_in_place(store):
        return _build(sources, store, lexicon, progress, jobs)


def _build(sources: Iterable[str | Path], store, lexicon: Lexicon, progress: Callable[[str], object] | None,
           jobs: int) -> BuildReport:
    report = BuildReport()
    found = source_files(sources)
    report.errors.extend(found.errors)
    report.warnings.extend(found.warnings)
    stored = _stored_hashes(store)
    recorded: dict[str, str] = store.sources() if hasattr(store, "sources") else {}
    todo: list[tuple[Path, str]] = []
    for path, article_id in found.files:
        iri = article_iri(article_id).value
        try:
            unchanged = iri in stored and stored[iri] == content_hash(file_digest(path.read_bytes()),
                                                                       lexicon.fingerprint)
        except OSError as exc:
            report.errors.append(f"{path}: cannot read: {exc}")
            continue
        owner = recorded.get(article_id)
        if iri in stored and not unchanged and owner and owner != str(path.resolve()):
            report.errors.append(f"{path}: not built, its id '{article_id}' is already that of {owner} in the "
                                 f"store (an earlier build); rename one of them, or `kg remove {article_id}` first")
            continue
        recorded[article_id] = str(path.resolve())
        if unchanged:
            report.unchanged.append(article_id)
            if progress:
                progress(str(path))
        else:
            todo.append((path, article_id))
    # Every article of the store to be written anew (the curated data changed), and nothing else in it: they go
    # in as new ones, bulk-loaded into an empty store. Replaced one transaction each, 1,000 generated articles
    # took 46 s instead of 19 s from scratch, and left the store in pieces that made anchored queries a third
    # slower. (A graph of someone else's in the store keeps the slow way, and the graph.)
    if stored and hasattr(store, "clear") and stored.keys() <= {article_iri(i).value for _, i in todo} \
            and store.holds_only(stored.keys() | {ONTOLOGY_GRAPH, CURATION_GRAPH, GAZETTEER_GRAPH, SUMMARY_GRAPH}):
        store.clear()
    store.replace_graph(NamedNode(ONTOLOGY_GRAPH), ontology_quads(lexicon))
    store.replace_graph(NamedNode(CURATION_GRAPH), curation_quads(lexicon))
    gazetteer = GazetteerGraph(store, lexicon)
    existing = set(store.named_graphs())
    had_articles = any(g.startswith(ARTICLE) for g in existing)
    previous_writes = writes_since_compaction(store)
    stale = had_articles and previous_writes is None  # left by a killed build: computed anew at the end
    start_writes(store)
    # A few new articles for a store that holds some go in one transaction each, summaries included (1-2 s for
    # one article into 10,000); many, or a store's first, are bulk-loaded and the summaries computed anew.
    bulk = hasattr(store, "add_new_graphs") and not (had_articles and len(todo) < _BULK_FROM)
    batch: list[tuple[_Done, list]] = []
    fold = Fold()
    bulk_loaded, written = False, 0
    for done in _results(todo, lexicon, jobs or os.cpu_count() or 1):
        report.warnings.extend(done.warnings)
        if done.error:
            report.errors.append(done.error)
        else:
            graph = article_iri(done.article_id)
            if graph.value in existing or not bulk:
                _write_batch(batch, store, report, fold)
                if graph.value in existing:
                    gazetteer.release(graph)
                written += 1
                _write(done, gazetteer.additions(done.curated), store, report, graph.value in existing)
                existing.add(graph.value)
            else:
                existing.add(graph.value)
                bulk_loaded = True
                batch.append((done, gazetteer.additions(done.curated)))
                if sum(len(d.nquads) for d, _ in batch) >= _BATCH_BYTES:
                    _write_batch(batch, store, report, fold)
        if progress:
            progress(done.path)
    _write_batch(batch, store, report, fold)
    gazetteer.finish()
    if bulk_loaded or stale:  # the summaries of every article, anew
        lines = fold.lines(curated_names(store)) if not had_articles else sorted(recomputed_lines(store))
        store.drop_graph(NamedNode(SUMMARY_GRAPH))
        if hasattr(store, "add_new_graphs"):
            store.add_new_graphs(summary_nquads(lines), [])
        else:
            repair(store)
    store.flush()
    writes = (previous_writes or 0) + written
    if not hasattr(store, "optimize") or bulk_loaded or writes >= _COMPACT_AFTER:
        if hasattr(store, "optimize"):
            store.optimize()
        writes = 0
    count_writes(store, writes)
    in_store = {g for g in store.named_graphs() if g.startswith(ARTICLE)}
    report.in_store = len(in_store)
    if hasattr(store, "record_sources"):
        store.record_sources({i: p for i, p in recorded.items() if article_iri(i).value in in_store})
    return report


def _results(paths: list[tuple[Path, str]], lexicon: Lexicon, jobs: int) -> Iterator[_Done]:
    """Results in the order of `paths` (with their ids), extracted `_PER_TASK` at a time; with several jobs, at
    most `_WINDOW` articles per worker in flight."""
    tasks = [paths[i:i + _PER_TASK] for i in range(0, len(paths), _PER_TASK)]
    if jobs <= 1 or len(paths) <= 1:
        for task in tasks:
            yield from _process_batch(task, lexicon)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init, initargs=(str(lexicon.root),)) as pool:
        window: deque[Future[list[_Done]]] = deque()
        for task in tasks:
            window.append(pool.submit(_worker, [(str(path), article_id) for path, article_id in task]))
            if len(window) * _PER_TASK >= _WINDOW * jobs:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


# Articles written or removed one transaction each after which the store is compacted, as after a bulk load:
# each transaction leaves pieces that lookups must visit until then. 400 articles written so into 10,000 made a
# cartel's places take 45 ms to list instead of 35-41; compacting took 16 s there. Counted across builds in
# the summaries graph (kg:writesSinceCompaction), so a newsroom adding one article at a time compacts now and
# then, not at every article.
_COMPACT_AFTER = 64
# New articles for a store already holding some from which they are bulk-loaded, not written one by one.
_BULK_FROM = 64
# New articles' N-Quads per bulk load. Each load costs more than its size (Oxigraph sorts and writes the batch
# as new files of the store, compacted later): 1,000 generated articles loaded 64 at a time (11 MB) cost the
# building process 16 s of CPU time, 48 MB at a time 12 s, and the build 8 % less time. Its peak memory
# follows the batch: 200 MiB, 440 MiB.
_BATCH_BYTES = 48 * 2**20
# Articles in flight per worker: enough for the workers to go on extracting while this process bulk-loads a
# batch (about 2 s). With 4, they stopped after eight articles and waited: at 10,000 articles this process
# waited 187 s of a 283 s build for results while the workers waited 73 s for it. With 64, a 1,000-article
# build took 18.2-19.6 s instead of 20.9-24.1 s, for some 20 MiB more memory (an article's N-Quads: 170 KB).
_WINDOW = 64
# Articles a worker extracts at a time, their sentences parsed in one batch: 4 give some 100 sentences, which
# parsed 13 ms faster per article than one article's 25 at a time; 8 were no faster.
_PER_TASK = 4


def _write_batch(batch: list, store, report: BuildReport, fold: Fold) -> None:
    if not batch:
        return
    marks = [q for done, _ in batch for q in ox.parse(done.mark, format=ox.RdfFormat.N_QUADS)]
    try:
        store.add_new_graphs(b"".join(done.nquads for done, _ in batch), marks,
                             [q for _, additions in batch for q in additions])
    except KgError as exc:
        report.errors.extend(f"{done.path}: {exc}" for done, _ in batch)
        batch.clear()
        return
    for done, additions in batch:
        _count(done, additions, report)
        fold.add(done.summary)
    batch.clear()


def _write(done: _Done, additions: list, store, report: BuildReport, stored: bool) -> None:
    """One article in one update request, with the change it makes to the summaries."""
    quads = list(ox.parse(done.nquads + done.mark, format=ox.RdfFormat.N_QUADS))
    graph = article_iri(done.article_id)
    try:
        old = stored_contribution(store, graph.value) if stored else None
        store.add(additions)  # first: the summaries name a curated person with the gazetteer's label
        store.replace_graph_and_update(graph, quads, change(store, graph.value, old, done.summary))
    except KgError as exc:
        report.errors.append(f"{done.path}: {exc}")
        return
    _count(done, additions, report)


def _count(done: _Done, additions: list, report: BuildReport) -> None:
    report.built.append(done.article_id)
    report.entities += done.entities
    report.facts += done.facts
    report.events += done.events
    report.statements += done.nquads.count(b"\n") + done.mark.count(b"\n") + len(additions)


def remove_article(store, article_id: str) -> None:
    """Remove one article's named graph; an unknown id is an error."""
    graph = article_iri(article_id)
    if graph.value not in store.named_graphs():
        raise KgError(f"no article '{article_id}' in the store")
    gazetteer = GazetteerGraph(store)
    gazetteer.release(graph)
    previous = writes_since_compaction(store)
    start_writes(store)
    store.replace_graph_and_update(graph, [], change(store, graph.value, stored_contribution(store, graph.value), None))
    if previous is None:  # left by a killed build
        repair(store)
    gazetteer.finish()
    count_writes(store, (previous or 0) + 1 if hasattr(store, "optimize") else 0)
    if hasattr(store, "record_sources"):
        store.record_sources({i: p for i, p in store.sources().items() if i != article_id})
