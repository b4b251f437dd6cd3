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
from kg.rdf.shacl import compiled_shapes, read_predicates
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


@SETTINGS
@given(quads=graphs(), data=st.data())
def test_shared_parts_give_the_verdicts_of_one_graph(lexicon, quads, data):
    """A graph given as an article's quads and parts shared with other graphs (gazetteer entries, indexed once
    per process): the same verdicts as its quads in one list, whether a part describes a subject alone, with
    another part or with the article, and whether two of them hold the same triple."""
    article, parts = [], [[], []]
    for q in quads:
        where = data.draw(st.sampled_from(["article", "part", "other part", "article and part", "both parts"]))
        if where in ("article", "article and part"):
            article.append(q)
        if where in ("part", "article and part", "both parts"):
            parts[0].append(q)
        if where in ("other part", "both parts"):
            parts[1].append(q)
    shapes = compiled_shapes(str(lexicon.root))
    entries = [tuple(p) for p in parts]
    shared = [q for p in parts for q in p]
    for other in ([], article[::2], article):  # other articles with the same entries, their index and results kept
        assert {v.verdict for v in shapes.check(other, entries)} == {v.verdict for v in shapes.check(other + shared)}
    assert {v.verdict for v in shapes.check(article, entries)} == {v.verdict for v in shapes.check(quads)}


PREFIX = "PREFIX kg: <https://w3id.org/actorgraph/ontology#>\n"


@pytest.mark.parametrize("where, reads", [
    ("$this kg:a ?o . ?o kg:b/^kg:c ?x", {"a", "b", "c"}),
    ("$this (kg:a|kg:b)* ?o", {"a", "b"}),
    ("$this ?p ?o FILTER(?p IN (kg:a, kg:b) && ?o != $this)", {"a", "b"}),
    ("$this kg:a ?o FILTER NOT EXISTS { ?o kg:b ?x FILTER EXISTS { ?x kg:c ?y } }", {"a", "b", "c"}),
    ("$this ?p ?o", None),
    ("$this !kg:a ?o", None),
    ("$this ?p ?o FILTER(?p IN (kg:a) || ?o = $this)", None),
    ("$this kg:a ?o FILTER NOT EXISTS { ?o kg:b ?x FILTER EXISTS { ?x ?q ?y } }", None),
    ("$this kg:a ?o OPTIONAL { ?o ?p ?x FILTER(?p IN (kg:b)) }", None),
    ("$this kg:a ?o MINUS { ?o ?p ?x }", None),
    ("{ SELECT $this WHERE { $this ?p ?o } }", None),
])
def test_the_predicates_a_sparql_constraint_reads(where, reads):
    """The check's store for the SPARQL constraints holds only the triples they can read: a variable predicate
    reads every triple unless a FILTER over its own group holds it to named IRIs."""
    found = read_predicates(f"{PREFIX}SELECT $this WHERE {{ {where} }}")
    assert (None if found is None else {iri.removeprefix(KG) for iri in found}) == reads


def test_the_shapes_sparql_constraints_read_few_predicates(lexicon):
    reads = compiled_shapes(str(lexicon.root)).sparql_reads
    assert reads is not None and RDF + "type" in reads and KG + "operatesIn" in reads
    assert RDFS + "label" not in reads and KG + "nameKey" not in reads
