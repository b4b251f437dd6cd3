"""The build: article files -> read -> extract -> RDF -> store, one transaction per article.

A bad file is reported and skipped; the other files of the same build still go in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from pyoxigraph import NamedNode

from .errors import InvalidArticle, KgError
from .extract import extract
from .lexicon import Lexicon
from .model import Extraction
from .rdf import article_iri, content_hash, curation_quads, extraction_quads, kg, ontology_quads
from .read import article_files, read_article
from .store import Store
from .validate import check_article
from .vocab import CURATION_GRAPH, ONTOLOGY_GRAPH

__all__ = ["BuildReport", "build", "extract_file"]

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What a build did: articles written or unchanged, and the files it could not read."""

    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    entities: int = 0
    facts: int = 0
    events: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def extract_file(path: str | Path, lexicon: Lexicon) -> Extraction:
    """Read and extract one article file, no store involved."""
    return extract(read_article(path, lexicon.layout, lexicon.dates), lexicon)


def build(sources: Iterable[str | Path], store: Store, lexicon: Lexicon,
          progress: Callable[[Path], None] | None = None) -> BuildReport:
    """Build every article of `sources` into `store`, replacing each article's named graph."""
    report = BuildReport()
    store.replace_graph(NamedNode(ONTOLOGY_GRAPH), ontology_quads(lexicon))
    store.replace_graph(NamedNode(CURATION_GRAPH), curation_quads(lexicon))
    files: list[Path] = []
    for source in sources:
        try:
            files.extend(article_files([source]))
        except InvalidArticle as exc:
            report.errors.append(str(exc))
    for path in files:
        if progress:
            progress(path)
        try:
            extraction = extract_file(path, lexicon)
        except InvalidArticle as exc:
            report.errors.append(str(exc))
            continue
        report.warnings.extend(extraction.article.warnings)
        graph = article_iri(extraction.article.id)
        if store.graph_value(graph, graph, kg("contentHash")) == content_hash(extraction, lexicon):
            report.unchanged.append(extraction.article.id)
            continue
        quads = extraction_quads(extraction, lexicon)
        violations = check_article(quads, lexicon.ontology)
        if violations:
            more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
            report.errors.append(f"{path}: not written, its graph does not conform to ontology/shapes.ttl: "
                                 f"{violations[0]}{more}")
            continue
        try:
            store.replace_graph(graph, quads)
        except KgError as exc:
            report.errors.append(f"{path}: {exc}")
            continue
        report.built.append(extraction.article.id)
        report.entities += len(extraction.entities)
        report.facts += len(extraction.facts) + len(extraction.cited_outlets)
        report.events += len(extraction.events)
    store.flush()
    return report
