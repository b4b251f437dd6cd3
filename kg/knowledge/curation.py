"""Curators' decisions (ontology/curation.yaml): reject a fact, merge two entities, add an alias, correct a
type. Decisions on gazetteer entities change the lexicon when it loads; the others, and fact rejections,
apply to each extraction; every decision is recorded in the graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from kg.errors import InvalidLexicon
from kg.knowledge.schemas import CurationFile
from kg.model import Entity, Event, Extraction, Fact, Mention

__all__ = ["Decision", "Curation", "load_curation", "check_merges", "apply_to_gazetteer", "apply_to_extraction"]


_ENTITY_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class Decision:
    id: str
    action: str
    reason: str
    by: str | None
    date: str | None
    data: dict

    @property
    def source(self) -> str:
        return f"curation.yaml#{self.id}"


@dataclass(frozen=True)
class Curation:
    decisions: tuple[Decision, ...] = ()
    merges: dict[str, str] = field(default_factory=dict)  # found entity id -> entity id it merges into
    types: dict[str, str] = field(default_factory=dict)  # found entity id -> corrected class
    aliases: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # found entity id -> names


def load_curation(spec: CurationFile | None, ontology) -> tuple[Decision, ...]:
    """The decisions of curation.yaml (its schema checked them); a type that kg.ttl lacks names its decision."""
    decisions = []
    for index, entry in enumerate(spec.decisions if spec else ()):
        if entry.type is not None and entry.type not in ontology.classes:
            raise InvalidLexicon(f"curation.yaml: decision {index + 1} ({entry.id}): type '{entry.type}' is not a "
                                 f"class of kg.ttl")
        data = entry.model_dump(by_alias=True, exclude_none=True, exclude={"id", "action", "reason", "by", "date"})
        decisions.append(Decision(entry.id, entry.action, entry.reason, entry.by, entry.date, data))
    return tuple(decisions)


def check_merges(decisions: tuple[Decision, ...], entities: dict[str, Entity]) -> None:
    """Refuse merges that can never apply or never end: an id that is no entity id, two ids neither of which
    the gazetteer knows (a merge is of a found entity into a curated one, or of two curated ones), a merge
    into itself, a cycle (a into b, b into a), or one entity merged into two."""
    into: dict[str, Decision] = {}
    for d in (d for d in decisions if d.action == "merge"):
        source, target = d.data["from"], d.data["into"]
        where = f"curation.yaml: decision {d.id}"
        for value in (source, target):
            if not isinstance(value, str) or not _ENTITY_ID.fullmatch(value):
                raise InvalidLexicon(f"{where}: '{value}' is not an entity id (a lowercase slug, the end of kgr:<id>)")
        if source not in entities and target not in entities:
            raise InvalidLexicon(f"{where}: neither '{source}' nor '{target}' is a gazetteer entity; merge a found "
                                 f"entity into a curated one")
        if source in into:
            raise InvalidLexicon(f"{where}: '{source}' is already merged into '{into[source].data['into']}' "
                                 f"by decision {into[source].id}")
        into[source] = d
    for start in into:
        seen = [start]
        current = start
        while current in into:
            current = into[current].data["into"]
            if current in seen:
                chain = " -> ".join([*seen[seen.index(current):], current])
                raise InvalidLexicon(f"curation.yaml: decision {into[start].id}: the merges make a cycle ({chain}); "
                                     f"an entity cannot be merged into itself")
            seen.append(current)


def _names(decision: Decision) -> tuple[tuple[str, str], ...]:
    return tuple((n, lang) for lang, names in sorted(decision.data["names"].items()) for n in names)


def apply_to_gazetteer(entities: dict[str, Entity], decisions: tuple[Decision, ...]) -> Curation:
    """Change curated entities in place; decisions about entities the extractors find are kept for later."""
    merges: dict[str, str] = {}
    types: dict[str, str] = {}
    aliases: dict[str, tuple[tuple[str, str], ...]] = {}
    for d in decisions:
        if d.action == "alias":
            target = d.data["entity"]
            if target in entities:
                entity = entities[target]
                entities[target] = replace(entity, names=entity.names + tuple(
                    n for n in _names(d) if n not in entity.names))
            else:
                aliases[target] = aliases.get(target, ()) + _names(d)
        elif d.action == "type":
            if d.data["entity"] in entities:
                entities[d.data["entity"]] = replace(entities[d.data["entity"]], type=d.data["type"])
            else:
                types[d.data["entity"]] = d.data["type"]
        elif d.action == "merge":
            source, target = d.data["from"], d.data["into"]
            if source in entities and target in entities:
                gone = entities.pop(source)
                kept = entities[target]
                entities[target] = replace(kept, names=kept.names + ((gone.label, ""),) + tuple(
                    n for n in gone.names if n not in kept.names))
                for key, entity in list(entities.items()):
                    if source in entity.located_in or source in entity.home:
                        entities[key] = replace(
                            entity, located_in=tuple(target if r == source else r for r in entity.located_in),
                            home=tuple(target if r == source else r for r in entity.home))
            else:
                merges[source] = target
    return Curation(decisions, merges, types, aliases)


def _remap(mention: Mention, merges: dict[str, str]) -> Mention:
    if mention.entity not in merges:
        return mention
    return replace(mention, entity=merges[mention.entity])


def _remap_optional(mention: Mention | None, merges: dict[str, str]) -> Mention | None:
    return None if mention is None else _remap(mention, merges)


def apply_to_extraction(extraction: Extraction, curation: Curation, gazetteer: dict[str, Entity]) -> None:
    """Merge and retype found entities, add their aliases, and set aside rejected facts."""
    merges = {k: v for k, v in curation.merges.items() if k in extraction.entities}
    for source, target in merges.items():
        gone = extraction.entities.pop(source)
        kept = extraction.entities.get(target) or gazetteer.get(target) or replace(gone, id=target)
        extraction.entities[target] = replace(kept, names=kept.names + tuple(
            n for n in ((gone.label, ""), *gone.names) if n not in kept.names and n[0] != kept.label))
    for entity_id, cls in curation.types.items():
        if entity_id in extraction.entities:
            extraction.entities[entity_id] = replace(extraction.entities[entity_id], type=cls)
    for entity_id, names in curation.aliases.items():
        if entity_id in extraction.entities:
            entity = extraction.entities[entity_id]
            extraction.entities[entity_id] = replace(entity, names=entity.names + tuple(
                n for n in names if n not in entity.names))
    if merges:
        def swap(entity_id: str) -> str:
            return merges.get(entity_id, entity_id)

        extraction.mentions = [_remap(m, merges) for m in extraction.mentions]
        extraction.facts = [replace(f, subject=swap(f.subject), object=f.object if f.object_is_literal else
                                    swap(f.object), subject_mention=_remap_optional(f.subject_mention, merges),
                                    object_mention=_remap_optional(f.object_mention, merges)) for f in extraction.facts]
        extraction.events = [_remap_event(e, merges) for e in extraction.events]
    accepted: list[Fact] = []
    rejected: list[tuple[Fact, Decision]] = []
    for fact in extraction.facts:
        decision = _rejecting(fact, extraction.article.id, curation.decisions)
        (rejected.append((fact, decision)) if decision else accepted.append(fact))
    extraction.facts = accepted
    extraction.rejected = rejected


def _remap_event(event: Event, merges: dict[str, str]) -> Event:
    def swap(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(merges.get(i, i) for i in ids)

    return replace(event, agents=swap(event.agents), targets=swap(event.targets), places=swap(event.places),
                   roles=tuple((r, _remap(m, merges)) for r, m in event.roles))


def _rejecting(fact: Fact, article_id: str, decisions: tuple[Decision, ...]) -> Decision | None:
    for d in decisions:
        if d.action != "reject":
            continue
        wanted = d.data["fact"]
        if (fact.subject, fact.predicate, fact.object) == (wanted["subject"], wanted["predicate"], wanted["object"]) \
                and d.data.get("article") in (None, article_id):
            return d
    return None
