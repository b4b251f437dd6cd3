"""Text helpers shared by every stage: accent folding of equal length, name keys and slugs.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "name_key", "slug"]

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
