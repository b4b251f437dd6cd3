"""Which nodes and links a view with a size limit draws, chosen on the direct triples alone before any evidence
is read: the nearest to the centre first, then the most reported."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.network.sparql import filled, local_name, store_rows
from kg.store.embedded import Store
from kg.vocab import GAZETTEER_GRAPH, SUMMARY_GRAPH

__all__ = ["Selection", "select_nodes", "node_weights", "rank_nodes", "rank_links"]

# Every link of the network as a direct triple, counted by the graphs (articles, or the gazetteer) stating it:
# a view chooses its nodes on these before it reads any evidence. The facts between entities are counted in the
# summaries graph (kg.pipeline.summaries: one node per fact, however many articles state it); the gazetteer's,
# a few thousand, and the events' roles, each stated by one article, are counted on the graphs stating them.
# (For given nodes, their triples filtered by predicate; for all, each predicate looked up in turn: either way
# round takes Oxigraph many times longer.)
_SUMMARY_LINKS = """SELECT ?s ?p ?o ?sources WHERE { GRAPH <%s> { %%s ?f kg:summarySubject ?s ;
  kg:summaryPredicate ?p ; kg:summaryObject ?o ; kg:articleCount ?sources } FILTER(?p IN ($links)) }""" % SUMMARY_GRAPH
_CURATED_LINKS = """SELECT ?s ?p ?o (1 AS ?sources) WHERE { GRAPH <%s> { %%s ?s ?p ?o }
  FILTER(?p IN ($links)) }""" % GAZETTEER_GRAPH
_ROLE_LINKS = """SELECT ?s ?p ?o (COUNT(?g) AS ?sources) WHERE { GRAPH ?g { %s ?s ?p ?o }
  FILTER(?p IN ($roles)) } GROUP BY ?s ?p ?o"""
_ALL_ROLE_LINKS = """SELECT ?s ?p ?o (COUNT(?g) AS ?sources) WHERE { VALUES ?p { $role_list }
  GRAPH ?g { %s ?s ?p ?o } } GROUP BY ?s ?p ?o"""


@dataclass(frozen=True)
class Selection:
    """What a view with a size limit draws: its nodes and the links among them it keeps, chosen before any
    evidence is read, how many nodes there were to choose from (`total`; `complete` is false when the search
    stopped at the nearest ones, as farther ones could not be drawn) and how many links the chosen nodes share
    (`links_among`)."""

    nodes: frozenset[str]
    links: frozenset[tuple[str, str, str]]
    total: int
    links_among: int
    complete: bool = True


def select_nodes(store: Store, limit: int, focus: str | None = None, depth: int = 1,
                 max_links: int = 0) -> Selection:
    """What a view of at most `limit` nodes and `max_links` links draws (0: no limit), within `depth` hops of
    `focus` if given. Nodes: the focus, then the nearest to it, and among equally near ones the most reported
    (the links to them stated by the most articles); links: as `rank_links` ranks them. Chosen on
    the direct triples, so evidence is read only for what is drawn: a cartel's neighbourhood in ten thousand
    articles runs to tens of thousands of links, the whole graph to a hundred thousand nodes, and even a
    small view's neighbours state thousands of facts it does not draw."""
    hops: dict[str, int] = {}
    complete = True
    if focus is None:
        links = _links(store)
    else:
        links, hops, frontier = {}, {focus: 0}, {focus}
        for hop in range(1, depth + 1):
            if limit and len(hops) > limit:  # no farther node could be drawn
                complete = False
                break
            found = {**_links(store, "s", frontier), **_links(store, "o", frontier)}
            links.update(found)
            frontier = {n for s, _, o in found for n in (s, o)} - hops.keys()
            hops.update(dict.fromkeys(frontier, hop))
    weight = ({focus: 0} if focus else {}) | node_weights(links)
    chosen = frozenset(rank_nodes(weight, hops, limit))
    if focus is not None:  # the links among the farthest chosen nodes, which the search did not follow
        farthest = max(hops.values())
        links.update(_links(store, "s", {n for n in chosen if hops[n] == farthest}))
    among = {key: n for key, n in links.items() if key[0] in chosen and key[2] in chosen}
    return Selection(chosen, frozenset(rank_links(among, hops, max_links)), len(weight), len(among), complete)


def node_weights(links: dict[tuple[str, str, str], int]) -> dict[str, int]:
    """Each node's weight: the number of articles stating each of its links, summed (`links` maps
    (subject, predicate, object) to that number)."""
    weight: dict[str, int] = {}
    for (s, _, o), sources in links.items():
        weight[s] = weight.get(s, 0) + sources
        weight[o] = weight.get(o, 0) + sources
    return weight


def rank_nodes(weight: dict[str, int], hops: dict[str, int], limit: int) -> list[str]:
    """The at most `limit` nodes (0: all) a view draws: the nearest first (`hops`; a node not in it counts as
    0), then the heaviest (`node_weights`), then by IRI."""
    return sorted(weight, key=lambda n: (hops.get(n, 0), -weight[n], n))[:limit or None]


def rank_links(links: dict[tuple[str, str, str], int], hops: dict[str, int], limit: int) -> list[tuple[str, str, str]]:
    """The at most `limit` links (0: all) a view draws, `hops` being each node's distance from the centre (empty
    without one): the centre's links; then, for each farther node, its most reported link to a node one hop
    nearer, so that every node drawn stays joined to the centre; then the others, the nearest to the centre
    first (in a hop-2 view, links among neighbours before links out to their neighbours), and among those
    the most reported. Ties go by order. Ranked by reports alone, a hop-2 view spent its links on the hubs'
    links to one another and drew 60 of the 500 nodes it had chosen."""
    toward: dict[str, tuple] = {}  # each farther node's best link to a nearer one
    for key, sources in links.items():
        for near, far in ((key[0], key[2]), (key[2], key[0])):
            if hops.get(far, 0) >= 2 and hops.get(near) == hops[far] - 1 and (
                    far not in toward or (-sources, key) < toward[far]):
                toward[far] = (-sources, key)
    tree = {key: hops[far] for far, (_, key) in toward.items()}

    def rank(key: tuple[str, str, str]) -> tuple:
        near, far = sorted((hops.get(key[0], 0), hops.get(key[2], 0)))
        if hops and near == 0:
            return 0, 0, -links[key], key
        if key in tree:
            return 1, tree[key], -links[key], key
        return 2, near + far, -links[key], key

    return sorted(links, key=rank)[:limit or None]


def _links(store: Store, var: str | None = None, iris: Iterable[str] = ()) -> dict[tuple[str, str, str], int]:
    # (A whole store has hundreds of thousands of links: each row is unpacked in the order the query projects,
    # and each predicate's local name found once; reading the rows by name took a third longer.)
    local: dict[str, str] = {}
    links: dict[tuple[str, str, str], int] = {}
    for query in (_SUMMARY_LINKS, _CURATED_LINKS, _ROLE_LINKS if var else _ALL_ROLE_LINKS):
        for s, p, o, sources in store_rows(store, filled(query), var, iris):
            name = local.get(p.value) or local.setdefault(p.value, local_name(p.value))
            key = (s.value, name, o.value)
            links[key] = links.get(key, 0) + int(sources.value)
    return links
