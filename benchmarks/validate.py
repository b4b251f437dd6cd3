"""Validation figures: `kg validate` (pySHACL) over the store built from seeds/, and the build's check of one
article's graph (shapes.ttl interpreted in kg/rdf/shacl.py).

    .venv/bin/python benchmarks/validate.py [--repeat 3] [--articles DIR]

The target is under 5 s for `kg validate` on the seeds (it took 30 s); the build's check has to stay a small
part of an article's build time. Wall and CPU time are both printed: on a shared machine the wall time is
mostly waiting for a core. Prints a table; run by hand, not in the tests.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--articles", type=Path, default=ROOT / "seeds")
    args = parser.parse_args()

    from kg.knowledge.lexicon import load_lexicon
    from kg.pipeline.builder import build, extract_file
    from kg.rdf.quads import article_quads, curated_entities, gazetteer_entries
    from kg.rdf.validate import check_article, validate_triples
    from kg.read.files import article_files
    from kg.store.embedded import Store

    lexicon = load_lexicon()
    paths = list(article_files([args.articles]))
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "store")
        build(paths, store, lexicon)
        quads = list(store.quads())
        runs, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            violations = validate_triples(quads, lexicon.root)
            runs.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)

    graphs = []
    for path in paths:
        extraction = extract_file(path, lexicon)
        graphs.append((article_quads(extraction, lexicon),
                       gazetteer_entries(curated_entities(extraction, lexicon), lexicon)))
    # shapes.ttl read and compiled once per process, as in a build worker, which keeps the entries' index
    check_article(graphs[0][0], lexicon.root, graphs[0][1])
    started, started_cpu = time.perf_counter(), time.process_time()
    for _ in range(args.repeat * 10):
        for graph, entries in graphs:
            check_article(graph, lexicon.root, entries)
    checks = args.repeat * 10 * len(graphs)
    per_article = (time.perf_counter() - started) / checks
    per_article_cpu = (time.process_time() - started_cpu) / checks

    statements = sum(len(graph) + len({q for entry in entries for q in entry}) for graph, entries in graphs) \
        / len(graphs)
    rows = [
        ("machine", f"{platform.machine()}, CPython {platform.python_version()}"),
        ("articles", f"{len(paths)}"),
        ("statements in the store", f"{len(quads)}"),
        ("kg validate (pySHACL), median",
         f"{statistics.median(runs):.2f} s (runs: {', '.join(f'{r:.2f}' for r in runs)})"),
        ("  of which CPU time, median", f"{statistics.median(cpu):.2f} s"),
        ("violations", f"{len(violations)}"),
        ("build's check, per article", f"{per_article * 1000:.1f} ms ({statements:.0f} statements on average)"),
        ("  of which CPU time", f"{per_article_cpu * 1000:.1f} ms"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
