"""The regions' coordinates (data from GeoNames), schema:geo in the graph, and the map view in real headless
Chromium: it draws offline, every region with a point is drawn, a click shows the sentences, nothing injects."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml
from conftest import SEED, hostile_store, offsite

from kg.knowledge.coordinates import COORDINATES_FILE
from kg.network.geo import region_points
from kg.paths import ontology_dir
from kg.pipeline.builder import build, remove_article
from kg.store.embedded import Store
from kg.views.map import OUTLINES, draw_map, write_map
from kg.vocab import KGR

DATA = ontology_dir() / COORDINATES_FILE
MAP_DRAWN = "body[data-drawn]"  # what the map sets once it is drawn
# Islands the small-scale outlines leave out: the southern Bahamas, the Galápagos.
OUTLINE_GAPS = {"BS", "ec-galapagos"}


@pytest.fixture(scope="module")
def coordinates():
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def test_every_point_lies_in_its_countrys_outline_box(coordinates, lexicon):
    outlines = json.loads(OUTLINES.read_text(encoding="utf-8"))["countries"]
    checked, outside = 0, []
    for entity_id, point in coordinates["coordinates"].items():
        country = lexicon.country_of(entity_id)
        if country not in outlines or {country, entity_id} & OUTLINE_GAPS:  # (and none of a few island states)
            continue
        lons = [lon for ring in outlines[country]["polygons"] for lon, _ in ring]
        lats = [lat for ring in outlines[country]["polygons"] for _, lat in ring]
        checked += 1
        if not (min(lons) - 0.5 <= point["lon"] <= max(lons) + 0.5
                and min(lats) - 0.5 <= point["lat"] <= max(lats) + 0.5):
            outside.append(f"{entity_id} ({point['lat']}, {point['lon']}) outside {country}")
    assert checked > 900 and outside == []


def test_the_data_credits_geonames_lists_the_ambiguous_and_repeats_no_region(coordinates, lexicon):
    text = DATA.read_text(encoding="utf-8")
    assert "GeoNames" in coordinates["source"] and "CC BY 4.0" in coordinates["source"]
    ids = re.findall(r"^  ([a-z0-9-]+):", text.split("\nambiguous:")[0], flags=re.M)
    assert len(ids) == len(set(ids)) == len(coordinates["coordinates"])  # (YAML keeps the last of a repeated key)
    assert not coordinates["ambiguous"].keys() & coordinates["coordinates"].keys()
    assert {"capital", "central place", "place", "area"} == {p["basis"] for p in coordinates["coordinates"].values()}
    assert lexicon.coordinates["peru"].lat == str(coordinates["coordinates"]["peru"]["lat"])


def test_an_area_stands_amid_its_members(coordinates, lexicon):
    """An area that is no administrative unit (VRAEM) takes the mean of its members' points: places inside it,
    else the subdivisions it spans, never whole countries; each point comes from GeoNames, not from a curator."""
    points = coordinates["coordinates"]
    areas = {i: p for i, p in points.items() if lexicon.entities[i].type == "GeographicArea"}
    assert {"vraem", "catatumbo", "alto-huallaga"} <= areas.keys()
    for entity_id, point in areas.items():
        assert point["basis"] == "area" and "geonames" not in point and point["of"], entity_id
        members = [points[m] for m in point["of"]]
        assert all(m["basis"] != "area" for m in members)
        assert all(lexicon.entities[m].type != "Country" for m in point["of"])
        assert point["lat"] == pytest.approx(sum(m["lat"] for m in members) / len(members), abs=1e-4)
        assert point["lon"] == pytest.approx(sum(m["lon"] for m in members) / len(members), abs=1e-4)
    # the VRAEM spans five Peruvian departments; a point of theirs lies in the valleys' part of the Andes
    assert set(points["vraem"]["of"]) == {"pe-ayacucho", "pe-cusco", "pe-junin", "pe-huancavelica", "pe-apurimac"}
    assert -14 < points["vraem"]["lat"] < -12 and -75 < points["vraem"]["lon"] < -73
    # Catatumbo is the municipalities of the gazetteer inside it, not the whole of Norte de Santander
    assert "co-tibu" in points["catatumbo"]["of"] and "co-norte-de-santander" not in points["catatumbo"]["of"]
    # an area lying in whole countries only gets none: a mean of capitals says nothing of where it is
    assert "altiplano" not in points and lexicon.entities["altiplano"].located_in


def test_a_seed_articles_regions_have_schema_geo(seed_store, lexicon):
    rows = list(seed_store.query(
        "SELECT ?r ?lat ?lon ?from WHERE { ?article schema:mentions ?r . ?r a/rdfs:subClassOf* kg:Region ; "
        "schema:geo ?g . ?g a schema:GeoCoordinates ; schema:latitude ?lat ; schema:longitude ?lon ; "
        "prov:wasDerivedFrom ?from }"))
    assert rows
    for row in rows:
        point = lexicon.coordinates[row["r"].value[len(KGR):]]
        assert (row["lat"].value, row["lon"].value) == (point.lat, point.lon)
        assert row["lat"].datatype.value.endswith("#decimal")
        assert row["from"].value == f"https://sws.geonames.org/{point.geonames}/"
    assert "peru" in {row["r"].value[len(KGR):] for row in rows}


def test_a_regions_point_goes_with_the_last_article_needing_it(tmp_path, lexicon):
    store = Store(tmp_path / "store")
    build([SEED], store, lexicon)
    assert bool(store.query("ASK { kgr:peru schema:geo ?g . ?g schema:latitude ?l }"))
    remove_article(store, SEED.stem)
    assert not bool(store.query("ASK { ?g a schema:GeoCoordinates }"))


@pytest.fixture(scope="module")
def seeds_map(tmp_path_factory, seeds_store):
    path = tmp_path_factory.mktemp("map") / "map.html"
    return path, write_map(seeds_store, path)


def test_the_map_draws_every_placed_region_offline(open_page, seeds_map, seeds_store):
    path, stats = seeds_map
    page, requests, errors = open_page(path, selector=MAP_DRAWN)
    assert stats["drawn"] >= 10 and stats["unplaced"] >= 1
    assert int(page.evaluate("document.body.dataset.drawn")) == stats["drawn"]
    assert page.locator("#map circle.region").count() == stats["drawn"]
    assert page.locator("#map path.country").count() > 80
    assert page.locator("#panel .unplaced li").count() == stats["unplaced"]
    assert "La Gabarra" in page.inner_text("#panel .unplaced")  # a village GeoNames' populated places lack
    drawn = {page.locator("#map circle.region").nth(i).get_attribute("data-id") for i in range(stats["drawn"])}
    assert {f"{KGR}mx-sonora", f"{KGR}vraem", f"{KGR}catatumbo"} <= drawn  # areas stand amid their members
    assert errors == [] and offsite(requests) == []
    page.close()


def test_clicking_a_region_shows_its_actors_and_sentences(open_page, seeds_map):
    page, _, errors = open_page(seeds_map[0], selector=MAP_DRAWN)
    page.click(f"#map circle.region[data-id='{KGR}mx-sonora']", force=True)
    panel = page.inner_text("#panel")
    assert panel.startswith("Sonora") and "Sinaloa Cartel" in panel and "operatesIn" in panel
    assert page.locator("#panel .evidence blockquote mark").count() >= 1
    assert "2024-08-09" in page.inner_text("#panel .evidence .headline")
    page.dispatch_event(f"#map circle.region[data-id='{KGR}vraem']", "click")  # (Ayacucho's lies on its middle)
    assert page.inner_text("#panel").startswith("VRAEM") and "Shining Path" in page.inner_text("#panel")
    page.click("#panel .unplaced button:text('La Gabarra')")
    assert page.inner_text("#panel").startswith("La Gabarra") and errors == []
    page.close()


def test_the_map_zooms_and_fits(open_page, seeds_map):
    page, _, errors = open_page(seeds_map[0], selector=MAP_DRAWN)
    before = page.get_attribute("#map", "viewBox")
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -300)
    assert page.get_attribute("#map", "viewBox") != before
    page.click("#fit")
    assert page.get_attribute("#map", "viewBox") == before and errors == []
    page.close()


def test_an_actors_map_shows_only_its_regions(seeds_store):
    html, stats = draw_map(seeds_store, focus="Sinaloa Cartel")
    regions = json.loads(re.search(r"const REGIONS = (.*);\n", html).group(1))
    assert stats["drawn"] == len(regions) >= 1
    assert {link["label"] for r in regions for link in r["links"]} == {"Sinaloa Cartel"}


def test_article_text_cannot_inject_markup_in_the_map(open_page, tmp_path, lexicon):
    placed = "between authorities and the Shining Path guerrilla group."
    store = hostile_store(tmp_path, lexicon,
                          (placed, " The Shining Path operates in Ayacucho <img src=x onerror=window.pwned=3>."))
    out = tmp_path / "map.html"
    stats = write_map(store, out)
    assert "<script>window.pwned" not in out.read_text(encoding="utf-8") and stats["drawn"] >= 1
    page, requests, errors = open_page(out, selector=MAP_DRAWN)
    shown = page.evaluate("""() => { let text = "";
        for (const r of [...REGIONS, ...UNPLACED]) {
          showRegion(r, null); text += document.getElementById("panel").innerText;
        }
        return text; }""")
    assert "<script>window.pwned" in shown and "<img src=x onerror" in shown
    assert page.evaluate("window.pwned") is None and page.locator("#panel img, #panel script").count() == 0
    assert errors == [] and offsite(requests) == []
    page.close()


def test_kg_view_map_writes_the_map(seeds_store, tmp_path):
    out = tmp_path / "m.html"
    done = subprocess.run([sys.executable, "-m", "kg", "view", "--store", str(seeds_store.location), "--map",
                           "--focus", "Sinaloa Cartel", "-o", str(out)], capture_output=True, text=True, check=True)
    assert "on the map" in done.stdout and "where the articles place Sinaloa Cartel" in out.read_text(encoding="utf-8")
    failed = subprocess.run([sys.executable, "-m", "kg", "view", "--store", str(seeds_store.location), "--map",
                             "--focus", "Peru", "-o", str(out)], capture_output=True, text=True)
    assert failed.returncode != 0 and "is no actor" in failed.stderr


def test_region_points_reads_only_what_the_store_holds(seeds_store):
    points = region_points(seeds_store, [f"{KGR}mx-sonora", f"{KGR}hn-mocoron", f"{KGR}no-such-place"])
    assert set(points) == {f"{KGR}mx-sonora"}


def test_the_sets_map_links_to_the_actors_and_articles_views(open_page, view_set):
    page, requests, errors = open_page(view_set / "index.html")
    page.click("#views a[href='map.html']")
    page.wait_for_selector("body[data-drawn]", state="attached")
    page.click(f"#map circle.region[data-id='{KGR}mx-sonora']", force=True)
    links = [page.locator("#panel a").nth(i).get_attribute("href").split("#")[0]  # (a sentence's place: #s<offset>)
             for i in range(page.locator("#panel a").count())]
    assert "entity/sinaloa-cartel.html" in links and "article/dev02_sonora-migrant-smuggling.html" in links
    assert all((view_set / link).is_file() for link in links)
    assert errors == [] and offsite(requests) == []
    page.close()


@pytest.mark.parametrize("old, new, message", [
    ("  peru: {lat: -12.04318,", "  peru: {lat: -112.04318,", "coordinates.yaml"),
    ("  peru: {lat:", "  no-such-region: {lat:", "no-such-region: no region of the gazetteer has this id"),
])
def test_a_bad_point_stops_the_load_naming_it(tmp_path, old, new, message):
    import shutil

    from kg.errors import InvalidLexicon
    from kg.knowledge.lexicon import load_lexicon

    root = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), root)
    text = (root / COORDINATES_FILE).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (root / COORDINATES_FILE).write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(InvalidLexicon) as error:
        load_lexicon(root)
    assert message in str(error.value) and "\n" not in str(error.value)
