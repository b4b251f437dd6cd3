"""Property-based tests (hypothesis): arbitrary text and bytes never crash the reader or the extractors,
offsets always point at the quoted evidence, IRIs stay valid and stable, and every export format gives back
the same graph."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from conftest import SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InvalidArticle
from kg.extract.article import extract
from kg.pipeline.builder import extract_file
from kg.rdf.quads import extraction_quads
from kg.rdf.validate import check_article
from kg.read.files import decode
from kg.read.text import read_text
from kg.text import slug
from kg.vocab import KGR

WORDS = ["the", "Shining Path", "ELN", "Sinaloa Cartel", "Los Zetas", "VRAEM", "Catatumbo", "Peru", "Mexico",
         "operates in", "controls", "stronghold of", "allied with", "clashed with", "arrested", "was captured",
         "state of emergency", "President", "Gustavo Petro", "Defense Minister", "alias", '"El Mayo,"', "on",
         "October 5", "last year", "in 2015", "drug trafficking", "extortion", "the group", "the army", "police",
         ",", ".", "(", ")", "–", "'s", "\u200b", "\u202e", "é", "\n", "\n\n"]
SETTINGS = settings(max_examples=int(__import__("os").environ.get("KG_HYPOTHESIS_EXAMPLES", 60)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

crime_text = st.lists(st.sampled_from(WORDS) | st.text(max_size=12), min_size=0, max_size=120).map(" ".join)


@SETTINGS
@given(body=crime_text)
def test_arbitrary_text_never_crashes_and_offsets_hold(lexicon, body):
    try:
        article = read_text(f"Headline\n\n{body}\n", "prop", "prop", lexicon.layout, lexicon.dates)
    except InvalidArticle:
        return
    extraction = extract(article, lexicon)
    for fact in extraction.facts + extraction.cited_outlets:
        assert article.text[fact.sentence.start:fact.sentence.end] == fact.sentence.text
        for mention in (fact.subject_mention, fact.object_mention):
            if mention:
                assert article.text[mention.start:mention.end] == mention.text
    for mention in extraction.mentions:
        assert article.text[mention.start:mention.end] == mention.text
    assert check_article(extraction_quads(extraction, lexicon), lexicon.root) == []


@SETTINGS
@given(raw=st.binary(max_size=3000))
def test_arbitrary_bytes_decode_or_are_refused(raw):
    try:
        text = decode(raw, "x.txt")
    except InvalidArticle as exc:
        assert str(exc).startswith("x.txt: ")
        return
    assert isinstance(text, str) and "\r" not in text


@SETTINGS
@given(name=st.text(max_size=60))
def test_iris_are_valid_and_an_id_minted_again_is_the_same_id(name):
    minted = slug(name)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*|x", minted)
    assert slug(minted) == minted
    ox.NamedNode(KGR + minted)


@pytest.mark.parametrize("name, minted", [
    ("Sendero Luminoso", "sendero-luminoso"), ("Mariano González", "mariano-gonzalez"),
    ("Mariano Gonzalez", "mariano-gonzalez"), ("  ¡Los Choneros!  ", "los-choneros"),
    ("Cartel de Jalisco Nueva Generación (CJNG)", "cartel-de-jalisco-nueva-generacion-cjng"),
    ("Ñuble", "nuble"), ("", "x"), ("—", "x"),
])
def test_a_name_mints_the_same_iri_in_every_run_whatever_its_accents(name, minted):
    """IRIs found by patterns come from names: a change here renames entities in every store and export."""
    assert slug(name) == minted


@pytest.mark.parametrize("fmt", [ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD])
def test_every_dataset_format_round_trips(lexicon, fmt):
    for path in sorted(SEEDS.iterdir()):
        quads = extraction_quads(extract_file(path, lexicon), lexicon)
        back = ox.parse(ox.serialize(quads, format=fmt), format=fmt)
        assert sorted(map(str, back)) == sorted(map(str, quads)), path.name


def test_turtle_round_trips_the_triples(lexicon):
    quads = extraction_quads(extract_file(next(SEEDS.iterdir()), lexicon), lexicon)
    triples = sorted({str(ox.Triple(q.subject, q.predicate, q.object)) for q in quads})
    text = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.TURTLE)
    assert sorted(map(str, ox.parse(text, format=ox.RdfFormat.TURTLE))) == triples
