"""actorgraph: a knowledge graph of actors and regions from organized-crime and conflict news.

The public API, the same functions the `kg` command calls:

    from kg import default_lexicon, extract_file, open_store, build, run_query

Each stage is a package of its own (kg.read, kg.knowledge, kg.extract, kg.rdf, kg.store, kg.query, kg.network,
kg.views, kg.export, kg.serve, kg.pipeline, kg.cli); `kg.extract.extract` turns one `Article` into facts.

Names load on first use, so `import kg` (and the CLI's start) stays fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_API = {
    "KgError": "errors", "InvalidArticle": "errors", "InvalidLexicon": "errors", "QueryError": "errors",
    "StoreError": "errors", "Lexicon": "knowledge", "default_lexicon": "knowledge", "load_lexicon": "knowledge",
    "read_article": "read", "extract_file": "pipeline", "build": "pipeline", "BuildReport": "pipeline",
    "remove_article": "pipeline", "evaluate_folder": "pipeline", "Store": "store", "open_store": "store",
    "run_query": "query", "format_result": "query", "saved_queries": "query", "export_rdf": "export",
    "write_view": "views", "load_network": "network",
}
__all__ = ["__version__"] + list(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
