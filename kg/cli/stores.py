"""`kg export`, `kg push`, `kg pull`: the store written out or copied."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.common import fail, store_option
from kg.errors import KgError
from kg.paths import default_store


@click.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["trig", "nq", "ttl", "jsonld", "graphml", "gexf"]),
              required=True, help="trig/nq keep one named graph per article; ttl/jsonld merge them; "
                                  "graphml/gexf are for Gephi and Cytoscape.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="File to write; - writes to standard output.")
def export(store_location: str | None, fmt: str, output: Path) -> None:
    """Write the whole store to a file, sorted so the bytes are reproducible.

    GraphML and GEXF carry, on every node and edge, a label, a weight (the sources stating a link, the
    articles naming an entity), the views' colour and the first and last evidence dates (in GEXF also as
    start/end, for Gephi's timeline).

    \b
    Examples:
      kg export --format trig -o exports/graph.trig
      kg export --format nq -o all.nq
      kg export --format graphml -o network.graphml
      kg export --format gexf -o - | gzip > network.gexf.gz
    """
    from kg.export.rdf import export_rdf
    from kg.store.embedded import open_store

    to_stdout = str(output) == "-"
    target = sys.stdout.buffer if to_stdout else output
    try:
        store = open_store(store_location or default_store(), read_only=True)
        if fmt in ("graphml", "gexf"):
            from kg.export.graphml import export_network
            from kg.views.styles import default_styles

            styles = default_styles()  # (the views' colours: kg.export draws nothing of its own)
            colors = {name: color for name, (color, _) in styles.classes.items()} | styles.relations
            count = export_network(store, fmt, target, colors)
        else:
            count = export_rdf(store, fmt, target)
    except KgError as exc:
        fail(exc)
    if to_stdout:
        sys.stdout.flush()
    click.echo(f"Wrote {count} {'edges' if fmt in ('graphml', 'gexf') else 'statements'} to "
               f"{'standard output' if to_stdout else output}.", err=to_stdout)


def remote_options(f):
    f = click.option("--timeout", type=click.FloatRange(1, 86400), default=300.0, show_default=True,
                     help="Seconds the server may take to answer one request.")(f)
    return click.option("--max-mb", type=click.IntRange(1), default=512, show_default=True,
                        help="Size of one answer from the server at most (a page of a graph, the list of graphs); "
                             "a larger one stops the copy.")(f)


def _copy(source_location: str, target_location: str, verb: str, timeout: float, max_mb: int) -> None:
    from kg.store.embedded import open_store, store_for_writing
    from kg.store.sync import copy_store

    try:
        source = open_store(source_location, read_only=True, timeout=timeout, max_bytes=max_mb * 2**20)
        names = source.named_graphs()
        with store_for_writing(target_location, timeout=timeout, max_bytes=max_mb * 2**20) as target, \
                click.progressbar(length=len(names), label=f"{verb} {len(names)} graphs", file=sys.stderr,
                                  hidden=not sys.stderr.isatty()) as bar:
            graphs, statements = copy_store(source, target, progress=lambda graph, n: bar.update(1))
    except KgError as exc:
        fail(exc)
    click.echo(f"Copied {graphs} graphs ({statements} statements) from {source_location} to {target_location}.")


@click.command()
@click.option("--to", "target", required=True, metavar="URL", help="SPARQL endpoint (query URL) to copy into.")
@store_option
@remote_options
def push(target: str, store_location: str | None, timeout: float, max_mb: int) -> None:
    """Copy the embedded store into a SPARQL 1.1 server, graph by graph.

    Each article's graph replaces its copy on the server; see `kg --help` on how to name the update URL and
    credentials ($KG_UPDATE_URL, $KG_STORE_USER, $KG_STORE_PASSWORD).

    \b
    Examples:
      kg push --to http://127.0.0.1:7878/query
      KG_UPDATE_URL=http://host:8890/sparql-auth kg push --to http://dba:secret@host:8890/sparql
    """
    _copy(store_location or default_store(), target, "Pushing", timeout, max_mb)


@click.command()
@click.option("--from", "source", required=True, metavar="URL", help="SPARQL endpoint (query URL) to copy from.")
@store_option
@remote_options
def pull(source: str, store_location: str | None, timeout: float, max_mb: int) -> None:
    """Copy a SPARQL 1.1 server's graphs into the embedded store, graph by graph.

    An answer that is not SPARQL results, does not parse, is over --max-mb or late past --timeout stops the
    copy with exit status 2, and the store stays as it was (the copy goes into it only when complete).

    \b
    Examples:
      kg pull --from http://127.0.0.1:7878/query
      kg pull --from https://kg.example.org/sparql --store backup/
    """
    _copy(source, store_location or default_store(), "Pulling", timeout, max_mb)
