"""Load and validate the curated knowledge under ontology/: gazetteer, patterns, reader layout, ontology classes.

Strict on curated data: a malformed entry raises `InvalidLexicon` naming the file and the entry, so a curator
sees the mistake at once instead of a silently weaker extractor.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import yaml

from kg.errors import InvalidLexicon
from kg.knowledge.curation import Curation, apply_to_gazetteer, load_curation
from kg.knowledge.dates import DateRules
from kg.knowledge.event_rules import compile_events
from kg.knowledge.layout import Layout
from kg.knowledge.literals import LiteralGate
from kg.knowledge.matcher import NameIndex
from kg.knowledge.name_rules import compile_name_rules
from kg.knowledge.relation_rules import compile_relations
from kg.knowledge.syntax_rules import SyntaxRules, compile_syntax
from kg.model import Entity
from kg.paths import ontology_dir
from kg.text import fold
from kg.vocab import KG

__all__ = ["Lexicon", "load_lexicon", "default_lexicon", "Ontology", "PeopleRules", "Cues", "AnaphorRule"]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ENTITY_KEYS = {"id", "label", "type", "names", "acronyms", "kind", "country", "home", "locatedIn", "generic",
                "nominals", "wikidata", "geonames", "iso", "note"}
KINDS = {"cartel", "gang", "guerrilla", "paramilitary", "dissidents", "faction", "militia", "mafia", "prison-gang",
         "smuggling-network"}


@dataclass(frozen=True)
class Ontology:
    """The classes of ontology/kg.ttl and what each one specialises."""

    classes: frozenset[str]
    ancestors: dict[str, frozenset[str]]  # class -> itself and every superclass in kg:
    properties: frozenset[str]
    turtle: bytes

    def is_a(self, cls: str, wanted: str) -> bool:
        return wanted in self.ancestors.get(cls, frozenset())

    def subclasses(self, wanted: str) -> list[str]:
        return sorted(c for c in self.classes if self.is_a(c, wanted))


@dataclass(frozen=True)
class PeopleRules:
    titles: tuple[str, ...]
    modifiers: tuple[str, ...]
    leader_titles: frozenset[str]
    name_connectors: tuple[str, ...]
    not_names: frozenset[str]
    alias_cues: tuple[str, ...]
    given_names: frozenset[str] = frozenset()
    lower_titles: frozenset[str] = frozenset()
    not_after: frozenset[str] = frozenset()
    single_name_titles: tuple[str, ...] = ()

    def title_regex(self) -> str:
        """Regex source for a title with its modifiers ("former Defense Minister")."""
        titles = "|".join(re.escape(t) for t in sorted(set(self.titles), key=len, reverse=True))
        mods = "|".join(re.escape(m) for m in sorted(set(self.modifiers), key=len, reverse=True))
        return rf"(?:(?:{mods})[\s-]+)*(?:{titles})(?![\w-])"


@dataclass(frozen=True)
class Cues:
    window_words: int
    sets: dict[str, tuple[str, ...]]
    exact_case: tuple[str, ...] = ()  # matched only as written: the hedge "may", not the month
    no_cue: tuple[str, ...] = ()  # phrases whose words are no cue: "once again" is not "once"

    def regex(self, name: str) -> re.Pattern[str]:
        return _cue_regex(self.sets.get(name, ()), self.exact_case)

    def without_phrases(self, text: str) -> str:
        """`text` with the `no_cue` phrases blanked out."""
        return _cue_regex(self.no_cue).sub(" ", text) if self.no_cue else text


@lru_cache(maxsize=64)
def _cue_regex(words: tuple[str, ...], exact_case: tuple[str, ...] = ()) -> re.Pattern[str]:
    if not words:
        return re.compile(r"(?!)")
    alternatives = "|".join(f"(?-i:{re.escape(w)})" if w in exact_case else re.escape(w)
                            for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w])", re.IGNORECASE)


@dataclass(frozen=True)
class AnaphorRule:
    id: str
    words: tuple[str, ...]
    types: tuple[str, ...]
    kinds: tuple[str, ...]
    max_sentences: int


@dataclass(frozen=True)
class Lexicon:
    """Everything the extractors know, loaded once; pass it explicitly (no module globals)."""

    root: Path
    ontology: Ontology
    entities: dict[str, Entity]
    names: NameIndex
    layout: Layout
    dates: DateRules
    people: PeopleRules
    cues: Cues
    anaphora: tuple[AnaphorRule, ...]
    anaphor_window: int
    curation: Curation
    name_rules: LiteralGate  # of kg.names.NameRule
    relations: LiteralGate  # of kg.knowledge.relation_rules.RelationPattern
    events: LiteralGate  # of kg.knowledge.event_rules.EventRule
    fingerprint: str
    governments: dict[str, str]  # a country's ISO code to the id of its government (see government_of)
    demonyms: dict[str, str]  # "Brazilian", "Ecuadorean" to the ISO code of the country (patterns/demonyms.yaml)
    syntax: SyntaxRules  # rules over the dependency parse and the grammar words (patterns/syntax.yaml, grammar.yaml)

    def country_of(self, entity_id: str) -> str | None:
        """ISO code of the country an entity belongs to: its own, or the one its locatedIn chain reaches."""
        seen: set[str] = set()
        todo = [entity_id]
        while todo:
            current = todo.pop(0)
            if current in seen or current not in self.entities:
                continue
            seen.add(current)
            entity = self.entities[current]
            if entity.type == "Country":
                return entity.iso
            if entity.country:
                return entity.country
            todo.extend(entity.located_in)
        return None

    def government_of(self, country_id: str) -> str | None:
        """The government standing for a country as an actor ("Peru declared a state of emergency"): the
        government body of that country whose generic words include "government"."""
        iso = self.entities[country_id].iso if country_id in self.entities else None
        return self.governments.get(iso) if iso else None

    def chain(self, entity_id: str) -> list[str]:
        """Every region above this one, nearest first."""
        out: list[str] = []
        todo = list(self.entities[entity_id].located_in) if entity_id in self.entities else []
        while todo:
            current = todo.pop(0)
            if current not in out:
                out.append(current)
                todo.extend(self.entities[current].located_in)
        return out


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: ~10x faster


def _read_yaml(path: Path, root: Path):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidLexicon(f"{path.relative_to(root)}: cannot read: {exc}") from exc


def load_ontology(root: Path) -> Ontology:
    path = root / "kg.ttl"
    try:
        turtle = path.read_bytes()
        triples = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError) as exc:
        raise InvalidLexicon(f"kg.ttl: {exc}") from exc
    owl_class = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    sub = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    local = lambda node: node.value[len(KG):] if node.value.startswith(KG) else None  # noqa: E731
    classes = {local(t.subject) for t in triples if t.predicate == rdf_type and t.object == owl_class}
    classes.discard(None)
    props = {local(t.subject) for t in triples if t.predicate == rdf_type and t.object != owl_class
             and t.object.value.startswith("http://www.w3.org/2002/07/owl#") and "Property" in t.object.value}
    props.discard(None)
    parents: dict[str, set[str]] = {c: set() for c in classes}
    for t in triples:
        if t.predicate == sub and local(t.subject) in classes and local(t.object) in classes:
            parents[local(t.subject)].add(local(t.object))
    ancestors = {}
    for c in classes:
        seen, todo = {c}, [c]
        while todo:
            for p in parents[todo.pop()]:
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        ancestors[c] = frozenset(seen)
    return Ontology(frozenset(classes), ancestors, frozenset(props), turtle)


def _names(entry: dict, where: str) -> tuple[tuple[str, str], ...]:
    names = entry.get("names") or {}
    if not isinstance(names, dict):
        raise InvalidLexicon(f"{where}: 'names' must map a language to a list of names")
    out: list[tuple[str, str]] = []
    for lang, values in sorted(names.items()):
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise InvalidLexicon(f"{where}: names.{lang} must be a list of non-empty strings")
        out.extend((v.strip(), str(lang)) for v in values)
    acronyms = entry.get("acronyms") or []
    if not isinstance(acronyms, list) or not all(isinstance(a, str) and a.strip() for a in acronyms):
        raise InvalidLexicon(f"{where}: 'acronyms' must be a list of strings")
    out.extend((a.strip(), "") for a in acronyms)
    seen: set[str] = set()
    unique = []
    for name, lang in out:
        if name != entry["label"] and name not in seen:
            seen.add(name)
            unique.append((name, lang))
    return tuple(unique)


def _str_list(entry: dict, key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise InvalidLexicon(f"{where}: '{key}' must be a list of strings")
    return tuple(str(v) for v in value)


def load_gazetteer(root: Path, ontology: Ontology) -> dict[str, Entity]:
    """Every entity of gazetteer/*.yaml, with region references (ids or ISO codes) checked and resolved."""
    raw: list[tuple[dict, str]] = []
    folder = root / "gazetteer"
    for path in sorted(folder.glob("*.yaml")):
        data = _read_yaml(path, root)
        rel = f"gazetteer/{path.name}"
        if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
            raise InvalidLexicon(f"{rel}: expected a mapping with an 'entities' list")
        if not str(data.get("source") or "").strip():
            raise InvalidLexicon(f"{rel}: says nowhere where its facts come from (add 'source:')")
        for index, entry in enumerate(data["entities"]):
            where = f"{rel}: entry {index + 1}"
            if not isinstance(entry, dict):
                raise InvalidLexicon(f"{where}: expected a mapping")
            if isinstance(entry.get("id"), str):
                where += f" ({entry['id']})"
            unknown = set(entry) - _ENTITY_KEYS
            if unknown:
                raise InvalidLexicon(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
            for key in ("id", "label", "type"):
                if not isinstance(entry.get(key), str) or not entry[key].strip():
                    raise InvalidLexicon(f"{where}: missing '{key}'")
            if not _ID.match(entry["id"]):
                raise InvalidLexicon(f"{where}: id must be a lowercase slug (a-z, 0-9, -)")
            if entry["type"] not in ontology.classes or not (
                    ontology.is_a(entry["type"], "Actor") or ontology.is_a(entry["type"], "Region")
                    or entry["type"] == "CriminalEconomy"):
                raise InvalidLexicon(f"{where}: type '{entry['type']}' is not an actor, region or economy "
                                     f"class of kg.ttl")
            if entry.get("kind") is not None and entry["kind"] not in KINDS:
                raise InvalidLexicon(f"{where}: kind '{entry['kind']}' is not one of {', '.join(sorted(KINDS))}")
            raw.append((entry, f"{rel}#{entry['id']}"))
    by_id: dict[str, tuple[dict, str]] = {}
    by_iso: dict[str, str] = {}
    for entry, source in raw:
        if entry["id"] in by_id:
            raise InvalidLexicon(f"{source}: id '{entry['id']}' is also used by {by_id[entry['id']][1]}")
        by_id[entry["id"]] = (entry, source)
        if entry.get("iso"):
            by_iso[str(entry["iso"])] = entry["id"]

    def ref(value: str, where: str) -> str:
        if value in by_id:
            return value
        if value in by_iso:
            return by_iso[value]
        raise InvalidLexicon(f"{where}: refers to '{value}', which is no gazetteer id or ISO code")

    entities: dict[str, Entity] = {}
    for entry, source in raw:
        where = source
        located = tuple(ref(v, where) for v in _str_list(entry, "locatedIn", where))
        home = tuple(ref(v, where) for v in _str_list(entry, "home", where))
        country = entry.get("country")
        if country is not None and str(country) not in by_iso:
            raise InvalidLexicon(f"{where}: country '{country}' is no ISO code of a gazetteer country")
        entities[entry["id"]] = Entity(
            id=entry["id"], label=entry["label"].strip(), type=entry["type"], curated=True,
            names=_names(entry, where), country=str(country) if country else None, located_in=located,
            kind=entry.get("kind"), generic=tuple(w.lower() for w in _str_list(entry, "generic", where)),
            nominals=tuple(w.lower() for w in _str_list(entry, "nominals", where)), home=home,
            wikidata=str(entry["wikidata"]) if entry.get("wikidata") else None,
            geonames=str(entry["geonames"]) if entry.get("geonames") else None,
            iso=str(entry["iso"]) if entry.get("iso") else None, source=source)
    _check_cycles(entities)
    return entities


def _check_cycles(entities: dict[str, Entity]) -> None:
    for start in entities:
        seen, todo = set(), list(entities[start].located_in)
        while todo:
            current = todo.pop()
            if current == start:
                raise InvalidLexicon(f"{entities[start].source}: locatedIn loops back to itself")
            if current not in seen:
                seen.add(current)
                todo.extend(entities[current].located_in)


def _people(data: dict, names: dict) -> PeopleRules:
    try:
        return PeopleRules(titles=tuple(data["titles"]), modifiers=tuple(data.get("modifiers", ())),
                           leader_titles=frozenset(t.lower() for t in data.get("leader_titles", ())),
                           name_connectors=tuple(data.get("name_connectors", ())),
                           not_names=frozenset(data.get("not_names", ())),
                           alias_cues=tuple(data.get("alias_cues", ())),
                           given_names=frozenset(fold(n) for n in names.get("names", ())),
                           lower_titles=frozenset(t.lower() for t in data["titles"]),
                           not_after=frozenset(names.get("not_after", ())),
                           single_name_titles=tuple(names.get("single_name_titles", ())))
    except (KeyError, TypeError) as exc:
        raise InvalidLexicon(f"patterns/people.yaml or given-names.yaml: {exc}") from exc


def _anaphora(data: dict, ontology: Ontology) -> tuple[tuple[AnaphorRule, ...], int]:
    rules = []
    default_window = int(data.get("max_sentences", 3))
    for index, rule in enumerate(data.get("rules", [])):
        where = f"patterns/anaphora.yaml: rule {index + 1} ({rule.get('id', '?')})"
        if not rule.get("id") or not rule.get("words") or not rule.get("types"):
            raise InvalidLexicon(f"{where}: needs id, words and types")
        for t in rule["types"]:
            if t not in ontology.classes:
                raise InvalidLexicon(f"{where}: type '{t}' is not a class of kg.ttl")
        rules.append(AnaphorRule(rule["id"], tuple(w.lower() for w in rule["words"]), tuple(rule["types"]),
                                 tuple(rule.get("kinds", ())), int(rule.get("max_sentences", default_window))))
    return tuple(rules), default_window


def _fingerprint(root: Path) -> str:
    """The hash of the curated data an article's graph is made from. The saved queries are left out: they
    read the graph and change nothing in it, and a new or edited query must not rebuild the archive."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".yaml", ".ttl")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_lexicon(root: str | Path | None = None) -> Lexicon:
    """Read and check everything under the ontology folder (default: `kg.paths.ontology_dir()`)."""
    root = Path(root) if root else ontology_dir()
    if not (root / "kg.ttl").is_file():
        raise InvalidLexicon(f"{root}: no kg.ttl here; is this an ontology folder?")
    ontology = load_ontology(root)
    entities = load_gazetteer(root, ontology)
    patterns = root / "patterns"
    people = _people(_read_yaml(patterns / "people.yaml", root), _read_yaml(patterns / "given-names.yaml", root))
    cue_data = _read_yaml(patterns / "cues.yaml", root)
    cues = Cues(int(cue_data.get("window_words", 4)),
                {k: tuple(v) for k, v in cue_data.items() if isinstance(v, list) and k not in ("exact_case", "no_cue")},
                tuple(cue_data.get("exact_case", ())), tuple(cue_data.get("no_cue", ())))
    anaphora, window = _anaphora(_read_yaml(patterns / "anaphora.yaml", root), ontology)
    relations = _read_yaml(patterns / "relations.yaml", root)
    events = _read_yaml(patterns / "events.yaml", root)
    layout = Layout.from_data(_read_yaml(root / "reader.yaml", root))
    dates = DateRules.from_data(_read_yaml(patterns / "dates.yaml", root))
    curation_file = root / "curation.yaml"
    decisions = load_curation(_read_yaml(curation_file, root) if curation_file.is_file() else None, ontology)
    curation = apply_to_gazetteer(entities, decisions)
    names = NameIndex.build(entities, anaphora)
    return Lexicon(root=root, ontology=ontology, entities=entities, names=names, layout=layout, dates=dates,
                   people=people, cues=cues, anaphora=anaphora, anaphor_window=window, curation=curation,
                   name_rules=compile_name_rules(_read_yaml(patterns / "names.yaml", root), ontology),
                   relations=compile_relations(relations, ontology, people, cues, entities),
                   events=compile_events(events, ontology, cues), fingerprint=_fingerprint(root),
                   governments=_governments(entities),
                   demonyms=_demonyms(_read_yaml(patterns / "demonyms.yaml", root), entities),
                   syntax=compile_syntax(_read_yaml(patterns / "syntax.yaml", root),
                                         _read_yaml(patterns / "grammar.yaml", root), ontology, entities))


def _demonyms(data, entities: dict[str, Entity]) -> dict[str, str]:
    """Each demonym to its country's ISO code; a code no gazetteer country has, or a word given to two
    countries, is an error."""
    countries = {entity.iso for entity in entities.values() if entity.type == "Country"}
    out: dict[str, str] = {}
    for iso, words in ((data or {}).get("demonyms") or {}).items():
        if str(iso) not in countries:
            raise InvalidLexicon(f"patterns/demonyms.yaml: '{iso}' is no ISO code of a gazetteer country")
        for word in words or ():
            if out.setdefault(str(word), str(iso)) != str(iso):
                raise InvalidLexicon(f"patterns/demonyms.yaml: '{word}' is given to {out[str(word)]} and {iso}")
    return out


def _governments(entities: dict[str, Entity]) -> dict[str, str]:
    """Each country's government body (the first by id whose generic words include "government")."""
    out: dict[str, str] = {}
    for entity in sorted(entities.values(), key=lambda e: e.id):
        if entity.type == "GovernmentBody" and entity.country and "government" in entity.generic:
            out.setdefault(entity.country, entity.id)
    return out


@lru_cache(maxsize=4)
def _cached(root: str) -> Lexicon:
    return load_lexicon(root)


def default_lexicon() -> Lexicon:
    """The lexicon of `kg.paths.ontology_dir()`, loaded once per process."""
    return _cached(str(ontology_dir()))
