"""A bug met while extracting one article is that article's error: the report names the file, the exception and
where it was raised, and the build goes on with the other files (exit status 2, as for a bad file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.pipeline.builder as builder
from kg.cli.commands import cli
from kg.pipeline.builder import build
from kg.store.embedded import Store


def _explode():
    return {}["victim"]


@pytest.fixture
def articles(tmp_path, monkeypatch) -> Path:
    """Two articles, of which extracting `broken.txt` raises KeyError deep inside, in every process (the
    workers of --jobs 2 are forked from this one and keep the patch)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "fine.txt").write_text("Gangs in Guayaquil\n\nLos Choneros control the port of Guayaquil.\n",
                                     encoding="utf-8")
    (folder / "broken.txt").write_text("Gangs in Esmeraldas\n\nLos Lobos control the port of Esmeraldas.\n",
                                       encoding="utf-8")
    real = builder.extract_found
    monkeypatch.setattr(builder, "extract_found",
                        lambda found, lexicon: _explode() if found.article.id == "broken" else real(found, lexicon))
    return folder


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_other_articles_still_go_in(articles, tmp_path, lexicon, jobs):
    store = Store(tmp_path / "store")
    report = build([articles], store, lexicon, jobs=jobs)
    assert report.built == ["fine"]
    (error,) = report.errors
    assert error.startswith(f"{articles / 'broken.txt'}: not written, its extraction failed: KeyError: 'victim' "
                            f"(in _explode, tests/test_build_failures.py:")
    assert any(g.endswith("article-fine") for g in store.named_graphs())
    assert not any(g.endswith("article-broken") for g in store.named_graphs())


def test_the_command_says_so_and_exits_2(articles, tmp_path):
    result = CliRunner().invoke(cli, ["build", str(articles), "--store", str(tmp_path / "store"), "--jobs", "2"])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "broken.txt: not written, its extraction failed: KeyError: 'victim'" in errors[0]
    assert "Built 1 article(s)" in result.output
