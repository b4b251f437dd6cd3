"""How the views draw each class and relation: ontology/styles.yaml, checked against kg.ttl when it is loaded.

A class without a style of its own is drawn as its nearest superclass that has one, so a new kind of
organization is drawn as an organization, never as an event; a name the ontology does not declare, a drawable
class with no style up its hierarchy, or a link of the network without a colour is an error naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import InvalidLexicon
from kg.knowledge.ontology import Ontology, ontology_of
from kg.knowledge.schemas import StylesFile, read_curated
from kg.paths import ontology_dir

__all__ = ["Styles", "load_styles", "default_styles"]

_FILE = "styles.yaml"


@dataclass(frozen=True)
class Styles:
    """Each drawable class's (colour, shape), each relation's colour, and what anything else is drawn with."""

    classes: dict[str, tuple[str, str]]
    relations: dict[str, str]
    unknown_class: tuple[str, str]
    unknown_relation: str

    def of_class(self, name: str) -> tuple[str, str]:
        return self.classes.get(name, self.unknown_class)

    def of_relation(self, name: str) -> str:
        return self.relations.get(name, self.unknown_relation)


def load_styles(root: str | Path, ontology: Ontology) -> Styles:
    """Read `root`/styles.yaml (its schema checks colours and shapes) and check its names against `ontology`."""
    data = read_curated(Path(root), _FILE, StylesFile)
    for name in data.classes:
        if name not in ontology.classes:
            raise InvalidLexicon(f"{_FILE}: classes: '{name}' is no class of kg.ttl")
    for name in data.relations:
        if name not in ontology.properties:
            raise InvalidLexicon(f"{_FILE}: relations: '{name}' is no property of kg.ttl")
    own = {name: (spec.color, spec.shape) for name, spec in data.classes.items()}
    drawable = ontology.entity_classes | set(ontology.subclasses("Event"))
    classes: dict[str, tuple[str, str]] = {}
    for name in sorted(drawable):
        styled = [a for a in _nearest_first(ontology, name) if a in own]
        if not styled:
            raise InvalidLexicon(f"{_FILE}: classes: kg:{name} has no style, nor has any class above it")
        classes[name] = own[styled[0]]
    for name in (*ontology.links, *ontology.event_roles):
        if name not in data.relations:
            raise InvalidLexicon(f"{_FILE}: relations: kg:{name}, a link of the network, has no colour")
    unknown = data.unknown
    return Styles(classes, dict(data.relations), (unknown.class_.color, unknown.class_.shape), unknown.relation)


def _nearest_first(ontology: Ontology, name: str) -> list[str]:
    """The class and its superclasses, nearest first (the fewer superclasses a class has, the farther up)."""
    return sorted(ontology.ancestors[name], key=lambda a: (-len(ontology.ancestors[a]), a))


@lru_cache(maxsize=4)
def _cached(root: str) -> Styles:
    return load_styles(root, ontology_of(root))


def default_styles() -> Styles:
    """The styles of `kg.paths.ontology_dir()`, loaded once per process."""
    return _cached(str(ontology_dir()))
