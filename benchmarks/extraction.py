"""Extraction figures: gazetteer load time, extraction speed, and scores against gold files.

    .venv/bin/python benchmarks/extraction.py [--repeat 40] [--gold DIR --articles DIR]

Speed is measured on the articles of seeds/ read once and extracted `--repeat` times (the text a newsroom
feeds in looks like them); the target is at least 1 MB of article text per second per core once the
gazetteer is loaded, and a gazetteer load under 1 s. Prints a table; run by hand, not in the tests.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "gold")
    parser.add_argument("--articles", type=Path, default=ROOT / "seeds")
    args = parser.parse_args()

    started = time.perf_counter()
    from kg.knowledge.lexicon import load_lexicon

    cold_lexicon = load_lexicon()
    cold = time.perf_counter() - started
    started = time.perf_counter()
    lexicon = load_lexicon()
    warm = time.perf_counter() - started

    from kg.extract.article import extract
    from kg.pipeline.evaluate import evaluate_folder
    from kg.read.files import article_files, read_article

    articles = [read_article(p, lexicon.layout, lexicon.dates) for p in article_files([ROOT / "seeds"])]
    body_chars = sum(p.end - p.start for a in articles for p in a.paragraphs)
    text_bytes = sum(len(a.text.encode()) for a in articles)
    started = time.perf_counter()
    facts = 0
    for _ in range(args.repeat):
        for article in articles:
            facts += len(extract(article, lexicon).facts)
    elapsed = time.perf_counter() - started
    scores = evaluate_folder(args.gold, lexicon, args.articles)
    total = sum(s.facts for s in scores) + 10 * sum(1 for s in scores if s.error)
    found = sum(s.entities_found for s in scores)

    rows = [
        ("machine", f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"),
        ("gazetteer entities", f"{len(cold_lexicon.entities)}"),
        ("lexicon load, first (with imports)", f"{cold:.2f} s"),
        ("lexicon load, again", f"{warm:.2f} s"),
        ("articles x repeat", f"{len(articles)} x {args.repeat}"),
        ("article text extracted", f"{text_bytes * args.repeat / 1e6:.2f} MB "
                                   f"({body_chars * args.repeat / 1e6:.2f} M chars of body and analysis)"),
        ("extraction speed, one core", f"{text_bytes * args.repeat / 1e6 / elapsed:.2f} MB/s "
                                       f"({len(articles) * args.repeat / elapsed:.0f} articles/s)"),
        ("facts per pass", f"{facts // args.repeat}"),
        ("gold recall", f"{sum(s.hits for s in scores) / total:.3f} ({sum(s.hits for s in scores)}/{total})"),
        ("gold violations", f"{sum(s.violations for s in scores)}"),
        ("entity types right", f"{sum(s.types_right for s in scores) / found:.3f}" if found else "-"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
