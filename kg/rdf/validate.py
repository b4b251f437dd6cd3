"""SHACL validation (ontology/shapes.ttl, with pySHACL) of one article's graph before it is written, or of a
whole store; violations come out as short readable lines."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate

from kg.errors import InvalidLexicon, KgError

__all__ = ["Violation", "validate_triples", "validate_store", "shapes_graphs", "check_article"]

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str
    shape: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{_short(self.focus)}{where}: {self.message} ({_short(self.shape)})"


def _short(iri: str) -> str:
    for prefix, base in (("kgr:", "https://w3id.org/actorgraph/id/"), ("kg:", "https://w3id.org/actorgraph/ontology#"),
                         ("kgs:", "https://w3id.org/actorgraph/shapes#")):
        if iri.startswith(base):
            return prefix + iri[len(base):]
    return iri


@lru_cache(maxsize=4)
def shapes_graphs(root: str) -> tuple[rdflib.Graph, rdflib.Graph]:
    """(shapes, ontology) parsed once per ontology folder."""
    shapes, ontology = rdflib.Graph(), rdflib.Graph()
    try:
        shapes.parse(Path(root) / "shapes.ttl", format="turtle")
        ontology.parse(Path(root) / "kg.ttl", format="turtle")
    except Exception as exc:  # rdflib raises many kinds; all mean a broken curated file
        raise InvalidLexicon(f"shapes.ttl or kg.ttl: {exc}") from exc
    return shapes, ontology


def validate_triples(triples: Iterable, root: str | Path) -> list[Violation]:
    """Validate triples (pyoxigraph Triples or Quads, graph names ignored) against the shapes."""
    data = rdflib.Graph()
    text = ox.serialize([ox.Triple(t.subject, t.predicate, t.object) for t in triples], format=ox.RdfFormat.N_TRIPLES)
    if text:
        data.parse(data=text.decode("utf-8"), format="nt")
    shapes, ontology = shapes_graphs(str(root))
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                         advanced=True, allow_warnings=True)
    if conforms:
        return []
    out = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        path = report.value(result, SH.resultPath)
        shape = report.value(result, SH.sourceShape)
        while isinstance(shape, rdflib.BNode) and shapes.value(predicate=SH.property, object=shape) is not None:
            shape = shapes.value(predicate=SH.property, object=shape)  # a property shape: name its node shape
        out.append(Violation(str(report.value(result, SH.focusNode)), _short(str(path)) if path is not None else None,
                             str(report.value(result, SH.resultMessage) or "does not conform"), str(shape)))
    return sorted(out, key=lambda v: (v.shape, v.focus, v.message))


_KG = "https://w3id.org/actorgraph/ontology#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_SCHEMA = "https://schema.org/"
_CORE = {f"{_KG}{p}" for p in ("operatesIn", "locatedIn", "memberOf", "leaderOf", "holdsPosition", "involvedIn",
                                 "clashesWith", "allyOf", "arrested", "deployedTo", "citesOutlet")}


def check_article(quads: Iterable, ontology) -> list[Violation]:
    """The rules of shapes.ttl, checked in Python on one article's graph: milliseconds where pySHACL takes
    seconds, so every build can afford it. tests/test_validate.py keeps the two in agreement."""
    by_subject: dict[str, dict[str, list]] = {}
    for q in quads:
        by_subject.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object)
    out: list[Violation] = []

    def bad(focus: str, path: str | None, message: str, shape: str) -> None:
        out.append(Violation(focus, path, message, f"https://w3id.org/actorgraph/shapes#{shape}"))

    def classes(node: str) -> set[str]:
        return {t.value[len(_KG):] for t in by_subject.get(node, {}).get(_RDF + "type", []) if t.value.startswith(_KG)}

    def is_a(node: str, wanted: str) -> bool:
        return any(ontology.is_a(c, wanted) for c in classes(node))

    assertions = {(p[_RDF + "subject"][0].value, p[_RDF + "predicate"][0].value, str(p[_RDF + "object"][0]))
                  for p in by_subject.values() if p.get(_RDF + "subject") and p.get(_RDF + "predicate")
                  and p.get(_RDF + "object")}
    texts = {s: p[_SCHEMA + "text"][0].value for s, p in by_subject.items() if p.get(_SCHEMA + "text")}
    for node, props in sorted(by_subject.items()):
        own = classes(node)
        if any(ontology.is_a(c, w) for c in own for w in ("Actor", "Region", "CriminalEconomy")):
            if len(own) != 1:
                bad(node, None, f"An entity needs exactly one class of the ontology, the most specific: it has "
                                f"{len(own)}.", "EntityShape")
            if len(props.get("http://www.w3.org/2000/01/rdf-schema#label", [])) != 1:
                bad(node, "rdfs:label", "An entity needs exactly one rdfs:label (its canonical name).", "EntityShape")
        for predicate, values in props.items():
            if predicate in _CORE:
                for value in values:
                    if (node, predicate, str(value)) not in assertions:
                        bad(node, None, f"The fact {node} {predicate} {value} has no kg:Assertion backing it.",
                            "FactShape")
        if "Assertion" in own:
            source = props.get(_KG + "curatedSource") or all(
                props.get(k) for k in ("http://www.w3.org/ns/prov#wasDerivedFrom", _KG + "evidence",
                                       _KG + "startOffset", _KG + "endOffset", _KG + "rule"))
            if not source:
                bad(node, None, "An Assertion needs a source: an article with its evidence, offsets and rule, or a "
                                "curated file and entry.", "AssertionShape")
            if props.get(_KG + "startOffset") and props.get(_KG + "evidence"):
                start, end = int(props[_KG + "startOffset"][0].value), int(props[_KG + "endOffset"][0].value)
                article = props["http://www.w3.org/ns/prov#wasDerivedFrom"][0].value
                text = texts.get(article)
                if text is not None and (start < 0 or end > len(text) or end < start
                                         or text[start:end] != props[_KG + "evidence"][0].value):
                    bad(node, None, f"The evidence of this Assertion is not the article's text at offsets "
                                    f"{start}-{end}.", "AssertionShape")
            confidence = props.get(_KG + "confidence", [])
            if confidence and not 0 <= float(confidence[0].value) <= 1:
                bad(node, "kg:confidence", "A confidence lies between 0 and 1.", "AssertionShape")
        if is_a(node, "Event"):
            dates = props.get(_KG + "date", [])
            if len(dates) > 1 or any(d.datatype.value not in (_XSD + "date", _XSD + "gYearMonth", _XSD + "gYear")
                                     for d in dates):
                bad(node, "kg:date", "An event's date is an xsd:date, xsd:gYearMonth or xsd:gYear.", "EventShape")
            for role, wanted in (("agent", "Actor"), ("target", "Actor"), ("place", "Region")):
                for value in props.get(_KG + role, []):
                    if not is_a(value.value, wanted):
                        bad(node, f"kg:{role}", f"An event's {role} is a kg:{wanted}.", "EventShape")
        if props.get(_KG + "locatedIn"):
            seen, todo = set(), [v.value for v in props[_KG + "locatedIn"]]
            while todo:
                current = todo.pop()
                if current == node:
                    bad(node, None, "kg:locatedIn loops back to this region.", "NoLoopShape")
                    break
                if current not in seen:
                    seen.add(current)
                    todo.extend(v.value for v in by_subject.get(current, {}).get(_KG + "locatedIn", []))
        if _SCHEMA + "NewsArticle" in {t.value for t in props.get(_RDF + "type", [])}:
            if len(props.get(_SCHEMA + "text", [])) != 1 or len(props.get(_SCHEMA + "headline", [])) > 1:
                bad(node, None, "An article has one text and at most one headline.", "ArticleShape")
    return sorted(out, key=lambda v: (v.shape, v.focus, v.message))


def validate_store(store, root: str | Path, article: str | None = None) -> tuple[list[Violation], int]:
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
    return validate_triples(quads, root), len(quads)
