"""A map of regions: each region the articles place actors in (kg:operatesIn, kg:deployedTo, an event's
kg:place and its agents), drawn at its point (schema:geo) over the countries' outlines, sized by the number of
articles stating it; click a region for its actors and the sentences behind each link.

The page is plain SVG and JavaScript, offline: the outlines (kg/views/static/outlines.json, from countryinfo's
GeoJSON, written by `kg.tools.outlines`) are projected here (equirectangular) and inlined; no tile server.
Like the network views, every text from an article reaches the page as JSON and the DOM through textContent.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from kg import __version__
from kg.errors import KgError
from kg.knowledge.ontology import default_ontology
from kg.network.articles import sentence_anchor
from kg.network.find import find_entity_in_store
from kg.network.geo import region_points
from kg.network.model import load_network
from kg.rdf.quads import article_id
from kg.views.pages import script_json, templates
from kg.views.render import _newest_evidence, entity_slug
from kg.views.styles import default_styles

if TYPE_CHECKING:
    from kg.store.embedded import Store

__all__ = ["OUTLINES", "draw_map", "map_regions", "render_map", "write_map"]

OUTLINES = Path(__file__).parent / "static" / "outlines.json"
SCALE = 10  # SVG units per degree
PLACING = ("operatesIn", "deployedTo")


def project(lat: float, lon: float) -> tuple[float, float]:
    """Equirectangular: a degree of longitude or latitude is SCALE units, north up."""
    return round((lon + 180) * SCALE, 1), round((90 - lat) * SCALE, 1)


@lru_cache(maxsize=1)
def _basemap() -> tuple[str, tuple[dict, ...]]:
    """The outlines' credit and each country's SVG path, projected once per process."""
    data = json.loads(OUTLINES.read_text(encoding="utf-8"))
    shapes = []
    for code, country in data["countries"].items():
        rings = []
        for ring in country["polygons"]:
            points = [project(lat, lon) for lon, lat in ring]
            rings.append("M" + "L".join(f"{x:g} {y:g}" for x, y in points) + "Z")
        shapes.append({"code": code, "name": country["name"], "d": "".join(rings)})
    return data["source"], tuple(shapes)


def _evidence(evidence, article_pages: str | None) -> list[dict]:
    return [{"sentence": e.sentence, "subject_text": e.subject_text, "object_text": e.object_text,
             "headline": e.headline, "date": e.date, "outlet": e.publisher, "rule": e.rule, "entry": e.entry,
             "article": article_id(e.article),
             "href": f"{article_pages}{article_id(e.article)}.html#{sentence_anchor(e.start)}"
             if article_pages is not None and e.article else ""}
            for e in _newest_evidence(evidence)]


def _classes() -> tuple[frozenset[str], frozenset[str]]:
    ontology = default_ontology()
    return ontology.actor_classes, ontology.region_classes


def map_regions(graph: nx.MultiDiGraph, focus: str | None = None,
                article_pages: str | None = None) -> dict[str, dict]:
    """Region IRI -> its label, class, the articles placing actors there (`articles`, a set) and its `links`:
    one per actor placed there (or event with no named actor), with the relation, the event if any, and the
    evidence. With `focus` (an actor's IRI), only that actor's."""
    actors, places = _classes()
    regions: dict[str, dict] = {}

    def add(region: str, actor: str, relation: str, data: dict, event: str = "") -> None:
        if focus and actor != focus:
            return
        entry = regions.setdefault(region, {"label": graph.nodes[region]["label"],
                                            "type": graph.nodes[region]["type"], "articles": set(), "links": []})
        entry["articles"].update(e.article for e in data["evidence"] if e.article)
        entry["links"].append({"actor": actor, "relation": relation, "event": event, "sources": data["sources"],
                               "evidence": _evidence(data["evidence"], article_pages)})

    for s, o, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        kinds = graph.nodes[s]["type"], graph.nodes[o]["type"]
        if key in PLACING and kinds[0] in actors and kinds[1] in places:
            add(o, s, key, data)
        elif key == "place" and kinds[1] in places:  # an event there, and who took part in it
            event = graph.nodes[s]
            what = f"{event['type']} {event.get('date', '')}".strip()
            agents = sorted(a for _, a, k in graph.out_edges(s, keys=True)
                            if k == "agent" and graph.nodes[a]["type"] in actors)
            for agent in agents or [""]:
                add(o, agent, "place of an event", data, what)
    return regions


def render_map(graph: nx.MultiDiGraph, points: dict[str, tuple[float, float]], title: str,
               focus: str | None = None, entity_pages: dict[str, str] | None = None,
               article_pages: str | None = None) -> str:
    """The page: `points` gives the regions' (lat, lon); `entity_pages` maps actors and regions to their own
    view and `article_pages` is the folder of the articles' views (relative URLs), when the map is in a set."""
    regions = map_regions(graph, focus, article_pages)
    drawn, unplaced = [], []
    for iri, region in sorted(regions.items()):
        actors = sorted({link["actor"] for link in region["links"] if link["actor"]})
        item = {"id": iri, "label": region["label"], "type": region["type"], "weight": len(region["articles"]),
                "actors": len(actors), "view": (entity_pages or {}).get(iri),
                "links": [{**link, "label": graph.nodes[link["actor"]]["label"] if link["actor"] else "",
                           "class": graph.nodes[link["actor"]]["type"] if link["actor"] else "",
                           "view": (entity_pages or {}).get(link["actor"])} for link in region["links"]]}
        if iri in points:
            item["x"], item["y"] = project(*points[iri])
            drawn.append(item)
        else:
            unplaced.append(item)
    credit, shapes = _basemap()
    colors = {name: color for name, (color, _) in default_styles().classes.items()}
    return templates().get_template("map.html").render(
        title=title, version=__version__, credit=credit, countries=shapes, drawn=len(drawn),
        unplaced_count=len(unplaced), regions_json=script_json(drawn), unplaced_json=script_json(unplaced),
        colors_json=script_json(colors))


def draw_map(store: Store, focus: str | None = None, graph: nx.MultiDiGraph | None = None,
             entity_pages: dict[str, str] | str | None = None,
             article_pages: str | None = None) -> tuple[str, dict]:
    """The map of the store (or of `graph`, already read from it), or of one actor (`focus`, any of its names):
    the page and its figures (regions drawn, and listed for want of a point). `entity_pages` maps entities to
    their views, or is a folder where every actor's and region's is, `<slug>.html` (`kg serve` draws any)."""
    centre = find_entity_in_store(store, focus) if focus else None
    if graph is None:  # an actor's events are one hop away, their places two
        graph = load_network(store, focus=centre, depth=2) if centre else load_network(store)
    title = "actorgraph: map of regions"
    if centre:
        if centre not in graph:  # (facts with literal objects only)
            raise KgError(f"no entity named '{focus}' has facts in the store")
        if graph.nodes[centre]["type"] not in _classes()[0]:
            raise KgError(f"'{focus}' is no actor: a map shows where an actor is placed")
        title += f": where the articles place {graph.nodes[centre]['label']}"
    if isinstance(entity_pages, str):
        entity_pages = {node: f"{entity_pages}{entity_slug(node)}.html" for node, data in graph.nodes(data=True)
                        if data["type"] in _classes()[0] | _classes()[1]}
    regions = map_regions(graph, centre)
    points = region_points(store, regions)
    html = render_map(graph, points, title, centre, entity_pages, article_pages)
    drawn = len(regions.keys() & points.keys())
    return html, {"regions": len(regions), "drawn": drawn, "unplaced": len(regions) - drawn}


def write_map(store: Store, output: str | Path, focus: str | None = None) -> dict:
    """Write the map (see `draw_map`) to `output`; returns its figures."""
    html, stats = draw_map(store, focus)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(html, encoding="utf-8")
    return stats
