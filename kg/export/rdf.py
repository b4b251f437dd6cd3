"""Write the store as RDF files (TriG, N-Quads, Turtle, JSON-LD), sorted so the bytes are reproducible."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.errors import KgError
from kg.store.embedded import Store
from kg.vocab import PREFIXES

__all__ = ["RDF_FORMATS", "export_rdf"]

RDF_FORMATS = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE,
               "jsonld": ox.RdfFormat.JSON_LD}


def export_rdf(store: Store, fmt: str, out: str | Path | BinaryIO) -> int:
    """Write every quad (Turtle: every distinct triple, graphs merged) to a path or a binary stream; returns
    how many were written."""
    if fmt not in RDF_FORMATS:
        raise KgError(f"unknown format '{fmt}'; choose one of {', '.join(RDF_FORMATS)}")
    quads = list(store.quads())
    items: list[ox.Triple] | list[ox.Quad]
    if fmt == "ttl":
        items = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    else:
        items = quads
    if isinstance(out, (str, Path)):
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        out = str(out)
    prefixes = None if fmt == "nq" else PREFIXES
    ox.serialize(items, out, RDF_FORMATS[fmt], prefixes=prefixes)
    return len(items)
