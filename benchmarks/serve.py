"""Endpoint figures: queries per second and p50/p95 latency of the saved queries against `kg serve`, with
1 and 8 concurrent clients on loopback (127.0.0.1).

    .venv/bin/python benchmarks/serve.py [--store .kg/store] [--requests 200] [--workers 2]

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

from kg.lexicon import default_lexicon
from kg.paths import ontology_dir
from kg.pipeline import build
from kg.query import bind, parse_bindings, saved_queries
from kg.serve import ServerConfig, make_server
from kg.store import Store

ROOT = Path(__file__).resolve().parent.parent
BINDINGS = {"name": "Shining Path", "from": "Shining Path", "to": "VRAEM"}


def _request(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store")
    parser.add_argument("--requests", type=int, default=200, help="requests per query and concurrency level")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        location = args.store
        if not location:
            location = str(Path(tmp) / "store")
            build([ROOT / "seeds"], Store(location), default_lexicon())
        server = make_server(ServerConfig(store=location, port=0, workers=args.workers, timeout=60))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        print(f"{'query':22} {'clients':>7} {'q/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
        try:
            for name, saved in saved_queries(ontology_dir()).items():
                text = bind(saved.text, parse_bindings([f"{k}={v}" for k, v in BINDINGS.items()]))
                url = f"{base}?query={urllib.parse.quote(text)}"
                for clients in (1, 8):
                    started = time.perf_counter()
                    with ThreadPoolExecutor(clients) as pool:
                        times = list(pool.map(_request, [url] * args.requests))
                    elapsed = time.perf_counter() - started
                    times.sort()
                    print(f"{name:22} {clients:>7} {args.requests / elapsed:>8.1f} "
                          f"{statistics.median(times) * 1000:>8.1f} {times[int(len(times) * 0.95) - 1] * 1000:>8.1f}")
        finally:
            server.shutdown()
            server.pool.close()
            server.server_close()


if __name__ == "__main__":
    main()
