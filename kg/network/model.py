"""The store as a network of entities (networkx): nodes with classes and names, edges with their evidence.

Views, analysis and the GraphML/GEXF exports all start from `load_network`; which nodes and links a view with
a size limit reads is chosen first, on the summaries graph's counts (kg.network.selection), and such a view
reads its facts' counts, dates and newest sentences from their summaries too: its cost follows what it draws,
not how many articles state it.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TypeVar

import networkx as nx

from kg.errors import KgError
from kg.network.selection import Selection, select_nodes
from kg.network.sparql import (
    event_roles,
    filled,
    local_name,
    network_links,
    store_rows,
    term_value,
)
from kg.query.run import stale_summaries
from kg.rdf.quads import article_iri
from kg.store.embedded import Store
from kg.vocab import GAZETTEER_GRAPH, KG, SUMMARY_GRAPH, summary_iri

T = TypeVar("T")
U = TypeVar("U")

__all__ = ["Evidence", "load_network", "newest_first"]

# The edges of the network are the core relations joining two entities and the event roles, as
# ontology/kg.ttl declares them (see kg.network.sparql for the `$roles` of the queries below).

# (A fact a curator rejected keeps its assertion, marked kg:rejectedBy, but is no edge.
# Inside GRAPH ?g: an article's assertions share its graph, and Oxigraph answers the OPTIONALs there
# row by row where over the union of all graphs it joins whole tables. What is the same for every fact of an
# article, its headline, date and publisher, is read once per article by _ARTICLES, not once per fact.)
_EDGES = """
SELECT ?s ?p ?o ?sentence ?g ?rule ?stext ?otext ?start WHERE { GRAPH ?g { %s
  ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?sentence ; kg:startOffset ?start ;
     kg:rule ?rule .
  FILTER(isIRI(?o) && ?p != rdf:type)
  OPTIONAL { ?a kg:subjectText ?stext } OPTIONAL { ?a kg:objectText ?otext }
  OPTIONAL { ?a kg:rejectedBy ?rejected } FILTER(!BOUND(?rejected))
} }"""
_GAZETTEER_EDGES = f"""
SELECT ?s ?p ?o ?rule ?entry WHERE {{ %s
  GRAPH <{GAZETTEER_GRAPH}> {{ ?a rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:rule ?rule ;
                               kg:curatedSource ?entry }}
}}"""
_EVENTS = """
SELECT ?e ?role ?x ?sentence ?g ?rule ?start WHERE { GRAPH ?g { %s
  ?a rdf:subject ?e ; rdf:predicate ?typed ; kg:evidence ?sentence ; kg:startOffset ?start ; kg:rule ?rule .
  ?e ?role ?x .
  FILTER(?typed = rdf:type && ?role IN ($roles))
} }"""
_ARTICLES = """SELECT ?article ?headline ?date ?publisher WHERE { GRAPH ?article { %s
  ?article schema:headline ?headline OPTIONAL { ?article schema:datePublished ?date }
  OPTIONAL { ?article schema:publisher/schema:name ?publisher } } }"""
# (An entity found by pattern is described in every article naming it: its class and its label are read
# apart, or each copy of one meets each copy of the other.)
_CLASSES = """SELECT DISTINCT ?e ?type WHERE { %s ?e a ?type . FILTER(STRSTARTS(STR(?type), STR(kg:))) }"""
_LABELS = "SELECT DISTINCT ?e ?label WHERE { %s ?e rdfs:label ?label }"
_ALIASES = "SELECT ?e ?alias WHERE { %s ?e skos:altLabel ?alias }"
_MENTIONS = "SELECT ?e ?article WHERE { %s ?article schema:mentions ?e }"
# (How many articles name an entity: its summary's count, one lookup however many name it.)
_MENTION_COUNTS = f"SELECT ?n ?count WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ %s ?n kg:articleCount ?count }} }}"
_MENTIONED_IN = "SELECT ?article ?e WHERE { GRAPH ?article { %s ?article schema:mentions ?e } }"
_PUBLISHED = "SELECT ?article ?date WHERE { GRAPH ?article { ?article schema:datePublished ?date } }"
_POSITIONS = "SELECT ?e ?title WHERE { %s ?e kg:holdsPosition ?title }"
_EVENT_DATES = "SELECT ?e ?d WHERE { %s ?e kg:date ?d }"
# The evidence of given links, all of it, is read in two steps: the graphs stating each link (one lookup of its
# direct triple), then in each of those the assertions linking its two ends, with their sentence and source. In
# an article an assertion is found from its object: a cartel is the subject of dozens of assertions in one
# article, a place the object of a few (Oxigraph follows the order written here: from the subject, reading a
# dense node's evidence took five times longer). In the gazetteer, from its subject: a country is the object of
# hundreds of locatedIn entries. An event role's evidence is the assertion of the event's class.
_STATED_IN = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { %s ?s ?p ?o } }"
# A view with a size limit reads only the evidence of a fact's newest few sources: its summary
# (kg.pipeline.summaries, found by its IRI) counts the articles stating it, gives the first and last of their
# dates and names its newest assertions, whose sentences are then read (_NAMED, from the assertion); the
# gazetteer is asked whether it states the link too. A few lookups per link, however many articles state it:
# in ten thousand articles, reading every sentence of a link in its newest articles (_ASSERTED) took 0.5 ms a
# sentence, as an article graph's assertions are found among all those of the link's object.
_FACT_SUMMARY = f"""SELECT ?f ?p ?v WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ %s ?f ?p ?v }}
  FILTER(?p IN (kg:articleCount, kg:firstEvidence, kg:lastEvidence, kg:newestAssertion, kg:recentAssertion)) }}"""
_CURATED_STATED = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{GAZETTEER_GRAPH}> {{ %s ?s ?p ?o }} }}"
_SOURCE = """kg:rule ?rule OPTIONAL { ?a kg:evidence ?sentence } OPTIONAL { ?a kg:startOffset ?start }
  OPTIONAL { ?a kg:subjectText ?stext } OPTIONAL { ?a kg:objectText ?otext }
  OPTIONAL { ?a kg:curatedSource ?entry } OPTIONAL { ?a kg:rejectedBy ?rejected }"""
_LINKING = """SELECT ?g ?s ?p ?o ?rule ?sentence ?start ?stext ?otext ?entry ?rejected WHERE { GRAPH ?g { %%s
  ?a %s ; %s OPTIONAL { ?a rdf:predicate ?p } } }"""
_ASSERTED = _LINKING % ("rdf:object ?o ; rdf:subject ?s", _SOURCE)
_CURATED = _LINKING % ("rdf:subject ?s ; rdf:object ?o", _SOURCE)
_NAMED = """SELECT ?a ?g ?rule ?sentence ?start ?stext ?otext WHERE { GRAPH ?g { %s ?a kg:rule ?rule
  OPTIONAL { ?a kg:evidence ?sentence } OPTIONAL { ?a kg:startOffset ?start }
  OPTIONAL { ?a kg:subjectText ?stext } OPTIONAL { ?a kg:objectText ?otext } } }"""
_EVENT_CLASS = """SELECT ?g ?s ?p ?rule ?sentence ?start ?stext ?otext ?entry ?rejected WHERE { GRAPH ?g { %%s
  ?a rdf:subject ?s ; rdf:predicate ?p ; %s } FILTER(?p = rdf:type) }""" % _SOURCE
# A view lists a node's newest articles. Reading all the articles naming its nodes costs a few microseconds
# each, and the 500 nodes of a cartel's view in ten thousand articles are named 144,000 times (0.9 s): the
# least named nodes' are all read, up to _MENTIONS_READ, and the others' looked for among the _NEWEST_READ
# newest articles (for its 150 nodes, 20,000 and 500 took 0.31 s, these 0.2 s).
_MENTIONS_READ = 8_000
_NEWEST_READ = 300
_WALK = 100


@dataclass(frozen=True)
class Evidence:
    """One assertion behind an edge: the sentence and where it comes from, or the gazetteer entry that
    states it (`entry`, for a place's locatedIn chain)."""

    sentence: str
    article: str
    headline: str
    date: str
    rule: str
    subject_text: str = ""
    object_text: str = ""
    start: int = 0
    publisher: str = ""
    entry: str = ""


@dataclass
class _Edge:
    evidence: list[Evidence] = field(default_factory=list)
    # when only the newest of the articles stating it were read: how many state it, and the dates known of them
    # (the first and last; those of the sentences read are added)
    sources: int = 0
    dates: frozenset[str] = frozenset()




def load_network(store: Store, article: str | None = None, focus: str | None = None,
                 depth: int = 1, selection: Selection | None = None, newest_sources: int = 0,
                 newest_articles: int = 0) -> nx.MultiDiGraph:
    """Entities and events as nodes, facts and event roles as edges keyed by predicate, with evidence.

    A node's `articles` (IRI to headline) are the articles mentioning it, newest first, and `mentioned` their
    number; an edge's `sources` is the number of articles (or gazetteer entries) stating it and `dates` their
    publication dates. With `article`, that article's facts (and the chains of the places it names); with
    `focus` (an entity IRI, see `find_entity_in_store`), only what lies within `depth` hops of it is read, so
    an ego view costs the neighbourhood, not the store; with `selection` (see `select_nodes`), only the links
    it keeps. With `newest_sources`, a kept link's evidence is that of only that many of the newest articles
    stating it (for a fact stated by more, the few newest assertions its summary names, NEWEST in
    kg.pipeline.summaries, from one to that many articles), and with `newest_articles` a node keeps only that
    many `articles`, the newest: in ten thousand articles a cartel's links are stated thousands of times and it
    is named in thousands, and reading them all took a view five seconds. `sources` and `mentioned` still count
    them all (from the summaries); `dates` of a fact stated by more then holds the first and last of its
    articles' dates and those of the sentences read, not every date between (`why` lists every sentence).
    """
    if stale := stale_summaries(store):
        raise KgError(stale)
    if focus and not selection:
        selection = select_nodes(store, 0, focus, depth)
    wanted, named = None, set()
    if article:
        wanted = article_iri(article).value
        if wanted not in store.named_graphs():
            raise KgError(f"no article '{article}' in the store")
        named = {term_value(row["e"]) for row in store.query(f"SELECT ?e WHERE {{ GRAPH <{wanted}> {{ "
                                                           f"<{wanted}> schema:mentions ?e }} }}")}
    published = _published(store) if newest_sources or newest_articles else None
    edges: dict[tuple[str, str, str], _Edge]
    if selection:  # the links' evidence and the nodes' names and articles, read side by side (see _both)
        nodes = sorted({n for s, _, o in selection.links for n in (s, o)})
        edges, (info, dates) = _both(lambda: _read_links(store, selection.links, newest_sources, published),
                                     lambda: _node_info(store, ("e", nodes), newest_articles, published))
    else:
        edges = {}
        if wanted:  # its own graph, and the chains of the places it names
            _read_edges(store, edges, "g", [wanted], gazetteer=("s", named))
        else:
            _read_edges(store, edges, None, ())
        nodes = sorted({n for s, _, o in edges for n in (s, o)})
        info, dates = _node_info(store, ("e", nodes) if wanted else (None, ()), newest_articles, published)
    cited = {e.article for edge in edges.values() for e in edge.evidence if e.article}
    if newest_articles:  # the headlines of the newest only are read
        for data in info.values():
            data["articles"] = newest_first(data["articles"], published or {})[:newest_articles]
    about = _articles(store, cited.union(*(data["articles"] for data in info.values())))
    published = published or {iri: date for iri, (_, date, _) in about.items() if date}
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for (s, p, o), edge in sorted(edges.items()):
        for node in (s, o):
            if node not in graph:
                data = info.get(node, {"label": node.rsplit("/", 1)[-1], "type": "Entity", "aliases": set(),
                                       "articles": set(), "mentioned": 0, "positions": set()})
                graph.add_node(node, label=data["label"], type=data["type"], aliases=sorted(data["aliases"]),
                               articles={a: about[a][0] for a in newest_first(data["articles"], published)},
                               mentioned=data["mentioned"], positions=sorted(data["positions"]),
                               date=dates.get(node, ""))
        evidence = {replace(e, headline=about[e.article][0], date=about[e.article][1],
                            publisher=about[e.article][2]) if e.article else e for e in edge.evidence}
        if edge.sources:  # counted in its summary, of which only the newest were read
            sources, dated = edge.sources, set(edge.dates) | {e.date for e in evidence if e.date}
        else:
            stating = {e.article or e.entry for e in evidence}
            sources, dated = len(stating), {published[a] for a in stating if a in published}
        graph.add_edge(s, o, key=p, predicate=p, evidence=_one_per_sentence(evidence),
                       sources=sources, dates=sorted(dated))
    return graph


def _one_per_sentence(evidence: Iterable[Evidence]) -> list[Evidence]:
    """The assertions behind a link, one per sentence: a sentence read by a surface rule and by a rule over its
    parse is one quote naming both rules, not the same quote twice."""
    merged: dict[tuple[str, int, str, str], Evidence] = {}
    for e in sorted(evidence, key=lambda e: (e.article, e.start, e.rule)):
        key = (e.article, e.start, e.sentence, e.entry)
        merged[key] = replace(merged[key], rule=f"{merged[key].rule}, {e.rule}") if key in merged else e
    return list(merged.values())


def _both(first: Callable[[], T], second: Callable[[], U]) -> tuple[T, U]:
    """Two independent reads at once: Oxigraph lets go of the interpreter while it evaluates, and a server
    answers two requests at once. For a cartel's view in ten thousand articles, its links' evidence and its
    nodes' articles took 0.53 to 0.68 s one after the other, 0.40 to 0.47 s side by side."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = pool.submit(first)
        other = second()
        return started.result(), other


def _node_info(store: Store, restrict: tuple, newest_articles: int,
               published: dict[str, str] | None) -> tuple[dict[str, dict], dict[str, str]]:
    """Each node's label, class, aliases, articles (see _read_mentions) and positions, and each event's date,
    for the nodes `restrict` names (("e", IRIs), or (None, ()) for all)."""
    info: dict[str, dict] = {}
    labels: dict[str, str] = {}
    for row in store_rows(store, _LABELS, *restrict):
        e, label = term_value(row["e"]), term_value(row["label"])
        labels[e] = min(label, labels.get(e, label))
    for row in store_rows(store, _CLASSES, *restrict):
        e, kind = term_value(row["e"]), local_name(term_value(row["type"]))
        if e in labels:
            info[e] = {"label": labels[e], "type": min(kind, info[e]["type"]) if e in info else kind,
                       "aliases": set(), "articles": set(), "positions": set()}
    for row in store_rows(store, _ALIASES, *restrict):
        if term_value(row["e"]) in info:
            info[term_value(row["e"])]["aliases"].add(term_value(row["alias"]))
    _read_mentions(store, info, restrict, newest_articles, published)
    for row in store_rows(store, _POSITIONS, *restrict):
        if term_value(row["e"]) in info:
            info[term_value(row["e"])]["positions"].add(term_value(row["title"]))
    return info, {term_value(row["e"]): term_value(row["d"]) for row in store_rows(store, _EVENT_DATES, *restrict)}


def newest_first(articles: Iterable[str], published: dict[str, str]) -> list[str]:
    """Articles by publication date, newest first (undated last), then by IRI."""
    return sorted(sorted(articles), key=lambda a: published.get(a, ""), reverse=True)


def _published(store: Store) -> dict[str, str]:
    """Every article's publication date: one scan of one predicate costs less than looking up thousands."""
    return {article.value: date.value for article, date in store.query(_PUBLISHED)}


def _read_mentions(store: Store, info: dict[str, dict], restrict: tuple, newest: int,
                   published: dict[str, str] | None) -> None:
    """Each node's `articles` (the IRIs of those mentioning it) and `mentioned` (their number). With `newest`,
    the least named nodes have all theirs read, up to `_MENTIONS_READ` in all; the others get those among the
    store's newest articles (by `published`), read `_WALK` at a time until each has `newest` of them or
    `_NEWEST_READ` were read: the first of its articles newest first, if not all of them."""
    if not newest:
        for e, article in store_rows(store, _MENTIONS, *restrict):  # the most rows of all: unpacked, not read by name
            if e.value in info:
                info[e.value]["articles"].add(article.value)
        for data in info.values():
            data["mentioned"] = len(data["articles"])
        return
    for data in info.values():
        data["mentioned"] = 0
    summaries = {summary_iri("entity", f"<{e}>"): e for e in info}
    for node, count in store_rows(store, _MENTION_COUNTS, "n", summaries):
        info[summaries[node.value]]["mentioned"] = int(count.value)
    named = sorted((data["mentioned"], e) for e, data in info.items() if data["mentioned"])
    budget, read = _MENTIONS_READ, []
    while named and named[0][0] <= budget:
        count, e = named.pop(0)
        budget -= count
        read.append(e)
    for e, article in store_rows(store, _MENTIONS, "e", read):
        info[e.value]["articles"].add(article.value)
    unfilled = {e for _, e in named}
    order = _newest(store, published or {}, _NEWEST_READ) if unfilled else []
    for start in range(0, len(order), _WALK):
        for article, e in store_rows(store, _MENTIONED_IN, "article", order[start:start + _WALK]):
            if e.value in unfilled:
                info[e.value]["articles"].add(article.value)
        unfilled = {e for e in unfilled if len(info[e]["articles"]) < newest}
        if not unfilled:
            break


def _newest(store: Store, published: dict[str, str], count: int) -> list[str]:
    """The `count` newest articles, as `newest_first` orders them: picked among the dated ones without listing
    and sorting the store's graphs (in ten thousand articles, 4 ms instead of 38), unless there are too few."""
    if len(published) < count:
        return newest_first(store.named_graphs(), published)[:count]
    cut = heapq.nlargest(count, published.values())[-1]
    newer = [a for a, date in published.items() if date > cut]
    return newest_first(newer + sorted(a for a, date in published.items() if date == cut)[:count - len(newer)],
                        published)




def _read_links(store: Store, links: frozenset[tuple[str, str, str]], newest: int = 0,
                published: dict[str, str] | None = None) -> dict[tuple[str, str, str], _Edge]:
    """The given links with their evidence: a fact's from its assertions (with `newest`, those of that many of
    its newest sources at most: see _summarized), an event role's from the assertion of the event's class, a
    gazetteer link's from its curated entry."""
    roles_of = event_roles()
    facts = {(s, KG + p, o) for s, p, o in links if p not in roles_of}
    edges = _summarized(store, facts, newest, published or {}) if newest else _stated(store, facts)
    roles: dict[str, list[tuple[str, str, str]]] = {}
    for key in links:
        if key[1] in roles_of:
            roles.setdefault(key[0], []).append(key)
    for row in store_rows(store, _EVENT_CLASS, "s", roles):
        if row["rejected"] is None:  # an event's class, not a fact between two names
            evidence = replace(_evidence(row), subject_text="", object_text="")
            for key in roles[term_value(row["s"])]:
                edges.setdefault(key, _Edge()).evidence.append(evidence)
    return edges


def _stated(store: Store, facts: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], _Edge]:
    """These facts (full predicate IRIs) with every assertion stating them (see _STATED_IN)."""
    read: dict[tuple[str, str, str], set[str]] = {}  # (graph, subject, object): the predicates read there
    for g, s, p, o in store_rows(store, _STATED_IN, ("s", "p", "o"), facts):
        read.setdefault((g.value, s.value, o.value), set()).add(p.value)
    edges: dict[tuple[str, str, str], _Edge] = {}
    _read_assertions(store, edges, read)
    return edges


def _read_assertions(store: Store, edges: dict[tuple[str, str, str], _Edge],
                     read: dict[tuple[str, str, str], set[str]]) -> None:
    """Add to `edges` the assertions, not rejected, of the predicates `read` names between two ends in a graph
    ((graph, subject, object) -> predicate IRIs): in an article graph or the gazetteer's (see _ASSERTED)."""
    curated = {found for found in read if found[0] == GAZETTEER_GRAPH}
    for query, rows in ((_ASSERTED, read.keys() - curated), (_CURATED, curated)):
        for row in store_rows(store, query, ("g", "s", "o"), rows):
            g, s, p, o = (term_value(row[name]) for name in ("g", "s", "p", "o"))
            if p in read[(g, s, o)] and row["rejected"] is None:
                edges.setdefault((s, local_name(p), o), _Edge()).evidence.append(_evidence(row))


def _summarized(store: Store, facts: set[tuple[str, str, str]], newest: int,
                published: dict[str, str]) -> dict[tuple[str, str, str], _Edge]:
    """These facts (full predicate IRIs) with the evidence of their `newest` newest sources, counted by their
    summaries (and the gazetteer, if it states them too). A fact with no more sources than that has all its
    evidence read, as `_stated` reads it; another, the newest assertions its summary names (the latest
    article first, then by assertion IRI, as kg.pipeline.summaries orders them), those of `newest` articles at
    most."""
    summaries = {summary_iri("fact", f"<{s}>", f"<{p}>", f"<{o}>"): (s, p, o) for s, p, o in facts}
    counts: dict[tuple[str, str, str], int] = {}
    dates: dict[tuple[str, str, str], set[str]] = {}
    named: dict[str, tuple[str, str, str]] = {}  # assertion -> its fact
    for f, prop, value in store_rows(store, _FACT_SUMMARY, "f", summaries):
        key, name = summaries[f.value], prop.value[len(KG):]
        if name == "articleCount":
            counts[key] = int(value.value)
        elif name.endswith("Evidence"):
            dates.setdefault(key, set()).add(value.value)
        else:
            named[value.value] = key
    for s, p, o in store_rows(store, _CURATED_STATED, ("s", "p", "o"), facts):
        key = (s.value, p.value, o.value)
        counts[key] = counts.get(key, 0) + 1
    few = {key for key, n in counts.items() if n <= newest}
    newer: dict[tuple[str, str, str], list[tuple[str, str, Evidence]]] = {}
    for row in store_rows(store, _NAMED, "a", (a for a, key in named.items() if key not in few)):
        evidence = _evidence(row)
        newer.setdefault(named[term_value(row["a"])], []).append(
            (published.get(evidence.article, ""), term_value(row["a"]), evidence))
    edges = _stated(store, few)
    for (s, p, o), rows in newer.items():
        rows.sort(key=lambda row: row[1])
        rows.sort(key=lambda row: row[0], reverse=True)
        kept = set(list(dict.fromkeys(e.article for *_, e in rows))[:newest])
        edges[(s, local_name(p), o)] = _Edge([e for *_, e in rows if e.article in kept], counts[(s, p, o)],
                                             frozenset(dates.get((s, p, o), ())))
    return edges


def _evidence(row) -> Evidence:
    """An Evidence from a row naming its graph ?g, sentence, rule and offsets, or its curated ?entry (a variable
    the query does not project reads as unbound)."""
    if row["entry"] is not None:
        return Evidence("", "", "", "", term_value(row["rule"]), entry=term_value(row["entry"]))
    sentence, graph, rule, stext, otext, start = (term_value(row[name]) for name in
                                                  ("sentence", "g", "rule", "stext", "otext", "start"))
    return Evidence(sentence, graph, "", "", rule, stext, otext, int(start or 0))


def _articles(store: Store, iris: set[str]) -> dict[str, tuple[str, str, str]]:
    """Headline, publication date and publisher of each article, read once each."""
    return {term_value(row["article"]): (term_value(row["headline"]), term_value(row["date"]),
                                         term_value(row["publisher"]))
            for row in store_rows(store, _ARTICLES, "article", iris)}


def _read_edges(store: Store, edges: dict, var: str | None, iris: Iterable[str],
                gazetteer: tuple[str, Iterable[str]] | None = None) -> None:
    """Add the facts, gazetteer links and event roles to `edges`: all of them, or those of the graphs `iris`
    (`var` "g"), gazetteer links restricted by `gazetteer` if given. The article's headline, date and
    publisher are left to the caller (`_articles`)."""
    links = network_links()
    for row in store_rows(store, _EDGES, var, iris):
        p = local_name(term_value(row["p"]))
        if p in links:
            edges.setdefault((term_value(row["s"]), p, term_value(row["o"])), _Edge()).evidence.append(_evidence(row))
    for row in store_rows(store, _GAZETTEER_EDGES, *(gazetteer or (var, iris))):
        key = (term_value(row["s"]), local_name(term_value(row["p"])), term_value(row["o"]))
        edges.setdefault(key, _Edge()).evidence.append(_evidence(row))
    for row in store_rows(store, filled(_EVENTS), var, iris):
        key = (term_value(row["e"]), local_name(term_value(row["role"])), term_value(row["x"]))
        edges.setdefault(key, _Edge()).evidence.append(_evidence(row))


