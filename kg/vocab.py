"""The namespaces of the project, defined once; no other module writes an IRI string."""

from __future__ import annotations

import hashlib

__all__ = ["KG", "KGR", "PREFIXES", "RDF", "RDFS", "SKOS", "SCHEMA", "PROV", "OWL", "XSD", "DCTERMS", "ONTOLOGY_GRAPH",
           "CURATION_GRAPH", "GAZETTEER_GRAPH", "SUMMARY_GRAPH", "SUMMARY_FORMAT", "CONTENT_HASH", "ARTICLE", "OURS",
           "KGS", "SH", "SD", "W3C_FORMATS", "SPARQL_RESULTS", "SVG", "GRAPHML", "summary_iri"]

KG = "https://w3id.org/actorgraph/ontology#"
KGR = "https://w3id.org/actorgraph/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
WD = "http://www.wikidata.org/entity/"
GEONAMES = "https://sws.geonames.org/"

DCTERMS = "http://purl.org/dc/terms/"
SH = "http://www.w3.org/ns/shacl#"
# The SPARQL service description and the W3C's names of formats (kg serve describes itself with them), and the
# namespace of SPARQL's XML results.
SD = "http://www.w3.org/ns/sparql-service-description#"
W3C_FORMATS = "http://www.w3.org/ns/formats/"
SPARQL_RESULTS = "http://www.w3.org/2005/sparql-results#"

# Every IRI the project mints starts here (a store's graphs of ours are those under it).
OURS = "https://w3id.org/actorgraph/"
# The shapes of ontology/shapes.ttl.
KGS = "https://w3id.org/actorgraph/shapes#"

# The named graph that holds ontology/kg.ttl in the store, so analysts can query the schema.
ONTOLOGY_GRAPH = "https://w3id.org/actorgraph/ontology"
# The named graph that holds the curators' decisions (ontology/curation.yaml).
CURATION_GRAPH = "https://w3id.org/actorgraph/curation"
# The named graph that holds, once for the whole store, the curated description (class, names, identifiers,
# locatedIn chain) of every gazetteer entity that some article in the store mentions.
GAZETTEER_GRAPH = "https://w3id.org/actorgraph/gazetteer"
# The named graph of corpus-wide summaries (counts per fact, entity, month and rule; kg.pipeline.summaries),
# kept in step with the article graphs.
SUMMARY_GRAPH = "https://w3id.org/actorgraph/summaries"
# The shape of the summaries graph (kg:summaryFormat): 2 counts the undated events too, under month ""; 3 has
# the entities' roles in events (kg:EventRoleSummary); 4 the rows of the saved query positions (kg:PositionSummary).
SUMMARY_FORMAT = 4

# Every article's IRI (and the name of its graph) is this followed by its id.
ARTICLE = KGR + "article-"

# An article's content hash: the key of incremental builds, and the mark that its graph is complete.
CONTENT_HASH = KG + "contentHash"

# Predeclared in every query and used when serialising.
PREFIXES = {"kg": KG, "kgr": KGR, "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "schema": SCHEMA, "prov": PROV,
            "owl": OWL, "xsd": XSD, "wd": WD, "dcterms": DCTERMS}

# The XML vocabularies a view writes what is on screen in (the SVG picture, the GraphML selection).
SVG = "http://www.w3.org/2000/svg"
GRAPHML = "http://graphml.graphdrawing.org/xmlns"


def summary_iri(kind: str, *parts: str) -> str:
    """The IRI of a node of the summaries graph, named from the N-Triples forms of what it summarizes (`"fact",
    "<s>", "<p>", "<o>"`; `"entity", "<e>"`): written by kg.pipeline.summaries, and looked up directly by the
    views (a fact's summary found with one lookup, not among the thousands of summaries of a hub)."""
    return f"{KGR}summary-{kind}-{hashlib.sha256(chr(31).join(parts).encode()).hexdigest()[:20]}"
