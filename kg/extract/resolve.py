"""Tie raw matches to entities: pick among overlapping and ambiguous names, resolve generic words by the
article's country, surnames to the person named before, and referring phrases to the nearest fitting entity.

Every step that is not a plain name match leaves a `resolution` note, which the evidence carries.
"""

from __future__ import annotations

import re
from bisect import insort
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from kg.extract.names import NameCandidate
from kg.extract.people import PersonCandidate, name_tokens
from kg.extract.sentences import stories
from kg.knowledge.lexicon import Lexicon, PeopleRules
from kg.knowledge.matcher import Hit
from kg.knowledge.syntax_rules import Grammar
from kg.model import Entity, Mention, Sentence
from kg.text import fold, slug

__all__ = ["resolve_mentions", "country_focus", "fits_anaphor", "may_be_called", "drop_mentions"]

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
          around: frozenset[str] = frozenset(), beside: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
    """One entity out of several that share a name: the one inside a region its story names ("San José" in a
    story about Guaviare is San José del Guaviare; "Trinidad" beside Beni is Beni's capital), else the one in
    the country its own sentence names by another name ("Panama's National Police arrested 12 in Colón"), else by
    the story's countries (`around`: the regions the story names by a name of their own; `beside`: the ISO codes
    of the countries of the sentence's other names)."""
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
    in_sentence = [r for r in refs if lexicon.country_of(r) in beside]
    if len(beside) == 1 and len(in_sentence) == 1:
        return in_sentence[0], f"'{{text}}' is ambiguous; chose {lexicon.entities[in_sentence[0]].label} " \
                               f"({next(iter(beside))}), the country its sentence names"
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
    opposed = _compiled(r"(?<![\w-])(?:{0})$", lexicon.syntax.grammar["opposing_prefixes"])
    flat = [(s, h) for s, hs in hits.items() for h in hs
            if not _surname_place(h, people.get(s, ()), starts[s], lexicon)
            and not opposed.search(text, max(0, h.start - 12), h.start)]
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
    beside: dict[int, set[str]] = defaultdict(set)  # each sentence's countries, by its names of one entity
    for sentence, hit in selected:
        if hit.kind in ("name", "acronym") and len(hit.refs) == 1 and (code := lexicon.country_of(hit.refs[0])):
            beside[sentence].add(code)
    for sentence, hit in selected:
        if hit.kind in ("name", "acronym"):
            entity_id, note = _pick(hit.refs, focus[story[sentence]], lexicon, around[story[sentence]],
                                    frozenset(beside[sentence]))
            if entity_id:
                add(hit.start, hit.end, sentence, entity_id, hit.kind, note)

    _add_named(sentences, names or {}, mentions, entities, lexicon, text)
    _add_people(sentences, people, mentions, entities, lexicon, text)
    _drop_surnames_read_as_places(mentions, entities, lexicon, {s: focus[story[s]] for s in story})
    _drop_places_set_in_another_country(mentions, entities, lexicon, text)
    _drop_cities_named_as_neighbourhoods(mentions, entities, lexicon, text)
    _drop_places_in_street_names(mentions, entities, lexicon, text)
    _drop_places_named_as_rivers(mentions, entities, lexicon, text)
    _add_surnames(sentences, mentions, entities, text, lexicon.people)
    _add_titles_again(sentences, mentions, entities, lexicon, text, story)
    mentions[:] = _absorb_aliases(sorted(mentions, key=lambda m: m.start), text, lexicon)
    _add_led_groups(sentences, mentions, entities, lexicon, text)
    _add_places_beside_regions(sentences, mentions, entities, lexicon, text)
    _add_acronyms(sentences, mentions, entities, text)

    by_sentence: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_sentence[m.sentence].append(m)
    unknown = _unknown_groups(sentences, mentions, lexicon)
    introduced = _introductions(sentences, mentions, lexicon, text)
    unnamed: list[tuple[int, int, str]] = []  # (sentence, offset, class) of a "the group" that reached no name
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
        elif hit.kind == "anaphor" and any(r.count == 2 for r in lexicon.anaphora if r.id in hit.refs):
            for one, because in _two_antecedents(hit, sentence, by_sentence, entities, lexicon, text, story):
                add(hit.start, hit.end, sentence, one, "anaphor", f"'{text[hit.start:hit.end]}' refers {because}")
        elif hit.kind in ("nominal", "anaphor"):
            target, why = _antecedent(hit, sentence, by_sentence, entities, lexicon, text, story, unknown,
                                      introduced, unnamed)
            if target:
                add(hit.start, hit.end, sentence, target, "anaphor",
                    f"'{text[hit.start:hit.end]}' refers {why}")
            elif hit.kind == "anaphor" and text[hit.start:hit.end].lower().startswith("the ") and \
                    not inside.get((sentence, hit.start, hit.end)):
                unnamed.extend((sentence, hit.start, t) for rule in lexicon.anaphora if rule.id in hit.refs
                               for t in rule.types if lexicon.ontology.is_a(t, "Organization"))
            for inner in ([] if target else inside.get((sentence, hit.start, hit.end), [])):
                entity_id, note = _pick(inner.refs, focus[story[sentence]], lexicon, around[story[sentence]])
                if entity_id:
                    add(inner.start, inner.end, sentence, entity_id, inner.kind, note)
        for m in mentions[done:]:
            insort(by_sentence[m.sentence], m, key=lambda x: x.start)
        done = len(mentions)
    _name_introductions(introduced, mentions, entities, lexicon, text, story, sentences)
    mentions.sort(key=lambda m: m.start)
    return _merge_adjacent(mentions, text, lexicon), entities


@lru_cache(maxsize=64)
def _alternation(words: frozenset[str]) -> str:
    """A regex alternation of grammar words, longest first, each a whole word or phrase."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=64)
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


def _is_economy(entity_id: str, lexicon: Lexicon) -> bool:
    entity = lexicon.entities.get(entity_id)
    return entity is not None and lexicon.ontology.is_a(entity.type, "CriminalEconomy")


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


def fits_anaphor(entity: Entity, rule, lexicon: Lexicon) -> bool:
    """Whether a referring phrase's rule (of ontology/patterns/anaphora.yaml) may stand for the entity."""
    return any(lexicon.ontology.is_a(entity.type, t) for t in rule.types) and \
        (not rule.kinds or entity.kind in rule.kinds)


def may_be_called(unit: Entity, noun: str, grammar: Grammar, introduced_as: str | None = None) -> bool:
    """Whether a place may be called "the {noun}": as the text introduced it, if it did ("the gold-mining province
    of Pataz", "the town of Chone": `introduced_as`); else not a place below the first level for a first-level
    noun, nor one whose names give it another of the words countries call their first-level units (Peru's La
    Libertad is a region; its provinces are a level below)."""
    nouns = grammar["unit_kind_nouns"]
    if noun not in nouns:
        return True
    if introduced_as is not None:
        return introduced_as == noun
    if noun in grammar["first_level_nouns"] and not unit.iso:
        return False  # "the department" after "Saravena, Arauca" is Arauca, not the town
    named = {w for name, _ in unit.names for w in nouns
             if name.lower().endswith(" " + w) or name.lower().startswith(w + " of ")}
    return not named or noun in named


def _introduced_as(mention: Mention, text: str, nouns: frozenset[str]) -> str | None:
    """The place noun the text puts before a place's name: "province" in "the gold-mining province of Pataz" and
    in "the town of Chone" (the mention itself, when a name rule read it so)."""
    found = _compiled(r"(?<![\w-])({0})\s+of\s+(?:the\s+)?$", nouns).search(text, max(0, mention.start - 40),
                                                                       mention.start)
    own = _compiled(r"(?:the\s+)?({0})\s+of\s", nouns).match(mention.text)
    match = own or found
    return match.group(1).lower() if match else None


def _antecedent(hit: Hit, sentence: int, by_sentence: dict[int, list[Mention]], entities: dict[str, Entity],
                lexicon: Lexicon, text: str, story: dict[int, int], unknown: list[tuple[int, str]],
                introduced: list[_Introduction], unnamed: list[tuple[int, int, str]]) -> tuple[str | None, str]:
    """The entity a referring phrase stands for, and why. A phrase followed by a name names its referent right
    there ("the criminal group 'los Comba'"): that name's entity if it fits, else nobody the gazetteer knows.
    Otherwise the nearest fitting entity named before it in its story, unless a name nobody could type stands
    between them, or an earlier phrase that reached no name (`unnamed`) stands in the candidate's sentence or
    after it (in "raids on a criminal group ... the group had ties to the PCC ... companies the ring used", the
    ring is the unnamed group, not the PCC), or a group brought in by "a ..." ("a drug ring"): the phrase then
    joins that group, which a later name may give (`_name_introductions`)."""
    earlier = [m for s in range(max(0, sentence - lexicon.anaphor_window), sentence + 1)
               if story.get(s) == story[sentence] for m in by_sentence.get(s, ()) if m.end <= hit.start]
    if hit.kind == "nominal":
        fitting = [m for m in earlier if m.entity in hit.refs]
        return (fitting[-1].entity, f"to {entities[fitting[-1].entity].label}: nearest fitting entity named "
                                    f"before") if fitting else (None, "")
    rules = [r for r in lexicon.anaphora if r.id in hit.refs]
    if _compiled(r"\s+(?:{0})(?![\w-])", lexicon.syntax.grammar["modified_heads"]).match(text, hit.end):
        return None, ""  # "the prison system"
    gap = _NAME_NEXT.match(text, hit.end)
    follows = gap.end() if gap else hit.end
    if _OF_NAME.match(text, hit.end):  # "the municipality of Sifontes": its own name, not the last municipality
        named = next((m for m in by_sentence.get(sentence, ()) if m.start == hit.end + 4), None)
        entity = entities[named.entity] if named else None
        return (entity.id, f"to {entity.label}, the name its 'of' gives") \
            if entity and any(fits_anaphor(entity, rule, lexicon) for rule in rules) else (None, "")
    named = next((m for m in by_sentence.get(sentence, ()) if m.start in (hit.end + 1, follows) and m.start > hit.end
                  and (m.start == follows or text[hit.end:m.start].strip(" ,\"“") == "")), None)
    if named is not None:
        entity = entities[named.entity]
        return (entity.id, f"to {entity.label}, the name right after it") \
            if any(fits_anaphor(entity, rule, lexicon) for rule in rules) else (None, "")
    if any(follows <= at < follows + 2 for at, _ in unknown) or \
            text[follows:follows + 1].isupper() and text[hit.end:follows] == " ":
        return None, ""  # "the criminal group 'los Comba'", "the gang Los Pumas": a name the gazetteer lacks
    intro = _introduction_before(hit, sentence, rules, introduced, story, lexicon)
    grammar, noun = lexicon.syntax.grammar, text[hit.start:hit.end].split()[-1].lower()  # "the province"
    opener = _relative_opener(grammar) if noun in grammar["clause_bound_pronouns"] else None
    for mention in reversed(earlier):
        if intro is not None and mention.end <= intro.start:
            break
        if opener is not None and opener.fullmatch(text, mention.end, hit.start):
            continue  # "the Sinaloa Cartel, with which it fought": "it" is another
        entity = entities[mention.entity]
        for rule in rules:
            if sentence - mention.sentence <= rule.max_sentences and fits_anaphor(entity, rule, lexicon) and \
                    (noun not in grammar["unit_kind_nouns"] or
                     may_be_called(entity, noun, grammar, _introduced_as(mention, text, grammar["place_intro_nouns"]))):
                if any(mention.end <= at < hit.start and any(lexicon.ontology.is_a(cls, t) for t in rule.types)
                       for at, cls in unknown):
                    return None, ""
                if any(mention.sentence <= s < sentence or s == sentence and at < hit.start
                       for s, at, cls in unnamed if any(lexicon.ontology.is_a(cls, t) for t in rule.types)):
                    return None, ""
                return entity.id, f"back to {entity.label}: nearest fitting entity named before"
    if intro is not None:
        intro.members.append((sentence, hit.start, hit.end))
    return None, ""


def _relative_opener(grammar) -> re.Pattern[str]:
    """What stands between a noun and a pronoun inside the relative clause hanging from it: ", with which", ", whom"."""
    return _compiled(r"\s*,?\s*(?:[a-z]+\s+)?(?:{0})\s+", grammar["relative_pronouns"] - {"whose"})


def _two_antecedents(hit: Hit, sentence: int, by_sentence: dict[int, list[Mention]], entities: dict[str, Entity],
                     lexicon: Lexicon, text: str, story: dict[int, int]) -> list[tuple[str, str]]:
    """The two entities a phrase such as "the two gangs" stands for: the last two fitting ones named before it in
    its story, when one sentence named them both and no third (else nobody: which two would be a guess), and no
    name follows the phrase ("the two gangs Los Choneros and Los Lobos" names them there)."""
    rules = [r for r in lexicon.anaphora if r.id in hit.refs and r.count == 2]
    gap = _NAME_NEXT.match(text, hit.end)
    if gap is None or text[gap.end():gap.end() + 1].isupper():
        return []
    window = max(r.max_sentences for r in rules)
    fitting: dict[str, int] = {}  # entity to the sentence of its latest mention before the phrase
    for s in range(sentence, max(-1, sentence - window - 1), -1):
        if story.get(s) != story[sentence]:
            break
        for m in reversed(by_sentence.get(s, ())):
            if m.end <= hit.start and m.entity not in fitting and any(fits_anaphor(entities[m.entity], r, lexicon)
                                                                        for r in rules):
                fitting[m.entity] = s
        if len(fitting) >= 2:
            break
    if len(fitting) != 2 or len(set(fitting.values())) != 1:
        return []
    named_there = {m.entity for m in by_sentence.get(next(iter(fitting.values())), ())
                   if m.end <= hit.start and any(fits_anaphor(entities[m.entity], r, lexicon) for r in rules)}
    if named_there != set(fitting):
        return []
    labels = " and ".join(entities[e].label for e in sorted(fitting, key=lambda e: entities[e].label))
    return [(e, f"to {entities[e].label}, one of the two groups named together before ({labels})") for e in fitting]


@dataclass
class _Introduction:
    """A group brought in by "a ..." before any name of it ("a splinter group"), and the referring phrases that
    stand for it after (sentence, start, end)."""

    start: int
    end: int
    sentence: int
    rules: tuple[str, ...]  # the anaphor rules of "the <noun>" ("the ring": anaphor.group); empty: any group
    phrase: str  # as written, from "a"
    members: list[tuple[int, int, int]] = field(default_factory=list)


_INTRODUCED = r"(?<![\w'’-])(?:a|an)\s+(?P<mods>(?:(?:(?-i:[a-z][\w-]*)|[\w-]+-based)\s+){{0,3}}?)" \
              r"(?P<noun>{0}|{1})(?![\w-])"
_PREDICATE = r"(?<![\w'’-])(?:{0})(?:\s+(?:now|still|once|also|already|long|not|\w+ly))?\s+$"
# what may follow a group brought in by "a ...": not a noun it modifies ("a gang member"), not "of" ("a group of
# gunmen", "a faction of the ELN": part of another)
_INTRODUCED_FOLLOWER = re.compile(
    r"\s*(?:[,.;:)\"”]|$)|\s+(?:that|which|who|whose|in|from|with|across|throughout|on|at|near|for|to|by|inside|"
    r"along|around|outside|and|or|is|was|has|had|have|are|were|will|would|could|can|may|might|also|allegedly|"
    r"reportedly|\w+ing|\w+ed)(?![\w-])")
_APPOSED = re.compile(r"[\"”’)]?\s*(?:,|\(|[–—-])\s*")


def _introductions(sentences: list[Sentence], mentions: list[Mention], lexicon: Lexicon,
                   text: str) -> list[_Introduction]:
    """Groups brought in by "a ..." ("a splinter group", "a microtrafficking ring"; grammar.yaml's
    introduced_group_nouns, or its introduced_group_heads after a criminal_modifiers word). Not one that says what a
    named thing is ("Los Pumas, a gang", "Los Pumas is a gang"), one named right there ("a group called Los
    Cambichos"), a modifier ("a gang member") or a part ("a faction of the ELN"). The span is the noun alone when
    its modifiers hold a mention ("a drug trafficking organization": the economy stays)."""
    grammar = lexicon.syntax.grammar
    found = _compiled(_INTRODUCED, grammar["introduced_group_nouns"], grammar["introduced_group_heads"])
    predicate = _compiled(_PREDICATE, grammar["predicate_words"])
    nouns = _definite_anaphors(lexicon.anaphora)
    groups = {rule.id for rule in lexicon.anaphora if "CriminalGroup" in rule.types}
    taken = _Taken(m for m in mentions if not _is_economy(m.entity, lexicon))  # "a drug ring": its economy gives way
    named = _Taken(mentions)
    ends: dict[int, list[int]] = defaultdict(list)
    for m in mentions:
        ends[m.sentence].append(m.end)
    out: list[_Introduction] = []
    for sentence in sentences:
        for hit in found.finditer(text, sentence.start, sentence.end):
            words = hit.group("mods").lower().split()
            noun = hit.group("noun").lower()
            if noun in grammar["introduced_group_heads"] and \
                    not any(part in grammar["criminal_modifiers"] for w in words for part in (w, *w.split("-"))):
                continue
            if taken.overlaps(sentence.index, hit.start("noun"), hit.end()) or \
                    predicate.search(text, sentence.start, hit.start()) or \
                    any(_APPOSED.fullmatch(text, end, hit.start()) for end in ends[sentence.index]):
                continue
            after = _NAME_NEXT.match(text, hit.end())
            named_here = after is not None and text[after.end():after.end() + 1].isupper()
            if named_here or not _INTRODUCED_FOLLOWER.match(text, hit.end()):
                continue
            phrase = [*words, noun]
            rules = next((nouns[" ".join(phrase[-size:])] for size in range(len(phrase), 0, -1)
                          if " ".join(phrase[-size:]) in nouns), ())
            start = hit.start("noun") if named.overlaps(sentence.index, hit.start(), hit.end()) else hit.start()
            out.append(_Introduction(start, hit.end(), sentence.index, tuple(r for r in rules if r in groups),
                                     hit.group(0)))
    return out


def _introduction_before(hit: Hit, sentence: int, rules: list, introduced: list[_Introduction],
                         story: dict[int, int], lexicon: Lexicon) -> _Introduction | None:
    """The nearest group brought in by "a ..." before a referring phrase, in its story and window, that the phrase
    may stand for ("the group" any; "the gang" one brought in as a gang)."""
    groups = [r for r in rules if "CriminalGroup" in r.types]
    for intro in reversed(introduced):
        if intro.start >= hit.start or story.get(intro.sentence) != story[sentence]:
            continue
        if any(sentence - intro.sentence <= r.max_sentences and (not r.kinds or r.id in intro.rules) for r in groups):
            return intro
        if sentence - intro.sentence > lexicon.anaphor_window:
            return None
    return None


def _name_introductions(introduced: list[_Introduction], mentions: list[Mention], entities: dict[str, Entity],
                        lexicon: Lexicon, text: str, story: dict[int, int], sentences: list[Sentence]) -> None:
    """A group brought in by "a ..." is the group named for the first time right after it in its story: "the
    leader of a splinter group ... the head of a group called Los Cambichos". Only the group mentioned next after
    it, in a later sentence (one in its own sentence is another: "a ring that supplies the Gulf Clan"), no farther
    than the referring window past the last phrase that stands for it, in no sentence where such a phrase stands
    or that calls a group another's rival or ally (grammar.yaml's other_group_words: that sentence tells two groups
    apart), of a fitting class, only for the last group brought in before that name, and only where the name says
    it is the one described (`_names_the_described`). It and every phrase that stood for it become mentions of
    that group."""
    ordered = sorted(mentions, key=lambda m: m.start)
    first_seen: dict[str, int] = {}
    for m in ordered:
        first_seen.setdefault(m.entity, m.start)
    groups = [m for m in ordered if lexicon.ontology.is_a(entities[m.entity].type, "CriminalGroup")]
    rules = {rule.id: rule for rule in lexicon.anaphora}
    other = _compiled(r"(?<![\w-])(?:{0})(?![\w-])", lexicon.syntax.grammar["other_group_words"])
    texts = {sentence.index: sentence.text for sentence in sentences}
    for index, intro in enumerate(introduced):
        name = next((m for m in groups if m.start >= intro.end and story.get(m.sentence) == story[intro.sentence]),
                    None)
        last = max([intro.sentence] + [s for s, _, _ in intro.members])
        if name is None or name.sentence == intro.sentence or name.sentence - last > lexicon.anaphor_window or \
                first_seen[name.entity] != name.start or any(s == name.sentence for s, _, _ in intro.members):
            continue
        if other.search(texts[name.sentence]) or not _names_the_described(name, intro, ordered, entities, text) or \
                any(later.start < name.start for later in introduced[index + 1:]
                    if story.get(later.sentence) == story[intro.sentence]):
            continue
        entity = entities[name.entity]
        if not all(lexicon.ontology.is_a(entity.type, "CriminalGroup") and
                   (not rules[r].kinds or entity.kind is None or entity.kind in rules[r].kinds) for r in intro.rules):
            continue
        first = intro.phrase
        for m in [m for m in mentions if m.sentence == intro.sentence and m.start < intro.end and intro.start < m.end
                  and _is_economy(m.entity, lexicon)]:
            mentions.remove(m)  # "a drug ring": the economy keeps its modifier ("drug"), the group takes the noun
            kept = text[m.start:intro.start].rstrip()
            if m.start < intro.start and kept:
                mentions.append(replace(m, end=m.start + len(kept), text=kept))
        why = f"{entity.label}, the group named for the first time right after it"
        mentions.append(Mention(intro.start, intro.end, text[intro.start:intro.end], entity.id, intro.sentence,
                                "anaphor", f"'{first}' is {why}"))
        for sentence, start, end in intro.members:
            mentions.append(Mention(start, end, text[start:end], entity.id, sentence, "anaphor",
                                    f"'{text[start:end]}' refers back to '{first}', which is {why}"))


_NAMED_AS = re.compile(r"(?:(?<![\w-])(?:called|named|known\s+as|dubbed|nicknamed)\s+|(?<![\w-])(?:group|gang|ring|"
                       r"organization|organisation|network|structure|cartel|clan|faction|band|banda)\s*,?\s*)"
                       r"(?:the\s+)?[\"“'‘]?$", re.I)
_LED_BY = re.compile(r"['’]s?\s+(?:[a-z][\w-]*\s+){0,2}$")


def _names_the_described(name: Mention, intro: _Introduction, mentions: list[Mention], entities: dict[str, Entity],
                         text: str) -> bool:
    """Whether the first mention of a group is worded as the group told of before: given with a naming word or a
    group noun ("the head of a group called Los Cambichos", "the gang, Los Pumas"), or named after its leader when
    the leader is named where the description stands ("The ring was run by Pedro Ruiz ... Ruiz's structure")."""
    if _NAMED_AS.search(text, max(0, name.start - 40), name.start):
        return True
    if name.how != "pattern:led-group":
        return False
    leaders = {m.entity for m in mentions if m.sentence == name.sentence and m.end <= name.start and
               entities[m.entity].type == "Person" and _LED_BY.fullmatch(text, m.end, name.start)}
    described = {intro.sentence, *(s for s, _, _ in intro.members)}
    return any(m.entity in leaders and m.sentence in described for m in mentions)


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
    """A family or clan is named by a surname, never a place: "a clan run by the Rivas family" names no Nicaraguan
    town, "the Mendoza clan" no Argentine province, so a gazetteer region inside a family or clan the name rules
    found gives way to it."""
    by_index = {sentence.index: sentence for sentence in sentences}
    families = [(s, by_index[s].start + c.start, by_index[s].start + c.end) for s, cands in names.items()
                for c in cands if by_index[s].text[c.start:c.end].endswith((" family", " clan"))]
    drop = [m for m in mentions if m.how == "name" and lexicon.ontology.is_a(entities[m.entity].type, "Region")
            and any(s == m.sentence and start <= m.start and m.end <= end for s, start, end in families)]
    drop_mentions(drop, mentions, entities)


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
                entity_id = _person(full, entities, lexicon)
                mentions.append(Mention(start, end, text[start:end], entity_id, sentence.index, "alias",
                                        f"'{cand.name}' is the alias of {entities[entity_id].label}, given after"))
                taken.add(sentence.index, start, end)
                continue
            entity_id = _person(cand, entities, lexicon)
            if cand.alias and not entities[entity_id].curated and \
                    cand.alias not in {n for n, _ in entities[entity_id].names}:
                entity = entities[entity_id]
                entities[entity_id] = replace(entity, names=entity.names + ((cand.alias, ""),))
            if cand.alias:
                known_aliases[fold(cand.alias)] = entity_id
            mentions.append(Mention(start, end, text[start:end], entity_id, sentence.index, f"pattern:{cand.rule}"))
            taken.add(sentence.index, start, end)


def _person(cand: PersonCandidate, entities: dict[str, Entity], lexicon: Lexicon) -> str:
    """The id of the person a candidate names, made an entity of the article (the gazetteer's, else one found by
    its people.yaml rule) if it is not one yet."""
    entity_id = _new_id(cand.name, "Person", entities, lexicon)
    if entity_id not in entities:
        entities[entity_id] = lexicon.entities.get(entity_id) or Entity(
            id=entity_id, label=cand.name, type="Person", curated=False, source=f"patterns/people.yaml#{cand.rule}")
    return entity_id


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


_LIST_NEXT = re.compile(r"(?:,? (?:and|or)|,) ")


def _drop_places_set_in_another_country(mentions: list[Mention], entities: dict[str, Entity], lexicon: Lexicon,
                                        text: str) -> None:
    """A place set in a state or country ("Guaíra, Paraná", "X, Brazil") is in it: a gazetteer place of that name
    in another country (Paraguay's Guairá department) is another place, and the mention is dropped. Places in a
    list ("Zulia, Norte de Santander and Arauca") set none in another."""
    ordered = sorted(mentions, key=lambda m: m.start)
    drop = []
    for i, place in enumerate(ordered[:-1]):
        before, after = ordered[i - 1] if i else None, ordered[i + 1]
        if place.sentence != after.sentence or text[place.end:after.start] != ", ":
            continue
        outer, inner = entities[after.entity], entities[place.entity]
        first_level = outer.type == "Country" or "-" in (outer.iso or "")
        if not first_level or inner.type == "Country" or not lexicon.ontology.is_a(inner.type, "Region"):
            continue
        listed = before is not None and before.sentence == place.sentence and \
            _LIST_NEXT.fullmatch(text[before.end:place.start]) is not None
        nxt = next((m for m in ordered if m.start > after.end and m.sentence == after.sentence), None)
        listed = listed or nxt is not None and _LIST_NEXT.fullmatch(text[after.end:nxt.start]) is not None
        home, there = lexicon.country_of(place.entity), lexicon.country_of(after.entity)
        if not listed and home and there and home != there and after.entity not in lexicon.chain(place.entity):
            drop.append(place)
    drop_mentions(drop, mentions, entities)


def drop_mentions(drop: list[Mention], mentions: list[Mention], entities: dict[str, Entity]) -> None:
    """Remove the mentions, and the entities no mention is left of."""
    for m in drop:
        mentions.remove(m)
    for entity_id in {m.entity for m in drop} - {m.entity for m in mentions}:
        del entities[entity_id]


_LISTED = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
_NEXT_NAME = re.compile(rf"(?:{_LISTED.pattern})[A-ZÀ-Þ]")


def _drop_cities_named_as_neighbourhoods(mentions: list[Mention], entities: dict[str, Entity], lexicon: Lexicon,
                                         text: str) -> None:
    """ "The neighborhood of Campo Grande" (in Rio) is no city: a gazetteer place right below a state or a country
    named as a neighbourhood (or listed after one: "the neighborhoods of Campo Grande and Santa Cruz") is another
    place of that name, and the mention is dropped (a name rule may then read
    the neighbourhood). A neighbourhood the gazetteer files under its city ("Martissant") keeps its reading."""
    nouns = lexicon.syntax.grammar["neighbourhood_nouns"]
    before = _compiled(r"(?<![\w-])(?:{0})\s+(?:of\s+)?$", nouns)
    # a plural only before a list of names ("the neighborhoods of A and B"; "the favelas of Rio" are in Rio)
    before_list = _compiled(r"(?<![\w-])(?:{0})s\s+of\s+$", nouns)
    drop = []
    listed_end = -1  # where the last name read as a neighbourhood ends
    for m in sorted(mentions, key=lambda m: m.start):
        entity = entities[m.entity]
        introduced = bool(before.search(text, max(0, m.start - 30), m.start)) or \
            listed_end >= 0 and bool(_LISTED.fullmatch(text, listed_end, m.start)) or \
            bool(before_list.search(text, max(0, m.start - 30), m.start)) and bool(_NEXT_NAME.match(text, m.end))
        listed_end = m.end if introduced else -1
        if m.how != "name" or entity.type == "Country" or not lexicon.ontology.is_a(entity.type, "Region") or \
                not introduced:
            continue
        above = [lexicon.entities[r] for r in entity.located_in if r in lexicon.entities]
        if above and all(a.type == "Country" or "-" in (a.iso or "") for a in above):
            drop.append(m)
    drop_mentions(drop, mentions, entities)


@lru_cache(maxsize=4)
def _street_patterns(street_words: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A street word before a place's name and after it, as written: "Cali street vendors" are in Cali."""
    words = "|".join(re.escape(w[:1].upper() + w[1:]) for w in sorted(street_words))
    return (re.compile(rf"(?<![\w-])(?:{words})\s+(?:[A-ZÀ-Þ][\w'’.-]*\s+){{0,3}}$"),
            re.compile(rf"\s+(?:{words})(?![\w-])"))


def _drop_places_in_street_names(mentions: list[Mention], entities: dict[str, Entity], lexicon: Lexicon,
                                 text: str) -> None:
    """ "Avenida Faria Lima" (in São Paulo), "Calle Lima", "Bolívar Avenue": a place's name inside a street's
    (grammar.yaml street_words, before the name or after it) is no mention of the place."""
    before, after = _street_patterns(lexicon.syntax.grammar["street_words"])
    drop = [m for m in mentions if m.how == "name" and lexicon.ontology.is_a(entities[m.entity].type, "Region")
            and (before.search(text, max(0, m.start - 60), m.start) or after.match(text, m.end))]
    drop_mentions(drop, mentions, entities)


def _drop_places_named_as_rivers(mentions: list[Mention], entities: dict[str, Entity], lexicon: Lexicon,
                                 text: str) -> None:
    """ "Down the Paraguay and Paraná rivers", "the Putumayo River": a place's name before a word for water
    (grammar.yaml water_words), alone or with the names coordinated before it, names the water, not the place."""
    after = _compiled(r"(?:\s+(?:and|or|,)\s+[A-ZÀ-Þ][\w'’-]*(?:\s+[A-ZÀ-Þ][\w'’-]*)?)*\s+(?:{0})\b",
                      lexicon.syntax.grammar["water_words"])
    drop = [m for m in mentions if m.how == "name" and lexicon.ontology.is_a(entities[m.entity].type, "Region")
            and after.match(text, m.end)]
    drop_mentions(drop, mentions, entities)


# A capitalised word just before a surname makes it part of another name, unless it is one of
# PeopleRules.not_before_surname ("Minister Lima") or the sentence's first word: checked by _add_surnames
_CAPITALISED_BEFORE = re.compile(r"(?<![\w.])[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+\s+$")
_SENTENCE_START = re.compile(r"\W*[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+\s+")


def _add_surnames(sentences: list[Sentence], mentions: list[Mention], entities: dict[str, Entity],
                  text: str, people: PeopleRules) -> None:
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
    not_given = people.not_before_surname()
    for sentence in sentences:
        for found in pattern.finditer(text, sentence.start, sentence.end):
            start, end = found.span()
            if taken.overlaps(sentence.index, start, end):
                continue
            before = [p for p in persons[found.group(1)] if p[1] <= start]
            if not before or len({p[2] for p in persons[found.group(1)]}) > 1:
                continue  # two people of one surname: either may be meant
            entity_id = before[-1][2]
            word = _CAPITALISED_BEFORE.search(text, max(sentence.start, start - 40), start)
            own_words = {w for name, _ in entities[entity_id].names for w in name.split()}
            if word and word.group(0).strip() not in own_words | not_given and \
                    not _SENTENCE_START.fullmatch(text, sentence.start, start):
                continue  # "His wife, Rosilene Lima": a name of its own, of a relative who shares the surname
                # ("El Burro Herrera": the person's own alias before it is no other name)
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
