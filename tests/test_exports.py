"""exports/ is what a fresh build of seeds/ writes, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.export.rdf import export_rdf
from kg.views.sets import write_views

EXPORTS = Path(__file__).resolve().parent.parent / "exports"


@pytest.mark.parametrize("fmt, name", [("trig", "graph.trig"), ("ttl", "graph.ttl"), ("jsonld", "graph.jsonld")])
def test_rdf_exports_match_a_fresh_build(seeds_store, tmp_path, fmt, name):
    out = tmp_path / name
    export_rdf(seeds_store, fmt, out)
    assert out.read_bytes() == (EXPORTS / name).read_bytes(), f"exports/{name} is stale: run `make exports`"


def test_views_match_a_fresh_build(seeds_store, tmp_path):
    write_views(seeds_store, tmp_path)
    fresh = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(EXPORTS / "views") for p in (EXPORTS / "views").rglob("*") if p.is_file())
    assert fresh == committed, "run `make exports`"
    for name in fresh:
        assert (tmp_path / name).read_bytes() == (EXPORTS / "views" / name).read_bytes(), f"{name}: run `make exports`"


def test_exports_round_trip(tmp_path):
    import pyoxigraph as ox

    trig = list(ox.parse(path=str(EXPORTS / "graph.trig"), format=ox.RdfFormat.TRIG))
    jsonld = list(ox.parse(path=str(EXPORTS / "graph.jsonld"), format=ox.RdfFormat.JSON_LD))
    assert sorted(map(str, trig)) == sorted(map(str, jsonld))
