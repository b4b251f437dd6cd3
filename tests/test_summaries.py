"""The summaries graph stays equal to summaries recomputed from scratch while articles come, change and go."""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path

import pytest
from servers import oxigraph_server, virtuoso_server

from kg.errors import KgError, QueryError
from kg.network.model import load_network
from kg.paths import ontology_dir
from kg.pipeline.builder import build, remove_article
from kg.pipeline.summaries import recomputed_lines, stored_lines, writes_since_compaction
from kg.query.run import run_query, saved_queries, stale_summaries
from kg.read.files import slug_id
from kg.serve.jobs import answer_query, binding_notes_of
from kg.store.embedded import Store
from kg.store.remote import RemoteStore
from kg.vocab import KG, SUMMARY_GRAPH

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate_corpus import write_corpus


@pytest.fixture(scope="module")
def pool(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("pool")
    write_corpus(folder, 16)
    return sorted(folder.iterdir())


def _random_history(store, pool: list[Path], live: Path, lexicon, rng: random.Random, steps: int) -> list[str]:
    """Build a few articles, then add, replace (another article's text under the same file name) and remove
    them in random order, checking after each step that the stored summaries are those recomputed."""
    live.mkdir()
    for path in rng.sample(pool, 5):
        shutil.copy(path, live / path.name)
    done = []
    assert build([live], store, lexicon).ok
    assert stored_lines(store) == recomputed_lines(store)
    for _ in range(steps):
        present = sorted(live.iterdir())
        absent = [p for p in pool if not (live / p.name).exists()]
        op = rng.choice(["add", "replace", "remove"] if absent and len(present) > 1 else ["replace"])
        if op == "add":
            path = rng.choice(absent)
            shutil.copy(path, live / path.name)
        elif op == "replace":
            target = rng.choice(present)
            source = rng.choice([p for p in pool if p.suffix == target.suffix])
            (live / target.name).write_bytes(source.read_bytes() + b"\n")
        else:
            target = rng.choice(present)
            target.unlink()
            remove_article(store, slug_id(target))
        if op != "remove":
            assert build([live], store, lexicon).ok
        done.append(op)
        assert stored_lines(store) == recomputed_lines(store), f"after {done}"
    return done


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summaries_equal_those_recomputed_after_random_builds_replacements_and_removals(seed, pool, tmp_path,
                                                                                         lexicon):
    store = Store(None)
    done = _random_history(store, pool, tmp_path / "live", lexicon, random.Random(seed), 10)
    assert len(set(done)) >= 2
    answered = _rows(store, saved_queries(ontology_dir())["positions"].text)
    assert answered and answered == _rows(store, _POSITIONS_FROM_TRIPLES)


# positions as it was asked of the article graphs' triples before it read its summaries
_POSITIONS_FROM_TRIPLES = """SELECT ?person ?position ?articles ?latest WHERE {
  { SELECT ?p ?position (COUNT(DISTINCT ?g) AS ?articles) (MAX(?published) AS ?latest) WHERE {
      GRAPH ?g { ?p kg:holdsPosition ?position }
      OPTIONAL { { SELECT ?g ?published WHERE { GRAPH ?g { ?g schema:datePublished ?published } } } }
    } GROUP BY ?p ?position }
  { SELECT ?p ?person WHERE {
      { SELECT ?p (MIN(?g) AS ?first) WHERE { GRAPH ?g { ?p kg:holdsPosition ?title } } GROUP BY ?p }
      OPTIONAL { GRAPH <https://w3id.org/actorgraph/gazetteer> { ?p rdfs:label ?curated } }
      OPTIONAL { GRAPH ?first { ?p rdfs:label ?named } }
      BIND(COALESCE(?curated, ?named) AS ?person) } }
} ORDER BY CONCAT(?person, "\t", ?position)"""


def _rows(store, query: str) -> list[tuple]:
    return [tuple(str(s[v]) for v in ("person", "position", "articles", "latest")) for s in run_query(store, query)]


def test_a_full_build_writes_the_summaries_a_build_one_by_one_writes(pool, tmp_path, lexicon):
    bulk, one_by_one = Store(None), Store(None)
    build(pool[:8], bulk, lexicon)
    for path in pool[:8]:
        build([path], one_by_one, lexicon)
    assert stored_lines(bulk) == stored_lines(one_by_one) == recomputed_lines(bulk)


@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
def test_summaries_are_kept_on_a_sparql_server(server, pool, tmp_path, lexicon):
    if server == "oxigraph":
        with oxigraph_server(tmp_path) as url:
            _random_history(RemoteStore(url), pool, tmp_path / "live", lexicon, random.Random(7), 5)
    else:
        with virtuoso_server(tmp_path) as (url, update_url):
            _random_history(RemoteStore(url, update_url=update_url), pool, tmp_path / "live", lexicon,
                            random.Random(7), 5)


# As a version before the undated events were counted left them (no format, no undated counts), and one before
# the entities' roles in events were (format 2, no role summaries), and one before the positions' rows were
# (format 3, no position summaries).
_S = f"GRAPH <{SUMMARY_GRAPH}>"
_NO_FORMAT = f"DELETE WHERE {{ {_S} {{ <{SUMMARY_GRAPH}> <{KG}summaryFormat> ?f }} }}"
OLDER = {"undated events": f"{_NO_FORMAT} ;\nDELETE WHERE {{ {_S} {{ ?n <{KG}month> \"\" ; ?p ?v }} }}",
         "roles": f"{_NO_FORMAT} ;\nINSERT DATA {{ {_S} {{ <{SUMMARY_GRAPH}> <{KG}summaryFormat> 2 }} }} ;\n"
                  f"DELETE WHERE {{ {_S} {{ ?n a <{KG}EventRoleSummary> ; ?p ?v }} }}",
         "positions": f"{_NO_FORMAT} ;\nINSERT DATA {{ {_S} {{ <{SUMMARY_GRAPH}> <{KG}summaryFormat> 3 }} }} ;\n"
                      f"DELETE WHERE {{ {_S} {{ ?n a <{KG}PositionSummary> ; ?p ?v }} }}"}


@pytest.mark.parametrize("before", sorted(OLDER))
def test_summaries_of_an_older_shape_are_computed_anew_by_the_next_build(before, pool, tmp_path, lexicon):
    store = Store(None)
    assert build(pool[:4], store, lexicon).ok
    kept = stored_lines(store)
    assert any('summaryFormat' in line for line in map(str, store.quads_of(SUMMARY_GRAPH)))
    store.update(OLDER[before])
    assert writes_since_compaction(store) is None and stored_lines(store) != kept
    assert build(pool[4:5], store, lexicon).ok
    assert stored_lines(store) == recomputed_lines(store) and writes_since_compaction(store) is not None


@pytest.mark.parametrize("before", sorted(OLDER))
def test_summaries_of_an_older_shape_are_refused_by_queries_and_views_until_the_next_build(before, pool, lexicon):
    store = Store(None)
    assert build(pool[:3], store, lexicon).ok
    positions = saved_queries(ontology_dir())["positions"]
    assert stale_summaries(store) is None and list(run_query(store, positions.text))
    store.update(OLDER[before])
    shape = "of format 3" if before == "positions" else "of format 2" if before == "roles" else "of an older shape"
    with pytest.raises(QueryError, match=f"summaries are {shape} and this version reads format 4: run `kg build`"):
        run_query(store, positions.text)
    assert list(run_query(store, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1"))  # not reading them: asked
    with pytest.raises(KgError, match="summaries are"):
        load_network(store)
    answer = answer_query(store, positions.text, [], [], "json", "turtle", 100)
    assert answer.status == 409 and b"run `kg build`" in answer.body
    notes = binding_notes_of(store, positions, [])
    assert notes.status == 200 and any("this version reads format 4" in n for n in json.loads(notes.body))
    assert build(pool[3:4], store, lexicon).ok
    assert stale_summaries(store) is None and list(run_query(store, positions.text))


def test_an_empty_store_has_no_stale_summaries():
    assert stale_summaries(Store(None)) is None
