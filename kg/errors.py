"""Errors of the library: strict on curated data, clear on bad input."""

from __future__ import annotations

__all__ = ["KgError", "InvalidLexicon", "InvalidArticle", "QueryError", "StoreError"]


class KgError(Exception):
    """Root of every error the library raises on purpose; the CLI turns it into one line and exit 2."""


class InvalidLexicon(KgError):
    """A curated file (gazetteer, patterns, queries) is malformed; the message names file and entry."""


class InvalidArticle(KgError):
    """An article file cannot be read: missing, empty, binary or without text."""


class QueryError(KgError):
    """A SPARQL query does not parse or cannot run; the message carries the engine's words."""


class StoreError(KgError):
    """The store cannot be opened or written."""
