"""Map figures: time to write a map of N regions, its size, and time until headless Chromium has drawn it.

    .venv/bin/python benchmarks/map.py [--sizes 100 500 2000] [--no-browser]

Target: a map of 500 regions is drawn in Chromium in under 2 s (from navigation to the first frame with
every region drawn). The regions are synthetic, scattered over the Americas with a fixed random seed, each
with one to five actors placed there by one sentence each, in the shape `kg.network.load_network` returns.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx
from chromium import launch, seconds_until

from kg.network.model import Evidence
from kg.views.map import render_map

ID = "https://w3id.org/actorgraph/id/"


def synthetic(regions: int, seed: int = 7) -> tuple[nx.MultiDiGraph, dict[str, tuple[float, float]]]:
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    actors = [f"{ID}actor-{i}" for i in range(max(10, regions // 3))]
    for i, actor in enumerate(actors):
        graph.add_node(actor, label=f"Group {i}", type=rng.choice(["CriminalGroup", "SecurityForce", "Person"]),
                       aliases=[], articles={}, mentioned=1, positions=[], date="")
    points = {}
    for i in range(regions):
        region = f"{ID}region-{i}"
        graph.add_node(region, label=f"Region {i}", type=rng.choice(["AdministrativeArea", "Country"]), aliases=[],
                       articles={}, mentioned=1, positions=[], date="")
        points[region] = (rng.uniform(-50, 45), rng.uniform(-115, -35))
        for actor in rng.sample(actors, rng.randint(1, 5)):
            ev = Evidence(f"Sentence saying that {actor[-8:]} operates in region {i}.", f"{ID}article-a{i % 80}",
                          f"Headline {i % 80}", f"20{10 + i % 15}-01-01", "operates.in", "Group", f"region {i}")
            graph.add_edge(actor, region, key="operatesIn", predicate="operatesIn", evidence=[ev], sources=1,
                           dates=[ev.date])
    return graph, points


def draw_time(browser, path: Path) -> tuple[float, int]:
    elapsed, drawn = seconds_until(browser, path, "document.body.dataset.drawn !== undefined",
                                   "document.body.dataset.drawn")
    return elapsed, int(drawn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            graph, points = synthetic(size)
            started = time.perf_counter()
            html = render_map(graph, points, f"{size} regions")
            written = time.perf_counter() - started
            path = Path(folder) / f"map-{size}.html"
            path.write_text(html, encoding="utf-8")
            rows.append([size, written, path.stat().st_size, path])
        if not args.no_browser:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = launch(p)
                for row in rows:
                    row.extend(draw_time(browser, row[3]))
                browser.close()
        print(f"{'regions':>8} {'write (s)':>10} {'size (KB)':>10} {'drawn':>6} {'draw (s)':>9}")
        for size, written, nbytes, _, *browser_figures in rows:
            seconds, drawn = browser_figures or (float("nan"), 0)
            print(f"{size:>8} {written:>10.3f} {nbytes / 1024:>10.0f} {drawn:>6} {seconds:>9.3f}")


if __name__ == "__main__":
    main()
