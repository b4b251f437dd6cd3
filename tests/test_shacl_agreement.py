"""The build's check (shapes.ttl interpreted in kg/rdf/shacl.py) and pySHACL (`kg validate`) give the same verdicts,
node, property, constraint component and shape, on generated graphs, valid and broken: wrong or extra classes,
missing and doubled labels, dates of every precision and wrong datatypes, facts without an Assertion, evidence
that is not the text, loops of kg:locatedIn."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InvalidLexicon
from kg.rdf.shacl import compiled_shapes
from kg.rdf.validate import check_article, validate_triples
from kg.vocab import KG, KGR, PROV, RDF, RDFS, SCHEMA, XSD

SETTINGS = settings(max_examples=int(os.environ.get("KG_HYPOTHESIS_EXAMPLES", "60")) // 2, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
A = ox.NamedNode(RDF + "type")
TEXT = "The army moved into the valley. Police arrested two men in the port."

CLASSES = ["CriminalGroup", "Person", "GovernmentBody", "SecurityForce", "Country", "AdministrativeArea",
           "CriminalEconomy", "Actor", "Region"]
EVENTS = ["StateOfEmergency", "Arrest", "Deployment"]


def kg(name: str) -> ox.NamedNode:
    return ox.NamedNode(KG + name)


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


LABELS = st.sampled_from([ox.Literal("Los Lobos"), ox.Literal("El Valle", language="es"), typed("7", "integer")])
DATES = st.sampled_from([typed("2023-03-14", "date"), typed("2023-03", "gYearMonth"), typed("2023", "gYear"),
                         ox.Literal("2023-03"), typed("2023-13", "gYearMonth"), typed("2023-03-14T10:00:00",
                                                                                           "dateTime"),
                         typed("March 2023", "date")])
CONFIDENCES = st.sampled_from([typed("0.80", "decimal"), typed("1.50", "decimal"), ox.Literal("high"),
                               typed("1", "integer")])


@st.composite
def graphs(draw) -> list[ox.Quad]:
    article = ox.NamedNode(KGR + "article-t")
    triples = [(article, A, ox.NamedNode(SCHEMA + "NewsArticle"))]
    triples += [(article, ox.NamedNode(SCHEMA + "text"), ox.Literal(TEXT))] * draw(st.integers(0, 1))
    for headline in draw(st.lists(st.sampled_from(["One", "Two"]), max_size=2, unique=True)):
        triples.append((article, ox.NamedNode(SCHEMA + "headline"), ox.Literal(headline)))
    if draw(st.booleans()):
        triples.append((article, ox.NamedNode(SCHEMA + "datePublished"), draw(DATES)))
    entities = [ox.NamedNode(f"{KGR}e{i}") for i in range(draw(st.integers(1, 4)))]
    for entity in entities:
        for cls in draw(st.lists(st.sampled_from(CLASSES), min_size=1, max_size=2, unique=True)):
            triples.append((entity, A, kg(cls)))
        if draw(st.booleans()):
            triples.append((entity, A, ox.NamedNode(SCHEMA + "Thing")))
        for label in draw(st.lists(LABELS, max_size=2, unique=True)):
            triples.append((entity, ox.NamedNode(RDFS + "label"), label))
    for n in range(draw(st.integers(0, 3))):
        s, o = draw(st.sampled_from(entities)), draw(st.sampled_from(entities))
        predicate = kg(draw(st.sampled_from(["operatesIn", "locatedIn", "allyOf"])))
        triples.append((s, predicate, o))
        if draw(st.booleans()):
            triples += _assertion(draw, f"fact{n}", s, predicate, o, article)
    for n in range(draw(st.integers(0, 2))):
        event = ox.NamedNode(f"{KGR}event-{n}")
        triples.append((event, A, kg(draw(st.sampled_from(EVENTS)))))
        for prop in ("date", "startDate", "endDate"):
            for value in draw(st.lists(DATES, max_size=2, unique=True)):
                triples.append((event, kg(prop), value))
        for role in draw(st.lists(st.sampled_from(["agent", "target", "place"]), max_size=2)):
            triples.append((event, kg(role), draw(st.sampled_from(entities))))
        if draw(st.booleans()):
            triples.append((event, kg("durationDays"), draw(st.sampled_from([typed("60", "integer"),
                                                                               typed("0", "integer")]))))
    graph = ox.NamedNode(KGR + "article-t")
    return [ox.Quad(s, p, o, graph) for s, p, o in dict.fromkeys(triples)]


def _assertion(draw, name: str, s, p, o, article) -> list[tuple]:
    node = ox.NamedNode(f"{KGR}assertion-{name}")
    out = [(node, A, kg("Assertion")), (node, ox.NamedNode(RDF + "subject"), s),
           (node, ox.NamedNode(RDF + "predicate"), p), (node, ox.NamedNode(RDF + "object"), o)]
    if draw(st.booleans()):
        out.append((node, kg("curatedSource"), ox.Literal("gazetteer/test.yaml#x")))
    else:
        start = draw(st.sampled_from([0, 32, 40, -1]))
        end = {0: 31, 32: 68, 40: 68, -1: 31}[start]
        out += [(node, ox.NamedNode(PROV + "wasDerivedFrom"), article),
                (node, kg("evidence"), ox.Literal(TEXT[max(start, 0):end] if start != 40 else TEXT[32:68])),
                (node, kg("startOffset"), typed(str(start), "integer")),
                (node, kg("endOffset"), typed(str(end), "integer"))]
        if draw(st.booleans()):
            out.append((node, kg("rule"), ox.Literal("test.rule")))
    if draw(st.booleans()):
        out.append((node, kg("confidence"), draw(CONFIDENCES)))
    return out


@SETTINGS
@given(quads=graphs())
def test_the_build_check_and_pyshacl_agree(lexicon, quads):
    fast = {v.verdict for v in check_article(quads, lexicon.root)}
    full = {v.verdict for v in validate_triples(quads, lexicon.root)}
    assert fast == full


def test_generated_graphs_reach_every_shape(lexicon):
    """The generator breaks each shape: agreement on graphs that all conform would prove nothing."""
    broken = {"EntityShape", "FactShape", "AssertionShape", "EventShape", "NoLoopShape", "ArticleShape"}
    seen: set[str] = set()

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(quads=graphs())
    def collect(quads):
        seen.update(v.shape.rsplit("#", 1)[1] for v in check_article(quads, lexicon.root))

    collect()
    assert broken <= seen


def test_a_shape_the_check_cannot_read_is_refused(tmp_path, lexicon):
    (tmp_path / "kg.ttl").write_bytes((lexicon.root / "kg.ttl").read_bytes())
    (tmp_path / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .\n")
    with pytest.raises(InvalidLexicon, match="sh:closed is not understood"):
        compiled_shapes(str(tmp_path))
