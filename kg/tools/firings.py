"""What the extractor outputs on whole folders, one line per fact or event, to see what a rule change fires on.

    python -m kg.tools.firings seeds ../shared/corpus/dev ../shared/corpus/real > after.tsv
    python -m kg.tools.firings seeds ../shared/corpus/dev ../shared/corpus/real --against before.tsv

Each line is: article, rule, the fact (subject predicate object) or the event (type and roles), the sentence.
With `--against`, prints only the lines gained (+) and lost (-) since that earlier output: every gained line is
a fact a careful reader must judge right before the change goes in. A maintainer's tool, not part of the wheel.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.extract.article import extract
from kg.extract.report import extraction_records
from kg.knowledge.lexicon import load_lexicon
from kg.read.files import article_files, read_article


def _line(article: str, record: dict) -> str:
    if record["kind"] == "fact":
        what = f"{record['subject']} {record['predicate']} {record['object']}"
    else:
        roles = " ".join(f"{name}={'|'.join(record[key]) if isinstance(record[key], list) else record[key]}"
                         for name, key in (("agent", "agents"), ("target", "targets"), ("place", "places"),
                                           ("date", "date")) if record.get(key))
        what = f"EVENT {record.get('type', record['kind'])} {roles}"
    return "\t".join((article, record["rule"], what, " ".join(record.get("sentence", "").split())))


def firings(folders: list[Path]) -> list[str]:
    """The sorted lines of every article under `folders` (each read, extracted alone)."""
    lexicon = load_lexicon()
    lines: set[str] = set()
    for path in article_files(folders):
        article = read_article(path, lexicon.layout, lexicon.dates)
        lines.update(_line(path.name, r) for r in extraction_records(extract(article, lexicon)))
    return sorted(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--against", type=Path, help="an earlier output: print only what changed")
    args = parser.parse_args()
    lines = firings(args.folders)
    if args.against is None:
        sys.stdout.write("".join(line + "\n" for line in lines))
        return
    before = set(args.against.read_text(encoding="utf-8").splitlines())
    after = set(lines)
    sys.stdout.write("".join(f"- {line}\n" for line in sorted(before - after)))
    sys.stdout.write("".join(f"+ {line}\n" for line in sorted(after - before)))


if __name__ == "__main__":
    main()
