"""What the wheel declares: the dependencies the package imports and no others, one version, a licence, and a
`kg build` that works outside the checkout."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions, version
from pathlib import Path

from click.testing import CliRunner

import kg
from kg.cli.commands import cli

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _imported_distributions() -> set[str]:
    """The distributions whose modules the package imports (kg/tools/, left out of the wheel, apart)."""
    modules: set[str] = set()
    for path in (ROOT / "kg").rglob("*.py"):
        if "tools" in path.relative_to(ROOT / "kg").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    modules -= set(sys.stdlib_module_names) | {"kg", "__future__"}
    owners = packages_distributions()
    unknown = sorted(m for m in modules if m not in owners)
    assert unknown == [], f"imported but installed by no distribution: {unknown}"
    return {_name(dist) for m in modules for dist in owners[m]}


def test_the_dependencies_are_what_the_package_imports():
    declared = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    imported = _imported_distributions()
    assert sorted(imported - declared) == [], "imported, not declared in pyproject.toml"
    assert sorted(declared - imported) == [], "declared in pyproject.toml, imported nowhere"


def test_one_version():
    assert "version" not in PYPROJECT["project"] and PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "kg/__init__.py"
    assert version("actorgraph") == kg.__version__
    assert CliRunner().invoke(cli, ["--version"]).output == f"kg, version {kg.__version__}\n"


def test_the_licence_is_the_one_declared():
    assert PYPROJECT["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Copyright (c) 2026 the actorgraph authors" in text


def test_build_without_sources_outside_the_checkout_says_what_to_pass(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KG_STORE", str(tmp_path / "store"))
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 2
    assert "no SOURCES given, and no seeds/ folder here to build by default: name the article files or folders" \
        in result.output
    assert not (tmp_path / "store").exists()
