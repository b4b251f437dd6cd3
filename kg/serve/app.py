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
memory, and sent again at once (`X-Cache: HIT`): the store cannot change under a running server.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
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
from kg.serve.pool import QueryPool
from kg.serve.saved import bound, catalogue, pairs
from kg.views.pages import VIS_FILES, vis_library

__all__ = ["ServerConfig", "make_server", "serve"]

log = logging.getLogger("kg.serve")

_UPDATE = re.compile(r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
                     r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_KINDS = {".html": HTML, ".js": "text/javascript", ".css": "text/css"}
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
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "X-Result-Truncated, X-Row-Limit, X-Cache")
        for key, value in extra.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_answer(self, answer: Answer, extra: dict | None = None, query: str | None = None) -> None:
        """A worker's answer; the headers in `extra` go only with a 200."""
        self._send(answer.status, answer.body, answer.content_type, extra if answer.status == 200 else None, query)

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

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        self._started = time.perf_counter()
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
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", errors="replace")
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

    def _refuse_update(self) -> None:
        self._send(403, b"This endpoint is read-only: SPARQL Update is refused. Change the graph with `kg build`.",
                   "text/plain")

    def _sparql(self, params: dict[str, list[str]]) -> None:
        """/sparql: an update is refused, a query answered; without either, the service description."""
        if "update" in params:
            return self._refuse_update()
        if "query" in params:
            return self._query(params)
        host = self.headers.get("Host", f"{self.server.config.host}:{self.server.config.port}")
        self._send(200, service_description(f"http://{host}"), "text/turtle")

    def _query(self, params: dict[str, list[str]]) -> None:
        query = params["query"][0]
        if _UPDATE.match(query):
            return self._refuse_update()
        config = self.server.config
        explicit = params["format"][0] if params.get("format") else None
        select_format, graph_format = negotiate(self.headers.get("Accept", ""), explicit)
        job = ("query", query, tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", [])),
               select_format, graph_format, config.max_rows)
        answer, hit = self._kept_or_run(job)
        extra = {"X-Row-Limit": str(config.max_rows), "X-Cache": "HIT" if hit else "MISS"}
        if answer.truncated:
            extra["X-Result-Truncated"] = "true"
        self._send_answer(answer, extra, query=query)

    def _saved(self, name: str, params: dict[str, list[str]]) -> None:
        """A saved query by name, its variables bound from the URL: /queries/why?from=Shining+Path&to=VRAEM."""
        status, text = bound(self.server.saved, name, params)
        if status != 200:
            return self._send(status, text.encode(), TEXT)
        self._query({"query": [text], "format": params.get("format", [])})

    def _query_page(self, params: dict[str, list[str]]) -> None:
        """The query page; with ?saved=NAME&VAR=VALUE it opens that saved query bound, with its notes."""
        if "saved" not in params:
            return self._send(200, self.server.page, HTML)
        name = params.pop("saved")[-1]
        status, text = bound(self.server.saved, name, params)
        if status != 200:
            return self._send(status, text.encode(), TEXT)
        notes = self.server.pool.run(("notes", self.server.saved[name], pairs(params)), self.server.config.timeout)
        # (a worker that timed out or failed answers with another status: no notes then)
        start = {"saved": name, "text": text, "notes": json.loads(notes.body) if notes.status == 200 else []}
        self._send(200, query_page(self.server.saved, start), HTML)

    def _view(self, relative: str, params: dict[str, list[str]]) -> None:
        """A view from the folder of written views if it is there, else drawn from the store (see kg.serve.jobs)."""
        written = self._written_view(relative)
        if written is not None:
            return self._send(200, written.read_bytes(), _KINDS.get(written.suffix, "application/octet-stream"))
        if relative in ("", "index.html"):
            return self._send(200, self.server.views_page, HTML)
        if relative.startswith("lib/") and relative[4:] in VIS_FILES:
            return self._send(200, (vis_library() / relative[4:]).read_bytes(), _KINDS[Path(relative).suffix])
        if relative == "find":
            return self._find(params)
        page = _PAGE.fullmatch(relative)
        if not page:
            return self._send(404, b"No such view: views are /views/entity/ID.html and /views/article/ID.html.",
                              "text/plain")
        answer, hit = self._kept_or_run(("view", *page.groups()))
        self._send_answer(answer, {"X-Cache": "HIT" if hit else "MISS"})

    def _written_view(self, relative: str) -> Path | None:
        """The file of the --views folder at `relative`, if there is one (and it is inside the folder)."""
        if not self.server.views:
            return None
        root = Path(self.server.views).resolve()
        path = (root / relative).resolve()
        return path if root in path.parents and path.is_file() else None

    def _find(self, params: dict[str, list[str]]) -> None:
        """/views/find?name=... (or article=...): a redirect to the view of the entity of that name."""
        name, article = ((params.get(key) or [""])[0].strip() for key in ("name", "article"))
        if article:
            location = f"/views/article/{urllib.parse.quote(article)}.html"
            return self._send(303, b"", "text/plain", {"Location": location})
        if not name:
            return self._send(400, b"Give a name or an article: /views/find?name=Shining+Path", "text/plain")
        answer = self.server.pool.run(("view", "find", name), self.server.config.timeout)
        if answer.status != 200:
            return self._send_answer(answer)
        self._send(303, b"", "text/plain", {"Location": f"/views/entity/{answer.body.decode()}.html"})

    def _kept_or_run(self, job: tuple) -> tuple[Answer, bool]:
        """The answer kept for `job` (see Kept), else the workers' answer, kept if it is a 200; and whether it
        was kept."""
        kept = self.server.kept.get(job)
        if kept is not None:
            return kept, True
        answer = self.server.pool.run(job, self.server.config.timeout)
        if answer.status == 200:
            self.server.kept.put(job, answer, len(answer.body))
        return answer, False


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
        self.pool = QueryPool(config.store, config.workers)
        self.kept = Kept(config.cache_mb * 2**20)

    def close(self) -> None:
        """Stop the workers and release the port."""
        self.pool.close()
        self.server_close()


def make_server(config: ServerConfig) -> _Server:
    """A server bound to host:port (port 0: any free port), ready for serve_forever()."""
    if not Path(config.store).is_dir():
        raise StoreError(f"{config.store}: no store here; build one first with `kg build`")
    return _Server(config)


def serve(config: ServerConfig) -> None:
    """Serve until interrupted."""
    server = make_server(config)
    try:
        server.serve_forever()
    finally:
        server.close()
