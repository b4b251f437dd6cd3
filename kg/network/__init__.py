"""The graph as a network of entities (networkx), read from the store through queries: nodes with classes and
names, edges with their evidence; which nodes a capped view keeps; centrality, communities and chains; layout.

Public: `load_network`, `select_nodes`, `find_entity`, `find_entity_in_store`, `analyze`, `shortest_chains`.
"""

from kg.network.analysis import analyze, shortest_chains
from kg.network.model import (
           Evidence,
           find_entity,
           find_entity_in_store,
           load_network,
           select_nodes,
)

__all__ = ["Evidence", "analyze", "find_entity", "find_entity_in_store", "load_network", "select_nodes",
           "shortest_chains"]
