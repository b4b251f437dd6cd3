"""The `kg` command, driven through click's CliRunner: help that teaches, flows, one-line errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import SEED

from kg.cli.commands import cli


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(tmp_path / "store"))

    def invoke(*args):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_teaches_by_example(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and f"kg {command}" in result.output


@pytest.mark.slow
def test_a_large_view_set_points_to_the_server(run, tmp_path, monkeypatch):
    import kg.cli.network

    assert run("build", SEED).exit_code == 0
    result = run("view", "--all", "-o", tmp_path / "set")
    assert result.exit_code == 0 and "kg serve" not in result.stderr
    monkeypatch.setattr(kg.cli.network, "LARGE_VIEW_SET", 0)
    result = run("view", "--all", "-o", tmp_path / "set")
    assert result.exit_code == 0 and "Note: 1 articles make a set" in result.stderr and "kg serve" in result.stderr
    assert (tmp_path / "set" / "index.html").is_file()


def test_top_level_help_shows_a_start():
    result = CliRunner().invoke(cli, ["--help"])
    assert "kg build" in result.output and "kg query --saved actors-by-region" in result.output


def test_build_query_export_view(run, tmp_path):
    result = run("build", SEED)
    assert result.exit_code == 0
    assert result.output.startswith("Built 1 article(s), 0 unchanged")
    table = run("query", "--saved", "actors-by-region")
    assert table.exit_code == 0 and "Shining Path" in table.output and "(3 rows)" in table.output
    csv = run("query", "SELECT ?p WHERE { kgr:shining-path kg:operatesIn ?r . ?r rdfs:label ?p }", "--format", "csv")
    assert csv.output.splitlines() == ["p", "VRAEM"]
    out = tmp_path / "g.nq"
    assert run("export", "--format", "nq", "-o", out).exit_code == 0
    assert "<https://w3id.org/actorgraph/id/shining-path>" in out.read_text(encoding="utf-8")
    view = tmp_path / "v.html"
    result = run("view", "--focus", "Sendero Luminoso", "--depth", "1", "-o", view)
    assert result.exit_code == 0 and "Shining Path" in view.read_text(encoding="utf-8")
    assert run("query", "--list").output.count("\n") >= 8


def test_extract_prints_facts_with_evidence(run):
    result = run("extract", SEED)
    records = [json.loads(line) for line in result.output.splitlines()]
    assert any(r.get("predicate") == "operatesIn" and r["subject"] == "Shining Path" for r in records)
    assert all({"sentence", "start", "end", "rule"} <= set(r) for r in records)
    ttl = run("extract", SEED, "--format", "ttl")
    assert "kg:operatesIn" in ttl.output


@pytest.mark.parametrize("args, message", [
    (["build", "nowhere/"], "Error: nowhere: no such file or folder\n"),
    (["query", "SELECT WHERE {"], "Error: "),
    (["query", "--saved", "nope"], "Error: no saved query 'nope'; known: "),
])
def test_errors_are_one_line_with_exit_2(run, args, message):
    run("build", SEED)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.output.startswith(message)
    assert result.output.count("\n") == 1


def test_a_mistyped_path_makes_no_store(tmp_path):
    store = tmp_path / "store"
    build = CliRunner().invoke(cli, ["build", str(tmp_path / "nowhere"), "--store", str(store)])
    remove = CliRunner().invoke(cli, ["remove", "some-article", "--store", str(store)])
    assert build.exit_code == remove.exit_code == 2
    assert build.output == f"Error: {tmp_path / 'nowhere'}: no such file or folder\n"
    assert remove.output == f"Error: {store}: no store here; build one first with `kg build`\n"
    assert not store.exists()


def test_a_missing_file_is_one_error_and_the_others_go_in(tmp_path):
    store = tmp_path / "store"
    build = CliRunner().invoke(cli, ["build", str(SEED), str(tmp_path / "nowhere"), "--store", str(store)])
    assert build.exit_code == 2
    assert f"Error: {tmp_path / 'nowhere'}: no such file or folder\n" in build.output
    assert "Built 1 article(s)" in build.output and "the store holds 1 article(s)" in build.output


def test_a_saved_query_says_when_it_asks_about_no_one(run):
    run("build", SEED)
    every = run("query", "--saved", "entity")
    assert every.stderr == ('Note: ?name is not bound, so entity answers for every entity; --bind name="..." asks '
                            'about one.\n') and "VRAEM" in every.stdout
    half = run("query", "--saved", "why", "--bind", "from=Shining Path")
    assert half.stderr.startswith("Note: ?to is not bound") and "operatesIn" in half.stdout
    typo = run("query", "--saved", "entity", "--bind", "name=Shining Pth")
    assert typo.stderr == ("Note: no entity in the store is named 'Shining Pth' (names and aliases, any case or "
                           "accents).\n")
    assert typo.stdout.endswith("(0 rows)\n")
    known = run("query", "--saved", "entity", "--bind", "name=SENDERO luminoso")
    assert known.stderr == "" and "VRAEM" in known.stdout


def test_query_before_any_build_says_what_to_do(run):
    result = CliRunner().invoke(cli, ["query", "--saved", "positions"])
    assert result.exit_code == 2 and "build one first with `kg build`" in result.output


def test_a_binding_the_query_does_not_use_is_reported_and_left_out(run):
    run("build", SEED)
    result = run("query", "--saved", "entity", "--bind", "name=Shining Path", "--bind", "nmae=VRAEM")
    assert result.exit_code == 0 and "Shining Path" in result.stdout
    assert result.stderr == "Warning: the query does not use ?nmae; --bind nmae=... changes nothing.\n"
