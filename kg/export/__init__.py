"""Exports: the store as RDF files (TriG, N-Quads, Turtle, JSON-LD) and the entity network as GraphML or GEXF.

Public: `export_rdf`, `export_network`.
"""

from kg.export.graphml import export_network
from kg.export.rdf import RDF_FORMATS, export_rdf

__all__ = ["RDF_FORMATS", "export_network", "export_rdf"]
