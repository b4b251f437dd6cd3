"""`kg build`, `kg extract`, `kg evaluate`, `kg validate`, `kg remove`: articles into facts, and the checks on them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli.common import fail, store_option
from kg.errors import KgError
from kg.paths import default_store


@click.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@store_option
@click.option("--jobs", "-j", type=click.IntRange(0, 256), default=0, show_default=True,
              help="Worker processes extracting in parallel; 0: one per core.")
def build(sources: tuple[Path, ...], store_location: str | None, jobs: int) -> None:
    """Extract facts from articles and write them into the store.

    SOURCES are .txt or .html files or folders of them (default: seeds/ of the working folder, as in the
    repository's checkout; elsewhere, name them). Each article becomes a named
    graph of its own; building it again replaces that graph, and an article whose file and the curated data
    are unchanged is skipped without being read. After a change to the curated data every article is built
    again: when SOURCES hold all the store's articles and the store nothing else, into an emptied store, as
    fast as from scratch. A progress bar shows on a terminal.

    An article's id is its path inside the folder named (x/report.txt: x-report), transliterated when it
    has no Latin letters; two files with one id are an error naming both. Links leading out of a folder
    are skipped with a warning; a missing or unreadable file is an error, and the others still go in. The
    build writes into a copy beside the store and puts it in place when done: readers (kg query, kg serve)
    see the old store or the new one, never half of one.

    \b
    Examples:
      kg build
      kg build new-articles/ --store /data/kg --jobs 4
      kg build seeds/000_6bef111ac725a0fa.txt
    """
    from tqdm import tqdm

    from kg.knowledge.lexicon import default_lexicon
    from kg.pipeline.builder import build as run_build
    from kg.read.files import source_files
    from kg.store.embedded import store_for_writing

    if not sources and not Path("seeds").is_dir():
        raise click.UsageError("no SOURCES given, and no seeds/ folder here to build by default: name the article "
                               "files or folders to build, e.g. kg build path/to/articles/")
    chosen = list(sources) or [Path("seeds")]
    try:
        found = source_files(chosen)
        if not found.files:  # nothing to build (mistyped paths): said before the store is made
            raise KgError("; ".join(found.errors) or "no articles to build")
        total = len(found.files)
        lexicon = default_lexicon()
        with store_for_writing(store_location or default_store()) as store, \
                tqdm(total=total, unit="article", file=sys.stderr, disable=not sys.stderr.isatty(),
                     dynamic_ncols=True) as bar:
            report = run_build(chosen, store, lexicon, progress=lambda _: bar.update(1), jobs=jobs)
    except KgError as exc:
        fail(exc)
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for error in report.errors:
        click.echo(f"Error: {error}", err=True)
    click.echo(f"Built {len(report.built)} article(s), {len(report.unchanged)} unchanged, into "
               f"{store.location}: {report.entities} entities, {report.facts} facts, {report.events} events; "
               f"the store holds {report.in_store} article(s).")
    if report.errors:
        sys.exit(2)


@click.command("extract")
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
        fail(exc)
    if explain:
        click.echo(explain_text(extraction))
    elif fmt == "ttl":
        click.echo(extraction_turtle(extraction, lexicon), nl=False)
    else:
        for record in extraction_records(extraction):
            click.echo(json.dumps(record, ensure_ascii=False, sort_keys=True))


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--articles", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Where the articles are, when not beside the gold files.")
@click.option("--verbose", is_flag=True, help="List the missed facts and the violations.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(folder: Path, articles: Path | None, verbose: bool, as_json: bool) -> None:
    """Score extraction against gold files (NAME.gold.json beside NAME.txt or NAME.html).

    The gold format is described in tests/gold/GOLD_FORMAT.md of the repository, beside the gold files of the
    seeds.

    Each article is built alone; prints per-article and overall recall, violations of the must-not list and
    the share of entity types right. Exit status 1 when any article has a violation or fails to build.

    \b
    Examples:
      kg evaluate tests/gold --articles seeds
      kg evaluate annotated/ --verbose
    """
    from dataclasses import asdict

    from kg.knowledge.lexicon import default_lexicon
    from kg.pipeline.evaluate import evaluate_folder, summarize

    try:
        scores = evaluate_folder(folder, default_lexicon(), articles)
    except KgError as exc:
        fail(exc)
    summary = summarize(scores)
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


@click.command()
@store_option
@click.option("--article", metavar="ID", help="Only this article's graph (its id: the file name).")
def validate(store_location: str | None, article: str | None) -> None:
    """Check the store against the SHACL shapes of ontology/shapes.ttl with pySHACL.

    Prints one line per violation (the node, the property, what is wrong, the shape) and exits with 1 when
    there is any. `kg build` already refuses an article whose graph does not conform, checking it against the
    same shapes. The whole store is one graph here (an entity named in two articles is checked once, with
    what both say); a progress bar, one step per shape, shows on a terminal.

    \b
    Examples:
      kg validate
      kg validate --article 000_6bef111ac725a0fa
    """
    from tqdm import tqdm

    from kg.paths import ontology_dir
    from kg.rdf.validate import shape_names, validate_store
    from kg.store.embedded import open_store

    try:
        store = open_store(store_location or default_store(), read_only=True)
        with tqdm(total=len(shape_names(ontology_dir())), unit="shape", file=sys.stderr,
                  disable=not sys.stderr.isatty(), dynamic_ncols=True) as bar:
            violations, statements = validate_store(store, ontology_dir(), article, lambda _: bar.update(1))
    except KgError as exc:
        fail(exc)
    for violation in violations:
        click.echo(str(violation))
    click.echo(f"{len(violations)} violation(s) in {statements} statements." if violations else
               f"Conforms: {statements} statements checked against ontology/shapes.ttl.")
    if violations:
        sys.exit(1)


@click.command()
@click.argument("articles", nargs=-1, required=True)
@store_option
def remove(articles: tuple[str, ...], store_location: str | None) -> None:
    """Remove articles (by id: the file name without its suffix) and all their facts from the store.

    \b
    Examples:
      kg remove dev02_sonora-migrant-smuggling
      kg remove a b c --store /data/kg
    """
    from kg.pipeline.builder import remove_article
    from kg.store.embedded import store_for_writing

    try:
        with store_for_writing(store_location or default_store(), create=False) as store:
            for article in articles:
                remove_article(store, article)
    except KgError as exc:
        fail(exc)
    click.echo(f"Removed {len(articles)} article(s) from {store.location}.")
