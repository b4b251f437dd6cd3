"""Tie raw matches to entities: pick among overlapping and ambiguous names, resolve generic words by the
article's country, surnames to the person named before, and referring phrases to the nearest fitting entity.

Every step that is not a plain name match leaves a `resolution` note, which the evidence carries.
"""

from __future__ import annotations

import re
from bisect import insort
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from kg.extract.names import NameCandidate
from kg.extract.people import PersonCandidate, name_tokens
from kg.extract.sentences import stories
from kg.knowledge.lexicon import Lexicon
from kg.knowledge.matcher import Hit
from kg.model import Entity, Mention, Sentence
from kg.text import fold, slug

__all__ = ["resolve_mentions", "country_focus"]

_KIND_RANK = {"name": 0, "acronym": 1, "person": 2, "nominal": 3, "generic": 4, "anaphor": 5}


class _Taken:
    """Spans already claimed, kept per sentence (mentions never cross sentences): overlap checks stay cheap
    on a page of a million characters."""

    def __init__(self, mentions: Iterable[Mention] = ()):
        self._spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for m in mentions:
            self.add(m.sentence, m.start, m.end)

    def overlaps(self, sentence: int, start: int, end: int) -> bool:
        return any(start < e and s < end for s, e in self._spans.get(sentence, ()))

    def add(self, sentence: int, start: int, end: int) -> None:
        self._spans[sentence].append((start, end))


def _select(hits: list[tuple[int, Hit]]) -> list[tuple[int, Hit]]:
    """Keep the longest of overlapping hits; at equal length the more specific kind."""
    ordered = sorted(hits, key=lambda sh: (-(sh[1].end - sh[1].start), _KIND_RANK[sh[1].kind], sh[1].start))
    taken = _Taken()
    exact: set[tuple[int, int]] = set()
    kept: list[tuple[int, Hit]] = []
    for sentence, hit in ordered:
        if taken.overlaps(sentence, hit.start, hit.end) and (hit.start, hit.end) not in exact:
            continue
        taken.add(sentence, hit.start, hit.end)
        exact.add((hit.start, hit.end))
        kept.append((sentence, hit))
    return sorted(kept, key=lambda sh: (sh[1].start, _KIND_RANK[sh[1].kind]))


def _names_inside_descriptions(hits: list[tuple[int, Hit]],
                               selected: list[tuple[int, Hit]]) -> dict[tuple[int, int, int], list[Hit]]:
    """The names a longer referring phrase took the place of, by that phrase's (sentence, start, end): "the drug
    trafficking network's operator" names drug trafficking even when "the ... network" refers to no one before."""
    phrases: dict[int, list[Hit]] = defaultdict(list)
    for sentence, hit in selected:
        if hit.kind in ("nominal", "anaphor"):
            phrases[sentence].append(hit)
    kept = {(s, h.start, h.end) for s, h in selected}
    out: dict[tuple[int, int, int], list[Hit]] = defaultdict(list)
    for sentence, hit in hits:
        if hit.kind != "name" or sentence not in phrases or (sentence, hit.start, hit.end) in kept:
            continue
        phrase = next((p for p in phrases[sentence] if p.start <= hit.start and hit.end <= p.end), None)
        if phrase is not None and hit not in out[sentence, phrase.start, phrase.end]:
            out[sentence, phrase.start, phrase.end].append(hit)
    return out


def _surname_place(hit: Hit, people: Iterable[PersonCandidate], offset: int, lexicon: Lexicon) -> bool:
    """A place name that is the surname of a person named by a rule: "Guerrero" in "Héctor Guerrero" (`people`
    by offsets in their sentence, which starts at `offset`)."""
    return hit.kind == "name" and any(offset + p.start < hit.start and hit.end <= offset + p.end for p in people) \
        and all(lexicon.ontology.is_a(lexicon.entities[r].type, "Region") for r in hit.refs)


def country_focus(entity_ids: list[str], lexicon: Lexicon) -> list[str]:
    """ISO codes of the countries the article is about, most mentioned first."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for position, entity_id in enumerate(entity_ids):
        code = lexicon.country_of(entity_id)
        if code:
            counts[code] += 2 if lexicon.entities[entity_id].type == "Country" else 1
            first.setdefault(code, position)
    return sorted(counts, key=lambda c: (-counts[c], first[c]))


def _pick(refs: tuple[str, ...], focus: list[str], lexicon: Lexicon,
          around: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
    """One entity out of several that share a name: the one inside a region its story names ("San José" in a
    story about Guaviare is San José del Guaviare; "Trinidad" beside Beni is Beni's capital), else by the story's
    countries (`around`: the regions the story names by a name of their own)."""
    if len(refs) == 1:
        return refs[0], None
    inside = [r for r in refs if around & set(lexicon.chain(r))]
    if len(inside) == 1:
        near = next(lexicon.entities[a].label for a in lexicon.chain(inside[0]) if a in around)
        return inside[0], f"'{{text}}' is ambiguous; chose {lexicon.entities[inside[0]].label}, inside {near}, " \
                          f"which its story names"
    countries = [r for r in refs if lexicon.entities[r].type == "Country"]
    if len(countries) == 1 and all(lexicon.country_of(r) == lexicon.entities[countries[0]].iso for r in refs):
        # "Mexico" is the country; its state is "the State of Mexico"
        return countries[0], f"'{{text}}' is ambiguous; chose the country {lexicon.entities[countries[0]].label} " \
                             f"over the places of that name in it"
    for code in focus:
        fitting = [r for r in refs if lexicon.country_of(r) == code]
        if len(fitting) == 1:
            return fitting[0], f"'{{text}}' is ambiguous; chose {lexicon.entities[fitting[0]].label} ({code}), " \
                               f"the article's country"
    return None, None


def resolve_mentions(sentences: list[Sentence], hits: dict[int, list[Hit]],
                     people: dict[int, list[PersonCandidate]], text: str, lexicon: Lexicon,
                     names: dict[int, list[NameCandidate]] | None = None) -> tuple[list[Mention], dict[str, Entity]]:
    """Mentions of entities, in text order, and the entities they name (curated or new)."""
    starts = {sentence.index: sentence.start for sentence in sentences}
    flat = [(s, h) for s, hs in hits.items() for h in hs
            if not _surname_place(h, people.get(s, ()), starts[s], lexicon)]
    selected = _select(flat)
    inside = _names_inside_descriptions(flat, selected)
    selected = sorted(selected + _placed_descriptions(selected, text, lexicon),
                      key=lambda sh: (sh[1].start, _KIND_RANK[sh[1].kind]))
    entities: dict[str, Entity] = {}
    mentions: list[Mention] = []

    def add(start: int, end: int, sentence: int, entity_id: str, how: str, note: str | None = None) -> None:
        surface = text[start:end]
        mentions.append(Mention(start, end, surface, entity_id, sentence, how,
                                note.replace("{text}", surface) if note else None))
        if entity_id not in entities:
            entities[entity_id] = lexicon.entities[entity_id]

    story = stories(sentences)
    focus = _story_focus(selected, story, lexicon)
    around = _story_regions(selected, story, lexicon)
    for sentence, hit in selected:
        if hit.kind in ("name", "acronym"):
            entity_id, note = _pick(hit.refs, focus[story[sentence]], lexicon, around[story[sentence]])
            if entity_id:
                add(hit.start, hit.end, sentence, entity_id, hit.kind, note)

    _add_named(sentences, names or {}, mentions, entities, lexicon, text)
    _add_people(sentences, people, mentions, entities, lexicon, text)
    _drop_surnames_read_as_places(mentions, entities, lexicon, {s: focus[story[s]] for s in story})
    _add_surnames(sentences, mentions, entities, text)
    _add_titles_again(sentences, mentions, entities, lexicon, text, story)
    mentions[:] = _absorb_aliases(sorted(mentions, key=lambda m: m.start), text, lexicon)
    _add_led_groups(sentences, mentions, entities, lexicon, text)
    _add_places_beside_regions(sentences, mentions, entities, lexicon, text)
    _add_acronyms(sentences, mentions, entities, text)

    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_sentence[m.sentence].append(m)
    unknown = _unknown_groups(sentences, mentions, lexicon)
    done = len(mentions)
    for sentence, hit in selected:
        if any(m.start < hit.end and hit.start < m.end for m in by_sentence[sentence]):
            continue
        for m in mentions[done:]:
            insort(by_sentence[m.sentence], m, key=lambda x: x.start)
        done = len(mentions)
        if hit.kind == "generic":
            for country, why in _generic_countries(hit, by_sentence[sentence], text, lexicon,
                                                   focus[story[sentence]], starts[sentence],
                                                   "story" if len(set(story.values())) > 1 else "article"):
                fitting = [r for r in hit.refs if lexicon.entities[r].country == country]
                if len(fitting) == 1:
                    add(hit.start, hit.end, sentence, fitting[0], "generic",
                        f"'{text[hit.start:hit.end]}' read as {lexicon.entities[fitting[0]].label}: {why}")
                    break
        elif hit.kind in ("nominal", "anaphor"):
            target, why = _antecedent(hit, sentence, by_sentence, entities, lexicon, text, story, unknown)
            if target:
                add(hit.start, hit.end, sentence, target, "anaphor",
                    f"'{text[hit.start:hit.end]}' refers {why}")
            for inner in ([] if target else inside.get((sentence, hit.start, hit.end), [])):
                entity_id, note = _pick(inner.refs, focus[story[sentence]], lexicon, around[story[sentence]])
                if entity_id:
                    add(inner.start, inner.end, sentence, entity_id, inner.kind, note)
        for m in mentions[done:]:
            insort(by_sentence[m.sentence], m, key=lambda x: x.start)
        done = len(mentions)
    mentions.sort(key=lambda m: m.start)
    return _merge_adjacent(mentions, text, lexicon), entities


@lru_cache(maxsize=64)
def _alternation(words: frozenset[str]) -> str:
    """A regex alternation of grammar words, longest first, each a whole word or phrase."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=16)
def _compiled(template: str, *lists: frozenset[str]) -> re.Pattern[str]:
    return re.compile(template.format(*(_alternation(words) for words in lists)), re.I)


def _story_focus(selected: list[tuple[int, Hit]], story: dict[int, int], lexicon: Lexicon) -> dict[int, list[str]]:
    """Each story's countries, most mentioned first, then the rest of the document's: a newsletter's story is
    about its own country before any its neighbours name."""
    plain: dict[int, list[str]] = defaultdict(list)
    for sentence, hit in selected:
        if hit.kind in ("name", "acronym") and len(hit.refs) == 1:
            plain[story[sentence]].append(hit.refs[0])
    whole = country_focus([e for s in sorted(plain) for e in plain[s]], lexicon)
    out: dict[int, list[str]] = defaultdict(lambda: list(whole))
    for s, ids in plain.items():
        own = country_focus(ids, lexicon)
        out[s] = own + [c for c in whole if c not in own]
    return out


def _story_regions(selected: list[tuple[int, Hit]], story: dict[int, int],
                   lexicon: Lexicon) -> dict[int, frozenset[str]]:
    """The regions below the country level each story names unambiguously: the neighbours that settle a shared
    place name. (A country is the focus's business: a capital that shares its name with a province abroad must
    not win by it alone.)"""
    found: dict[int, set[str]] = defaultdict(set)
    for sentence, hit in selected:
        if hit.kind == "name" and len(hit.refs) == 1 and _is_region(hit.refs[0], lexicon) and \
                lexicon.entities[hit.refs[0]].type != "Country":
            found[story[sentence]].add(hit.refs[0])
    return defaultdict(frozenset, {s: frozenset(ids) for s, ids in found.items()})


_BASED_NOUN = re.compile(r"-based\s+((?-i:[a-z][\w-]*)(?:\s+(?-i:[a-z][\w-]*)){0,2})")


@lru_cache(maxsize=8)
def _definite_anaphors(anaphora: tuple) -> dict[str, tuple[str, ...]]:
    """The nouns of the rules' "the ..." phrases ("faction" of "the faction"), with the rules that read them."""
    rules: dict[str, list[str]] = defaultdict(list)
    for rule in anaphora:
        for word in rule.words:
            if word.lower().startswith("the "):
                rules[word.lower()[4:]].append(rule.id)
    return {noun: tuple(ids) for noun, ids in rules.items()}


def _placed_descriptions(selected: list[tuple[int, Hit]], text: str, lexicon: Lexicon) -> list[tuple[int, Hit]]:
    """"the Upper Huallaga-based faction": a place-based modifier stands between "the" and the noun of a referring
    phrase, which refers back as "the faction" would (the place itself stays a mention of its own)."""
    nouns = _definite_anaphors(lexicon.anaphora)
    found: list[tuple[int, Hit]] = []
    for sentence, hit in selected:
        if hit.kind != "name" or not any(_is_region(r, lexicon) for r in hit.refs) or \
                text[max(0, hit.start - 4):hit.start].lower() != "the ":
            continue
        based = _BASED_NOUN.match(text, hit.end)
        if based is None:
            continue
        words = based.group(1).split()
        for size in range(len(words), 0, -1):
            noun = " ".join(words[:size])
            if noun.lower() in nouns:
                start = based.start(1)
                found.append((sentence, Hit(start, start + len(noun), "anaphor", nouns[noun.lower()])))
                break
    return found


def _is_region(entity_id: str, lexicon: Lexicon) -> bool:
    entity = lexicon.entities.get(entity_id)
    return entity is not None and lexicon.ontology.is_a(entity.type, "Region")


def _place_of(hit: Hit, mentions: list[Mention], text: str, lexicon: Lexicon) -> str | None:
    """The place a generic word is tied to in its own words: "police in Rosario" (a region named right after
    one of grammar.yaml's belonging_prepositions), "Rosario's police", "Rosario police"."""
    after = _compiled(r"\s+(?:{0})\s+(?:the\s+)?", lexicon.syntax.grammar["belonging_prepositions"])
    for m in mentions:
        if not _is_region(m.entity, lexicon):
            continue
        if m.start >= hit.end and after.fullmatch(text[hit.end:m.start]):
            return m.entity
        if m.end <= hit.start and text[m.end:hit.start] in ("'s ", "’s ", " "):
            return m.entity
    return None


def _clause_country(hit: Hit, mentions: list[Mention], text: str, lexicon: Lexicon,
                    sentence_start: int) -> tuple[str, str] | None:
    """The one country of the places the generic word's own clause puts things in ("police arrested him in
    Guayaquil", "In Lima, authorities seized..."): regions named after a place preposition, with no clause
    opener, reporting verb or semicolon between them and the word, nor the comma that closes a subordinate clause
    the word is in ("unless authorities act, arrests will not change much in Lima"). Places elsewhere ("bound for
    Mexico", "said the group operates in Colombia") do not count."""
    grammar = lexicon.syntax.grammar
    placed = _compiled(r"(?<![\w-])(?:{0})\s+(?:the\s+)?$", grammar["place_prepositions"])
    boundary = _compiled(r"(?<![\w-])(?:{0}|{1})(?![\w-])|;|\s[–—-]+\s", grammar["clause_openers"],
                         grammar["reporting_verbs"])
    opener = _compiled(r"(?<![\w-])(?:{0}|{1})(?![\w-])[^,]*$", grammar["clause_openers"],
                       grammar["hypothetical_marks"])
    subordinate = opener.search(text, sentence_start, hit.start) is not None
    places = [m for m in mentions if _is_region(m.entity, lexicon) and placed.search(text, max(0, m.start - 30),
                                                                                     m.start)]
    countries: dict[str, str] = {}
    for m in places:
        low, high = (hit.end, m.start) if m.start >= hit.end else (m.end, hit.start)
        if boundary.search(text, low, high) or subordinate and m.start >= hit.end and "," in text[low:high]:
            continue
        code = lexicon.country_of(m.entity)
        if code:
            countries.setdefault(code, lexicon.entities[m.entity].label)
    if len(countries) != 1:
        return None
    (code, label), = countries.items()
    return code, f"its clause puts it in {label} ({code})"


def _generic_countries(hit: Hit, mentions: list[Mention], text: str, lexicon: Lexicon, focus: list[str],
                       sentence_start: int, scope: str = "article") -> list[tuple[str | None, str]]:
    """The countries a generic word ("police") may be of, the first that has one such entity winning, each with
    the reason. A place ("police in Rosario") or a demonym ("Brazilian police") decides alone: that country's,
    or none if the gazetteer has none. Otherwise the country of the places its clause names, then the one country
    whose institutions the sentence names ("Colombia's Defense Ministry announced a deployment of troops"), then
    the story's."""
    place = _place_of(hit, mentions, text, lexicon)
    if place:
        return [(lexicon.country_of(place), f"{lexicon.entities[place].label} is in {lexicon.country_of(place)}")]
    demonym = _demonym_of(hit, text, lexicon)
    if demonym:
        return [(lexicon.demonyms[demonym], f"'{demonym}' names {lexicon.demonyms[demonym]}")]
    clause = _clause_country(hit, mentions, text, lexicon, sentence_start)
    candidates: list[tuple[str | None, str]] = [clause] if clause else []
    state = _institutions_country(mentions, lexicon)
    if state and state not in focus[:1]:
        candidates.append((state, f"the sentence speaks of {state}'s institutions"))
    return candidates + [(focus[0], f"the {scope} is about {focus[0]}")] if focus else candidates


_WORD_BEFORE = re.compile(r"(\S+)\s+$")
_INSTITUTIONS = ("GovernmentBody", "SecurityForce")


def _institutions_country(mentions: list[Mention], lexicon: Lexicon) -> str | None:
    """The one country whose government bodies and security forces a sentence names, if one: a generic word there
    is that country's sooner than the article's. (Places do not count: cocaine "bound for Mexico" leaves the
    police Peru's.)"""
    countries = {lexicon.entities[m.entity].country for m in mentions if m.entity in lexicon.entities and
                 any(lexicon.ontology.is_a(lexicon.entities[m.entity].type, kind) for kind in _INSTITUTIONS)}
    countries.discard(None)
    return countries.pop() if len(countries) == 1 else None


def _demonym_of(hit: Hit, text: str, lexicon: Lexicon) -> str | None:
    """The demonym right before a generic word that ties it to a country ("Honduran police")."""
    before = _WORD_BEFORE.search(text, max(0, hit.start - 40), hit.start)
    return before.group(1) if before and before.group(1) in lexicon.demonyms else None


_QUOTED = re.compile(r"[\"“]([^\"”\n]{2,40})[\"”]")


def _unknown_groups(sentences: list[Sentence], mentions: list[Mention], lexicon: Lexicon) -> list[tuple[int, str]]:
    """Where a name the gazetteer lacks stands for an entity a cue noun introduced ('the faction "los Comba"',
    and every later "los Comba"): (offset, class). A referring phrase past one of these must not reach back to
    an older name, as the nearer referent is one nobody could type."""
    heads = lexicon.syntax.heads
    taken = _Taken(mentions)
    names: dict[str, str] = {}
    out: list[tuple[int, str]] = []
    for sentence in sentences:
        for found in _QUOTED.finditer(sentence.text):
            start = sentence.start + found.start(1)
            if taken.overlaps(sentence.index, start, start + len(found.group(1))):
                continue
            before = sentence.text[:found.start()].rstrip(" ,").rsplit(" ", 1)[-1].lower()
            if before in heads and lexicon.ontology.is_a(heads[before], "Organization"):
                names.setdefault(found.group(1), heads[before])
        for name, cls in names.items():
            at = sentence.text.find(name)
            while at >= 0:
                out.append((sentence.start + at, cls))
                at = sentence.text.find(name, at + len(name))
    return sorted(set(out))


_NAME_NEXT = re.compile(r"\s*,?\s*(?:(?:known as|called|dubbed|named)\s+)?(?:the\s+)?[\"“]?")
_OF_NAME = re.compile(r" of [A-ZÁÉÍÓÚÑ]")


def _fits(entity: Entity, rule, lexicon: Lexicon) -> bool:
    return any(lexicon.ontology.is_a(entity.type, t) for t in rule.types) and \
        (not rule.kinds or entity.kind in rule.kinds)


def _antecedent(hit: Hit, sentence: int, by_sentence: dict[int, list[Mention]], entities: dict[str, Entity],
                lexicon: Lexicon, text: str, story: dict[int, int],
                unknown: list[tuple[int, str]]) -> tuple[str | None, str]:
    """The entity a referring phrase stands for, and why. A phrase followed by a name names its referent right
    there ("the criminal group 'los Comba'"): that name's entity if it fits, else nobody the gazetteer knows.
    Otherwise the nearest fitting entity named before it in its story, unless a name nobody could type stands
    between them."""
    earlier = [m for s in range(max(0, sentence - lexicon.anaphor_window), sentence + 1)
               if story.get(s) == story[sentence] for m in by_sentence.get(s, ()) if m.end <= hit.start]
    if hit.kind == "nominal":
        fitting = [m for m in earlier if m.entity in hit.refs]
        return (fitting[-1].entity, f"to {entities[fitting[-1].entity].label}: nearest fitting entity named "
                                    f"before") if fitting else (None, "")
    rules = [r for r in lexicon.anaphora if r.id in hit.refs]
    gap = _NAME_NEXT.match(text, hit.end)
    follows = gap.end() if gap else hit.end
    if _OF_NAME.match(text, hit.end):  # "the municipality of Sifontes": its own name, not the last municipality
        named = next((m for m in by_sentence.get(sentence, ()) if m.start == hit.end + 4), None)
        entity = entities[named.entity] if named else None
        return (entity.id, f"to {entity.label}, the name its 'of' gives") \
            if entity and any(_fits(entity, rule, lexicon) for rule in rules) else (None, "")
    named = next((m for m in by_sentence.get(sentence, ()) if m.start in (hit.end + 1, follows) and m.start > hit.end
                  and (m.start == follows or text[hit.end:m.start].strip(" ,\"“") == "")), None)
    if named is not None:
        entity = entities[named.entity]
        return (entity.id, f"to {entity.label}, the name right after it") \
            if any(_fits(entity, rule, lexicon) for rule in rules) else (None, "")
    if any(follows <= at < follows + 2 for at, _ in unknown) or \
            text[follows:follows + 1].isupper() and text[hit.end:follows] == " ":
        return None, ""  # "the criminal group 'los Comba'", "the gang Los Pumas": a name the gazetteer lacks
    for mention in reversed(earlier):
        entity = entities[mention.entity]
        for rule in rules:
            if sentence - mention.sentence <= rule.max_sentences and _fits(entity, rule, lexicon):
                if any(mention.end <= at < hit.start and any(lexicon.ontology.is_a(cls, t) for t in rule.types)
                       for at, cls in unknown):
                    return None, ""
                return entity.id, f"back to {entity.label}: nearest fitting entity named before"
    return None, ""


def _new_id(label: str, type_: str, entities: dict[str, Entity], lexicon: Lexicon) -> str:
    """A slug of the name; when a curated or found entity of another class has it, the class goes after."""
    entity_id = slug(label)
    existing = lexicon.entities.get(entity_id) or entities.get(entity_id)
    if existing is not None and existing.type != type_:
        entity_id = f"{entity_id}-{slug(type_)}"
    return entity_id


def _add_named(sentences: list[Sentence], names: dict[int, list[NameCandidate]], mentions: list[Mention],
               entities: dict[str, Entity], lexicon: Lexicon, text: str) -> None:
    _drop_places_in_families(sentences, names, mentions, entities, lexicon)
    taken = _Taken(mentions)
    found: dict[str, tuple[str, str, int]] = {}  # a group's label to its entity, rule and first end
    for sentence in sentences:
        for cand in sorted(names.get(sentence.index, []), key=lambda c: (-(c.end - c.start), c.start)):
            start, end = sentence.start + cand.start, sentence.start + cand.end
            if taken.overlaps(sentence.index, start, end):
                continue
            entity_id = _new_id(cand.label, cand.type, entities, lexicon)
            if entity_id not in entities:
                entities[entity_id] = lexicon.entities.get(entity_id) or Entity(
                    id=entity_id, label=cand.label, type=cand.type, curated=False, kind=cand.kind,
                    source=f"patterns/names.yaml#{cand.rule}")
            mentions.append(Mention(start, end, text[start:end], entity_id, sentence.index, f"pattern:{cand.rule}"))
            taken.add(sentence.index, start, end)
            if cand.type == "CriminalGroup":
                found.setdefault(cand.label, (entity_id, cand.rule, end))
    _add_named_again(sentences, found, mentions, taken, text)


def _drop_places_in_families(sentences: list[Sentence], names: dict[int, list[NameCandidate]],
                             mentions: list[Mention], entities: dict[str, Entity], lexicon: Lexicon) -> None:
    """A family is named by a surname, never a place: "a clan run by the Rivas family" names no Nicaraguan town,
    so a gazetteer region inside a family the name rules found gives way to the family."""
    starts = {sentence.index: sentence.start for sentence in sentences}
    families = [(s, starts[s] + c.start, starts[s] + c.end) for s, cands in names.items() for c in cands
                if c.label.endswith(" family")]
    drop = [m for m in mentions if m.how == "name" and lexicon.ontology.is_a(entities[m.entity].type, "Region")
            and any(s == m.sentence and start <= m.start and m.end <= end for s, start, end in families)]
    for m in drop:
        mentions.remove(m)
    for entity_id in {m.entity for m in drop} - {m.entity for m in mentions}:
        del entities[entity_id]


def _add_named_again(sentences: list[Sentence], found: dict[str, tuple[str, str, int]], mentions: list[Mention],
                     taken: _Taken, text: str) -> None:
    """A group a name rule found is the same group where its name comes again without the words that typed it:
    'gangs called "pranatos"' and then "Mining pranatos have...", "the Vilca family" and later "the Vilca family"
    in a sentence with no crime word."""
    _again(sentences, {name: (entity_id, first, "name-again", f"'{name}' names the group {rule} found before")
                       for name, (entity_id, rule, first) in found.items()}, mentions, taken, text)


def _again(sentences: list[Sentence], words: dict[str, tuple[str, int, str, str]], mentions: list[Mention],
           taken: _Taken, text: str) -> None:
    """A mention wherever one of `words` comes again, as written and as whole words, after the offset where it was
    first tied to its entity and outside the spans taken (`words`: word to entity, that offset, how, note)."""
    if not words:
        return
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                         + r")(?![\w-])")
    for sentence in sentences:
        for hit in pattern.finditer(text, sentence.start, sentence.end):
            entity_id, first, how, note = words[hit.group(1)]
            if hit.start() < first or taken.overlaps(sentence.index, hit.start(), hit.end()):
                continue
            mentions.append(Mention(hit.start(), hit.end(), hit.group(1), entity_id, sentence.index, how, note))
            taken.add(sentence.index, hit.start(), hit.end())


def _add_people(sentences: list[Sentence], people: dict[int, list[PersonCandidate]], mentions: list[Mention],
                entities: dict[str, Entity], lexicon: Lexicon, text: str) -> None:
    taken = _Taken(mentions)
    known_aliases: dict[str, str] = {}
    given_after = _aliases_given(people)
    for sentence in sentences:
        candidates = sorted(people.get(sentence.index, []), key=lambda c: (-(c.end - c.start), c.start))
        for cand in candidates:
            start, end = sentence.start + cand.start, sentence.start + cand.end
            if taken.overlaps(sentence.index, start, end):
                continue
            if fold(cand.name) in known_aliases:
                entity_id = known_aliases[fold(cand.name)]
                mentions.append(Mention(start, end, text[start:end], entity_id, sentence.index, "alias",
                                        f"'{cand.name}' is an alias of {entities[entity_id].label}, given before"))
                taken.add(sentence.index, start, end)
                continue
            full = given_after.get(fold(cand.name)) if cand.rule in _BARE_NICKNAMES else None
            if full is not None:  # 'kingpin "El Chepe"' first, 'José Salazar, alias "El Chepe,"' further on
                entity_id = _new_id(full.name, "Person", entities, lexicon)
                entities.setdefault(entity_id, lexicon.entities.get(entity_id) or Entity(
                    id=entity_id, label=full.name, type="Person", curated=False,
                    source=f"patterns/people.yaml#{full.rule}"))
                mentions.append(Mention(start, end, text[start:end], entity_id, sentence.index, "alias",
                                        f"'{cand.name}' is the alias of {entities[entity_id].label}, given after"))
                taken.add(sentence.index, start, end)
                continue
            entity_id = _new_id(cand.name, "Person", entities, lexicon)
            if entity_id not in entities:
                entities[entity_id] = lexicon.entities.get(entity_id) or Entity(
                    id=entity_id, label=cand.name, type="Person", curated=False,
                    source=f"patterns/people.yaml#{cand.rule}")
            if cand.alias and not entities[entity_id].curated and \
                    cand.alias not in {n for n, _ in entities[entity_id].names}:
                entity = entities[entity_id]
                entities[entity_id] = replace(entity, names=entity.names + ((cand.alias, ""),))
            if cand.alias:
                known_aliases[fold(cand.alias)] = entity_id
            mentions.append(Mention(start, end, text[start:end], entity_id, sentence.index, f"pattern:{cand.rule}"))
            taken.add(sentence.index, start, end)


_BARE_NICKNAMES = {"people.nickname", "people.title-nickname"}  # rules that find a nickname with no name beside it


def _aliases_given(people: dict[int, list[PersonCandidate]]) -> dict[str, PersonCandidate]:
    """Each alias the article gives beside a full name ("José Salazar, alias 'El Chepe'"), to that name's
    candidate; an alias given to two names is nobody's."""
    given: dict[str, PersonCandidate] = {}
    shared: set[str] = set()
    for index in sorted(people):
        for cand in people[index]:
            if not cand.alias or cand.rule in _BARE_NICKNAMES:
                continue
            key = fold(cand.alias)
            if key in given and fold(given[key].name) != fold(cand.name):
                shared.add(key)
            given.setdefault(key, cand)
    return {k: c for k, c in given.items() if k not in shared}


def _absorb_aliases(mentions: list[Mention], text: str, lexicon: Lexicon) -> list[Mention]:
    """'Jorge Luis Zambrano, alias "Rasquiña,"' is one mention, so patterns see the person next to what follows
    (the cues are grammar.yaml's alias_cues)."""
    alias_clause = _compiled(r"^,?\s*(?:{0})\s+[\"“'‘][^\"”'’]{{1,40}}[\"”'’],?", lexicon.syntax.grammar["alias_cues"])
    out = []
    for m in mentions:
        clause = alias_clause.match(text[m.end:m.end + 80]) if m.how.startswith(("name", "pattern")) else None
        if clause and not any(o.start < m.end + clause.end() and m.end < o.end for o in mentions if o is not m):
            end = m.end + len(clause.group(0).rstrip(","))
            m = Mention(m.start, end, text[m.start:end], m.entity, m.sentence, m.how, m.resolution)
        out.append(m)
    return out


def _surname_keys(entity: Entity) -> list[str]:
    """What a person may be called by later: each name after the first, and the last two of a longer name."""
    tokens = name_tokens(entity.label)
    keys = [t for t in tokens[1:] if len(t) > 2 and not t.endswith(".")]
    if len(tokens) >= 3:
        keys.append(" ".join(tokens[-2:]))
    return keys


@lru_cache(maxsize=8)
def _title_patterns(title: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A title right before a name, and "the" + a title later that names no one else ("the president of Peru",
    "the mayor's", "the commander, Luis Ruiz" are another's)."""
    return (re.compile(rf"(?i)(?<![\w-])({title})\s+$"),
            re.compile(rf"(?i)(?<![\w-])the\s+(?:{title})(?![\w-])(?!\s*,?\s*[\"“]?(?-i:[A-ZÁÉÍÓÚÑ])|\s+of\s|['’]s?\s)"))


def _add_titles_again(sentences: list[Sentence], mentions: list[Mention], entities: dict[str, Entity],
                      lexicon: Lexicon, text: str, story: dict[int, int]) -> None:
    """"The lieutenant colonel" after "Lieutenant Colonel Marco Escobar": a title named again with "the" is the
    person it was given to before in the story, when that title went to one person only there."""
    given, again = _title_patterns(lexicon.people.title_regex())
    holders: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    for m in mentions:
        if entities[m.entity].type != "Person":
            continue
        found = given.search(text, max(0, m.start - 60), m.start)
        if found:
            holders[(story[m.sentence], found.group(1).lower().split()[-1])].setdefault(m.entity, m.end)
    if not holders:
        return
    taken = _Taken(mentions)
    for sentence in sentences:
        for hit in again.finditer(text, sentence.start, sentence.end):
            word = hit.group(0).lower().split()[-1]
            people = holders.get((story[sentence.index], word), {})
            if len(people) != 1 or taken.overlaps(sentence.index, hit.start(), hit.end()):
                continue
            (entity_id, first), = people.items()
            if hit.start() < first:
                continue
            mentions.append(Mention(hit.start(), hit.end(), hit.group(0), entity_id, sentence.index, "anaphor",
                                    f"'{hit.group(0)}' refers back to {entities[entity_id].label}, the one person "
                                    f"given that title before in the story"))
            taken.add(sentence.index, hit.start(), hit.end())


def _drop_surnames_read_as_places(mentions: list[Mention], entities: dict[str, Entity], lexicon: Lexicon,
                                  focus: dict[int, list[str]]) -> None:
    """A bare name of a place abroad that is the surname of a person named before is the person: "Herrera" after
    "Roberto Herrera" in a story about El Salvador is not Panama's Herrera province (the surname step then ties it
    to the person). A place of the story's own country keeps its reading: "Guerrero" in Mexico may be the state."""
    named: dict[str, int] = {}
    drop: list[Mention] = []
    for m in sorted(mentions, key=lambda m: m.start):
        entity = entities[m.entity]
        if entity.type == "Person":
            for key in _surname_keys(entity):
                named.setdefault(key, m.end)
        elif m.how == "name" and m.text in named and named[m.text] <= m.start and \
                lexicon.ontology.is_a(entity.type, "Region") and entity.type != "Country" and \
                lexicon.country_of(m.entity) not in focus.get(m.sentence, [])[:1]:
            drop.append(m)
    for m in drop:
        mentions.remove(m)
    kept = {m.entity for m in mentions}
    for entity_id in {m.entity for m in drop} - kept:
        del entities[entity_id]


def _add_surnames(sentences: list[Sentence], mentions: list[Mention], entities: dict[str, Entity],
                  text: str) -> None:
    """'Zavala' after 'Fernando Zavala': a later bare surname is the same person; so is a later bare alias that a
    rule read beside a name the gazetteer lacks ('Gordo Leo' after 'Leonel Mora Núñez, alias "Gordo Leo"')."""
    persons: dict[str, list[tuple[int, int, str]]] = {}
    aliases: set[str] = set()
    for m in sorted(mentions, key=lambda m: m.start):
        entity = entities[m.entity]
        if entity.type != "Person":
            continue
        keys = _surname_keys(entity)
        if not entity.curated:  # a curated person's aliases are the gazetteer's names, matched already
            given = [n for n, _ in entity.names if len(n) > 2 and n[:1].isupper()]
            aliases.update(given)
            keys.extend(given)
        for key in keys:
            persons.setdefault(key, []).append((m.start, m.end, entity.id))
    if not persons:
        return
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t in sorted(persons, key=len, reverse=True))
                         + r")(?![\w-])")
    taken = _Taken(mentions)
    for sentence in sentences:
        for found in pattern.finditer(text, sentence.start, sentence.end):
            start, end = found.span()
            if taken.overlaps(sentence.index, start, end):
                continue
            before = [p for p in persons[found.group(1)] if p[1] <= start]
            if not before or len({p[2] for p in persons[found.group(1)]}) > 1:
                continue  # two people of one surname: either may be meant
            entity_id = before[-1][2]
            how = "alias" if found.group(1) in aliases else "surname"
            mentions.append(Mention(start, end, found.group(1), entity_id, sentence.index, how,
                                    f"'{found.group(1)}' is the {how} of {entities[entity_id].label}, named before"))
            taken.add(sentence.index, start, end)


_PLACE_BEFORE_REGION = r"(?<![\w-])(?:{0})\s+(?P<name>(?-i:[A-ZÁÉÍÓÚÑ][\w'’-]+(?:\s+(?:(?:de|del|de la|do|da)\s+)?" \
                       r"[A-ZÁÉÍÓÚÑ][\w'’-]+){{0,2}})),\s+$"


def _add_places_beside_regions(sentences: list[Sentence], mentions: list[Mention], entities: dict[str, Entity],
                               lexicon: Lexicon, text: str) -> None:
    """A place the gazetteer lacks, named after a place preposition and set beside a region it knows: "an outpost
    in Azote, Concepción" (the name before the comma is a place in that region; the locatedIn rules read it)."""
    taken = _Taken(mentions)
    not_names = lexicon.people.not_names
    before = _compiled(_PLACE_BEFORE_REGION, lexicon.syntax.grammar["place_prepositions"])
    for m in sorted(mentions, key=lambda m: m.start):
        entity = entities[m.entity]
        if not lexicon.ontology.is_a(entity.type, "Region") or entity.type == "GeographicArea":
            continue
        sentence = sentences[m.sentence]
        found = before.search(text, max(sentence.start, m.start - 60), m.start)
        if not found:
            continue
        start, end = found.span("name")
        words = found.group("name").split()
        if taken.overlaps(m.sentence, start, end) or words[0] in not_names or words[-1] in not_names or \
                fold(words[0]) in lexicon.people.given_names:
            continue
        entity_id = _new_id(found.group("name"), "AdministrativeArea", entities, lexicon)
        entities.setdefault(entity_id, lexicon.entities.get(entity_id) or Entity(
            id=entity_id, label=found.group("name"), type="AdministrativeArea", curated=False,
            source="patterns/grammar.yaml#place_prepositions"))
        mentions.append(Mention(start, end, found.group("name"), entity_id, m.sentence, "pattern:place-beside-region",
                                f"'{found.group('name')}' is a place in {entity.label}, named beside it"))
        taken.add(m.sentence, start, end)


_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-ZÁÉÍÓÚÑ]{2,8})\s*\)")


def _add_acronyms(sentences: list[Sentence], mentions: list[Mention], entities: dict[str, Entity], text: str) -> None:
    """An acronym the gazetteer lacks, in parentheses right after a name whose words' initials it spells ("the Rio
    Verde Cartel (RVC)"), is that entity there and wherever it comes again in the article."""
    taken = _Taken(mentions)
    found: dict[str, str] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        after = _ACRONYM_AFTER.match(text, m.end)
        if not after or after.end() > sentences[m.sentence].end:
            continue
        word = after.group(1)
        initials = "".join(w[0] for w in re.findall(r"[\w’'-]+", m.text) if w[:1].isupper())
        if word in initials and not taken.overlaps(m.sentence, after.start(1), after.end(1)):
            found.setdefault(word, m.entity)
    first = {word: min(m.end for m in mentions if m.entity == entity_id) for word, entity_id in found.items()}
    _again(sentences, {word: (entity_id, first[word], "acronym", f"'{word}' is the acronym of "
                              f"{entities[entity_id].label}, given in parentheses")
                       for word, entity_id in found.items()}, mentions, taken, text)


_NAMED_AFTER = re.compile(r"\s*,?\s*[\"“']?[A-ZÁÉÍÓÚÑ]")
_KINDS_OF_HEADS = {"gang": "gang", "cartel": "cartel", "clan": "cartel", "mafia": "mafia", "faction": "faction"}


def _add_led_groups(sentences: list[Sentence], mentions: list[Mention], entities: dict[str, Entity],
                    lexicon: Lexicon, text: str) -> None:
    """A group named after the person who leads it: "Gordo Leo's structure", "Rivas's drug ring" (a person's
    possessive before one of grammar.yaml's led_group_heads, lowercase modifiers between). The mention covers the
    group noun, the person keeps the name; one such group per person in an article, however it is called again."""
    heads = _compiled(r"['’]s?\s+((?:[a-z][\w-]*\s+){{0,2}}?)({0})(?![\w-])", lexicon.syntax.grammar["led_group_heads"])
    taken = _Taken(mentions)
    led: dict[str, str] = {}
    for m in sorted((m for m in mentions if entities[m.entity].type == "Person"), key=lambda m: m.start):
        found = heads.match(text, m.end)
        sentence = sentences[m.sentence]
        if not found or found.end() > sentence.end or taken.overlaps(m.sentence, found.start(2), found.end(2)) or \
                _NAMED_AFTER.match(text, found.end()):
            continue  # "Zambada's faction, La Mayiza": the group has a name of its own
        start = found.start(1) if found.group(1) and not taken.overlaps(m.sentence, found.start(1), found.end(2)) \
            else found.start(2)
        person = entities[m.entity]
        owner = m.text if "," not in m.text else person.label
        label = f"{owner}{text[m.end:found.start(1)].rstrip()} {found.group(2).lower()}"
        if m.entity not in led:
            entity_id = _new_id(label, "CriminalGroup", entities, lexicon)
            led[m.entity] = entity_id
            entities.setdefault(entity_id, Entity(
                id=entity_id, label=label, type="CriminalGroup", curated=False,
                kind=_KINDS_OF_HEADS.get(found.group(2).lower()),
                source=f"patterns/grammar.yaml#led_group_heads:{found.group(2).lower()}"))
        entity_id = led[m.entity]
        group = entities[entity_id]
        if label != group.label and label not in {n for n, _ in group.names}:
            entities[entity_id] = replace(group, names=group.names + ((label, ""),))
        mentions.append(Mention(start, found.end(2), text[start:found.end(2)], entity_id, m.sentence,
                                "pattern:led-group", f"'{label}' is the group {person.label} leads, named after "
                                                     f"its leader"))
        taken.add(m.sentence, start, found.end(2))


def _merge_adjacent(mentions: list[Mention], text: str, lexicon: Lexicon) -> list[Mention]:
    """One mention where the text names one entity twice in a row: 'the Shining Path guerrilla group', or a
    name with its translation and acronym in parentheses: 'National Liberation Army (Ejército de Liberación
    Nacional – ELN)'."""
    restatement = _compiled(r"^\s*(?:\(\s*|[–-]\s*|,?\s*(?:{0})\s+)?$", lexicon.syntax.grammar["restatement_words"])
    merged: list[Mention] = []
    for m in mentions:
        if merged and merged[-1].entity == m.entity and merged[-1].sentence == m.sentence:
            gap = text[merged[-1].end:m.start]
            same_words = m.how == "anaphor" and not gap.strip()
            if same_words or restatement.match(gap) or (gap.strip().startswith("(") and
                                                       restatement.match(gap.replace("(", "", 1))):
                last = merged.pop()
                end = m.end
                opened = text[last.start:end].count("(") > text[last.start:end].count(")")
                if opened and text[end:end + 1] == ")":
                    end += 1
                m = Mention(last.start, end, text[last.start:end], last.entity, last.sentence, last.how,
                            last.resolution)
        merged.append(m)
    return merged
