"""`kg query` and `kg serve`: SPARQL for analysts, at the terminal and over HTTP."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import fail, store_option
from kg.errors import KgError
from kg.paths import default_store
from kg.query.results import QUERY_FORMATS, TABLE


@click.command()
@click.argument("query", required=False)
@store_option
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a .rq file.")
@click.option("--saved", metavar="NAME", help="Run a saved query of ontology/queries/ (see --list).")
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries and what they answer.")
@click.option("--bind", multiple=True, metavar="VAR=VALUE",
              help="Bind a variable: name=\"Shining Path\" (a string) or entity=kgr:shining-path (an IRI).")
@click.option("--limit", type=click.IntRange(1), help="At most this many rows (a page: with --offset).")
@click.option("--offset", type=click.IntRange(0), default=0, help="Skip this many rows first (the next page).")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default=TABLE, show_default=True)
def query(query: str | None, store_location: str | None, query_file: Path | None, saved: str | None,
          list_saved: bool, bind: tuple[str, ...], limit: int | None, offset: int, fmt: str) -> None:
    """Run SPARQL over all articles (their named graphs merged).

    The prefixes kg: kgr: rdf: rdfs: skos: schema: prov: owl: xsd: wd: are predeclared.

    \b
    Examples:
      kg query --list
      kg query --saved actors-by-region
      kg query --saved entity --bind name="Sendero Luminoso"   # each fact once, its newest sentence; events by role
      kg query --saved timeline --limit 100 --offset 100      # the second page of 100 events
      kg query 'SELECT ?g ?r WHERE { ?g kg:operatesIn ?r }' --format csv
      kg query -f my-question.rq --format json
    """
    from kg.paths import ontology_dir
    from kg.query.results import format_result
    from kg.query.run import (
        binding_notes,
        page,
        parse_bindings,
        run_query,
        saved_queries,
        unused_bindings,
    )
    from kg.store.embedded import open_store

    try:
        catalogue = saved_queries(ontology_dir())
        if list_saved:
            for item in catalogue.values():
                click.echo(f"{item.name:24} {item.description}")
            return
        chosen = [x for x in (query, query_file, saved) if x]
        if len(chosen) != 1:
            raise click.UsageError("give exactly one of QUERY, -f FILE or --saved NAME")
        if saved:
            if saved not in catalogue:
                raise KgError(f"no saved query '{saved}'; known: {', '.join(catalogue)}")
            text = catalogue[saved].text
        elif query_file:
            text = query_file.read_text(encoding="utf-8")
        else:
            assert query  # exactly one was given: neither --saved nor -f, so the QUERY argument
            text = query
        bindings = parse_bindings(list(bind))
        for var in unused_bindings(text, bindings):
            click.echo(f"Warning: the query does not use ?{var}; --bind {var}=... changes nothing.", err=True)
        store = open_store(store_location or default_store(), read_only=True)
        for note in binding_notes(store, catalogue[saved], bindings) if saved else ():
            click.echo(f"Note: {note}", err=True)
        result = run_query(store, page(text, limit, offset, store), bindings)
        click.echo(format_result(result, fmt), nl=False)
    except KgError as exc:
        fail(exc)


@click.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0: any free port.")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=10.0, show_default=True,
              help="Seconds a query, or the drawing of a view, may take before it is stopped.")
@click.option("--max-rows", type=click.IntRange(1), default=10_000, show_default=True,
              help="Rows (or triples) at most per answer; a capped answer carries X-Result-Truncated: true.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Queries answered at once (one process each).")
@click.option("--views", type=click.Path(file_okay=False, path_type=Path), default=Path("exports/views"),
              show_default=True, help="Folder of views written by `kg view --all`, served under /views/; a view "
                                      "not in it is drawn from the store when asked for.")
@click.option("--cache", type=click.IntRange(0), default=256, show_default=True, metavar="MB",
              help="Memory for answers and views drawn from the store (and the requests that key them), each "
                   "sent again at once until a build changes the store (0: none kept).")
@click.option("--cors", multiple=True, metavar="ORIGIN", help="Let pages of this origin (https://host:port, or * "
              "for any) read the answers; repeatable. Default: none, so no other site's page reads the graph.")
@click.option("--allow-service", multiple=True, metavar="HOST", help="Let SERVICE <http://HOST/...> reach this "
              "host; repeatable. Default: none, SERVICE is refused (400) and the server sends no request out.")
@click.option("--max-body", type=click.IntRange(1), default=1_000_000, show_default=True, metavar="BYTES",
              help="Size of a POST body at most; a larger one is refused (413) unread.")
@click.option("--max-query", type=click.IntRange(1), default=200_000, show_default=True, metavar="CHARS",
              help="Length of a query's text at most (413).")
@click.option("--worker-memory", type=click.IntRange(0), default=2048, show_default=True, metavar="MB",
              help="Memory a worker may use; a query that takes more is stopped (503) and its worker replaced "
                   "(0: no limit).")
@click.option("--max-workers", type=click.IntRange(1, 256), metavar="N", help="Queries running at once at most "
              "(default: twice --workers, plus 2), of which all but --workers may be long (past 0.25 s); a query "
              "turning long when those are taken parks the longest-running one until a place is free (its "
              "timeout runs on), so short queries always find a worker; requests wait in turn, client by client.")
@click.option("--queue", type=click.IntRange(0), default=512, show_default=True, metavar="N",
              help="Requests waiting for a worker at most; one more is answered 503 with Retry-After.")
def serve(store_location: str | None, host: str, port: int, timeout: float, max_rows: int, workers: int,
          views: Path, cache: int, cors: tuple[str, ...], allow_service: tuple[str, ...], max_body: int,
          max_query: int, worker_memory: int, max_workers: int | None, queue: int) -> None:
    """Serve the store over HTTP: a SPARQL 1.1 endpoint at /sparql, a query page at /, views at /views/.

    /views/ finds any actor or region by name and opens its view; /views/entity/ID.html and
    /views/article/ID.html are drawn from the store when asked for, unless the --views folder has them.
    /queries lists the saved queries; /queries/NAME?VAR=VALUE runs one with its variables bound, as
    `kg query --saved NAME --bind VAR=VALUE` does, and /?saved=NAME&VAR=VALUE opens it in the query page.

    Read-only: updates get 403. Results as JSON, XML, CSV or TSV (Accept header or format=), graphs as
    Turtle, N-Triples or JSON-LD. Answers and drawn views are kept (--cache) and sent again at once; a build
    made while serving is answered from as soon as it is done, no restart needed.

    Safe to leave running: SERVICE is refused (--allow-service), other sites' pages cannot read the answers
    (--cors), and bodies, queries, each worker's memory and the queue of waiting requests are bounded.

    \b
    Examples:
      kg serve
      kg serve --port 3030 --timeout 30 --max-rows 50000
      kg serve --store big/store   (then open http://127.0.0.1:8000/views/ and look an actor up)
      curl -H 'Accept: text/csv' 'http://127.0.0.1:8000/sparql?query=SELECT+*+WHERE+{?s+?p+?o}+LIMIT+5'
      curl 'http://127.0.0.1:8000/queries/why?from=Shining+Path&to=VRAEM&format=csv'
    """
    import logging as logging_module

    from kg.serve.app import ServerConfig, make_server

    logging_module.basicConfig(level=logging_module.INFO, format="%(asctime)s %(message)s")
    config = ServerConfig(store=store_location or default_store(), host=host, port=port, timeout=timeout,
                          max_rows=max_rows, workers=workers, views=str(views), cache_mb=cache, cors=cors,
                          allow_service=allow_service, max_body=max_body, max_query=max_query,
                          worker_memory_mb=worker_memory, max_workers=max_workers, queue=queue)
    try:
        server = make_server(config)
    except (KgError, OSError) as exc:
        fail(exc)
    click.echo(f"Serving {config.store} at http://{host}:{server.server_address[1]}/ (SPARQL at /sparql); "
               f"Ctrl-C stops.", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
