"""SHACL validation against ontology/shapes.ttl: of one article's graph before it is written (`check_article`,
the shapes interpreted in kg/rdf/shacl.py) and of a whole store (`validate_triples`, pySHACL, the reference
implementation); both give the same `Violation`s."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate
from rdflib.plugins.sparql import prepareQuery

from kg.errors import KgError
from kg.rdf.shacl import (
    SH,
    Violation,
    compiled_shapes,
    shapes_graphs,
    short_iri,
    sorted_violations,
)

__all__ = ["Violation", "check_article", "shape_names", "shapes_graphs", "validate_store", "validate_triples"]

_SH = rdflib.Namespace(SH)


def check_article(quads: Iterable, root: str | Path, entries: Iterable[Sequence] = ()) -> list[Violation]:
    """The build's check of one article's graph with the gazetteer entries it uses (in `quads`, or as
    `entries`, kg.rdf.quads.gazetteer_entries, indexed once per process: the same verdicts): milliseconds."""
    return compiled_shapes(str(root)).check(quads, entries)


def shape_names(root: str | Path) -> list[str]:
    """The node shapes of shapes.ttl, in the order `validate_triples` checks them."""
    return [s.report_as for s in compiled_shapes(str(root)).node_shapes]


@lru_cache(maxsize=64)
def _prepared(text: str):
    return prepareQuery(text)


class _ParsedOnce(rdflib.Graph):
    """rdflib parses a SPARQL text each time it is asked one (85 ms), and pySHACL asks each SPARQL constraint's
    one text once per focus node: parsed once here, the seeds' validation fell from 30 s to under 2."""

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def validate_triples(triples: Iterable, root: str | Path,
                     progress: Callable[[str], object] | None = None) -> list[Violation]:
    """Validate triples (pyoxigraph Triples or Quads, graph names ignored) against the shapes with pySHACL,
    one node shape at a time (`progress` is called with each shape's IRI once it is checked)."""
    shapes, ontology = shapes_graphs(str(root))
    data = _ParsedOnce()
    text = ox.serialize([ox.Triple(t.subject, t.predicate, t.object) for t in triples], format=ox.RdfFormat.N_TRIPLES)
    if text:
        data.parse(data=text.decode("utf-8"), format="nt")
    data += ontology  # as pySHACL's ont_graph would mix it in, once for every shape: sh:targetClass kg:Actor
    out: list[Violation] = []  # reaches a kg:CriminalGroup through kg.ttl's rdfs:subClassOf, with inference off
    for shape in shape_names(root):
        conforms, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                             allow_warnings=True, inplace=True, use_shapes=[shape])
        if not conforms:
            out.extend(_violations(report, shapes))
        if progress:
            progress(shape)
    return sorted_violations(out)


def validate_store(store, root: str | Path, article: str | None = None,
                   progress: Callable[[str], object] | None = None) -> tuple[list[Violation], int]:
    """(the violations, the number of statements checked) of a whole store (embedded or remote), or of one
    article's graph (by id) with the gazetteer and ontology graphs it is checked against, as `kg validate` does."""
    from kg.rdf.quads import article_iri
    from kg.vocab import GAZETTEER_GRAPH, ONTOLOGY_GRAPH

    if article:
        graph = article_iri(article).value
        if graph not in store.named_graphs():
            raise KgError(f"no article '{article}' in the store")
        quads = store.quads_of(graph) + store.quads_of(GAZETTEER_GRAPH) + store.quads_of(ONTOLOGY_GRAPH)
    else:
        quads = list(store.quads())
    return validate_triples(quads, root, progress), len(quads)


def _violations(report: rdflib.Graph, shapes: rdflib.Graph) -> Iterable[Violation]:
    for result in report.subjects(rdflib.RDF.type, _SH.ValidationResult):
        if report.value(result, _SH.resultSeverity) != _SH.Violation:
            continue
        path = report.value(result, _SH.resultPath)
        source = report.value(result, _SH.sourceShape)
        shape = source
        while isinstance(shape, rdflib.BNode) and shapes.value(predicate=_SH.property, object=shape) is not None:
            shape = shapes.value(predicate=_SH.property, object=shape)  # a property shape: name its node shape
        message = report.value(result, _SH.resultMessage) or "does not conform"
        yield Violation(str(report.value(result, _SH.focusNode)), short_iri(str(path)) if path is not None else None,
                        str(report.value(result, _SH.sourceConstraintComponent)), str(shape), str(message))
