"""Text helpers that keep offsets: accent folding of equal length, and sentence splitting."""

from __future__ import annotations

import re
import unicodedata

from .model import Article, Sentence

__all__ = ["fold", "name_key", "slug", "split_sentences"]

_PUNCT = {"’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'", "“": '"', "”": '"', "«": '"', "»": '"',
          "–": "-", "—": "-", "‑": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " "}


def _fold_char(ch: str) -> str:
    if ch in _PUNCT:
        return _PUNCT[ch]
    if ord(ch) < 128:
        return ch
    base = unicodedata.normalize("NFKD", ch)[:1]
    return base if base and not unicodedata.combining(base) else ch


class _FoldTable(dict):
    """A `str.translate` table that learns each character on first sight, so folding runs in C; it stops
    learning at 65,536 characters, which bounds its memory on hostile text."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if len(self) < 65536:
            self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Drop accents and unify quotes and dashes, one character for one, so offsets stay valid."""
    return text.translate(_FOLD_TABLE)


def name_key(text: str) -> str:
    """A name as analysts may type it: no accents, no case, single spaces (the value of kg:nameKey)."""
    return " ".join(fold(text).casefold().split())


def slug(text: str) -> str:
    """A lowercase ASCII slug for IRIs: stable for the same name, whatever its accents."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


_BOUNDARY = re.compile(r'([.!?])(["”’)\]]*)(\s+)(?=["“(\[]?[A-Z0-9ÁÉÍÓÚÑ¿¡])')
_LAST_WORD = re.compile(r"(?<![\w.])[\w.]+$")  # tried only where a word starts: no backtracking inside words


def split_sentences(article: Article, abbreviations: frozenset[str], max_chars: int = 2000) -> list[Sentence]:
    """Split each paragraph into sentences; a period after an abbreviation or an initial does not split.
    A sentence longer than `max_chars` (a page with no punctuation, a hostile file) is cut at spaces."""
    sentences: list[Sentence] = []
    for p_index, para in enumerate(article.paragraphs):
        chunk = article.text[para.start : para.end]
        begin = 0
        for match in _BOUNDARY.finditer(chunk):
            if match.group(1) == ".":
                word = _LAST_WORD.search(chunk[begin : match.start()])
                token = word.group() if word else ""
                if token in abbreviations or (len(token) == 1 and token.isupper()):
                    continue
            end = match.end(2)
            _add_bounded(sentences, article, para, p_index, begin, end, max_chars)
            begin = match.end()
        _add_bounded(sentences, article, para, p_index, begin, len(chunk), max_chars)
    return sentences


def _add_bounded(out: list[Sentence], article: Article, para, p_index: int, begin: int, end: int,
                 max_chars: int) -> None:
    while end - begin > max_chars:
        cut = article.text.rfind(" ", para.start + begin, para.start + begin + max_chars) - para.start
        if cut <= begin:
            cut = begin + max_chars
        _add(out, article, para, p_index, begin, cut)
        begin = cut
    _add(out, article, para, p_index, begin, end)


def _add(out: list[Sentence], article: Article, para, p_index: int, begin: int, end: int) -> None:
    chunk = article.text[para.start + begin : para.start + end]
    stripped = chunk.strip()
    if not stripped:
        return
    start = para.start + begin + (len(chunk) - len(chunk.lstrip()))
    out.append(Sentence(index=len(out), start=start, end=start + len(stripped), section=para.section,
                        paragraph=p_index, text=stripped))
