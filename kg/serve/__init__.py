"""`kg serve`: a read-only SPARQL 1.1 endpoint, the saved queries by name, a query page and the HTML views.

Public: `ServerConfig`, `make_server`, `serve`.
"""

from kg.serve.app import ServerConfig, make_server, serve

__all__ = ["ServerConfig", "make_server", "serve"]
