"""The saved queries over HTTP: their catalogue, and one bound from a URL's parameters as `kg query --bind`
binds them (/queries/why?from=Shining+Path&to=VRAEM)."""

from __future__ import annotations

import json

from kg.errors import QueryError
from kg.query.run import SavedQuery, bind, parse_bindings, unused_bindings

__all__ = ["bound", "catalogue", "pairs"]


def catalogue(saved: dict[str, SavedQuery]) -> bytes:
    """GET /queries: each saved query's name, what it answers, its URL and its text, as JSON."""
    return json.dumps([{"name": q.name, "description": q.description, "url": f"/queries/{q.name}", "text": q.text}
                       for q in saved.values()], ensure_ascii=False, indent=1).encode()


def bound(saved: dict[str, SavedQuery], name: str, params: dict[str, list[str]]) -> tuple[int, str]:
    """(200, the text of saved query `name` with the URL's parameters but `format` bound), or (404 or 400,
    why not)."""
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
    return 200, bind(saved[name].text, bindings)


def pairs(params: dict[str, list[str]]) -> list[str]:
    """The URL's parameters but `format` as `kg query --bind` pairs: VAR=VALUE, the last value of each."""
    return [f"{var}={values[-1]}" for var, values in sorted(params.items()) if var != "format"]
