"""The store's shared gazetteer graph: the curated description of each gazetteer entity that some article in
the store needs, kept once however many articles mention it.

An entry comes in with the first article that needs it, is rewritten when the curated data changes, and goes
out when no article needs it any more: the graph holds what the articles say, not the whole gazetteer. Only
SPARQL and the store's small write interface are used, so an embedded store and a SPARQL server behave alike.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.knowledge.lexicon import Lexicon
from kg.query.run import values_blocks
from kg.rdf.quads import gazetteer_quads
from kg.vocab import ARTICLE, GAZETTEER_GRAPH, KG, KGR, RDF, SCHEMA

__all__ = ["GazetteerGraph"]

GRAPH = ox.NamedNode(GAZETTEER_GRAPH)
_HASH = ox.NamedNode(KG + "curatedDataHash")


def _blocks(ids: Iterable[str]):
    """VALUES ?e blocks for entity ids."""
    return values_blocks("e", (KGR + i for i in ids))


def _ids(rows, var: str) -> set[str]:
    return {row[var].value[len(KGR):] for row in rows if row[var].value.startswith(KGR)}


def _stamp(lexicon: Lexicon) -> str:
    """The triple saying which curated data the graph's entries come from."""
    return f"{GRAPH} {_HASH} {ox.Literal(lexicon.fingerprint)} ."


class GazetteerGraph:
    """The entries of one store's gazetteer graph, as a build or a removal changes which are needed."""

    def __init__(self, store, lexicon: Lexicon | None = None):
        """With a lexicon (a build), the stamp of the curated data leaves the graph until `finish`: a build
        that finds it missing knows the previous one died, and checks every entry."""
        self.store = store
        self.lexicon = lexicon
        self.present = _ids(store.query(f"SELECT DISTINCT ?e WHERE {{ GRAPH {GRAPH} {{ ?e <{KG}curated> ?c }} }}"),
                            "e")
        self._released: set[str] = set()
        if lexicon is None:
            return
        stored = {row["h"].value
                  for row in store.query(f"SELECT ?h WHERE {{ GRAPH {GRAPH} {{ {GRAPH} {_HASH} ?h }} }}")}
        if stored == {lexicon.fingerprint}:
            store.update(f"DELETE DATA {{ GRAPH {GRAPH} {{ {_stamp(lexicon)} }} }}")
        else:  # changed curated data, or a build that died: rewrite every entry, keep those still needed
            self.present &= set(lexicon.entities)
            store.replace_graph(GRAPH, gazetteer_quads(self.present, lexicon))
            self._released |= self.present

    def additions(self, entity_ids: Iterable[str]) -> list[ox.Quad]:
        """Quads for the entries not in the store yet; the caller writes them before the article needing them."""
        if self.lexicon is None:
            raise ValueError("a gazetteer graph opened without the lexicon (for a removal) cannot add entries")
        new = set(entity_ids) - self.present
        if not new:
            return []
        self.present |= new
        return gazetteer_quads(new, self.lexicon)

    def release(self, graph: ox.NamedNode) -> None:
        """Before an article's graph is replaced or removed: the entries it needed may go (see `prune`)."""
        rows = self.store.query(f"SELECT DISTINCT ?e WHERE {{ GRAPH {graph} {{ ?x ?p ?e }} FILTER(isIRI(?e)) }}")
        used = _ids(rows, "e") & self.present
        for values in _blocks(set(used)):
            used |= _ids(self.store.query(f"SELECT DISTINCT ?a WHERE {{ {values} "
                                          f"GRAPH {GRAPH} {{ ?e <{KG}locatedIn> ?a }} }}"), "a")
        self._released |= used

    def finish(self) -> None:
        """At the end of a build or removal: prune, then put back the stamp of the curated data."""
        self.prune()
        if self.lexicon is not None:
            self.store.update(f"INSERT DATA {{ GRAPH {GRAPH} {{ {_stamp(self.lexicon)} }} }}")

    def prune(self) -> None:
        """Remove released entries that no article graph refers to and no remaining entry lies inside."""
        gone = self._released & self.present
        self._released = set()
        for values in _blocks(set(gone)):
            gone -= _ids(self.store.query(
                f"SELECT DISTINCT ?e WHERE {{ {values} GRAPH ?g {{ ?x ?p ?e }} "
                f"FILTER(STRSTARTS(STR(?g), \"{ARTICLE}\")) }}"), "e")
        below: dict[str, set[str]] = {}
        for values in _blocks(gone):
            for row in self.store.query(f"SELECT ?d ?e WHERE {{ {values} "
                                        f"GRAPH {GRAPH} {{ ?d <{KG}locatedIn> ?e }} }}"):
                below.setdefault(row["e"].value[len(KGR):], set()).add(row["d"].value[len(KGR):])
        while kept := {e for e in gone if below.get(e, set()) - gone}:
            gone -= kept
        for values in _blocks(gone):
            self.store.update(
                f"DELETE {{ GRAPH {GRAPH} {{ ?x ?p ?o }} }} WHERE {{ {values} GRAPH {GRAPH} {{ ?x "
                f"<{RDF}subject> ?e ; ?p ?o }} }} ;\n"
                f"DELETE {{ GRAPH {GRAPH} {{ ?x ?p ?o }} }} WHERE {{ {values} GRAPH {GRAPH} {{ ?e "
                f"<{SCHEMA}geo> ?x . ?x ?p ?o }} }} ;\n"
                f"DELETE {{ GRAPH {GRAPH} {{ ?e ?p ?o }} }} WHERE {{ {values} GRAPH {GRAPH} {{ ?e ?p ?o }} }}")
        self.present -= gone
