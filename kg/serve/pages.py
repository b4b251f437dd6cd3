"""The pages `kg serve` writes itself: the query page, the views page and the SPARQL service description."""

from __future__ import annotations

import textwrap

from kg import __version__
from kg.knowledge.ontology import default_ontology
from kg.query.results import FORMATS
from kg.query.run import SavedQuery, unbound_names
from kg.views.pages import editor_code, script_json, templates
from kg.vocab import KGR, PREFIXES, SD, W3C_FORMATS

__all__ = ["query_page", "service_description", "views_page"]


def query_page(saved: dict[str, SavedQuery], start: dict | None = None) -> bytes:
    """The query page: a SPARQL editor (CodeMirror, inlined) with the predeclared prefixes and the ontology's
    names to complete, and the saved queries with a field for each name they look up (`unbound_names`). With
    `start` ({"saved": name, "bindings": {var: value}, "text": bound text, "notes": [...]}) it shows that
    query and runs it."""
    queries = [{"name": q.name, "description": q.description, "text": q.text,
                "parameters": unbound_names(q.text, {})} for q in saved.values()]
    ontology = default_ontology()
    terms = sorted(f"kg:{name}" for name in {*ontology.classes, *ontology.properties})
    editor_js, editor_css = editor_code()
    return templates().get_template("query.html").render(
        version=__version__, queries_json=script_json(queries), start_json=script_json(start),
        kgr_json=script_json(KGR), prefixes_json=script_json(PREFIXES), terms_json=script_json(terms),
        editor_js=editor_js, editor_css=editor_css).encode()


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
