"""The embedded store: idempotent builds, one named graph per article, replacement, bad files skipped."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest
from conftest import SEED

from kg.errors import StoreError
from kg.knowledge.lexicon import load_lexicon
from kg.paths import ontology_dir
from kg.pipeline.builder import build, remove_article
from kg.rdf.quads import article_iri
from kg.store.embedded import Store
from kg.vocab import ARTICLE, CURATION_GRAPH, GAZETTEER_GRAPH, KG, KGR, ONTOLOGY_GRAPH, SUMMARY_GRAPH


def _snapshot(store: Store) -> list[str]:
    return [str(q) for q in store.quads()]


def test_building_twice_changes_nothing(tmp_store, lexicon):
    first = build([SEED], tmp_store, lexicon)
    before = _snapshot(tmp_store)
    second = build([SEED], tmp_store, lexicon)
    assert first.built == [SEED.stem] and second.unchanged == [SEED.stem] and not second.built
    assert _snapshot(tmp_store) == before


@pytest.mark.slow
def test_a_saved_query_is_no_curated_data_and_rebuilds_nothing(tmp_store, lexicon, tmp_path):
    build([SEED], tmp_store, lexicon)
    root = shutil.copytree(ontology_dir(), tmp_path / "ontology")
    (root / "queries" / "mine.rq").write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    with (root / "queries" / "entity.rq").open("a", encoding="utf-8") as query:
        query.write("# edited\n")
    edited = load_lexicon(root)
    assert edited.fingerprint == lexicon.fingerprint
    assert build([SEED], tmp_store, edited).unchanged == [SEED.stem]
    with (root / "curation.yaml").open("a", encoding="utf-8") as curation:
        curation.write("# edited\n")
    assert load_lexicon(root).fingerprint != lexicon.fingerprint


def test_new_curated_data_rebuilds_every_article_as_from_scratch(tmp_path, lexicon, monkeypatch):
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    root = shutil.copytree(ontology_dir(), tmp_path / "ontology")
    with (root / "curation.yaml").open("a", encoding="utf-8") as curation:
        curation.write("# edited\n")
    edited = load_lexicon(root)
    grown, fresh = Store(tmp_path / "grown"), Store(tmp_path / "fresh")
    build([SEED, other], grown, lexicon)
    replaced = []  # an article replaced in place, one transaction each
    real, real_with_summaries = Store.replace_graph, Store.replace_graph_and_update
    monkeypatch.setattr(Store, "replace_graph", lambda store, graph, quads: (
        replaced.append(graph.value), real(store, graph, quads)))
    monkeypatch.setattr(Store, "replace_graph_and_update", lambda store, graph, quads, update: (
        replaced.append(graph.value), real_with_summaries(store, graph, quads, update)))
    report = build([SEED, other], grown, edited)
    assert report.built == [SEED.stem, "other"] and not report.unchanged
    assert not [g for g in replaced if g.startswith(ARTICLE)]  # bulk-loaded anew
    build([SEED, other], fresh, edited)
    assert _snapshot(grown) == _snapshot(fresh)
    other.write_text(SEED.read_text(encoding="utf-8").replace("Alto Huallaga", "Chapare"), encoding="utf-8")
    build([SEED, other], grown, edited)  # one of two changed: replaced in place, the other kept
    assert [g for g in replaced if g.startswith(ARTICLE)] == [article_iri("other").value]
    mine = ox.Quad(ox.NamedNode("https://example.org/note"), ox.NamedNode("https://example.org/says"),
                   ox.Literal("kept"), ox.NamedNode("https://example.org/mine"))
    grown.add([mine])
    build([SEED, other], grown, lexicon)  # all stale again, beside a graph of someone else's: in place
    assert mine in grown.quads_of("https://example.org/mine") and len(replaced) > 3


def test_many_articles_replaced_in_place_are_followed_by_compaction(tmp_store, lexicon, tmp_path, monkeypatch):
    import kg.pipeline.builder

    paths = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for path in paths:
        path.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    build(paths, tmp_store, lexicon)
    compacted = []
    monkeypatch.setattr(Store, "optimize", lambda store: compacted.append(store.location))
    paths[0].write_text(SEED.read_text(encoding="utf-8").replace("Alto Huallaga", "Chapare"), encoding="utf-8")
    build(paths, tmp_store, lexicon)
    assert compacted == []  # one replaced: not worth compacting the store
    monkeypatch.setattr(kg.pipeline.builder, "_COMPACT_AFTER", 1)
    paths[0].write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    build(paths, tmp_store, lexicon)
    assert compacted == [tmp_store.location]


def test_each_article_has_its_own_graph(tmp_store, lexicon, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    build([SEED], tmp_store, lexicon)
    build([other], tmp_store, lexicon)
    assert tmp_store.named_graphs() == sorted([ONTOLOGY_GRAPH, CURATION_GRAPH, GAZETTEER_GRAPH, SUMMARY_GRAPH,
                                               article_iri(SEED.stem).value, article_iri("other").value])


def _entry_statements(store, entity: str) -> list[str]:
    return sorted(str(q) for q in store.quads_of(GAZETTEER_GRAPH) if q.subject.value == KGR + entity)


def test_a_curated_entry_is_stored_once_however_many_articles_mention_it(tmp_store, lexicon, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    build([SEED, other], tmp_store, lexicon)
    labels = list(tmp_store.query('SELECT ?g WHERE { GRAPH ?g { kgr:shining-path rdfs:label ?l } }'))
    assert [row["g"].value for row in labels] == [GAZETTEER_GRAPH]
    mentions = {row["g"].value for row in tmp_store.query(
        "SELECT ?g WHERE { GRAPH ?g { ?g schema:mentions kgr:shining-path } }")}
    assert mentions == {article_iri(SEED.stem).value, article_iri("other").value}


def test_removing_articles_takes_out_the_entries_no_article_needs(tmp_store, lexicon, tmp_path):
    from conftest import SEEDS

    build([SEEDS], tmp_store, lexicon)
    assert _entry_statements(tmp_store, "catatumbo")  # only dev01 names it
    for path in sorted(SEEDS.iterdir()):
        if path.stem != SEED.stem:
            remove_article(tmp_store, path.stem)
    alone = Store(None)
    build([SEED], alone, lexicon)
    assert sorted(map(str, tmp_store.quads_of(GAZETTEER_GRAPH))) == sorted(map(str, alone.quads_of(GAZETTEER_GRAPH)))
    assert not _entry_statements(tmp_store, "catatumbo") and _entry_statements(tmp_store, "vraem")
    assert _entry_statements(tmp_store, "peru")  # above the VRAEM, named or not


def test_a_build_after_a_dead_one_rewrites_the_entries(tmp_store, lexicon):
    build([SEED], tmp_store, lexicon)
    whole = sorted(map(str, tmp_store.quads_of(GAZETTEER_GRAPH)))
    label = next(q for q in tmp_store.quads_of(GAZETTEER_GRAPH) if q.subject.value == KGR + "vraem"
                 and q.predicate.value.endswith("#label"))
    # as a dead build leaves it
    tmp_store.update(f"DELETE DATA {{ GRAPH <{GAZETTEER_GRAPH}> {{ {label.subject} {label.predicate} {label.object} . "
                     f"<{GAZETTEER_GRAPH}> <{KG}curatedDataHash> \"{lexicon.fingerprint}\" }} }}")
    report = build([SEED], tmp_store, lexicon)
    assert report.unchanged == [SEED.stem]
    assert sorted(map(str, tmp_store.quads_of(GAZETTEER_GRAPH))) == whole


def test_rebuilding_an_edited_article_replaces_its_graph(tmp_store, lexicon, tmp_path):
    path = tmp_path / SEED.name
    shutil.copy(SEED, path)
    build([path], tmp_store, lexicon)
    path.write_text(path.read_text(encoding="utf-8").replace("Alto Huallaga", "Chapare"), encoding="utf-8")
    report = build([path], tmp_store, lexicon)
    assert report.built == [SEED.stem]
    labels = {row["l"].value for row in tmp_store.query("SELECT ?l WHERE { ?x rdfs:label ?l }")}
    assert "Chapare" in labels and "Alto Huallaga" not in labels


def test_bad_files_are_reported_and_the_rest_built(tmp_store, lexicon, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04")
    shutil.copy(SEED, tmp_path / SEED.name)
    report = build([tmp_path, tmp_path / "missing.txt"], tmp_store, lexicon)
    assert report.built == [SEED.stem]
    assert sorted(e.split(": ", 1)[1] for e in report.errors) == [
        "binary file, not an article", "empty file", "no such file or folder"]


def test_a_failed_write_leaves_the_previous_graph(tmp_store, lexicon, monkeypatch):
    build([SEED], tmp_store, lexicon)
    before = _snapshot(tmp_store)
    graph = article_iri(SEED.stem)

    def broken(quads):
        yield from list(quads)[:10]
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        tmp_store.replace_graph(graph, broken(tmp_store.quads()))
    assert _snapshot(tmp_store) == before


def test_read_only_open_of_a_missing_store(tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        Store(tmp_path / "nothing", read_only=True)


@pytest.mark.slow
def test_parallel_build_writes_the_same_store(tmp_path, lexicon):
    from conftest import SEED_IDS, SEEDS

    one, two = Store(tmp_path / "one"), Store(tmp_path / "two")
    first = build([SEEDS], one, lexicon, jobs=1)
    second = build([SEEDS], two, lexicon, jobs=2)
    assert first.built == second.built == SEED_IDS
    assert _snapshot(one) == _snapshot(two)


def test_unchanged_articles_are_not_even_read(tmp_store, lexicon, monkeypatch):
    import kg.pipeline.builder

    build([SEED], tmp_store, lexicon)
    monkeypatch.setattr(kg.pipeline.builder, "extract_file", lambda *a: (_ for _ in ()).throw(AssertionError("read")))
    report = build([SEED], tmp_store, lexicon)
    assert report.unchanged == [SEED.stem] and report.built == []


def test_remove_one_article(lexicon, tmp_path):
    from click.testing import CliRunner

    from kg.cli.commands import cli

    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    location = str(tmp_path / "store")
    store = Store(location)
    build([SEED, other], store, lexicon)
    del store  # closes the database, as the end of a `kg build` does
    result = CliRunner().invoke(cli, ["remove", "other", "--store", location])
    assert result.exit_code == 0 and result.output == f"Removed 1 article(s) from {location}.\n"
    assert article_iri("other").value not in Store(location).named_graphs()
    missing = CliRunner().invoke(cli, ["remove", "other", "--store", location])
    assert missing.exit_code == 2 and "no article 'other' in the store" in missing.output
