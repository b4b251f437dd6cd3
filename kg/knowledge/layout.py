"""The text layout of saved pages, as ontology/reader.yaml curates it: what is navigation, byline, body,
analysis and teaser. Reading applies it; it lives here because it is curated data, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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

    @classmethod
    def from_data(cls, data: dict) -> Layout:
        return cls(nav_prefixes=tuple(sorted(data["nav_prefixes"], key=len, reverse=True)),
                   kicker_lines=frozenset(data.get("kicker_lines", ())),
                   byline=re.compile(data["byline"]),
                   analysis_headings=frozenset(data["analysis_headings"]),
                   skip_line_prefixes=tuple(data.get("skip_line_prefixes", ())),
                   end_markers=tuple(data.get("end_markers", ())),
                   teaser_line=re.compile(data["teaser_line"]),
                   publisher=data.get("publisher"),
                   abbreviations=frozenset(data.get("abbreviations", ())),
                   max_bytes=int(data.get("max_bytes", 10_000_000)),
                   max_sentence_chars=int(data.get("max_sentence_chars", 2000)),
                   max_future_days=int(data.get("max_future_days", 2)))

