"""SPARQL for analysts: run a query (text, file or saved) and bind its variables (kg.query.results writes the
answer)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError, StoreError
from kg.store.embedded import Store
from kg.text import name_key
from kg.vocab import ARTICLE, PREFIXES, SUMMARY_FORMAT, SUMMARY_GRAPH

__all__ = ["SavedQuery", "saved_queries", "bind", "unused_bindings", "unbound_names", "unknown_names", "binding_notes",
           "values_blocks", "run_query", "parse_bindings", "page", "stale_summaries"]

_WHERE = re.compile(r"(?i)\bWHERE\s*\{")


@dataclass(frozen=True)
class SavedQuery:
    """A query of ontology/queries/: its name, what it answers (its leading comment) and its text."""

    name: str
    description: str
    text: str
    path: Path


def saved_queries(root: Path) -> dict[str, SavedQuery]:
    out = {}
    for path in sorted((root / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comment = []
        for line in text.splitlines():
            if line.startswith("#"):
                comment.append(line.lstrip("# ").rstrip())
            elif line.strip():
                break
        out[path.stem] = SavedQuery(path.stem, " ".join(c for c in comment if c).strip(), text, path)
    return out


def parse_bindings(pairs: list[str]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
    """`name=Shining Path` binds ?name to a string; `entity=kgr:shining-path` or `<iri>` to an IRI."""
    out: dict[ox.Variable, ox.NamedNode | ox.Literal] = {}
    for pair in pairs:
        if "=" not in pair:
            raise QueryError(f"--bind {pair}: expected VAR=VALUE")
        var, value = pair.split("=", 1)
        var = var.strip().lstrip("?$")
        if not re.fullmatch(r"\w+", var):
            raise QueryError(f"--bind {pair}: '{var}' is not a variable name (letters, digits, _)")
        term: ox.NamedNode | ox.Literal
        try:
            if value.startswith("<") and value.endswith(">"):
                term = ox.NamedNode(value[1:-1])
            elif re.match(r"^[a-z]+:\S+$", value) and value.split(":", 1)[0] in PREFIXES:
                prefix, local = value.split(":", 1)
                term = ox.NamedNode(PREFIXES[prefix] + local)
            else:
                term = ox.Literal(value)
            out[ox.Variable(var)] = term
        except ValueError as exc:
            raise QueryError(f"--bind {pair}: not a variable and a value ({exc}); an IRI is <...> or kgr:..., "
                             f"anything else a string") from exc
    return out


def values_blocks(var: str | tuple[str, ...], rows: Iterable, size: int = 200) -> Iterator[str]:
    """`VALUES ?var { <iri> ... }` blocks of at most `size` IRIs, in sorted order: a long list of anchors
    split into queries of a size every server takes. With a tuple of names, `rows` are tuples of IRIs:
    `VALUES (?g ?s) { (<g1> <s1>) ... }`."""
    rows = sorted(rows)
    for start in range(0, len(rows), size):
        chunk = rows[start:start + size]
        if isinstance(var, str):
            yield f"VALUES ?{var} {{ " + " ".join(f"<{i}>" for i in chunk) + " }"
        else:
            cells = " ".join("(" + " ".join(f"<{i}>" for i in row) + ")" for row in chunk)
            yield "VALUES (" + " ".join(f"?{v}" for v in var) + f") {{ {cells} }}"


def bind(sparql: str, bindings: dict | None) -> str:
    """The query with its bindings as a VALUES block at the start of every WHERE group (subqueries included),
    so they are in scope for the FILTERs there: a saved query takes a parameter (?name) without projecting it.
    A string bound to ?v is also bound to ?vKey as a name key (kg:nameKey: no accents, no case), so
    `?e kg:nameKey ?nameKey` finds an entity by any of its names with one index lookup. A variable the query
    does not use is left out (see `unused_bindings`): joined into every group for nothing, it can change the
    engine's plan (facts-by-rule took 1.4 s instead of 0.9 s).
    """
    bindings = dict(bindings or {})
    for var, term in list(bindings.items()):
        key = ox.Variable(var.value + "Key")
        if isinstance(term, ox.Literal) and key not in bindings:
            bindings[key] = ox.Literal(name_key(term.value))
    bindings = {var: term for var, term in bindings.items() if _uses(sparql, var.value)}
    if not bindings:
        return sparql
    names = " ".join(str(v) for v in bindings)
    values = " ".join(str(t) for t in bindings.values())
    if _WHERE.search(sparql) is None:
        raise QueryError("--bind needs a query with a WHERE { ... } group")
    return _WHERE.sub(lambda m: f"{m.group(0)} VALUES ({names}) {{ ({values}) }} ", sparql)


def _uses(sparql: str, var: str) -> bool:
    return re.search(rf"[?$]{re.escape(var)}(?![\w\u00b7\u0300-\u036f\u203f-\u2040])", sparql) is not None


def unused_bindings(sparql: str, bindings: dict) -> list[str]:
    """The bound variables the query uses neither as ?v nor as its name key ?vKey (likely a typo)."""
    return sorted(v.value for v in bindings if not _uses(sparql, v.value) and not _uses(sparql, v.value + "Key"))


def unbound_names(sparql: str, bindings: dict) -> list[str]:
    """The names the query looks up by key (?vKey, see `bind`) that are not bound: such a query runs for every
    entity instead of one (a saved query called without its --bind)."""
    bound = {v.value for v in bindings}
    keys = re.findall(r"[?$](\w+)Key(?!\w)", sparql)
    return sorted({v for v in keys if v not in bound and v + "Key" not in bound})


def unknown_names(store: Store, sparql: str, bindings: dict) -> list[str]:
    """The names bound for a name lookup (?vKey) that no entity in the store has, as any name or alias: most
    often a typo, which would otherwise only show as an empty answer."""
    unknown = []
    for var, term in bindings.items():
        if isinstance(term, ox.Literal) and _uses(sparql, var.value + "Key"):
            key = ox.Literal(name_key(term.value))
            if not bool(store.query(f"ASK {{ ?e kg:nameKey {key} }}")):
                unknown.append(term.value)
    return unknown


def binding_notes(store: Store, saved: SavedQuery, bindings: dict) -> list[str]:
    """What the reader of a saved query's answer should know of its bindings (see `unbound_names` and
    `unknown_names`), in words for `kg query` and the query page of `kg serve`."""
    notes = [f"?{var} is not bound, so {saved.name} answers for every entity; --bind {var}=\"...\" asks about one."
             for var in unbound_names(saved.text, bindings)]
    notes += [f"no entity in the store is named '{name}' (names and aliases, any case or accents)."
              for name in unknown_names(store, saved.text, bindings)]
    return notes


_PAGE_MARK = re.compile(r"#\s*page\s*$", re.MULTILINE)
_CLASSES_MARK = re.compile(r"#\s*classes\s*$", re.MULTILINE)
_MONTHS_MARK = re.compile(r"#\s*months\s*$", re.MULTILINE)


def page(sparql: str, limit: int | None, offset: int = 0, store: Store | None = None) -> str:
    """The query limited to one page of its rows. A query that marks where its rows are chosen with a
    `# page` comment (timeline: the events, before their names and sentences are read) is paged there, so a
    page costs its own rows only; any other query at its end. Given the store, a query that also marks
    `# classes` and `# months` (timeline) reads only the events of the months the page covers, chosen on the
    summaries graph's counts of events per month (see `_by_month`), instead of sorting every event."""
    if limit is None and not offset:
        return sparql
    if store is not None and _PAGE_MARK.search(sparql) and _CLASSES_MARK.search(sparql) \
            and _MONTHS_MARK.search(sparql):
        counts = _event_counts(store)
        if counts:
            sparql, offset = _by_month(sparql, counts, limit, offset)
    clause = (f" LIMIT {int(limit)}" if limit is not None else "") + (f" OFFSET {int(offset)}" if offset else "")
    if _PAGE_MARK.search(sparql):
        return _PAGE_MARK.sub(lambda _: clause, sparql, count=1)
    return sparql.rstrip() + "\n" + clause.strip() + "\n"


def _event_counts(store: Store) -> dict[tuple[str, str], int]:
    """(month, event class IRI) -> events, from the summaries graph (month "": undated); empty when the store's
    summaries are not of the shape that counts the undated events."""
    rows = store.query(f"SELECT ?month ?cls ?n WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ <{SUMMARY_GRAPH}> "
                       f"kg:summaryFormat {SUMMARY_FORMAT} . ?s kg:month ?month ; kg:eventType ?cls ; "
                       f"kg:eventCount ?n }} }}")
    return {(r["month"].value, r["cls"].value): int(r["n"].value) for r in rows}


def _by_month(sparql: str, counts: dict[tuple[str, str], int], limit: int | None, offset: int) -> tuple[str, int]:
    """The query restricted to the events of the page at `offset` (and the offset within them). The listing's
    order is by date (the undated first, "" being the smallest), then class: so the undated events are taken
    class by class, the dated ones month by month (a month's events sort after those of every earlier month,
    and a year's undated-in-the-year ones, "2015", before its months). The units the page overlaps are read:
    the dated ones by looking up each date their months can have."""
    units: list[tuple[str, str, int]] = sorted((month, cls, n) for (month, cls), n in counts.items() if not month)
    months: dict[str, int] = {}
    for (month, _), n in counts.items():
        if month:
            months[month] = months.get(month, 0) + n
    units += [(month, "", n) for month, n in sorted(months.items())]
    end = offset + limit if limit is not None else None
    before, skipped = 0, None
    classes, dated = [], []
    for month, cls, n in units:
        if before + n > offset and (end is None or before < end):
            if skipped is None:
                skipped = before
            if month:
                dated.append(month)
            else:
                classes.append(cls)
        before += n
    restrict = "VALUES ?d { " + " ".join(_dates_of(month) for month in dated) + " }" if dated else "FILTER(false)"
    sparql = _CLASSES_MARK.sub(lambda _: "VALUES ?cls { " + " ".join(f"<{c}>" for c in classes) + " }", sparql,
                               count=1)
    sparql = _MONTHS_MARK.sub(lambda _: restrict, sparql, count=1)
    return sparql, offset - (skipped if skipped is not None else before)


def _dates_of(month: str) -> str:
    """Every date an event of `month` ("2015-03", or a year "2015") can have, as the literals the articles' dates
    are (xsd:date, xsd:gYearMonth, xsd:gYear): looked up one by one, where a filter would read every date."""
    if len(month) == 4:
        return f'"{month}"^^xsd:gYear'
    year, number = int(month[:4]), int(month[5:7])
    days = calendar.monthrange(year, number)[1]
    return f'"{month}"^^xsd:gYearMonth ' + " ".join(f'"{month}-{day:02d}"^^xsd:date' for day in range(1, days + 1))


def stale_summaries(store: Store, sparql: str | None = None) -> str | None:
    """Why the store's summaries graph cannot answer (None when it can, or when `sparql`, if given, does not read
    it): a store built by a version that wrote summaries of another shape (kg:summaryFormat) holds articles whose
    summaries this version does not read, and the queries over them would answer nothing or too little without a
    word."""
    if sparql is not None and SUMMARY_GRAPH not in sparql:
        return None
    found = [int(r["f"].value) for r in store.query(
        f"SELECT ?f WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ <{SUMMARY_GRAPH}> kg:summaryFormat ?f }} }}")]
    if SUMMARY_FORMAT in found or not any(g.startswith(ARTICLE) for g in store.named_graphs()):
        return None
    shape = f"of format {found[0]}" if found else "of an older shape"
    return (f"the store's summaries are {shape} and this version reads format {SUMMARY_FORMAT}: run `kg build` "
            "once (with the store's articles) to compute them anew")


def run_query(store: Store, sparql: str, bindings: dict | None = None):
    """Run SPARQL with optional bindings (see `bind`); a syntax error or an engine failure becomes a
    `QueryError` with the engine's message, and so does a query of the summaries graph on a store whose
    summaries are of another shape (`stale_summaries`)."""
    sparql = bind(sparql, bindings)
    try:
        if stale := stale_summaries(store, sparql):
            raise QueryError(stale)
        return store.query(sparql)
    except SyntaxError as exc:
        raise QueryError(f"the query does not parse: {exc}") from exc
    except StoreError as exc:
        raise QueryError(str(exc)) from exc
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {exc}") from exc
