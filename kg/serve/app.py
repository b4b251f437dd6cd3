"""A read-only SPARQL 1.1 endpoint over the embedded store, a query page for people, and the HTML views:
the server and its routes.

A view is served from the folder `kg view --all` wrote if it is there, else drawn from the store when it is
asked for (`/views/entity/ID.html`, `/views/article/ID.html`): an archive of thousands of articles has tens
of thousands of views, too many to write ahead.

Queries run on Oxigraph's own engine in worker processes (kg.serve.pool), each with the store opened read-only:
a query that runs past the timeout is stopped by ending its worker while the server keeps answering; results
are capped at a row limit, and a capped answer says so in `X-Result-Truncated`. Updates are refused (403),
malformed queries get 400 with the parser's message, every request is logged on one line (method, path, status,
duration, query hash). Answers and views drawn from the store are kept (kg.serve.cache), within a budget of
memory counting the requests that key them, and sent again at once (`X-Cache: HIT`) until a build changes the
store: each request looks at the store's generation stamp (kg.store.embedded), and a new one drops what was kept
and replaces the workers, which then read the new build.

Safe to leave running: no request leaves the machine (SERVICE is refused, but to the hosts of --allow-service,
and without those the workers cannot open a network socket at all, kg.serve.sandbox);
no other web page reads the answers (CORS is off but for the origins of --cors); a request body, a query's
text, a worker's memory and the queue of waiting requests are bounded, each with its own answer (413, 503
with Retry-After); every malformed request gets a 4xx that says what is wrong.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kg import __version__
from kg.errors import StoreError
from kg.query.run import saved_queries
from kg.serve.cache import Kept
from kg.serve.jobs import HTML, TEXT, Answer
from kg.serve.negotiation import negotiate
from kg.serve.pages import query_page, service_description, views_page
from kg.serve.pool import Busy, QueryPool
from kg.serve.saved import bound, catalogue, pages, paging, pairs
from kg.store.embedded import check_readable, generation
from kg.store.sparql_text import read_query_text
from kg.views.pages import LIB_FILES, library_file

__all__ = ["ServerConfig", "make_server", "serve"]

log = logging.getLogger("kg.serve")

_UPDATE = re.compile(r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
                     r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_KINDS = {".html": HTML, ".js": "text/javascript", ".css": "text/css"}
_PAGE = re.compile(r"(entity|article)/([A-Za-z0-9_-]+)\.html|(data)/([A-Za-z0-9_-]+)\.js")
_HOST = re.compile(r"[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?")
_RETRY_AFTER = "2"


class _Refused(Exception):
    """A request refused before any work: its status and message."""

    def __init__(self, status: int, message: str, extra: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra or {}


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
    cors: tuple[str, ...] = ()  # origins whose pages may read the answers ("*": any)
    allow_service: tuple[str, ...] = ()  # hosts a SERVICE call may reach
    max_body: int = 1_000_000  # bytes of a POST body
    max_query: int = 200_000  # characters of a query's text
    worker_memory_mb: int = 2048  # resident memory a worker may use on one request (0: no limit)
    max_workers: int | None = None  # workers at most when all are busy (None: 2 * workers + 2)
    queue: int = 512  # requests waiting for a worker at most


class _Handler(BaseHTTPRequestHandler):
    server_version = f"actorgraph/{__version__}"
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the stdlib's name)
        """Silenced: one line per request is written by `_send` instead."""

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None,
              query: str | None = None) -> None:
        gone = ""
        try:
            self._write(status, body, content_type, extra or {})
        except (BrokenPipeError, ConnectionResetError):  # the client stopped waiting: its loss, not an error here
            gone = " (the client had gone)"
            self.close_connection = True
        digest = hashlib.sha256(query.encode()).hexdigest()[:12] if query else "-"
        elapsed = (time.perf_counter() - self._started) * 1000
        log.info("%s %s %d %.1fms query=%s%s", self.command, self.path.split("?")[0], status, elapsed, digest, gone)

    def _write(self, status: int, body: bytes, content_type: str, extra: dict) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        for key, value in {**self._cors(), **extra}.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _cors(self) -> dict[str, str]:
        """CORS headers for a page of an origin named by --cors; none otherwise, so browsers keep other
        sites' pages from reading the answers."""
        origin = self.headers.get("Origin", "") if self.headers else ""
        allowed = self.server.config.cors
        if not origin or not ("*" in allowed or origin in allowed):
            return {"Vary": "Origin"} if allowed else {}
        return {"Access-Control-Allow-Origin": "*" if "*" in allowed else origin, "Vary": "Origin",
                "Access-Control-Expose-Headers": "X-Result-Truncated, X-Row-Limit, X-Cache"}

    def _send_answer(self, answer: Answer, extra: dict | None = None, query: str | None = None) -> None:
        """A worker's answer; the headers in `extra` go only with a 200."""
        headers = extra if answer.status == 200 else {"Retry-After": _RETRY_AFTER} if answer.retry_after else None
        self._send(answer.status, answer.body, answer.content_type, headers, query)

    def _guarded(self, method) -> None:
        """Run a request's method: a refusal is sent as its status and message, anything unforeseen as 500 with
        its error, never a dropped connection."""
        self._started = time.perf_counter()
        try:
            method()
        except _Refused as refused:
            self._send(refused.status, refused.message.encode(), TEXT, refused.extra)
        except Busy:
            self._send(503, b"The server is busy: every worker is taken and the queue is full. Retry shortly.",
                       TEXT, {"Retry-After": _RETRY_AFTER})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # a bug of ours: the client still gets an answer, the log the traceback
            log.exception("%s %s failed", self.command, self.path[:200])
            self._send(500, f"The request failed: {type(exc).__name__}: {exc}".encode(), TEXT)

    def do_OPTIONS(self) -> None:
        self._started = time.perf_counter()
        extra = {"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                 "Access-Control-Allow-Headers": "Content-Type, Accept", "Access-Control-Max-Age": "86400"}
        self._send(204, b"", "text/plain", extra if self._cors().get("Access-Control-Allow-Origin") else None)

    def do_GET(self) -> None:
        self._guarded(self._get)

    def do_HEAD(self) -> None:
        self._guarded(self._get)

    def do_POST(self) -> None:
        self._guarded(self._post)

    def _get(self) -> None:
        self.server.notice_new_build()
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path == "/sparql":
            return self._sparql(params)
        if url.path == "/queries":
            return self._send(200, catalogue(self.server.saved), "application/json")
        if url.path.startswith("/queries/"):
            return self._saved(urllib.parse.unquote(url.path[len("/queries/"):]), params)
        if url.path in ("/", "/index.html"):
            return self._query_page(params)
        if url.path == "/views":
            return self._send(301, b"", "text/plain", {"Location": "/views/"})
        if url.path.startswith("/views/"):
            return self._view(urllib.parse.unquote(url.path[len("/views/"):]), params)
        self._send(404, b"Not found. The SPARQL endpoint is /sparql; the query page is /.", "text/plain")

    def _post(self) -> None:
        self.server.notice_new_build()
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            return self._send(404, b"Not found. POST queries to /sparql.", "text/plain")
        params = self._posted(urllib.parse.parse_qs(url.query, keep_blank_values=True))
        if params is None:
            return None
        if "query" not in params and "update" not in params:
            return self._send(400, b"No query: send it as the 'query' parameter.", "text/plain")
        self._sparql(params)

    def _posted(self, params: dict[str, list[str]]) -> dict[str, list[str]] | None:
        """The URL's parameters with the query or form of a POST's body; None when the body was refused."""
        body = self._body()
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/sparql-update":
            self._refuse_update()
            return None
        if media == "application/sparql-query":
            return {**params, "query": [body]}
        if media == "application/x-www-form-urlencoded":
            for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
            return params
        self._send(415, b"Send the query as application/sparql-query or as form field 'query' "
                        b"(application/x-www-form-urlencoded).", "text/plain")
        return None

    def _body(self) -> str:
        """A POST's body, within --max-body; a length missing, malformed or too large is refused before any
        of the body is read."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise _Refused(411, "Send the body with a Content-Length (chunked bodies are not taken).")
        given = (self.headers.get("Content-Length") or "0").strip()
        if not given.isdigit():
            self.close_connection = True
            raise _Refused(400, f"Malformed Content-Length: {given[:40]!r} (a number of bytes).")
        length, limit = int(given), self.server.config.max_body
        if length > limit:
            self.close_connection = True  # the rest of the body is not read: this connection ends here
            raise _Refused(413, f"The body is {length} bytes; this server takes at most {limit} "
                                f"(kg serve --max-body sets it).")
        return self.rfile.read(length).decode("utf-8", errors="replace")

    def _refuse_update(self) -> None:
        self._send(403, b"This endpoint is read-only: SPARQL Update is refused. Change the graph with `kg build`.",
                   "text/plain")

    def _sparql(self, params: dict[str, list[str]]) -> None:
        """/sparql: an update is refused, a query answered; without either, the service description."""
        if "update" in params:
            return self._refuse_update()
        if "query" in params:
            return self._query(params)
        host = self.headers.get("Host", "")
        if not _HOST.fullmatch(host):  # copied into Turtle: only a host name and port, nothing else
            host = f"{self.server.config.host}:{self.server.server_address[1]}"
        self._send(200, service_description(f"http://{host}"), "text/turtle")

    def _query(self, params: dict[str, list[str]], links: dict[str, str] | None = None) -> None:
        query = params["query"][0]
        config = self.server.config
        if len(query) > config.max_query:
            raise _Refused(413, f"The query is {len(query)} characters long; this server takes at most "
                                f"{config.max_query} (kg serve --max-query sets it).")
        if _UPDATE.match(query):
            return self._refuse_update()
        self._refuse_service(query)
        explicit = params["format"][0] if params.get("format") else None
        select_format, graph_format = negotiate(self.headers.get("Accept", ""), explicit)
        job = ("query", query, tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", [])),
               select_format, graph_format, config.max_rows)
        answer, hit = self._kept_or_run(job)
        extra = {"X-Row-Limit": str(config.max_rows), "X-Cache": "HIT" if hit else "MISS", **(links or {})}
        if answer.truncated:
            extra["X-Result-Truncated"] = "true"
        self._send_answer(answer, extra, query=query)

    def _refuse_service(self, query: str) -> None:
        """SERVICE would make this server send a request to another (an open proxy into the newsroom's
        network): refused, but to the hosts of --allow-service, named by a full IRI."""
        allowed = self.server.config.allow_service
        for target in read_query_text(query).services:
            host = urllib.parse.urlsplit(target[1:-1]).hostname if target.startswith("<") else None
            if host is None or host not in allowed:
                hint = (f" (allowed: {', '.join(allowed)}; name the service by a full IRI)" if allowed else
                        "; kg serve --allow-service HOST allows a host")
                raise _Refused(400, f"SERVICE {target or '(nothing)'} is refused: this endpoint sends no "
                                    f"request to other servers{hint}.")

    def _saved(self, name: str, params: dict[str, list[str]]) -> None:
        """A saved query by name, its variables bound from the URL: /queries/why?from=Shining+Path&to=VRAEM."""
        status, text = bound(self.server.saved, name, params, paged=False)
        if status != 200:
            return self._send(status, text.encode(), TEXT)
        limit, offset = paging(params)
        if limit is not None or offset:  # chosen in a worker: the timeline's on the store's counts
            answer = self._run(("page", text, limit, offset))
            if answer.status != 200:
                return self._send(answer.status, answer.body, answer.content_type)
            text = answer.body.decode()
        self._query({"query": [text], "format": params.get("format", [])}, pages(f"/queries/{name}", params))

    def _query_page(self, params: dict[str, list[str]]) -> None:
        """The query page; with ?saved=NAME&VAR=VALUE it opens that saved query bound, with its notes."""
        if "saved" not in params:
            return self._send(200, self.server.page, HTML)
        name = params.pop("saved")[-1]
        status, text = bound(self.server.saved, name, params)
        if status != 200:
            return self._send(status, text.encode(), TEXT)
        notes = self._run(("notes", self.server.saved[name], pairs(params)))
        # (a worker that timed out or failed answers with another status: no notes then)
        start = {"saved": name, "text": text, "bindings": dict(pair.split("=", 1) for pair in pairs(params)),
                 "notes": json.loads(notes.body) if notes.status == 200 else []}
        self._send(200, query_page(self.server.saved, start), HTML)

    def _view(self, relative: str, params: dict[str, list[str]]) -> None:
        """A view from the folder of written views if it is there, else drawn from the store (see kg.serve.jobs)."""
        written = self._written_view(relative)
        if written is not None:
            return self._send(200, written.read_bytes(), _KINDS.get(written.suffix, "application/octet-stream"))
        if relative in ("", "index.html"):
            return self._send(200, self.server.views_page, HTML)
        if relative.startswith("lib/") and relative[4:] in LIB_FILES:
            return self._send(200, library_file(relative[4:]), _KINDS[Path(relative).suffix])
        if relative == "find":
            return self._find(params)
        if relative == "map.html":
            answer, hit = self._kept_or_run(("view", "map", ""))
            return self._send_answer(answer, {"X-Cache": "HIT" if hit else "MISS"})
        page = _PAGE.fullmatch(relative)
        if not page:
            return self._send(404, b"No such view: views are /views/entity/ID.html, /views/article/ID.html and "
                              b"/views/map.html.",
                              "text/plain")
        answer, hit = self._kept_or_run(("view", *filter(None, page.groups())))
        self._send_answer(answer, {"X-Cache": "HIT" if hit else "MISS"})

    def _written_view(self, relative: str) -> Path | None:
        """The file of the --views folder at `relative`, if there is one (and it is inside the folder)."""
        if not self.server.views:
            return None
        if "\x00" in relative or any(len(part.encode()) > 255 for part in relative.split("/")):
            raise _Refused(400, "Malformed view path (a NUL, or a part over 255 bytes).")
        root = Path(self.server.views).resolve()
        try:
            path = (root / relative).resolve()
            return path if root in path.parents and path.is_file() else None
        except (OSError, ValueError, RuntimeError):
            return None

    def _find(self, params: dict[str, list[str]]) -> None:
        """/views/find?name=... (or article=...): a redirect to the view of the entity of that name."""
        name, article = ((params.get(key) or [""])[0].strip() for key in ("name", "article"))
        if article:
            location = f"/views/article/{urllib.parse.quote(article)}.html"
            return self._send(303, b"", "text/plain", {"Location": location})
        if not name:
            return self._send(400, b"Give a name or an article: /views/find?name=Shining+Path", "text/plain")
        answer = self._run(("view", "find", name))
        if answer.status != 200:
            return self._send_answer(answer)
        self._send(303, b"", "text/plain", {"Location": f"/views/entity/{answer.body.decode()}.html"})

    def _kept_or_run(self, job: tuple) -> tuple[Answer, bool]:
        """The answer kept for `job` (see Kept), else the workers' answer, kept if it is a 200; and whether it
        was kept."""
        kept = self.server.kept.get(job)
        if kept is not None:
            return kept, True
        answer = self._run(job)
        if answer.status == 200:
            self.server.kept.put(job, answer, len(answer.body) + _size(job))
        return answer, False

    def _run(self, job: tuple) -> Answer:
        return self.server.pool.run(job, self.server.config.timeout, client=self.client_address[0])


def _size(job: tuple) -> int:
    """What a kept answer's key costs: the text of the request (a 1 MB query keys its answer)."""
    return sum(len(part) if isinstance(part, str) else _size(part) if isinstance(part, tuple) else 8
               for part in job)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops connections when a few clients connect at once, and each
    # dropped one waits a second for its retry: eight clients got a tenth of the throughput of one.
    request_queue_size = 128

    def __init__(self, config: ServerConfig):
        from kg.paths import ontology_dir

        super().__init__((config.host, config.port), _Handler)
        self.config = config
        self.views = config.views if config.views and Path(config.views).is_dir() else None
        self.saved = saved_queries(ontology_dir())
        self.page = query_page(self.saved)
        self.views_page = views_page()
        self.generation = generation(config.store)
        self.pool = QueryPool(config.store, config.workers, config.max_workers, config.queue, config.worker_memory_mb,
                              network=bool(config.allow_service))
        self.kept = Kept(config.cache_mb * 2**20)
        self._renewing = threading.Lock()

    def notice_new_build(self) -> None:
        """A build finished since the last request (its generation stamp changed): drop what was kept and
        answer from the new store."""
        stamp = generation(self.config.store)
        if stamp == self.generation:
            return
        with self._renewing:
            if stamp != self.generation:
                log.info("the store was built again (generation %s): answers kept are dropped", stamp)
                self.kept.clear()
                self.pool.renew()
                self.generation = stamp

    def close(self) -> None:
        """Stop the workers and release the port."""
        self.pool.close()
        self.server_close()


def make_server(config: ServerConfig) -> _Server:
    """A server bound to host:port (port 0: any free port), ready for serve_forever()."""
    if not Path(config.store).is_dir():
        raise StoreError(f"{config.store}: no store here; build one first with `kg build`")
    check_readable(config.store)
    return _Server(config)


def serve(config: ServerConfig) -> None:
    """Serve until interrupted."""
    server = make_server(config)
    try:
        server.serve_forever()
    finally:
        server.close()
