"""The regions' coordinates (ontology/coordinates.yaml, written from GeoNames by `kg.tools.coordinates`),
loaded and checked: the file against its schema (`CoordinatesFile`), and every point naming a region of the
gazetteer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.errors import InvalidLexicon
from kg.knowledge.schemas import CoordinatesFile, read_curated
from kg.model import Entity

__all__ = ["COORDINATES_FILE", "GeoPoint", "load_coordinates"]

COORDINATES_FILE = "coordinates.yaml"
REGION_TYPES = frozenset({"Country", "AdministrativeArea", "GeographicArea"})


@dataclass(frozen=True)
class GeoPoint:
    """A region's representative point in WGS84 decimal degrees, as the graph's literals write it, with the
    GeoNames feature it is the point of and how that feature was chosen (`basis`)."""

    lat: str
    lon: str
    geonames: str
    basis: str


def load_coordinates(root: Path, entities: dict[str, Entity]) -> dict[str, GeoPoint]:
    """Each region's point; none when the file is absent (an ontology folder of one's own may have none)."""
    if not (root / COORDINATES_FILE).is_file():
        return {}
    data = read_curated(root, COORDINATES_FILE, CoordinatesFile)
    points = {}
    for entity_id, point in data.coordinates.items():
        if entity_id not in entities or entities[entity_id].type not in REGION_TYPES:
            raise InvalidLexicon(f"{COORDINATES_FILE}: {entity_id}: no region of the gazetteer has this id")
        for member in point.of:
            if member not in entities:
                raise InvalidLexicon(f"{COORDINATES_FILE}: {entity_id}: of: '{member}' is no region of the gazetteer")
        points[entity_id] = GeoPoint(str(float(point.lat)), str(float(point.lon)),
                                     str(point.geonames) if point.geonames else "", point.basis)
    return points
