"""What a SPARQL query's text asks for before it runs: SERVICE calls (requests to other servers) and a dataset
clause (FROM, FROM NAMED).

Read at the token level as Oxigraph's parser reads the text: \\u escapes are decoded first (Oxigraph does so
for the whole query), then comments, strings and IRIs are set apart, so `SERVICE` inside a literal, an IRI or a
comment is no call, and `\\u0053ERVICE` is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QueryText", "read_query_text"]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKENS = re.compile(r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n\r]|\\.)*'
                |"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<word>[?$]?[A-Za-z_\u00c0-\U000effff][\w\u00b7\u00c0-\U000effff.:-]*|:[\w.:-]*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class QueryText:
    """The SERVICE targets (IRIs as written, or the variable or prefixed name), and the graphs of FROM and
    FROM NAMED (IRIs, prefixed names resolved by the query's PREFIX lines and `prefixes`)."""

    services: tuple[str, ...]
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def _unescape(match: re.Match) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else match.group(0)


def read_query_text(query: str, prefixes: dict[str, str] | None = None) -> QueryText:
    """The SERVICE calls and dataset clause of `query` (see the module's docstring)."""
    tokens = [(m.lastgroup, m.group()) for m in _TOKENS.finditer(_ESCAPE.sub(_unescape, query))
              if m.lastgroup not in ("comment", "other") or not m.group().isspace()]
    tokens = [(kind, text) for kind, text in tokens if kind != "comment"]
    services: list[str] = []
    known = dict(prefixes or {})
    graphs: dict[bool, list[str]] = {False: [], True: []}
    for index, (kind, text) in enumerate(tokens):
        if kind != "word":
            continue
        keyword = text.upper()
        if keyword == "PREFIX" and index + 2 < len(tokens) and tokens[index + 2][0] == "iri":
            known[tokens[index + 1][1].rstrip(":")] = tokens[index + 2][1][1:-1]
        elif keyword == "FROM":
            named = index + 1 < len(tokens) and tokens[index + 1][1].upper() == "NAMED"
            following = tokens[index + 1 + named:index + 2 + named]
            graphs[named].append(_iri(following[0][1], known) if following else "")
        elif keyword == "SERVICE":
            after = [t for _, t in tokens[index + 1:index + 3]]
            if after and after[0].upper() == "SILENT":
                after = after[1:]
            services.append(after[0] if after else "")
    return QueryText(tuple(services), tuple(graphs[False]), tuple(graphs[True]))


def _iri(token: str, prefixes: dict[str, str]) -> str:
    if token.startswith("<"):
        return token[1:-1]
    prefix, _, local = token.partition(":")
    return prefixes.get(prefix, prefix + ":") + local
