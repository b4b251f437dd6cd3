"""Extraction -> RDF quads: what the article says in its own named graph, the curated description of the
gazetteer entities it mentions in the shared gazetteer graph; the ontology and curation in graphs of their own.

A curated entity's class, names, identifiers and locatedIn chain come from the gazetteer, not from the
article, so the store keeps them once (GAZETTEER_GRAPH) however many articles mention the entity: the
articles' graphs stay small and a label join meets one copy. IRIs are minted from gazetteer ids, slugs and
content hashes, never from counters, so the same input always gives the same graph; what is shown or written
(`extraction_quads`, the exports) comes out sorted. What goes into a store is not sorted: a store is a set,
and sorting each article's quads by their text took a tenth of a build worker's time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.model import Entity, Event, Extraction, Fact, Mention
from kg.text import name_key, slug
from kg.vocab import (
    ARTICLE,
    CURATION_GRAPH,
    DCTERMS,
    GAZETTEER_GRAPH,
    GEONAMES,
    KG,
    KGR,
    ONTOLOGY_GRAPH,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    WD,
    XSD,
)

if TYPE_CHECKING:  # (the curated data's loader and its YAML are not needed to name an article: `kg view`)
    from kg.knowledge.lexicon import Lexicon

__all__ = ["article_iri", "article_id", "entity_iri", "extraction_quads", "article_quads", "curated_entities",
           "gazetteer_entries", "gazetteer_quads", "ontology_quads", "content_hash", "geo_iri"]

A = ox.NamedNode(RDF + "type")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@cache
def _term(iri: str) -> ox.NamedNode:
    """A term of a vocabulary, made once: a build names the same few hundred terms millions of times, and
    making each anew took 0.7 ms of the 4 ms that turning a generated article into quads takes."""
    return ox.NamedNode(iri)


def kg(name: str) -> ox.NamedNode:
    return _term(KG + name)


def article_iri(article_id: str) -> ox.NamedNode:
    return _n(ARTICLE + article_id)


def article_id(iri: str) -> str:
    """The id of the article whose IRI (or graph name) is `iri`."""
    return iri.removeprefix(ARTICLE)


def entity_iri(entity_id: str) -> ox.NamedNode:
    return _n(KGR + entity_id)


def _date(value: str) -> ox.Literal:
    kind = {10: "date", 7: "gYearMonth", 4: "gYear"}[len(value)]
    return ox.Literal(value, datatype=_term(XSD + kind))


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_term(XSD + "integer"))


def _hash(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


def content_hash(file_digest: str, fingerprint: str) -> str:
    """Changes when the article file or the curated data changes: the key of incremental builds."""
    return hashlib.sha256(f"{fingerprint}\x1f{file_digest}".encode()).hexdigest()


def extraction_quads(extraction: Extraction, lexicon: Lexicon) -> list[ox.Quad]:
    """What one article brings into a store, sorted: its own named graph, then the gazetteer entries it needs."""
    return (sorted(article_quads(extraction, lexicon), key=str)
            + sorted(gazetteer_quads(curated_entities(extraction, lexicon), lexicon), key=str))


def curated_entities(extraction: Extraction, lexicon: Lexicon) -> list[str]:
    """The gazetteer entities an article needs described: those it mentions, states facts about, and the
    regions above its places."""
    return sorted(i for i, e in extraction.entities.items() if e.curated and i in lexicon.entities)


def article_quads(extraction: Extraction, lexicon: Lexicon) -> list[ox.Quad]:
    """Every quad of one article's named graph, in no set order: the article, the entities found by pattern,
    the names the article adds to curated ones, its facts and events, each with its Assertion."""
    graph = article_iri(extraction.article.id)
    triples = set(_article(extraction, lexicon))
    for entity in extraction.entities.values():
        curated = lexicon.entities.get(entity.id) if entity.curated else None
        if curated is None:
            triples.update(_entity(entity))
        else:
            triples.update(_names(entity_iri(entity.id), [n for n in entity.names if n not in curated.names]))
    for fact in extraction.facts + extraction.cited_outlets:
        if not fact.curated_source:
            triples.update(_fact(fact, extraction))
    for fact, decision in extraction.rejected:
        triples.update(_fact(fact, extraction, rejected_by=decision))
    for event in extraction.events:
        triples.update(_event(event, extraction))
    return [ox.Quad(s, p, o, graph) for s, p, o in triples]


def _article(extraction: Extraction, lexicon: Lexicon) -> Iterator[tuple]:
    article = extraction.article
    a = article_iri(article.id)
    yield a, A, _term(SCHEMA + "NewsArticle")
    yield a, _term(SCHEMA + "identifier"), ox.Literal(article.id)
    yield a, _term(SCHEMA + "text"), ox.Literal(article.text)
    digest = article.digest or hashlib.sha256(article.text.encode()).hexdigest()
    yield a, kg("contentHash"), ox.Literal(content_hash(digest, lexicon.fingerprint))
    spans = "\n".join(f"{p.start} {p.end} {p.section}" for p in article.paragraphs)
    yield a, kg("contentParagraphs"), ox.Literal(spans)  # (what the reader page shows of the text)
    if article.headline:
        yield a, _term(SCHEMA + "headline"), ox.Literal(article.headline)
    if article.published:
        yield a, _term(SCHEMA + "datePublished"), _date(article.published.isoformat())
    if article.topic:
        yield a, _term(SCHEMA + "keywords"), ox.Literal(article.topic)
    if article.url:
        yield a, _term(SCHEMA + "url"), _n(article.url)
    for role, name in (("author", article.author), ("publisher", article.publisher)):
        if name:
            node = _n(f"{KGR}{role}-{slug(name)}")
            yield a, _term(SCHEMA + role), node
            yield node, A, _term(SCHEMA + ("Person" if role == "author" else "Organization"))
            yield node, _term(SCHEMA + "name"), ox.Literal(name)
    for entity_id in sorted({m.entity for m in extraction.mentions}):
        yield a, _term(SCHEMA + "mentions"), entity_iri(entity_id)


def gazetteer_quads(entity_ids: Iterable[str], lexicon: Lexicon) -> list[ox.Quad]:
    """The shared graph's statements about these gazetteer entities, in no set order: each entity's description
    and its locatedIn chain, every link backed by an Assertion that cites the gazetteer entry."""
    return list({q for entry in gazetteer_entries(entity_ids, lexicon) for q in entry})


def gazetteer_entries(entity_ids: Iterable[str], lexicon: Lexicon) -> list[tuple[ox.Quad, ...]]:
    """Each entity's quads of the shared graph (`gazetteer_quads`, entry by entry, two entries may share
    some): the same tuple each time the process asks for an entity."""
    graph = _n(GAZETTEER_GRAPH)
    return [_gazetteer_entry(entity_id, lexicon, graph) for entity_id in entity_ids]


_ENTRY_CACHE: dict[tuple[str, str], tuple[ox.Quad, ...]] = {}


def _gazetteer_entry(entity_id: str, lexicon: Lexicon, graph: ox.NamedNode) -> tuple[ox.Quad, ...]:
    """One entry's quads, made once per process and curated data (a build asks for the same entries often)."""
    key = (lexicon.fingerprint, entity_id)
    if key not in _ENTRY_CACHE:
        entity = lexicon.entities[entity_id]
        if entity.source is None:
            raise ValueError(f"gazetteer entity '{entity_id}' names no curated file and entry (source)")
        triples = list(_entity(entity))
        for ancestor in lexicon.chain(entity_id):
            rule = "gazetteer.locatedIn" if ancestor in entity.located_in else "gazetteer.locatedIn.transitive"
            triples.extend(_curated_fact(entity_iri(entity_id), kg("locatedIn"), entity_iri(ancestor), rule,
                                         entity.source))
        if entity_id in lexicon.coordinates:
            triples.extend(_geo(entity_id, lexicon.coordinates[entity_id]))
        _ENTRY_CACHE[key] = tuple(ox.Quad(s, p, o, graph) for s, p, o in triples)
    return _ENTRY_CACHE[key]


def _geo(entity_id: str, point) -> Iterator[tuple]:
    """A region's point (coordinates.yaml) as schema:geo, a GeoCoordinates node named after the region and
    derived from the GeoNames feature whose point it is."""
    node = geo_iri(entity_id)
    yield entity_iri(entity_id), _term(SCHEMA + "geo"), node
    yield node, A, _term(SCHEMA + "GeoCoordinates")
    yield node, _term(SCHEMA + "latitude"), ox.Literal(point.lat, datatype=_term(XSD + "decimal"))
    yield node, _term(SCHEMA + "longitude"), ox.Literal(point.lon, datatype=_term(XSD + "decimal"))
    if point.geonames:
        yield node, _term(PROV + "wasDerivedFrom"), _n(f"{GEONAMES}{point.geonames}/")


def geo_iri(entity_id: str) -> ox.NamedNode:
    return _n(f"{KGR}geo-{entity_id}")


def _statement(node: ox.NamedNode, s, p, o) -> Iterator[tuple]:
    """The reified triple an Assertion is about."""
    yield node, _term(RDF + "subject"), s
    yield node, _term(RDF + "predicate"), p
    yield node, _term(RDF + "object"), o


def _curated_fact(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode, rule: str, source: str) -> Iterator[tuple]:
    """A fact of the gazetteer: the triple and an Assertion whose source is the curated file and entry."""
    node = _n(f"{KGR}assertion-{_hash('gazetteer', s.value, p.value, o.value)}")
    yield s, p, o
    yield node, A, kg("Assertion")
    yield from _statement(node, s, p, o)
    yield node, kg("rule"), ox.Literal(rule)
    yield node, kg("confidence"), ox.Literal("1.00", datatype=_term(XSD + "decimal"))
    yield node, kg("curatedSource"), ox.Literal(source)


def _names(e: ox.NamedNode, names: Iterable[tuple[str, str]]) -> Iterator[tuple]:
    for name, lang in names:
        yield e, _term(SKOS + "altLabel"), ox.Literal(name, language=lang) if lang else ox.Literal(name)
        yield e, kg("nameKey"), ox.Literal(name_key(name))


def _entity(entity: Entity) -> Iterator[tuple]:
    e = entity_iri(entity.id)
    yield e, A, kg(entity.type)
    yield e, _term(RDFS + "label"), ox.Literal(entity.label)
    yield e, kg("nameKey"), ox.Literal(name_key(entity.label))
    yield from _names(e, entity.names)
    yield e, kg("curated"), ox.Literal("true" if entity.curated else "false", datatype=_term(XSD + "boolean"))
    if entity.curated and entity.source:
        yield e, kg("gazetteerEntry"), ox.Literal(entity.source)
    elif entity.source:
        yield e, kg("foundBy"), ox.Literal(entity.source)
    if entity.wikidata:
        yield e, _term(OWL + "sameAs"), _n(WD + entity.wikidata)
    if entity.geonames:
        yield e, _term(OWL + "sameAs"), _n(f"{GEONAMES}{entity.geonames}/")


def _evidence(node: ox.NamedNode, extraction: Extraction, sentence, rule: str, confidence: float,
              mentions: tuple[Mention | None, Mention | None] = (None, None), resolution: str | None = None,
              curated_source: str | None = None) -> Iterator[tuple]:
    yield node, A, kg("Assertion")
    yield node, kg("evidence"), ox.Literal(sentence.text)
    yield node, kg("startOffset"), _int(sentence.start)
    yield node, kg("endOffset"), _int(sentence.end)
    yield node, kg("section"), ox.Literal(sentence.section)
    yield node, _term(PROV + "wasDerivedFrom"), article_iri(extraction.article.id)
    yield node, kg("rule"), ox.Literal(rule)
    yield node, kg("confidence"), ox.Literal(f"{confidence:.2f}", datatype=_term(XSD + "decimal"))
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
    yield from _statement(node, s, p, o)
    yield from _evidence(node, extraction, fact.sentence, fact.rule, fact.confidence,
                         (fact.subject_mention, fact.object_mention), fact.resolution, fact.curated_source)
    if fact.parse:
        yield node, kg("parsePath"), ox.Literal(fact.parse)


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
    yield e, _term(RDFS + "label"), ox.Literal(f"{what}: {label}" + (f" ({event.date})" if event.date else ""))
    for role, ids in (("agent", event.agents), ("target", event.targets), ("place", event.places)):
        for entity_id in ids:
            yield e, kg(role), entity_iri(entity_id)
    for prop, value in (("date", event.date), ("startDate", event.start_date), ("endDate", event.end_date)):
        if value:
            yield e, kg(prop), _date(value)
    if event.duration_days:
        yield e, kg("durationDays"), _int(event.duration_days)
    node = _n(f"{KGR}assertion-{_hash(article.id, e.value, event.rule)}")
    yield from _statement(node, e, A, kg(event.type))
    first = event.mentions[0] if event.mentions else None
    notes = "; ".join(m.resolution for m in event.mentions if m.resolution) or None
    yield node, kg("trigger"), ox.Literal(event.trigger)
    yield from _evidence(node, extraction, event.sentence, event.rule, event.confidence, (first, None), notes)
    if event.parse:
        yield node, kg("parsePath"), ox.Literal(event.parse)


def curation_quads(lexicon: Lexicon) -> list[ox.Quad]:
    """Every curator's decision, in its own named graph: what was decided, about what, why, by whom, when."""
    graph = _n(CURATION_GRAPH)
    triples: set[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = set()
    for d in lexicon.curation.decisions:
        node = decision_iri(d.id)
        triples.add((node, A, kg("CurationDecision")))
        triples.add((node, kg("action"), ox.Literal(d.action)))
        triples.add((node, _term(RDFS + "comment"), ox.Literal(d.reason)))
        triples.add((node, kg("gazetteerEntry"), ox.Literal(d.source)))
        if d.by:
            triples.add((node, _term(DCTERMS + "creator"), ox.Literal(d.by)))
        if d.date:
            triples.add((node, _term(DCTERMS + "date"),
                         _date(d.date) if len(d.date) in (4, 7, 10) else ox.Literal(d.date)))
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
