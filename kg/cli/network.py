"""`kg view`, `kg analyze`, `kg path`: the network for investigators."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli.common import advance, fail, store_option
from kg.errors import KgError
from kg.paths import default_store
from kg.vocab import ARTICLE

# Above this many articles, `kg view --all` says that `kg serve` draws views on demand (1,000 articles: 5,000
# pages, 0.7 GB).
LARGE_VIEW_SET = 2000


@click.command()
@store_option
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
    from kg.views.render import write_view
    from kg.views.sets import write_views

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
                                    max_links=max_links, progress=lambda done, total: advance(bar, done, total))
            click.echo(f"Wrote {len(views)} views into {output}/ (open {output}/index.html).")
            return
        if as_map:
            if article:
                raise KgError("--map shows the whole store or one actor (--focus), not one article")
            from kg.views.map import write_map

            drawn = write_map(store, output, focus=focus)
            unplaced = f"; {drawn['unplaced']} without coordinates, listed beside it" if drawn["unplaced"] else ""
            click.echo(f"Wrote {output}: {drawn['drawn']} region{'' if drawn['drawn'] == 1 else 's'} on the map"
                       f"{unplaced}.")
            return
        stats = write_view(store, output, focus=focus, depth=depth, article=article, max_nodes=max_nodes,
                           max_links=max_links)
    except KgError as exc:
        fail(exc)
    nodes = f"{stats['nodes']} of {stats['of']} nodes" if stats["nodes"] < stats["of"] else f"{stats['nodes']} nodes"
    edges = f"{stats['edges']} of {stats['edges_of']} edges" if stats["edges"] < stats["edges_of"] else \
        f"{stats['edges']} edges"
    cut = " (the most reported; --max-nodes 0 --max-links 0 draw all)" if stats["nodes"] < stats["of"] or \
        stats["edges"] < stats["edges_of"] else ""
    click.echo(f"Wrote {output}: {nodes}, {edges}{cut}.")


@click.command()
@store_option
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
        fail(exc)
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


@click.command()
@click.argument("source")
@click.argument("target")
@store_option
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
    from kg.network.analysis import chains_subgraph, describe_chains, shortest_chains
    from kg.network.find import find_entity
    from kg.network.model import load_network
    from kg.store.embedded import open_store
    from kg.views.render import render_view

    try:
        graph = load_network(open_store(store_location or default_store(), read_only=True))
        chains = shortest_chains(graph, source, target, limit)
    except KgError as exc:
        fail(exc)
    if not chains:
        click.echo(f"No chain of facts links {source} and {target}.")
        sys.exit(1)
    for line in describe_chains(graph, chains):
        click.echo(line)
    if output:
        sub, pairs = chains_subgraph(graph, chains)
        Path(output).write_text(render_view(sub, f"actorgraph: from {source} to {target}", highlight=pairs,
                                            chain_from=find_entity(graph, source)), encoding="utf-8")
        click.echo(f"Wrote {output}.")
