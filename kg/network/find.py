"""Find an entity by the name a user types: in the store before a view is read, or among a network's nodes."""

from __future__ import annotations

from string import Template

import networkx as nx
import pyoxigraph as ox

from kg.errors import KgError
from kg.network.sparql import filled, term_value
from kg.store.embedded import Store
from kg.text import name_key, slug
from kg.vocab import KGR

__all__ = ["find_entity", "find_entity_in_store"]

# Whether an entity has facts: an assertion naming it, or an event role.
_HAS_FACTS = """SELECT ?a WHERE { { ?a rdf:subject $entity } UNION { ?a rdf:object $entity }
  UNION { ?x $role_path $entity } } LIMIT 1"""


def _sought(name: str) -> str:
    """The name key a user means: "the Shining Path" is Shining Path."""
    key = name_key(name)
    return key[4:] if key.startswith("the ") else key


def find_entity_in_store(store: Store, name: str) -> str:
    """The IRI of the entity with facts whose label or alias is `name` (case, accents and a leading 'the'
    ignored; kg:nameKey makes it one lookup), or whose IRI ends in it, or is it."""
    if name.startswith(KGR) and slug(name[len(KGR):]) == name[len(KGR):]:
        candidates = {name}
    else:
        candidates = {term_value(row["e"]) for row in store.query(
            f"SELECT DISTINCT ?e WHERE {{ ?e kg:nameKey {ox.Literal(_sought(name))} }}")} | {f"{KGR}{slug(name)}"}
    with_facts = [e for e in sorted(candidates)
                  if list(store.query(Template(filled(_HAS_FACTS)).substitute(entity=f"<{e}>")))]
    if not with_facts:
        raise KgError(f"no entity named '{name}' has facts in the store")
    return with_facts[0]


def find_entity(graph: nx.MultiDiGraph, name: str) -> str:
    """The node whose label or alias is `name` (case, accents and a leading 'the' ignored)."""
    wanted = _sought(name)
    matches = sorted(n for n, d in graph.nodes(data=True)
                     if wanted in {name_key(x) for x in [d["label"], *d["aliases"]]}
                     or name_key(n.rsplit("/", 1)[-1]) == wanted)
    if not matches:
        raise KgError(f"no entity named '{name}' has facts in the store")
    return matches[0]
