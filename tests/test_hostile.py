"""Hostile articles get a clear outcome, built or refused with a message; crashes and concurrent builds never
corrupt the store."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from datetime import date

import pytest
from conftest import SEED, article_text

from kg.pipeline.builder import build
from kg.pipeline.summaries import recomputed_lines, stored_lines
from kg.store.embedded import Store
from kg.views.render import write_view

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


@pytest.mark.slow
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


@pytest.mark.parametrize("year, published", [(1900, "1900-10-11"), (2200, None)])
def test_implausible_dates(tmp_path, lexicon, year, published):
    report, store = _build(tmp_path, lexicon, "dated.txt", article_text(
        "The Shining Path operates in the VRAEM.", published=date(year, 10, 11), country="Peru"))
    assert report.built == ["dated"]
    dates = [r["d"].value for r in store.query("SELECT ?d WHERE { ?a schema:datePublished ?d }")]
    assert dates == ([published] if published else [])
    assert bool(report.warnings) == (published is None)
    if not published:
        assert "publication date 2200-10-11 lies in the future; built without it" in report.warnings[0]


def test_script_in_a_headline_stays_text(tmp_path, lexicon):
    report, store = _build(tmp_path, lexicon, "script.txt", article_text(
        "The Shining Path operates in the VRAEM.", headline="<script>alert(1)</script> Peru"))
    assert report.built == ["script"]
    out = tmp_path / "view.html"
    write_view(store, out)
    html = out.read_text(encoding="utf-8")
    assert "alert(1)" in html and "<script>alert(1)" not in html  # the headline is there, as text


def _copies(folder, n: int):
    folder.mkdir()
    for i in range(n):
        shutil.copy(SEED, folder / f"copy{i:02d}.txt")
    return folder


def _kg(*args) -> list[str]:
    return [sys.executable, "-m", "kg", *map(str, args)]


def _graphs(store) -> dict[str, list[str]]:
    return {g: sorted(map(str, store.quads_of(g))) for g in store.named_graphs()}


def test_killing_a_build_mid_way_leaves_whole_articles_and_a_second_build_finishes(tmp_path, lexicon):
    """A build writes into a copy beside the store and swaps it in when done: killed while it writes the copy
    (seen beside the store, so the kill lands mid-build whatever the machine's speed), it leaves the store exactly
    as it was (readers never see a mix), and the next build
    finishes the job and clears the copy."""
    sources = _copies(tmp_path / "articles", 40)
    old = Store(None)
    build([sources], old, lexicon)
    location = tmp_path / "store"
    assert subprocess.run(_kg("build", sources, "--store", location), capture_output=True, timeout=300).returncode == 0
    edited = sorted(sources.iterdir())[1:]  # one left as it was, so the articles are replaced in place, in order
    for path in edited:
        path.write_text(SEED_TEXT.replace("Alto Huallaga", "Chapare"), encoding="utf-8")
    new = Store(None)
    build([sources], new, lexicon)
    before, after = _graphs(old), _graphs(new)
    process = subprocess.Popen(_kg("build", sources, "--store", location, "--jobs", "1"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".store.new-*")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert process.poll() is None, "the build finished before the kill"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _graphs(Store(location, read_only=True)) == before  # the store as it was, every article
    finished = subprocess.run(_kg("build", sources, "--store", location), capture_output=True, text=True,
                              timeout=300)
    assert finished.returncode == 0, finished.stderr
    final = Store(location, read_only=True)
    assert _graphs(final) == after  # the summaries graph with the articles
    assert stored_lines(final) == recomputed_lines(final)
    assert not list(tmp_path.glob(".store.new-*"))


@pytest.mark.slow
def test_a_second_build_on_the_same_store_is_refused(tmp_path):
    location = tmp_path / "store"
    holder = Store(location)  # open for writing, as a running build holds it
    build_while_held = subprocess.run(_kg("build", SEED, "--store", location), capture_output=True, text=True,
                                      timeout=120)
    assert build_while_held.returncode == 2
    assert "the store is in use by another kg process" in build_while_held.stderr
    del holder
    assert subprocess.run(_kg("build", SEED, "--store", location), capture_output=True, timeout=120).returncode == 0
