"""Write the map's basemap: the outlines of the gazetteer's countries, from the GeoJSON that countryinfo ships.

    python -m kg.tools.outlines > kg/views/static/outlines.json

Coordinates are rounded to 0.05 degree (some 5 km, finer than a country on a screen) and repeated points
dropped, which keeps the file small enough to inline in every map page. countryinfo is a maintainer's tool
(`.venv/bin/pip install --group maintainer`), not a runtime dependency; rerun when the gazetteer gains a
country.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import countryinfo

from kg.knowledge.lexicon import load_lexicon

STEP = 0.05
SOURCE = ("Country outlines from countryinfo 1.0.1 (MIT License), which takes them from world.geo.json by johan "
          "(Natural Earth data, public domain); rounded to 0.05 degree by kg.tools.outlines.")


def _ring(points: list) -> list:
    out: list = []
    for lon, lat, *_ in points:
        point = [round(round(lon / STEP) * STEP, 2), round(round(lat / STEP) * STEP, 2)]
        if not out or out[-1] != point:
            out.append(point)
    return out if len(out) >= 4 else []


def outlines(codes: set[str]) -> dict[str, dict]:
    """ISO alpha-2 code -> the country's name and polygons (outer rings, [lon, lat] pairs)."""
    found = {}
    for path in sorted((Path(countryinfo.__file__).parent / "data").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        code = (data.get("ISO") or {}).get("alpha2")
        if code not in codes or not data.get("geoJSON"):
            continue
        polygons: list[list] = []
        for feature in data["geoJSON"]["features"]:
            geometry = feature["geometry"]
            shapes = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
            polygons.extend(ring for ring in (_ring(shape[0]) for shape in shapes) if ring)
        if polygons:
            found[code] = {"name": data["name"], "polygons": polygons}
    return dict(sorted(found.items()))


def main() -> None:
    codes = {e.iso for e in load_lexicon().entities.values() if e.type == "Country" and e.iso}
    found = outlines(codes)
    json.dump({"source": SOURCE, "countries": found}, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")
    print(f"{len(found)} of {len(codes)} countries; none for: {', '.join(sorted(codes - found.keys()))}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
