"""Query answers written out: SPARQL results (SELECT, ASK) in the W3C formats JSON, XML, CSV and TSV, graphs
(CONSTRUCT, DESCRIBE) in Turtle, N-Triples or JSON-LD, and the aligned table `kg query` prints for people.

One writer for `kg query` and `kg serve`, so the two cannot drift; it writes from rows, so the server's
capped answer (`max_rows`) is written the same way. `FORMATS` is the one table of format names and media types.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.errors import QueryError
from kg.vocab import PREFIXES, SPARQL_RESULTS, XSD

__all__ = ["FORMATS", "QUERY_FORMATS", "TABLE", "ResultFormat", "Written", "format_result", "write_result"]

SELECT, GRAPH = "select", "graph"


@dataclass(frozen=True)
class ResultFormat:
    """A format an answer is written in: its name (`kg query --format`, the server's `format=`), the kind of
    answer it writes (SELECT and ASK results, or the triples of CONSTRUCT and DESCRIBE), its media type, its
    name at w3.org/ns/formats (the service description's sd:resultFormat), and the other names and media types
    clients ask for it by."""

    name: str
    kind: str
    media_type: str
    w3c_name: str
    aliases: tuple[str, ...] = ()
    media_aliases: tuple[str, ...] = ()


FORMATS = {f.name: f for f in (
    ResultFormat("json", SELECT, "application/sparql-results+json", "SPARQL_Results_JSON",
                 media_aliases=("application/json",)),
    ResultFormat("xml", SELECT, "application/sparql-results+xml", "SPARQL_Results_XML",
                 media_aliases=("text/xml", "application/xml")),
    ResultFormat("csv", SELECT, "text/csv", "SPARQL_Results_CSV"),
    ResultFormat("tsv", SELECT, "text/tab-separated-values", "SPARQL_Results_TSV"),
    ResultFormat("ttl", GRAPH, "text/turtle", "Turtle", ("turtle",), ("application/x-turtle",)),
    ResultFormat("nt", GRAPH, "application/n-triples", "N-Triples", ("ntriples",), ("text/plain",)),
    ResultFormat("jsonld", GRAPH, "application/ld+json", "JSON-LD", ("json-ld",), ("application/json+ld",)),
)}
TABLE = "table"
# `kg query --format`: the table for people, and the results formats a script reads (graphs are Turtle).
QUERY_FORMATS = (TABLE, "csv", "tsv", "json")
_RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
_XSD_STRING = XSD + "string"


@dataclass(frozen=True)
class Written:
    """An answer's bytes, their format, and whether rows past the cap were left out."""

    body: bytes
    format: ResultFormat
    truncated: bool = False


def write_result(result, select_format: str = "json", graph_format: str = "ttl",
                 max_rows: int | None = None) -> Written:
    """A query's result (solutions, a boolean or triples, from the embedded or a remote store) written in
    `select_format` (SELECT, ASK) or `graph_format` (CONSTRUCT, DESCRIBE), with at most `max_rows` rows or
    triples."""
    if isinstance(result, ox.QueryBoolean):
        return Written(_write_boolean(bool(result), select_format), FORMATS[select_format])
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows, truncated = _capped(([solution[v] for v in variables] for solution in result), max_rows)
        return Written(_write_select(variables, rows, select_format), FORMATS[select_format], truncated)
    triples, truncated = _capped(iter(result), max_rows)
    return Written(_write_graph(triples, graph_format), FORMATS[graph_format], truncated)


def format_result(result, fmt: str = TABLE, max_width: int = 60) -> str:
    """What `kg query` prints: rows as an aligned table (IRIs shortened), or the SPARQL results format `fmt`
    (see write_result); graphs as Turtle."""
    if fmt not in QUERY_FORMATS:
        raise QueryError(f"unknown format '{fmt}'; choose one of {', '.join(QUERY_FORMATS)}")
    if fmt != TABLE:
        return write_result(result, select_format=fmt).body.decode()
    if isinstance(result, ox.QueryBoolean):
        return f"{bool(result)}\n"
    if not isinstance(result, ox.QuerySolutions):
        return write_result(result).body.decode()
    return _table(result, max_width)


def _capped(items, max_rows: int | None) -> tuple[list, bool]:
    """The first `max_rows` items (all with None) and whether there were more."""
    if max_rows is None:
        return list(items), False
    kept = list(islice(items, max_rows + 1))
    return kept[:max_rows], len(kept) > max_rows


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != _XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _tsv_term(term) -> str:
    return "" if term is None else str(term).replace("\t", "\\t").replace("\n", "\\n")


def _write_select(variables: list[str], rows: list[list], fmt: str) -> bytes:
    """Rows of terms (None when unbound) in a SELECT format of FORMATS."""
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode()
    if fmt == "xml":
        out = [f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS}"><head>']
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head><results>")
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                            for v, t in zip(variables, row, strict=True) if t is not None)
                       + "</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else (f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value)
                             for t in row])
        return buffer.getvalue().encode()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(fmt)


def _write_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS}"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    if fmt in ("csv", "tsv"):
        return f"{'_askResult' if fmt == 'csv' else '?_askResult'}\n{'true' if value else 'false'}\n".encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


def _write_graph(triples: list, fmt: str) -> bytes:
    """Triples (sorted) as Turtle, N-Triples or JSON-LD."""
    return ox.serialize(sorted(triples, key=str), format=_RDF_FORMATS[fmt],
                        prefixes=None if fmt == "nt" else PREFIXES) or b""


def _short(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, iri in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if term.value.startswith(iri):
                return f"{prefix}:{term.value[len(iri):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return " ".join(term.value.split())


def _table(result, max_width: int) -> str:
    names = [v.value for v in result.variables]
    rows = [[_clip(_short(solution[name]), max_width) for name in names] for solution in result]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _clip(text: str, max_width: int) -> str:
    return text if len(text) <= max_width else text[: max_width - 1] + "…"
