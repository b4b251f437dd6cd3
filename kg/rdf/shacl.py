"""The build's check of one article's graph: ontology/shapes.ttl read once and interpreted over the article's
quads, the core constraints in Python and each SPARQL constraint run once by Oxigraph over the whole graph (the
triples it can read), milliseconds where pySHACL takes seconds; the gazetteer entries every article brings along
are indexed once per process. A shape using a part of SHACL this module does not interpret is
refused when shapes.ttl is read, so the build never passes quietly what `kg validate` (pySHACL) would report;
tests/test_shacl_agreement.py holds the two to the same verdicts on generated graphs."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
import rdflib.paths
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from kg.errors import InvalidLexicon
from kg.vocab import KG, KGR, KGS, RDF, RDFS, SH, XSD

__all__ = ["Shapes", "Violation", "compiled_shapes", "read_predicates", "shapes_graphs", "short_iri"]

_TYPE, _SUBCLASS = RDF + "type", RDFS + "subClassOf"


def short_iri(iri: str) -> str:
    for prefix, base in (("kgr:", KGR), ("kg:", KG), ("kgs:", KGS), ("rdfs:", RDFS), ("rdf:", RDF),
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

_Term = ox.NamedNode | ox.BlankNode | ox.Literal  # a focus node or value node
_TARGETS = {SH + t for t in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")}
_ANNOTATIONS = {_TYPE, RDFS + "comment", RDFS + "label", SH + "message", SH + "name", SH + "description",
                SH + "severity", SH + "path", SH + "property", SH + "sparql", SH + "flags", SH + "prefixes",
                SH + "declare"}
_LIST_PARAMETERS = {"or", "and", "xone", "in"}
_SHAPE_PARAMETERS = {"or", "and", "xone", "not", "node"}


@dataclass
class _Sparql:
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


def read_predicates(select: str) -> frozenset[str] | None:
    """The predicates of the triples a SPARQL query can read: those it names, when each of its triple patterns
    names its predicate (an IRI, or a path of IRIs without negation) or has there a variable that a FILTER over
    the pattern's group confines to named IRIs (`FILTER(?p IN (kg:agent, kg:target) && ...)`: a triple of another
    predicate gives only solutions the FILTER removes); None when it may read any triple."""
    named: set[str] = set()
    return frozenset(named) if _reads(prepareQuery(select).algebra, frozenset(), named) else None


def _reads(node: object, confined: frozenset, named: set[str]) -> bool:
    """Whether every triple pattern under `node` (rdflib's algebra, or the parse tree of an EXISTS it leaves
    as parsed) names its predicate, or has one of the `confined` variables there; the names go into `named`."""
    if isinstance(node, rdflib.paths.Path):
        return _path_reads(node, named)
    if isinstance(node, (list, tuple)):
        return all(_reads(n, confined, named) for n in node)
    if not isinstance(node, CompValue):
        return True
    if node.name == "BGP":
        return all(_predicate_reads(p, confined, named) for _, p, _ in node.triples)
    if node.name == "TriplesBlock":  # [[s, p, o, s, p, o...]] as parsed
        return all(_predicate_reads(p, frozenset(), named) for block in node.triples for p in block[1::3])
    if node.name == "Filter":
        more = _confines(node.expr, named)
        return _reads(node.expr, frozenset(), named) and _reads(node.p, confined | more, named)
    if node.name == "Join":
        return _reads(node.p1, confined, named) and _reads(node.p2, confined, named)
    return all(_reads(getattr(node, key), frozenset(), named) for key in node if key != "_vars")  # (an attribute:
    # rdflib sets the translated pattern of an EXISTS as one, over the parsed one its dictionary keeps)


def _predicate_reads(predicate: object, confined: frozenset, named: set[str]) -> bool:
    if isinstance(predicate, rdflib.URIRef):
        named.add(str(predicate))
        return True
    if isinstance(predicate, rdflib.paths.Path):
        return _path_reads(predicate, named)
    return predicate in confined


def _path_reads(path: rdflib.paths.Path, named: set[str]) -> bool:
    if isinstance(path, rdflib.paths.NegatedPath):
        return False
    parts = ([path.path] if isinstance(path, rdflib.paths.MulPath) else [path.arg]
             if isinstance(path, rdflib.paths.InvPath) else list(getattr(path, "args", [])))
    return all(_predicate_reads(p, frozenset(), named) for p in parts)


def _confines(expr: object, named: set[str]) -> frozenset:
    """The variables a FILTER expression holds to a list of IRIs (`?p IN (...)`, alone or and-ed)."""
    if not isinstance(expr, CompValue):
        return frozenset()
    if expr.name == "ConditionalAndExpression":
        return frozenset().union(*(_confines(e, named) for e in [expr.expr, *(expr.other or [])]))
    if (expr.name == "RelationalExpression" and expr.op == "IN" and isinstance(expr.expr, rdflib.Variable)
            and all(isinstance(iri, rdflib.URIRef) for iri in expr.other)):
        named.update(str(iri) for iri in expr.other)
        return frozenset((expr.expr,))
    return frozenset()


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
            if select is None or "$this" not in str(select) or isinstance(node, rdflib.BNode):
                raise InvalidLexicon(f"shapes.ttl: {where}: the build's check runs a SPARQL constraint of a node "
                                     f"shape only, an sh:select that selects $this")
            message = graph.value(value, rdflib.URIRef(SH + "message"))
            shape.sparql.append(_Sparql(f"{_prefixes(graph, value)}\n{select}", str(message or "does not conform")))
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


class Shapes:
    """shapes.ttl as plain objects, with the class hierarchy of kg.ttl that sh:targetClass and sh:class follow."""

    def __init__(self, node_shapes: list[_Shape], subclass_pairs: frozenset[tuple[str, str]]) -> None:
        self.node_shapes = node_shapes
        self.subclass_pairs = subclass_pairs
        self.below = _subclasses(subclass_pairs)
        reads = [read_predicates(c.select) for c in _sparql_constraints(node_shapes)]
        # The predicates of the triples a SPARQL constraint can read (None: any), the only ones the check's
        # store for them is filled with: less than half of an article's, and the store took a fifth of the check.
        self.sparql_reads = None if None in reads else frozenset(p for r in reads if r for p in r)

        self._parts: dict[int, tuple[Sequence, _Part]] = {}

    def check(self, quads: Iterable, parts: Iterable[Sequence] = ()) -> list[Violation]:
        """Every violation of the shapes in a graph (pyoxigraph Quads or Triples; graph names are ignored,
        the graph is their union, as `kg validate` sees a store): `quads` and the quads of each of `parts`,
        sequences that many graphs share (the same object each time, as kg.rdf.quads.gazetteer_entries gives
        a gazetteer entry's), each indexed once: the same verdicts as for all their quads in one list."""
        return sorted_violations(_Check(self, quads, [self._part(p) for p in parts]).run())

    def _part(self, quads: Sequence) -> _Part:
        """A shared part's index, kept by the part's identity (its quads kept with it, so that no other object
        takes their id while it is kept)."""
        kept = self._parts.get(id(quads))
        if kept is None or kept[0] is not quads:
            if len(self._parts) >= _PARTS_KEPT:
                self._parts.clear()
            kept = self._parts[id(quads)] = (quads, _Part(quads, self.sparql_reads))
        return kept[1]


# Shared parts whose index a process keeps: the gazetteer has some 2,200 entries.
_PARTS_KEPT = 20_000


def _sparql_constraints(shapes: Iterable[_Shape]) -> Iterator[_Sparql]:
    """Every SPARQL constraint of these shapes, and of the shapes they hold (sh:property, sh:node, sh:or...)."""
    for shape in shapes:
        yield from shape.sparql
        held = list(shape.properties)
        for _, value in shape.constraints:
            held += [value] if isinstance(value, _Shape) else [v for v in value if isinstance(v, _Shape)] \
                if isinstance(value, list) else []
        yield from _sparql_constraints(held)


@lru_cache(maxsize=4)
def compiled_shapes(root: str) -> Shapes:
    shapes, ontology = shapes_graphs(root)
    node_shapes = sorted({s for s in shapes.subjects(rdflib.RDF.type, rdflib.URIRef(SH + "NodeShape"))
                          if isinstance(s, rdflib.term.IdentifiedNode)}
                         | {s for t in _TARGETS for s in shapes.subjects(rdflib.URIRef(t), None)
                            if isinstance(s, rdflib.term.IdentifiedNode)})
    pairs = frozenset((str(s), str(o)) for s, o in ontology.subject_objects(rdflib.RDFS.subClassOf))
    return Shapes([_compile(shapes, s, str(s)) for s in node_shapes], pairs)


# --- checking -------------------------------------------------------------------------------------------

_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "long", "int", "short", "byte",
                               "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                               "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}
_LEXICAL = {XSD + "integer": re.compile(r"[+-]?[0-9]+"),
            XSD + "decimal": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")}
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
    def fails(values, bound, _run) -> bool:
        limit = Decimal(str(bound))
        return any((n := _number(v)) is None or not test(n, limit) for v in values)
    return fails


def _text(term) -> str | None:
    return None if isinstance(term, ox.BlankNode) else term.value


def _length(test: Callable[[int, int], bool]) -> Callable:
    return lambda values, n, _run: any((t := _text(v)) is None or not test(len(t), n) for v in values)


# Each constraint parameter -> does some value node fail it? (A verdict names the node, the path and the
# component, not the value, so one failing value is as good as all of them.)
_CHECKS: dict[str, Callable] = {
    "minCount": lambda values, n, _run: len(values) < n,
    "maxCount": lambda values, n, _run: len(values) > n,
    "datatype": lambda values, d, _run: any(not _has_datatype(v, d) for v in values),
    "nodeKind": lambda values, k, _run: any(_kind(v) not in _KINDS[k] for v in values),
    "class": lambda values, c, run: any(not run.is_instance(v, c) for v in values),
    "minInclusive": _compare(lambda a, b: a >= b),
    "maxInclusive": _compare(lambda a, b: a <= b),
    "minExclusive": _compare(lambda a, b: a > b),
    "maxExclusive": _compare(lambda a, b: a < b),
    "minLength": _length(lambda a, b: a >= b),
    "maxLength": _length(lambda a, b: a <= b),
    "pattern": lambda values, p, _run: any((t := _text(v)) is None or p.search(t) is None for v in values),
    "in": lambda values, members, _run: any(v not in members for v in values),
    "hasValue": lambda values, wanted, _run: not any(v.value == wanted for v in values),
    "or": lambda values, shapes, run: any(not any(run.conforms(s, v) for s in shapes) for v in values),
    "and": lambda values, shapes, run: any(not all(run.conforms(s, v) for s in shapes) for v in values),
    "xone": lambda values, shapes, run: any(sum(run.conforms(s, v) for s in shapes) != 1 for v in values),
    "not": lambda values, shape, run: any(run.conforms(shape, v) for v in values),
    "node": lambda values, shape, run: any(not run.conforms(shape, v) for v in values),
}


def _component(parameter: str) -> str:
    return SH + parameter[0].upper() + parameter[1:] + "ConstraintComponent"


class _Part:
    """A part of many graphs (a gazetteer entry's quads, in every article that names the entity), indexed once
    per process: its subjects' properties and quads (and of those, the ones SPARQL constraints can read: of
    `sparql_reads`, all if None), and the classes of its typed nodes."""

    def __init__(self, quads: Iterable, sparql_reads: frozenset[str] | None) -> None:
        index = _Index(quads)
        self.by_subject = {s: {p: frozenset(v) for p, v in props.items()} for s, props in index.by_subject.items()}
        self.quads: dict = {s: [] for s in self.by_subject}  # each subject -> its quads, each triple once
        self.for_sparql: dict = {s: [] for s in self.by_subject}
        for q in index.for_sparql:
            self.quads[q.subject].append(q)
            if sparql_reads is None or q.predicate.value in sparql_reads:
                self.for_sparql[q.subject].append(q)
        self.types = {s: frozenset(classes) for s, classes in index.types.items()}
        # (id of a shape, a node of the part) -> the node's results for the shape, and the nodes whose properties
        # they read: valid in any graph where each of those is the part's alone, or no one's (_Check.memoized)
        self.results: dict[tuple[int, object], tuple[list, tuple]] = {}


class _Index:
    """One graph, indexed by subject (and the subjects of each predicate, and each class's instances, so that
    finding a shape's focus nodes does not walk every subject for every shape). The graph is `quads` and
    `parts`: a subject only a part describes shares that part's index (read, never written: copied as soon as
    another quad or part adds to the subject). Its triples of the predicates `reads` (all if None) are kept,
    each once, for SPARQL."""

    def __init__(self, quads: Iterable, parts: Iterable[_Part] = (), reads: frozenset[str] | None = None) -> None:
        self.by_subject: dict = {}
        self.by_predicate: dict[str, list] = {}  # each predicate -> its subjects, each once
        self.for_sparql: list = []  # each triple once, though two graphs may hold it, that SPARQL can read
        by_subject, by_predicate, keep = self.by_subject, self.by_predicate, self.for_sparql.append
        self.shared: dict = {}  # each subject whose properties are a part's alone -> the part
        shared = self.shared
        for part in parts:
            for subject, described in part.by_subject.items():
                if subject in by_subject:  # another part describes it too: added quad by quad, below
                    quads = itertools.chain(part.quads[subject], quads)
                    continue
                by_subject[subject] = described
                shared[subject] = part
                for predicate in described:
                    subjects = by_predicate.get(predicate)
                    if subjects is None:
                        by_predicate[predicate] = [subject]
                    else:
                        subjects.append(subject)
                self.for_sparql.extend(part.for_sparql[subject])
        for q in quads:
            subject, predicate, value = q.subject, q.predicate.value, q.object
            props = by_subject.get(subject)
            if props is None:
                props = by_subject[subject] = {}
            elif shared and subject in shared:
                props = by_subject[subject] = {p: set(v) for p, v in props.items()}
                del shared[subject]
            values = props.get(predicate)
            if values is None:
                props[predicate] = {value}
                subjects = by_predicate.get(predicate)
                if subjects is None:
                    by_predicate[predicate] = [subject]
                else:
                    subjects.append(subject)
            elif value in values:
                continue
            else:
                values.add(value)
            if reads is None or predicate in reads:
                keep(q)
        self.types: dict = {}  # each typed node -> its classes' IRIs
        self.instances: dict[str, set] = {}  # each class's IRI -> its direct instances
        for subject in by_predicate.get(_TYPE, ()):
            owner = shared.get(subject)
            classes = self.types[subject] = (owner.types[subject] if owner is not None
                                             else {t.value for t in by_subject[subject][_TYPE]})
            for cls in classes:
                self.instances.setdefault(cls, set()).add(subject)


class _Check(_Index):
    """One graph, indexed, checked against the compiled shapes."""

    def __init__(self, shapes: Shapes, quads: Iterable, parts: Iterable[_Part] = ()) -> None:
        super().__init__(quads, parts, shapes.sparql_reads)
        self.shapes = shapes
        self.store: ox.Store | None = None
        self.reading: list | None = None  # the nodes whose properties `results` reads, while memoized asks
        by_subject, by_predicate = self.by_subject, self.by_predicate
        self.below = shapes.below
        extra = {(s.value, o.value) for s in by_predicate.get(_SUBCLASS, ()) for o in by_subject[s][_SUBCLASS]
                 if isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode)}
        if extra - shapes.subclass_pairs:  # the graph extends the class hierarchy itself
            self.below = _subclasses(shapes.subclass_pairs | extra)

    def objects(self, node, predicate: str) -> set:
        if self.reading is not None:
            self.reading.append(node)
        props = self.by_subject.get(node)
        return props.get(predicate, set()) if props else set()

    def is_instance(self, node, cls: str) -> bool:
        if self.reading is not None:
            self.reading.append(node)
        classes = self.types.get(node)
        return classes is not None and not self.below.get(cls, frozenset((cls,))).isdisjoint(classes)

    def focus_nodes(self, shape: _Shape) -> set:
        found: set = set()
        for cls in shape.targets.get("targetClass", ()):
            for wanted in self.below.get(cls, frozenset((cls,))):
                found.update(self.instances.get(wanted, ()))
        for predicate in shape.targets.get("targetSubjectsOf", ()):
            found.update(self.by_predicate.get(predicate, ()))
        for predicate in shape.targets.get("targetObjectsOf", ()):
            found.update(o for s in self.by_predicate.get(predicate, ()) for o in self.by_subject[s][predicate])
        found.update(ox.NamedNode(iri) for iri in shape.targets.get("targetNode", ()))
        return found

    def results(self, shape: _Shape, focus, first: bool = False) -> list[tuple[_Term, _Shape, str]]:
        """(focus node, shape, constraint parameter) for each constraint of `shape` (and of its property
        shapes) that `focus` fails; only the first one when that is all a caller needs."""
        values = (focus,) if shape.path is None else self.objects(focus, shape.path)
        out = []
        for parameter, value in shape.constraints:
            if _CHECKS[parameter](values, value, self):
                out.append((focus, shape, parameter))
                if first:
                    return out
        for prop in shape.properties:
            for value in values:
                out += self.results(prop, value, first)
                if first and out:
                    return out
        return out

    def memoized(self, shape: _Shape, node) -> list[tuple[_Term, _Shape, str]]:
        """`results(shape, node)`, kept for a node of a shared part (a gazetteer entry's region, point or
        Assertion, met in article after article) and given again wherever each node they read is, here too, the
        part's alone or no one's, under the same class hierarchy: the same input, the same results."""
        part = self.shared.get(node)
        if part is None or self.below is not self.shapes.below:
            return self.results(shape, node)
        key = (id(shape), node)
        kept = part.results.get(key)
        if kept is not None and self._unchanged(part, kept[1]):
            return kept[0]
        self.reading = []
        try:
            found = self.results(shape, node)
            reads = tuple(set(self.reading))
        finally:
            self.reading = None
        if self._unchanged(part, reads):
            part.results[key] = (found, reads)
        return found

    def _unchanged(self, part: _Part, nodes: tuple) -> bool:
        return all(n is not _UNKNOWN and self.by_subject.get(n) is part.by_subject.get(n) for n in nodes)

    def conforms(self, shape: _Shape, node) -> bool:
        if shape.sparql and self.reading is not None:
            self.reading.append(_UNKNOWN)  # (what a SPARQL constraint reads is not known: never kept)
        return not self.results(shape, node, first=True) and not (shape.sparql and any(self.sparql(shape, {node})))

    def sparql(self, shape: _Shape, focus: set) -> Iterator[Violation]:
        """Each SPARQL constraint run once over the whole graph with $this free, its solutions kept for the
        focus nodes: what pySHACL's one run per focus node with $this bound finds, for a query that binds
        $this in its outermost pattern, as each of shapes.ttl does (the agreement test holds them to it)."""
        if not shape.sparql or not focus:
            return
        store = self._store()
        for constraint in shape.sparql:
            solutions = store.query(constraint.select, use_default_graph_as_union=True)
            assert isinstance(solutions, ox.QuerySolutions)  # (_compile takes an sh:select only)
            for row in solutions:
                this = row["this"]
                if this in focus:
                    message = _fill(constraint.message, row)
                    yield Violation(this.value, None, SH + "SPARQLConstraintComponent", shape.report_as, message)

    def _store(self) -> ox.Store:
        """The graph for SPARQL, as a set of triples: the union of the quads' graphs, each triple once even
        when two graphs hold it (so a count in a query counts what pySHACL would), of the predicates the SPARQL
        constraints can read (`Shapes.sparql_reads`). A new in-memory store each
        time: one emptied and refilled got slower with every article (4 ms to 50 ms to empty over a hundred) and
        answered the same queries half as fast."""
        if self.store is None:
            self.store = ox.Store()
            self.store.extend(_named(q) for q in self.for_sparql)
        return self.store

    def run(self) -> Iterator[Violation]:
        for shape in self.shapes.node_shapes:
            focus = self.focus_nodes(shape)
            for node in focus:
                for focus_node, found, parameter in self.memoized(shape, node):
                    yield Violation(focus_node.value, short_iri(found.path) if found.path else None,
                                    _component(parameter), shape.report_as, found.message or f"sh:{parameter} fails")
            yield from self.sparql(shape, focus)


_UNKNOWN = object()  # read by a SPARQL constraint of a shape held by another (see conforms)


def _named(q) -> ox.Quad:
    return q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object)


def _fill(message: str, row: ox.QuerySolution) -> str:
    """A SPARQL constraint's message with {?var} (or {$var}) replaced by the solution's value."""
    return re.sub(r"\{[?$](\w+)\}", lambda m: "" if row[m.group(1)] is None else row[m.group(1)].value, message)
