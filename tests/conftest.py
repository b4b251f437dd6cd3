"""Shared fixtures: the lexicon, the seed article, a store built from seeds/, and headless Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kg.knowledge.lexicon import default_lexicon
from kg.pipeline.builder import build
from kg.store.embedded import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_6bef111ac725a0fa.txt"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/golden/ from the current output.")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def lexicon():
    return default_lexicon()


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory, lexicon) -> Store:
    """The first seed alone, built once into an on-disk store shared by the read-only tests."""
    store = Store(tmp_path_factory.mktemp("seed") / "store")
    report = build([SEED], store, lexicon)
    assert report.ok, report.errors
    return store


@pytest.fixture(scope="session")
def seeds_store(tmp_path_factory, lexicon) -> Store:
    """Everything in seeds/, as the main job builds it."""
    store = Store(tmp_path_factory.mktemp("seeds") / "store")
    report = build([SEEDS], store, lexicon)
    assert report.ok, report.errors
    return store


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
    """Debian's headless Chromium driven by Playwright, with no background network."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package")
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        _missing(f"Chromium ({CHROMIUM})")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
