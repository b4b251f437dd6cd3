"""Extraction figures: lexicon and model load time, extraction speed, share of sentences parsed, and scores
against gold files, per folder.

    .venv/bin/python benchmarks/extraction.py [--repeat 3] [--folder GOLD_DIR:ARTICLES_DIR ...]

Speed is measured on the articles of seeds/ and of the development corpus (../shared/corpus/dev when it is
there) read once and extracted `--repeat` times, on one core; the target is at least 0.05 MB of article text per
second per core with the dependency parse. Each article is extracted with the parse cache emptied first, as by a
new process: seeds/ and the development corpus hold the same six articles, which a build would parse only once.
The scores are those of `kg evaluate`: recall, violations and entity types right for tests/gold/ (on seeds/),
../shared/corpus/dev and ../shared/corpus/real (scored from there only; the published texts are never copied into
the repository). Prints a table; run by hand, not in the tests.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# shared/ beside the clone (CI), or beside the folder of worktrees
SHARED = next((p / "shared" / "corpus" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
              ROOT.parent / "shared" / "corpus")


def _folders(given: list[str]) -> list[tuple[str, Path, Path]]:
    if given:
        return [(g, Path(g.split(":")[0]), Path(g.split(":")[-1])) for g in given]
    out = [("tests/gold", ROOT / "tests" / "gold", ROOT / "seeds")]
    out += [(f"shared/{name}", SHARED / name, SHARED / name) for name in ("dev", "real") if (SHARED / name).is_dir()]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", action="append", default=[], help="GOLD_DIR:ARTICLES_DIR (repeatable)")
    args = parser.parse_args()

    started = time.perf_counter()
    from kg.knowledge.lexicon import load_lexicon

    cold_lexicon = load_lexicon()
    cold = time.perf_counter() - started
    started = time.perf_counter()
    lexicon = load_lexicon()
    warm = time.perf_counter() - started
    from kg.extract.parse import cache_stats, clear_cache, load_model

    started = time.perf_counter()
    load_model()
    model = time.perf_counter() - started

    from kg.extract.article import extract
    from kg.pipeline.evaluate import evaluate_folder
    from kg.read.files import article_files, read_article

    sources = [ROOT / "seeds"] + ([SHARED / "dev"] if (SHARED / "dev").is_dir() else [])
    articles = [read_article(p, lexicon.layout, lexicon.dates) for p in article_files(sources)]
    text_bytes = sum(len(a.text.encode()) for a in articles)
    body_bytes = sum(len(a.content(p).encode()) for a in articles for p in a.paragraphs)
    started, cpu = time.perf_counter(), time.process_time()
    facts = sentences = parsed = 0
    for _ in range(args.repeat):
        for article in articles:
            clear_cache()
            extraction = extract(article, lexicon)
            facts += len(extraction.facts)
            sentences += extraction.sentences
            parsed += extraction.parsed
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    clear_cache()  # once more, as a build would: the cache kept across the articles of one pass
    for article in articles:
        extract(article, lexicon)
    fresh, cached = cache_stats()

    rows = [
        ("machine", f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"),
        ("gazetteer entities", f"{len(cold_lexicon.entities)}"),
        ("lexicon load, first (with imports)", f"{cold:.2f} s"),
        ("lexicon load, again", f"{warm:.2f} s"),
        ("spaCy model load", f"{model:.2f} s"),
        ("articles x repeat", f"{len(articles)} x {args.repeat} (seeds and dev)"),
        ("article text extracted", f"{text_bytes * args.repeat / 1e6:.2f} MB "
                                   f"({body_bytes * args.repeat / 1e6:.2f} MB of body and analysis)"),
        ("extraction speed, one core", f"{text_bytes * args.repeat / 1e6 / elapsed:.3f} MB/s "
                                       f"({len(articles) * args.repeat / elapsed:.1f} articles/s)"),
        ("extraction speed, per CPU second",
         f"{text_bytes * args.repeat / 1e6 / cpu:.3f} MB/s (the machine may be shared)"),
        ("sentences parsed", f"{parsed / max(1, sentences):.2f} ({parsed // args.repeat}/{sentences // args.repeat})"),
        ("sentences parsed, in one build", f"{fresh} parsed, {cached} taken from the parse cache "
                                           f"({cached / max(1, fresh + cached):.2f}: seeds and dev are one corpus)"),
        ("facts per pass", f"{facts // args.repeat}"),
    ]
    for name, gold, folder in _folders(args.folder):
        scores = evaluate_folder(gold, lexicon, folder)
        total = sum(s.facts for s in scores) + 10 * sum(1 for s in scores if s.error)
        found = sum(s.entities_found for s in scores)
        prefix = "gold" if name == "tests/gold" else name
        rows += [(f"{prefix} recall", f"{sum(s.hits for s in scores) / max(1, total):.3f} "
                                      f"({sum(s.hits for s in scores)}/{total})"),
                 (f"{prefix} violations", f"{sum(s.violations for s in scores)}"),
                 (f"{prefix} entity types right",
                  f"{sum(s.types_right for s in scores) / found:.3f}" if found else "-")]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
