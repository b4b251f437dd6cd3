"""A SPARQL 1.1 server as the store: the same interface as the embedded one, over the SPARQL Protocol.

`build`, `query`, `view` and `export` work against it unchanged. One article's named graph is replaced by a
single update request (DROP SILENT GRAPH, then INSERT DATA), which Oxigraph and Virtuoso each run as one
transaction. The server must treat the default graph as the union of the named graphs (Virtuoso does by
default; start Oxigraph with --union-default-graph; Fuseki with tdb:unionDefaultGraph).

Where the endpoints are: the query URL is the store location; the update URL is `$KG_UPDATE_URL`, else the
query URL with a final `/query` turned into `/update` (Oxigraph, Fuseki), else the query URL itself
(Virtuoso's /sparql-auth, GraphDB's /statements take `$KG_UPDATE_URL`). Credentials come from the URL
(`https://user:password@host/...`) or `$KG_STORE_USER` and `$KG_STORE_PASSWORD` (HTTP Basic, or Digest
when the server asks for it, as Virtuoso does).

Every request has a timeout and every answer a size limit (`max_bytes`), and an answer that is not what was
asked for (not SPARQL results, a page that does not parse, a server that sends the same page again and again)
is an error, never an empty result: a copy either completes or fails.
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg.errors import StoreError
from kg.store.sparql_text import read_query_text
from kg.vocab import OURS, PREFIXES, XSD

__all__ = ["RemoteStore"]

_PAGE = 10_000  # rows per page: Virtuoso sorts at most 10,000 by default
_INSERT_CHUNK = 20_000  # statements per INSERT DATA after the first (servers cap request sizes)


_BOOLEAN = XSD + "boolean"


def _canonical(term):
    """Virtuoso gives booleans back as "1"/"0": the same values, written canonically as the embedded store does."""
    if isinstance(term, ox.Literal) and term.datatype.value == _BOOLEAN and term.value in ("1", "0"):
        return ox.Literal("true" if term.value == "1" else "false", datatype=term.datatype)
    return term


class _Solutions(list):
    """Query solutions read to the end (so a page that breaks part way is an error here, not in the caller's
    loop), with their variables, as pyoxigraph's QuerySolutions has them."""

    def __init__(self, results: ox.QuerySolutions):
        super().__init__(results)
        self.variables = results.variables


def _prologue() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def _inserts(graph, statements: list[str]) -> list[str]:
    """INSERT DATA requests for a graph's statements, _INSERT_CHUNK at a time."""
    return [f"INSERT DATA {{ GRAPH {graph} {{\n" + "\n".join(statements[start:start + _INSERT_CHUNK]) + "\n} }"
            for start in range(0, len(statements), _INSERT_CHUNK)]


class RemoteStore:
    """A store behind SPARQL 1.1 Protocol endpoints (query and update)."""

    def __init__(self, location: str, update_url: str | None = None, user: str | None = None,
                 password: str | None = None, timeout: float = 300.0, max_bytes: int = 512 * 2**20):
        parts = urllib.parse.urlsplit(location)
        if not parts.hostname:
            raise StoreError(f"{location}: the endpoint's URL names no host")
        user = user or (urllib.parse.unquote(parts.username) if parts.username else None) or \
            os.environ.get("KG_STORE_USER")
        password = password or (urllib.parse.unquote(parts.password) if parts.password else None) or \
            os.environ.get("KG_STORE_PASSWORD")
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        self.query_url = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
        default_update = self.query_url[:-len("/query")] + "/update" if parts.path.endswith("/query") \
            else self.query_url
        self.update_url = update_url or os.environ.get("KG_UPDATE_URL") or default_update
        self.location = self.query_url
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_statements = max(_PAGE, max_bytes // 400)  # as Python objects, a statement takes some 400 bytes
        self._passwords = None
        if user:
            self._passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {self.query_url, self.update_url}:
                self._passwords.add_password(None, url, user, password or "")

    def _opener(self) -> urllib.request.OpenerDirector:
        """An opener for one request: urllib's digest handler counts its retries and nonces in itself, and a
        view sends two queries at once from two threads (see kg.network.model._both)."""
        if self._passwords is None:
            return urllib.request.build_opener()
        return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(self._passwords),
                                           urllib.request.HTTPDigestAuthHandler(self._passwords))

    def _post(self, url: str, body: str, content_type: str, accept: str) -> bytes:
        request = urllib.request.Request(url, data=body.encode("utf-8"), method="POST",
                                         headers={"Content-Type": content_type, "Accept": accept})
        try:
            with self._opener().open(request, timeout=self.timeout) as response:
                answer = response.read(self.max_bytes + 1)
                if len(answer) > self.max_bytes:
                    raise StoreError(f"{url}: the answer is larger than {self.max_bytes // 2**20} MB; stopped "
                                     f"(--max-mb sets the limit)")
                return answer
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", errors="replace").strip()[:500]
            raise StoreError(f"{url}: the server answered {exc.code}: {detail}") from exc
        except TimeoutError as exc:
            raise StoreError(f"{url}: no answer within {self.timeout:g} s (--timeout sets it)") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:  # (http.client's errors are OSError or ValueError)
            raise StoreError(f"{url}: cannot reach the SPARQL server: {exc}") from exc

    def query(self, sparql: str):
        """Run a query with the project's prefixes; results come back as pyoxigraph objects, as locally."""
        # The dataset the query names goes as protocol parameters too: the Oxigraph server, started with
        # --union-default-graph, reads FROM <urn:nothing> over every graph otherwise.
        dataset = read_query_text(sparql, PREFIXES)
        form = urllib.parse.urlencode([("query", _prologue() + sparql)]
                                      + [("default-graph-uri", g) for g in dataset.default_graphs]
                                      + [("named-graph-uri", g) for g in dataset.named_graphs])
        body = self._post(self.query_url, form, "application/x-www-form-urlencoded",
                          "application/sparql-results+json, application/n-triples;q=0.9")
        start = body[:4096].lstrip()
        try:
            if start.startswith(b"{"):
                results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
                return results if isinstance(results, ox.QueryBoolean) else _Solutions(results)
            if start.startswith(b"<") and not start.startswith((b"<?xml", b"<html", b"<!")):  # N-Triples
                return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        except SyntaxError as exc:
            raise StoreError(f"{self.query_url}: unreadable results: {exc}") from exc
        if not start and re.match(r"(?is)\s*(?:PREFIX[^\n]*\n\s*)*(CONSTRUCT|DESCRIBE)\b", sparql):
            return []  # an empty graph, in N-Triples
        raise StoreError(f"{self.query_url}: the answer is not SPARQL results (it begins {start[:60]!r})")

    # (Queries and updates go form-encoded: every SPARQL 1.1 server takes that; some hang on the direct
    # application/sparql-query body.)

    def update(self, sparql: str) -> None:
        self._post(self.update_url, urllib.parse.urlencode({"update": sparql}), "application/x-www-form-urlencoded",
                   "*/*")

    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
        """Drop the graph and insert its new statements; the first chunk goes in the same request."""
        requests = _inserts(graph, [f"{q.subject} {q.predicate} {q.object} ." for q in quads])
        self.update(f"DROP SILENT GRAPH {graph}" + "".join(f" ;\n{r}" for r in requests[:1]))
        for request in requests[1:]:
            self.update(request)

    def replace_graph_and_update(self, graph: ox.NamedNode, quads: Iterable[ox.Quad], update: str) -> None:
        """Replace a named graph (drop it, with no quads) and run `update` (the summaries it changes): one
        request, one transaction, unless the graph is bigger than a request may be (then the update goes with
        its last chunk)."""
        requests = _inserts(graph, [f"{q.subject} {q.predicate} {q.object} ." for q in quads]) or [""]
        requests[0] = f"DROP SILENT GRAPH {graph}" + (f" ;\n{requests[0]}" if requests[0] else "")
        if update:
            requests[-1] += f" ;\n{update}"
        for request in requests:
            self.update(request)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Insert quads into the graphs they name, a chunk per request."""
        by_graph: dict[str, list[str]] = {}
        for q in quads:
            by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
        for graph, statements in sorted(by_graph.items()):
            for request in _inserts(graph, statements):
                self.update(request)

    def drop_graph(self, graph: ox.NamedNode) -> None:
        self.update(f"DROP SILENT GRAPH {graph}")

    def named_graphs(self) -> list[str]:
        """The project's graphs on the server (a server's own system graphs are left alone)."""
        rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                          f"FILTER(STRSTARTS(STR(?g), \"{OURS}\")) }}")
        try:
            return sorted(row["g"].value for row in rows)
        except (KeyError, TypeError, AttributeError) as exc:
            raise StoreError(f"{self.query_url}: the list of graphs lacks ?g ({exc})") from exc

    def quads_of(self, graph: str) -> list[ox.Quad]:
        """Every statement of one named graph, read page by page."""
        node = ox.NamedNode(graph)
        out: list[ox.Quad] = []
        offset, previous = 0, None
        while True:
            rows = list(self.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH {node} {{ ?s ?p ?o }} }} "
                                   f"ORDER BY ?s ?p ?o LIMIT {_PAGE} OFFSET {offset}"))
            try:
                page = [ox.Quad(r["s"], r["p"], _canonical(r["o"]), node) for r in rows]
            except (KeyError, TypeError, ValueError) as exc:
                raise StoreError(f"{self.query_url}: a page of {graph} lacks ?s ?p ?o ({exc})") from exc
            if len(page) > _PAGE or (page and page == previous):
                raise StoreError(f"{self.query_url}: the server does not page {graph} as asked (LIMIT {_PAGE} "
                                 f"OFFSET {offset}); stopped")
            out.extend(page)
            if len(out) > self.max_statements:
                raise StoreError(f"{self.query_url}: {graph} has more than {self.max_statements} statements; "
                                 f"stopped")
            if len(page) < _PAGE:
                return out
            previous = page
            offset += _PAGE

    def quads(self) -> Iterator[ox.Quad]:
        """Every statement of every named graph, sorted as the embedded store sorts them."""
        everything = [q for graph in self.named_graphs() for q in self.quads_of(graph)]
        return iter(sorted(everything, key=str))

    def flush(self) -> None:
        """Nothing to do: every update is committed by the server."""

    def __len__(self) -> int:
        rows = list(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                               f"FILTER(STRSTARTS(STR(?g), \"{OURS}\")) }}"))
        return int(rows[0]["n"].value)
