"""SHACL shapes: the seeds conform; each kind of broken graph is caught, by pySHACL (kg validate) and by the
fast check every build runs, which must agree."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from conftest import SEED

from kg.pipeline.builder import build, extract_file
from kg.rdf.quads import extraction_quads
from kg.rdf.validate import check_article, validate_triples
from kg.store.embedded import Store

KG = "https://w3id.org/actorgraph/ontology#"
KGR = "https://w3id.org/actorgraph/id/"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.fixture(scope="module")
def seed_quads(lexicon):
    return extraction_quads(extract_file(SEED, lexicon), lexicon)


def _graph(quads):
    return quads[0].graph_name


def _drop_assertion(quads):
    """Every Assertion of one operatesIn fact (two rules may back the same fact)."""
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    about: dict = {}
    for q in quads:
        about.setdefault(q.subject, {})[q.predicate.value] = q.object
    backing = sorted((str(p[rdf + "subject"]), str(p[rdf + "object"]), str(a)) for a, p in about.items()
                     if p.get(rdf + "predicate") == ox.NamedNode(KG + "operatesIn"))
    fact = backing[0][:2]
    dropped = {a for *found, a in backing if tuple(found) == fact}
    return [q for q in quads if str(q.subject) not in dropped]


def _second_label(quads):
    return quads + [ox.Quad(ox.NamedNode(KGR + "shining-path"), RDFS_LABEL, ox.Literal("Sendero"), _graph(quads))]


def _second_class(quads):
    return quads + [ox.Quad(ox.NamedNode(KGR + "shining-path"), TYPE, ox.NamedNode(KG + "GovernmentBody"),
                            _graph(quads))]


def _shifted_offsets(quads):
    out = []
    for q in quads:
        if q.predicate.value == KG + "startOffset":
            q = ox.Quad(q.subject, q.predicate, ox.Literal(str(int(q.object.value) + 3), datatype=q.object.datatype),
                        q.graph_name)
        out.append(q)
    return out


def _plain_date(quads):
    return [ox.Quad(q.subject, q.predicate, ox.Literal(q.object.value), q.graph_name)
            if q.predicate.value == KG + "date" else q for q in quads]


def _loop(quads):
    peru, vraem = ox.NamedNode(KGR + "peru"), ox.NamedNode(KGR + "vraem")
    extra = [ox.Quad(peru, ox.NamedNode(KG + "locatedIn"), vraem, _graph(quads))]
    for s, o in ((peru, vraem),):
        node = ox.NamedNode(KGR + "assertion-loop")
        extra += [ox.Quad(node, TYPE, ox.NamedNode(KG + "Assertion"), _graph(quads)),
                  ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"), s, _graph(quads)),
                  ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate"),
                          ox.NamedNode(KG + "locatedIn"), _graph(quads)),
                  ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#object"), o, _graph(quads)),
                  ox.Quad(node, ox.NamedNode(KG + "curatedSource"), ox.Literal("test"), _graph(quads))]
    return quads + extra


BREAKAGES = {"FactShape": _drop_assertion, "EntityShape": _second_label, "EntityShape ": _second_class,
             "AssertionShape": _shifted_offsets, "EventShape": _plain_date, "NoLoopShape": _loop}


def test_the_seed_conforms(seed_quads, lexicon):
    assert check_article(seed_quads, lexicon.root) == []
    assert validate_triples(seed_quads, lexicon.root) == []


@pytest.mark.parametrize("shape, breakage", sorted(BREAKAGES.items()))
def test_breakage_is_caught_by_both(seed_quads, lexicon, shape, breakage):
    broken = breakage(list(seed_quads))
    fast = {v.shape.rsplit("#", 1)[1] for v in check_article(broken, lexicon.root)}
    full = {v.shape.rsplit("#", 1)[1] for v in validate_triples(broken, lexicon.root)}
    assert shape.strip() in fast
    assert shape.strip() in full
    assert fast == full, "the build's check and the SHACL shapes disagree"


@pytest.mark.parametrize("shape,breakage", sorted(BREAKAGES.items()))
def test_build_refuses_an_article_that_does_not_conform(lexicon, monkeypatch, shape, breakage):
    """Whether the break lies in the article's graph alone (offsets) or shows only beside the gazetteer entries
    it uses (a second label for a curated entity, a loop through a curated region's chain)."""
    import kg.pipeline.builder

    real = kg.pipeline.builder.article_quads
    monkeypatch.setattr(kg.pipeline.builder, "article_quads", lambda e, lex: breakage(real(e, lex)))
    store = Store(None)
    report = build([SEED], store, lexicon)
    assert report.built == [] and len(report.errors) == 1
    assert "does not conform to ontology/shapes.ttl" in report.errors[0] and shape.strip() in report.errors[0]
    assert not any(g.endswith(SEED.stem) for g in store.named_graphs())


def test_a_month_only_start_date_is_built_and_conforms(tmp_path, lexicon):
    """"From March 2023" is all an article may say: the start is an xsd:gYearMonth, which the build writes and
    `kg validate` accepts (it once refused it while the build let it through)."""
    article = tmp_path / "month-only.txt"
    article.write_text("Title: Emergency rule returns to the valley\nDate: 2023-04-02\nSource: Test Wire\n\n"
                       "The Peruvian government declared a state of emergency in the VRAEM starting March 2023, "
                       "after a series of attacks blamed on the Shining Path.\n", encoding="utf-8")
    store = Store(None)
    report = build([article], store, lexicon)
    assert report.built and not report.errors
    starts = [q.object for q in store.quads() if q.predicate.value == KG + "startDate"]
    assert starts == [ox.Literal("2023-03", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth"))]
    assert validate_triples(list(store.quads()), lexicon.root) == []
