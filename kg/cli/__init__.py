"""The `kg` command: a thin layer of click commands over the library."""

from kg.cli.commands import cli, main

__all__ = ["cli", "main"]
