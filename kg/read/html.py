"""Read a saved HTML news page: the main text and its metadata, without navigation, asides and footers.

lxml parses the page; the article element (or <main>, or <body>) is kept and page furniture inside it
(navigation, share tools, related content, comment forms, bylines) is dropped before the text is taken
block by block. The article's text is the headline and those blocks, one per paragraph: offsets index it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from kg.errors import InvalidArticle
from kg.knowledge.dates import DateRules, parse_day_month_year
from kg.knowledge.layout import Layout
from kg.model import Article
from kg.read.files import slug_id
from kg.read.text import _title_case, content_paragraphs, lines_of

__all__ = ["read_html"]

_DROP_TAGS = ("nav", "header", "footer", "aside", "script", "style", "form", "noscript", "template", "iframe",
              "svg", "button", "select", "figure")
_DROP_CLASSES = re.compile(r"(?i)\b(?:share|sharing|social|related|newsletter|donate|comment|comments|subscribe|"
                           r"see-also|entry-meta|post-meta|byline|kicker|breadcrumbs?|tags|author-box|helpful|"
                           r"advert|ads?|promo|sidebar|widget|license|copyright)\b")
_BLOCKS = {"p", "h2", "h3", "h4", "h5", "li", "blockquote", "pre", "dd", "td"}


def _elements(node: HtmlElement, path: str) -> list[HtmlElement]:
    """The elements an XPath selects (lxml types an XPath's answer as any kind of XPath value)."""
    return [e for e in node.xpath(path) if isinstance(e, HtmlElement)]


def _strings(node: HtmlElement, path: str, **variables: str) -> list[str]:
    """The strings (attribute values) an XPath selects."""
    return [str(s) for s in node.xpath(path, **variables) if isinstance(s, str)]


def _meta(tree: HtmlElement, *keys: str) -> str | None:
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            found = _strings(tree, f"//meta[@{attr}=$k]/@content", k=key)
            if found and found[0].strip():
                return found[0].strip()
    return None


def _text(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _date(value: str | None, dates: DateRules) -> date | None:
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return parse_day_month_year(value, dates)


def read_html(path: Path, text: str, layout: Layout, dates: DateRules, article_id: str | None = None) -> Article:
    """Parse one HTML page into an Article whose text is the headline and the main blocks; its id is
    `article_id`, else made from the file's name."""
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise InvalidArticle(f"{path}: not a readable HTML page: {exc}") from exc
    main = next(iter(_elements(tree, "//article") or _elements(tree, "//main") or _elements(tree, "//body") or [tree]))
    h1 = _elements(main, ".//h1") or _elements(tree, "//h1")
    title = _elements(tree, "//title")
    headline = _text(h1[0]) if h1 else _meta(tree, "og:title") or (_text(title[0]).split(" | ")[0] if title else None)
    time = _elements(main, ".//time[@datetime]") or _elements(tree, "//time[@datetime]")
    published = _date(time[0].get("datetime") if time else None, dates) or \
        _date(_meta(tree, "article:published_time", "datePublished", "date"), dates)
    author_node = _elements(main, ".//*[@rel='author']") or _elements(main, ".//*[contains(@class, 'byline')]")
    author = _text(author_node[0]) if author_node else _meta(tree, "author", "article:author")
    if author:
        author = _title_case(re.sub(r"(?i)^by\s+", "", author).strip())
    topic_node = _elements(main, ".//*[contains(@class, 'topic')]")
    topic = _title_case(_text(topic_node[0])) if topic_node else _meta(tree, "article:section")
    publisher = _meta(tree, "og:site_name") or (_text(title[0]).split(" | ")[-1].strip()
                                               if title and " | " in _text(title[0]) else layout.publisher)
    url = _meta(tree, "og:url") or next(iter(_strings(tree, "//link[@rel='canonical']/@href")), None)

    for element in list(main.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if element.tag in _DROP_TAGS or element.tag == "h1" or _DROP_CLASSES.search(element.get("class", "")):
            element.drop_tree()
    blocks = [_text(b) for b in main.iter() if isinstance(b.tag, str) and b.tag in _BLOCKS
              and not any(isinstance(a.tag, str) and a.tag in _BLOCKS for a in b.iterancestors())]
    blocks = [b for b in blocks if b]
    if not blocks:
        raise InvalidArticle(f"{path}: no article text found in the page")
    body = "\n\n".join([headline or ""] + blocks)
    paragraphs = content_paragraphs(lines_of(body)[1:], layout)
    if not paragraphs:
        raise InvalidArticle(f"{path}: no article text found in the page")
    return Article(id=article_id or slug_id(path), source=str(path), text=body, paragraphs=tuple(paragraphs),
                   headline=headline, published=published, author=author, topic=topic,
                   publisher=publisher, url=url if url and url.startswith(("http://", "https://")) else None)
