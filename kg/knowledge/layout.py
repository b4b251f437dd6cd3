"""The text layout of saved pages, as ontology/reader.yaml curates it: what is navigation, byline, body,
analysis and teaser. Reading applies it; it lives here because it is curated data, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.knowledge.schemas import ReaderFile

__all__ = ["Layout"]


@dataclass(frozen=True)
class Layout:
    """The text layout of saved pages (ontology/reader.yaml)."""

    nav_prefixes: tuple[str, ...]
    kicker_lines: frozenset[str]
    byline: re.Pattern[str]
    analysis_headings: frozenset[str]
    skip_line_prefixes: tuple[str, ...]
    end_markers: tuple[str, ...]
    teaser_line: re.Pattern[str]
    publisher: str | None
    abbreviations: frozenset[str]
    max_bytes: int = 10_000_000
    max_sentence_chars: int = 2000
    max_future_days: int = 2
    url_line: re.Pattern[str] | None = None
    credit_line: re.Pattern[str] | None = None  # a photo credit or caption line: page furniture, no content
    dateline: re.Pattern[str] | None = None  # a page's date (and author) when it has no byline
    dateline_lines: int = 12
    end_lines: frozenset[str] = frozenset()  # a heading line that ends the article, matched whole, in lower case
    menu_line: re.Pattern[str] | None = None  # a masthead's or a menu's list of short items

    @classmethod
    def from_spec(cls, spec: ReaderFile) -> Layout:
        return cls(nav_prefixes=tuple(sorted(spec.nav_prefixes, key=len, reverse=True)),
                   kicker_lines=frozenset(spec.kicker_lines), byline=re.compile(spec.byline),
                   analysis_headings=frozenset(spec.analysis_headings),
                   skip_line_prefixes=tuple(spec.skip_line_prefixes), end_markers=tuple(spec.end_markers),
                   teaser_line=re.compile(spec.teaser_line), publisher=spec.publisher,
                   abbreviations=frozenset(spec.abbreviations), max_bytes=spec.max_bytes,
                   max_sentence_chars=spec.max_sentence_chars, max_future_days=spec.max_future_days,
                   url_line=re.compile(spec.url_line) if spec.url_line else None,
                   credit_line=re.compile(spec.credit_line) if spec.credit_line else None,
                   dateline=re.compile(spec.dateline) if spec.dateline else None, dateline_lines=spec.dateline_lines,
                   end_lines=frozenset(line.lower() for line in spec.end_lines),
                   menu_line=re.compile(spec.menu_line) if spec.menu_line else None)

