"""The `kg` command: a thin layer over the library. Every command body calls one library function.

Errors of the library become one line on stderr and exit status 2 (bad input); 1 means a failed check.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg import __version__
from kg.errors import KgError
from kg.paths import default_store
from kg.vocab import ARTICLE

# Above this many articles, `kg view --all` says that `kg serve` draws views on demand (1,000 articles: 5,000
# pages, 0.7 GB).
LARGE_VIEW_SET = 2000
STORE_HELP = "Store folder (default: $KG_STORE or .kg/store), or a SPARQL server's query URL (http(s)://...)."


def _store_option(f):
    return click.option("--store", "store_location", default=None, metavar="STORE", help=STORE_HELP)(f)


def _fail(exc: Exception) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(2)


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


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@_store_option
@click.option("--jobs", "-j", type=click.IntRange(0, 256), default=0, show_default=True,
              help="Worker processes extracting in parallel; 0: one per core.")
def build(sources: tuple[Path, ...], store_location: str | None, jobs: int) -> None:
    """Extract facts from articles and write them into the store.

    SOURCES are .txt or .html files or folders of them (default: seeds/). Each article becomes a named
    graph of its own; building it again replaces that graph, and an article whose file and the curated data
    are unchanged is skipped without being read. After a change to the curated data every article is built
    again: when SOURCES hold all the store's articles and the store nothing else, into an emptied store, as
    fast as from scratch. A progress bar shows on a terminal.

    \b
    Examples:
      kg build
      kg build new-articles/ --store /data/kg --jobs 4
      kg build seeds/000_6bef111ac725a0fa.txt
    """
    from tqdm import tqdm

    from kg.knowledge.lexicon import default_lexicon
    from kg.pipeline.builder import build as run_build
    from kg.read.files import article_files
    from kg.store.embedded import open_store

    chosen = list(sources) or [Path("seeds")]
    try:
        total = sum(1 for _ in article_files(chosen))  # a mistyped path fails here, before the store is made
        lexicon = default_lexicon()
        store = open_store(store_location or default_store())
        with tqdm(total=total, unit="article", file=sys.stderr, disable=not sys.stderr.isatty(),
                  dynamic_ncols=True) as bar:
            report = run_build(chosen, store, lexicon, progress=lambda _: bar.update(1), jobs=jobs)
    except KgError as exc:
        _fail(exc)
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for error in report.errors:
        click.echo(f"Error: {error}", err=True)
    click.echo(f"Built {len(report.built)} article(s), {len(report.unchanged)} unchanged, into "
               f"{store.location}: {report.entities} entities, {report.facts} facts, {report.events} events.")
    if report.errors:
        sys.exit(2)


@cli.command()
@_store_option
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
            from kg.views.render import CLASS_STYLE, EVENT_STYLE, PREDICATE_COLOR

            colors = {name: color for name, (color, _) in CLASS_STYLE.items()} | {"Event": EVENT_STYLE[0]} | \
                PREDICATE_COLOR
            count = export_network(store, fmt, target, colors)
        else:
            count = export_rdf(store, fmt, target)
    except KgError as exc:
        _fail(exc)
    if to_stdout:
        sys.stdout.flush()
    click.echo(f"Wrote {count} {'edges' if fmt in ('graphml', 'gexf') else 'statements'} to "
               f"{'standard output' if to_stdout else output}.", err=to_stdout)


@cli.command()
@click.argument("query", required=False)
@_store_option
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from a .rq file.")
@click.option("--saved", metavar="NAME", help="Run a saved query of ontology/queries/ (see --list).")
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries and what they answer.")
@click.option("--bind", multiple=True, metavar="VAR=VALUE",
              help="Bind a variable: name=\"Shining Path\" (a string) or entity=kgr:shining-path (an IRI).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True)
def query(query: str | None, store_location: str | None, query_file: Path | None, saved: str | None,
          list_saved: bool, bind: tuple[str, ...], fmt: str) -> None:
    """Run SPARQL over all articles (their named graphs merged).

    The prefixes kg: kgr: rdf: rdfs: skos: schema: prov: owl: xsd: wd: are predeclared.

    \b
    Examples:
      kg query --list
      kg query --saved actors-by-region
      kg query --saved entity --bind name="Sendero Luminoso"   # every fact and event, with its sentence
      kg query 'SELECT ?g ?r WHERE { ?g kg:operatesIn ?r }' --format csv
      kg query -f my-question.rq --format json
    """
    from kg.paths import ontology_dir
    from kg.query.run import (
        binding_notes,
        format_result,
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
        else:
            text = query_file.read_text(encoding="utf-8") if query_file else query
        bindings = parse_bindings(list(bind))
        for var in unused_bindings(text, bindings):
            click.echo(f"Warning: the query does not use ?{var}; --bind {var}=... changes nothing.", err=True)
        store = open_store(store_location or default_store(), read_only=True)
        for note in binding_notes(store, catalogue[saved], bindings) if saved else ():
            click.echo(f"Note: {note}", err=True)
        result = run_query(store, text, bindings)
        click.echo(format_result(result, fmt), nl=False)
    except KgError as exc:
        _fail(exc)


@cli.command()
@_store_option
@click.option("--focus", metavar="NAME", help="Centre on one entity (any of its names, or its IRI) ...")
@click.option("--depth", type=click.IntRange(1, 5), default=1, show_default=True, help="... and its neighbours "
              "up to this many hops. In a news archive two hops reach the whole graph through any country or "
              "cartel, and the view falls to --max-nodes.")
@click.option("--article", metavar="ID", help="Only the facts of one article (its id: the file name).")
@click.option("--all", "write_all", is_flag=True, help="Write the whole set into the folder -o names: index.html "
              "(the whole graph, listing every view), one view per actor and region with two facts or more, one "
              "per article, and timeline.html; with a progress bar on a terminal.")
@click.option("--map", "as_map", is_flag=True, help="A map of regions instead of a network: each region the "
              "articles place actors in (operatesIn, deployedTo, events' place), at its point, sized by the articles "
              "saying so; with --focus, one actor's. Regions without coordinates are listed beside it.")
@click.option("--max-nodes", type=click.IntRange(min=0), help="Draw at most this many nodes: the focus, then the "
              "nearest, and among those the most reported (0: all). Default: 150 around an entity (--focus, and "
              "each entity's page of --all), which the browser still lays out itself; 500 otherwise. A "
              "bigger view is a hairball, and its page runs to hundreds of MB.")
@click.option("--max-links", type=click.IntRange(min=0), help="... and at most this many links among them: the "
              "focus's, then one joining each farther node to it, then those stated by the most articles (0: all). "
              "Default: 600 around an entity, 2000 otherwise.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="HTML file (or folder, "
              "with --all) to write.")
def view(store_location: str | None, focus: str | None, depth: int, article: str | None, write_all: bool,
         as_map: bool, max_nodes: int | None, max_links: int | None, output: Path) -> None:
    """Write interactive network views: self-contained HTML files that work offline.

    Click an edge to read the sentences behind it, with both names highlighted; click a node for its names,
    type, facts and articles; find any entity by an alias; filter by class, relation and date. With --map,
    the regions on a map of country outlines, with the same panels.

    \b
    Examples:
      kg view -o graph.html
      kg view --focus "Sendero Luminoso" -o shining-path.html
      kg view --focus "Sendero Luminoso" --depth 2 --max-nodes 300 -o shining-path-2.html
      kg view --article 000_6bef111ac725a0fa -o seed.html
      kg view --map -o map.html
      kg view --map --focus "Sinaloa Cartel" -o sinaloa-map.html
      kg view --all -o exports/views
    """
    from tqdm import tqdm

    from kg.store.embedded import open_store
    from kg.views.render import write_view, write_views

    try:
        store = open_store(store_location or default_store(), read_only=True)
        if write_all:
            articles = sum(1 for g in store.named_graphs() if g.startswith(ARTICLE))
            if articles > LARGE_VIEW_SET:
                click.echo(f"Note: {articles} articles make a set of more than {articles} pages, one per article and "
                           f"one per actor and region. `kg serve` draws any of them when it is opened instead "
                           f"(http://127.0.0.1:8000/views/).", err=True)
            with tqdm(unit="view", file=sys.stderr, disable=not sys.stderr.isatty(), dynamic_ncols=True) as bar:
                views = write_views(store, output, depth=depth, max_nodes=max_nodes,
                                    max_links=max_links, progress=lambda done, total: _advance(bar, done, total))
            click.echo(f"Wrote {len(views)} views into {output}/ (open {output}/index.html).")
            return
        if as_map:
            if article:
                raise KgError("--map shows the whole store or one actor (--focus), not one article")
            from kg.views.map import write_map

            drawn = write_map(store, output, focus=focus)
            unplaced = f"; {drawn['unplaced']} without coordinates, listed beside it" if drawn["unplaced"] else ""
            click.echo(f"Wrote {output}: {drawn['drawn']} region{'' if drawn['drawn'] == 1 else 's'} on the map{unplaced}.")
            return
        stats = write_view(store, output, focus=focus, depth=depth, article=article, max_nodes=max_nodes,
                           max_links=max_links)
    except KgError as exc:
        _fail(exc)
    nodes = f"{stats['nodes']} of {stats['of']} nodes" if stats["nodes"] < stats["of"] else f"{stats['nodes']} nodes"
    edges = f"{stats['edges']} of {stats['edges_of']} edges" if stats["edges"] < stats["edges_of"] else \
        f"{stats['edges']} edges"
    cut = " (the most reported; --max-nodes 0 --max-links 0 draw all)" if stats["nodes"] < stats["of"] or \
        stats["edges"] < stats["edges_of"] else ""
    click.echo(f"Wrote {output}: {nodes}, {edges}{cut}.")


def _advance(bar, done: int, total: int) -> None:
    """Move a progress bar whose total is known only once the work has started."""
    bar.total = total
    bar.update(done - bar.n)


@cli.command("extract")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "ttl"]), default="jsonl", show_default=True)
@click.option("--explain", is_flag=True, help="Explain each fact for a reader: sentence, rule, resolution steps.")
def extract_command(file: Path, fmt: str, explain: bool) -> None:
    """Print the facts of one article with their evidence, without touching a store.

    jsonl prints one JSON object per fact or event (sentence, offsets, rule); ttl prints the article's graph
    and the gazetteer entries it needs;
    --explain prints, per fact, the sentence, the rule and how each name was tied to its entity.

    \b
    Examples:
      kg extract seeds/000_6bef111ac725a0fa.txt
      kg extract seeds/000_6bef111ac725a0fa.txt --explain
      kg extract page.html --format ttl
    """
    from kg.extract.report import explain as explain_text
    from kg.extract.report import extraction_records
    from kg.knowledge.lexicon import default_lexicon
    from kg.pipeline.builder import extract_file
    from kg.rdf.turtle import extraction_turtle

    try:
        lexicon = default_lexicon()
        extraction = extract_file(file, lexicon)
    except KgError as exc:
        _fail(exc)
    if explain:
        click.echo(explain_text(extraction))
    elif fmt == "ttl":
        click.echo(extraction_turtle(extraction, lexicon), nl=False)
    else:
        for record in extraction_records(extraction):
            click.echo(json.dumps(record, ensure_ascii=False, sort_keys=True))


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--articles", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Where the articles are, when not beside the gold files.")
@click.option("--verbose", is_flag=True, help="List the missed facts and the violations.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(folder: Path, articles: Path | None, verbose: bool, as_json: bool) -> None:
    """Score extraction against gold files (NAME.gold.json beside NAME.txt or NAME.html).

    Each article is built alone; prints per-article and overall recall, violations of the must-not list and
    the share of entity types right. Exit status 1 when any article has a violation or fails to build.

    \b
    Examples:
      kg evaluate tests/gold --articles seeds
      kg evaluate annotated/ --verbose
    """
    from dataclasses import asdict

    from kg.knowledge.lexicon import default_lexicon
    from kg.pipeline.evaluate import evaluate_folder

    try:
        scores = evaluate_folder(folder, default_lexicon(), articles)
    except KgError as exc:
        _fail(exc)
    facts = sum(s.facts for s in scores) + 10 * sum(1 for s in scores if s.error)
    found = sum(s.entities_found for s in scores)
    summary = {"recall": round(sum(s.hits for s in scores) / facts, 3) if facts else 0.0,
               "violations": sum(s.violations for s in scores),
               "types": round(sum(s.types_right for s in scores) / found, 3) if found else 0.0,
               "articles": len(scores), "errors": sum(1 for s in scores if s.error)}
    if as_json:
        click.echo(json.dumps({"summary": summary, "articles": [asdict(s) for s in scores]}, ensure_ascii=False,
                              indent=2))
    else:
        for s in scores:
            if s.error:
                click.echo(f"{s.article}: ERROR {s.error}")
                continue
            click.echo(f"{s.article}: {s.hits}/{s.facts} facts, {s.violations} violations, "
                       f"{s.types_right}/{s.entities_found} types right")
            if verbose:
                for item in s.missed:
                    click.echo(f"    missed: {json.dumps(item, ensure_ascii=False)}")
                for item in s.violated:
                    click.echo(f"    violated: {json.dumps(item, ensure_ascii=False)}")
        click.echo(" ".join(f"{k}={v}" for k, v in summary.items()))
    if summary["violations"] or summary["errors"]:
        sys.exit(1)


@cli.command()
@_store_option
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True, help="Rows per ranking.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def analyze(store_location: str | None, top: int, fmt: str) -> None:
    """Rank the network: most central actors and regions, communities, and actors that bridge them.

    Centrality is the share of other entities an entity is linked to by facts; bridges lie on many shortest
    chains between others (betweenness); communities are found with Louvain (fixed seed, so runs agree).

    \b
    Examples:
      kg analyze
      kg analyze --top 25 --format json > analysis.json
    """
    from kg.network.analysis import analyze as run_analysis
    from kg.network.model import load_network
    from kg.store.embedded import open_store

    try:
        result = run_analysis(load_network(open_store(store_location or default_store(), read_only=True)), top)
    except KgError as exc:
        _fail(exc)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    for title, rows, score in (("Most central actors", result.central_actors, "centrality"),
                               ("Most central regions", result.central_regions, "centrality"),
                               ("Bridging actors", result.bridges, "betweenness")):
        click.echo(f"{title}\n" + f"  {'entity':40} {'type':20} {score:>11} {'links':>5}")
        for r in rows:
            click.echo(f"  {r.label[:40]:40} {r.type:20} {r.score:11.3f} {r.degree:5}")
        click.echo("")
    click.echo("Communities")
    for index, members in enumerate(result.communities[:top], 1):
        shown = ", ".join(members[:12]) + (f" and {len(members) - 12} more" if len(members) > 12 else "")
        click.echo(f"  {index:2}. ({len(members)}) {shown}")


@cli.command()
@click.argument("source")
@click.argument("target")
@_store_option
@click.option("--max", "limit", type=click.IntRange(1, 50), default=5, show_default=True,
              help="How many shortest chains at most.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Also write a view with the chains "
              "highlighted.")
def path(source: str, target: str, store_location: str | None, limit: int, output: Path | None) -> None:
    """Show the shortest chains of facts linking two entities, each hop with its evidence.

    SOURCE and TARGET are any name or alias. Facts are followed in either direction.

    \b
    Examples:
      kg path "Sendero Luminoso" "Fernando Zavala"
      kg path ELN "Norte de Santander" -o eln-nds.html
    """
    from kg.network.analysis import shortest_chains
    from kg.network.model import load_network
    from kg.store.embedded import open_store
    from kg.views.render import render_view

    try:
        graph = load_network(open_store(store_location or default_store(), read_only=True))
        chains = shortest_chains(graph, source, target, limit)
    except KgError as exc:
        _fail(exc)
    if not chains:
        click.echo(f"No chain of facts links {source} and {target}.")
        sys.exit(1)
    label = lambda n: graph.nodes[n]["label"]  # noqa: E731
    for number, chain in enumerate(chains, 1):
        click.echo(f"Chain {number} ({len(chain)} hop{'s' if len(chain) > 1 else ''})")
        for hop in chain:
            click.echo(f"  {label(hop.subject)} --{hop.predicate}--> {label(hop.object)}")
            for ev in hop.evidence[:2]:
                if ev.sentence:
                    click.echo(f"      \"{' '.join(ev.sentence.split())}\"")
                    click.echo(f"      ({ev.headline}, {ev.date}; rule {ev.rule})")
                else:
                    click.echo(f"      (the gazetteer: {ev.entry}; rule {ev.rule})")
    if output:
        nodes = {n for chain in chains for hop in chain for n in (hop.subject, hop.object)}
        pairs = {(hop.subject, hop.object) for chain in chains for hop in chain}
        sub = graph.subgraph(sorted(nodes)).copy()
        Path(output).write_text(render_view(sub, f"actorgraph: from {source} to {target}", highlight=pairs),
                                encoding="utf-8")
        click.echo(f"Wrote {output}.")


@cli.command()
@_store_option
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
              help="Memory for answers and views drawn from the store, each sent again at once until the "
                   "server stops (0: none kept).")
def serve(store_location: str | None, host: str, port: int, timeout: float, max_rows: int, workers: int,
          views: Path, cache: int) -> None:
    """Serve the store over HTTP: a SPARQL 1.1 endpoint at /sparql, a query page at /, views at /views/.

    /views/ finds any actor or region by name and opens its view; /views/entity/ID.html and
    /views/article/ID.html are drawn from the store when asked for, unless the --views folder has them.
    /queries lists the saved queries; /queries/NAME?VAR=VALUE runs one with its variables bound, as
    `kg query --saved NAME --bind VAR=VALUE` does, and /?saved=NAME&VAR=VALUE opens it in the query page.

    Read-only: updates get 403. Results as JSON, XML, CSV or TSV (Accept header or format=), graphs as
    Turtle, N-Triples or JSON-LD. Answers and drawn views are kept (--cache) and sent again at once: a build
    made while serving shows after a restart.

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
                          max_rows=max_rows, workers=workers, views=str(views), cache_mb=cache)
    try:
        server = make_server(config)
    except (KgError, OSError) as exc:
        _fail(exc)
    click.echo(f"Serving {config.store} at http://{host}:{server.server_address[1]}/ (SPARQL at /sparql); "
               f"Ctrl-C stops.", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.pool.close()
        server.server_close()


def _copy(source_location: str, target_location: str, verb: str) -> None:
    from kg.store.embedded import open_store
    from kg.store.sync import copy_store

    try:
        source = open_store(source_location, read_only=True)
        target = open_store(target_location)
        names = source.named_graphs()
        with click.progressbar(length=len(names), label=f"{verb} {len(names)} graphs", file=sys.stderr,
                               hidden=not sys.stderr.isatty()) as bar:
            graphs, statements = copy_store(source, target, progress=lambda graph, n: bar.update(1))
    except KgError as exc:
        _fail(exc)
    click.echo(f"Copied {graphs} graphs ({statements} statements) from {source_location} to {target_location}.")


@cli.command()
@click.option("--to", "target", required=True, metavar="URL", help="SPARQL endpoint (query URL) to copy into.")
@_store_option
def push(target: str, store_location: str | None) -> None:
    """Copy the embedded store into a SPARQL 1.1 server, graph by graph.

    Each article's graph replaces its copy on the server; see `kg --help` on how to name the update URL and
    credentials ($KG_UPDATE_URL, $KG_STORE_USER, $KG_STORE_PASSWORD).

    \b
    Examples:
      kg push --to http://127.0.0.1:7878/query
      KG_UPDATE_URL=http://host:8890/sparql-auth kg push --to http://dba:secret@host:8890/sparql
    """
    _copy(store_location or default_store(), target, "Pushing")


@cli.command()
@click.option("--from", "source", required=True, metavar="URL", help="SPARQL endpoint (query URL) to copy from.")
@_store_option
def pull(source: str, store_location: str | None) -> None:
    """Copy a SPARQL 1.1 server's graphs into the embedded store, graph by graph.

    \b
    Examples:
      kg pull --from http://127.0.0.1:7878/query
      kg pull --from https://kg.example.org/sparql --store backup/
    """
    _copy(source, store_location or default_store(), "Pulling")


@cli.command()
@_store_option
@click.option("--article", metavar="ID", help="Only this article's graph (its id: the file name).")
def validate(store_location: str | None, article: str | None) -> None:
    """Check the store against the SHACL shapes of ontology/shapes.ttl with pySHACL.

    Prints one line per violation (the node, the property, what is wrong, the shape) and exits with 1 when
    there is any. `kg build` already refuses an article whose graph does not conform.

    \b
    Examples:
      kg validate
      kg validate --article 000_6bef111ac725a0fa
    """
    from kg.paths import ontology_dir
    from kg.rdf.quads import article_iri
    from kg.rdf.validate import validate_triples
    from kg.store.embedded import open_store
    from kg.vocab import GAZETTEER_GRAPH, ONTOLOGY_GRAPH

    try:
        store = open_store(store_location or default_store(), read_only=True)
        if article:
            graph = article_iri(article).value
            if graph not in store.named_graphs():
                raise KgError(f"no article '{article}' in the store")
            quads = store.quads_of(graph) + store.quads_of(GAZETTEER_GRAPH) + store.quads_of(ONTOLOGY_GRAPH)
        else:
            quads = list(store.quads())
        violations = validate_triples(quads, ontology_dir())
    except KgError as exc:
        _fail(exc)
    for violation in violations:
        click.echo(str(violation))
    click.echo(f"{len(violations)} violation(s) in {len(quads)} statements." if violations else
               f"Conforms: {len(quads)} statements checked against ontology/shapes.ttl.")
    if violations:
        sys.exit(1)


@cli.command()
@click.argument("articles", nargs=-1, required=True)
@_store_option
def remove(articles: tuple[str, ...], store_location: str | None) -> None:
    """Remove articles (by id: the file name without its suffix) and all their facts from the store.

    \b
    Examples:
      kg remove dev02_sonora-migrant-smuggling
      kg remove a b c --store /data/kg
    """
    from kg.pipeline.builder import remove_article
    from kg.store.embedded import open_store

    try:
        store = open_store(store_location or default_store(), create=False)
        for article in articles:
            remove_article(store, article)
    except KgError as exc:
        _fail(exc)
    click.echo(f"Removed {len(articles)} article(s) from {store.location}.")


def main() -> None:
    cli(prog_name="kg")
