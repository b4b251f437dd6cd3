"""Hostile articles get a clear outcome, built or refused with a message; crashes and concurrent builds never
corrupt the store."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import SEED

from kg.pipeline.builder import build
from kg.store.embedded import Store
from kg.views.render import write_view
from kg.vocab import GAZETTEER_GRAPH

SEED_TEXT = SEED.read_text(encoding="utf-8")


def _build(tmp_path, lexicon, name: str, content: str | bytes):
    path = tmp_path / name
    (path.write_bytes if isinstance(content, bytes) else lambda c: path.write_text(c, encoding="utf-8"))(content)
    store = Store(None)
    return build([path], store, lexicon), store


def test_a_huge_file_is_refused_without_being_read(tmp_path, lexicon):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as out:
        out.truncate(50_000_000)  # 50 MB of nothing, written sparse
    report = build([path], Store(None), lexicon)
    assert report.built == [] and "too large for a news article (50.0 MB; the limit is 10 MB" in report.errors[0]


def test_a_million_character_line_is_built(tmp_path, lexicon):
    line = "The Shining Path operates in the VRAEM and " * 23_300
    report, store = _build(tmp_path, lexicon, "line.txt", f"Headline\n\n{line}\n")
    assert report.built == ["line"] and len(line) > 1_000_000
    assert bool(store.query("ASK { kgr:shining-path kg:operatesIn kgr:vraem }"))


@pytest.mark.parametrize("name, html, outcome", [
    ("nested.html", "<html><body><article><h1>Deep</h1>" + "<div>" * 50_000 + "<p>Los Zetas control Nuevo Laredo.</p>"
     + "</div>" * 50_000 + "</article></body></html>", "refused"),
    ("broken.html", "<html><body><article><h1>Broken <p>Los Zetas control Nuevo Laredo.<div><p>Tren de Aragua <b>"
     "operates in Chile</article></span></html", "built"),
    ("empty.html", "<html><body><nav>Home</nav></body></html>", "refused"),
])
def test_nested_and_broken_html(tmp_path, lexicon, name, html, outcome):
    report, store = _build(tmp_path, lexicon, name, html)
    if outcome == "built":
        assert report.built == [name.removesuffix(".html")]
        assert bool(store.query("ASK { kgr:los-zetas kg:operatesIn kgr:mx-nuevo-laredo }"))
    else:
        assert report.built == [] and report.errors[0].startswith(str(tmp_path / name))


def test_zero_width_and_right_to_left_characters(tmp_path, lexicon):
    text = SEED_TEXT.replace("Mariano González", "Mariano\u200b González").replace("VRAEM", "\u202eVRAEM\u202c")
    report, store = _build(tmp_path, lexicon, "zw.txt", text)
    assert report.built == ["zw"]
    for row in store.query("SELECT ?e ?s ?t WHERE { ?a kg:evidence ?e ; kg:startOffset ?s ; kg:endOffset ?t }"):
        assert text[int(row["s"].value):int(row["t"].value)] == row["e"].value


@pytest.mark.parametrize("year, published", [("1900", "1900-10-11"), ("2200", None)])
def test_implausible_dates(tmp_path, lexicon, year, published):
    report, store = _build(tmp_path, lexicon, "dated.txt", SEED_TEXT.replace("11 OCT 2016", f"11 OCT {year}"))
    assert report.built == ["dated"]
    dates = [r["d"].value for r in store.query("SELECT ?d WHERE { ?a schema:datePublished ?d }")]
    assert dates == ([published] if published else [])
    assert bool(report.warnings) == (published is None)
    if not published:
        assert "publication date 2200-10-11 lies in the future; built without it" in report.warnings[0]


def test_script_in_a_headline_stays_text(tmp_path, lexicon):
    report, store = _build(tmp_path, lexicon, "script.txt", SEED_TEXT.replace(
        "Peru Renews Military Operations in VRAEM Coca Hub", "<script>alert(1)</script> Peru"))
    out = tmp_path / "view.html"
    write_view(store, out)
    assert "<script>alert(1)" not in out.read_text(encoding="utf-8")


def _copies(folder, n: int):
    folder.mkdir()
    for i in range(n):
        shutil.copy(SEED, folder / f"copy{i:02d}.txt")
    return folder


def _kg(*args) -> list[str]:
    return [sys.executable, "-m", "kg", *map(str, args)]


def test_killing_a_build_leaves_whole_articles_and_a_second_build_finishes(tmp_path, lexicon):
    sources = _copies(tmp_path / "articles", 24)
    reference = Store(None)
    build([sources], reference, lexicon)
    expected = {g: sorted(map(str, reference.quads_of(g))) for g in reference.named_graphs()}
    location = tmp_path / "store"
    rng = random.Random(7)
    for _ in range(3):
        process = subprocess.Popen(_kg("build", sources, "--store", location), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.8, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        store = Store(location)  # opens after the kill
        for graph in store.named_graphs():
            got = sorted(map(str, store.quads_of(graph)))
            if graph == GAZETTEER_GRAPH:  # entries in, stamp out while building: the next build checks them
                assert set(got) <= set(expected[graph])
            else:
                assert got == expected[graph], f"{graph} is half-written"
        del store
    finished = subprocess.run(_kg("build", sources, "--store", location), capture_output=True, text=True,
                              timeout=300)
    assert finished.returncode == 0, finished.stderr
    store = Store(location)
    assert {g: sorted(map(str, store.quads_of(g))) for g in store.named_graphs()} == expected


def test_a_second_build_on_the_same_store_is_refused(tmp_path):
    location = tmp_path / "store"
    holder = Store(location)  # open for writing, as a running build holds it
    build_while_held = subprocess.run(_kg("build", SEED, "--store", location), capture_output=True, text=True,
                                      timeout=120)
    assert build_while_held.returncode == 2
    assert "the store is in use by another kg process" in build_while_held.stderr
    del holder
    assert subprocess.run(_kg("build", SEED, "--store", location), capture_output=True, timeout=120).returncode == 0
