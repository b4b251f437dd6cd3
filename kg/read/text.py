"""Read the text layout of the seeds into an `Article`: headline, byline, body and analysis.

Only the body and the analysis become paragraphs; navigation, "SEE ALSO" lines, photo credits, donate and licence
blurbs, related-content teasers and "About" items stay out, so they yield no facts and no mentions.
"""

from __future__ import annotations

import re
from datetime import date

from kg.errors import InvalidArticle
from kg.knowledge.dates import DateRules, parse_day_month_year
from kg.knowledge.layout import Layout
from kg.model import Article, Paragraph

__all__ = ["read_text", "content_paragraphs", "lines_of"]


def read_text(text: str, article_id: str, source: str, layout: Layout, dates: DateRules) -> Article:
    """Parse the text layout of the seeds; a text without that layout is read as one body, its first line the
    headline unless that line reads as a paragraph (then it is content, and its first sentence the headline)."""
    lines = lines_of(text)
    url, lines = _without_url(lines, layout)
    found = next(((i, m) for i, (_, _, line) in enumerate(lines) if (m := layout.byline.match(line.strip()))), None)
    byline_at = found[0] if found else None
    headline = topic = author = None
    published = None
    if found:
        byline_at, m = found
        topic = m.group("topic").strip()
        published = parse_day_month_year(m.group("date"), dates)
        author = _title_case(m.group("author")) if m.group("author") else None
        before = [line.strip() for _, _, line in lines[:byline_at] if line.strip()]
        candidates = [b for b in before if b not in layout.kicker_lines]
        headline = candidates[-1] if candidates else None
        first_content = byline_at + 1
    else:
        first_content = 0
        published, author = _dateline(lines, layout, dates)
    if headline is None:
        first_line = next((i for i, (_, _, line) in enumerate(lines) if line.strip()), 0)
        headline = _strip_nav(lines[first_line][2].strip(), layout)
        first_content = first_line + 1 if byline_at is None else first_content
        if byline_at is None and _reads_as_paragraph(headline):
            # a page that opens with its first paragraph, no headline line: that paragraph is content
            headline, first_content = _FIRST_SENTENCE.split(headline, maxsplit=1)[0], first_line
    paragraphs = content_paragraphs(lines[first_content:], layout)
    if not paragraphs:
        raise InvalidArticle(f"{source}: no article text found")
    return Article(id=article_id, source=source, text=text, paragraphs=tuple(paragraphs), headline=headline,
                   published=published, author=author, topic=_title_case(topic) if topic else None,
                   publisher=layout.publisher if byline_at is not None else None, url=url)


def _dateline(lines: list[tuple[int, int, str]], layout: Layout, dates: DateRules) -> tuple[date | None, str | None]:
    """The date (and the author, when named beside it) a page without the seed's byline gives on a line of its own
    near its top ("Published on 13/02/2019 - 18:03", "Edition of 21 June 2024"): day first when in figures. Of two
    such lines (a masthead's date, then the story's "By X / Rosario, March 11, 2024"), the first naming an author."""
    if layout.dateline is None:
        return None, None
    near = [line.strip() for _, _, line in lines if line.strip()][:layout.dateline_lines]
    first: tuple[date | None, str | None] = (None, None)
    for previous, line in zip([""] + near, near, strict=False):
        m = layout.dateline.match(f"{previous}\n{line}")
        if not m:
            continue
        figures = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", m.group("date"))
        try:
            day = date(int(figures.group(3)), int(figures.group(2)), int(figures.group(1))) if figures else \
                parse_day_month_year(m.group("date"), dates)
        except ValueError:
            day = None
        if day is None:
            continue
        found = m.groupdict()
        author = found.get("author") or found.get("author_by") or found.get("author_after")
        author = author[3:] if author and author.startswith("By ") else author
        if author:
            return day, author
        first = first if first[0] else (day, None)
    return first


# what a newsletter may set before a heading: "■ MORE NEWS", "▶ Next week", "— Read more"
_HEADING_MARK = re.compile(r"^[^\w\s\"'“(]+\s*")


def content_paragraphs(lines: list[tuple[int, int, str]], layout: Layout) -> list[Paragraph]:
    """Body and analysis paragraphs among (start, end, line) rows, up to the first end marker."""
    paragraphs: list[Paragraph] = []
    section = "body"
    for start, _end, line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if _HEADING_MARK.sub("", stripped).rstrip(":").lower() in layout.end_lines or \
                any(stripped.startswith(marker) for marker in layout.end_markers):
            break
        if stripped in layout.analysis_headings:
            section = "analysis"
            continue
        if stripped.startswith(layout.skip_line_prefixes) or \
                _GREETING.sub("", stripped, count=1).startswith(layout.skip_line_prefixes) or \
                layout.credit_line and layout.credit_line.match(stripped) or \
                layout.menu_line and layout.menu_line.match(stripped):
            continue
        lead = len(line) - len(line.lstrip())
        paragraphs.append(Paragraph(start + lead, start + lead + len(stripped), section))
    return paragraphs


def _without_url(lines: list[tuple[int, int, str]], layout: Layout) -> tuple[str | None, list[tuple[int, int, str]]]:
    """The page's address from the first line giving one (reader.yaml's url_line), if any, and the lines with
    every such line blanked (its offsets kept), so it is neither headline nor content."""
    url_line = layout.url_line
    if url_line is None:
        return None, lines
    found = next((m.group("url") for _, _, line in lines if (m := url_line.match(line.strip()))), None)
    if found is None:
        return None, lines
    return found, [(start, end, "" if url_line.match(line.strip()) else line) for start, end, line in lines]


def lines_of(text: str) -> list[tuple[int, int, str]]:
    """(start, end, line) for every line of the text."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


_GREETING = re.compile(r"^[^.!?:]{1,40}[.!]\s+")  # "Hello, and welcome back. " before a newsletter's contents
_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"“A-ZÁÉÍÓÚÑ])")
_HEADLINE_WORDS = 25  # a headline is shorter, and does not end as a sentence does


def _reads_as_paragraph(line: str) -> bool:
    return len(line.split()) > _HEADLINE_WORDS and line.rstrip()[-1:] in ".!?\"”’)"


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
