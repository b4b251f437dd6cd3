"""The pages `kg serve` writes itself: the query page, the views page and the SPARQL service description."""

from __future__ import annotations

import textwrap

from kg import __version__
from kg.query.results import FORMATS
from kg.query.run import SavedQuery
from kg.views.pages import script_json, templates
from kg.vocab import KGR, SD, W3C_FORMATS

__all__ = ["query_page", "service_description", "views_page"]


def query_page(saved: dict[str, SavedQuery], start: dict | None = None) -> bytes:
    """The query page; with `start` ({"saved": name, "text": bound text, "notes": [...]}) it shows that query
    and runs it."""
    queries = [{"name": q.name, "description": q.description, "text": q.text} for q in saved.values()]
    return templates().get_template("query.html").render(
        version=__version__, queries_json=script_json(queries), start_json=script_json(start),
        kgr_json=script_json(KGR)).encode()


def views_page() -> bytes:
    """/views/: find an actor or region by name and open its view."""
    return templates().get_template("views.html").render(version=__version__).encode()


def service_description(base: str) -> bytes:
    """What a GET of /sparql without a query answers (SPARQL 1.1 Service Description, in Turtle)."""
    formats = textwrap.fill(", ".join(f"formats:{f.w3c_name}" for f in FORMATS.values()) + " ;", width=110,
                            initial_indent="    sd:resultFormat ", subsequent_indent=" " * 8, break_on_hyphens=False)
    return f"""@prefix sd: <{SD}> .
@prefix formats: <{W3C_FORMATS}> .
<{base}/sparql> a sd:Service ;
    sd:endpoint <{base}/sparql> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
{formats}
    sd:defaultDataset [ a sd:Dataset ] .
""".encode()
