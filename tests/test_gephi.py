"""GraphML and GEXF for Gephi, read back with networkx and lxml: weights, labels, colours, dates, no internal
keys; `kg export -o -` writes to standard output."""

from __future__ import annotations

import io
import subprocess
import sys

import networkx as nx
import pytest
from lxml import etree

from kg.export.graphml import export_network
from kg.network.model import load_network
from kg.views.styles import default_styles

GEXF = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
STYLES = default_styles()
COLORS = {name: color for name, (color, _) in STYLES.classes.items()} | STYLES.relations
CRIMINAL_GROUP = STYLES.of_class("CriminalGroup")[0]
OPERATES_IN = STYLES.of_relation("operatesIn")
SHINING_PATH = "https://w3id.org/actorgraph/id/shining-path"
VRAEM = "https://w3id.org/actorgraph/id/vraem"


@pytest.fixture(scope="module")
def network(seeds_store):
    return load_network(seeds_store)


@pytest.fixture(scope="module")
def files(seeds_store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("gephi")
    for fmt in ("graphml", "gexf"):
        export_network(seeds_store, fmt, folder / f"g.{fmt}", COLORS)
    return folder


def _edge(graph, s, o, predicate):
    return next(d for u, v, d in graph.edges(data=True) if (u, v) == (s, o) and d["label"] == predicate)


def test_graphml_edges_carry_weight_label_colour_and_dates(files, network):
    graph = nx.read_graphml(files / "g.graphml")
    source = network.edges[SHINING_PATH, VRAEM, "operatesIn"]
    edge = _edge(graph, SHINING_PATH, VRAEM, "operatesIn")
    assert edge["weight"] == source["sources"] >= 1
    assert edge["color"] == OPERATES_IN
    assert (edge["first_date"], edge["last_date"]) == (source["dates"][0], source["dates"][-1])
    node = graph.nodes[SHINING_PATH]
    assert node["label"] == "Shining Path" and node["color"] == CRIMINAL_GROUP
    assert node["weight"] == network.nodes[SHINING_PATH]["mentioned"] > 0
    assert node["first_date"] <= node["last_date"]
    weights = [d["weight"] for *_, d in graph.edges(data=True)]
    assert max(weights) > 1, "every edge counted once: the weight is not the number of sources"
    assert graph.number_of_edges() == network.number_of_edges()
    assert len({k for *_, k in graph.edges(keys=True)}) == graph.number_of_edges()  # unique edge ids


def test_gexf_has_viz_colours_timeline_spells_and_no_internal_keys(files, network):
    root = etree.parse(str(files / "g.gexf")).getroot()
    assert b"networkx_key" not in etree.tostring(root)
    assert root.find("g:meta", GEXF).get("lastmodifieddate") is None  # the same store, the same bytes
    titles = {a.get("title") for a in root.iterfind(".//g:attribute", GEXF)}
    assert {"weight", "first_date", "last_date", "predicate"} <= titles and "key" not in titles
    graph = root.find("g:graph", GEXF)
    assert graph.get("timeformat") == "date" and graph.get("mode") == "dynamic"
    node = root.find(f".//g:node[@id='{SHINING_PATH}']", GEXF)
    color = node.find("viz:color", GEXF)
    assert "#" + "".join(f"{int(color.get(c)):02x}" for c in "rgb") == CRIMINAL_GROUP
    assert node.get("label") == "Shining Path" and node.get("start") <= node.get("end")
    edges = [e for e in root.iterfind(".//g:edge", GEXF) if (e.get("source"), e.get("target")) == (SHINING_PATH, VRAEM)
             and e.get("label") == "operatesIn"]
    assert len(edges) == 1
    source = network.edges[SHINING_PATH, VRAEM, "operatesIn"]
    assert int(edges[0].get("weight")) == source["sources"]
    assert (edges[0].get("start"), edges[0].get("end")) == (source["dates"][0], source["dates"][-1])
    assert edges[0].find("viz:color", GEXF) is not None
    back = nx.read_gexf(files / "g.gexf")
    assert back.number_of_edges() == network.number_of_edges()
    assert all("networkx_key" not in d for *_, d in back.edges(data=True))


def test_the_same_store_gives_the_same_bytes(seeds_store, files, tmp_path):
    for fmt in ("graphml", "gexf"):
        again = io.BytesIO()
        export_network(seeds_store, fmt, again, COLORS)
        assert again.getvalue() == (files / f"g.{fmt}").read_bytes()


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "ttl", "nq"])
def test_dash_writes_to_standard_output(seeds_store, tmp_path, fmt):
    done = subprocess.run([sys.executable, "-m", "kg", "export", "--store", str(seeds_store.location), "--format", fmt,
                           "-o", "-"],
                          capture_output=True, cwd=tmp_path, check=True)
    assert not (tmp_path / "-").exists()
    assert done.stdout.startswith(b"<?xml") if fmt in ("gexf", "graphml") else b"shining-path" in done.stdout
    assert b"Wrote" in done.stderr and b"Wrote" not in done.stdout
