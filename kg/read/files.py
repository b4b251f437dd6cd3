"""Article files: which files a source names, how their bytes become text, and each file's article id.

The one entry point, `read_article`, sends a page to the HTML reader and anything else to the text reader.
An article's id comes from its path inside the folder it was found in (`x/report.txt` is `x-report`), its name
transliterated to Latin letters when it has none (`Россия.txt` is `rossiya`), so that two files never take
the same id unnoticed: `source_files` names both when they would.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from kg.errors import InvalidArticle
from kg.knowledge.dates import DateRules
from kg.knowledge.layout import Layout
from kg.model import Article
from kg.read.text import read_text
from kg.text import slug

__all__ = ["ARTICLE_SUFFIXES", "SourceFiles", "article_files", "decode", "file_digest", "read_article", "slug_id",
           "source_files"]

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
_SAFE_ID = re.compile(r"[A-Za-z0-9_.-]+")

log = logging.getLogger("kg.read")


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
            found = sorted(p for p in _inside(path) if p.suffix.lower() in ARTICLE_SUFFIXES)
            if not found:
                raise InvalidArticle(f"{path}: no articles (.txt or .html files) in this folder")
            yield from found
        elif path.is_file():
            yield path
        else:
            raise InvalidArticle(f"{path}: no such file or folder")


def _inside(folder: Path, skipped: list[str] | None = None) -> Iterator[Path]:
    """The files under `folder`, but those reached by a symbolic link that leads out of it (a link to
    /etc/passwd is no article), each such link noted in `skipped`."""
    root = folder.resolve()
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if path.is_symlink() or any(p.is_symlink() for p in path.relative_to(folder).parents if p != Path(".")):
            target = path.resolve()
            if root not in target.parents:
                note = f"{path}: skipped, a symbolic link to {target}, outside {folder}"
                if skipped is not None:
                    skipped.append(note)
                else:
                    log.warning(note)
                continue
        yield path


@dataclass
class SourceFiles:
    """The article files of some sources, each with its id, and what could not be taken: a missing source, two
    files that would take the same id (errors), a link out of its folder (a warning)."""

    files: list[tuple[Path, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def source_files(sources: Iterable[str | Path]) -> SourceFiles:
    """The article files of `sources` with their ids (see the module's docstring). A source that is missing is
    one error, and the others still count; of two files with one id, the first keeps it and the second is an
    error naming both."""
    found = SourceFiles()
    owners: dict[str, Path] = {}
    for source in sources:
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in _inside(path, found.warnings) if p.suffix.lower() in ARTICLE_SUFFIXES)
            if not files:
                found.errors.append(f"{path}: no articles (.txt or .html files) in this folder")
            named = [(p, article_id(p.relative_to(path))) for p in files]
        elif path.is_file():
            named = [(path, article_id(Path(path.name)))]
        else:
            found.errors.append(f"{path}: no such file or folder")
            continue
        for file, identifier in named:
            if identifier in owners and owners[identifier].resolve() != file.resolve():
                found.errors.append(f"{file}: not built, its id '{identifier}' is already that of "
                                    f"{owners[identifier]}; rename one of them")
            elif identifier not in owners:
                owners[identifier] = file
                found.files.append((file, identifier))
    return found


def article_id(relative: Path) -> str:
    """The id of the article at `relative` (a path inside its source folder, or a file's name): its parts
    without the suffix, joined by '-', each made IRI-safe (see slug_id)."""
    return "-".join(_part_id(part) for part in relative.with_suffix("").parts)


def _part_id(name: str) -> str:
    if _SAFE_ID.fullmatch(name):
        return name
    from anyascii import anyascii

    latin = anyascii(name)
    if re.search(r"[A-Za-z0-9]", latin):
        return slug(latin)
    return "article-" + hashlib.sha256(name.encode()).hexdigest()[:10]


def read_article(path: str | Path, layout: Layout, dates: DateRules, article_id: str | None = None) -> Article:
    """Read one .txt or .html article file; its id is `article_id`, else made from its name (slug_id)."""
    path = Path(path)
    article_id = article_id or slug_id(path)
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

        article = read_html(path, text, layout, dates, article_id)
    else:
        article = read_text(text, article_id=article_id, source=str(path), layout=layout, dates=dates)
    article = replace(article, digest=file_digest(raw))
    latest = date.today() + timedelta(days=layout.max_future_days)
    if article.published and article.published > latest:
        article = replace(article, published=None, warnings=article.warnings + (
            f"{path}: publication date {article.published} lies in the future; built without it",))
    return article


def file_digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def slug_id(path: Path) -> str:
    """The id of an article read from `path` alone (no source folder known): its file name without suffix,
    kept if IRI-safe, else transliterated to a slug (a short hash of it when nothing of it is Latin)."""
    return article_id(Path(path.name))

