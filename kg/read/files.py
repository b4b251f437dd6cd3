"""Article files: which files a source names, how their bytes become text, and each file's article id.

The one entry point, `read_article`, sends a page to the HTML reader and anything else to the text reader.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from kg.errors import InvalidArticle
from kg.knowledge.dates import DateRules
from kg.knowledge.layout import Layout
from kg.model import Article
from kg.read.text import read_text
from kg.text import slug

__all__ = ["ARTICLE_SUFFIXES", "article_files", "decode", "file_digest", "read_article", "slug_id"]

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


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
        from kg.read.html import read_html

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

