"""What every page is made from: the page templates (templates/), JSON that is safe inside a <script>, the
vendored vis-network (lib/: its version and checksums in lib/VERSION, its licence in lib/LICENSE) and the
network views' own script (templates/view.js) that views carry or load, and the vendored CodeMirror of the
query editor (lib/codemirror/, likewise), so nothing is fetched from a CDN."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from kg.vocab import GRAPHML, SVG

__all__ = ["script_json", "templates", "vis_library", "VIS_FILES", "VIEW_SCRIPT", "LIB_FILES", "library_file",
           "view_script", "EDITOR_SCRIPTS", "EDITOR_STYLES", "editor_code"]

VIS_FILES = ("vis-network.min.js", "vis-network.css")
VIEW_SCRIPT = "view.js"  # the network views' panels, legend, find, filters, expanding, exports and reader
LIB_FILES = (*VIS_FILES, VIEW_SCRIPT)  # what a page of a set loads from its lib/ folder
EDITOR_SCRIPTS = ("codemirror.js", "sparql.js", "show-hint.js")  # in this order: the others extend the first
EDITOR_STYLES = ("codemirror.css", "show-hint.css")


def script_json(data) -> Markup:
    """JSON safe inside a <script>: no '<' can close the tag or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@lru_cache(maxsize=1)
def templates() -> Environment:
    """The package's page templates, loaded once: each template is compiled on first use, not for every view
    of a set of thousands."""
    return Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True)


def vis_library() -> Path:
    """The folder of the vendored vis-network (`VIS_FILES`), which views load or carry."""
    return Path(__file__).parent / "lib"


@lru_cache(maxsize=1)
def view_script() -> Markup:
    """The script every network view runs over the data its page declares: written once into a set's lib/,
    inlined into a single view."""
    return Markup(templates().get_template(VIEW_SCRIPT).render(
        namespaces_json=script_json({"SVG": SVG, "GRAPHML": GRAPHML})))


def library_file(name: str) -> bytes:
    """One of `LIB_FILES`, as a set's lib/ folder (or `kg serve`'s) holds it."""
    if name == VIEW_SCRIPT:
        return view_script().encode("utf-8")
    if name not in VIS_FILES:
        raise KeyError(name)
    return (vis_library() / name).read_bytes()


@lru_cache(maxsize=1)
def editor_code() -> tuple[Markup, Markup]:
    """The query editor's scripts and styles (CodeMirror with its SPARQL mode and completion), to inline."""
    folder = vis_library() / "codemirror"
    scripts, styles = ("\n".join((folder / name).read_text(encoding="utf-8") for name in names)
                       for names in (EDITOR_SCRIPTS, EDITOR_STYLES))
    return Markup(scripts), Markup(styles)
