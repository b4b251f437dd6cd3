"""Which format an answer is sent in: the `format` parameter, else the client's Accept header (by quality,
then order), else SPARQL results JSON and Turtle. Names and media types come from kg.query.results.FORMATS."""

from __future__ import annotations

from kg.query.results import FORMATS, GRAPH, SELECT

__all__ = ["negotiate"]

_BY_NAME = {name: f for f in FORMATS.values() for name in (f.name, *f.aliases)}
_BY_MEDIA = {media: f for f in FORMATS.values() for media in (f.media_type, *f.media_aliases)}
_DEFAULT = {SELECT: "json", GRAPH: "ttl"}


def negotiate(accept: str, explicit: str | None) -> tuple[str, str]:
    """(format for SELECT/ASK, format for CONSTRUCT/DESCRIBE) from a `format` parameter or the Accept header."""
    chosen = dict(_DEFAULT)
    named = _BY_NAME.get(explicit.lower()) if explicit else None
    if named:
        chosen[named.kind] = named.name
        return chosen[SELECT], chosen[GRAPH]
    found: set[str] = set()
    for media in _ranked(accept):
        offered = _BY_MEDIA.get(media)
        if offered and offered.kind not in found:
            chosen[offered.kind] = offered.name
            found.add(offered.kind)
    return chosen[SELECT], chosen[GRAPH]


def _ranked(accept: str) -> list[str]:
    """The media types of an Accept header, the highest quality first, in their order among equals."""
    ranked = []
    for index, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = next((float(p[2:]) for p in params if p.startswith("q=") and _number(p[2:])), 1.0)
        ranked.append((-quality, index, media.lower()))
    return [media for _, _, media in sorted(ranked)]


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False
