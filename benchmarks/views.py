"""View figures: time to write the whole-graph view and an ego view, file size, and time until headless
Chromium has drawn and settled, for synthetic networks of 100, 1,000 and 5,000 nodes.

    .venv/bin/python benchmarks/views.py [--sizes 100 1000 5000] [--no-browser]

Targets: a 1,000-node view settles in Chromium in under 2 s; an ego view is written in under 1 s.
The networks have the shape `kg.network.load_network` returns (entities of every class, facts with one
piece of evidence each, about 1.6 edges per node), built with a fixed random seed.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx
from chromium import launch, seconds_until

from kg.knowledge.ontology import default_ontology
from kg.network.model import Evidence
from kg.views.render import ego_graph, render_view

PREDICATES = list(default_ontology().links)


def synthetic(n: int, seed: int = 7) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    types = sorted(default_ontology().entity_classes)
    for i in range(n):
        graph.add_node(f"https://w3id.org/actorgraph/id/n{i}", label=f"Entity {i}", type=rng.choice(types),
                       aliases=[f"Alias {i}"], articles={f"a{i % 50}": f"Headline {i % 50}"}, mentioned=1, positions=[],
                       date="")
    nodes = list(graph)
    for i in range(int(n * 1.6)):
        s, o = rng.sample(nodes, 2) if i >= n - 1 else (nodes[i + 1], nodes[rng.randrange(i + 1)])
        ev = Evidence(f"Sentence {i} says that {s[-4:]} is linked to {o[-4:]}.", f"article-a{i % 50}",
                      f"Headline {i % 50}", f"20{10 + i % 15}-01-01", "operates.controls")
        graph.add_edge(s, o, key=rng.choice(PREDICATES), predicate="x", evidence=[ev], sources=1, dates=[ev.date])
    return graph


def settle_time(browser, path: Path) -> float:
    return seconds_until(browser, path, "document.body.dataset.stable === 'true'")[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    browser = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = launch(playwright)
    print(f"{'nodes':>6} {'edges':>6} {'write whole':>12} {'size':>9} {'settle':>8} {'write ego':>10} {'ego nodes':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            graph = synthetic(n)
            started = time.perf_counter()
            html = render_view(graph, f"{n} nodes")
            write_whole = time.perf_counter() - started
            path = Path(tmp) / f"g{n}.html"
            path.write_text(html, encoding="utf-8")
            centre = max(graph, key=graph.degree)
            started = time.perf_counter()
            ego = ego_graph(graph, centre, 1)
            render_view(ego, "ego")
            write_ego = time.perf_counter() - started
            settle = f"{settle_time(browser, path):.2f} s" if browser else "-"
            print(f"{n:>6} {graph.number_of_edges():>6} {write_whole:>10.2f} s {len(html) / 1e6:>7.2f} MB "
                  f"{settle:>8} {write_ego:>8.2f} s {ego.number_of_nodes():>9}")
    if browser:
        browser.close()
        playwright.stop()


if __name__ == "__main__":
    main()
