"""A read-only SPARQL 1.1 endpoint over the embedded store, a query page for people, and the HTML views.

A view is served from the folder `kg view --all` wrote if it is there, else drawn from the store when it is
asked for (`/views/entity/ID.html`, `/views/article/ID.html`): an archive of thousands of articles has tens
of thousands of views, too many to write ahead.

Queries run on Oxigraph's own engine in worker processes, each with the store opened read-only: a query
that runs past the timeout is stopped by ending its worker (a new one takes its place) while the server
keeps answering; results are capped at a row limit, and a capped answer says so in `X-Result-Truncated`.
Updates are refused (403), malformed queries get 400 with the parser's message, every request is logged on
one line (method, path, status, duration, query hash). Answers and views drawn from the store are kept, within a
budget of memory, and sent again at once (`X-Cache: HIT`): the store cannot change under a running server.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import re
import threading
import time
import urllib.parse
from collections import OrderedDict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kg import __version__
from kg.errors import StoreError
from kg.query.results import GRAPH_TYPES, SELECT_TYPES
from kg.query.run import (
    SavedQuery,
    bind,
    binding_notes,
    parse_bindings,
    saved_queries,
    unused_bindings,
)
from kg.views.render import VIS_FILES, script_json, templates, vis_library

__all__ = ["ServerConfig", "Kept", "QueryPool", "make_server", "serve"]

log = logging.getLogger("kg.serve")

_UPDATE = re.compile(r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
                     r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_FORMATS = {**{k: ("select", k) for k in SELECT_TYPES}, **{k: ("graph", k) for k in GRAPH_TYPES},
            "turtle": ("graph", "ttl"), "ntriples": ("graph", "nt"), "json-ld": ("graph", "jsonld")}
_MEDIA = {v: ("select", k) for k, v in SELECT_TYPES.items()} | {v: ("graph", k) for k, v in GRAPH_TYPES.items()} | {
    "application/json": ("select", "json"), "text/xml": ("select", "xml"), "application/xml": ("select", "xml"),
    "application/x-turtle": ("graph", "ttl"), "text/plain": ("graph", "nt"), "application/json+ld": ("graph", "jsonld")}


_KINDS = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css"}
_PAGE = re.compile(r"(entity|article)/([A-Za-z0-9_-]+)\.html")


@dataclass(frozen=True)
class ServerConfig:
    store: str
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0
    max_rows: int = 10_000
    workers: int = 2
    views: str | None = None
    cache_mb: int = 256


class Kept:
    """Answers and drawn views by request, kept until their bodies pass `limit` bytes in all, the least recently
    sent dropped first. The workers open the store read-only, so an answer stays right until the server
    restarts; a cartel's view in ten thousand articles takes 0.7 to 1 s to draw, everything about it 0.15 s
    to find, and both are asked for again and again (a dashboard, the links of a view)."""

    def __init__(self, limit: int):
        self.limit = limit
        self._kept: OrderedDict[tuple, tuple] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple | None:
        with self._lock:
            if key not in self._kept:
                return None
            self._kept.move_to_end(key)
            return self._kept[key][1]

    def put(self, key: tuple, answer: tuple, size: int) -> None:
        """Keep `answer` (what the request needs to be sent again), counted as `size` bytes."""
        if size > self.limit:
            return
        with self._lock:
            if key in self._kept:
                self._size -= self._kept.pop(key)[0]
            self._kept[key] = (size, answer)
            self._size += size
            while self._size > self.limit:
                self._size -= self._kept.popitem(last=False)[1][0]


def _worker(store_path: str, connection) -> None:
    """A worker process: open the store read-only, answer queries and draw views until told to stop. It says
    "ready" once the store is open and the modules its answers need are imported: that start-up (seconds on a
    busy machine) is no query's time."""
    import importlib

    from kg.store.embedded import Store

    for module in ("kg.query.results", "kg.views.render"):
        importlib.import_module(module)

    store = Store(store_path, read_only=True)
    connection.send("ready")
    while True:
        try:
            job = connection.recv()
        except EOFError:  # the server is gone
            return
        if job is None:
            return
        kind, *args = job
        connection.send(_answer(store, *args) if kind == "query" else _notes(store, *args) if kind == "notes"
                        else _draw(store, *args))


def _answer(store, query: str, default_graphs: list[str], named_graphs: list[str], select_fmt: str,
            graph_fmt: str, max_rows: int) -> tuple:
    import pyoxigraph as ox

    from kg.query.results import write_boolean, write_graph, write_select
    from kg.vocab import PREFIXES

    try:
        kwargs = {"prefixes": PREFIXES}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        result = store._db.query(query, **kwargs)
        truncated = False
        if isinstance(result, ox.QueryBoolean):
            return 200, "select", select_fmt, write_boolean(bool(result), select_fmt), False
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == max_rows:
                    truncated = True
                    break
                rows.append([solution[v] for v in variables])
            return 200, "select", select_fmt, write_select(variables, rows, select_fmt), truncated
        triples = []
        for triple in result:
            if len(triples) == max_rows:
                truncated = True
                break
            triples.append(triple)
        return 200, "graph", graph_fmt, write_graph(triples, graph_fmt), truncated
    except SyntaxError as exc:
        return 400, None, None, f"Malformed query: {exc}".encode(), False
    except Exception as exc:  # the engine's own failures go back to the client as 500
        return 500, None, None, f"Query failed: {exc}".encode(), False


def _notes(store, saved: SavedQuery, pairs: list[str]) -> list[str]:
    """The notes on a saved query's bindings that `kg query` prints (see `binding_notes`), for the query page."""
    return binding_notes(store, saved, parse_bindings(pairs))


def _draw(store, page: str, name: str) -> tuple:
    """A view drawn from the store when it is asked for (`page` "entity": the ego view of the entity whose IRI
    ends in `name`; "article": an article's view), or (`page` "find") the page name of the entity called
    `name`. An entity or article not in the store is a 404 that says so."""
    from kg.errors import KgError
    from kg.network.model import find_entity_in_store
    from kg.views.render import draw_view, entity_slug
    from kg.vocab import KGR

    hint = " (/views/ finds one by name or alias)"
    try:
        if page == "find":
            return 200, "find", None, entity_slug(find_entity_in_store(store, name)).encode(), False
        if page == "entity":
            html, _ = draw_view(store, focus=KGR + name, depth=1, entity_pages="", lib="../lib", query_page="/")
        else:
            html, _ = draw_view(store, article=name, entity_pages="../entity/", lib="../lib", query_page="/")
    except KgError as exc:
        message = {"find": f"{exc}{hint}", "entity": f"no entity with id '{name}' has facts in the store{hint}"}
        return 404, None, None, message.get(page, str(exc)).encode(), False
    return 200, "view", None, html.encode(), False


# How long a new worker may take to open the store and import what it needs before it is taken for dead.
_START_TIMEOUT = 120


class QueryPool:
    """Long-lived worker processes; a query past its timeout costs its worker, not the server."""

    def __init__(self, store_path: str, size: int = 2):
        self.store_path = store_path
        self._context = multiprocessing.get_context("spawn")
        self._idle: list = []
        self._ready: set = set()  # the connections of workers that have said "ready"
        self._lock = threading.Condition()
        for _ in range(max(1, size)):
            self._idle.append(self._start())

    def _start(self):
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker, args=(self.store_path, child), daemon=True)
        process.start()
        return process, parent

    def run(self, job: tuple, timeout: float):
        """(status, kind, format, body, truncated); status 503 when the query ran out of time."""
        with self._lock:
            while not self._idle:
                self._lock.wait()
            process, connection = self._idle.pop()
        try:
            if connection not in self._ready:  # a new worker: its start-up is not counted against the query
                if not connection.poll(_START_TIMEOUT) or connection.recv() != "ready":
                    process.kill()
                    raise EOFError
                self._ready.add(connection)
            connection.send(job)
            if connection.poll(timeout):
                answer = connection.recv()
            else:
                process.kill()
                process.join()
                self._ready.discard(connection)
                process, connection = self._start()
                answer = (503, None, None, f"The request ran past the {timeout:g} s timeout and was stopped "
                                           f"(kg serve --timeout sets it).".encode(), False)
        except (EOFError, OSError):
            self._ready.discard(connection)
            process, connection = self._start()
            answer = (500, None, None, b"The worker failed; the request was not answered.", False)
        with self._lock:
            self._idle.append((process, connection))
            self._lock.notify()
        return answer

    def close(self) -> None:
        with self._lock:
            for process, connection in self._idle:
                try:
                    connection.send(None)
                except OSError:
                    pass
                process.join(timeout=2)
                if process.is_alive():
                    process.kill()
            self._idle.clear()


def _negotiate(accept: str, explicit: str | None) -> tuple[str, str]:
    """(format for SELECT/ASK, format for CONSTRUCT/DESCRIBE) from a `format` parameter or the Accept header."""
    select_fmt, graph_fmt = "json", "ttl"
    if explicit:
        kind, fmt = _FORMATS.get(explicit.lower(), (None, None))
        if kind == "select":
            return fmt, graph_fmt
        if kind == "graph":
            return select_fmt, fmt
    ranked = []
    for index, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = next((float(p[2:]) for p in params if p.startswith("q=") and _number(p[2:])), 1.0)
        ranked.append((-quality, index, media.lower()))
    found_select = found_graph = False
    for _, _, media in sorted(ranked):
        kind, fmt = _MEDIA.get(media, (None, None))
        if kind == "select" and not found_select:
            select_fmt, found_select = fmt, True
        elif kind == "graph" and not found_graph:
            graph_fmt, found_graph = fmt, True
    return select_fmt, graph_fmt


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _service_description(base: str) -> bytes:
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix formats: <http://www.w3.org/ns/formats/> .
<{base}/sparql> a sd:Service ;
    sd:endpoint <{base}/sparql> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML, formats:SPARQL_Results_CSV,
        formats:SPARQL_Results_TSV, formats:Turtle, formats:N-Triples, formats:JSON-LD ;
    sd:defaultDataset [ a sd:Dataset ] .
""".encode()


class _Handler(BaseHTTPRequestHandler):
    server_version = f"actorgraph/{__version__}"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the stdlib's name)
        """Silenced: one line per request is written by `_send` instead."""

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None,
              query: str | None = None) -> None:
        gone = ""
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", "X-Result-Truncated, X-Row-Limit, X-Cache")
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped waiting: its loss, not an error here
            gone = " (the client had gone)"
            self.close_connection = True
        digest = hashlib.sha256(query.encode()).hexdigest()[:12] if query else "-"
        elapsed = (time.perf_counter() - self._started) * 1000
        log.info("%s %s %d %.1fms query=%s%s", self.command, self.path.split("?")[0], status, elapsed, digest, gone)

    def do_OPTIONS(self) -> None:  # noqa: N802 (the stdlib's name)
        self._started = time.perf_counter()
        self._send(204, b"", "text/plain", {"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                             "Access-Control-Allow-Headers": "Content-Type, Accept",
                                             "Access-Control-Max-Age": "86400"})

    def do_GET(self) -> None:  # noqa: N802
        self._started = time.perf_counter()
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path == "/sparql":
            if "update" in params:
                return self._refuse_update()
            if "query" not in params:
                host = self.headers.get("Host", f"{self.server.config.host}:{self.server.config.port}")
                return self._send(200, _service_description(f"http://{host}"), "text/turtle")
            return self._query(params)
        if url.path == "/queries":
            return self._send(200, _catalogue(self.server.saved), "application/json")
        if url.path.startswith("/queries/"):
            return self._saved(urllib.parse.unquote(url.path[len("/queries/"):]), params)
        if url.path in ("/", "/index.html"):
            if "saved" not in params:
                return self._send(200, self.server.page, "text/html; charset=utf-8")
            name = params.pop("saved")[-1]
            status, text = _bound(self.server.saved, name, params)
            if status != 200:
                return self._send(status, text.encode(), "text/plain; charset=utf-8")
            notes = self.server.pool.run(("notes", self.server.saved[name], _pairs(params)), self.server.config.timeout)
            # (a worker that timed out or failed answers with a status tuple instead: no notes then)
            start = {"saved": name, "text": text, "notes": notes if isinstance(notes, list) else []}
            return self._send(200, _page(self.server.saved, start), "text/html; charset=utf-8")
        if url.path == "/views":
            return self._send(301, b"", "text/plain", {"Location": "/views/"})
        if url.path.startswith("/views/"):
            return self._view(urllib.parse.unquote(url.path[len("/views/"):]), params)
        self._send(404, b"Not found. The SPARQL endpoint is /sparql; the query page is /.", "text/plain")

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        self._started = time.perf_counter()
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            return self._send(404, b"Not found. POST queries to /sparql.", "text/plain")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if media == "application/sparql-update":
            return self._refuse_update()
        if media == "application/sparql-query":
            params["query"] = [body]
        elif media == "application/x-www-form-urlencoded":
            for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        else:
            return self._send(415, b"Send the query as application/sparql-query or as form field 'query' "
                                   b"(application/x-www-form-urlencoded).", "text/plain")
        if "update" in params:
            return self._refuse_update()
        if "query" not in params:
            return self._send(400, b"No query: send it as the 'query' parameter.", "text/plain")
        self._query(params)

    def _refuse_update(self) -> None:
        self._send(403, b"This endpoint is read-only: SPARQL Update is refused. Change the graph with `kg build`.",
                   "text/plain")

    def _query(self, params: dict[str, list[str]]) -> None:
        query = params["query"][0]
        if _UPDATE.match(query):
            return self._refuse_update()
        config = self.server.config
        select_fmt, graph_fmt = _negotiate(self.headers.get("Accept", ""), (params.get("format") or [None])[0])
        job = ("query", query, params.get("default-graph-uri", []), params.get("named-graph-uri", []), select_fmt,
               graph_fmt, config.max_rows)
        key = tuple(tuple(part) if isinstance(part, list) else part for part in job)
        (status, kind, fmt, body, truncated), hit = self._kept_or_run(key, job)
        if status != 200:
            return self._send(status, body, "text/plain; charset=utf-8", query=query)
        content_type = SELECT_TYPES[fmt] if kind == "select" else GRAPH_TYPES[fmt]
        extra = {"X-Row-Limit": str(config.max_rows), "X-Cache": "HIT" if hit else "MISS"}
        if truncated:
            extra["X-Result-Truncated"] = "true"
        self._send(200, body, f"{content_type}; charset=utf-8", extra, query=query)

    def _saved(self, name: str, params: dict[str, list[str]]) -> None:
        """A saved query by name, its variables bound from the URL: /queries/why?from=Shining+Path&to=VRAEM."""
        status, text = _bound(self.server.saved, name, params)
        if status != 200:
            return self._send(status, text.encode(), "text/plain; charset=utf-8")
        self._query({"query": [text], "format": params.get("format", [])})

    def _view(self, relative: str, params: dict[str, list[str]]) -> None:
        """A view from the folder of written views if it is there, else drawn from the store (see _draw)."""
        if self.server.views:
            root = Path(self.server.views).resolve()
            path = (root / relative).resolve()
            if root in path.parents and path.is_file():
                return self._send(200, path.read_bytes(), _KINDS.get(path.suffix, "application/octet-stream"))
        if relative in ("", "index.html"):
            return self._send(200, self.server.views_page, "text/html; charset=utf-8")
        if relative.startswith("lib/") and relative[4:] in VIS_FILES:
            return self._send(200, (vis_library() / relative[4:]).read_bytes(), _KINDS[Path(relative).suffix])
        if relative == "find":
            name, article = ((params.get(key) or [""])[0].strip() for key in ("name", "article"))
            if article:
                return self._send(303, b"", "text/plain",
                                  {"Location": f"/views/article/{urllib.parse.quote(article)}.html"})
            if not name:
                return self._send(400, b"Give a name or an article: /views/find?name=Shining+Path", "text/plain")
            status, _, _, body, _ = self.server.pool.run(("view", "find", name), self.server.config.timeout)
            if status == 200:
                return self._send(303, b"", "text/plain", {"Location": f"/views/entity/{body.decode()}.html"})
            return self._send(status, body, "text/plain; charset=utf-8")
        page = _PAGE.fullmatch(relative)
        if not page:
            return self._send(404, b"No such view: views are /views/entity/ID.html and /views/article/ID.html.",
                              "text/plain")
        job = ("view", *page.groups())
        (status, _, _, body, _), hit = self._kept_or_run(job, job)
        if status != 200:
            return self._send(status, body, "text/plain; charset=utf-8")
        self._send(status, body, "text/html; charset=utf-8", {"X-Cache": "HIT" if hit else "MISS"})

    def _kept_or_run(self, key: tuple, job: tuple) -> tuple[tuple, bool]:
        """The answer kept for `key` (see Kept), else the workers' answer to `job`, kept if it is a 200; and
        whether it was kept. An answer is (status, kind, format, body, truncated)."""
        kept = self.server.kept.get(key)
        if kept is not None:
            return kept, True
        answer = self.server.pool.run(job, self.server.config.timeout)
        if answer[0] == 200:
            self.server.kept.put(key, answer, len(answer[3]))
        return answer, False


def _bound(saved: dict[str, SavedQuery], name: str, params: dict[str, list[str]]) -> tuple[int, str]:
    """(200, the text of saved query `name` with the URL's parameters but `format` bound as `kg query --bind`
    binds them), or (404 or 400, why not)."""
    if name not in saved:
        return 404, f"No saved query '{name}'; known: {', '.join(saved)} (GET /queries describes them)."
    bindings = parse_bindings(_pairs(params))
    unused = unused_bindings(saved[name].text, bindings)
    if unused:
        return 400, f"The saved query '{name}' uses no " + ", ".join(f"?{var}" for var in unused) + \
            ": its text is under GET /queries."
    return 200, bind(saved[name].text, bindings)


def _pairs(params: dict[str, list[str]]) -> list[str]:
    """The URL's parameters but `format` as `kg query --bind` pairs: VAR=VALUE, the last value of each."""
    return [f"{var}={values[-1]}" for var, values in sorted(params.items()) if var != "format"]


def _catalogue(saved: dict[str, SavedQuery]) -> bytes:
    return json.dumps([{"name": q.name, "description": q.description, "url": f"/queries/{q.name}", "text": q.text}
                       for q in saved.values()], ensure_ascii=False, indent=1).encode()


def _page(saved: dict[str, SavedQuery], start: dict | None = None) -> bytes:
    """The query page; with `start` ({"saved": name, "text": bound text}) it shows that query and runs it."""
    queries = [{"name": q.name, "description": q.description, "text": q.text} for q in saved.values()]
    return templates().get_template("query.html").render(
        version=__version__, queries_json=script_json(queries), start_json=script_json(start)).encode()



class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops connections when a few clients connect at once, and each
    # dropped one waits a second for its retry: eight clients got a tenth of the throughput of one.
    request_queue_size = 128


def make_server(config: ServerConfig) -> _Server:
    """A server bound to host:port (port 0: any free port), ready for serve_forever()."""
    from kg.paths import ontology_dir

    if not Path(config.store).is_dir():
        raise StoreError(f"{config.store}: no store here; build one first with `kg build`")
    server = _Server((config.host, config.port), _Handler)
    server.config = config
    server.views = config.views if config.views and Path(config.views).is_dir() else None
    server.saved = saved_queries(ontology_dir())
    server.page = _page(server.saved)
    server.views_page = templates().get_template("views.html").render(version=__version__).encode()
    server.pool = QueryPool(config.store, config.workers)
    server.kept = Kept(config.cache_mb * 2**20)
    return server


def serve(config: ServerConfig) -> None:
    """Serve until interrupted."""
    server = make_server(config)
    try:
        server.serve_forever()
    finally:
        server.pool.close()
        server.server_close()
