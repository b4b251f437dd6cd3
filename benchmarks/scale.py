"""Scale figures: build N generated articles from scratch and again with no change, then time the saved
queries (and the same queries on an rdflib in-memory Dataset of the same data), the whole-graph view and
ego views. The anchored queries and ego views are also spread over the curated entities the corpus names
(median, 90th percentile, slowest), the ones analysts ask about.

    .venv/bin/python benchmarks/scale.py --articles 1000 [--jobs 2] [--rdflib-articles 200] [--keep DIR]

The rdflib comparison runs on the first --rdflib-articles articles only (rdflib needs about 5 GB and minutes
for 1,000): both engines answer the same queries on that same smaller store.

Targets on a 2-core machine: 10,000 articles built in under 10 minutes (with the dependency parse; no more
than 10 % slower for keeping the summaries graph), a no-change rebuild in under 30 s, peak memory under 2 GiB;
every saved query under 1 s median, "everything about" the busiest entity under 100 ms, entity-anchored saved
queries under 50 ms median, every saved query at least 5x faster than on rdflib; an ego view in under 1 s; one
article added to the store in under 5 s, summaries included, and the lookups as fast after --adds such
additions. The saved queries that read the summaries are also timed against the same questions without them
(benchmarks/without-summaries/). Prints a table; the build's CPU seconds too, the fairer figure when the
machine is shared.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate_corpus import write_corpus  # noqa: E402

from kg.errors import KgError  # noqa: E402

BIND = {"name": "Sinaloa Cartel", "from": "Sinaloa Cartel", "to": "Mexico"}


def _kg(*args) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", *map(str, args)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _cpu_s() -> float:
    """CPU seconds of the finished child processes (a build's workers included): on a shared machine a fairer
    figure than the time on the clock."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


@contextmanager
def _time_limit(seconds: int):
    """Interrupt pure-Python work (rdflib's query evaluation) after `seconds`, with TimeoutError."""
    def stop(*_):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _timings(run, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def _second_run(run) -> float:
    run()
    return _timings(run, 1)[0]


def _spread(times: list[float], scale: float, unit: str, target: float, of: int) -> str:
    """Sorted timings as median, 90th percentile and slowest, and how many met the target."""
    def at(share: float) -> str:
        return f"{times[min(len(times) - 1, int(len(times) * share))] * scale:.{1 if unit == 'ms' else 2}f}"

    under = sum(1 for t in times if t < target)
    return (f"median {at(0.5)} {unit}, p90 {at(0.9)} {unit}, slowest {at(1)} {unit}; {under} of {len(times)} "
            f"under {target * scale:g} {unit} (of the {of} curated entities the corpus names)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rdflib-articles", type=int, default=200, help="articles in the rdflib comparison (0: none)")
    parser.add_argument("--rdflib-limit", type=int, default=60,
                        help="seconds before an rdflib query is stopped (its evaluator takes hours on some)")
    parser.add_argument("--curated", type=int, default=300,
                        help="curated entities (at most) over which the anchored queries and ego views are spread")
    parser.add_argument("--keep", type=Path, help="keep the corpus and store in this folder")
    parser.add_argument("--adds", type=int, default=20,
                        help="new articles then added one build each to the store, and the lookups timed again")
    parser.add_argument("--measured-again", action="store_true",
                        help="time the queries and views of the store an earlier run kept in --keep DIR, "
                             "without building it again")
    args = parser.parse_args()
    if args.measured_again and not (args.keep and (args.keep / "store").is_dir()):
        parser.error("--measured-again needs --keep DIR holding the store of an earlier run")
    work = args.keep or Path(tempfile.mkdtemp())
    corpus, store_dir = work / "corpus", work / "store"

    def row(key: str, value: str) -> None:
        print(f"{key:<36}  {value}", flush=True)

    build_s = 0.0
    if not args.measured_again:
        shutil.rmtree(store_dir, ignore_errors=True)
        if not corpus.exists():
            write_corpus(corpus, args.articles)
        row("articles", f"{args.articles} ({_size_mb(corpus):.1f} MB)")
        cpu, load = _cpu_s(), os.getloadavg()[0]
        build_s = _kg("build", corpus, "--store", store_dir, "--jobs", args.jobs)
        cpu = _cpu_s() - cpu
        row("build from scratch", f"{build_s:.1f} s ({args.articles / build_s:.0f} articles/s); {cpu:.0f} CPU s "
                                  f"({cpu / args.articles * 1000:.0f} ms per article); load average "
                                  f"{load:.1f} before, {os.getloadavg()[0]:.1f} after")
        row("peak memory of a build", f"{_peak_mib():.0f} MiB")
        rebuild_s = _kg("build", corpus, "--store", store_dir, "--jobs", args.jobs)
        row("no-change rebuild", f"{rebuild_s:.1f} s")

    from kg.paths import ontology_dir
    from kg.query.run import bind, parse_bindings, run_query, saved_queries
    from kg.store.embedded import Store
    from kg.views.render import write_view
    from kg.vocab import PREFIXES

    store = Store(store_dir, read_only=True)
    statements = len(store)
    row("statements in the store", f"{statements}" + (f" ({statements / build_s:.0f} per second of build)"
                                                      if build_s else ""))
    row("store size on disk", f"{_size_mb(store_dir):.0f} MB")
    queries = saved_queries(ontology_dir())
    bindings = parse_bindings([f"{k}={v}" for k, v in BIND.items()])
    for name, query in queries.items():
        median, p95 = _timings(lambda: list(run_query(store, query.text, bindings)), args.repeat)
        row(f"query {name}", f"median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")
    _without_summaries(store, queries, bindings, max(1, args.repeat // 4), row)
    # An entity found by pattern is described anew in every article naming it: the anchored queries again,
    # for the one named in the most articles.
    (found,) = store.query("SELECT ?label (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?e kg:curated false ; "
                           "rdfs:label ?label } } GROUP BY ?e ?label ORDER BY DESC(?n) ?label LIMIT 1")
    own = parse_bindings([f"name={found['label'].value}", f"from={found['label'].value}", f"to={BIND['name']}"])
    for name in ("entity", "who-operates-where", "articles-mentioning", "why"):
        median, p95 = _timings(lambda: list(run_query(store, queries[name].text, own)), args.repeat)
        row(f"query {name}, found by pattern", f"median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms "
                                                f"({found['label'].value}, in {found['n'].value} articles)")
    # The entities analysts ask about are the curated ones: the anchored queries over an even sample of
    # those the corpus names (every k-th by name), one timing each after a first run, and the ego views over a
    # tenth of that sample.
    curated = sorted({row["label"].value for row in store.query(
        "SELECT ?label WHERE { GRAPH <https://w3id.org/actorgraph/gazetteer> { ?e rdfs:label ?label ; a ?class } "
        "FILTER(?class != kg:Event) }")})
    sample = curated[::-(-len(curated) // args.curated)]
    for name in ("entity", "who-operates-where", "articles-mentioning"):
        text = queries[name].text
        times = sorted(_second_run(lambda: list(run_query(store, text, parse_bindings([f"name={label}"]))))
                       for label in sample)
        row(f"query {name}, curated", _spread(times, 1000, "ms", 0.05, len(curated)))
    def ego(label: str) -> float | None:
        try:
            return _second_run(lambda: write_view(store, work / "ego.html", focus=label))
        except KgError:  # a curated entity only named in passing (no fact links it) has no ego view
            return None

    times = sorted(t for t in map(ego, sample[::10]) if t is not None)
    row("kg view --focus, curated", _spread(times, 1, "s", 1.0, len(curated)))
    if args.rdflib_articles:
        import rdflib

        from kg.knowledge.lexicon import default_lexicon
        from kg.pipeline.builder import build

        small = Store(None)
        build(sorted(corpus.iterdir())[:args.rdflib_articles], small, default_lexicon(), jobs=args.jobs)
        dataset = rdflib.Dataset(default_union=True)
        started = time.perf_counter()
        dataset.parse(data="".join(f"{q} .\n" for q in small.quads()), format="nquads")
        row(f"rdflib load of {args.rdflib_articles} articles", f"{time.perf_counter() - started:.1f} s")
    for name, query in queries.items() if args.rdflib_articles else ():
        median, _ = _timings(lambda: list(run_query(small, query.text, bindings)), args.repeat)
        text = "".join(f"PREFIX {p}: <{i}>\n" for p, i in PREFIXES.items()) + bind(query.text, bindings)
        try:
            with _time_limit(args.rdflib_limit):
                rd_median, _ = _timings(lambda: list(dataset.query(text)), max(1, args.repeat // 10))
        except TimeoutError:
            row(f"{args.rdflib_articles} articles: {name}",
                f"Oxigraph {median * 1000:.1f} ms, rdflib stopped after {args.rdflib_limit} s: over "
                f"{args.rdflib_limit / median:.0f}x")
            continue
        row(f"{args.rdflib_articles} articles: {name}",
            f"Oxigraph {median * 1000:.1f} ms, rdflib {rd_median * 1000:.0f} ms: {rd_median / median:.0f}x")
    from kg.network.model import load_network
    from kg.views.render import ego_graph, has_view, render_view

    # (The capped and ego views are timed without the whole network in memory, as `kg view` runs: beside its
    # millions of objects the interpreter's garbage collection made a cartel's view 0.9 s instead of 0.8 s.)
    started = time.perf_counter()
    stats = write_view(store, work / "graph.html")
    row("kg view (whole graph, capped)", f"{time.perf_counter() - started:.2f} s to read and write "
                                         f"{stats['nodes']} nodes and {stats['edges']} edges")
    started = time.perf_counter()
    graph = load_network(store)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    render_view(graph, "all")
    row("whole network, uncapped", f"{load_s:.1f} s to load {graph.number_of_nodes()} nodes, "
                                   f"{time.perf_counter() - started:.1f} s to draw them all")
    centre = max(graph, key=graph.degree)
    started = time.perf_counter()
    render_view(ego_graph(graph, centre, 1), "ego")
    row("ego view of the most linked, uncapped", f"{time.perf_counter() - started:.2f} s to draw (network loaded)")
    # `kg view --focus` and the anchored queries read only what touches the entity: their time depends on how
    # linked it is, so they are measured for a typical entity (the median), a well-reported one (90th
    # percentile), the most linked, and the one the queries are bound to (the most reported cartel: the
    # most links drawn).
    degrees = dict(graph.degree())
    ranked = sorted((n for n, d in graph.nodes(data=True) if has_view(d["type"]) and degrees[n] >= 2),
                    key=lambda n: (degrees[n], n))
    picked = [("median", ranked[len(ranked) // 2]), ("90th percentile", ranked[len(ranked) * 9 // 10]),
              ("most linked", ranked[-1])]
    picked += [("bound", node) for node, data in graph.nodes(data=True) if data["label"] == BIND["name"]]
    picked = [(rank, graph.nodes[node]["label"], graph.degree(node)) for rank, node in picked]
    del graph
    gc.collect()
    for rank, label, degree in picked:
        seconds, _ = _timings(lambda: write_view(store, work / "ego.html", focus=label), 3)
        stats = write_view(store, work / "ego.html", focus=label)
        command = _kg("view", "--store", store_dir, "--focus", label, "-o", work / "ego.html")
        row(f"kg view --focus, {rank}", f"{seconds:.2f} s to read and write, {command:.1f} s as a command "
                                        f"({label}: {degree} links, {stats['nodes']} nodes and "
                                        f"{stats['edges']} links drawn)")
        if rank == "median":
            seconds, _ = _timings(lambda: write_view(store, work / "ego.html", focus=label, depth=2), 3)
            row("kg view --focus --depth 2, median", f"{seconds:.2f} s to read and write")
        about = parse_bindings([f"name={label}"])
        for name in ("entity", "who-operates-where"):
            median, p95 = _timings(lambda: list(run_query(store, queries[name].text, about)), args.repeat)
            row(f"query {name}, {rank}", f"median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms ({label})")
    store.close()  # the builds that add articles open it for writing
    gc.collect()
    if args.adds:
        _added_one_by_one(store_dir, work, args.adds, queries, args.repeat, row)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def _without_summaries(store, queries, bindings, repeat: int, row) -> None:
    """The same questions as the saved queries that read the summaries graph, asked as before it (joins over
    every article graph, benchmarks/without-summaries/), in the same run: the ratio is what the summaries buy.
    A page of the timeline (100 events from the middle, chosen on the counts per month) is compared with the
    same page chosen by sorting every event, and with the whole listing."""
    from kg.query.run import page, run_query

    for path in sorted((ROOT / "benchmarks" / "without-summaries").glob("*.rq")):
        text = queries[path.stem].text
        if path.stem == "timeline":
            (events,) = store.query("SELECT (SUM(?n) AS ?events) WHERE { GRAPH <https://w3id.org/actorgraph/summaries> "
                                    "{ ?s kg:month ?m ; kg:eventCount ?n } }")
            middle = int(events["events"].value) // 2 if events["events"] is not None else 0
            sorted_all, _ = _timings(lambda: list(run_query(store, page(text, 100, middle), bindings)), repeat)
            text = page(text, 100, middle, store)
        with_s, _ = _timings(lambda: list(run_query(store, text, bindings)), repeat)
        without, _ = _timings(lambda: list(run_query(store, path.read_text(encoding="utf-8"), bindings)), repeat)
        row(f"{path.stem}, without summaries", f"{without * 1000:.1f} ms, with {with_s * 1000:.1f} ms"
                                               f"{' (a page of 100)' if path.stem == 'timeline' else ''}: "
                                               f"{without / with_s:.0f}x")
        if path.stem == "timeline":
            row("timeline, a page of 100 by month", f"{with_s * 1000:.1f} ms at offset {middle}; the same page "
                                                    f"chosen by sorting every event {sorted_all * 1000:.1f} ms: "
                                                    f"{sorted_all / with_s:.0f}x")


def _added_one_by_one(store_dir: Path, work: Path, adds: int, queries, repeat: int, row) -> None:
    """New articles added to the store one build each (as a newsroom adds them), then the anchored lookups
    and the corpus-wide queries timed again: the compaction policy must keep both fast."""
    from kg.query.run import parse_bindings, run_query
    from kg.store.embedded import Store

    fresh = work / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    paths = write_corpus(fresh / "all", adds, seed=8)
    times = []
    for i, path in enumerate(paths):
        one = fresh / f"one{i}"
        one.mkdir()
        shutil.copy(path, one / f"added{i:04d}{path.suffix}")
        times.append(_kg("build", one, "--store", store_dir))
    ordered = sorted(times)
    row(f"adding one article, {adds} times", f"median {statistics.median(times):.1f} s, slowest {ordered[-1]:.1f} s "
                                             f"(each: {', '.join(f'{t:.1f}' for t in times)})")
    store = Store(store_dir, read_only=True)
    bound = parse_bindings([f"{k}={v}" for k, v in BIND.items()])
    for name in ("entity", "who-operates-where", "actors-by-region", "positions", "shared-regions"):
        median, p95 = _timings(lambda: list(run_query(store, queries[name].text, bound)), repeat)
        row(f"query {name}, after the adds", f"median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")


if __name__ == "__main__":
    main()
