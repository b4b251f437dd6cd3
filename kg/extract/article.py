"""Turn one article into facts with evidence: sentences -> matches -> resolved mentions -> facts and events.

Pure over its inputs: the article and the lexicon go in, an `Extraction` comes out; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.extract.events import carry_over_agents, find_events, implied_facts
from kg.extract.names import find_names
from kg.extract.people import find_people
from kg.extract.relations import find_facts, mask
from kg.extract.resolve import country_focus, resolve_mentions
from kg.extract.sentences import split_sentences, stories
from kg.extract.syntax import (
    add_named_entities,
    carry_over,
    drop_ended,
    find_syntax,
    gated_sentences,
    implied_by_syntax,
    parse_gated,
    parse_sentences,
    placed_by_summary,
    prefer_subjects,
    same_day,
)
from kg.knowledge.curation import apply_to_extraction
from kg.knowledge.lexicon import Lexicon
from kg.model import Article, Entity, Event, Extraction, Fact, Mention, Sentence

__all__ = ["Found", "extract", "extract_found", "find_mentions", "parse_ahead"]


@dataclass
class Found:
    """An article read up to the parse: its sentences, and the mentions the matcher and the name rules found."""

    article: Article
    sentences: list[Sentence]
    mentions: list[Mention]
    entities: dict[str, Entity]


def extract(article: Article, lexicon: Lexicon) -> Extraction:
    """Every mention, fact and event the curated rules find in the article's body and analysis."""
    return extract_found(find_mentions(article, lexicon), lexicon)


def find_mentions(article: Article, lexicon: Lexicon) -> Found:
    """The stages before the parse: sentences, the gazetteer's, the people patterns' and the name rules' matches,
    resolved to mentions."""
    sentences = split_sentences(article, lexicon.layout.abbreviations, lexicon.layout.max_sentence_chars)
    hits, people, names = {}, {}, {}
    for sentence in sentences:
        hits[sentence.index] = lexicon.names.find(sentence.text, sentence.start)
        people[sentence.index] = find_people(sentence.text, lexicon.people)
        # "the Brazilian gang PCC": a nationality before a group noun is no group's name
        names[sentence.index] = [c for c in find_names(sentence.text, lexicon.name_rules, lexicon.people.not_names)
                                 if c.label not in lexicon.demonyms]
    mentions, entities = resolve_mentions(sentences, hits, people, article.text, lexicon, names)
    return Found(article, sentences, mentions, entities)


def parse_ahead(found: list[Found], lexicon: Lexicon) -> None:
    """Parse the sentences of several articles in one batch, for `extract_found` to take from the parse cache:
    batches of 64 sentences parse some 20 % faster than of 16, and an article gives 16 to 30. The Docs are the
    same (a parse does not depend on its batch)."""
    chosen = [c for f in found for c in gated_sentences(f.sentences, f.mentions, lexicon.syntax, lexicon.dates)]
    parse_gated(chosen, lexicon.syntax)


def extract_found(found: Found, lexicon: Lexicon) -> Extraction:
    """The stages from the parse on, over an article read up to it."""
    article, sentences, mentions, entities = found.article, found.sentences, found.mentions, found.entities
    parsed = parse_sentences(sentences, mentions, lexicon.syntax, lexicon.dates)
    add_named_entities(parsed, mentions, entities, lexicon)
    prefer_subjects(parsed, mentions, entities, lexicon)
    result = Extraction(article=article, entities=dict(entities), mentions=mentions, sentences=len(sentences),
                        parsed=len(parsed))
    types = {entity_id: entity.type for entity_id, entity in entities.items()}
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    for sentence in sentences:
        masked = mask(sentence, by_sentence.get(sentence.index, []), types, article.text)
        for fact in find_facts(sentence, masked, lexicon.relations, lexicon, article.text):
            (result.cited_outlets if fact.subject == "article" else result.facts).append(fact)
        result.events.extend(find_events(sentence, masked, lexicon.events, lexicon, article))
    syntax_facts, syntax_events, read = find_syntax(parsed, lexicon.syntax, result.entities, lexicon, article)
    result.facts.extend(syntax_facts)
    titles = lexicon.people.leader_titles | lexicon.syntax.grammar["member_nouns"]
    result.events = same_day(carry_over(_prefer_parsed(_merge_events(carry_over_agents(result.events, lexicon.events)),
                                                       syntax_events, read, titles), lexicon))
    story = stories(sentences)
    result.events = _placed_nationwide(placed_by_summary(result.events, story, article.published), mentions, story,
                                       lexicon)
    for event in result.events:  # a country's government, read for the country (kg.extract.events._as_actor)
        for mention in event.mentions:
            if mention.entity not in result.entities:
                result.entities[mention.entity] = lexicon.entities[mention.entity]
                types[mention.entity] = result.entities[mention.entity].type
    for event in result.events:
        result.facts.extend(implied_by_syntax(event, lexicon.syntax, types) if event.parse else
                            implied_facts(event, lexicon.events))
    for fact in result.facts:
        if fact.object not in result.entities and not fact.object_is_literal:
            result.entities[fact.object] = lexicon.entities[fact.object]
    result.facts.extend(_curated_chains(mentions, sentences, result.entities, lexicon))
    result.facts = [f for f in _longest_titles(drop_ended(_unique(result.facts), parsed, lexicon.syntax))
                    if _plausible(f, result.entities, lexicon)]
    apply_to_extraction(result, lexicon.curation, lexicon.entities)
    result.cited_outlets = _unique(result.cited_outlets)
    return result


def _curated_chains(mentions: list[Mention], sentences: list[Sentence], entities: dict[str, Entity],
                    lexicon: Lexicon) -> list[Fact]:
    """A mentioned place brings its locatedIn chain from the gazetteer, every link and every ancestor (the
    property is transitive), cited to the sentence that first names the place."""
    facts: list[Fact] = []
    first: dict[str, Mention] = {}
    for m in mentions:
        first.setdefault(m.entity, m)
    for entity_id, mention in first.items():
        entity = entities[entity_id]
        if not entity.curated or not lexicon.ontology.is_a(entity.type, "Region"):
            continue
        for region in [entity_id] + lexicon.chain(entity_id):
            current = lexicon.entities[region]
            entities.setdefault(region, current)
            for ancestor in lexicon.chain(region):
                entities.setdefault(ancestor, lexicon.entities[ancestor])
                direct = ancestor in current.located_in
                facts.append(Fact(region, "locatedIn", ancestor, sentences[mention.sentence],
                                  "gazetteer.locatedIn" if direct else "gazetteer.locatedIn.transitive", 1.0,
                                  subject_mention=mention if region == entity_id else None,
                                  curated_source=current.source))
    return facts


def _prefer_parsed(surface: list[Event], parsed: list[Event], read: set[tuple[str, int]],
                   titles: frozenset[str]) -> list[Event]:
    """Where a syntax rule read an event's trigger (`read`: event class and sentence), its reading stands: a
    surface event of the same type and sentence goes (the parse saw no such event there, or a negated or planned
    one, or one with other roles), unless it shares a target, when the targets it listed beyond the parser's
    ("X, along with Y and Z", which the parse of a long sentence may miss) join the parsed event; not a name
    that modifies one person's title (`titles`: "X, a Gulf Clan commander" arrests X, not the Gulf Clan)."""
    out = list(parsed)
    for event in surface:
        twins = [i for i, e in enumerate(out[:len(parsed)]) if e.type == event.type and
                 e.sentence.index == event.sentence.index]
        if not twins:
            if (event.type, event.sentence.index) not in read:
                out.append(event)
            continue
        for i in twins:
            if set(out[i].targets) & set(event.targets):
                others = set(out[i].agents) | set(out[i].places) | set(out[i].targets)
                extra = tuple((r, m) for r, m in event.roles if r == "target" and m.entity not in others
                              and not _before_title(m, event.sentence, titles))
                if extra:
                    note = f"; target {', '.join(repr(m.text) for _, m in extra)} by the surface rule {event.rule}"
                    out[i] = replace(out[i], targets=out[i].targets + tuple(m.entity for _, m in extra),
                                     roles=out[i].roles + extra, parse=(out[i].parse or "") + note)
    return sorted(out, key=lambda e: e.sentence.start)


@lru_cache(maxsize=4)
def _phrase_pattern(phrases: frozenset[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:%s)(?![\w-])" % "|".join(re.escape(p) for p in sorted(phrases)), re.I)


def _placed_nationwide(events: list[Event], mentions: list[Mention], story: dict[int, int],
                       lexicon: Lexicon) -> list[Event]:
    """An event with no place told "across the country" or "nationwide" (grammar.yaml nationwide_phrases) is placed
    in the country its story is about, the one its mentions name most."""
    phrases = lexicon.syntax.grammar["nationwide_phrases"]
    pattern = _phrase_pattern(phrases)
    out = []
    for event in events:
        found = pattern.search(event.sentence.text) if not event.places and phrases else None
        focus = country_focus([m.entity for m in mentions if story.get(m.sentence) == story.get(event.sentence.index)],
                              lexicon) if found else []
        country = lexicon.entities[lexicon.countries[focus[0]]] if focus and focus[0] in lexicon.countries else None
        if found is None or country is None:
            out.append(event)
            continue
        start = event.sentence.start + found.start()
        place = Mention(start, start + len(found.group()), found.group(), country.id, event.sentence.index,
                        "anaphor", f"'{found.group()}' is {country.label}, the country its story is about")
        out.append(replace(event, places=(country.id,), roles=event.roles + (("place", place),),
                           parse=f"{event.parse}; place '{found.group()}': {country.label}" if event.parse else
                           event.parse))
    return out


def _before_title(mention: Mention, sentence: Sentence, titles: frozenset[str]) -> bool:
    """Whether the word right after a name is one person's title ("Gulf Clan commander"): the name modifies it."""
    following = sentence.text[mention.end - sentence.start:].split(maxsplit=1)
    return bool(following) and following[0].strip(",.;:").lower() in titles


def _merge_events(events: list[Event]) -> list[Event]:
    """Two rules firing on one happening ("Those captured included X"): one event, the fuller one kept."""
    out: list[Event] = []
    for event in events:
        twin = next((i for i, e in enumerate(out) if e.type == event.type and e.sentence == event.sentence
                     and e.targets and set(e.targets) & set(event.targets)), None)
        if twin is None:
            out.append(event)
        elif len(event.roles) > len(out[twin].roles):
            out[twin] = event
    return out


def _plausible(fact: Fact, entities: dict[str, Entity], lexicon: Lexicon) -> bool:
    """A news outlet is a source, cited by the article, not a party to a fact: in "According to El Tiempo, the
    Gulf Clan controls gold mining" a list of subjects would take the outlet along. A locatedIn read from the text
    must not turn the gazetteer's containment around: "Mayapo, Ayacucho, inside the VRAEM" does not put Ayacucho
    inside the VRAEM, which the gazetteer puts inside Ayacucho; nor put a place the gazetteer already locates in
    another administrative unit ("in Tame, Saravena and Arauquita" read as "Tame, Saravena" is a list, not Tame in
    Saravena; units nest as a tree, while an area such as the VRAEM may straddle them)."""
    ends = (entities.get(fact.subject), None if fact.object_is_literal else entities.get(fact.object))
    if any(end and end.type == "MediaOutlet" for end in ends):
        return False
    if fact.predicate != "locatedIn" or fact.curated_source:
        return True
    if fact.subject in lexicon.chain(fact.object):
        return False
    subject = entities.get(fact.subject)
    unit = entities.get(fact.object)
    if subject and subject.curated and subject.located_in and unit and unit.type in _UNITS and \
            fact.object not in lexicon.chain(fact.subject):
        return False
    return not (subject and subject.type == "Country")


_UNITS = {"AdministrativeArea", "Country"}  # regions that nest as a tree (not areas such as a valley or a coast)


def _longest_titles(facts: list[Fact]) -> list[Fact]:
    """"Prosecutor General" and not also "Prosecutor" for one person in one sentence, whichever rules read them."""
    titles = [f for f in facts if f.predicate == "holdsPosition"]
    return [f for f in facts if f.predicate != "holdsPosition" or not any(
        g.subject == f.subject and g.sentence.index == f.sentence.index and len(g.object) > len(f.object)
        and f.object.lower() in g.object.lower() for g in titles)]


def _unique(facts: list[Fact]) -> list[Fact]:
    """One fact per (subject, predicate, object, sentence, rule), first found kept."""
    seen: set[tuple] = set()
    out = []
    for fact in facts:
        key = (fact.subject, fact.predicate, fact.object, fact.sentence.index, fact.rule)
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out
