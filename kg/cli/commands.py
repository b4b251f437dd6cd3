"""The `kg` command: a thin layer over the library. Every command body calls one library function; the
commands live by group in kg.cli.build, kg.cli.query, kg.cli.network and kg.cli.stores.

Errors of the library become one line on stderr and exit status 2 (bad input); 1 means a failed check. Any
other failure is one line and exit 2 as well, never a traceback, but under `kg --debug`.
"""

from __future__ import annotations

import click

from kg import __version__
from kg.cli.build import build, evaluate, extract_command, remove, validate
from kg.cli.network import analyze, path, view
from kg.cli.query import query, serve
from kg.cli.stores import export, pull, push
from kg.errors import KgError


class _OneLineErrors(click.Group):
    """A command's failure as one line and exit 2; with --debug, the traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            detail = str(exc) if isinstance(exc, KgError) else f"{type(exc).__name__}: {exc} (`kg --debug ...` " \
                                                                "shows where)"
            click.echo(f"Error: {detail}".splitlines()[0] if detail else "Error", err=True)
            ctx.exit(2)


@click.group(cls=_OneLineErrors,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kg")
@click.option("--debug", is_flag=True, help="Show the traceback of a failure instead of its one line.")
def cli(debug: bool) -> None:
    """actorgraph: a knowledge graph of actors and regions from organized-crime news.

    A store is a folder (embedded Oxigraph, the default .kg/store or $KG_STORE) or the query URL of any
    SPARQL 1.1 server; for a server, $KG_UPDATE_URL names the update URL when it is not the query URL with
    /query turned into /update, and $KG_STORE_USER / $KG_STORE_PASSWORD (or user:password@ in the URL) log in.

    \b
    Start here:
      kg build                                   # seeds/ into the store (.kg/store)
      kg query --saved actors-by-region          # who operates where, in how many articles
      kg view -o graph.html                      # an offline network view
      kg extract seeds/000_6bef111ac725a0fa.txt  # facts of one file, no store
    """


for command in (build, export, query, view, extract_command, evaluate, analyze, path, serve, push, pull, validate,
                remove):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="kg")
