"""Shared fixtures: the lexicon, articles of our own words read in memory, the seed article, a store built from
seeds/, the set of views of it, headless Chromium and its pages (what they request, what errors they raise),
and `kg serve` on a free loopback port."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from kg.knowledge.lexicon import default_lexicon
from kg.model import Article
from kg.pipeline.builder import build
from kg.read.files import article_files
from kg.read.text import read_text
from kg.serve.app import ServerConfig, make_server
from kg.store.embedded import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_6bef111ac725a0fa.txt"
# Whatever seeds/ holds: a test about the whole folder counts these, never a fixed number.
SEED_IDS = sorted(p.stem for p in article_files([SEEDS]))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]

HOSTILE_HEADLINE = "<script>window.pwned = 1</script> Hub</title>"


def hostile_seed(folder: Path, extra: tuple[str, str] | None = None) -> Path:
    """The seed with markup in its headline and in a sentence (and, with `extra`, more after a given text), at
    `folder`/hostile.txt: a page that shows it must run none of it."""
    text = SEED.read_text(encoding="utf-8").replace("Peru Renews Military Operations in VRAEM Coca Hub",
                                                    HOSTILE_HEADLINE)
    if extra:
        text = text.replace(extra[0], extra[0] + extra[1])
    path = folder / "hostile.txt"
    path.write_text(text.replace("stronghold of the guerrilla group",
                                 "stronghold of the guerrilla group <img src=x onerror=window.pwned=2>"),
                    encoding="utf-8")
    return path


def hostile_store(folder: Path, lexicon, extra: tuple[str, str] | None = None) -> Store:
    """An in-memory store of `hostile_seed` alone."""
    store = Store(None)
    build([hostile_seed(folder, extra)], store, lexicon)
    return store


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/ from the current output.")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def lexicon():
    return default_lexicon()


def article_text(text: str, headline: str = "Test article", published: date | None = date(2024, 1, 15),
                 country: str | None = None) -> str:
    """`text` (paragraphs split by blank lines) in the layout of seeds/000_6bef111ac725a0fa.txt: navigation,
    headline, the byline "COUNTRY / 15 JAN 2024 BY ..." and a page footer the reader must leave out. Without a
    publication date there is no byline (the reader's plain-text layout), so no country either."""
    if published is None:
        if country:
            raise ValueError("the byline that names a country needs a publication date")
        return f"{headline}\n\n{text.strip()}\n"
    topic = (country or "News").upper()
    month = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()[published.month - 1]  # not the locale's
    byline = f"{topic} / {published.day} {month} {published.year} BY TEST WRITER EN"
    return (f"HomeNewsBrief{headline}\nBRIEF\n\n{headline}\n\n{byline}\n\n{text.strip()}\n\n"
            f"share icon icon icon\n\nWas this content helpful?\n")


@pytest.fixture
def article(lexicon):
    """Make an `Article` of a text of our own words through the real reader, without a file:
    `article("The Shining Path operates in the VRAEM.", published=date(2016, 10, 11), country="Peru")`.
    `country` is the byline's topic, as the seeds' pages write it ("PERU / 11 OCT 2016"); the extractors
    find an article's country from the places and institutions it names, so name them in the text too."""
    def make(text: str, published: date | None = date(2024, 1, 15), country: str | None = None,
             headline: str = "Test article", article_id: str = "test-article") -> Article:
        return read_text(article_text(text, headline, published, country), article_id, f"{article_id}.txt",
                         lexicon.layout, lexicon.dates)
    return make


@pytest.fixture
def articles_store(tmp_path, lexicon):
    """Build articles of our own words ({id: text in the seeds' layout, see `article_text`}) into a fresh
    in-memory store, through the real build, and return it."""
    def make(texts: dict[str, str]) -> Store:
        folder = tmp_path / "articles"
        folder.mkdir(exist_ok=True)
        for article_id, text in texts.items():
            (folder / f"{article_id}.txt").write_text(text, encoding="utf-8")
        store = Store(None)
        report = build([folder / f"{article_id}.txt" for article_id in texts], store, lexicon)
        assert report.ok and report.built == list(texts), report.errors
        return store
    return make


def built_for_reading(folder: Path, sources: list[Path], lexicon) -> Store:
    """Build `sources` into `folder`, then hold it read-only, as `kg serve` and the queries do. A writer kept
    open goes on compacting in the background, and a reader opened beside it (a served endpoint) can find the
    files it listed already gone."""
    writer = Store(folder)
    report = build(sources, writer, lexicon)
    assert report.ok, report.errors
    writer.close()
    return Store(folder, read_only=True)


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory, lexicon) -> Store:
    """The first seed alone, built once into an on-disk store shared by the read-only tests."""
    return built_for_reading(tmp_path_factory.mktemp("seed") / "store", [SEED], lexicon)


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory, lexicon) -> Store:
    """Everything in seeds/, as the main job builds it."""
    return built_for_reading(tmp_path_factory.mktemp("seeds") / "store", [SEEDS], lexicon)


# The seeds the multi-article expectations of the tests were read from. They name these files, not the folder,
# so an article added to seeds/ (README: Adding an article) changes none of them.
CORPUS = [SEEDS / name for name in ("000_6bef111ac725a0fa.txt", "dev01_catatumbo-eln-dissidents.txt",
                                    "dev02_sonora-migrant-smuggling.txt", "dev03_ecuador-prison-transfers.txt",
                                    "dev04_vraem-shining-path-arrests.txt", "dev05_moskitia-land-grabs.html")]


@pytest.fixture(scope="session")
def corpus_store(request, tmp_path_factory, lexicon) -> Store:
    """The articles of CORPUS built together: seeds_store itself while seeds/ holds just them."""
    if SEED_IDS == [p.stem for p in CORPUS]:
        return request.getfixturevalue("seeds_store")
    return built_for_reading(tmp_path_factory.mktemp("corpus") / "store", CORPUS, lexicon)


@pytest.fixture
def tmp_store(tmp_path) -> Store:
    return Store(tmp_path / "store")


def _missing(what: str) -> None:
    """Outside CI a missing browser or server skips with the reason; in CI it fails."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{what} is required in CI (CI=true)")
    pytest.skip(f"{what} is not installed here; `.ci/run` installs it")


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium (/usr/bin/chromium, never a browser Playwright downloaded) driven by
    Playwright, with no background network."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package")
    if not os.access(CHROMIUM, os.X_OK):
        _missing(f"Debian's Chromium ({CHROMIUM}, package chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


# What a network view sets once its layout is done (the map sets body[data-drawn] instead).
STABLE = "document.body.dataset.stable === 'true'"


@pytest.fixture
def open_page(browser):
    """Open a page in Chromium and wait until it is drawn: `page, requests, errors = open_page(path_or_url)`
    (None: a blank page),
    with every URL it requested and every script error or console error it raised so far (the lists grow as
    the test goes on). `ready` is the JavaScript condition to wait for, or `selector` an element to wait for;
    the pages are closed after the test."""
    pages = []

    def open_(target: Path | str | None, ready: str | None = STABLE, selector: str | None = None,
              viewport: tuple[int, int] = (1280, 800)):
        page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        pages.append(page)
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        if target is None:  # (a page the test will send somewhere itself)
            return page, requests, errors
        page.goto(target.as_uri() if isinstance(target, Path) else target)
        if selector:
            page.wait_for_selector(selector, timeout=30000, state="attached")
        elif ready:
            page.wait_for_function(ready, timeout=30000)
        return page, requests, errors

    yield open_
    for page in pages:
        if not page.is_closed():
            page.close()


def offsite(requests: list[str], origin: str | None = None) -> list[str]:
    """The requests that left the page's own files (or `origin`): a view must make none."""
    own = ("file:", "blob:", "data:") + ((origin,) if origin else ())
    return [r for r in requests if not r.startswith(own)]


@pytest.fixture(scope="session")
def view_set(tmp_path_factory, corpus_store) -> Path:
    """The investigators' set of views of CORPUS, written once for the read-only browser tests."""
    from kg.views.sets import write_views

    folder = tmp_path_factory.mktemp("view-set")
    write_views(corpus_store, folder)
    return folder


@contextmanager
def serving(config: ServerConfig) -> Iterator[str]:
    """`kg serve` with `config` (port 0: a free one) in a thread: yields its base URL, and stops it after."""
    server = make_server(config)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.pool.close()
        server.server_close()
