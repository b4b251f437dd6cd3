"""Network analysis for investigators: who is central, which groups of actors hang together, who bridges
them, and by which chains of facts two entities are linked.

Computed with networkx on the entity network (facts as edges, events left out: an event is no actor).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import networkx as nx

from kg.errors import KgError
from kg.knowledge.ontology import default_ontology
from kg.network.find import find_entity
from kg.network.model import Evidence

__all__ = ["Ranked", "Analysis", "analyze", "Hop", "shortest_chains", "describe_chains", "chains_subgraph",
           "entity_graph"]

_EXACT_BETWEENNESS_LIMIT = 2000  # above this, betweenness is estimated from a fixed sample of sources


@dataclass(frozen=True)
class Ranked:
    id: str
    label: str
    type: str
    score: float
    degree: int


@dataclass(frozen=True)
class Analysis:
    central_actors: list[Ranked]
    central_regions: list[Ranked]
    bridges: list[Ranked]
    communities: list[list[str]]  # labels, largest community first

    def as_dict(self) -> dict:
        def row(r: Ranked) -> dict:
            return {"id": r.id, "label": r.label, "type": r.type, "score": round(r.score, 4), "degree": r.degree}

        return {"central_actors": [row(r) for r in self.central_actors],
                "central_regions": [row(r) for r in self.central_regions],
                "bridges": [row(r) for r in self.bridges], "communities": self.communities}


def entity_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Entities only, one undirected edge per linked pair, weighted by how many facts link them."""
    simple: nx.Graph[str] = nx.Graph()
    entities = default_ontology().entity_classes
    for node, data in graph.nodes(data=True):
        if data["type"] in entities:
            simple.add_node(node, **data)
    for s, o in graph.edges():
        if s in simple and o in simple and s != o:
            weight = simple.edges[s, o]["weight"] + 1 if simple.has_edge(s, o) else 1
            simple.add_edge(s, o, weight=weight)
    return simple


def analyze(graph: nx.MultiDiGraph, top: int = 10) -> Analysis:
    """Most central actors and regions (degree centrality), communities (Louvain, fixed seed) and bridging
    actors (betweenness centrality: on many shortest paths between others)."""
    simple = entity_graph(graph)
    if simple.number_of_nodes() == 0:
        raise KgError("the store holds no facts between entities yet; build some articles first")
    degree = nx.degree_centrality(simple) if simple.number_of_nodes() > 1 else {n: 0.0 for n in simple}
    k = None if simple.number_of_nodes() <= _EXACT_BETWEENNESS_LIMIT else _EXACT_BETWEENNESS_LIMIT // 4
    betweenness = nx.betweenness_centrality(simple, k=k, seed=7)

    def ranked(scores: dict[str, float], types: frozenset[str]) -> list[Ranked]:
        rows = [Ranked(n, simple.nodes[n]["label"], simple.nodes[n]["type"], scores[n], simple.degree(n))
                for n in simple if simple.nodes[n]["type"] in types]
        return sorted(rows, key=lambda r: (-r.score, r.label))[:top]

    communities = nx.community.louvain_communities(simple, weight="weight", seed=7)
    labelled = [sorted(simple.nodes[n]["label"] for n in c) for c in communities if len(c) > 1]
    labelled.sort(key=lambda c: (-len(c), c))
    ontology = default_ontology()
    bridges = [r for r in ranked(betweenness, ontology.actor_classes) if r.score > 0]
    return Analysis(ranked(degree, ontology.actor_classes), ranked(degree, ontology.region_classes), bridges, labelled)


@dataclass(frozen=True)
class Hop:
    """One fact on a chain: subject, predicate, object as the store has them, with the evidence."""

    subject: str
    predicate: str
    object: str
    evidence: tuple[Evidence, ...]


def shortest_chains(graph: nx.MultiDiGraph, a: str, b: str, limit: int = 5) -> list[list[Hop]]:
    """The shortest chains of facts linking two entities (named by any label or alias), whatever the facts'
    direction; at most `limit` chains, each hop with its evidence."""
    source, target = find_entity(graph, a), find_entity(graph, b)
    undirected = graph.to_undirected(as_view=True)
    try:
        paths = nx.all_shortest_paths(undirected, source, target)
        chains = []
        for path in paths:
            hops = []
            for u, v in itertools.pairwise(path):
                no_edges: dict[str, dict] = {}
                edges = [(u, v, k, d) for k, d in graph.get_edge_data(u, v, default=no_edges).items()] + \
                        [(v, u, k, d) for k, d in graph.get_edge_data(v, u, default=no_edges).items()]
                s, o, key, data = sorted(edges, key=lambda e: (-len(e[3]["evidence"]), str(e[2])))[0]
                hops.append(Hop(s, str(key), o, tuple(data["evidence"])))
            chains.append(hops)
            if len(chains) >= limit:
                break
    except nx.NetworkXNoPath:
        return []
    return chains


def describe_chains(graph: nx.MultiDiGraph, chains: list[list[Hop]], evidence: int = 2) -> list[str]:
    """The chains in words, as `kg path` prints them: each hop with the sentences (at most `evidence`) or the
    gazetteer entry that state it."""
    def label(node: str) -> str:
        return graph.nodes[node]["label"]

    lines = []
    for number, chain in enumerate(chains, 1):
        lines.append(f"Chain {number} ({len(chain)} hop{'s' if len(chain) > 1 else ''})")
        for hop in chain:
            lines.append(f"  {label(hop.subject)} --{hop.predicate}--> {label(hop.object)}")
            for ev in hop.evidence[:evidence]:
                if ev.sentence:
                    lines.append(f"      \"{' '.join(ev.sentence.split())}\"")
                    lines.append(f"      ({ev.headline}, {ev.date}; rule {ev.rule})")
                else:
                    lines.append(f"      (the gazetteer: {ev.entry}; rule {ev.rule})")
    return lines


def chains_subgraph(graph: nx.MultiDiGraph, chains: list[list[Hop]]) -> tuple[nx.MultiDiGraph, set[tuple[str, str]]]:
    """The network of the chains' entities, and the (subject, object) pairs of their hops to highlight in a view."""
    nodes = {n for chain in chains for hop in chain for n in (hop.subject, hop.object)}
    pairs = {(hop.subject, hop.object) for chain in chains for hop in chain}
    return graph.subgraph(sorted(nodes)).copy(), pairs
