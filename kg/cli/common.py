"""What the command modules share: the --store option, the one-line error, a progress bar's advance."""

from __future__ import annotations

import sys

import click

__all__ = ["STORE_HELP", "advance", "fail", "store_option"]

STORE_HELP = "Store folder (default: $KG_STORE or .kg/store), or a SPARQL server's query URL (http(s)://...)."


def store_option(f):
    return click.option("--store", "store_location", default=None, metavar="STORE", help=STORE_HELP)(f)


def fail(exc: Exception) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(2)


def advance(bar, done: int, total: int) -> None:
    """Move a progress bar whose total is known only once the work has started."""
    bar.total = total
    bar.update(done - bar.n)
