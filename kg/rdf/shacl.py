"""The build's check of one article's graph: ontology/shapes.ttl read once and interpreted over the article's
quads, the core constraints in Python and each SPARQL constraint run once by Oxigraph over the whole graph,
milliseconds where pySHACL takes seconds. A shape using a part of SHACL this module does not interpret is
refused when shapes.ttl is read, so the build never passes quietly what `kg validate` (pySHACL) would report;
tests/test_shacl_agreement.py holds the two to the same verdicts on generated graphs."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox
import rdflib

from kg.errors import InvalidLexicon
from kg.vocab import KG, KGR, RDF, RDFS, XSD

__all__ = ["Violation", "Shapes", "compiled_shapes", "shapes_graphs", "short_iri"]

SH = "http://www.w3.org/ns/shacl#"
SHAPES = "https://w3id.org/actorgraph/shapes#"
_TYPE, _SUBCLASS = RDF + "type", RDFS + "subClassOf"


def short_iri(iri: str) -> str:
    for prefix, base in (("kgr:", KGR), ("kg:", KG), ("kgs:", SHAPES), ("rdfs:", RDFS), ("rdf:", RDF),
                         ("sh:", SH)):
        if iri.startswith(base):
            return prefix + iri[len(base):]
    return iri


@dataclass(frozen=True)
class Violation:
    """One verdict: the node, the property (None for a node shape's own constraint), the SHACL constraint
    component that failed, the node shape it belongs to, and the shape's message."""

    focus: str
    path: str | None
    component: str
    shape: str
    message: str

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        return f"{short_iri(self.focus)}{where}: {self.message} ({short_iri(self.shape)})"

    @property
    def verdict(self) -> tuple[str, str | None, str, str]:
        return self.focus, self.path, self.component, self.shape


def sorted_violations(found: Iterable[Violation]) -> list[Violation]:
    return sorted(set(found), key=lambda v: (v.shape, v.focus, v.path or "", v.component, v.message))


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


# --- shapes.ttl, compiled -------------------------------------------------------------------------------

_TARGETS = {SH + t for t in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")}
_ANNOTATIONS = {_TYPE, RDFS + "comment", RDFS + "label", SH + "message", SH + "name", SH + "description",
                SH + "severity", SH + "path", SH + "property", SH + "sparql", SH + "flags", SH + "prefixes",
                SH + "declare"}
_LIST_PARAMETERS = {"or", "and", "xone", "in"}
_SHAPE_PARAMETERS = {"or", "and", "xone", "not", "node"}


@dataclass
class _Sparql:
    node: str
    select: str
    message: str


@dataclass
class _Shape:
    report_as: str  # the node shape a verdict names (a property shape reports its node shape, as pySHACL's does)
    path: str | None = None
    message: str | None = None
    constraints: list[tuple[str, object]] = field(default_factory=list)  # (parameter, value)
    properties: list[_Shape] = field(default_factory=list)
    sparql: list[_Sparql] = field(default_factory=list)
    targets: dict[str, list[str]] = field(default_factory=dict)  # sh:targetClass etc. -> IRIs


def _term(node: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype or XSD + "string")))
    return ox.BlankNode(str(node))


def _prefixes(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    lines = []
    for holder in graph.objects(node, rdflib.URIRef(SH + "prefixes")):
        for declaration in graph.objects(holder, rdflib.URIRef(SH + "declare")):
            prefix = graph.value(declaration, rdflib.URIRef(SH + "prefix"))
            namespace = graph.value(declaration, rdflib.URIRef(SH + "namespace"))
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(lines))


def _compile(graph: rdflib.Graph, node: rdflib.term.Node, report_as: str) -> _Shape:
    where = short_iri(report_as) if isinstance(node, rdflib.BNode) else short_iri(str(node))
    shape = _Shape(report_as)
    for predicate, value in sorted(graph.predicate_objects(node)):
        name = str(predicate)
        local = name.removeprefix(SH)
        if name in _TARGETS:
            shape.targets.setdefault(local, []).append(str(value))
        elif name == SH + "path":
            if not isinstance(value, rdflib.URIRef):
                raise InvalidLexicon(f"shapes.ttl: {where}: only a property IRI is understood as sh:path")
            shape.path = str(value)
        elif name == SH + "message":
            shape.message = str(value)
        elif name == SH + "severity" and value != rdflib.URIRef(SH + "Violation"):
            raise InvalidLexicon(f"shapes.ttl: {where}: every shape reports violations (sh:severity {value})")
        elif name == SH + "property":
            shape.properties.append(_compile(graph, value, report_as))
        elif name == SH + "sparql":
            select = graph.value(value, rdflib.URIRef(SH + "select"))
            if select is None:
                raise InvalidLexicon(f"shapes.ttl: {where}: a SPARQL constraint needs sh:select")
            message = graph.value(value, rdflib.URIRef(SH + "message"))
            shape.sparql.append(_Sparql(str(value), f"{_prefixes(graph, value)}\n{select}",
                                        str(message or "does not conform")))
        elif name in _ANNOTATIONS:
            continue
        elif local in _CHECKS:
            if local in _LIST_PARAMETERS:
                members = list(rdflib.collection.Collection(graph, value))
                parameter: object = ([_compile(graph, m, report_as) for m in members] if local != "in"
                                     else frozenset(_term(m) for m in members))
            elif local in _SHAPE_PARAMETERS:
                parameter = _compile(graph, value, report_as)
            elif local == "pattern":
                flags = graph.value(node, rdflib.URIRef(SH + "flags"))
                parameter = re.compile(str(value), re.IGNORECASE if flags and "i" in str(flags) else 0)
            elif isinstance(value, rdflib.Literal):
                parameter = value.toPython()
            else:
                parameter = str(value)
            shape.constraints.append((local, parameter))
        else:
            raise InvalidLexicon(f"shapes.ttl: {where}: {short_iri(name)} is not understood by the build's "
                                 f"check (kg/rdf/shacl.py); add it there, or keep to the parts of SHACL it knows")
    return shape


def _subclasses(triples: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """Each class -> itself and every class below it (rdfs:subClassOf, transitively)."""
    below: dict[str, set[str]] = defaultdict(set)
    for sub, sup in triples:
        below[sup].add(sub)
    closure = {}
    for cls in list(below):
        seen, todo = {cls}, [cls]
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        closure[cls] = frozenset(seen)
    return closure


@dataclass
class Shapes:
    """shapes.ttl as plain objects, with the class hierarchy of kg.ttl that sh:targetClass and sh:class follow."""

    node_shapes: list[_Shape]
    subclass_pairs: frozenset[tuple[str, str]]

    def check(self, quads: Iterable) -> list[Violation]:
        """Every violation of the shapes in a graph (pyoxigraph Quads or Triples; graph names are ignored,
        the graph is their union, as `kg validate` sees a store)."""
        return sorted_violations(_Check(self, list(quads)).run())


@lru_cache(maxsize=4)
def compiled_shapes(root: str) -> Shapes:
    shapes, ontology = shapes_graphs(root)
    node_shapes = sorted({s for s in shapes.subjects(rdflib.RDF.type, rdflib.URIRef(SH + "NodeShape"))}
                         | {s for t in _TARGETS for s in shapes.subjects(rdflib.URIRef(t), None)})
    pairs = frozenset((str(s), str(o)) for s, o in ontology.subject_objects(rdflib.RDFS.subClassOf))
    return Shapes([_compile(shapes, s, str(s)) for s in node_shapes], pairs)


# --- checking -------------------------------------------------------------------------------------------

_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "long", "int", "short", "byte",
                               "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                               "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_LEXICAL = {XSD + "integer": re.compile(r"[+-]?[0-9]+"), XSD + "decimal": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")}
_KINDS = {SH + "IRI": {"iri"}, SH + "BlankNode": {"blank"}, SH + "Literal": {"literal"},
          SH + "BlankNodeOrIRI": {"blank", "iri"}, SH + "BlankNodeOrLiteral": {"blank", "literal"},
          SH + "IRIOrLiteral": {"iri", "literal"}}


def _kind(term) -> str:
    return "iri" if isinstance(term, ox.NamedNode) else "literal" if isinstance(term, ox.Literal) else "blank"


@lru_cache(maxsize=4096)
def _well_typed(value: str, datatype: str) -> bool:
    """As SPARQL (and pySHACL) judge a literal of a datatype they know: not ill-typed."""
    pattern = _LEXICAL.get(datatype)
    if pattern is not None:
        return pattern.fullmatch(value) is not None
    return not getattr(rdflib.Literal(value, datatype=datatype), "ill_typed", False)


def _has_datatype(term, datatype: str) -> bool:
    if not isinstance(term, ox.Literal) or term.datatype.value != datatype:
        return False
    return datatype == XSD + "string" or _well_typed(term.value, datatype)


def _number(term) -> Decimal | None:
    if not isinstance(term, ox.Literal) or term.datatype.value not in _NUMERIC:
        return None
    try:
        return Decimal(term.value)
    except InvalidOperation:
        return None


def _compare(test: Callable[[Decimal, Decimal], bool]) -> Callable:
    def check(values, bound, _check) -> Iterator:
        for value in values:
            number = _number(value)
            if number is None or not test(number, Decimal(str(bound))):
                yield value
    return check


def _each(test: Callable) -> Callable:
    def check(values, parameter, run) -> Iterator:
        return (v for v in values if not test(v, parameter, run))
    return check


def _text(term) -> str | None:
    return None if isinstance(term, ox.BlankNode) else term.value


_CHECKS: dict[str, Callable] = {
    "minCount": lambda values, n, _run: [None] if len(values) < n else [],
    "maxCount": lambda values, n, _run: [None] if len(values) > n else [],
    "datatype": _each(lambda v, d, _run: _has_datatype(v, d)),
    "nodeKind": _each(lambda v, k, _run: _kind(v) in _KINDS[k]),
    "class": _each(lambda v, c, run: run.is_instance(v, c)),
    "minInclusive": _compare(lambda a, b: a >= b),
    "maxInclusive": _compare(lambda a, b: a <= b),
    "minExclusive": _compare(lambda a, b: a > b),
    "maxExclusive": _compare(lambda a, b: a < b),
    "minLength": _each(lambda v, n, _run: _text(v) is not None and len(_text(v)) >= n),
    "maxLength": _each(lambda v, n, _run: _text(v) is not None and len(_text(v)) <= n),
    "pattern": _each(lambda v, p, _run: _text(v) is not None and p.search(_text(v)) is not None),
    "in": _each(lambda v, members, _run: v in members),
    "hasValue": lambda values, wanted, _run: [] if any(v.value == wanted for v in values) else [None],
    "or": _each(lambda v, shapes, run: any(run.conforms(s, v) for s in shapes)),
    "and": _each(lambda v, shapes, run: all(run.conforms(s, v) for s in shapes)),
    "xone": _each(lambda v, shapes, run: sum(run.conforms(s, v) for s in shapes) == 1),
    "not": _each(lambda v, shape, run: not run.conforms(shape, v)),
    "node": _each(lambda v, shape, run: run.conforms(shape, v)),
}


def _component(parameter: str) -> str:
    return SH + parameter[0].upper() + parameter[1:] + "ConstraintComponent"


class _Check:
    """One graph, indexed by subject, checked against the compiled shapes."""

    def __init__(self, shapes: Shapes, quads: list) -> None:
        self.shapes = shapes
        self.quads = quads
        self.by_subject: dict = defaultdict(lambda: defaultdict(set))
        for q in quads:
            self.by_subject[q.subject][q.predicate.value].add(q.object)
        pairs = shapes.subclass_pairs | {(s.value, o.value) for s, props in self.by_subject.items()
                                         for o in props.get(_SUBCLASS, ()) if isinstance(s, ox.NamedNode)}
        self.below = _subclasses(pairs)

    def objects(self, node, predicate: str) -> set:
        props = self.by_subject.get(node)
        return props.get(predicate, set()) if props else set()

    def is_instance(self, node, cls: str) -> bool:
        wanted = self.below.get(cls, frozenset((cls,)))
        return any(t.value in wanted for t in self.objects(node, _TYPE))

    def focus_nodes(self, shape: _Shape) -> set:
        found: set = set()
        for cls in shape.targets.get("targetClass", ()):
            wanted = self.below.get(cls, frozenset((cls,)))
            found.update(s for s, props in self.by_subject.items() if any(t.value in wanted for t in props.get(_TYPE, ())))
        for predicate in shape.targets.get("targetSubjectsOf", ()):
            found.update(s for s, props in self.by_subject.items() if props.get(predicate))
        for predicate in shape.targets.get("targetObjectsOf", ()):
            found.update(o for props in self.by_subject.values() for o in props.get(predicate, ()))
        found.update(ox.NamedNode(iri) for iri in shape.targets.get("targetNode", ()))
        return found

    def results(self, shape: _Shape, focus) -> Iterator[tuple[object, _Shape, str]]:
        """(focus node, shape, constraint parameter) for each failure of `focus` against `shape`: one per
        failing value node, as pySHACL reports them."""
        values = [focus] if shape.path is None else list(self.objects(focus, shape.path))
        for parameter, value in shape.constraints:
            for _failed in _CHECKS[parameter](values, value, self):
                yield focus, shape, parameter
        for prop in shape.properties:
            for value in values:
                yield from self.results(prop, value)

    def conforms(self, shape: _Shape, node) -> bool:
        return next(self.results(shape, node), None) is None and not any(self.sparql(shape, {node}))

    def sparql(self, shape: _Shape, focus: set) -> Iterator[Violation]:
        if not shape.sparql or not focus:
            return
        store = self._store()
        for constraint in shape.sparql:
            for row in store.query(constraint.select):
                this = row["this"]
                if this in focus:
                    message = re.sub(r"\{[?$](\w+)\}", lambda m: _show(row[m.group(1)]), constraint.message)
                    yield Violation(this.value, None, SH + "SPARQLConstraintComponent", shape.report_as, message)

    def _store(self) -> ox.Store:
        if not hasattr(self, "_sparql_store"):
            self._sparql_store = ox.Store()
            self._sparql_store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in self.quads)
        return self._sparql_store

    def run(self) -> Iterator[Violation]:
        for shape in self.shapes.node_shapes:
            focus = self.focus_nodes(shape)
            for node in focus:
                for focus_node, found, parameter in self.results(shape, node):
                    yield Violation(focus_node.value, short_iri(found.path) if found.path else None,
                                    _component(parameter), shape.report_as, found.message or f"sh:{parameter} fails")
            yield from self.sparql(shape, focus)


def _show(term) -> str:
    return "" if term is None else term.value
