"""Endpoint figures: queries per second and p50/p95 latency of the saved queries against `kg serve`, with
1 and 8 concurrent clients on loopback (127.0.0.1), then of views drawn on demand (an entity's, an article's),
and of the same views sent again from the server's memory. Every answer is computed anew (the server keeps
none) except in the rows marked "kept".

    .venv/bin/python benchmarks/serve.py [--store .kg/store] [--requests 200] [--workers 2] [--queries a,b]

Builds seeds/ into a temporary store unless --store names one (for instance the store of
benchmarks/scale.py). Every request loop is bounded in count; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kg.knowledge.lexicon import default_lexicon
from kg.paths import ontology_dir
from kg.pipeline.builder import build
from kg.query.run import bind, parse_bindings, saved_queries
from kg.rdf.quads import article_id
from kg.serve.app import ServerConfig, make_server
from kg.serve.cache import Kept
from kg.store.embedded import Store

ROOT = Path(__file__).resolve().parent.parent
BINDINGS = {"name": "Shining Path", "from": "Shining Path", "to": "VRAEM"}


def _request(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:  # queued behind slow ones, a request waits
        response.read()
    return time.perf_counter() - started


def _measure(name: str, url: str, requests: int) -> None:
    """Print the throughput and latency of `requests` GETs of `url`, from 1 and from 8 clients at once."""
    for clients in (1, 8):
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            times = sorted(pool.map(_request, [url] * requests))
        elapsed = time.perf_counter() - started
        print(f"{name:40} {clients:>7} {requests / elapsed:>8.1f} {statistics.median(times) * 1000:>8.1f} "
              f"{times[max(0, int(len(times) * 0.95) - 1)] * 1000:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store")
    parser.add_argument("--requests", type=int, default=200, help="requests per query and concurrency level")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queries", help="comma-separated saved queries to time (default: all); '' for none")
    parser.add_argument("--entity", default=BINDINGS["name"], help="the entity whose view is drawn on demand")
    args = parser.parse_args()
    queries = saved_queries(ontology_dir())
    chosen = list(queries) if args.queries is None else [q for q in args.queries.split(",") if q]
    if unknown := sorted(set(chosen) - set(queries)):
        parser.error(f"no saved query named {', '.join(unknown)}; the saved queries: {', '.join(queries)}")
    with tempfile.TemporaryDirectory() as tmp:
        location = args.store
        if not location:
            location = str(Path(tmp) / "store")
            build([ROOT / "seeds"], Store(location), default_lexicon())
        server = make_server(ServerConfig(store=location, port=0, workers=args.workers, timeout=60, cache_mb=0))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        print(f"{'query or view':40} {'clients':>7} {'q/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
        try:
            for name in chosen:
                text = bind(queries[name].text, parse_bindings([f"{k}={v}" for k, v in BINDINGS.items()]))
                _measure(name, f"{base}/sparql?query={urllib.parse.quote(text)}", args.requests)
            # views are drawn anew on each request (nothing kept yet): fewer of them
            with urllib.request.urlopen(f"{base}/views/find?name={urllib.parse.quote(args.entity)}") as found:
                entity = found.url[len(base):]
            first = next(iter(Store(location, read_only=True).query(
                "SELECT ?a WHERE { ?a a schema:NewsArticle } ORDER BY ?a LIMIT 1")))["a"].value
            article = f"/views/article/{article_id(first)}.html"
            for page in (entity, article):
                _measure(page.removeprefix("/views/"), base + page, max(5, args.requests // 10))
            server.kept = Kept(2**28)  # as `kg serve` keeps them
            for page in (entity, article):
                _measure(page.removeprefix("/views/") + ", kept", base + page, args.requests)
        finally:
            server.shutdown()
            server.pool.close()
            server.server_close()


if __name__ == "__main__":
    main()
