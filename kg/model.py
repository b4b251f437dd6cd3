"""Plain, frozen records passed between the pipeline stages (read -> extract -> resolve -> rdf)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (the shared core imports no stage at run time)
    from kg.knowledge.curation import Decision

__all__ = ["Paragraph", "Article", "Sentence", "Entity", "Mention", "Fact", "Event", "Extraction"]


@dataclass(frozen=True)
class Paragraph:
    """A span of the article text that carries content, tagged with its section (body or analysis)."""

    start: int
    end: int
    section: str


@dataclass(frozen=True)
class Article:
    """One news article as read from a file: its whole text and where the content lies in it.

    Offsets everywhere in the project index `text` (Unicode code points), which is the file's decoded text
    with line ends normalised, or the main text found in an HTML page.
    """

    id: str
    source: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    headline: str | None = None
    published: date | None = None
    author: str | None = None
    topic: str | None = None
    publisher: str | None = None
    url: str | None = None
    related: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # what the reader left out, for the build report
    digest: str | None = None  # SHA-256 of the file's bytes: with the curated data's, the key of incremental builds

    def content(self, paragraph: Paragraph) -> str:
        return self.text[paragraph.start : paragraph.end]


@dataclass(frozen=True)
class Sentence:
    """A sentence of the body or analysis, by offsets into the article text."""

    index: int
    start: int
    end: int
    section: str
    paragraph: int
    text: str


@dataclass(frozen=True)
class Entity:
    """An actor, region or criminal economy: from the gazetteer (curated) or found by a pattern."""

    id: str
    label: str
    type: str
    curated: bool = True
    names: tuple[tuple[str, str], ...] = ()  # (alias, language tag or "")
    country: str | None = None
    located_in: tuple[str, ...] = ()
    kind: str | None = None
    generic: tuple[str, ...] = ()
    nominals: tuple[str, ...] = ()
    home: tuple[str, ...] = ()
    wikidata: str | None = None
    geonames: str | None = None
    iso: str | None = None
    source: str | None = None  # "gazetteer/file.yaml#id", or the rule that found it


@dataclass(frozen=True)
class Mention:
    """A stretch of a sentence that names an entity, and how it was tied to that entity."""

    start: int
    end: int
    text: str
    entity: str
    sentence: int
    how: str  # name, acronym, pattern:<rule>, anaphor, generic, surname, alias, name-again
    resolution: str | None = None


@dataclass(frozen=True)
class Fact:
    """A direct triple between entities (or an entity and a literal) with the sentence that states it."""

    subject: str
    predicate: str
    object: str
    sentence: Sentence
    rule: str
    confidence: float
    object_is_literal: bool = False
    subject_mention: Mention | None = None
    object_mention: Mention | None = None
    curated_source: str | None = None
    parse: str | None = None  # the dependency path a syntax rule matched: trigger and argument tokens

    @property
    def resolution(self) -> str | None:
        notes = [m.resolution for m in (self.subject_mention, self.object_mention) if m and m.resolution]
        return "; ".join(notes) or None


@dataclass(frozen=True)
class Event:
    """A dated happening with its roles; `date` is ISO and may be only a year or a year-month."""

    type: str
    sentence: Sentence
    rule: str
    confidence: float
    trigger: str
    agents: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    date: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    duration_days: int | None = None
    roles: tuple[tuple[str, Mention], ...] = ()  # (agent|target|place, the mention that fills it)
    parse: str | None = None  # the dependency path a syntax rule matched: trigger and argument tokens

    @property
    def mentions(self) -> tuple[Mention, ...]:
        return tuple(m for _, m in self.roles)


@dataclass
class Extraction:
    """Everything extracted from one article, ready to become its named graph."""

    article: Article
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    cited_outlets: list[Fact] = field(default_factory=list)
    rejected: list[tuple[Fact, Decision]] = field(default_factory=list)  # (fact, the curation decision)
    sentences: int = 0  # of body and analysis
    parsed: int = 0  # of them, those the parse gate let through to the dependency parse
