"""exports/ is what a fresh build of seeds/ writes, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
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


@pytest.mark.parametrize("fmt, syntax", [("trig", ox.RdfFormat.TRIG), ("jsonld", ox.RdfFormat.JSON_LD),
                                         ("ttl", ox.RdfFormat.TURTLE)])
def test_an_export_gives_back_every_statement_of_the_store(seeds_store, tmp_path, fmt, syntax):
    """What a reader of exports/ parses is what the store holds (Turtle has no graphs: its triples merged)."""
    out = tmp_path / f"graph.{fmt}"
    export_rdf(seeds_store, fmt, out)
    back = sorted(map(str, ox.parse(path=str(out), format=syntax)))
    if syntax == ox.RdfFormat.TURTLE:
        assert back == sorted({str(ox.Triple(q.subject, q.predicate, q.object)) for q in seeds_store.quads()})
    else:
        assert back == sorted(map(str, seeds_store.quads()))
