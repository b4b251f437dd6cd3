"""Queries: SPARQL run on a store with the predeclared prefixes, saved queries and their bindings, and the
one writer of answers (SPARQL results, graphs, the table) that the CLI and the server share.

Public: `run_query`, `format_result`, `write_result`, `FORMATS`, `saved_queries`, `parse_bindings`, `bind`,
`binding_notes`.
"""

from kg.query.results import FORMATS, format_result, write_result
from kg.query.run import (
           SavedQuery,
           bind,
           binding_notes,
           parse_bindings,
           run_query,
           saved_queries,
)

__all__ = ["FORMATS", "SavedQuery", "bind", "binding_notes", "format_result", "parse_bindings", "run_query",
           "saved_queries", "write_result"]
