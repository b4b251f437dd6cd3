"""Docs that cannot drift: the README's command reference against click's commands, the gold format that
`kg evaluate` cites against the shared original."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli.commands import cli
from kg.pipeline.evaluate import GOLD_FORMAT

ROOT = Path(__file__).resolve().parent.parent
SHARED_GOLD_FORMAT = Path("/work/shared/tools/GOLD_FORMAT.md")


def _reference() -> dict[str, str]:
    """The README's command reference: each command's lines (continuations joined), by command name."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Commands\n\n```\n(.*?)```", readme, re.S)
    assert block, "README.md has no ## Commands section with a code block"
    entries: dict[str, str] = {}
    name = None
    for line in block.group(1).splitlines():
        if line.startswith("kg "):
            name = line.split()[1] if not line.split()[1].startswith("-") else ""
            entries[name] = entries.get(name, "") + " " + line
        elif line.startswith(" ") and name is not None:
            entries[name] += " " + line
    return entries


def _mentions(text: str, spelling: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", text) is not None


def _options(command: click.Command) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option)]


def test_every_command_option_and_argument_is_in_the_readme():
    reference = _reference()
    missing = []
    for name, command in sorted(cli.commands.items()):
        text = reference.get(name)
        if text is None:
            missing.append(f"kg {name}")
            continue
        missing += [f"kg {name} {option.opts[-1]}" for option in _options(command)
                    if not any(_mentions(text, spelling) for spelling in option.opts + option.secondary_opts)]
        missing += [f"kg {name} {p.human_readable_name}" for p in command.params
                    if isinstance(p, click.Argument) and not _mentions(text, p.human_readable_name)]
    missing += [f"kg {option.opts[-1]}" for option in _options(cli)
                if not any(_mentions(reference.get("", ""), s) for s in option.opts)]
    assert missing == [], "add these to README.md's ## Commands"


def test_the_readme_names_no_command_or_option_that_is_gone():
    stale = []
    for name, text in _reference().items():
        command = cli.commands.get(name) if name else cli
        if command is None:
            stale.append(f"kg {name}")
            continue
        known = {spelling for option in _options(command) for spelling in option.opts + option.secondary_opts}
        stale += [f"kg {name} {word}" for word in re.findall(r"(?<![\w-])--?[a-z][\w-]*", text) if word not in known]
    assert stale == []


def test_evaluate_cites_the_gold_format_of_the_repository(tmp_path):
    assert (ROOT / GOLD_FORMAT).is_file()
    help_text = CliRunner().invoke(cli, ["evaluate", "--help"]).output
    assert GOLD_FORMAT in " ".join(help_text.split())
    result = CliRunner().invoke(cli, ["evaluate", str(tmp_path)])
    assert result.exit_code == 2 and GOLD_FORMAT in result.output
    (tmp_path / "a.gold.json").write_text("[]", encoding="utf-8")
    result = CliRunner().invoke(cli, ["evaluate", str(tmp_path)])
    assert result.exit_code == 2 and f"not a gold file ({GOLD_FORMAT} of the repository): not a JSON object" \
        in result.output


@pytest.mark.skipif(not SHARED_GOLD_FORMAT.is_file(),
                    reason=f"{SHARED_GOLD_FORMAT}, the shared original, is not on this machine")
def test_the_gold_format_is_the_shared_one():
    assert (ROOT / GOLD_FORMAT).read_bytes() == SHARED_GOLD_FORMAT.read_bytes()
