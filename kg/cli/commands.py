"""The `kg` command: a thin layer over the library. Every command body calls one library function; the
commands live by group in kg.cli.build, kg.cli.query, kg.cli.network and kg.cli.stores.

Errors of the library become one line on stderr and exit status 2 (bad input); 1 means a failed check.
"""

from __future__ import annotations

import click

from kg import __version__
from kg.cli.build import build, evaluate, extract_command, remove, validate
from kg.cli.network import analyze, path, view
from kg.cli.query import query, serve
from kg.cli.stores import export, pull, push


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
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
