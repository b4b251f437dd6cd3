"""Load and validate the curated knowledge under ontology/: gazetteer, patterns, reader layout (the ontology's
classes and properties come from kg.knowledge.ontology).

Strict on curated data: a malformed entry raises `InvalidLexicon` naming the file and the entry, so a curator
sees the mistake at once instead of a silently weaker extractor.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from kg.errors import InvalidLexicon
from kg.knowledge.coordinates import GeoPoint, load_coordinates
from kg.knowledge.curation import Curation, apply_to_gazetteer, check_merges, load_curation
from kg.knowledge.dates import DateRules
from kg.knowledge.event_rules import compile_events
from kg.knowledge.layout import Layout
from kg.knowledge.literals import LiteralGate
from kg.knowledge.matcher import NameIndex
from kg.knowledge.name_rules import compile_name_rules
from kg.knowledge.ontology import Ontology, default_ontology, load_ontology
from kg.knowledge.relation_rules import compile_relations
from kg.knowledge.schemas import (
    AnaphoraFile,
    CuesFile,
    CurationFile,
    DatesFile,
    DemonymsFile,
    EntityEntry,
    EventsFile,
    GazetteerFile,
    GivenNamesFile,
    GrammarFile,
    NamesFile,
    PeopleFile,
    ReaderFile,
    RelationsFile,
    SyntaxFile,
    read_curated,
)
from kg.knowledge.syntax_rules import SyntaxRules, compile_syntax
from kg.model import Entity
from kg.paths import ontology_dir
from kg.text import fold

__all__ = ["Lexicon", "load_lexicon", "default_lexicon", "PeopleRules", "Cues", "AnaphorRule"]

KINDS = {"cartel", "gang", "guerrilla", "paramilitary", "dissidents", "faction", "militia", "mafia", "prison-gang",
         "smuggling-network", "prison"}


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
    name_cues: tuple[str, ...] = ()  # words after which a capitalised run is a person: "identified as M. Rojas"
    nickname_nouns: tuple[str, ...] = ()  # "two guerrillas known as 'Tiburcio' and 'Braulio'": a person each
    group_openers: frozenset[str] = frozenset()  # a nickname opening so names a group: "men known as 'Los Tigres'"
    forms_of_address: frozenset[str] = frozenset()  # "Mr", "Dr": before a surname, no name of another person
    place_appositives: tuple[str, ...] = ()  # "Jesús María, a small town": the name is a place's

    def not_before_surname(self) -> frozenset[str]:
        """Capitalised words that, just before a surname, are no given name of another person: the words that
        never make a name, those of the titles ("Minister Lima"), the forms of address and the alias cues."""
        title_words = {w for t in (*self.titles, *self.single_name_titles, *self.alias_cues) for w in t.split()}
        return self.not_names | self.forms_of_address | {w[:1].upper() + w[1:] for w in title_words}

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
    count: int = 1  # 2: stands for the two entities named together before it ("the two gangs")


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
    countries: dict[str, str]  # an ISO 3166-1 code to the id of the gazetteer's country
    demonyms: dict[str, str]  # "Brazilian", "Ecuadorean" to the ISO code of the country (patterns/demonyms.yaml)
    syntax: SyntaxRules  # rules over the dependency parse and the grammar words (patterns/syntax/, grammar.yaml)
    coordinates: dict[str, GeoPoint]  # a region's id to its point (coordinates.yaml)

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


def _names(entry: EntityEntry) -> tuple[tuple[str, str], ...]:
    """The entry's names and acronyms, each once, the label left out (it is a name anyway)."""
    out = [(name, lang) for lang, names in sorted(entry.names.items()) for name in names]
    out.extend((acronym, "") for acronym in entry.acronyms)
    seen: set[str] = set()
    unique = []
    for name, lang in out:
        if name != entry.label and name not in seen:
            seen.add(name)
            unique.append((name, lang))
    return tuple(unique)


def load_gazetteer(root: Path, ontology: Ontology) -> dict[str, Entity]:
    """Every entity of gazetteer/*.yaml, with region references (ids or ISO codes) checked and resolved."""
    raw: list[tuple[EntityEntry, str]] = []
    for path in sorted((root / "gazetteer").glob("*.yaml")):
        rel = f"gazetteer/{path.name}"
        data = read_curated(root, rel, GazetteerFile)
        for index, entry in enumerate(data.entities):
            where = f"{rel}: entry {index + 1} ({entry.id})"
            if entry.type not in ontology.entity_classes:
                raise InvalidLexicon(f"{where}: type '{entry.type}' is not an actor, region or economy class of kg.ttl")
            if entry.kind is not None and entry.kind not in KINDS:
                raise InvalidLexicon(f"{where}: kind '{entry.kind}' is not one of {', '.join(sorted(KINDS))}")
            raw.append((entry, f"{rel}#{entry.id}"))
    by_id: dict[str, tuple[EntityEntry, str]] = {}
    by_iso: dict[str, str] = {}
    for entry, source in raw:
        if entry.id in by_id:
            raise InvalidLexicon(f"{source}: id '{entry.id}' is also used by {by_id[entry.id][1]}")
        by_id[entry.id] = (entry, source)
        if entry.iso:
            by_iso[entry.iso] = entry.id

    def ref(value: str, where: str) -> str:
        if value in by_id:
            return value
        if value in by_iso:
            return by_iso[value]
        raise InvalidLexicon(f"{where}: refers to '{value}', which is no gazetteer id or ISO code")

    entities: dict[str, Entity] = {}
    for entry, source in raw:
        if entry.country is not None and entry.country not in by_iso:
            raise InvalidLexicon(f"{source}: country '{entry.country}' is no ISO code of a gazetteer country")
        entities[entry.id] = Entity(
            id=entry.id, label=entry.label, type=entry.type, curated=True, names=_names(entry),
            country=entry.country, located_in=tuple(ref(v, source) for v in entry.locatedIn), kind=entry.kind,
            generic=tuple(w.lower() for w in entry.generic), nominals=tuple(w.lower() for w in entry.nominals),
            home=tuple(ref(v, source) for v in entry.home), wikidata=entry.wikidata, geonames=entry.geonames,
            iso=entry.iso, source=source)
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


def _people(people: PeopleFile, names: GivenNamesFile) -> PeopleRules:
    return PeopleRules(titles=tuple(people.titles), modifiers=tuple(people.modifiers),
                       leader_titles=frozenset(t.lower() for t in people.leader_titles),
                       name_connectors=tuple(people.name_connectors), not_names=frozenset(people.not_names),
                       alias_cues=tuple(people.alias_cues), given_names=frozenset(fold(n) for n in names.names),
                       lower_titles=frozenset(t.lower() for t in people.titles), not_after=frozenset(names.not_after),
                       single_name_titles=tuple(names.single_name_titles), name_cues=tuple(people.name_cues),
                       nickname_nouns=tuple(people.nickname_nouns), group_openers=frozenset(people.group_openers),
                       forms_of_address=frozenset(people.forms_of_address),
                       place_appositives=tuple(people.place_appositives))


def _anaphora(data: AnaphoraFile, ontology: Ontology) -> tuple[tuple[AnaphorRule, ...], int]:
    rules = []
    for index, rule in enumerate(data.rules):
        where = f"patterns/anaphora.yaml: rule {index + 1} ({rule.id})"
        for t in rule.types:
            if t not in ontology.classes:
                raise InvalidLexicon(f"{where}: type '{t}' is not a class of kg.ttl")
        for kind in rule.kinds:
            if kind not in KINDS:
                raise InvalidLexicon(f"{where}: kind '{kind}' is not one of {', '.join(sorted(KINDS))}")
        window = data.max_sentences if rule.max_sentences is None else rule.max_sentences
        rules.append(AnaphorRule(rule.id, tuple(w.lower() for w in rule.words), tuple(rule.types), tuple(rule.kinds),
                                 window, rule.count))
    return tuple(rules), data.max_sentences


def _fingerprint(root: Path) -> str:
    """The hash of the curated data an article's graph is made from. The saved queries and the views' styles
    are left out: they read the graph and change nothing in it, and a new or edited query or colour must not
    rebuild the archive."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".yaml", ".ttl")
                       and p.relative_to(root) != Path("styles.yaml")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_lexicon(root: str | Path | None = None) -> Lexicon:
    """Read and check everything under the ontology folder (default: `kg.paths.ontology_dir()`)."""
    root = Path(root) if root else ontology_dir()
    if not (root / "kg.ttl").is_file():
        raise InvalidLexicon(f"{root}: no kg.ttl here; is this an ontology folder?")
    ontology = default_ontology() if root == ontology_dir() else load_ontology(root)  # the shipped one: read once
    entities = load_gazetteer(root, ontology)
    demonyms = _demonyms(read_curated(root, "patterns/demonyms.yaml", DemonymsFile), entities)
    entities = _institution_names(entities, demonyms)
    people = _people(read_curated(root, "patterns/people.yaml", PeopleFile),
                     read_curated(root, "patterns/given-names.yaml", GivenNamesFile))
    cue_data = read_curated(root, "patterns/cues.yaml", CuesFile)
    cues = Cues(cue_data.window_words, cue_data.sets, tuple(cue_data.exact_case), tuple(cue_data.no_cue))
    anaphora, window = _anaphora(read_curated(root, "patterns/anaphora.yaml", AnaphoraFile), ontology)
    layout = Layout.from_spec(read_curated(root, "reader.yaml", ReaderFile))
    dates = DateRules.from_spec(read_curated(root, "patterns/dates.yaml", DatesFile))
    decisions = load_curation(read_curated(root, "curation.yaml", CurationFile)
                              if (root / "curation.yaml").is_file() else None, ontology)
    check_merges(decisions, entities)
    curation = apply_to_gazetteer(entities, decisions)
    names = NameIndex.build(entities, anaphora)
    return Lexicon(root=root, ontology=ontology, entities=entities, names=names, layout=layout, dates=dates,
                   people=people, cues=cues, anaphora=anaphora, anaphor_window=window, curation=curation,
                   name_rules=compile_name_rules(read_curated(root, "patterns/names.yaml", NamesFile), ontology),
                   relations=compile_relations(read_curated(root, "patterns/relations.yaml", RelationsFile), ontology,
                                               people, cues, entities),
                   events=compile_events(read_curated(root, "patterns/events.yaml", EventsFile), ontology, cues),
                   fingerprint=_fingerprint(root), governments=_governments(entities),
                   countries=_countries(entities),
                   demonyms=demonyms,
                   syntax=compile_syntax(_syntax_files(root),
                                         read_curated(root, "patterns/grammar.yaml", GrammarFile), ontology,
                                         entities),
                   coordinates=load_coordinates(root, entities))


def _syntax_files(root: Path) -> list[tuple[str, SyntaxFile]]:
    """The files of patterns/syntax/, in name order (one per family of facts)."""
    names = [p.relative_to(root).as_posix() for p in sorted((root / "patterns" / "syntax").glob("*.yaml"))]
    return [(name, read_curated(root, name, SyntaxFile)) for name in names]


def _demonyms(data: DemonymsFile, entities: dict[str, Entity]) -> dict[str, str]:
    """Each demonym to its country's ISO code; a code no gazetteer country has, or a word given to two
    countries, is an error."""
    countries = {entity.iso for entity in entities.values() if entity.type == "Country"}
    out: dict[str, str] = {}
    for iso, words in data.demonyms.items():
        if iso not in countries:
            raise InvalidLexicon(f"patterns/demonyms.yaml: '{iso}' is no ISO code of a gazetteer country")
        for word in words:
            if out.setdefault(word, iso) != iso:
                raise InvalidLexicon(f"patterns/demonyms.yaml: '{word}' is given to {out[word]} and {iso}")
    return out


def _institution_names(entities: dict[str, Entity], demonyms: dict[str, str]) -> dict[str, Entity]:
    """A country's body also goes by each of its generic words after the country's demonym ("Ecuadorian
    authorities", "Salvadoran police", "Honduran troops"), the words a reader (and a gold file) calls it by. ("police
    in Costa Rica" stays a generic word and a place: the place is the event's.)"""
    demonyms_of: dict[str, list[str]] = {}
    for word, iso in sorted(demonyms.items()):
        demonyms_of.setdefault(iso, []).append(word)
    out = dict(entities)
    for entity in entities.values():
        if not entity.generic or not entity.country:
            continue
        known = {name.lower() for name, _ in entity.names} | {entity.label.lower()}
        derived = [f"{d} {w}" for w in entity.generic for d in demonyms_of.get(entity.country, ())]
        extra = tuple((name, "en") for name in dict.fromkeys(derived) if name.lower() not in known)
        if extra:
            out[entity.id] = replace(entity, names=entity.names + extra)
    return out


def _countries(entities: dict[str, Entity]) -> dict[str, str]:
    """Each ISO code's country (the first in the gazetteer's order, should two share one)."""
    out: dict[str, str] = {}
    for entity in entities.values():
        if entity.type == "Country" and entity.iso:
            out.setdefault(entity.iso, entity.id)
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
