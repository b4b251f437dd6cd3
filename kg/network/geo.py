"""The regions' points (schema:geo) as the store holds them, for the map."""

from __future__ import annotations

from collections.abc import Iterable

from kg.query.run import values_blocks
from kg.store.embedded import Store

__all__ = ["region_points"]

_POINTS = """SELECT ?e ?lat ?lon WHERE { %s ?e schema:geo ?g . ?g schema:latitude ?lat ; schema:longitude ?lon }"""


def region_points(store: Store, iris: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Each of these regions' (latitude, longitude), for those that have one."""
    points = {}
    for block in values_blocks("e", sorted(set(iris))):
        for row in store.query(_POINTS % block):
            points[row["e"].value] = (float(row["lat"].value), float(row["lon"].value))
    return points
