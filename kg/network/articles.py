"""An article as its reader page shows it: the stored text (schema:text) and its metadata, and the text's body and
analysis paragraphs (kg:contentParagraphs, where the reader found them: no navigation or footer lines) whose fact
sentences are marked by their offsets, so every sentence of a panel can link to its place."""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import KgError
from kg.network.sparql import term_value
from kg.rdf.quads import article_iri
from kg.store.embedded import Store

__all__ = ["ArticleText", "read_article_text", "marked_paragraphs", "sentence_anchor"]

_ARTICLE = """SELECT ?text ?headline ?date ?publisher ?url ?author ?topic ?spans WHERE { GRAPH ?g {
  ?a schema:text ?text OPTIONAL { ?a schema:headline ?headline } OPTIONAL { ?a schema:datePublished ?date }
  OPTIONAL { ?a schema:publisher/schema:name ?publisher } OPTIONAL { ?a schema:url ?url }
  OPTIONAL { ?a schema:author/schema:name ?author } OPTIONAL { ?a schema:keywords ?topic }
  OPTIONAL { ?a kg:contentParagraphs ?spans } } } LIMIT 1"""


@dataclass(frozen=True)
class ArticleText:
    """What the reader page of an article shows besides its network."""

    id: str
    text: str
    headline: str = ""
    date: str = ""
    publisher: str = ""
    url: str = ""
    author: str = ""
    topic: str = ""
    # (start, end, section) of each body and analysis paragraph; none in a store built before they were stored
    paragraphs: tuple[tuple[int, int, str], ...] = ()


def read_article_text(store: Store, article: str) -> ArticleText:
    """The stored text and metadata of the article with id `article`."""
    iri = article_iri(article)
    rows = list(store.query(_ARTICLE.replace("?g", str(iri)).replace("?a ", f"{iri} ", 1)))
    if not rows:
        raise KgError(f"no article '{article}' in the store")
    row = rows[0]
    url = term_value(row["url"])
    spans = tuple((int(start), int(end), section) for start, end, section in
                  (line.split(" ") for line in term_value(row["spans"]).splitlines() if line))
    return ArticleText(article, term_value(row["text"]), term_value(row["headline"]), term_value(row["date"]),
                       term_value(row["publisher"]), url if url.startswith(("http://", "https://")) else "",
                       term_value(row["author"]), term_value(row["topic"]), spans)


def sentence_anchor(start: int) -> str:
    """The id of a sentence's place in its reader page (its start offset in the article's text)."""
    return f"s{start}"


def marked_paragraphs(text: str, sentences: dict[int, str],
                      spans: tuple[tuple[int, int, str], ...] = ()) -> list[list[list]]:
    """The text's paragraphs (those `spans` gives as (start, end, section), else its lines with text), each a
    list of [text, anchor] pieces where anchor is the `sentence_anchor` of a fact's sentence (`sentences` maps
    start offsets to sentences; one over two paragraphs makes two pieces) and "" elsewhere. A sentence not
    found at its offset is looked for in the text; one not found at all is left unmarked; overlaps are
    skipped."""
    marks: list[tuple[int, int, int]] = []
    for start, sentence in sorted(sentences.items()):
        at = start if text[start:start + len(sentence)] == sentence else text.find(sentence)
        if sentence and at >= 0 and not any(at < e and s < at + len(sentence) for s, e, _ in marks):
            marks.append((at, at + len(sentence), start))
    marks.sort()
    if not spans:
        lines, pos = [], 0
        for line in text.split("\n"):
            if line.strip():
                lines.append((pos, pos + len(line), "body"))
            pos += len(line) + 1
        spans = tuple(lines)
    paragraphs = []
    for pos, end, _ in spans:
        pieces, cursor = [], pos
        for s, e, start in marks:
            if e <= pos or s >= end:
                continue
            s, e = max(s, pos), min(e, end)
            if s > cursor:
                pieces.append([text[cursor:s], ""])
            pieces.append([text[s:e], sentence_anchor(start)])
            cursor = e
        if cursor < end:
            pieces.append([text[cursor:end], ""])
        paragraphs.append(pieces)
    return paragraphs
