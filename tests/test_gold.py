"""Extraction scored against the gold facts of the articles in seeds/ (tests/gold/, GOLD_FORMAT.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS

from kg.pipeline.evaluate import evaluate_folder

GOLD = Path(__file__).parent / "gold"


@pytest.fixture(scope="module")
def scores(lexicon):
    return {s.article: s for s in evaluate_folder(GOLD, lexicon, SEEDS)}


def test_every_gold_file_has_its_article_and_it_builds(scores):
    """A gold file scores its article in seeds/; an article added to seeds/ needs none (README: Adding an article)."""
    gold = {p.name.removesuffix(".gold.json") for p in GOLD.glob("*.gold.json")}
    assert {Path(name).stem for name in scores} == gold and len(gold) >= 6
    assert all((SEEDS / name).is_file() for name in scores)
    assert {name: s.error for name, s in scores.items() if s.error} == {}


def test_first_seed_is_complete(scores):
    first = scores["000_6bef111ac725a0fa.txt"]
    assert (first.hits, first.facts, first.violations) == (first.facts, 13, 0), first.missed


def test_no_must_not_fact_is_made(scores):
    assert {name: s.violated for name, s in scores.items() if s.violated} == {}


def test_recall_and_types_do_not_regress(scores):
    """Floors under the figures in benchmarks/README.md: raise them when extraction improves."""
    facts = sum(s.facts for s in scores.values())
    hits = sum(s.hits for s in scores.values())
    assert hits / facts >= 0.89, {name: s.missed for name, s in scores.items()}
    found = sum(s.entities_found for s in scores.values())
    assert sum(s.types_right for s in scores.values()) / found >= 0.95
