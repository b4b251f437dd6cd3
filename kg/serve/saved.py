"""The saved queries over HTTP: their catalogue, and one bound from a URL's parameters as `kg query --bind`
binds them (/queries/why?from=Shining+Path&to=VRAEM), a page of its rows with `limit` and `offset` as `kg query
--limit --offset` (/queries/timeline?limit=100&offset=200)."""

from __future__ import annotations

import json
import urllib.parse

from kg.errors import QueryError
from kg.query.run import SavedQuery, bind, page, parse_bindings, unused_bindings

__all__ = ["bound", "catalogue", "pages", "paging", "pairs"]

_NOT_BINDINGS = ("format", "limit", "offset")


def catalogue(saved: dict[str, SavedQuery]) -> bytes:
    """GET /queries: each saved query's name, what it answers, its URL and its text, as JSON."""
    return json.dumps([{"name": q.name, "description": q.description, "url": f"/queries/{q.name}", "text": q.text}
                       for q in saved.values()], ensure_ascii=False, indent=1).encode()


def bound(saved: dict[str, SavedQuery], name: str, params: dict[str, list[str]], paged: bool = True) -> tuple[int, str]:
    """(200, the text of saved query `name` with the URL's parameters but `format`, `limit` and `offset` bound,
    limited to the page these two ask for unless not `paged`), or (404 or 400, why not)."""
    if name not in saved:
        return 404, f"No saved query '{name}'; known: {', '.join(saved)} (GET /queries describes them)."
    try:
        bindings = parse_bindings(pairs(params))
    except QueryError as exc:
        return 400, str(exc).replace("--bind ", "", 1)
    unused = unused_bindings(saved[name].text, bindings)
    if unused:
        return 400, f"The saved query '{name}' uses no " + ", ".join(f"?{var}" for var in unused) + \
            ": its text is under GET /queries."
    try:
        limit, offset = paging(params)
    except ValueError:
        return 400, "limit must be a whole number of 1 or more, offset one of 0 or more."
    text = bind(saved[name].text, bindings)
    return 200, page(text, limit, offset) if paged else text


def paging(params: dict[str, list[str]]) -> tuple[int | None, int]:
    """The URL's `limit` (None: no page) and `offset`; ValueError for one out of range."""
    limit = int(params["limit"][-1]) if params.get("limit") else None
    offset = int(params["offset"][-1]) if params.get("offset") else 0
    if (limit is not None and limit < 1) or offset < 0:
        raise ValueError(limit, offset)
    return limit, offset


def pages(path: str, params: dict[str, list[str]]) -> dict[str, str]:
    """A paged answer's Link header: the next page and, past the first, the previous one (none unpaged)."""
    limit, offset = paging(params)
    if limit is None:
        return {}

    def at(start: int) -> str:
        query = {**{k: v[-1] for k, v in params.items()}, "limit": str(limit), "offset": str(start)}
        return f"<{path}?{urllib.parse.urlencode(sorted(query.items()))}>"

    links = [f'{at(offset + limit)}; rel="next"'] + ([f'{at(max(0, offset - limit))}; rel="prev"'] if offset else [])
    return {"Link": ", ".join(links)}


def pairs(params: dict[str, list[str]]) -> list[str]:
    """The URL's parameters but `format`, `limit` and `offset` as `kg query --bind` pairs: VAR=VALUE, the last
    value of each."""
    return [f"{var}={values[-1]}" for var, values in sorted(params.items()) if var not in _NOT_BINDINGS]
