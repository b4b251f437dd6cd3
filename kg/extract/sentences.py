"""Sentence splitting that keeps offsets into the article text.
"""

from __future__ import annotations

import re

from kg.model import Article, Sentence

__all__ = ["split_sentences", "stories"]

_BOUNDARY = re.compile(r'([.!?])(["”’)\]]*)(\s+)(?=["“(\[]?([^\W_]|[¿¡]))')  # the next letter's case is checked
_LAST_WORD = re.compile(r"(?<![\w.])[\w.]+$")  # tried only where a word starts: no backtracking inside words
_CLOSING = tuple('.!?:;,"”’)…')
_ENUMERATOR = re.compile(r"^(?:\d{1,2}|[IVX]{1,4}|[a-z])[.)]$")  # "1." before a newsletter's story title


def split_sentences(article: Article, abbreviations: frozenset[str], max_chars: int = 2000) -> list[Sentence]:
    """Split each paragraph into sentences; a period after an abbreviation or an initial does not split.
    A sentence longer than `max_chars` (a page with no punctuation, a hostile file) is cut at spaces."""
    sentences: list[Sentence] = []
    for p_index, para in enumerate(article.paragraphs):
        chunk = article.text[para.start : para.end]
        begin = 0
        for match in _BOUNDARY.finditer(chunk):
            if match.group(4).islower():  # any capital opens a sentence ("Škaljari"), a lower-case letter none
                continue
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



def stories(sentences: list[Sentence], max_heading_words: int = 14) -> dict[int, int]:
    """The story each sentence belongs to, by sentence index. A paragraph that reads as a heading (one short line
    with no closing punctuation, any "2." before it aside: a newsletter's story title, a page's subheading) starts
    a new story, so a newsletter's stories do not lend each other their countries, places or referents. A brief is
    one story."""
    out: dict[int, int] = {}
    story = 0
    paragraph_sentences: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        paragraph_sentences.setdefault(sentence.paragraph, []).append(sentence)
    for paragraph in sorted(paragraph_sentences):
        members = paragraph_sentences[paragraph]
        words = [s for s in members if not _ENUMERATOR.match(s.text)]  # "2. BRAZIL: Militia boss held" is a title
        text = words[0].text if words else members[0].text
        if len(words) == 1 and len(text.split()) <= max_heading_words and not text.endswith(_CLOSING) and out:
            story += 1
        out.update((s.index, story) for s in members)
    return out
