"""Queries: SPARQL run on a store with the predeclared prefixes, saved queries and their bindings, and the
writers of SPARQL results that the CLI and the server share.

Public: `run_query`, `format_result`, `saved_queries`, `parse_bindings`, `bind`, `binding_notes`.
"""

from kg.query.run import (
    SavedQuery,
    bind,
    binding_notes,
    format_result,
    parse_bindings,
    run_query,
    saved_queries,
)

__all__ = ["SavedQuery", "bind", "binding_notes", "format_result", "parse_bindings", "run_query", "saved_queries"]
