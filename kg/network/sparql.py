"""What the network's modules share to read the store: a query's rows restricted to given nodes, the query
templates filled in with the ontology's links and event roles (read from kg.ttl once, on first use)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from string import Template

from kg.knowledge.ontology import default_ontology
from kg.query.run import values_blocks
from kg.store.embedded import Store
from kg.vocab import KG

__all__ = ["store_rows", "term_value", "local_name", "network_links", "event_roles", "filled"]


def store_rows(store: Store, query: str, var: str | tuple[str, ...] | None = None, iris: Iterable = ()):
    """A query's rows, over the whole store or (with `var`) only where ?var is one of `iris` (with a tuple of
    names, where they are one of the tuples `iris`)."""
    if var is None:
        yield from store.query(query % "")
        return
    for block in values_blocks(var, iris):
        yield from store.query(query % block)


def term_value(term) -> str:
    return "" if term is None else term.value


def local_name(iri: str) -> str:
    return iri[len(KG):] if iri.startswith(KG) else iri.rsplit("/", 1)[-1]


def network_links() -> frozenset[str]:
    """The core relations that join two entities: the network's edges besides the event roles."""
    return frozenset(default_ontology().links)


def event_roles() -> frozenset[str]:
    return frozenset(default_ontology().event_roles)


@lru_cache(maxsize=32)
def filled(query: str) -> str:
    """A query template with the ontology's terms in: `$links` and `$roles` (kg: names separated by commas),
    `$link_list` and `$role_list` (by spaces), `$role_path` (a SPARQL path of the roles). Any other `$name` is
    left for the caller."""
    ontology = default_ontology()
    links, roles = [f"kg:{p}" for p in ontology.links], [f"kg:{p}" for p in ontology.event_roles]
    return Template(query).safe_substitute(links=", ".join(links), roles=", ".join(roles), link_list=" ".join(links),
                                           role_list=" ".join(roles), role_path="|".join(roles))
