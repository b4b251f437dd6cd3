"""To RDF: an extraction as the quads of its article's named graph, the gazetteer and curation graphs, and the
SHACL checks those quads must pass.

Public: `article_quads`, `extraction_quads`, `gazetteer_quads`, `article_iri`, `entity_iri`, `check_article`
(the build's per-article check: shapes.ttl interpreted in `kg.rdf.shacl`), `validate_triples` (pySHACL, the
reference `kg validate` runs), `extraction_turtle`.
"""

from kg.rdf.quads import (
           article_id,
           article_iri,
           article_quads,
           entity_iri,
           extraction_quads,
           gazetteer_quads,
)
from kg.rdf.turtle import extraction_turtle
from kg.rdf.validate import Violation, check_article, validate_triples

__all__ = ["Violation", "article_id", "article_iri", "article_quads", "check_article", "entity_iri",
           "extraction_quads", "extraction_turtle", "gazetteer_quads", "validate_triples"]
