"""Extraction -> RDF quads in the article's own named graph; the ontology -> its own graph.

IRIs are minted from gazetteer ids, slugs and content hashes, never from counters, and the quads come out
sorted, so the same input always gives the same graph and the same files.
"""

from __future__ import annotations

import hashlib
from typing import Iterator

import pyoxigraph as ox

from .lexicon import Lexicon
from .model import Entity, Event, Extraction, Fact, Mention
from .text import slug
from .vocab import CURATION_GRAPH, DCTERMS, GEONAMES, KG, KGR, ONTOLOGY_GRAPH, PROV, RDF, RDFS, SCHEMA, SKOS, WD, XSD

__all__ = ["article_iri", "entity_iri", "extraction_quads", "ontology_quads", "content_hash"]

A = ox.NamedNode(RDF + "type")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def kg(name: str) -> ox.NamedNode:
    return _n(KG + name)


def article_iri(article_id: str) -> ox.NamedNode:
    return _n(f"{KGR}article-{article_id}")


def entity_iri(entity_id: str) -> ox.NamedNode:
    return _n(KGR + entity_id)


def _date(value: str) -> ox.Literal:
    kind = {10: "date", 7: "gYearMonth", 4: "gYear"}[len(value)]
    return ox.Literal(value, datatype=_n(XSD + kind))


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + "integer"))


def _hash(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


def content_hash(file_digest: str, fingerprint: str) -> str:
    """Changes when the article file or the curated data changes: the key of incremental builds."""
    return hashlib.sha256(f"{fingerprint}\x1f{file_digest}".encode()).hexdigest()


def extraction_quads(extraction: Extraction, lexicon: Lexicon) -> list[ox.Quad]:
    """Every quad of one article's named graph, sorted."""
    graph = article_iri(extraction.article.id)
    triples = set(_article(extraction, lexicon))
    for entity in extraction.entities.values():
        triples.update(_entity(entity))
    for fact in extraction.facts + extraction.cited_outlets:
        triples.update(_fact(fact, extraction))
    for fact, decision in extraction.rejected:
        triples.update(_fact(fact, extraction, rejected_by=decision))
    for event in extraction.events:
        triples.update(_event(event, extraction))
    return sorted((ox.Quad(s, p, o, graph) for s, p, o in triples), key=str)


def _article(extraction: Extraction, lexicon: Lexicon) -> Iterator[tuple]:
    article = extraction.article
    a = article_iri(article.id)
    yield a, A, _n(SCHEMA + "NewsArticle")
    yield a, _n(SCHEMA + "identifier"), ox.Literal(article.id)
    yield a, _n(SCHEMA + "text"), ox.Literal(article.text)
    digest = article.digest or hashlib.sha256(article.text.encode()).hexdigest()
    yield a, kg("contentHash"), ox.Literal(content_hash(digest, lexicon.fingerprint))
    if article.headline:
        yield a, _n(SCHEMA + "headline"), ox.Literal(article.headline)
    if article.published:
        yield a, _n(SCHEMA + "datePublished"), _date(article.published.isoformat())
    if article.topic:
        yield a, _n(SCHEMA + "keywords"), ox.Literal(article.topic)
    if article.url:
        yield a, _n(SCHEMA + "url"), _n(article.url)
    for role, name in (("author", article.author), ("publisher", article.publisher)):
        if name:
            node = _n(f"{KGR}{role}-{slug(name)}")
            yield a, _n(SCHEMA + role), node
            yield node, A, _n(SCHEMA + ("Person" if role == "author" else "Organization"))
            yield node, _n(SCHEMA + "name"), ox.Literal(name)
    for entity_id in sorted({m.entity for m in extraction.mentions}):
        yield a, _n(SCHEMA + "mentions"), entity_iri(entity_id)


def _entity(entity: Entity) -> Iterator[tuple]:
    e = entity_iri(entity.id)
    yield e, A, kg(entity.type)
    yield e, _n(RDFS + "label"), ox.Literal(entity.label)
    for name, lang in entity.names:
        yield e, _n(SKOS + "altLabel"), ox.Literal(name, language=lang) if lang else ox.Literal(name)
    yield e, kg("curated"), ox.Literal("true" if entity.curated else "false", datatype=_n(XSD + "boolean"))
    if entity.curated and entity.source:
        yield e, kg("gazetteerEntry"), ox.Literal(entity.source)
    elif entity.source:
        yield e, kg("foundBy"), ox.Literal(entity.source)
    if entity.wikidata:
        yield e, _n("http://www.w3.org/2002/07/owl#sameAs"), _n(WD + entity.wikidata)
    if entity.geonames:
        yield e, _n("http://www.w3.org/2002/07/owl#sameAs"), _n(f"{GEONAMES}{entity.geonames}/")


def _evidence(node: ox.NamedNode, extraction: Extraction, sentence, rule: str, confidence: float,
              mentions: tuple[Mention | None, Mention | None] = (None, None), resolution: str | None = None,
              curated_source: str | None = None) -> Iterator[tuple]:
    yield node, A, kg("Assertion")
    yield node, kg("evidence"), ox.Literal(sentence.text)
    yield node, kg("startOffset"), _int(sentence.start)
    yield node, kg("endOffset"), _int(sentence.end)
    yield node, kg("section"), ox.Literal(sentence.section)
    yield node, _n(PROV + "wasDerivedFrom"), article_iri(extraction.article.id)
    yield node, kg("rule"), ox.Literal(rule)
    yield node, kg("confidence"), ox.Literal(f"{confidence:.2f}", datatype=_n(XSD + "decimal"))
    subject_mention, object_mention = mentions
    if subject_mention:
        yield node, kg("subjectText"), ox.Literal(subject_mention.text)
    if object_mention:
        yield node, kg("objectText"), ox.Literal(object_mention.text)
    if resolution:
        yield node, kg("resolution"), ox.Literal(resolution)
    if curated_source:
        yield node, kg("curatedSource"), ox.Literal(curated_source)


def decision_iri(decision_id: str) -> ox.NamedNode:
    return _n(f"{KGR}curation-{decision_id}")


def _fact(fact: Fact, extraction: Extraction, rejected_by=None) -> Iterator[tuple]:
    """The triple and its Assertion; a fact a curator rejected keeps only its Assertion, marked so."""
    article = extraction.article
    s = article_iri(article.id) if fact.subject == "article" else entity_iri(fact.subject)
    p = kg(fact.predicate)
    o = ox.Literal(fact.object) if fact.object_is_literal else entity_iri(fact.object)
    if rejected_by is None:
        yield s, p, o
    node = _n(f"{KGR}assertion-{_hash(article.id, s.value, p.value, str(o), fact.sentence.start, fact.rule)}")
    if rejected_by is not None:
        yield node, kg("rejectedBy"), decision_iri(rejected_by.id)
    yield node, _n(RDF + "subject"), s
    yield node, _n(RDF + "predicate"), p
    yield node, _n(RDF + "object"), o
    yield from _evidence(node, extraction, fact.sentence, fact.rule, fact.confidence,
                         (fact.subject_mention, fact.object_mention), fact.resolution, fact.curated_source)


EVENT_LABELS = {"StateOfEmergency": "State of emergency"}


def _event(event: Event, extraction: Extraction) -> Iterator[tuple]:
    article = extraction.article
    key = _hash(article.id, event.type, event.sentence.start, event.agents, event.targets, event.places,
                event.date)
    e = _n(f"{KGR}event-{article.id}-{key}")
    yield e, A, kg(event.type)
    names = {i: extraction.entities[i].label for i in event.agents + event.targets + event.places}
    what = EVENT_LABELS.get(event.type, event.type)
    label = ", ".join(names[i] for i in event.places or event.targets) or article.headline or article.id
    yield e, _n(RDFS + "label"), ox.Literal(f"{what}: {label}" + (f" ({event.date})" if event.date else ""))
    for role, ids in (("agent", event.agents), ("target", event.targets), ("place", event.places)):
        for entity_id in ids:
            yield e, kg(role), entity_iri(entity_id)
    for prop, value in (("date", event.date), ("startDate", event.start_date), ("endDate", event.end_date)):
        if value:
            yield e, kg(prop), _date(value)
    if event.duration_days:
        yield e, kg("durationDays"), _int(event.duration_days)
    node = _n(f"{KGR}assertion-{_hash(article.id, e.value, event.rule)}")
    yield node, _n(RDF + "subject"), e
    yield node, _n(RDF + "predicate"), A
    yield node, _n(RDF + "object"), kg(event.type)
    first = event.mentions[0] if event.mentions else None
    notes = "; ".join(m.resolution for m in event.mentions if m.resolution) or None
    yield node, kg("trigger"), ox.Literal(event.trigger)
    yield from _evidence(node, extraction, event.sentence, event.rule, event.confidence, (first, None), notes)


def curation_quads(lexicon: Lexicon) -> list[ox.Quad]:
    """Every curator's decision, in its own named graph: what was decided, about what, why, by whom, when."""
    graph = _n(CURATION_GRAPH)
    triples = set()
    for d in lexicon.curation.decisions:
        node = decision_iri(d.id)
        triples.add((node, A, kg("CurationDecision")))
        triples.add((node, kg("action"), ox.Literal(d.action)))
        triples.add((node, _n(RDFS + "comment"), ox.Literal(d.reason)))
        triples.add((node, kg("gazetteerEntry"), ox.Literal(d.source)))
        if d.by:
            triples.add((node, _n(DCTERMS + "creator"), ox.Literal(d.by)))
        if d.date:
            triples.add((node, _n(DCTERMS + "date"), _date(d.date) if len(d.date) in (4, 7, 10) else ox.Literal(d.date)))
        fact = d.data.get("fact")
        about = [fact["subject"], fact["object"]] if fact else [d.data.get(k) for k in ("entity", "from", "into")]
        for entity_id in filter(None, about):
            triples.add((node, kg("about"), entity_iri(entity_id)))
    return sorted((ox.Quad(s, p, o, graph) for s, p, o in triples), key=str)


def ontology_quads(lexicon: Lexicon) -> list[ox.Quad]:
    """ontology/kg.ttl in its own named graph, so analysts can query the schema beside the data."""
    graph = _n(ONTOLOGY_GRAPH)
    triples = ox.parse(lexicon.ontology.turtle, format=ox.RdfFormat.TURTLE)
    return sorted((ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples), key=str)
