"""Score extraction against gold files (the format of tests/gold/GOLD_FORMAT.md): recall, violations, entity types.

Each article is built alone into a fresh in-memory store and read back as RDF, as an outside scorer would:
an entity is found by any of its labels (case, accents and a leading "the" ignored), a fact holds when a
triple links the two through the predicate, an event when one node of the event class links to every role.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.knowledge.lexicon import Lexicon
from kg.knowledge.ontology import Ontology
from kg.pipeline.builder import build
from kg.store.embedded import Store

__all__ = ["ArticleScore", "evaluate_folder", "score_article", "summarize", "GOLD_FORMAT"]

GOLD_FORMAT = "tests/gold/GOLD_FORMAT.md"  # in the repository, beside the gold files of the seeds

_LABELS = {"label", "prefLabel", "altLabel", "name", "alternateName", "hiddenLabel"}
_MENTIONS = {"mentions", "mentionedIn", "about"}


def _local(term) -> str:
    text = term.value
    for sep in ("#", "/", ":"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().replace("’", "'").split())
    return text[4:] if text.startswith("the ") else text


@dataclass
class ArticleScore:
    article: str
    facts: int = 0
    hits: int = 0
    violations: int = 0
    entities_found: int = 0
    types_right: int = 0
    missed: list[dict] = field(default_factory=list)
    violated: list[dict] = field(default_factory=list)
    error: str | None = None


class _Graph:
    def __init__(self, quads, ontology: Ontology):
        self.ontology = ontology  # its core relations, symmetric ones and event classes (kg.ttl)
        self.labels: dict = {}
        self.by_label: dict[str, set] = {}
        self.types: dict = {}
        self.out: dict = {}
        self.inc: dict = {}
        for q in quads:
            s, p, o = q.subject, _local(q.predicate), q.object
            if p in _LABELS and isinstance(o, ox.Literal):
                self.labels.setdefault(s, set()).add(o.value)
                self.by_label.setdefault(_norm(o.value), set()).add(s)
            elif p == "type":
                self.types.setdefault(s, set()).add(_local(o))
            self.out.setdefault(s, []).append((p, o))
            self.inc.setdefault(o, []).append((p, s))

    def nodes(self, names) -> set:
        return set().union(*(self.by_label.get(_norm(n), set()) for n in names)) if names else set()

    def texts(self, node) -> set[str]:
        return {node.value} if isinstance(node, ox.Literal) else self.labels.get(node, set())

    def near(self, node) -> set:
        return {o for _, o in self.out.get(node, [])} | {s for _, s in self.inc.get(node, [])}


def _names(entities: dict, name: str) -> list[str]:
    return [name] + list(entities.get(name, {}).get("aliases", []))


def _holds(g: _Graph, entities: dict, fact: dict, turned: bool = False) -> bool:
    if "event" in fact:
        for node, kinds in g.types.items():
            if fact["event"] not in kinds:
                continue
            near = g.near(node)
            if any(role in fact and not near & g.nodes(_names(entities, fact[role]))
                   for role in ("agent", "place", "target")):
                continue
            if "date" in fact and not any(isinstance(o, ox.Literal) and o.value.startswith(fact["date"])
                                          for o in near):
                continue
            return True
        return False
    for s in g.nodes(_names(entities, fact["s"])):
        for pred, o in g.out.get(s, []):
            if pred != fact["p"]:
                continue
            if "o_any" in fact:
                wanted = [_norm(w) for w in fact["o_any"]]
                if any(w in _norm(t) or _norm(t) in wanted for t in g.texts(o) for w in wanted):
                    return True
            elif fact["o"] in entities:
                if o in g.nodes(_names(entities, fact["o"])):
                    return True
            elif any(_norm(fact["o"]) in _norm(t) for t in g.texts(o)):
                return True
    if fact.get("p") in g.ontology.symmetric and "o" in fact and not turned:
        return _holds(g, entities, {"s": fact["o"], "p": fact["p"], "o": fact["s"]}, turned=True)
    return False


def _asserted(g: _Graph, name: str) -> bool:
    for node in g.nodes([name]):
        for pred, other in g.out.get(node, []) + g.inc.get(node, []):
            if pred in g.ontology.relations or pred in _MENTIONS or \
                    g.types.get(other, set()) & g.ontology.event_classes:
                return True
    return False


def score_article(article: Path, gold: dict, lexicon: Lexicon) -> ArticleScore:
    """Build one article alone and check its gold facts, must-nots and entity types."""
    result = ArticleScore(article.name)
    store = Store(None)
    report = build([article], store, lexicon)
    if report.errors:
        result.error = "; ".join(report.errors)
        return result
    g = _Graph(store.quads(), lexicon.ontology)
    entities = {e["name"]: e for e in gold.get("entities", [])}
    result.missed = [fact for fact in gold.get("facts", []) if not _holds(g, entities, fact)]
    result.facts = len(gold.get("facts", []))
    result.hits = result.facts - len(result.missed)
    for bad in gold.get("must_not", []):
        if ("entity" in bad and _asserted(g, bad["entity"])) or ("entity" not in bad and _holds(g, entities, bad)):
            result.violated.append(bad)
    result.violations = len(result.violated)
    for entity in gold.get("entities", []):
        found = g.nodes(_names(entities, entity["name"]))
        if found:
            result.entities_found += 1
            result.types_right += any(entity["type"] in g.types.get(n, set()) for n in found)
    return result


def evaluate_folder(folder: Path, lexicon: Lexicon, articles: Path | None = None) -> list[ArticleScore]:
    """Score every NAME.gold.json of a folder against the article it names, found beside the gold file
    or in `articles`."""
    golds = sorted(Path(folder).glob("*.gold.json"))
    if not golds:
        raise KgError(f"{folder}: no *.gold.json files here (the format: {GOLD_FORMAT} of the repository)")
    scores = []
    for path in golds:
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise KgError(f"{path}: not a gold file ({GOLD_FORMAT} of the repository): {exc}") from exc
        if not isinstance(gold, dict):
            raise KgError(f"{path}: not a gold file ({GOLD_FORMAT} of the repository): not a JSON object")
        stem = path.name.removesuffix(".gold.json")
        places = [path.parent] + ([Path(articles)] if articles else [])
        candidates = [p / gold.get("article", "") for p in places if gold.get("article")] + \
            [c for p in places for c in sorted(p.glob(f"{stem}.*")) if c.suffix in (".txt", ".html", ".htm")]
        article = next((c for c in candidates if c.is_file()), path.parent / gold.get("article", stem))
        scores.append(score_article(article, gold, lexicon))
    return scores


def summarize(scores: list[ArticleScore]) -> dict:
    """The overall figures `kg evaluate` prints last: recall (an article that failed to build counts as ten
    facts missed), violations, the share of found entities typed right, articles and errors."""
    facts = sum(s.facts for s in scores) + 10 * sum(1 for s in scores if s.error)
    found = sum(s.entities_found for s in scores)
    return {"recall": round(sum(s.hits for s in scores) / facts, 3) if facts else 0.0,
            "violations": sum(s.violations for s in scores),
            "types": round(sum(s.types_right for s in scores) / found, 3) if found else 0.0,
            "articles": len(scores), "errors": sum(1 for s in scores if s.error)}
