"""The regions' coordinates (ontology/coordinates.yaml, written from GeoNames by `kg.tools.coordinates`),
loaded and checked: every point names a gazetteer region and lies on the globe."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from kg.errors import InvalidLexicon
from kg.model import Entity

__all__ = ["COORDINATES_FILE", "GeoPoint", "load_coordinates"]

COORDINATES_FILE = "coordinates.yaml"
REGION_TYPES = frozenset({"Country", "AdministrativeArea", "GeographicArea"})
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class GeoPoint:
    """A region's representative point in WGS84 decimal degrees, kept as written (the graph's literals are the
    file's text), with the GeoNames feature it is the point of and how that feature was chosen (`basis`)."""

    lat: str
    lon: str
    geonames: str
    basis: str


def load_coordinates(root: Path, entities: dict[str, Entity]) -> dict[str, GeoPoint]:
    """Each region's point; none when the file is absent (an ontology folder of one's own may have none)."""
    path = root / COORDINATES_FILE
    if not path.is_file():
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidLexicon(f"{COORDINATES_FILE}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("coordinates"), dict):
        raise InvalidLexicon(f"{COORDINATES_FILE}: expected a mapping with a 'coordinates' mapping")
    points = {}
    for entity_id, entry in data["coordinates"].items():
        where = f"{COORDINATES_FILE}: {entity_id}"
        if entity_id not in entities or entities[entity_id].type not in REGION_TYPES:
            raise InvalidLexicon(f"{where}: no region of the gazetteer has this id")
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), (int, float)) for k in ("lat", "lon")):
            raise InvalidLexicon(f"{where}: expected numbers 'lat' and 'lon'")
        if not (-90 <= entry["lat"] <= 90 and -180 <= entry["lon"] <= 180):
            raise InvalidLexicon(f"{where}: ({entry['lat']}, {entry['lon']}) is not on the globe")
        points[entity_id] = GeoPoint(str(float(entry["lat"])), str(float(entry["lon"])),
                                     str(entry.get("geonames") or ""), str(entry.get("basis") or ""))
    return points
