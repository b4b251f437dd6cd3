"""The summaries graph: corpus-wide counts kept with the article graphs, so questions about the whole archive
read a few thousand summary nodes instead of joining every assertion in the store.

Per fact (subject, predicate, object stated directly in an article graph, backed by an assertion no curator
rejected): the number of articles stating it, the first and last publication date among them, the newest few
assertions and the first stating graph (by IRI, for the name a query shows). Per entity: the articles
mentioning it and, per predicate and direction, its number of facts; per role (agent, target, place) and event
class, the events it has that role in, the same counts and dates as a fact's and the newest type assertions of
those events (an event's evidence is the assertion of its class). Per month and event type: the events dated
to it and their articles (month "": the undated ones, so a page of the timeline is chosen on these counts).
Per rule: its assertions, their articles and one example. Per person and title (kg:holdsPosition): the row the
saved query positions shows, the person's name included (the curated label, else the label in the first article
graph giving them any title), so that query reads five scans instead of joining every title's triples.

Everything is derived from the quads of the article graphs (`contribution`), never from the extractor, so the
summaries follow whatever the graphs hold. A bulk build computes them from scratch (`summary_lines`); writing
or removing one article changes them in the same update request as the article's graph (`change`). Only SPARQL
and N-Triples text are used, so the embedded store and a SPARQL server behave alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from kg.knowledge.ontology import default_ontology
from kg.paths import ontology_dir
from kg.query.run import values_blocks
from kg.vocab import ARTICLE, GAZETTEER_GRAPH, KG, RDF, RDFS, SCHEMA, SUMMARY_FORMAT, SUMMARY_GRAPH, XSD, summary_iri

__all__ = ["Contribution", "Fold", "change", "contribution", "event_classes", "recomputed_lines", "stored_lines",
           "stored_contribution", "summary_lines", "summary_nquads", "count_writes", "curated_names",
           "writes_since_compaction", "start_writes", "repair"]

GRAPH = f"<{SUMMARY_GRAPH}>"
NEWEST = 3  # assertions kept per fact: the newest sentence for `entity`, a few for a view's link
_SUBJECT, _PREDICATE, _OBJECT, _TYPE = RDF + "subject", RDF + "predicate", RDF + "object", RDF + "type"
_REJECTED, _RULE, _DATE = KG + "rejectedBy", KG + "rule", KG + "date"
_PUBLISHED, _MENTIONS = SCHEMA + "datePublished", SCHEMA + "mentions"
_LABEL, _HOLDS = RDFS + "label", f"<{KG}holdsPosition>"


@lru_cache(maxsize=1)
def event_classes() -> frozenset[str]:
    """The event classes of the ontology (subclasses of kg:Event), as IRIs."""
    quads = ox.parse(path=str(ontology_dir() / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    return frozenset(q.subject.value for q in quads
                     if q.predicate.value == RDFS + "subClassOf" and q.object.value == KG + "Event")


@lru_cache(maxsize=1)
def _event_roles() -> frozenset[str]:
    """The roles an entity has in an event (kg:agent, kg:target, kg:place), as IRIs."""
    return frozenset(KG + name for name in default_ontology().event_roles)


@dataclass
class Contribution:
    """What one article graph adds to the summaries; terms in N-Triples form (`<iri>`, `"text"^^<type>`)."""

    graph: str
    date: tuple[str, str] | None = None  # (lexical value, N-Triples) of its publication date
    facts: dict[tuple[str, str, str], tuple[str, ...]] = field(default_factory=dict)  # -> assertions
    mentions: frozenset[str] = frozenset()
    events: dict[tuple[str, str], int] = field(default_factory=dict)  # (month, class) -> events; month "": undated
    rules: dict[str, tuple[str, ...]] = field(default_factory=dict)  # rule literal -> assertions
    # (entity, role, event class) -> (the events it has that role in, their type assertions)
    roles: dict[tuple[str, str, str], tuple[int, tuple[str, ...]]] = field(default_factory=dict)
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a title's holder -> its labels here


def _lexical(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return "" if isinstance(term, ox.Triple) else term.value


def contribution(graph: str, quads: Iterable[ox.Quad]) -> Contribution:
    """One article graph's part of the summaries, from its quads."""
    others: list[tuple[str, ox.Quad]] = []  # (predicate IRI, quad) of every quad but the types
    parts: dict[str, list] = {}
    rejected: set[str] = set()
    rules: dict[str, list[str]] = {}
    types: dict[str, str] = {}
    typed: set[tuple[str, str]] = set()
    took: list[tuple[str, str, str]] = []  # (event, role, entity)
    dates: dict[str, str] = {}
    mentions: set[str] = set()
    labels: dict[str, list[str]] = {}
    date = None
    classes, roles = event_classes(), _event_roles()
    for q in quads:
        p = q.predicate.value
        if p == _SUBJECT:
            parts.setdefault(str(q.subject), [None, None, None])[0] = str(q.object)
        elif p == _PREDICATE:
            parts.setdefault(str(q.subject), [None, None, None])[1] = str(q.object)
        elif p == _OBJECT:
            parts.setdefault(str(q.subject), [None, None, None])[2] = str(q.object)
        elif p == _REJECTED:
            rejected.add(str(q.subject))
        elif p == _RULE:
            rules.setdefault(str(q.object), []).append(str(q.subject))
        elif p == _MENTIONS:
            mentions.add(str(q.object))
        elif p == _PUBLISHED and _lexical(q.subject) == graph:
            date = (_lexical(q.object), str(q.object))
        elif p == _TYPE and _lexical(q.object) in classes:
            types[str(q.subject)] = str(q.object)
            typed.add((str(q.subject), str(q.object)))
        elif p in roles:
            took.append((str(q.subject), str(q.predicate), str(q.object)))
        elif p == _DATE:
            dates[str(q.subject)] = _lexical(q.object)
        elif p == _LABEL:
            labels.setdefault(str(q.subject), []).append(str(q.object))
        if p != _TYPE:
            others.append((p, q))
    # The stated triples, of the predicates the Assertions name only: each term in N-Triples for all of them (an
    # article's text, every evidence sentence) took more than half of the time.
    named = {spo[1] for spo in parts.values()}
    triples = {(str(q.subject), f"<{p}>", str(q.object)) for p, q in others if f"<{p}>" in named}
    facts: dict[tuple[str, str, str], list[str]] = {}
    evidence: dict[str, dict[str, list[str]]] = {}  # event -> its class -> the assertions of its type
    for node, spo in parts.items():
        key = tuple(spo)
        if node not in rejected and key in triples:
            facts.setdefault(key, []).append(node)
        elif node not in rejected and spo[1] == f"<{_TYPE}>" and (spo[0], spo[2]) in typed:
            evidence.setdefault(spo[0], {}).setdefault(spo[2], []).append(node)
    took_part: dict[tuple[str, str, str], tuple[set[str], set[str]]] = {}
    for event, role, entity in took:
        for cls, assertions in evidence.get(event, {}).items():
            part = took_part.setdefault((entity, role, cls), (set(), set()))
            part[0].add(event)
            part[1].update(assertions)
    events: dict[tuple[str, str], int] = {}
    for event, cls in types.items():
        key = (dates[event][:7] if event in dates else "", cls)
        events[key] = events.get(key, 0) + 1
    holders = {s for s, p, _ in facts if p == _HOLDS}
    return Contribution(graph, date, {k: tuple(sorted(v)) for k, v in facts.items()}, frozenset(mentions), events,
                        {k: tuple(sorted(v)) for k, v in rules.items()},
                        {k: (len(e), tuple(sorted(a))) for k, (e, a) in took_part.items()},
                        {s: tuple(sorted(set(labels.get(s, ())))) for s in holders})


# Summary nodes and their statements -------------------------------------------------------------------------

def _node(kind: str, *parts: str) -> str:
    return f"<{summary_iri(kind, *parts)}>"


def _int(n: int) -> str:
    return f'"{n}"^^<{XSD}integer>'


def _str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_K = f"<{KG}"


@dataclass(frozen=True)
class _Row:
    """One stating of a fact: the graph, its date (lexical, N-Triples) and an assertion."""

    graph: str
    date: tuple[str, str] | None
    assertion: str


@dataclass(frozen=True)
class _Stated:
    """What a fact's (or an entity's role's) summary holds: the articles stating it, the first and last
    publication dates among them (lexical, N-Triples) and the newest assertions, newest first, each with its
    article's date (lexical; "" undated)."""

    articles: int
    first: tuple[str, str] | None
    last: tuple[str, str] | None
    newest: tuple[tuple[str, str], ...]


def _newest(candidates: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The NEWEST (date, assertion) pairs: the latest date first, then the smallest assertion IRI."""
    ordered = sorted(candidates, key=lambda c: c[1])
    ordered.sort(key=lambda c: c[0], reverse=True)
    return tuple(ordered[:NEWEST])


def _stated(rows: list[_Row]) -> _Stated:
    dated = sorted({r.date for r in rows if r.date})
    return _Stated(len({r.graph for r in rows}), dated[0] if dated else None, dated[-1] if dated else None,
                   _newest((r.date[0] if r.date else "", r.assertion) for r in rows))


def _with_article(stated: _Stated, date: tuple[str, str] | None, assertions: tuple[str, ...]) -> _Stated:
    """A summary once a new article states it too: what `_stated` gives over every stating, from the stored
    summary alone (the newest of all are among the stored newest and the article's)."""
    dates = [d for d in (stated.first, stated.last, date) if d]
    return _Stated(stated.articles + 1, min(dates) if dates else None, max(dates) if dates else None,
                   _newest([*stated.newest, *((date[0] if date else "", a) for a in assertions)]))


def _rows(graph: str, date: tuple[str, str] | None, assertions: Iterable[str]) -> list[_Row]:
    return [_Row(graph, date, a) for a in assertions]


def _fact_lines(key: tuple[str, str, str], rows: list[_Row]) -> list[str]:
    return _summary_lines(key, _stated(rows), min(r.graph for r in rows)) if rows else []


def _stated_lines(n: str, stated: _Stated) -> list[str]:
    """The counts, dates and newest assertions of a fact's or a role's summary node."""
    lines = [f"{n} {_K}articleCount> {_int(stated.articles)}"]
    if stated.first and stated.last:
        lines += [f"{n} {_K}firstEvidence> {stated.first[1]}", f"{n} {_K}lastEvidence> {stated.last[1]}"]
    lines += [f"{n} {_K}newestAssertion> {stated.newest[0][1]}"]
    return lines + [f"{n} {_K}recentAssertion> {a}" for _, a in stated.newest[1:]]


def _summary_lines(key: tuple[str, str, str], stated: _Stated, first_graph: str) -> list[str]:
    s, p, o = key
    n = _node("fact", s, p, o)
    return [f"{n} <{RDF}type> {_K}FactSummary>", f"{n} {_K}summarySubject> {s}", f"{n} {_K}summaryPredicate> {p}",
            f"{n} {_K}summaryObject> {o}", f"{n} {_K}firstStatedIn> <{first_graph}>", *_stated_lines(n, stated)]


def _role_lines(key: tuple[str, str, str], rows: list[_Row], events: int) -> list[str]:
    return _role_summary_lines(key, _stated(rows), events) if rows else []


def _role_summary_lines(key: tuple[str, str, str], stated: _Stated, events: int) -> list[str]:
    entity, role, cls = key
    n = _node("role", entity, role, cls)
    return [f"{n} <{RDF}type> {_K}EventRoleSummary>", f"{n} {_K}summaryEntity> {entity}",
            f"{n} {_K}summaryPredicate> {role}", f"{n} {_K}eventType> {cls}", f"{n} {_K}eventCount> {_int(events)}",
            *_stated_lines(n, stated)]


def _degree_lines(entity: str, predicate: str, direction: str, count: int) -> list[str]:
    if count <= 0:
        return []
    n = _node("degree", entity, predicate, direction)
    return [f"{n} <{RDF}type> {_K}DegreeSummary>", f"{n} {_K}summaryEntity> {entity}",
            f"{n} {_K}summaryPredicate> {predicate}", f"{n} {_K}direction> {_str(direction)}",
            f"{n} {_K}factCount> {_int(count)}"]


def _entity_lines(entity: str, articles: int) -> list[str]:
    if articles <= 0:
        return []
    n = _node("entity", entity)
    return [f"{n} <{RDF}type> {_K}EntitySummary>", f"{n} {_K}summaryEntity> {entity}",
            f"{n} {_K}articleCount> {_int(articles)}"]


def _month_lines(month: str, cls: str, events: int, articles: int) -> list[str]:
    if events <= 0:
        return []
    n = _node("month", month, cls)
    return [f"{n} <{RDF}type> {_K}MonthSummary>", f"{n} {_K}month> {_str(month)}", f"{n} {_K}eventType> {cls}",
            f"{n} {_K}eventCount> {_int(events)}", f"{n} {_K}articleCount> {_int(articles)}"]


def _rule_lines(rule: str, facts: int, articles: int, example: str) -> list[str]:
    if facts <= 0:
        return []
    n = _node("rule", rule)
    return [f"{n} <{RDF}type> {_K}RuleSummary>", f"{n} {_K}summaryRule> {rule}", f"{n} {_K}factCount> {_int(facts)}",
            f"{n} {_K}articleCount> {_int(articles)}", f"{n} {_K}exampleAssertion> {example}"]


@dataclass(frozen=True)
class _Title:
    """What a person's title adds to positions: its fact's article count, latest date (N-Triples) and first
    stating graph (the person's name is read in the smallest of their titles')."""

    articles: int
    latest: str | None
    first_graph: str  # its IRI, as SPARQL's MIN compares it


def _title(stated: _Stated, first_graph: str) -> _Title:
    return _Title(stated.articles, stated.last[1] if stated.last else None, first_graph)


def _position_lines(person: str, titles: dict[str, _Title], names: Iterable[str]) -> list[str]:
    """The position summaries of one person: one node per title, each with the person's names."""
    names = sorted(names)
    lines = []
    for title, t in titles.items():
        n = _node("position", person, title)
        lines += [f"{n} <{RDF}type> {_K}PositionSummary>", f"{n} {_K}positionHolder> {person}",
                  f"{n} {_K}positionTitle> {title}", f"{n} {_K}positionArticles> {_int(t.articles)}",
                  *([f"{n} {_K}positionLatest> {t.latest}"] if t.latest else []),
                  *(f"{n} {_K}holderName> {name}" for name in names)]
    return lines


def curated_names(store, persons: Iterable[str] | None = None) -> dict[str, tuple[str, ...]]:
    """The gazetteer's labels (N-Triples) of these persons (N-Triples IRIs; None: of every curated entity):
    positions names a curated person so, whatever an article calls them."""
    query = f"SELECT ?p ?label WHERE {{ GRAPH <{GAZETTEER_GRAPH}> {{ %s ?p <{_LABEL}> ?label }} }}"
    blocks = [""] if persons is None else list(values_blocks("p", (p[1:-1] for p in persons)))
    names: dict[str, set[str]] = {}
    for block in blocks:
        for r in store.query(query % block):
            names.setdefault(str(r["p"]), set()).add(str(r["label"]))
    return {p: tuple(sorted(v)) for p, v in names.items()}


def _ends(key: tuple[str, str, str]) -> list[tuple[str, str, str]]:
    """The (entity, predicate, direction) degrees a fact counts in: its subject's out, an IRI object's in."""
    s, p, o = key
    return [(s, p, "out")] + ([(o, p, "in")] if o.startswith("<") else [])


class Fold:
    """The summaries of many articles' parts, folded one article at a time (a bulk build's)."""

    def __init__(self):
        self.facts: dict[tuple[str, str, str], list[_Row]] = {}
        self.entities: dict[str, int] = {}
        self.months: dict[tuple[str, str], list[int]] = {}
        self.rules: dict[str, list] = {}
        self.roles: dict[tuple[str, str, str], tuple[list[int], list[_Row]]] = {}  # -> ([events], statings)
        self.labels: dict[tuple[str, str], tuple[str, ...]] = {}  # (graph, title holder) -> its labels there

    def add(self, c: Contribution) -> None:
        for key, assertions in c.facts.items():
            self.facts.setdefault(key, []).extend(_rows(c.graph, c.date, assertions))
        for holder, labels in c.labels.items():
            self.labels[(c.graph, holder)] = labels
        for key, (events, assertions) in c.roles.items():
            count, rows = self.roles.setdefault(key, ([0], []))
            count[0] += events
            rows.extend(_rows(c.graph, c.date, assertions))
        for e in c.mentions:
            self.entities[e] = self.entities.get(e, 0) + 1
        for month_key, n in c.events.items():
            month = self.months.setdefault(month_key, [0, 0])
            month[0] += n
            month[1] += 1
        for rule, assertions in c.rules.items():
            entry = self.rules.setdefault(rule, [0, 0, None])
            entry[0] += len(assertions)
            entry[1] += 1
            entry[2] = min(assertions[0], entry[2] or assertions[0])

    def lines(self, curated: dict[str, tuple[str, ...]]) -> list[str]:
        """Every statement of the summaries graph, as N-Triples lines without the final dot; `curated`: the
        gazetteer's labels by entity (`curated_names`)."""
        degrees: dict[tuple[str, str, str], int] = {}
        for key in self.facts:
            for end in _ends(key):
                degrees[end] = degrees.get(end, 0) + 1
        lines = [line for key, rows in self.facts.items() for line in _fact_lines(key, rows)]
        lines += [line for end, n in degrees.items() for line in _degree_lines(*end, n)]
        lines += [line for e, n in self.entities.items() for line in _entity_lines(e, n)]
        lines += [line for (month, cls), (n, a) in self.months.items() for line in _month_lines(month, cls, n, a)]
        lines += [line for rule, (n, a, example) in self.rules.items() for line in _rule_lines(rule, n, a, example)]
        lines += [line for key, ([n], rows) in self.roles.items() for line in _role_lines(key, rows, n)]
        titles: dict[str, dict[str, _Title]] = {}
        for (s, p, o), rows in self.facts.items():
            if p == _HOLDS:
                titles.setdefault(s, {})[o] = _title(_stated(rows), min(r.graph for r in rows))
        for person, held in titles.items():
            first = min(t.first_graph for t in held.values())
            lines += _position_lines(person, held, curated.get(person) or self.labels.get((first, person), ()))
        return lines


def summary_lines(contributions: Iterable[Contribution], curated: dict[str, tuple[str, ...]]) -> list[str]:
    """Every statement of the summaries graph, from every article's part (`curated`: see `Fold.lines`)."""
    fold = Fold()
    for c in contributions:
        fold.add(c)
    return fold.lines(curated)


def summary_nquads(lines: list[str]) -> bytes:
    """The summaries graph's statements as N-Quads, for a bulk load."""
    return "".join(f"{line} {GRAPH} .\n" for line in lines).encode("utf-8")


# Keeping them as one article changes ----------------------------------------------------------------------

def _article_graphs(store) -> list[str]:
    return [g for g in store.named_graphs() if g.startswith(ARTICLE)]


def recomputed_lines(store) -> set[str]:
    """The summaries computed from scratch from every article graph of the store (for checks and repairs)."""
    return set(summary_lines((contribution(g, store.quads_of(g)) for g in _article_graphs(store)),
                             curated_names(store)))


def stored_lines(store) -> set[str]:
    """The summaries graph as the store holds it, as N-Triples lines."""
    return {f"{q.subject} {q.predicate} {q.object}" for q in store.quads_of(SUMMARY_GRAPH)
            if q.subject.value != SUMMARY_GRAPH}


_WRITES = f"{GRAPH} {_K}writesSinceCompaction>"
# The shape of the summaries this code writes (SUMMARY_FORMAT), kept beside the count: summaries of another
# shape (an older version's) are computed anew, as a killed build's are.
_FORMAT = f"{GRAPH} {_K}summaryFormat>"


def writes_since_compaction(store) -> int | None:
    """Articles written or removed one transaction each since the store was last compacted; None when the
    count is missing: a write that changes the summaries takes it out first and puts it back when done, so a
    store holding articles without it was left by a killed build (or by a version writing summaries of another
    `SUMMARY_FORMAT`), and its summaries must be computed anew."""
    rows = list(store.query(f"SELECT ?n WHERE {{ GRAPH {GRAPH} {{ {_WRITES} ?n . "
                            f"{_FORMAT} {_int(SUMMARY_FORMAT)} }} }}"))
    return int(rows[0]["n"].value) if rows else None


def start_writes(store) -> None:
    """Take the count out while the summaries are being changed (see `writes_since_compaction`)."""
    store.update(f"DELETE WHERE {{ GRAPH {GRAPH} {{ {_WRITES} ?n }} }}")


def count_writes(store, writes: int) -> None:
    """Put back the count of `writes_since_compaction` (0 after a compaction, and on a SPARQL server)."""
    store.update(f"DELETE WHERE {{ GRAPH {GRAPH} {{ {_WRITES} ?n }} }} ;\n"
                 f"DELETE WHERE {{ GRAPH {GRAPH} {{ {_FORMAT} ?f }} }} ;\n"
                 f"INSERT DATA {{ GRAPH {GRAPH} {{ {_WRITES} {_int(writes)} . {_FORMAT} {_int(SUMMARY_FORMAT)} }} }}")


def repair(store) -> None:
    """The summaries graph computed anew from every article graph of the store."""
    lines = sorted(recomputed_lines(store))
    store.drop_graph(ox.NamedNode(SUMMARY_GRAPH))
    for start in range(0, len(lines), 20_000):
        store.update(f"INSERT DATA {{ GRAPH {GRAPH} {{\n" + " .\n".join(lines[start:start + 20_000]) + " .\n} }")


def stored_contribution(store, graph: str) -> Contribution | None:
    """The part an article already in the store has in the summaries (None for a new article)."""
    quads = store.quads_of(graph)
    return contribution(graph, quads) if quads else None


def _in_other_articles(store, graph: str, keys: set[tuple[str, str, str]], names: str, pattern: str):
    """The rows of `pattern` for these keys (bound to the three variables `names`, 100 keys a query) in the
    article graphs other than `graph`, ?a an assertion no curator rejected, each with its stating. (The keys are
    joined inside the GRAPH: outside it, Oxigraph 0.5 read the pattern in every graph first, 0.27 s for a
    replaced article's facts at 1,000 articles instead of 0.01 s, and 1-3 s for its roles.)"""
    ordered = sorted(keys)
    for start in range(0, len(ordered), 100):
        cells = " ".join(f"({a} {b} {c})" for a, b, c in ordered[start:start + 100])
        for r in store.query(
                f"SELECT * WHERE {{ GRAPH ?g {{ VALUES ({names}) {{ {cells} }} {pattern} "
                f"OPTIONAL {{ ?a <{_REJECTED}> ?rejected }} OPTIONAL {{ ?g <{_PUBLISHED}> ?date }} }} "
                f"FILTER(!BOUND(?rejected) && ?g != <{graph}> && STRSTARTS(STR(?g), \"{ARTICLE}\")) }}"):
            date = (r["date"].value, str(r["date"])) if r["date"] is not None else None
            yield r, _Row(r["g"].value, date, str(r["a"]))


def _other_rows(store, graph: str, keys: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], list[_Row]]:
    """Every stating of these facts in article graphs other than `graph`."""
    rows: dict[tuple[str, str, str], list[_Row]] = {}
    for r, row in _in_other_articles(store, graph, keys, "?s ?p ?o",
                                     f"?s ?p ?o . ?a <{_OBJECT}> ?o ; <{_SUBJECT}> ?s ; <{_PREDICATE}> ?p ."):
        rows.setdefault((str(r["s"]), str(r["p"]), str(r["o"])), []).append(row)
    return rows


def _other_roles(store, graph: str,
                 keys: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], tuple[int, list[_Row]]]:
    """Every event in article graphs other than `graph` in which these entities have these roles and classes:
    (entity, role, class) -> (the events, their type assertions as statings). (The assertion's predicate is
    left to a FILTER: as a constant, rdf:type made the query twice as slow on Oxigraph 0.5.)"""
    events: dict[tuple[str, str, str], set[tuple[str, str]]] = {}
    rows: dict[tuple[str, str, str], set[_Row]] = {}
    for r, row in _in_other_articles(store, graph, keys, "?e ?r ?c",
                                     f"?event ?r ?e . ?a <{_SUBJECT}> ?event ; <{_PREDICATE}> ?typed ; "
                                     f"<{_OBJECT}> ?c . ?event <{_TYPE}> ?c . FILTER(?typed = <{_TYPE}>)"):
        key = (str(r["e"]), str(r["r"]), str(r["c"]))
        events.setdefault(key, set()).add((row.graph, str(r["event"])))
        rows.setdefault(key, set()).add(row)
    return {key: (len(events[key]), list(rows[key])) for key in rows}


def _stored(store, nodes: dict[str, tuple[str, str, str]]) -> dict[tuple[str, str, str], tuple[_Stated, dict]]:
    """The stored summaries of these nodes (IRI -> key; those that have one): their counts, dates and newest
    assertions with those assertions' dates, and every value by property (local name): a few lookups per
    node, however many articles state its fact."""
    values: dict[str, dict[str, list]] = {}
    for block in values_blocks("n", nodes):
        for r in store.query(f"SELECT ?n ?p ?v WHERE {{ {block} GRAPH {GRAPH} {{ ?n ?p ?v }} }}"):
            values.setdefault(r["n"].value, {}).setdefault(r["p"].value[len(KG):], []).append(r["v"])
    assertions = {a.value for v in values.values() for a in v.get("newestAssertion", []) + v.get("recentAssertion", [])}
    dates: dict[str, str] = {}
    for block in values_blocks("a", assertions):
        for r in store.query(f"SELECT ?a ?date WHERE {{ {block} GRAPH ?g {{ ?a <{_SUBJECT}> ?x }} "
                             f"OPTIONAL {{ GRAPH ?g {{ ?g <{_PUBLISHED}> ?date }} }} }}"):
            dates[r["a"].value] = r["date"].value if r["date"] is not None else ""
    out = {}
    for node, v in values.items():
        if not v.get("articleCount") or not v.get("newestAssertion"):
            continue
        first, last = (v.get(p, [None])[0] for p in ("firstEvidence", "lastEvidence"))
        out[nodes[node]] = (_Stated(
            int(v["articleCount"][0].value), (first.value, str(first)) if first is not None else None,
            (last.value, str(last)) if last is not None else None,
            _newest((dates.get(a.value, ""), str(a)) for a in v["newestAssertion"] + v.get("recentAssertion", []))),
            v)
    return out


def _stored_counts(store, nodes: list[str]) -> dict[tuple[str, str], str]:
    """(node, property) -> value (N-Triples) of summary nodes."""
    out = {}
    for values in values_blocks("n", (n[1:-1] for n in nodes)):
        for r in store.query(f"SELECT ?n ?p ?v WHERE {{ {values} GRAPH {GRAPH} {{ ?n ?p ?v }} }}"):
            out[(str(r["n"]), r["p"].value[len(KG):])] = r["v"]
    return out


def _number(counts: dict, node: str, prop: str) -> int:
    value = counts.get((node, prop))
    return int(value.value) if value is not None else 0


def change(store, graph: str, old: Contribution | None, new: Contribution | None) -> str:
    """The SPARQL update that turns the stored summaries into those of the store once `graph` holds `new`
    (None: removed) instead of `old` (None: a new article). Run it in the same request as the graph's write."""
    added = old is None  # a new article: its facts' summaries follow from the stored ones
    old = old or Contribution(graph)
    new = new or Contribution(graph)
    keys = set(old.facts) | set(new.facts)
    summarized = _stored(store, {_node("fact", *key)[1:-1]: key for key in keys}) if added else {}
    others = {} if added else _other_rows(store, graph, keys)
    lines: list[str] = []
    nodes: list[str] = []
    degree_change: dict[tuple[str, str, str], int] = {}
    titles: dict[tuple[str, str], _Title | None] = {}  # (person, title) -> its part in positions, None: gone
    for key in keys:
        nodes.append(_node("fact", *key))
        if added:
            assertions = new.facts[key]
            if key in summarized:
                stated, values = summarized[key]
                first = min(values["firstStatedIn"][0].value, graph)
                stated = _with_article(stated, new.date, assertions)
            else:
                stated, first = _stated(_rows(graph, new.date, assertions)), graph
            lines += _summary_lines(key, stated, first)
            before, after = key in summarized, True
            title: _Title | None = _title(stated, first)
        else:
            rows = others.get(key, []) + _rows(graph, new.date, new.facts.get(key, ()))
            lines += _fact_lines(key, rows)
            before, after = bool(others.get(key)) or key in old.facts, bool(rows)
            title = _title(_stated(rows), min(r.graph for r in rows)) if rows else None
        if key[1] == _HOLDS:
            titles[(key[0], key[2])] = title
        if before != after:
            for end in _ends(key):
                degree_change[end] = degree_change.get(end, 0) + (1 if after else -1)
    lines += _role_changes(store, graph, old, new, added)
    position_lines, position_nodes = _position_changes(store, graph, new, titles)
    lines += position_lines
    nodes += position_nodes
    nodes += [_node("role", *key) for key in set(old.roles) | set(new.roles)]
    entities = {e: (e in new.mentions) - (e in old.mentions) for e in old.mentions ^ new.mentions}
    months = {k: (new.events.get(k, 0) - old.events.get(k, 0), (k in new.events) - (k in old.events))
              for k in set(old.events) | set(new.events)}
    rules = set(old.rules) | set(new.rules)
    touched = ([_node("degree", *end) for end in degree_change] + [_node("entity", e) for e in entities]
               + [_node("month", *k) for k in months] + [_node("rule", r) for r in rules])
    counts = _stored_counts(store, touched)
    for end, delta in degree_change.items():
        n = _node("degree", *end)
        lines += _degree_lines(*end, _number(counts, n, "factCount") + delta)
    for e, delta in entities.items():
        lines += _entity_lines(e, _number(counts, _node("entity", e), "articleCount") + delta)
    for (month, cls), (events, articles) in months.items():
        n = _node("month", month, cls)
        lines += _month_lines(month, cls, _number(counts, n, "eventCount") + events,
                              _number(counts, n, "articleCount") + articles)
    for rule in rules:
        n = _node("rule", rule)
        facts = _number(counts, n, "factCount") + len(new.rules.get(rule, ())) - len(old.rules.get(rule, ()))
        articles = _number(counts, n, "articleCount") + (rule in new.rules) - (rule in old.rules)
        stored = counts.get((n, "exampleAssertion"))
        example = str(stored) if stored is not None else None
        if example is None or example in old.rules.get(rule, ()):
            example = _first_assertion(store, graph, rule)
        candidates = [a for a in (example, *new.rules.get(rule, ())[:1]) if a]
        if facts > 0 and candidates:
            lines += _rule_lines(rule, facts, articles, min(candidates))
    nodes += touched
    update = [f"DELETE {{ GRAPH {GRAPH} {{ ?n ?p ?v }} }} WHERE {{ {values} GRAPH {GRAPH} {{ ?n ?p ?v }} }}"
              for values in values_blocks("n", {n[1:-1] for n in nodes})]
    if lines:
        update.append(f"INSERT DATA {{ GRAPH {GRAPH} {{\n" + " .\n".join(lines) + " .\n} }")
    return " ;\n".join(update)


def _position_changes(store, graph: str, new: Contribution,
                      changed: dict[tuple[str, str], _Title | None]) -> tuple[list[str], list[str]]:
    """The position summaries of the persons whose titles change (their new lines, and the nodes they replace):
    every title of such a person is written anew, since a changed title can change the first graph their name
    is read in. Their other titles are read from their stored fact summaries. (The keys are joined inside the
    GRAPH, as in `_in_other_articles`: outside it, a new article's took 15 s at 10,000 articles instead of
    milliseconds.)"""
    persons = {person for person, _ in changed}
    if not persons:
        return [], []
    held: dict[str, dict[str, _Title]] = {}
    for block in values_blocks("s", (p[1:-1] for p in persons)):
        for r in store.query(f"SELECT ?s ?o ?n ?first ?latest WHERE {{ GRAPH {GRAPH} {{ {block} ?f {_K}summarySubject> "
                             f"?s ; {_K}summaryPredicate> {_HOLDS} ; {_K}summaryObject> ?o ; {_K}articleCount> ?n ; "
                             f"{_K}firstStatedIn> ?first . OPTIONAL {{ ?f {_K}lastEvidence> ?latest }} }} }}"):
            held.setdefault(str(r["s"]), {})[str(r["o"])] = _Title(
                int(r["n"].value), str(r["latest"]) if r["latest"] is not None else None, r["first"].value)
    nodes = [_node("position", person, title) for person, titles in held.items() for title in titles]
    nodes += [_node("position", person, title) for person, title in changed]
    for (person, title), part in changed.items():
        held.setdefault(person, {}).pop(title, None)
        if part is not None:
            held[person][title] = part
    firsts = {person: min(t.first_graph for t in titles.values()) for person, titles in held.items() if titles}
    curated = curated_names(store, firsts)
    named = {(first, person): new.labels.get(person, ()) for person, first in firsts.items() if first == graph}
    asked = {(first, person[1:-1]) for person, first in firsts.items() if first != graph}
    for block in values_blocks(("g", "s"), asked):
        for r in store.query(f"SELECT ?g ?s ?label WHERE {{ GRAPH ?g {{ {block} ?s <{_LABEL}> ?label }} }}"):
            key = (r["g"].value, str(r["s"]))
            named[key] = (*named.get(key, ()), str(r["label"]))
    lines = [line for person, first in firsts.items()
             for line in _position_lines(person, held[person], curated.get(person) or named.get((first, person), ()))]
    return lines, nodes


def _role_changes(store, graph: str, old: Contribution, new: Contribution, added: bool) -> list[str]:
    """The role summaries of the entities taking part in events of `old` or `new`: a new article's from the
    stored ones, a replaced or removed one's recounted from the other article graphs (as for facts)."""
    keys = set(old.roles) | set(new.roles)
    lines: list[str] = []
    if added:
        summarized = _stored(store, {_node("role", *key)[1:-1]: key for key in keys})
        for key, (events, assertions) in new.roles.items():
            if key in summarized:
                stated, values = summarized[key]
                lines += _role_summary_lines(key, _with_article(stated, new.date, assertions),
                                             int(values["eventCount"][0].value) + events)
            else:
                lines += _role_lines(key, _rows(graph, new.date, assertions), events)
        return lines
    others = _other_roles(store, graph, keys)
    for key in keys:
        events, rows = others.get(key, (0, []))
        more, assertions = new.roles.get(key, (0, ()))
        lines += _role_lines(key, rows + _rows(graph, new.date, assertions), events + more)
    return lines


def _first_assertion(store, graph: str, rule: str) -> str | None:
    """The example of a rule: its assertion with the smallest IRI in article graphs other than `graph`."""
    rows = list(store.query(f"SELECT (MIN(STR(?a)) AS ?first) WHERE {{ GRAPH ?g {{ ?a <{_RULE}> {rule} }} "
                            f"FILTER(?g != <{graph}> && STRSTARTS(STR(?g), \"{ARTICLE}\")) }}"))
    first = rows[0]["first"] if rows else None
    return f"<{first.value}>" if first is not None else None
