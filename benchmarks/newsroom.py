"""Figures for a server left running in a newsroom (issue 20), all over loopback (127.0.0.1):

- a normal query's p50/p99 while 0, 2 and 6 clients keep sending queries that run to the timeout, and how many
  workers the server started meanwhile;
- requests held at concurrency 200 (how many answered, how many with an error);
- faults survived: a worker killed while idle and while working, a query over the worker memory limit, a full
  queue, a build swapped in while serving; after each, a normal query must be answered;
- bad inputs tried: malformed requests, each of which must get a 4xx with a message.

    .venv/bin/python benchmarks/newsroom.py [--seconds 10] [--requests 4000] [--timeout 3] [--only load]

Builds seeds/ into a temporary store. Every client is on 127.0.0.1, so the server cannot tell them apart by
address (as behind one router): the normal query is favoured only for having run less. Each figure is
followed by the machine's load average (1 minute) when it was taken: on a shared machine, the tails follow it.
Every loop is bounded in time or count; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kg.serve.app import ServerConfig, make_server

ROOT = Path(__file__).resolve().parent.parent
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NORMAL = "SELECT ?actor WHERE { ?a kg:operatesIn kgr:vraem ; rdfs:label ?actor } ORDER BY ?actor"
BAD = {
    "Content-Length: abc": b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                           b"Content-Length: abc\r\n\r\nASK{}",
    "Content-Length: 20 GB, 3 bytes sent": b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query"
                                           b"\r\nContent-Length: 20000000000\r\n\r\nASK",
    "chunked body": b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                    b"Transfer-Encoding: chunked\r\n\r\n4\r\nASK{\r\n0\r\n\r\n",
    "NUL in a view path": b"GET /views/a%00b.html HTTP/1.1\r\nHost: x\r\n\r\n",
    "path part of 300 bytes": b"GET /views/" + b"a" * 300 + b"/b.html HTTP/1.1\r\nHost: x\r\n\r\n",
    "?name=<a b>": b"GET /views/find?name=%3Ca%20b%3E HTTP/1.1\r\nHost: x\r\n\r\n",
    "binding <a b>": b"GET /queries/entity?name=%3Ca%20b%3E HTTP/1.1\r\nHost: x\r\n\r\n",
    "binding of no variable name": b"GET /queries/entity?a%20b=1 HTTP/1.1\r\nHost: x\r\n\r\n",
    "SERVICE to loopback": b"GET /sparql?query=" + urllib.parse.quote(
        "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }").encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "SERVICE spelt \\u0053ERVICE": b"GET /sparql?query=" + urllib.parse.quote(
        "SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }").encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "query of 300,000 characters": b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                                   b"Content-Length: 300017\r\n\r\nASK { ?s ?p ?o } #" + b"x" * 300000,
    "update": b"GET /sparql?update=DROP%20ALL HTTP/1.1\r\nHost: x\r\n\r\n",
    "malformed query": b"GET /sparql?query=SELECT%20%3Fx%20WHERE%20%7B HTTP/1.1\r\nHost: x\r\n\r\n",
    "unknown media type": b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 3\r\n\r\nabc",
}


def _get(base: str, query: str, timeout: float = 120) -> tuple[int, float]:
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": query, "format": "csv"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def _raw(base: str, request: bytes) -> bytes:
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1))
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


def _percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def normal_under_hogs(server, base: str, hogs: int, seconds: float) -> None:
    stop, started = time.monotonic() + seconds, server.pool.started
    hog_statuses: list[int] = []

    def hog(n: int) -> None:
        while time.monotonic() < stop:
            hog_statuses.append(_get(base, f"{HEAVY} # {n} {time.monotonic()}")[0])

    threads = [threading.Thread(target=hog, args=(n,)) for n in range(hogs)]
    for thread in threads:
        thread.start()
    time.sleep(min(1.0, seconds / 4))
    times, failed = [], 0
    while time.monotonic() < stop:
        status, elapsed = _get(base, f"{NORMAL} # {time.monotonic()}")
        times.append(elapsed)
        failed += status != 200
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    print(f"normal query, {hogs} clients looping queries that run to the timeout: {len(times)} sent, "
          f"{failed} not answered, p50 {statistics.median(times) * 1000:.0f} ms, "
          f"p99 {_percentile(times, 0.99) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
          f"(their queries: {len(hog_statuses)}, {sum(s == 503 for s in hog_statuses)} answered 503; "
          f"workers started: {server.pool.started - started}){_load()}")


def _load() -> str:
    return f"  [load {os.getloadavg()[0]:.1f}]"


def held_at_concurrency(base: str, requests: int, clients: int) -> None:
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(lambda n: _get(base, f"{NORMAL} # {n % 50}"), range(requests)))
    errors = sum(1 for status, _ in results if status != 200)
    times = [t for _, t in results]
    print(f"{requests} requests at concurrency {clients}: {requests - errors} answered 200, {errors} not, "
          f"p50 {statistics.median(times) * 1000:.0f} ms, p99 {_percentile(times, 0.99) * 1000:.0f} ms, "
          f"{requests / (time.perf_counter() - started):.0f} requests/s{_load()}")


def faults(server, base: str, store: Path, timeout: float) -> None:
    survived = []

    def answered() -> bool:
        return _get(base, f"{NORMAL} # after {time.monotonic()}")[0] == 200

    worker = server.pool._idle[0]
    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.join()
    survived.append(("worker killed while idle", answered()))
    working = threading.Thread(target=_get, args=(base, HEAVY))
    working.start()
    time.sleep(0.5)
    for busy in list(server.pool._busy):
        os.kill(busy.process.pid, signal.SIGKILL)
    working.join()
    survived.append(("worker killed while working", answered()))
    status, _ = _get(base, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?f ?i")
    survived.append((f"query over the worker memory limit ({status})", status == 503 and answered()))
    before = _get(base, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    subprocess.run([sys.executable, "-m", "kg", "build", str(ROOT / "seeds"), "--store", str(store)], check=True,
                   capture_output=True)
    survived.append(("a build swapped in while serving", before[0] == 200 and answered()))
    for name, ok in survived:
        print(f"fault: {name}: {'survived' if ok else 'NOT SURVIVED'}")


def bad_inputs(base: str) -> None:
    for name, request in BAD.items():
        answer = _raw(base, request)
        status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
        message = answer.partition(b"\r\n\r\n")[2].strip()
        print(f"bad input: {name}: {status if status else 'no answer'}"
              f"{'' if 400 <= status < 500 and message else '  <-- NOT A 4xx WITH A MESSAGE'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0, help="Seconds per load measurement.")
    parser.add_argument("--requests", type=int, default=4000, help="Requests sent at concurrency 200.")
    parser.add_argument("--timeout", type=float, default=3.0, help="The server's --timeout.")
    parser.add_argument("--only", choices=["load"], help="Only the normal query under clients looping slow ones.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store"
        subprocess.run([sys.executable, "-m", "kg", "build", str(ROOT / "seeds"), "--store", str(store)], check=True,
                       capture_output=True)
        server = make_server(ServerConfig(store=str(store), port=0, timeout=args.timeout, workers=2,
                                          worker_memory_mb=300, max_query=200_000))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            _get(base, NORMAL)
            for hogs in (0, 2, 6):
                normal_under_hogs(server, base, hogs, args.seconds)
            if args.only:
                return
            held_at_concurrency(base, args.requests, 200)
            faults(server, base, store, args.timeout)
            bad_inputs(base)
        finally:
            server.shutdown()
            server.close()


if __name__ == "__main__":
    main()
