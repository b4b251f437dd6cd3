"""The graph as a network of entities (networkx), read from the store through queries: nodes with classes and
names, edges with their evidence (model); which nodes and links a capped view keeps (selection); an entity found
by name (find); centrality, communities and chains (analysis); layout.

Public: `load_network`, `Evidence`, `select_nodes`, `Selection`, `find_entity`, `find_entity_in_store`, `analyze`,
`shortest_chains`.
"""

from kg.network.analysis import analyze, shortest_chains
from kg.network.find import find_entity, find_entity_in_store
from kg.network.model import Evidence, load_network
from kg.network.selection import Selection, select_nodes

__all__ = ["Evidence", "Selection", "analyze", "find_entity", "find_entity_in_store", "load_network", "select_nodes",
           "shortest_chains"]
