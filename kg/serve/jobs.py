"""What a worker process does with the store (see kg.serve.pool): answer a query, give the notes on a saved
query's bindings, choose a page of a saved query's rows, draw a view or find an entity's page. Each job returns an
`Answer`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from kg.errors import KgError
from kg.query.results import write_result
from kg.query.run import SavedQuery, binding_notes, parse_bindings, stale_summaries
from kg.query.run import page as page_of

__all__ = ["HTML", "JOBS", "TEXT", "Answer"]

TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Answer:
    """A worker's answer: HTTP status, body and its content type, and whether rows past the cap were left out."""

    status: int
    body: bytes
    content_type: str
    truncated: bool = False
    retry_after: bool = False  # a 503 the client may retry shortly


def answer_query(store, query: str, default_graphs: list[str], named_graphs: list[str], select_format: str,
                 graph_format: str, max_rows: int) -> Answer:
    """A query's answer in the negotiated format, at most `max_rows` rows; 400 for a query that does not parse,
    409 for one of the summaries graph when the store's summaries are of another shape (`stale_summaries`)."""
    try:
        if stale := stale_summaries(store, query):
            return Answer(409, f"The summaries cannot answer: {stale}.".encode(), TEXT)
        result = store.query(query, default_graphs=default_graphs, named_graphs=named_graphs)
        written = write_result(result, select_format, graph_format, max_rows)
    except SyntaxError as exc:
        return Answer(400, f"Malformed query: {exc}".encode(), TEXT)
    except OSError as exc:  # the store's files: a build swapped a new store in and the old one's went
        return Answer(503, f"The store could not be read ({exc}); it was probably built again while this query "
                           f"ran: retry, and the new build answers.".encode(), TEXT, retry_after=True)
    except Exception as exc:  # noqa: BLE001 (the engine's own failures go back to the client as 500)
        return Answer(500, f"Query failed: {exc}".encode(), TEXT)
    return Answer(200, written.body, f"{written.format.media_type}; charset=utf-8", written.truncated)


def binding_notes_of(store, saved: SavedQuery, pairs: list[str]) -> Answer:
    """The notes on a saved query's bindings that `kg query` prints (see `binding_notes`), and for one that reads
    the summaries why they cannot answer (`kg query` fails with it), as a JSON list."""
    notes = binding_notes(store, saved, parse_bindings(pairs))
    if stale := stale_summaries(store, saved.text):
        notes.append(stale)
    return Answer(200, json.dumps(notes).encode(), "application/json")


def paged(store, text: str, limit: int | None, offset: int) -> Answer:
    """The text of a page of a saved query's rows (see `kg.query.run.page`): the timeline's page is chosen on
    the store's counts of events per month."""
    return Answer(200, page_of(text, limit, offset, store).encode(), TEXT)


def draw(store, page: str, name: str) -> Answer:
    """A view drawn from the store when it is asked for (`page` "entity": the ego view of the entity whose IRI
    ends in `name`; "article": an article's view; "map": the map of regions), or (`page` "find") the page
    name of the entity called `name`. An entity or article not in the store is a 404 that says so."""
    from kg.network.find import find_entity_in_store
    from kg.views.render import draw_view, entity_slug
    from kg.vocab import KGR

    hint = " (/views/ finds one by name or alias)"
    try:
        if page == "find":
            return Answer(200, entity_slug(find_entity_in_store(store, name)).encode(), TEXT)
        if page == "data":  # what a view loads to expand the entity in place
            script, _ = draw_view(store, focus=KGR + name, depth=1, entity_pages="../entity/", query_page="/",
                                  article_pages="../article/", expand_pages="", data=True)
            return Answer(200, script.encode(), "text/javascript; charset=utf-8")
        if page == "map":
            from kg.views.map import draw_map

            html, _ = draw_map(store, entity_pages="entity/", article_pages="article/")
        elif page == "entity":
            html, _ = draw_view(store, focus=KGR + name, depth=1, entity_pages="", lib="../lib", query_page="/",
                                article_pages="../article/", expand_pages="../data/")
        else:
            html, _ = draw_view(store, article=name, entity_pages="../entity/", lib="../lib", query_page="/",
                                article_pages="", expand_pages="../data/")
    except KgError as exc:
        missing = f"no entity with id '{name}' has facts in the store{hint}"
        message = {"find": f"{exc}{hint}", "entity": missing, "data": missing}
        return Answer(404, message.get(page, str(exc)).encode(), TEXT)
    return Answer(200, html.encode(), HTML)


JOBS: dict[str, Callable[..., Answer]] = {"query": answer_query, "notes": binding_notes_of, "page": paged,
                                         "view": draw}
