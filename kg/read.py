"""Read article files into `Article` records: decode, find headline, byline, body and analysis.

Only the body and the analysis become paragraphs; navigation, "SEE ALSO" lines, donate and licence blurbs,
related-content teasers and "About" items stay out, so they yield no facts and no mentions.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, Iterator

from .dates import DateRules, parse_day_month_year
from .errors import InvalidArticle
from .model import Article, Paragraph
from .text import slug

__all__ = ["Layout", "read_article", "decode", "article_files", "file_digest", "slug_id", "ARTICLE_SUFFIXES"]

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


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
    def from_data(cls, data: dict) -> "Layout":
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


def decode(raw: bytes, name: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else Windows-1252, else Latin-1; binary is refused."""
    if not raw.strip():
        raise InvalidArticle(f"{name}: empty file")
    head = raw[:8192]
    if b"\x00" in head:
        raise InvalidArticle(f"{name}: binary file, not an article")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text[:8192]) // 50):
        raise InvalidArticle(f"{name}: binary file, not an article")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def article_files(sources: Iterable[str | Path]) -> Iterator[Path]:
    """The article files named or contained (recursively, sorted) in `sources`; a missing path is an error."""
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
            if not found:
                raise InvalidArticle(f"{path}: no articles (.txt or .html files) in this folder")
            yield from found
        elif path.is_file():
            yield path
        else:
            raise InvalidArticle(f"{path}: no such file or folder")


def read_article(path: str | Path, layout: Layout, dates: DateRules) -> Article:
    """Read one .txt or .html article file."""
    path = Path(path)
    if not path.is_file():
        raise InvalidArticle(f"{path}: no such file")
    size = path.stat().st_size
    if size > layout.max_bytes:
        raise InvalidArticle(f"{path}: too large for a news article ({size / 1e6:.1f} MB; the limit is "
                             f"{layout.max_bytes / 1e6:.0f} MB, set in ontology/reader.yaml)")
    raw = path.read_bytes()
    text = decode(raw, str(path))
    if path.suffix.lower() in (".html", ".htm"):
        from .html import read_html  # lxml loads only for HTML

        article = read_html(path, text, layout, dates)
    else:
        article = read_text(text, article_id=slug_id(path), source=str(path), layout=layout, dates=dates)
    article = replace(article, digest=file_digest(raw))
    latest = date.today() + timedelta(days=layout.max_future_days)
    if article.published and article.published > latest:
        article = replace(article, published=None, warnings=article.warnings + (
            f"{path}: publication date {article.published} lies in the future; built without it",))
    return article


def file_digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def slug_id(path: Path) -> str:
    """An article's id: its file name without suffix, made IRI-safe."""
    stem = path.stem
    return stem if re.fullmatch(r"[A-Za-z0-9_.-]+", stem) else slug(stem)


def read_text(text: str, article_id: str, source: str, layout: Layout, dates: DateRules) -> Article:
    """Parse the text layout of the seeds; a text without that layout is read as one body."""
    lines = lines_of(text)
    byline_at = next((i for i, (_, _, line) in enumerate(lines) if layout.byline.match(line.strip())), None)
    headline = topic = author = None
    published = None
    if byline_at is not None:
        m = layout.byline.match(lines[byline_at][2].strip())
        topic = m.group("topic").strip()
        published = parse_day_month_year(m.group("date"), dates)
        author = _title_case(m.group("author")) if m.group("author") else None
        before = [line.strip() for _, _, line in lines[:byline_at] if line.strip()]
        candidates = [b for b in before if b not in layout.kicker_lines]
        headline = candidates[-1] if candidates else None
        first_content = byline_at + 1
    else:
        first_content = 0
    if headline is None:
        first_line = next((i for i, (_, _, line) in enumerate(lines) if line.strip()), 0)
        headline = _strip_nav(lines[first_line][2].strip(), layout)
        first_content = first_line + 1 if byline_at is None else first_content
    paragraphs = content_paragraphs(lines[first_content:], layout)
    if not paragraphs:
        raise InvalidArticle(f"{source}: no article text found")
    return Article(id=article_id, source=source, text=text, paragraphs=tuple(paragraphs), headline=headline,
                   published=published, author=author, topic=_title_case(topic) if topic else None,
                   publisher=layout.publisher if byline_at is not None else None)


def content_paragraphs(lines: list[tuple[int, int, str]], layout: Layout) -> list[Paragraph]:
    """Body and analysis paragraphs among (start, end, line) rows, up to the first end marker."""
    paragraphs: list[Paragraph] = []
    section = "body"
    for start, _end, line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if any(stripped.startswith(marker) for marker in layout.end_markers):
            break
        if stripped in layout.analysis_headings:
            section = "analysis"
            continue
        if stripped.startswith(layout.skip_line_prefixes):
            continue
        lead = len(line) - len(line.lstrip())
        paragraphs.append(Paragraph(start + lead, start + lead + len(stripped), section))
    return paragraphs


def lines_of(text: str) -> list[tuple[int, int, str]]:
    """(start, end, line) for every line of the text."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _strip_nav(line: str, layout: Layout) -> str:
    for prefix in layout.nav_prefixes:
        if line.startswith(prefix) and len(line) > len(prefix):
            return line[len(prefix):].strip()
    return line


def _title_case(text: str) -> str:
    """Bylines are upper case ("TRISTAN CLAVEL"); names read better as "Tristan Clavel"."""
    if not text.isupper():
        return text.strip()
    return " ".join(w.capitalize() if len(w) > 2 or w.isalpha() else w for w in text.strip().split())
