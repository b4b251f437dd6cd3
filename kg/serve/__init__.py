"""`kg serve`: a read-only SPARQL 1.1 endpoint, the saved queries by name, a query page and the HTML views.

app (the server and its routes), pool (worker processes), jobs (what a worker does: answer, draw), cache
(answers kept), negotiation (the format of an answer), pages (query page, views page, service description),
saved (the saved queries over HTTP). Public: `ServerConfig`, `make_server`, `serve`.
"""

from kg.serve.app import ServerConfig, make_server, serve

__all__ = ["ServerConfig", "make_server", "serve"]
