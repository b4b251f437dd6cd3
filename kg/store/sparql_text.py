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
    """The SERVICE targets (IRIs as written, or the variable or prefixed name) and whether FROM or FROM NAMED
    is there."""

    services: tuple[str, ...]
    has_dataset: bool


def _unescape(match: re.Match) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else match.group(0)


def read_query_text(query: str) -> QueryText:
    """The SERVICE calls and dataset clause of `query` (see the module's docstring)."""
    tokens = [(m.lastgroup, m.group()) for m in _TOKENS.finditer(_ESCAPE.sub(_unescape, query))
              if m.lastgroup not in ("comment", "other") or not m.group().isspace()]
    tokens = [(kind, text) for kind, text in tokens if kind != "comment"]
    services: list[str] = []
    has_dataset = False
    for index, (kind, text) in enumerate(tokens):
        if kind != "word":
            continue
        keyword = text.upper()
        if keyword == "FROM":
            has_dataset = True
        elif keyword == "SERVICE":
            following = [t for k, t in tokens[index + 1:index + 3]]
            if following and following[0].upper() == "SILENT":
                following = following[1:]
            services.append(following[0] if following else "")
    return QueryText(tuple(services), has_dataset)
