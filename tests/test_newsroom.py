"""Safe to leave running in a newsroom (issue 20): kg serve sends no request out and no other site reads it,
its memory and queue are bounded, malformed requests get a 4xx; builds never leave half a store to readers
and are seen by a running server; article ids never collide; the CLI fails in one line. All over loopback."""

from __future__ import annotations

import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli.commands import cli
from kg.errors import InvalidLexicon, StoreError
from kg.knowledge.lexicon import load_lexicon
from kg.paths import ontology_dir
from kg.pipeline.builder import build
from kg.read.files import source_files
from kg.serve.app import ServerConfig, _size, make_server
from kg.store.embedded import BUILDING, Store, check_readable, generation, writing
from kg.store.sparql_text import read_query_text
from tests.conftest import SEED, SEED_IDS, SEEDS

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NORMAL = "SELECT ?actor WHERE { ?a kg:operatesIn kgr:vraem ; rdfs:label ?actor } ORDER BY ?actor"


def _serve(store: str, **options):
    server = make_server(ServerConfig(store=store, port=0, **options))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _stop(server) -> None:
    server.shutdown()
    server.close()


def _get(url: str, headers: dict | None = None, timeout: float = 60) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def _query(base: str, query: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    return _get(f"{base}/sparql?" + urllib.parse.urlencode({"query": query, "format": "csv"}), headers)


def _raw(base: str, request: bytes) -> bytes:
    """The whole answer to raw request bytes (the server closes the connection or the answer is complete)."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(request)
        answer = b""
        while True:
            head, _, body = answer.partition(b"\r\n\r\n")
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), None)
            if _ and length is not None and len(body) >= length:
                return answer
            chunk = sock.recv(65536)
            if not chunk:
                return answer
            answer += chunk


@pytest.fixture(scope="module")
def endpoint(seed_store):
    server, base = _serve(seed_store.location, timeout=2.0, workers=2, cors=("http://desk.example",),
                          allow_service=("localhost",), max_body=10_000, max_query=5_000)
    yield server, base
    _stop(server)


class _Listener:
    """A loopback port that counts the connections made to it (the SERVICE request would be one)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                continue

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


# --- 1. no outbound request -------------------------------------------------------------------------------

def test_service_is_refused_with_400_naming_it_and_nothing_is_sent(endpoint):
    _, base = endpoint
    listener = _Listener()
    try:
        target = f"http://127.0.0.1:{listener.port}/sparql"
        for query in (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                      f"select * {{ service silent <{target}> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",  # decoded by the parser
                      f"SELECT * WHERE {{ BIND(<{target}> AS ?x) SERVICE ?x {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ # a comment\n SERVICE\n<{target}>{{?s ?p ?o}} }}"):
            status, body, _ = _query(base, query)
            assert status == 400 and b"SERVICE" in body and b"refused" in body, (query, body)
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()
    # the word in a string, an IRI or a variable is no call
    status, _, _ = _query(base, 'SELECT ?SERVICE WHERE { BIND("SERVICE <http://x/>" AS ?SERVICE) }')
    assert status == 200


def test_only_the_hosts_allowed_may_be_called(endpoint):
    _, base = endpoint
    _, body, _ = _query(base, "SELECT * WHERE { SERVICE <http://localhost:9/sparql> { ?s ?p ?o } }")
    assert b"is refused" not in body  # allowed: tried (and failed, nothing listens there), not refused
    status, body, _ = _query(base, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert status == 400 and b"allowed: localhost" in body


def _service_from_a_sandboxed_process(port: int, answers) -> None:
    from kg.serve.sandbox import forbid_network

    forbid_network()
    try:
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"))
        answers.put("answered")
    except OSError as exc:
        answers.put(str(exc))


def test_a_worker_cannot_open_a_network_socket_even_if_a_service_got_through():
    import multiprocessing

    listener = _Listener()
    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    try:
        process = context.Process(target=_service_from_a_sandboxed_process, args=(listener.port, answers))
        process.start()
        process.join(60)
        assert answers.get(timeout=5) != "answered"
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()


def test_sparql_text_reader():
    assert read_query_text("SELECT * FROM <urn:x> { ?s ?p ?o }").has_dataset
    assert not read_query_text("SELECT * { ?s <urn:from> 'FROM' }").has_dataset
    assert read_query_text("SELECT * { SERVICE <http://a/> {} SERVICE SILENT ?v {} }").services == ("<http://a/>", "?v")
    assert read_query_text("SELECT * { ?s ex:SERVICE ?o ; :service ?x } # SERVICE <http://c/>").services == ()


# --- 2. CORS off unless named ---------------------------------------------------------------------------------

def test_no_cors_but_for_the_origins_named(endpoint, seed_store):
    _, base = endpoint
    _, _, headers = _query(base, NORMAL, {"Origin": "http://evil.example"})
    assert "Access-Control-Allow-Origin" not in headers
    _, _, headers = _query(base, NORMAL, {"Origin": "http://desk.example"})
    assert headers["Access-Control-Allow-Origin"] == "http://desk.example"
    assert ServerConfig(store="x").cors == ()
    server, other = _serve(seed_store.location, workers=1)
    try:
        _, _, headers = _query(other, NORMAL, {"Origin": "http://desk.example"})
        assert "Access-Control-Allow-Origin" not in headers
        preflight = _raw(other, b"OPTIONS /sparql HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.example\r\n"
                                b"Connection: close\r\n\r\n")
        assert b"Access-Control-Allow" not in preflight
    finally:
        _stop(server)


# --- 4, 9. limits and malformed requests ---------------------------------------------------------------------

def test_malformed_requests_get_a_4xx_with_a_message(endpoint):
    _, base = endpoint
    answers = {
        "length abc": _raw(base, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                                 b"Content-Length: abc\r\n\r\nASK{}"),
        "20 GB": _raw(base, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                            b"Content-Length: 20000000000\r\n\r\nASK"),
        "chunked": _raw(base, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                              b"Transfer-Encoding: chunked\r\n\r\n4\r\nASK{\r\n0\r\n\r\n"),
        "NUL": _raw(base, b"GET /views/a%00b.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        "long part": _raw(base, b"GET /views/" + b"a" * 300 + b"/b.html HTTP/1.1\r\nHost: x\r\n"
                                b"Connection: close\r\n\r\n"),
        "name <a b>": _raw(base, b"GET /views/find?name=%3Ca%20b%3E HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        "bind <a b>": _raw(base, b"GET /queries/entity?name=%3Ca%20b%3E HTTP/1.1\r\nHost: x\r\n"
                                 b"Connection: close\r\n\r\n"),
        "bad var": _raw(base, b"GET /queries/entity?a%20b=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    }
    for case, answer in answers.items():
        status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
        assert 400 <= status < 500, (case, answer[:300])
        assert answer.split(b"\r\n\r\n", 1)[1].strip(), case  # with a message
    assert b" 413 " in answers["20 GB"][:20] and b"--max-body" in answers["20 GB"]
    assert b" 411 " in answers["chunked"][:20]


def test_query_text_over_the_limit_is_413(endpoint):
    _, base = endpoint
    status, body, _ = _query(base, "ASK { ?s ?p ?o } #" + "x" * 6000)
    assert status == 413 and b"--max-query" in body


def test_the_host_header_is_not_copied_into_the_description(endpoint):
    _, base = endpoint
    answer = _raw(base, b'GET /sparql HTTP/1.1\r\nHost: x> . <evil:"<script>\r\nConnection: close\r\n\r\n')
    assert b" 200 " in answer[:20] and b"<script>" not in answer and b"evil" not in answer
    answer = _raw(base, b"GET /sparql HTTP/1.1\r\nHost: graph.desk:8000\r\nConnection: close\r\n\r\n")
    assert b"<http://graph.desk:8000/sparql>" in answer


def test_the_cache_counts_the_query_that_keys_an_answer(endpoint):
    server, base = endpoint
    query = NORMAL + " #" + "k" * 4000
    assert _size(("query", query, (), (), "csv", "ttl", 10)) > 4000
    before = server.kept._size
    status, _, _ = _query(base, query)
    assert status == 200 and server.kept._size - before > 4000


@pytest.fixture(scope="module")
def built_seeds(tmp_path_factory) -> str:
    """seeds/ built by `kg build`, the store closed (a server opens it beside no writer)."""
    store = tmp_path_factory.mktemp("built") / "store"
    assert _cli("build", str(SEEDS), "--store", str(store)).exit_code == 0
    return str(store)


def test_a_worker_over_its_memory_is_stopped_with_503_and_replaced(built_seeds):
    server, base = _serve(built_seeds, timeout=20, workers=1, worker_memory_mb=200)
    try:
        status, body, _ = _query(base, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?f ?i")
        assert status == 503 and b"200 MB" in body
        assert _query(base, NORMAL)[0] == 200
    finally:
        _stop(server)


def test_a_full_queue_is_503_with_retry_after(seed_store, monkeypatch):
    """The only place is held by a query that is not long yet (a long one would be parked for the newcomer)."""
    monkeypatch.setattr("kg.serve.pool._LONG_AFTER", 60.0)
    server, base = _serve(seed_store.location, timeout=3, workers=1, max_workers=1, queue=0)
    try:
        slow = threading.Thread(target=_query, args=(base, HEAVY))
        slow.start()
        time.sleep(0.8)
        status, body, headers = _query(base, NORMAL)
        assert status == 503 and headers.get("Retry-After") and b"busy" in body
        slow.join()
        assert _query(base, NORMAL)[0] == 200
    finally:
        _stop(server)


@pytest.mark.parametrize("clients", [2, 6])
def test_a_normal_query_is_answered_while_clients_keep_the_workers_busy(seed_store, clients):
    """Two, then six clients (all on 127.0.0.1, as the normal query: the server cannot tell them apart) send,
    in a loop, queries that run to the timeout (3 s); a normal query does not wait for them. Six held every
    worker of a pool that did not park long queries, and normal queries waited 2 to 4 s."""
    server, base = _serve(seed_store.location, timeout=3, workers=2)
    stop = time.monotonic() + 7
    statuses: list[int] = []

    def hog(n: int) -> None:
        while time.monotonic() < stop:
            statuses.append(_query(base, f"{HEAVY} # client {n} {time.monotonic()}")[0])

    hogs = [threading.Thread(target=hog, args=(n,)) for n in range(clients)]
    try:
        assert _query(base, NORMAL)[0] == 200  # warm
        for thread in hogs:
            thread.start()
        time.sleep(1.5)
        waits = []
        for n in range(5):
            started = time.monotonic()
            status, _, _ = _query(base, f"{NORMAL} # {n}")
            waits.append(time.monotonic() - started)
            assert status == 200
            time.sleep(0.3)
        assert max(waits) < 1.5, waits  # not the 3 s the busy workers take
    finally:
        for thread in hogs:
            thread.join()
        _stop(server)
    assert statuses and set(statuses) == {503}  # they ran to the timeout


def test_long_queries_are_parked_and_the_client_holding_most_gives_way(seed_store):
    """Past `limit - size` long jobs, the one that has run longest, of the client holding most, is stopped
    (SIGSTOP) until a long place is free; short ones keep `size` workers; a parked job resumes and answers."""
    from kg.serve.pool import QueryPool

    pool = QueryPool(seed_store.location, size=1, limit=3)  # two long places
    heavy = ("query", HEAVY, (), (), "csv", "ttl", 10)
    answers: dict[str, list[int]] = {"a": [], "b": []}

    def send(client: str, timeout: float) -> None:
        answers[client].append(pool.run(heavy, timeout, client=client).status)

    try:
        pool.run(("query", "ASK {}", (), (), "json", "ttl", 10), timeout=30)  # a worker ready
        first = [threading.Thread(target=send, args=("a", 4.0)) for _ in range(2)]
        for thread in first:
            thread.start()
        deadline = time.monotonic() + 60
        while sorted(job.lane for job in pool._busy.values()) != ["long", "long"] and time.monotonic() < deadline:
            time.sleep(0.02)
        other = threading.Thread(target=send, args=("b", 4.0))
        other.start()  # client b turns long: a holds both places, so one of a's is parked for it
        while "parked" not in [job.lane for job in pool._busy.values()] and time.monotonic() < deadline:
            time.sleep(0.02)
        lanes = {(job.client, job.lane) for job in pool._busy.values()}
        assert lanes == {("a", "long"), ("a", "parked"), ("b", "long")}, lanes
        parked = next(worker for worker, job in pool._busy.items() if job.lane == "parked")
        state = Path(f"/proc/{parked.process.pid}/stat")
        while state.read_text().split()[2] != "T" and time.monotonic() < deadline:  # the signal lands
            time.sleep(0.01)
        assert state.read_text().split()[2] == "T"  # stopped
        started = time.monotonic()
        assert pool.run(("query", "ASK {}", (), (), "json", "ttl", 10), timeout=30).status == 200
        assert time.monotonic() - started < 2  # a short job still finds a worker
        for thread in [*first, other]:
            thread.join()
    finally:
        pool.close()
    assert answers == {"a": [503, 503], "b": [503]}  # each ran to its timeout, the parked one too


def test_a_short_query_parks_a_long_one_instead_of_waiting_for_its_place(seed_store):
    """Every running place is taken (here the only one, by a long job): a newcomer does not wait for it, the long
    job is parked while the newcomer runs and resumes after it, its timeout running on. Six clients looping
    queries that run to the timeout kept every place taken, and a normal query waited up to 250 ms."""
    from kg.serve.pool import QueryPool

    pool = QueryPool(seed_store.location, size=1, limit=1)
    answers: list[int] = []
    try:
        pool.run(("query", "ASK {}", (), (), "json", "ttl", 10), timeout=30)  # a worker ready
        long = threading.Thread(target=lambda: answers.append(pool.run(("query", HEAVY, (), (), "csv", "ttl", 10),
                                                                       timeout=4.0).status))
        long.start()
        deadline = time.monotonic() + 60
        while [job.lane for job in pool._busy.values()] != ["long"] and time.monotonic() < deadline:
            time.sleep(0.02)
        worker = next(iter(pool._busy))
        started = time.monotonic()
        assert pool.run(("query", "ASK {}", (), (), "json", "ttl", 10), timeout=30).status == 200
        assert time.monotonic() - started < 2  # not the 4 s the long job holds its place
        assert [job.lane for job in pool._busy.values()] == ["long"] and next(iter(pool._busy)) is worker  # resumed
        long.join()
    finally:
        pool.close()
    assert answers == [503]  # it ran to its timeout


def test_a_worker_killed_while_idle_costs_no_request(seed_store):
    server, base = _serve(seed_store.location, workers=1, max_workers=1)
    try:
        assert _query(base, NORMAL)[0] == 200
        worker = server.pool._idle[0]
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join()
        assert _query(base, NORMAL + " # after")[0] == 200
    finally:
        _stop(server)


# --- 6. builds: old store or new, and a running server sees the new one ------------------------------------------

def _cli(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_a_server_answers_from_a_finished_build_without_restart(tmp_path):
    store = tmp_path / "store"
    assert _cli("build", str(SEED), "--store", str(store)).exit_code == 0
    stamp = generation(store)
    server, base = _serve(str(store), workers=1)
    count = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a schema:NewsArticle } }"
    try:
        assert _query(base, count)[1].split() == [b"n", b"1"]
        assert _query(base, count)[2]["X-Cache"] == "HIT"
        view = _get(f"{base}/views/article/000_6bef111ac725a0fa.html")
        assert view[0] == 200
        assert _cli("build", str(SEEDS), "--store", str(store)).exit_code == 0
        assert generation(store) != stamp
        status, body, headers = _query(base, count)
        assert body.split() == [b"n", b"6"] and headers["X-Cache"] == "MISS"
        assert _get(f"{base}/views/article/000_6bef111ac725a0fa.html")[2]["X-Cache"] == "MISS"  # drawn again
    finally:
        _stop(server)


def test_a_failed_build_leaves_the_store_as_it_was(tmp_path, lexicon):
    store = tmp_path / "store"
    assert _cli("build", str(SEED), "--store", str(store)).exit_code == 0
    before = len(Store(store, read_only=True))
    with pytest.raises(RuntimeError):
        with writing(store) as target:
            target.clear()
            raise RuntimeError("killed")
    assert len(Store(store, read_only=True)) == before
    assert not list(tmp_path.glob(".store.new-*"))


def test_a_build_killed_part_way_leaves_the_old_store(tmp_path):
    store = tmp_path / "store"
    assert _cli("build", str(SEED), "--store", str(store)).exit_code == 0
    before = sorted(str(q) for q in Store(store, read_only=True).quads())
    build = subprocess.Popen([sys.executable, "-m", "kg", "build", str(SEEDS), "--store", str(store), "-j", "1"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120  # kill once the build writes its copy, whatever the machine's speed
    while not list(tmp_path.glob(".store.new*")) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert build.poll() is None, "the build finished before the kill"
    build.kill()
    build.wait()
    assert sorted(str(q) for q in Store(store, read_only=True).quads()) == before
    assert _cli("build", str(SEEDS), "--store", str(store)).exit_code == 0  # the next build clears what was left
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".store.new")] == []


def test_a_store_marked_mid_build_is_refused_by_readers(tmp_path):
    store = tmp_path / "store"
    assert _cli("build", str(SEED), "--store", str(store)).exit_code == 0
    (store / BUILDING).write_text("1\n")
    with pytest.raises(StoreError, match="part-written.*kg build"):
        Store(store, read_only=True)
    result = _cli("export", "--store", str(store), "--format", "nq", "-o", str(tmp_path / "x.nq"))
    assert result.exit_code == 2 and "part-written" in result.output and not (tmp_path / "x.nq").exists()
    assert _cli("build", str(SEED), "--store", str(store)).exit_code == 0  # repaired
    assert not (store / BUILDING).exists() and len(Store(store, read_only=True)) > 0


def test_a_damaged_store_is_refused_at_serve_start(tmp_path):
    store = tmp_path / "store"
    assert _cli("build", str(SEED), "--store", str(store)).exit_code == 0
    biggest = max(store.glob("*.sst"), key=lambda p: p.stat().st_size)
    with open(biggest, "r+b") as file:
        file.truncate(100)
    with pytest.raises(StoreError, match=f"{store}.*damaged"):
        check_readable(store)
    result = _cli("serve", "--store", str(store), "--port", "0")
    assert result.exit_code == 2 and str(store) in result.output and result.output.count("\n") == 1


_COUNT = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a schema:NewsArticle } }"


def test_a_query_in_flight_when_a_build_swaps_the_store_in_answers_from_the_old_one(tmp_path):
    """A worker that opened the old store is mid-query (held stopped) while a build swaps a new one in and
    deletes the old folder: it answers the old store's count, or a 503 the client may retry; never a crash or a
    mix of the two."""
    from kg.serve.pool import QueryPool

    store = tmp_path / "store"
    assert _cli("build", str(SEED), "--store", str(store)).exit_code == 0
    pool = QueryPool(str(store), size=1)
    job = ("query", _COUNT, (), (), "csv", "ttl", 10)
    try:
        assert pool.run(job, timeout=60).body.split() == [b"n", b"1"]
        deadline = time.monotonic() + 60
        while not all(worker.is_ready() for worker in pool._idle) and time.monotonic() < deadline:
            time.sleep(0.05)
        held = list(pool._idle)
        for worker in held:
            os.kill(worker.process.pid, signal.SIGSTOP)
        answers = []
        in_flight = threading.Thread(target=lambda: answers.append(pool.run(job, timeout=60)))
        in_flight.start()
        while not pool._busy and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)  # the job is in the stopped worker's pipe
        old = os.stat(store).st_ino
        assert _cli("build", str(SEEDS), "--store", str(store)).exit_code == 0
        assert os.stat(store).st_ino != old and [p.name for p in tmp_path.iterdir()] == [".store.lock", "store"]
        for worker in held:
            os.kill(worker.process.pid, signal.SIGCONT)
        in_flight.join()
        answer = answers[0]
        assert (answer.status, answer.body.split()) == (200, [b"n", b"1"]) or (answer.status, answer.retry_after) \
            == (503, True), answer
        pool.renew()
        assert pool.run(job, timeout=60).body.split() == [b"n", str(len(SEED_IDS)).encode()]
    finally:
        pool.close()


def test_a_store_whose_files_went_is_a_503_to_retry():
    from kg.serve.jobs import answer_query

    class Gone:
        def query(self, *args, **kwargs):
            raise OSError("IO error: No such file or directory: 000012.sst")

    answer = answer_query(Gone(), _COUNT, [], [], "csv", "ttl", 10)
    assert (answer.status, answer.retry_after) == (503, True) and b"retry" in answer.body


def test_the_library_build_is_as_safe_as_kg_build(tmp_path, lexicon):
    """build() on a store's path swaps a copy in, as `kg build` does; on a Store opened on the folder it writes
    in place, the folder marked mid-build meanwhile (readers are refused, not shown half of it) and stamped
    when done, so kg serve answers from it."""
    store = tmp_path / "store"
    assert build([SEED], store, lexicon).built == [SEED.stem]
    assert generation(store) and not (store / BUILDING).exists()
    assert [p.name for p in tmp_path.iterdir()] == [".store.lock", "store"]
    stamp = generation(store)
    opened = Store(store)
    marked = []

    def progress(_: str) -> None:
        marked.append((store / BUILDING).exists())
        with pytest.raises(StoreError, match="part-written"):
            Store(store, read_only=True)

    report = build([SEEDS], opened, lexicon, progress=progress)
    opened.close()
    assert marked and all(marked) and report.in_store == len(SEED_IDS)
    assert not (store / BUILDING).exists() and generation(store) != stamp
    assert len(Store(store, read_only=True)) > 0


def test_an_id_an_earlier_build_gave_another_file_is_an_error_naming_both(tmp_path):
    first, second, store = tmp_path / "a" / "report.txt", tmp_path / "b" / "report.txt", tmp_path / "store"
    for path, seed in ((first, SEED), (second, SEEDS / "dev01_catatumbo-eln-dissidents.txt")):
        path.parent.mkdir()
        shutil.copy(seed, path)
    headline = "SELECT ?o WHERE { GRAPH ?g { ?g schema:headline ?o } }"
    assert _cli("build", str(first.parent), "--store", str(store)).exit_code == 0
    before = _values(Store(store, read_only=True), headline)
    result = _cli("build", str(second.parent), "--store", str(store))
    assert result.exit_code == 2 and "'report'" in result.output and str(first) in result.output, result.output
    assert _values(Store(store, read_only=True), headline) == before  # not replaced
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert _cli("build", str(first.parent), "--store", str(store)).exit_code == 0  # the same file, edited
    assert _cli("remove", "report", "--store", str(store)).exit_code == 0
    assert _cli("build", str(second.parent), "--store", str(store)).exit_code == 0  # its id is free now
    assert _values(Store(store, read_only=True), headline) != before


# --- 3, 7. article ids and sources ---------------------------------------------------------------------------------

def test_article_ids_never_collide_silently(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    source = tmp_path / "src"
    for name in ("x/report.txt", "y/report.txt", "report.html", "a b.txt", "a-b.txt", "日本.txt", "中国.txt",
                 "Россия.txt", "★.txt"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text(text, encoding="utf-8")
    shutil.copy(SEEDS / "dev05_moskitia-land-grabs.html", source / "report.html")
    found = source_files([source])
    ids = {path.relative_to(source).as_posix(): article_id for path, article_id in found.files}
    assert ids["x/report.txt"] == "x-report" and ids["y/report.txt"] == "y-report" and ids["report.html"] == "report"
    assert ids["日本.txt"] == "riben" and ids["中国.txt"] == "zhongguo" and ids["Россия.txt"] == "rossiya"
    assert ids["★.txt"].startswith("article-") or ids["★.txt"]
    assert len(set(ids.values())) == len(ids) == 8
    assert len(found.errors) == 1 and "a-b.txt" in found.errors[0] and "a b.txt" in found.errors[0]
    assert source_files([SEED]).files == [(SEED, "000_6bef111ac725a0fa")]  # the seeds keep their ids
    result = _cli("build", str(source), "--store", str(tmp_path / "store"), "-j", "1")
    assert result.exit_code == 2 and "already that of" in result.output
    assert "Built 8 article(s)" in result.output and "the store holds 8 article(s)" in result.output
    again = _cli("build", str(source), "--store", str(tmp_path / "store"))
    assert "Built 0 article(s), 8 unchanged" in again.output


def test_a_link_out_of_the_source_folder_is_skipped_with_a_warning(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(SEED, source / "seed.txt")
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n" * 20)
    (source / "passwd.txt").symlink_to(outside)
    (source / "inside.txt").symlink_to(source / "seed.txt")  # a link inside the folder is an article
    found = source_files([source])
    assert [p.name for p, _ in found.files] == ["inside.txt", "seed.txt"]
    assert len(found.warnings) == 1 and "passwd.txt" in found.warnings[0] and "outside" in found.warnings[0]


# --- 8. dataset semantics --------------------------------------------------------------------------------------

GRAPH_A, GRAPH_B = "https://w3id.org/actorgraph/id/test-a", "https://w3id.org/actorgraph/id/test-b"
DATASET_QUERIES = {
    "union": ("SELECT ?o WHERE { ?s <urn:p> ?o }", {"a", "b"}),
    "from nothing": ("SELECT ?o FROM <urn:nothing> WHERE { ?s <urn:p> ?o }", set()),
    "from a": (f"SELECT ?o FROM <{GRAPH_A}> WHERE {{ ?s <urn:p> ?o }}", {"a"}),
    "from named b": (f"SELECT ?o FROM NAMED <{GRAPH_B}> WHERE {{ GRAPH ?g {{ ?s <urn:p> ?o }} }}", {"b"}),
    "from named only": (f"SELECT ?o FROM NAMED <{GRAPH_B}> WHERE {{ ?s <urn:p> ?o }}", set()),
}


def _dataset_store(store) -> None:
    for graph, value in ((GRAPH_A, "a"), (GRAPH_B, "b")):
        store.replace_graph(ox.NamedNode(graph), [ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"),
                                                          ox.Literal(value), ox.NamedNode(graph))])


def _values(store, query: str) -> set[str]:
    return {row["o"].value for row in store.query(query)}


def test_dataset_clauses_on_the_embedded_store(tmp_path):
    store = Store(None)
    _dataset_store(store)
    for name, (query, expected) in DATASET_QUERIES.items():
        assert _values(store, query) == expected, name
    assert {r["o"].value for r in store.query("SELECT ?o WHERE { ?s <urn:p> ?o }", default_graphs=[GRAPH_B])} == {"b"}
    assert {r["o"].value for r in store.query("SELECT ?o WHERE { GRAPH ?g { ?s <urn:p> ?o } }",
                                              named_graphs=[GRAPH_A])} == {"a"}
    # named-graph-uri alone: the default graph is empty, as the protocol says
    assert not list(store.query("SELECT ?o WHERE { ?s <urn:p> ?o }", named_graphs=[GRAPH_A]))


def test_dataset_parameters_over_http(endpoint):
    _, base = endpoint
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    empty = _get(f"{base}/sparql?" + urllib.parse.urlencode({"query": query, "format": "csv",
                                                              "default-graph-uri": "urn:nothing"}))
    assert empty[1].split() == [b"n", b"0"]
    assert _query(base, "SELECT (COUNT(*) AS ?n) FROM <urn:nothing> WHERE { ?s ?p ?o }")[1].split() == [b"n", b"0"]


@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_dataset_clauses_on_sparql_servers(kind, tmp_path):
    from kg.store.remote import RemoteStore
    from tests.servers import oxigraph_server, virtuoso_server

    if kind == "oxigraph":
        with oxigraph_server(tmp_path) as url:
            _check_dataset(RemoteStore(url))
    else:
        with virtuoso_server(tmp_path) as (url, update_url):
            _check_dataset(RemoteStore(url, update_url=update_url))


def _check_dataset(store) -> None:
    _dataset_store(store)
    for name, (query, expected) in DATASET_QUERIES.items():
        assert _values(store, query) == expected, name


# --- 4, 9. kg pull against a hostile server ---------------------------------------------------------------------

_GRAPHS = (b'{"head":{"vars":["g"]},"results":{"bindings":[{"g":{"type":"uri","value":'
           b'"https://w3id.org/actorgraph/id/article-x"}}]}}')
_ROW = b'{"s":{"type":"uri","value":"urn:s"},"p":{"type":"uri","value":"urn:p"},"o":{"type":"literal","value":"x"}}'
_PAGE = b'{"head":{"vars":["s","p","o"]},"results":{"bindings":[' + b",".join([_ROW] * 10_000) + b"]}}"


def _hostile_server(mode: str):
    """A SPARQL server that answers every query as `mode` says: blanks, too much, a broken page, late, or
    the same full page whatever the OFFSET."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self):
            form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode())
            graphs = "DISTINCT ?g" in form.get("query", [""])[0]
            if mode == "slow":
                time.sleep(3)
            body = {"blank": b" " * 900_000, "big": b"{" + b" " * 3_000_000,
                    "broken": b'{"head": {"vars": ["g"]}, "res', "slow": _GRAPHS,
                    "forever": _GRAPHS if graphs else _PAGE}[mode]
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize("mode, message", [("blank", "not SPARQL results"), ("big", "larger than 2 MB"),
                                           ("broken", "unreadable"), ("slow", "no answer within"),
                                           ("forever", "does not page")])
def test_pull_stops_with_exit_2_on_anything_it_cannot_take(mode, message, tmp_path):
    server = _hostile_server(mode)
    try:
        result = _cli("pull", "--from", f"http://127.0.0.1:{server.server_address[1]}/sparql", "--store",
                      str(tmp_path / "store"), "--max-mb", "2", "--timeout", "1")
    finally:
        server.shutdown()
    assert result.exit_code == 2 and message in result.output, result.output
    assert result.output.count("\n") == 1 and not (tmp_path / "store").exists()


# --- 9. the CLI fails in one line ---------------------------------------------------------------------------------

@pytest.mark.parametrize("bind", ["a b=1", "=1", "x=<a b>", "x=<>", "novalue", "1 2=<http://a b>"])
def test_malformed_bind_is_one_line_and_exit_2(bind, seed_store):
    result = _cli("query", "--store", seed_store.location, "SELECT * WHERE { ?x ?p ?o } LIMIT 1", "--bind", bind)
    assert result.exit_code == 2 and result.output.startswith("Error: --bind") and result.output.count("\n") == 1


def _ontology_copy(tmp_path: Path) -> Path:
    root = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), root)
    return root


def test_non_utf8_yaml_and_a_bad_byline_pattern_are_named(tmp_path):
    root = _ontology_copy(tmp_path)
    (root / "reader.yaml").write_bytes((root / "reader.yaml").read_bytes() + b"\n# caf\xe9\n")
    with pytest.raises(InvalidLexicon, match="reader.yaml"):
        load_lexicon(root)
    root = _ontology_copy(tmp_path / "2")
    text = (root / "reader.yaml").read_text(encoding="utf-8")
    lines = ["byline: '(unclosed'" if line.startswith("byline:") else line for line in text.splitlines()]
    (root / "reader.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InvalidLexicon, match="reader.yaml.*byline"):
        load_lexicon(root)


def test_an_unforeseen_failure_is_one_line_and_debug_shows_the_traceback(monkeypatch, seed_store):
    import kg.query.run

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(kg.query.run, "run_query", broken)
    result = _cli("query", "--store", seed_store.location, "ASK {}")
    assert result.exit_code == 2 and result.output == "Error: ZeroDivisionError: a bug (`kg --debug ...` shows where)\n"
    debug = _cli("--debug", "query", "--store", seed_store.location, "ASK {}")
    assert isinstance(debug.exception, ZeroDivisionError)


# --- curation ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("decisions, message", [
    ("  - {id: m1, action: merge, from: nobody-known, into: nobody-either, reason: t}", "neither"),
    ("  - {id: m1, action: merge, from: shining-path, into: shining-path, reason: t}", "cycle"),
    ("  - {id: m1, action: merge, from: shining-path, into: eln, reason: t}\n"
     "  - {id: m2, action: merge, from: eln, into: shining-path, reason: t}", "cycle"),
    ("  - {id: m1, action: merge, from: Not An Id, into: eln, reason: t}", "not an entity id"),
])
def test_curation_merges_of_unknown_ids_and_cycles_are_refused(decisions, message, tmp_path):
    root = _ontology_copy(tmp_path)
    (root / "curation.yaml").write_text(f"source: a test\ndecisions:\n{decisions}\n", encoding="utf-8")
    with pytest.raises(InvalidLexicon, match=message):
        load_lexicon(root)

