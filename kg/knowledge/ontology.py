"""The classes and properties of ontology/kg.ttl, read once: every list of classes or relations in the code
derives from here, so adding a relation or a class is one edit of kg.ttl.

What the code asks of the ontology:
- `relations`: the core relations between entities, the properties declared `rdfs:subPropertyOf kg:relation`
  (directly or through another one, as kg:leaderOf through kg:memberOf), in the order kg.ttl declares them;
  `links` those of them that join two entities (object properties), the edges of the network;
- `event_roles`: the object properties whose domain is kg:Event (agent, target, place), and `ranges` what
  each property points to (kg:place a kg:Region);
- `symmetric` and `transitive`: the properties typed owl:SymmetricProperty or owl:TransitiveProperty;
- `actor_classes`, `region_classes`, `event_classes`, `entity_classes` (actors, regions and criminal
  economies: what the gazetteer may hold), each class's `ancestors`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InvalidLexicon
from kg.paths import ontology_dir
from kg.vocab import KG, OWL, RDF, RDFS

__all__ = ["Ontology", "load_ontology", "ontology_of", "default_ontology"]

_TYPE = RDF + "type"
_PROPERTY_TYPES = {OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty", RDF + "Property",
                   OWL + "SymmetricProperty", OWL + "TransitiveProperty"}


@dataclass(frozen=True)
class Ontology:
    """The classes and properties of kg.ttl (local names of kg:), and what each class specialises."""

    classes: frozenset[str]
    ancestors: dict[str, frozenset[str]]  # class -> itself and every superclass in kg:
    properties: frozenset[str]  # the OWL properties (object and datatype)
    relations: tuple[str, ...]
    links: tuple[str, ...]
    event_roles: tuple[str, ...]
    symmetric: frozenset[str]
    transitive: frozenset[str]
    turtle: bytes
    ranges: dict[str, str] = field(default_factory=dict)  # property -> the kg: class of its rdfs:range
    terms: frozenset[str] = frozenset()  # every kg: name kg.ttl declares (classes, properties, kg:relation)

    def is_a(self, cls: str, wanted: str) -> bool:
        return wanted in self.ancestors.get(cls, frozenset())

    def subclasses(self, wanted: str) -> list[str]:
        """`wanted` and every class below it, sorted."""
        return sorted(c for c in self.classes if self.is_a(c, wanted))

    @cached_property
    def actor_classes(self) -> frozenset[str]:
        return frozenset(self.subclasses("Actor"))

    @cached_property
    def region_classes(self) -> frozenset[str]:
        return frozenset(self.subclasses("Region"))

    @cached_property
    def event_classes(self) -> frozenset[str]:
        """The kinds of event (kg:Event itself left out: an event is always typed with one of them)."""
        return frozenset(self.subclasses("Event")) - {"Event"}

    @cached_property
    def entity_classes(self) -> frozenset[str]:
        """The classes of the entities (actors, regions, criminal economies): the gazetteer's and the network's
        nodes that are no event."""
        return self.actor_classes | self.region_classes | frozenset(self.subclasses("CriminalEconomy"))


def load_ontology(root: str | Path) -> Ontology:
    """Read `root`/kg.ttl (a curated file: a broken one raises `InvalidLexicon`)."""
    path = Path(root) / "kg.ttl"
    try:
        turtle = path.read_bytes()
        triples = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError) as exc:
        raise InvalidLexicon(f"kg.ttl: {exc}") from exc

    def local(node) -> str | None:
        return node.value[len(KG):] if isinstance(node, ox.NamedNode) and node.value.startswith(KG) else None

    types: dict[str, set[str]] = {}
    for t in triples:
        if t.predicate.value == _TYPE and (name := local(t.subject)):
            types.setdefault(name, set()).add(t.object.value)
    classes = {name for name, kinds in types.items() if OWL + "Class" in kinds}
    properties = [name for name, kinds in types.items() if kinds & _PROPERTY_TYPES]

    def closure(predicate: str, among: set[str]) -> dict[str, frozenset[str]]:
        parents: dict[str, set[str]] = {name: set() for name in among}
        for t in triples:
            if t.predicate.value == predicate and (child := local(t.subject)) in among \
                    and (parent := local(t.object)) in among:
                parents[child].add(parent)
        out: dict[str, frozenset[str]] = {}
        for name in among:
            seen, todo = {name}, [name]
            while todo:
                for parent in parents[todo.pop()]:
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            out[name] = frozenset(seen)
        return out

    ancestors = closure(RDFS + "subClassOf", classes)
    above = closure(RDFS + "subPropertyOf", set(properties))
    domain = {local(t.subject): local(t.object) for t in triples if t.predicate.value == RDFS + "domain"}
    ranges = {subject: value for t in triples if t.predicate.value == RDFS + "range"
              and (subject := local(t.subject)) and (value := local(t.object))}
    relations = tuple(p for p in properties if p != "relation" and "relation" in above[p])
    objects = {name for name, kinds in types.items() if OWL + "ObjectProperty" in kinds}
    return Ontology(
        classes=frozenset(classes), ancestors=ancestors,
        properties=frozenset(p for p in properties if types[p] & {OWL + "ObjectProperty", OWL + "DatatypeProperty"}),
        relations=relations, links=tuple(p for p in relations if p in objects),
        event_roles=tuple(p for p in properties if p in objects and domain.get(p) == "Event"),
        symmetric=frozenset(p for p in properties if OWL + "SymmetricProperty" in types[p]),
        transitive=frozenset(p for p in properties if OWL + "TransitiveProperty" in types[p]),
        turtle=turtle, ranges=ranges, terms=frozenset(types))


@lru_cache(maxsize=4)
def ontology_of(root: str) -> Ontology:
    """The ontology of an ontology folder, read once per process."""
    return load_ontology(root)


def default_ontology() -> Ontology:
    """The ontology of `kg.paths.ontology_dir()`, read once per process."""
    return ontology_of(str(ontology_dir()))
