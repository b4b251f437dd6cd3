"""Facts and events read from the dependency parse by the rules of ontology/patterns/syntax/.

For each rule, a trigger token (lemma, part of speech, relation to its head), then each argument reached by a
path of dependency steps and tied to the mention that covers it ("the Bagdad gang": the gang is the name before
it; "its leader, Pedro Gómez": the leader is the appositive name). Coordinated names fill one argument together.
Checks on the trigger's own words veto a reading that is negated ("did not arrest"), modal ("could arrest"),
hypothetical ("plans to arrest", "talks toward a peace deal") or past where the rule wants a present state.
Every fact and event carries the parse path that matched, for the evidence and `kg extract --explain`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from kg.extract.events import as_actor
from kg.extract.parse import candidates, for_parser, needs_parse, parse
from kg.extract.resolve import country_focus, drop_mentions, fits_anaphor, may_be_called
from kg.extract.sentences import stories
from kg.knowledge.dates import DateRules, anaphoric_dates, find_dates
from kg.knowledge.syntax_rules import Argument, SyntaxRule, SyntaxRules
from kg.model import Entity, Event, Fact, Mention, Sentence
from kg.text import fold, slug

__all__ = ["ParsedSentence", "parse_sentences", "parse_gated", "gated_sentences", "add_named_entities",
           "prefer_subjects", "find_syntax", "implied_by_syntax", "drop_ended", "carry_over", "same_day",
           "placed_by_summary"]

# NER labels that may name an entity the gazetteer lacks, and the class a cue word around them gives
_NER_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC"}


@dataclass
class ParsedSentence:
    sentence: Sentence
    doc: Any  # a spaCy Doc of the sentence's text
    mentions: list[Mention]
    context: list[Mention]  # every mention of the article, in text order: what a pronoun may refer back to
    entities: dict[str, Entity] = field(default_factory=dict)  # the article's entities, for the classes
    story: dict[int, int] = field(default_factory=dict)  # each sentence's story (kg.extract.sentences.stories)

    def at(self, token) -> Mention | None:
        """The mention covering a token, if one."""
        start = self.sentence.start + token.idx
        return next((m for m in self.mentions if m.start <= start < m.end), None)


def parse_sentences(sentences: list[Sentence], mentions: list[Mention], rules: SyntaxRules,
                    dates: DateRules | None = None) -> list[ParsedSentence]:
    """Parse the sentences the gate lets through, all in one batch (`dates`: no NER for a month's name)."""
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    chosen = gated_sentences(sentences, mentions, rules, dates)
    docs = parse_gated(chosen, rules)
    story = stories(sentences)
    return [ParsedSentence(s, doc, by_sentence.get(s.index, []), mentions, story=story)
            for (s, _), doc in zip(chosen, docs, strict=True)]


def parse_gated(chosen: list[tuple[Sentence, bool]], rules: SyntaxRules) -> list:
    """The Docs of the sentences `gated_sentences` chose, each read as `for_parser` gives it: one input for a batch
    parsed ahead and for an article's own parse, so that the second finds the first's Docs in the cache."""
    return parse([for_parser(s.text, rules.grammar["alias_cues"]) for s, _ in chosen], [ner for _, ner in chosen])


def gated_sentences(sentences: list[Sentence], mentions: list[Mention], rules: SyntaxRules,
                    dates: DateRules | None = None) -> list[tuple[Sentence, bool]]:
    """The sentences the gate lets through, each with whether it needs the NER."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for m in mentions:
        spans.setdefault(m.sentence, []).append((m.start, m.end))
    chosen = []
    for s in sentences:
        count, new_names = candidates(s, spans.get(s.index, []), dates.pattern() if dates else None)
        if needs_parse(s, count, rules.triggers):
            chosen.append((s, new_names))
    return chosen


def prefer_subjects(parsed: list[ParsedSentence], mentions: list[Mention], entities: dict[str, Entity],
                    lexicon) -> None:
    """A referring phrase that is a clause's subject stands for the subject before it, not the nearest name (the
    parallelism of Hobbs and of centering): in "the Gulf Clan fought the Caparros, and it clashed with the ELN" "it"
    is the Gulf Clan, the subject of the clause it is coordinated with; in "... the Gulf Clan fought the Caparros
    and the ELN. The group earns money from mining" "the group" is the subject of the sentence before. The
    resolver, which sees no parse, took the nearest fitting name; the parse corrects it when the subject fits."""
    by_index = {ps.sentence.index: ps for ps in parsed}
    for ps in parsed:
        for token in ps.doc:
            mention = ps.at(token)
            if mention is None or mention.how != "anaphor" or token.dep_ not in ("nsubj", "nsubjpass"):
                continue
            rules = [r for r in lexicon.anaphora if mention.text.lower() in r.words]
            if any(r.count == 2 for r in rules):
                continue  # "the two gangs" already stands for the two groups named together before
            subject, where = None, ""
            if token.head.dep_ == "conj":
                subject = next((m for c in token.head.head.children if c.dep_ in ("nsubj", "nsubjpass")
                                and (m := ps.at(c)) is not None and m.end <= mention.start), None)
                where = "the subject of the clause it is coordinated with"
            elif token.head.dep_ == "ROOT" and any(r.max_sentences >= 1 for r in rules) and not any(
                    m.entity == mention.entity and m.end <= mention.start for m in ps.mentions if m is not mention):
                before = by_index.get(ps.sentence.index - 1)
                if before is not None and ps.story.get(before.sentence.index) == ps.story.get(ps.sentence.index):
                    subject = next((before.at(c) for root in before.doc if root.dep_ == "ROOT"
                                    for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and before.at(c)), None)
                    where = "the subject of the sentence before"
            entity = entities.get(subject.entity) if subject else None
            if subject is None or entity is None or subject.entity == mention.entity or \
                    not any(fits_anaphor(entity, rule, lexicon) for rule in rules):
                continue
            better = replace(mention, entity=subject.entity,
                             resolution=f"'{mention.text}' refers back to {entity.label}: {where}")
            for found in (ps.mentions, mentions):
                found[:] = [better if m is mention else m for m in found]


def add_named_entities(parsed: list[ParsedSentence], mentions: list[Mention], entities: dict[str, Entity],
                       lexicon) -> None:
    """Names the NER found and the gazetteer and name rules did not. An organisation or place needs a curated cue
    noun heading it or set beside it to get a class ("the Bagdad gang", "Calor Calor, a gang", "the Texis
    Cartel", "La Reforma prison"); a person is a PERSON span of two or more capitalised names. Anything else is
    left out, as its class would be a guess. Such entities are marked not curated, with the cue that typed them."""
    for ps in parsed:
        for ent in getattr(ps.doc, "ents", ()):
            if ent.label_ not in _NER_LABELS:
                continue
            span = _name_span(ent)
            if span is None:
                continue
            if ent.label_ == "PERSON":
                span, place = _person_span(span, ps, entities, lexicon)
                if span is None:
                    continue
                if place is not None:  # "Santander Lopesierra": the place's name is the person's
                    ps.mentions.remove(place)
                    drop_mentions([place], mentions, entities)
            start, end = ps.sentence.start + span.start_char, ps.sentence.start + span.end_char
            if any(m.start < end and start < m.end for m in ps.mentions):
                continue
            typed = _cue_class(ent, lexicon)
            after = ps.doc[span.end] if span.end < len(ps.doc) else None
            if typed is None and ent.label_ == "PERSON" and len(span) >= 2 and \
                    (after is None or after.text not in lexicon.people.not_after) and \
                    span[0].lower_ not in lexicon.syntax.grammar["not_person_openers"] and \
                    all(t.pos_ == "PROPN" or t.lower_ in lexicon.syntax.grammar["name_connectors"] for t in span):
                typed = ("Person", None)
            if typed is None:
                continue
            cls, head = typed
            name = span.text
            label = f"{name} {head.text}" if head is not None and head.i == span.end and \
                not name.lower().endswith(head.lower_) else name
            entity_id = slug(label)
            if entity_id in lexicon.entities and lexicon.entities[entity_id].type != cls:
                entity_id = f"{entity_id}-{slug(cls)}"
            cue = head.lemma_.lower() if head is not None else "PERSON"
            entities.setdefault(entity_id, lexicon.entities.get(entity_id) or Entity(
                id=entity_id, label=label, type=cls, curated=False, names=((name, ""),) if label != name else (),
                source=f"patterns/grammar.yaml#name_heads:{cue}" if head is not None else "spacy-ner:PERSON"))
            mention = Mention(start, end, name, entity_id, ps.sentence.index, "pattern:ner")
            ps.mentions.append(mention)
            ps.mentions.sort(key=lambda m: m.start)
            mentions.append(mention)
    mentions.sort(key=lambda m: m.start)


def _name_span(ent):
    """The span without a leading article and trailing punctuation; None if nothing capitalised is left."""
    start, end = ent.start, ent.end
    while start < end and ent.doc[start].lower_ in ("the", "a", "an") or \
            start < end and not ent.doc[start].text[:1].isalnum():
        start += 1
    while end > start and not ent.doc[end - 1].text[-1:].isalnum():
        end -= 1
    if start >= end or not ent.doc[start].text[:1].isupper():
        return None
    return ent.doc[start:end]


def _person_span(span, ps: ParsedSentence, entities: dict[str, Entity], lexicon):
    """A PERSON span over a name already found: past that name when it opens the span and two or more words follow
    ("extradited to the United States Mauricio Rivas": the NER runs the country into the name); the whole span, and
    the place found in it to drop, when one more name word stands beside a place the gazetteer matched
    ("Santander Lopesierra", "Luiz Lima": a surname or given name that is also a place). None for anything else
    (the name found stands)."""
    base = ps.sentence.start
    inside = [m for m in ps.mentions if m.start < base + span.end_char and base + span.start_char < m.end]
    if not inside:
        return span, None
    if len(inside) > 1:
        return None, None
    (found,) = inside
    rest = [t for t in span if not found.start <= base + t.idx < found.end]
    if found.start < base + span.start_char or found.end > base + span.end_char or \
            any(found.start < base + t.idx + len(t.text) <= found.end and base + t.idx < found.start or
                base + t.idx < found.end < base + t.idx + len(t.text) for t in span):
        return None, None  # the name found reaches past the span, or the span cuts a word of it
    if found.start == base + span.start_char and len(rest) >= 2:
        return span.doc[rest[0].i:rest[-1].i + 1], None
    entity = entities.get(found.entity)
    people = lexicon.people
    if len(rest) == 1 and found.how == "name" and entity is not None and entity.type != "Country" and \
            lexicon.ontology.is_a(entity.type, "Region") and rest[0].pos_ == "PROPN" and \
            rest[0].text not in people.not_after | people.not_before_surname():
        return span, found
    return None, None


def _cue_class(ent, lexicon):
    """The class a cue noun gives a name, and the cue token: the noun the name modifies or stands beside."""
    heads = lexicon.syntax.heads
    root = ent.root
    candidates = [root.head] if root.dep_ in ("compound", "amod", "nmod", "poss") and root.head.i >= ent.end else []
    candidates += [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        candidates.append(root.head)
    candidates.append(root)  # "Texis Cartel": the name's own last word
    for token in candidates:
        cls = heads.get(token.lemma_.lower()) or heads.get(token.lower_)
        if cls:
            return cls, token if token.i >= ent.end else None
    return None


def _follow(token, path) -> list:
    current = [token]
    for step in path:
        following: list = []
        for tok in current:
            if step.beside:
                found = _beside(tok, step)
            elif step.up:
                if tok.head.i == tok.i or (step.deps and tok.dep_ not in step.deps):
                    continue
                found = [tok.head]
            else:
                found = [c for c in tok.children if not step.deps or c.dep_ in step.deps]
                if not found and step.deps and step.deps <= _SUBJECTS:
                    found = _shared_subject(tok, step.deps)
            # a word form listed matches only as written: "members" is plural, "member" any number
            following.extend(f for f in found if not step.lemmas or f.lemma_.lower() in step.lemmas or
                             f.lower_ in step.lemmas)
        current = following
    return current


_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def _shared_subject(verb, deps: frozenset[str]) -> list:
    """The subject a coordinated verb with none of its own shares with the first verb ("police arrested X and
    seized Y", "X was arrested and extradited"), in the same relation; a copula takes either ("Los Lobos are
    allied with X and are strong in Azuay"), and a verb with an auxiliary of its own the other one ("X fled the
    prison and was recaptured"). Only across a conjunction of the first verb with nothing but auxiliaries and
    adverbs after it: a noun there ("her husband, a former agent, was killed") is the verb's own subject,
    misparsed, and a verb hung on another with no conjunction ("it fell apart after its leader was captured") is
    a clause of its own."""
    if verb.dep_ != "conj" or any(c.dep_ in _SUBJECTS for c in verb.children):
        return []
    first = verb.head
    joins = [c.i for c in first.children if c.dep_ == "cc" and first.i < c.i < verb.i]
    if not joins or any(t.pos_ in ("NOUN", "PROPN", "PRON", "NUM") for t in verb.doc[joins[-1] + 1:verb.i]):
        return []
    while not any(c.dep_ in _SUBJECTS for c in first.children) and first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    same = [c for c in first.children if c.dep_ in deps]
    if same:
        return same
    own = {"nsubjpass"} if any(c.dep_ == "auxpass" for c in verb.children) else \
        {"nsubj"} if verb.pos_ == "AUX" or any(c.dep_ == "aux" for c in verb.children) else set()
    return [c for c in first.children if c.dep_ in _SUBJECTS] if own & deps else []


def _beside(token, step) -> list:
    """The phrase across a comma from a token's own, whatever word the parser hung it on: after it (`>`, "in their
    stronghold, the department of X", the appositive hung on the clause's subject) or before it (`<`, "the Rivas
    family, believed to run", the participle hung on the main verb)."""
    doc = token.doc
    if step.beside == ">":
        comma = token.right_edge.i + 1
        if comma + 1 >= len(doc) or doc[comma].text != ",":
            return []
        return [t for t in doc[comma + 1:] if t.left_edge.i == comma + 1 and t.head.i != t.i and
                (not step.deps or t.dep_ in step.deps) and not token.is_ancestor(t)][:1]
    comma = token.left_edge.i - 1
    if comma < 1 or doc[comma].text != "," or (step.deps and token.dep_ not in step.deps):
        return []
    before = doc[comma - 1]
    if before.text == ")":  # "the Estado Mayor de Bloques y Frentes (EMBF), a faction": the name before the brackets
        opening = next((t for t in reversed(doc[:comma - 1]) if t.text == "("), None)
        before = doc[opening.i - 1] if opening is not None and opening.i > 0 else before
    return [before] if before.pos_ in ("NOUN", "PROPN") else []


def _conjuncts(token) -> list:
    """The token and those coordinated with it: "A, B and C", "A, along with B"."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj":
            out.extend(_conjuncts(child))
        elif child.dep_ == "prep" and child.lower_ == "with" and child.i > 0 and \
                child.doc[child.i - 1].lower_ in ("along", "together"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    out.extend(_conjuncts(pobj))
    return out


def _listed_appositives(token, ps: ParsedSentence) -> list[tuple[Mention, str]]:
    """The rest of a list of names set beside a noun that is no name itself: "three gangs, Los Toros, La Oficina
    and El 22" (the first of them is the noun's appositive, the others its conjuncts)."""
    if ps.at(token):
        return []
    named = next((c for c in token.children if c.dep_ == "appos" and ps.at(c)), None)
    if named is None:
        return []
    return [(found, f" (appositive '{c.text}')") for c in _conjuncts(named)[1:] if (found := ps.at(c)) is not None]


def _mention_of(token, ps: ParsedSentence, rules: SyntaxRules, fits=None) -> tuple[Mention | None, str]:
    """The mention a token stands for, and how: itself, an appositive name ("its leader, X"), or the name a
    cue noun is headed by ("the Bagdad gang"). `fits`: whether an entity can fill the role the token is read
    for, which settles a pronoun with two antecedents of different classes."""
    found = ps.at(token)
    if found:
        return found, ""
    if token.pos_ in ("PRON", "DET") and token.lower_ in rules.pronoun_classes:
        return _antecedent(token, ps, rules, fits)
    if token.dep_ == "poss" and token.lower_ in rules.grammar["relative_pronouns"]:
        # "X, whose arrest in 2011 strained ties": the possessed noun's clause hangs from X (or the small model hangs
        # the noun itself from X as an appositive)
        owned = token.head
        clause = owned if owned.dep_ == "appos" else owned.head
        if clause.dep_ in ("relcl", "appos") and ps.at(clause.head):
            return ps.at(clause.head), f" (relative pronoun '{token.text}' of '{clause.head.text}')"
        return None, ""
    if token.lower_ in rules.grammar["relative_pronouns"]:
        node = token.head
        if token.dep_ == "pobj" and node.dep_ == "prep":  # "the Sinaloa Cartel, with which it has fought"
            node = node.head
        while node.dep_ in ("ccomp", "xcomp", "conj") and node.head.i != node.i:
            node = node.head  # "X, who authorities say is the head of": up to the relative clause
        plural_for_one = token.head.tag_ == "VBP" and node.head.tag_ in ("NNP", "NN")  # "the sons of X who lead"
        if node.dep_ == "relcl" and ps.at(node.head) and not plural_for_one:
            return ps.at(node.head), f" (relative pronoun '{token.text}' of '{node.head.text}')"
        named = next((c for c in node.head.children if c.dep_ == "appos" and ps.at(c)), None)
        if node.dep_ == "relcl" and named is not None and not plural_for_one:  # 'the leader "X," who was captured'
            return ps.at(named), f" (relative pronoun '{token.text}' of '{node.head.text}', appositive '{named.text}')"
    g = rules.grammar
    cued = token.lemma_.lower() in rules.heads or token.lemma_.lower() in g["member_nouns"]
    if cued or token.pos_ == "NOUN":
        # "a group called Los Cambichos", "a gang known as Bagdad"; any noun "identified as" a name is that name
        # ("the lieutenant colonel, identified as X")
        verbs = g["naming_verbs"] | g["identifying_verbs"] if cued else g["identifying_verbs"]
        for child in token.children:
            if child.dep_ == "acl" and child.lemma_.lower() in verbs:
                for named in child.children:
                    if named.dep_ in ("oprd", "attr", "dobj") and ps.at(named):
                        return ps.at(named), f" (named '{named.text}')"
                    if named.dep_ == "prep" and named.lower_ == "as":
                        for pobj in named.children:
                            if pobj.dep_ == "pobj" and ps.at(pobj):
                                return ps.at(pobj), f" (known as '{pobj.text}')"
    for child in token.children:
        if child.dep_ == "appos" and ps.at(child):
            return ps.at(child), f" (appositive '{child.text}')"
    if token.lower_ in g["member_plurals"] or token.lower_ in g["force_plurals"]:
        # "its members extort shop owners", "gunmen of the ELN attacked", "Gulf Clan gunmen opened fire", "arrested
        # by agents of the PNC": a group or a force acts through its people
        for child in token.children:
            owner = child if child.dep_ in ("poss", "compound") else next(
                (c for c in child.children if c.dep_ == "pobj"), None) if child.dep_ == "prep" and \
                child.lower_ in ("of", "from") else None
            if owner is not None:
                found, how = _mention_of(owner, ps, rules, fits)
                if found is not None and not (child.dep_ == "compound" and found.how == "generic" and
                                              found.text[:1].islower()):
                    # (a bare "police officers" names no force: "Kenyan police officers" in a story on Haiti; a
                    # capitalised "National Guard agents" does)
                    return found, f" ('{token.text}' of '{owner.text}'{how})"
    if token.lemma_.lower() in g["place_part_nouns"] and \
            not any(c.dep_ in ("compound", "amod") and ps.at(c) for c in token.children):
        # "off the coast of Escuintla", "in the district of Pataz": the place the part is of (not in "the Llochegua
        # district of Huanta", which is Llochegua)
        for child in token.children:
            of = next((c for c in child.children if c.dep_ == "pobj"), None) \
                if child.dep_ == "prep" and child.lower_ == "of" else None
            if of is not None:
                found, how = _mention_of(of, ps, rules, fits)
                if found is not None:
                    return found, f" ('{token.text}' of '{of.text}'{how})"
    named_before = _place_named_before(token, ps, rules)
    if named_before is not None:
        return named_before
    named_kind = _kind_named_before(token, ps, rules)
    if named_kind is not None:
        return named_kind
    if token.lemma_.lower() in rules.heads:
        if any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in token.children):
            return None, ""  # 'the Rastrojos faction "los Comba"': a faction nobody typed, not the Rastrojos
        for child in token.children:
            if child.dep_ in ("compound", "amod") and ps.at(child):
                return ps.at(child), f" (named by '{child.text}')"
    return None, ""


def _place_named_before(token, ps: ParsedSentence, rules: SyntaxRules) -> tuple[Mention, str] | None:
    """ "Troops were sent to Guerrero, and the gendarmerie began operations in the state": a bare "the state" (or
    "department", "province": grammar.yaml's first_level_nouns) stands for the one first-level unit (an ISO 3166-2
    code) its sentence names before it, else the one the two sentences before it in its story name ("Marines raided
    a lab in Sinaloa. Los Chapitos dominate fentanyl production in the state"); a bare "the city" (or "town",
    "port": story_city_nouns) likewise for the one place below the first level ("A court in Rosario sentenced X.
    Los Monos run drug sales in the south of the city"), also as a possessor ("in the town's main square")."""
    word = token.lemma_.lower()
    first_level = word in rules.grammar["first_level_nouns"]
    if not (first_level or word in rules.grammar["story_city_nouns"]) or token.dep_ not in ("pobj", "poss") or \
            [c.lower_ for c in token.children if c.dep_ != "case"] != ["the"]:
        return None
    at = ps.sentence.start + token.idx

    def units(found) -> dict[str, Mention]:
        return {m.entity: m for m in found if (e := ps.entities.get(m.entity)) is not None
                and e.type == "AdministrativeArea" and bool(e.iso) == first_level
                and may_be_called(e, word, rules.grammar)}

    own = units(m for m in ps.mentions if m.end <= at)
    story = ps.story.get(ps.sentence.index)
    before = {} if own else units(m for m in ps.context if 0 < ps.sentence.index - m.sentence <= 2
                                  and ps.story.get(m.sentence) == story)
    found, where = (own, "its sentence names") if own else (before, "the sentences before it name")
    if len(found) != 1:
        return None
    (m,) = found.values()
    return (Mention(at - 4, at + len(token.text), f"the {token.text}", m.entity, ps.sentence.index, "anaphor",
                    f"'the {token.text}' refers back to {m.text}: the only one {where}"),
            f" ('the {token.text}' is {m.text}, named before it)")


def _kind_named_before(token, ps: ParsedSentence, rules: SyntaxRules) -> tuple[Mention, str] | None:
    """ "Police rounded up members of the Texis Cartel, closing in on cartel kingpin X": a bare group noun
    modifying a title (no article, no words of its own) stands for the one group its sentence names before it
    with that noun in its name."""
    noun = token.lemma_.lower()
    if token.dep_ not in ("compound", "nmod") or rules.heads.get(noun) != "CriminalGroup" or \
            list(token.children) or token.text[:1].isupper():
        return None
    at = ps.sentence.start + token.idx
    groups = {m.entity: m for m in ps.mentions if m.end <= at and (e := ps.entities.get(m.entity)) is not None
              and e.type == "CriminalGroup" and noun in fold(e.label).lower().split()}
    if len(groups) != 1:
        return None
    (m,) = groups.values()
    return _referring(ps, at, at + len(token.text), token.text, m.entity,
                      f"'{token.text}' refers back to {m.text}: the only {token.text} its sentence names before it")


def _referring(ps: ParsedSentence, start: int, end: int, text: str, entity_id: str, note: str,
               how: str = "anaphor") -> tuple[Mention, str]:
    """A mention that a word stands for by reference rather than by name, and its note for the parse path."""
    return Mention(start, end, text, entity_id, ps.sentence.index, how, note), f" ({note})"


_PRONOUN_WINDOW = 2  # sentences back a pronoun may reach


def _demonym_country(token, ps: ParsedSentence, lexicon) -> tuple[Mention | None, str]:
    """ "The Brazilian gang PCC", "Mexican criminal groups such as X": a nationality before a criminal group's cue
    noun or name is the group's country."""
    code = lexicon.demonyms.get(token.text)
    head = token.head
    if code is None or token.dep_ != "amod" or not (
            lexicon.syntax.heads.get(head.lemma_.lower()) == "CriminalGroup" or
            (m := ps.at(head)) is not None and m.entity in lexicon.entities and
            lexicon.entities[m.entity].type == "CriminalGroup"):
        return None, ""
    entity_id = _country_entity(code, ps, lexicon)
    if entity_id is None:
        return None, ""
    at = ps.sentence.start + token.idx
    return _referring(ps, at, at + len(token.text), token.text, entity_id,
                      f"'{token.text}' is {lexicon.entities[entity_id].label}: the group's nationality")


def _country_entity(code: str, ps: ParsedSentence, lexicon) -> str | None:
    """The gazetteer's country of an ISO code, made known to the sentence's entities (it may be named nowhere)."""
    entity_id = lexicon.countries.get(code)
    if entity_id is not None:
        ps.entities.setdefault(entity_id, lexicon.entities[entity_id])
    return entity_id


def _sentence_countries(ps: ParsedSentence, lexicon) -> set[str]:
    """The ISO codes of the countries of the places a sentence names."""
    places = [m.entity for m in ps.mentions
              if m.entity in lexicon.entities and lexicon.ontology.is_a(lexicon.entities[m.entity].type, "Region")]
    return {lexicon.country_of(place) for place in places} - {None}


def _story_place(token, ps: ParsedSentence, lexicon) -> tuple[Mention | None, str]:
    """ "The country's two biggest gangs", "the city's most powerful group": a bare "the country" or "the city" as
    the possessor of a criminal group's cue noun is the place its story is about, and so is "the country" after
    "across" or "throughout" ("declared a state of emergency across the country"). The country is the one the story
    names most, when the sentence names no place of another; the city the one place below the first level its
    sentence names before it, else the sentences just before. Not on other nouns ("the country's police" says
    nothing of presence), nor with a word of its own ("the neighbouring country's gangs")."""
    grammar = lexicon.syntax.grammar
    word = token.lemma_.lower()
    country = word in grammar["story_country_nouns"]
    spread = country and token.dep_ == "pobj" and f"{token.head.lower_} the {word}" in grammar["nationwide_phrases"]
    if not (spread or token.dep_ == "poss" and lexicon.syntax.heads.get(token.head.lemma_.lower()) == "CriminalGroup") \
            or not (country or word in grammar["story_city_nouns"]) or \
            [c.lower_ for c in token.children if c.dep_ != "case"] != ["the"]:
        return None, ""
    at = ps.sentence.start + token.idx
    own_story = ps.story.get(ps.sentence.index)
    story = [m for m in ps.context if ps.story.get(m.sentence) == own_story and m.entity in lexicon.entities]
    if country:
        focus = country_focus([m.entity for m in story], lexicon)
        if not focus or not _sentence_countries(ps, lexicon) <= {focus[0]}:
            return None, ""
        entity_id = _country_entity(focus[0], ps, lexicon)
        if entity_id is None:
            return None, ""
        why = "the country its story is about"
    else:
        def cities(found: list[Mention]) -> set[str]:
            return {m.entity for m in found if lexicon.entities[m.entity].type == "AdministrativeArea"
                    and not lexicon.entities[m.entity].iso}

        named = cities([m for m in story if m.sentence == ps.sentence.index and m.end <= at]) or \
            cities([m for m in story if 0 < ps.sentence.index - m.sentence <= _PRONOUN_WINDOW])
        if len(named) != 1:
            return None, ""
        (entity_id,) = named
        why = "the one city named just before"
    start = ps.sentence.start + min(c.idx for c in token.children if c.dep_ != "case")
    return _referring(ps, start, at + len(token.text), f"the {token.text}", entity_id,
                      f"'the {token.text}' is {lexicon.entities[entity_id].label}: {why}")


def _antecedent(token, ps: ParsedSentence, rules: SyntaxRules, fits=None) -> tuple[Mention | None, str]:
    """The one entity a pronoun can stand for: of a class it may name ("he" a person, "its" a group), mentioned in
    its sentence before it or in the two sentences before, within its story, and the only such entity there; an
    unknown person named before it in the sentence (a PERSON the NER saw but no rule kept) makes "he" ambiguous
    too. A newsletter's previous story is no antecedent: "its leader" after a heading is not the last story's
    gang."""
    at = ps.sentence.start + token.idx
    wanted = rules.pronoun_classes[token.lower_]
    own_story = ps.story.get(ps.sentence.index)
    fitting: dict[str, Mention] = {}
    for m in ps.context:
        if m.start >= at:
            break
        if ps.sentence.index - m.sentence > _PRONOUN_WINDOW or m.sentence > ps.sentence.index or \
                ps.story.get(m.sentence) != own_story:
            continue
        entity = ps.entities.get(m.entity)
        if entity and entity.type in wanted:
            fitting[m.entity] = m
    for excluded in _clause_head(token, ps):  # "Los Choneros, with which they fought": "they" are others
        fitting.pop(excluded, None)
    if "Person" in wanted and any(e.label_ == "PERSON" and e.end <= token.i and not ps.at(e.root)
                                  for e in getattr(ps.doc, "ents", ())):
        return None, ""
    why = "the only {} named just before"
    # a possessive's role settles it ("attacks on the army ... in their stronghold": a group's place), not so a
    # reflexive or a subject ("the economy itself")
    narrowed = {e: m for e, m in fitting.items() if fits(ps.entities[e])} if fits and token.tag_ == "PRP$" else {}
    if narrowed and len(narrowed) < len(fitting):
        fitting, why = narrowed, "the only {} named just before that its role can take"
    if len(fitting) > 1:
        candidates = fitting
        fitting, why = _clause_arguments(token, candidates, ps), "the {} its clause's verb takes as subject or object"
        if len(fitting) != 1:
            fitting, why = _in_own_sentence(token, ps, candidates), "the only {} named before it in its sentence"
    if len(fitting) != 1:
        return None, ""
    (m,) = fitting.values()
    entity_type = ps.entities[m.entity].type
    note = f"'{token.text}' refers back to {m.text}: {why.format(entity_type)}"
    return Mention(at, at + len(token.text), token.text, m.entity, ps.sentence.index, "anaphor", note), \
        f" (pronoun, {note})"


def _clause_head(token, ps: ParsedSentence) -> set[str]:
    """The entity a relative clause hangs from, for a subject or object pronoun in that clause after its relative
    pronoun: a pronoun does not stand for the noun its own clause describes ("X, with which they fought", "X, whom
    they accuse"). (resolve.py applies the same to "it", which it resolves before the parse.)"""
    if token.tag_ != "PRP" or token.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
        return set()
    node = token.head
    while node.dep_ != "relcl" and node.dep_ in ("conj", "xcomp", "prep", "pobj", "dobj") and node.head.i != node.i:
        node = node.head
    if node.dep_ != "relcl" or not any(t.tag_ in ("WDT", "WP") for t in node.subtree if t.i < token.i):
        return set()
    head = ps.at(node.head)
    return {head.entity} if head is not None else set()


_CORE = {"nsubj", "nsubjpass", "dobj"}


def _clause_arguments(token, fitting: dict[str, Mention], ps: ParsedSentence) -> dict[str, Mention]:
    """Of several fitting entities, those the verb governing the pronoun takes as its subject or object in this
    sentence (or in apposition to one): in "the court ruled to extradite X's son, Y, after his arrest" "his" is
    Y, the extradited, not X, who is named only as a possessor."""
    verb = token
    while (verb.pos_ not in ("VERB", "AUX") or verb.dep_ == "prep") and verb.head.i != verb.i:
        verb = verb.head  # ("following his arrest": "following" is a preposition, whatever its tag)
    verbs = [verb] + [c for c in verb.children if c.dep_ == "xcomp"]  # "ruled to extradite X"
    arguments = [c for v in verbs for c in v.children if c.dep_ in _CORE and c.i < token.i]
    arguments += [a for c in arguments for a in c.children if a.dep_ == "appos"]
    entities = {m.entity for m in (ps.at(t) for t in arguments) if m is not None}
    return {e: m for e, m in fitting.items() if e in entities}


def _in_own_sentence(token, ps: ParsedSentence, fitting: dict[str, Mention]) -> dict[str, Mention]:
    """Of several candidates, the one a possessive pronoun's own sentence gives: the head of the relative clause
    it stands in ("Los Monos, which ruled the city before its leaders were arrested"), else the only candidate
    named earlier in that sentence ("X, whom the US called a kingpin before his capture")."""
    if token.tag_ != "PRP$":
        return {}
    node = token
    while node.head.i != node.i and node.dep_ != "relcl":
        node = node.head
    if node.dep_ == "relcl" and any(c.lower_ in ("who", "which", "that") and c.dep_ in ("nsubj", "nsubjpass", "dobj")
                                    for c in node.children):
        head = ps.at(node.head)
        if head is not None and head.entity in fitting:
            return {head.entity: head}
    own = {e: m for e, m in fitting.items() if m.sentence == ps.sentence.index}
    return own if len(own) == 1 else {}


def _framed(token, trigger, argument: Argument, ps: ParsedSentence, lexicon) -> tuple[Mention | None, str]:
    """The entity a frame names with the words of `token` ("Interior" in "Interior Minister X", framed "{} Ministry":
    the Interior Ministry): of the country the title names ("Ecuador's", "Paraguayan"), else the one its story
    names (a newsletter's other stories name other countries' ministries), else the story's country when the
    sentence names no place of another country; none when that leaves a choice, nor for the title of a state or a
    province ("the security minister of Buenos Aires province", "Santa Fe's security minister")."""
    owners = [c for c in trigger.children if c.dep_ == "poss"] + \
        [p for c in trigger.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
    if any((m := ps.at(o)) is not None and (e := lexicon.entities.get(m.entity)) is not None
           and e.type == "AdministrativeArea" for o in owners):
        return None, ""
    before = [t for t in token.subtree if t.i <= token.i and (t.i == token.i or t.dep_ in ("compound", "amod"))]
    named = [lexicon.demonyms[t.text] for t in before + list(trigger.children) if t.text in lexicon.demonyms] + \
        [lexicon.country_of(m.entity) for m in (ps.at(c) for c in trigger.children if c.dep_ == "poss") if m
         and lexicon.entities.get(m.entity) and lexicon.entities[m.entity].type == "Country"]
    words = [t for t in before
             if t.pos_ in ("PROPN", "NOUN", "ADJ") and not ps.at(t) and t.text not in lexicon.demonyms]
    if not words or words[-1].i != token.i:
        return None, ""
    # a place of another country in the sentence ("said troops would patrol Táchira") makes the minister that
    # country's as likely as the article's
    sentence_countries = _sentence_countries(ps, lexicon)
    # a newsletter's story lends its minister its own country, not the one its other stories name most
    own_story = ps.story.get(ps.sentence.index)
    in_story = [m.entity for m in ps.context if ps.story.get(m.sentence) == own_story]
    named_in_story = set(in_story)
    focus = country_focus(in_story, lexicon) or country_focus([m.entity for m in ps.context], lexicon)
    text = " ".join(t.text for t in words)
    for frame in argument.frames:
        phrase = frame.format(text)
        refs = {r for h in lexicon.names.find(phrase) if h.start == 0 and h.end == len(phrase) and h.kind != "anaphor"
                for r in h.refs if r in lexicon.entities and
                any(lexicon.ontology.is_a(lexicon.entities[r].type, c) for c in argument.classes)}
        if named:
            fitting = {r for r in refs if lexicon.country_of(r) in named}
            how = f"the country the title names ({', '.join(sorted(set(named)))})"
        else:
            fitting = {r for r in refs if r in named_in_story}
            how = "the one its story names"
            if not fitting and focus and sentence_countries <= {focus[0]}:
                fitting = {r for r in refs if lexicon.country_of(r) == focus[0]}
                how = f"the article's country ({focus[0]})"
        if len(fitting) == 1:
            (entity_id,) = fitting
            start = ps.sentence.start + words[0].idx
            end = ps.sentence.start + token.idx + len(token.text)
            return _referring(ps, start, end, text, entity_id,
                              f"'{text}' frames '{phrase}': {lexicon.entities[entity_id].label}, {how}", how="frame")
    return None, ""


def _fill(argument: Argument, trigger, ps: ParsedSentence, rules: SyntaxRules, entities, ontology,
          taken: set[int], lexicon=None, own_names: bool = False) -> tuple[list[Mention], list[str]]:
    """The mentions an argument's first fitting path reaches, with how each was reached. `own_names`: a state's
    holder coordinated with the one reached must be a name itself, not a noun of another role set beside one, and
    a singular title before a name ("Gulf Clan leader A and B") is only that name's."""
    singular = own_names and trigger.tag_ in ("NN", "NNP")

    def fits(entity: Entity) -> bool:
        return any(ontology.is_a(entity.type, c) for c in argument.classes)

    for path in argument.paths:
        tokens = _follow(trigger, path)
        if not tokens and trigger.dep_ == "conj" and trigger.pos_ == "NOUN" and path and path[0].deps & {"poss"}:
            tokens = _follow(trigger.head, path)  # "his capture and extradition": the shared possessor
        found: list[Mention] = []
        notes: list[str] = []
        single = singular and bool(path) and path[0].up and path[0].deps in ({"compound"}, {"nmod"})
        for token in tokens:
            listed = [t for c in _conjuncts(token) for t in _plural_head_names(c, ps, rules)] \
                if argument.coordinated else [token]
            parsed_list = len(listed)
            if argument.coordinated and own_names and trigger.tag_ in ("NNS", "NNPS"):
                listed += [t for t in _listed_after(token, ps) if t not in listed]
            for n, conjunct in enumerate(listed):
                if own_names and conjunct is not token and (not ps.at(conjunct) or single):
                    continue  # "Gulf Clan leader A and his right-hand man, B" or "leader A and B": B is no leader
                first, first_how = _mention_of(conjunct, ps, rules, fits)
                if first is None and lexicon is not None:
                    first, first_how = _story_place(conjunct, ps, lexicon)
                if first is None and lexicon is not None:
                    first, first_how = _demonym_country(conjunct, ps, lexicon)
                if first is None and argument.frames and lexicon is not None:
                    first, first_how = _framed(conjunct, trigger, argument, ps, lexicon)
                apposed = _listed_appositives(conjunct, ps) if argument.coordinated and first is not None and \
                    first_how.startswith(" (appositive") else []
                both = [(m, first_how) for m in ps.mentions if first is not None and m is not first and
                        (m.start, m.end) == (first.start, first.end)]  # "the two gangs": one phrase, two groups
                listed_note = " (surface: listed after it)" if n >= parsed_list else ""
                for mention, how in [(first, first_how), *both, *apposed]:
                    if mention is None or id(mention) in taken or mention in found:
                        continue
                    entity = entities.get(mention.entity) or \
                        (lexicon.entities.get(mention.entity) if lexicon else None)
                    if entity and fits(entity):
                        found.append(mention)
                        notes.append(f"{'/'.join(map(str, path)) or '.'} '{conjunct.text}'{how}{listed_note}")
        if found:
            return found, notes
    return [], []


_LIST_GAP = re.compile(r"\s*(?:,\s*)?(?:(?P<last>and)\s+)?")


def _plural_head_names(token, ps: ParsedSentence, rules: SyntaxRules) -> list:
    """A plural noun that is no name itself ("the Bajo Cauca and Urabá regions", "the MS13 and Barrio 18 gangs")
    stands for the names that modify it, each with its conjuncts; any other token stands for itself."""
    if token.lower_ not in rules.grammar["plural_name_heads"] or ps.at(token):
        return [token]
    names = [c for c in token.children if c.dep_ in ("nmod", "compound") and ps.at(c)]
    return list(dict.fromkeys(t for n in names for t in _conjuncts(n))) or [token]


def _listed_after(token, ps: ParsedSentence) -> list:
    """The surface fallback for a list the parser broke ("two leaders of the gang named A, alias 'X,' and B":
    the alias between them leaves B hanging from the verb): the names of the same class that follow the token's
    mention with only a comma or "and" between, up to the one after "and". For the holders of a plural noun only."""
    mention = ps.at(token)
    entity = ps.entities.get(mention.entity) if mention else None
    if mention is None or entity is None:
        return []
    text, base = ps.sentence.text, ps.sentence.start
    out: list = []
    for m in [m for m in ps.mentions if m.start >= mention.end]:
        gap = _LIST_GAP.fullmatch(text, mention.end - base, m.start - base)
        other = ps.entities.get(m.entity)
        if gap is None or not gap.group(0) or other is None or other.type != entity.type or \
                text[m.end - base:m.end - base + 2] in ("'s", "’s"):
            break
        out.extend(t for t in ps.doc if ps.sentence.start + t.idx == m.start)
        if gap.group("last"):
            break
        mention = m
    return out


def _reads_target(rule: SyntaxRule, trigger) -> bool:
    """Whether the parse gives the trigger a target, a name or not ("its leaders were arrested"): then the parse
    has read the event, and a surface rule's guess from the nearest name must not stand beside it. A target
    with `unnamed` words counts only as one of them ("troops were deployed", not "guns were sent")."""
    target = rule.arguments.get("target")
    return bool(target and any(t.pos_ in ("NOUN", "PROPN", "PRON", "NUM") and
                               (not target.unnamed or t.lemma_.lower() in target.unnamed)
                               for path in target.paths for t in _follow(trigger, path)))


# A word hanging by one of these from its head is asserted whatever the head's verb: in "X, the mayor of Tumbes,
# denied the reports" the title is no less true for the denial
_ASSERTED = {"appos", "nsubj", "nsubjpass", "compound", "poss"}


def _vetoed(rule: SyntaxRule, trigger, rules: SyntaxRules) -> str | None:
    """Why the trigger's own words keep its reading from being a fact, if they do."""
    g = rules.grammar
    children = list(trigger.children)
    verb = trigger.head if trigger.dep_ in ("xcomp", "acomp", "attr", "oprd") else trigger
    if "negation" in rule.checks and any(c.dep_ == "neg" or c.lemma_.lower() in g["negation"]
                                         for c in children + [c for c in verb.children if c.dep_ == "neg"]):
        return "negated"
    if "negation" in rule.checks and any(c.lower_ in g["negative_adverbs"] or
                                         c.lower_ == "longer" and any(d.lower_ == "no" for d in c.children)
                                         for c in children + list(verb.children)):
        return "negated"  # "no longer controls", "have yet to arrest"
    subjects = [c for c in children + (list(trigger.head.children) if trigger.dep_ == "conj" else [])
                if c.dep_ in ("nsubj", "nsubjpass")]
    if "negation" in rule.checks and any(c.lower_ in g["negative_subjects"] or
                                         any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
                                         for c in subjects):
        return "negated"  # "no one was captured"
    if "modality" in rule.checks and any(c.dep_ == "aux" and c.lemma_.lower() in g["modals"]
                                         for c in children + list(verb.children)):
        return "modal"
    if "hypothetical" in rule.checks:
        if any(c.dep_ == "mark" and c.lemma_.lower() in g["hypothetical_marks"] for c in children):
            return "hypothetical"
        if rule.event and any(c.dep_ == "amod" and (c.lower_ in g["hedging_modifiers"] or
                                                   c.lemma_.lower() in g["hedging_modifiers"]) for c in children):
            return "hypothetical"  # "an attempted murder", "the likely killing of"
        node = trigger
        presupposed = rule.predicate is not None and _presupposed(trigger, g)
        while node.head.i != node.i and node.dep_ not in _ASSERTED and not presupposed:
            node = node.head
            if node.lemma_.lower() in g["hypothetical_heads"] or node.lower_ in rules.hypothetical_words:
                return f"under '{node.text}'"
            aim = next((c for c in node.children if c.dep_ == "nsubj" and c.lemma_.lower() in g["hypothetical_heads"]),
                       None) if node.lemma_ == "be" else None
            if aim is not None:
                return f"under '{aim.text}'"  # "their aim was to capture X", "the goal is to arrest"
            if node.dep_ in ("ROOT",) or node.pos_ == "VERB" and node.dep_ in ("ccomp",):
                break
    if "past" in rule.checks:
        if trigger.tag_ == "VBD" and not any(c.lemma_.lower() in g["perfect_auxiliaries"] for c in children):
            return "past"
        if trigger.dep_ == "acomp" and trigger.head.tag_ == "VBD" and trigger.head.lemma_ == "be":
            return "past"  # "the cartel was active in Peru"
        if any(c.lemma_.lower() in g["past_adverbs"] for c in children):
            return "past"
        if any(c.dep_ == "aux" and c.lower_ == "had" for c in children):
            return "past"  # "had long operated in"
        if trigger.tag_ == "VBN" and any(c.dep_ == "auxpass" and c.tag_ == "VBD" for c in children):
            return "past"  # "where the cartel was based"
        if any(c.dep_ in ("amod", "advmod", "compound") and c.lower_ in g["past_modifiers"] for c in children):
            return "past"  # "the former head of the armed forces", "ex-FARC commander"
    return None


def _presupposed(trigger, grammar) -> bool:
    """A fact's possessed noun after a place preposition ("harassing ranchers in their stronghold", "plans to
    attack soldiers in its heartland") is taken for granted whatever the verb above it: no plan or ability makes it
    hypothetical. Not after "into" ("hopes to turn Arauca into its stronghold"), nor an event's ("plans to strike
    in its offensive")."""
    return trigger.pos_ == "NOUN" and trigger.dep_ == "pobj" and trigger.head.lower_ in grammar["place_prepositions"] \
        and any(c.dep_ == "poss" for c in trigger.children)


def _by_lemma(doc) -> dict[str, list]:
    """A Doc's tokens by lower-case lemma, in text order: each rule looks up its trigger's lemmas, not every token."""
    out: dict[str, list] = {}
    for tok in doc:
        out.setdefault(tok.lemma_.lower(), []).append(tok)
    return out


def _named_tokens(ps: ParsedSentence) -> list:
    """The words of the sentence's names, and the cue noun a name modifies ("the El Rodeo prison"), in text order."""
    inside = {tok.i: tok for tok in ps.doc if ps.at(tok)}
    inside.update({tok.head.i: tok.head for tok in list(inside.values()) if tok.dep_ in ("compound", "amod", "nmod")})
    return [tok for _, tok in sorted(inside.items())]


def _triggers(rule: SyntaxRule, by_lemma: dict[str, list], named: list) -> list:
    """The trigger tokens of a rule: by its lemmas, or for a rule without any, every word of a name (`named`)."""
    t = rule.trigger
    found = [tok for lemma in t.lemmas for tok in by_lemma.get(lemma, ())] if t.lemmas else named
    return [tok for tok in sorted(found, key=lambda tok: tok.i) if (not t.pos or tok.pos_ in t.pos)
            and (not t.deps or tok.dep_ in t.deps)
            and all(any(_follow(tok, path) for path in alternatives) for alternatives in t.with_paths)
            and not any(_follow(tok, path) for path in t.without_paths)]


def find_syntax(parsed: list[ParsedSentence], rules: SyntaxRules, entities: dict[str, Entity], lexicon,
                article) -> tuple[list[Fact], list[Event], set[tuple[str, int]]]:
    """Every fact and event the syntax rules read in the parsed sentences. Also the
    (event class, sentence) pairs where an event trigger was read, whether or not it made an event."""
    facts: list[Fact] = []
    seen: set[tuple[str, int]] = set()
    events: list[Event] = []
    made: set[tuple[str | None, int, int]] = set()
    ontology = lexicon.ontology
    undated_reference = _newest_full_date(article, lexicon.dates)  # once per article, not per dated sentence
    for ps in parsed:
        ps.entities = entities
        dates = None
        by_lemma = _by_lemma(ps.doc)
        named = _named_tokens(ps)
        for rule in rules.triggered(by_lemma):
            for trigger in _triggers(rule, by_lemma, named):
                if rule.predicate:
                    facts.extend(_rule_facts(rule, trigger, ps, rules, entities, lexicon))
                    continue
                vetoed = _vetoed(rule, trigger, rules)
                if rule.event and (vetoed or _reads_target(rule, trigger)):
                    seen.add((rule.event, ps.sentence.index))
                if vetoed:
                    continue
                filled: dict[str, list[Mention]] = {}
                path_notes = [f"trigger '{trigger.text}' ({trigger.lemma_}/{trigger.pos_}/{trigger.dep_})"]
                taken: set[int] = set()
                for name, argument in rule.arguments.items():
                    filled[name], notes = _fill(argument, trigger, ps, rules, entities, ontology, taken, lexicon)
                    taken.update(id(m) for m in filled[name])
                    path_notes.extend(f"{name} {n}" for n in notes)
                path = "; ".join(path_notes)
                if "place" in rule.arguments and not filled.get("place"):
                    filled["place"] = _sentence_place(ps, lexicon, rule, trigger)
                unnamed = {"target"} if rule.arguments.get("target") and rule.arguments["target"].unnamed and \
                    _reads_target(rule, trigger) else set()
                bare = not any(filled.values())  # "in 2015, some 40 people were arrested": kept if dated
                if any(not filled.get(r) and r not in unnamed for r in rule.require) or bare and not unnamed or \
                        rule.require_any and not any(filled.get(r) for r in rule.require_any) and \
                        not ("target" in rule.require_any and _reads_target(rule, trigger)):
                    continue
                if dates is None:
                    dates = _sentence_dates(ps.sentence, lexicon.dates, article, undated_reference)
                if (rule.event, ps.sentence.index, trigger.i) in made:
                    continue  # two rules of one class on one trigger ("seize" by a force, or of goods): one event
                event = _event(rule, filled, ps, trigger, dates, lexicon, path, article, unnamed=bare)
                if event:
                    events.append(event)
                    made.add((rule.event, ps.sentence.index, trigger.i))
    events = [e for e in _in_scene(events, parsed, lexicon) if e.roles or e.date]
    return facts, events, seen


def _rule_facts(rule: SyntaxRule, trigger, ps: ParsedSentence, rules: SyntaxRules, entities, lexicon) -> list[Fact]:
    """The facts a fact rule reads at one trigger. Its arguments are read before the checks on the trigger's words
    (which only keep facts out), and the object only once there is a subject: most triggers of a rule that any
    word of a name triggers give no fact, and the checks cost more than the paths."""
    ontology = lexicon.ontology
    taken: set[int] = set()
    path_notes = [f"trigger '{trigger.text}' ({trigger.lemma_}/{trigger.pos_}/{trigger.dep_})"]
    found: list[Fact] = []
    if rule.symmetric_arguments:  # "a brawl between A and B": pairs of one list
        both, notes = _fill(rule.arguments["subject"], trigger, ps, rules, entities, ontology, taken)
        path = "; ".join(path_notes + [f"both {n}" for n in notes])
        for i, subj in enumerate(both):
            found.extend(_facts(rule, {"subject": [subj], "object": both[i + 1:]}, ps.sentence, path))
    else:
        filled: dict[str, list[Mention]] = {}
        for name, argument in rule.arguments.items():
            filled[name], notes = _fill(argument, trigger, ps, rules, entities, ontology, taken, lexicon,
                                        own_names=str(rule.predicate) in _STATES and name == "subject")
            if not filled[name] and (name == "subject" or not (rule.fixed_object or rule.literal_title)):
                return []  # no fact without its subject, nor without its object unless the rule fixes one
            taken.update(id(m) for m in filled[name])
            path_notes.extend(f"{name} {n}" for n in notes)
        path = "; ".join(path_notes)
        if rule.literal_title:
            title = _title(trigger, ps, rules.grammar["past_modifiers"])
            found.extend(Fact(m.entity, str(rule.predicate), title, ps.sentence, rule.id, rule.confidence,
                              object_is_literal=True, subject_mention=m, parse=path)
                         for m in filled.get("subject", []) if title)
        else:
            found.extend(_facts(rule, filled, ps.sentence, path))
    return found if found and not _vetoed(rule, trigger, rules) else []


_SAME_DAY_REACH = 4  # sentences apart two tellings of one arrest may be


def same_day(events: list[Event]) -> list[Event]:
    """One happening told twice: "on 8 April the lieutenant colonel was arrested in Quito ... the minister announced
    X's arrest on 8 April". An event that names a target but no agent or place takes those of the event of its
    type a few sentences before that names no target and is dated the same day."""
    out: list[Event] = []
    for event in events:
        if event.parse and event.targets and not event.agents and not event.places and event.date and \
                len(event.date) == 10:
            other = next((e for e in reversed(out) if e.parse and e.type == event.type and e.date == event.date
                          and not e.targets
                          and (e.agents or e.places) and
                          0 < event.sentence.index - e.sentence.index <= _SAME_DAY_REACH), None)
            if other is not None:
                taken = tuple((r, m) for r, m in other.roles if r in ("agent", "place"))
                event = replace(event, roles=event.roles + taken, agents=other.agents, places=other.places,
                                parse=f"{event.parse}; agent and place from the {other.type} of the same day told "
                                      f"{event.sentence.index - other.sentence.index} sentence(s) before")
        out.append(event)
    return out


_SUMMARY_REACH = 6  # sentences after a summary of a happening that its details may still be told


_RECENT_DAYS = 90  # days before the publication within which an undated summary's happening may have been


def _dates_agree(summary: str | None, detail: str | None, published: date | None) -> bool:
    """Whether the summary's date and the detail's may be of one happening: one is the other to its precision, or
    the detail has none; a summary told with no date is news, so the detail's must be recent (in the publication's
    year, within _RECENT_DAYS before it when it is a day)."""
    if not detail:
        return True
    if summary:
        return summary.startswith(detail) or detail.startswith(summary)
    if published is None:
        return False
    if len(detail) == 10:
        return 0 <= (published - date.fromisoformat(detail)).days <= _RECENT_DAYS
    return detail[:4] == str(published.year)


def placed_by_summary(events: list[Event], story: dict[int, int], published: date | None) -> list[Event]:
    """One happening told first in summary, then in detail: "the killing of four young people in X has led back
    to... All four were killed, including Y". An event that names its target but no place takes the place of the
    event of its type a few sentences before, in its story, that names a place but no target (its victims or
    detainees unnamed), when their dates agree (see _dates_agree); a summary that names its targets is another
    happening."""
    out: list[Event] = []
    for event in events:
        if event.parse and event.targets and not event.places:
            summaries = [e for e in events if e.parse and e.type == event.type and e.places and not e.targets
                         and story.get(e.sentence.index) == story.get(event.sentence.index)
                         and 0 < event.sentence.index - e.sentence.index <= _SUMMARY_REACH
                         and _dates_agree(e.date, event.date, published)]
            summary = max(summaries, key=lambda e: e.sentence.index, default=None)
            if summary is not None:
                taken = tuple((r, m) for r, m in summary.roles if r == "place")
                event = replace(event, roles=event.roles + taken, places=summary.places,
                                parse=f"{event.parse}; place from the {summary.type} told in summary "
                                      f"{event.sentence.index - summary.sentence.index} sentence(s) before")
        out.append(event)
    return out


_SCENE_EVENTS = {"Arrest", "Seizure"}


def _scenes(parsed: list[ParsedSentence], lexicon) -> list[tuple[Sentence, list[Mention], list[Mention], str]]:
    """The operations that set a scene: (sentence, agents, places, how) for "the operation took place in A and B",
    "the raids were carried out in A", "the FELCN carried out raids across the country"."""
    g, ontology = lexicon.syntax.grammar, lexicon.ontology
    out = []
    for ps in parsed:
        for token in ps.doc:
            if token.pos_ != "NOUN" or token.lemma_.lower() not in g["operation_nouns"]:
                continue
            verb, lemma = token.head, token.head.lemma_.lower()
            if lemma not in g["operation_verbs"] or lemma == "carry" and not any(c.lower_ == "out"
                                                                                 for c in verb.children):
                continue
            if lemma == "take":
                told = token.dep_ == "nsubj" and any(c.dep_ == "dobj" and c.lemma_ == "place" for c in verb.children)
            elif lemma in ("occur", "happen", "unfold"):
                told = token.dep_ == "nsubj"
            else:
                told = token.dep_ in ("dobj", "nsubjpass")
            if not told:
                continue
            places: list[Mention] = []
            for prep in [c for c in list(verb.children) + list(token.children) if c.dep_ == "prep"
                         and c.lower_ in ("in", "across", "throughout")]:
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    nested = {t.i for c in pobj.children if c.dep_ == "prep" for t in c.subtree}
                    for word in (t for t in pobj.subtree if t.i not in nested):
                        mention = ps.at(word)
                        entity = ps.entities.get(mention.entity) if mention else None
                        if mention and entity and ontology.is_a(entity.type, "Region") and mention not in places:
                            places.append(mention)
            agents = []
            for child in verb.children:
                subject = child if child.dep_ == "nsubj" and token.dep_ == "dobj" else \
                    next((c for c in child.children if c.dep_ == "pobj"), None) if child.dep_ == "agent" else None
                mention = _mention_of(subject, ps, lexicon.syntax)[0] if subject is not None else None
                entity = ps.entities.get(mention.entity) if mention else None
                if mention and entity and entity.type in ("SecurityForce", "GovernmentBody"):
                    agents.append(mention)
            if places or agents:
                out.append((ps.sentence, agents, places, f"'{token.text}' {verb.text}"))
    return out


def _in_scene(events: list[Event], parsed: list[ParsedSentence], lexicon) -> list[Event]:
    """Arrests and seizures told just before or after an operation's sentence ("Soldiers detained 20 people and
    seized rifles. The operation took place in A"), in its paragraph or across one paragraph break, take the
    agent and places it names where they have none of their own; a bare generic agent may be that agent
    (_narrower_agents)."""
    scenes = _scenes(parsed, lexicon)
    if not scenes:
        return events
    out = []
    for event in events:
        s = event.sentence
        scene = next((sc for sc in scenes if event.type in _SCENE_EVENTS and abs(sc[0].index - s.index) <= 1
                      and abs(sc[0].paragraph - s.paragraph) <= 1 and sc[0].index != s.index), None)
        if scene is not None:
            _, agents, places, how = scene
            agents = _of_its_countries(agents, event, lexicon)
            narrower = _narrower_agents(event, agents, lexicon)
            if narrower:
                generic = next(m.text for r, m in event.roles if r == "agent")
                event = replace(event, roles=tuple(r for r in event.roles if r[0] != "agent") +
                                tuple(("agent", m) for m in narrower), agents=tuple(m.entity for m in narrower),
                                parse=f"{event.parse}; agent '{generic}' is the force of the operation of the "
                                      f"sentence {'before' if scene[0].index < s.index else 'after'} ({how})")
            actors = [as_actor("agent", m, lexicon) for m in agents if not event.agents]
            added = [("agent", m) for m in actors if m is not None] + \
                [("place", m) for m in places if not event.places]
            if added:
                roles = event.roles + tuple(added)
                event = replace(event, roles=roles, agents=event.agents or tuple(m.entity for r, m in added
                                                                                 if r == "agent"),
                                places=event.places or tuple(m.entity for r, m in added if r == "place"),
                                parse=f"{event.parse}; {'/'.join(sorted({r for r, _ in added}))} from the "
                                      f"operation of the sentence {'before' if scene[0].index < s.index else 'after'} "
                                      f"({how})")
        out.append(event)
    return out


def _of_its_countries(agents: list[Mention], event: Event, lexicon) -> list[Mention]:
    """The operation's forces that can act where the event is placed: a country's force is not the agent of an
    arrest in another country ("the Federal Police raided a warehouse in São Paulo. X was captured in Cúcuta")."""
    where = {lexicon.country_of(p) for p in event.places} - {None}
    return [m for m in agents if not where or lexicon.country_of(m.entity) in where | {None}]


def _narrower_agents(event: Event, agents: list[Mention], lexicon) -> list[Mention]:
    """"FELCN carried out raids... police seized 40 vehicles": a bare generic agent ("police", read as the
    country's police) is the force the operation beside it names when that force is of the same country and its
    own generic words end in the same noun ("anti-drug police"); another kind of force ("the army") or another
    country's stays apart."""
    own = [m for r, m in event.roles if r == "agent"]
    if len(own) != 1 or own[0].how != "generic":
        return []
    word = own[0].text.lower().split()[-1]
    country = lexicon.entities[own[0].entity].country if own[0].entity in lexicon.entities else None
    return [m for m in agents if m.entity != own[0].entity and (e := lexicon.entities.get(m.entity)) is not None
            and country and e.country == country and any(g.lower().split()[-1] == word for g in e.generic)][:1]


def _newest_full_date(article, rules: DateRules) -> date | None:
    """In an article without a publication date, the newest full date it writes (an embedded post's "February 4,
    2017"): the nearest thing to a publication date it has (None for a dated article, or one with no full date)."""
    if article.published is not None:
        return None
    full = [d.value for d in find_dates(article.text, rules, None) if len(d.value) == 10]
    return date.fromisoformat(max(full)) if full else None


def _sentence_dates(sentence: Sentence, rules: DateRules, article, reference) -> list:
    """The sentence's dates, with the days it names by reference to an earlier date of its paragraph ("the same
    day", kg.knowledge.dates.anaphoric_dates); in an article without a publication date, a month's name with no
    year ("on February 4") takes the year of `reference` (_newest_full_date). Weekdays and "last year" stay
    unresolved there."""
    found = find_dates(sentence.text, rules, article.published, offset=sentence.start)
    before = article.text[article.paragraphs[sentence.paragraph].start:sentence.start]
    found = sorted(found + anaphoric_dates(sentence.text, before, rules, article.published or reference,
                                           offset=sentence.start), key=lambda d: d.start)
    if article.published is not None or reference is None:
        return found
    known = {d.start for d in found}
    extra = [d for d in find_dates(sentence.text, rules, reference, offset=sentence.start)
             if d.start not in known and any(w in rules.months for w in re.findall(r"[a-zé]+", d.text.lower()))]
    return sorted(found + extra, key=lambda d: d.start)


_TITLE_PARTS = {"compound", "amod", "nmod"}


def _title(trigger, ps: ParsedSentence, past_modifiers: frozenset[str]) -> str:
    """A title's own words: its modifiers before it ("former security minister") and an "of" phrase after it
    that names no person ("mayor of Metapan"); possessors, articles and names stay out, but not a "former"
    before a name (`past_modifiers`)."""
    left = trigger.i
    for child in sorted(trigger.lefts, key=lambda t: -t.i):
        if child.dep_ in _TITLE_PARTS and child.i == left - 1 and not ps.at(child) or \
                child.dep_ in _TITLE_PARTS and child.i == left - 1 and child.pos_ != "PROPN":
            left = child.i
            while left > 0 and ps.doc[left - 1].dep_ in _TITLE_PARTS and ps.doc[left - 1].head.i >= left and \
                    not ps.at(ps.doc[left - 1]):
                left -= 1
    right = trigger.i + 1
    for child in trigger.rights:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == trigger.i + 1:
            words = list(child.subtree)
            named = [ps.entities.get(m.entity) for m in (ps.at(w) for w in words) if m is not None]
            if len(words) <= 7 and not any(w.pos_ in ("VERB", "AUX") for w in words) and \
                    not any(e is not None and e.type in ("Person", "CriminalGroup") for e in named):
                right = words[-1].i + 1
        break
    past = [c.text for c in trigger.lefts if c.i < left and c.lower_ in past_modifiers]
    return " ".join(past + [ps.doc[left:right].text])  # "a former Gulf Clan commander": a former commander


def drop_ended(facts: list[Fact], parsed: list[ParsedSentence], rules: SyntaxRules) -> list[Fact]:
    """A state whose holder the parse shows ended ("the removal of President X", "the late leader Y") is no
    present fact, whichever rule read it."""
    where = {ps.sentence.index: ps for ps in parsed}
    ended = rules.grammar["ended_heads"]
    out = []
    for fact in facts:
        ps = where.get(fact.sentence.index)
        mention = fact.subject_mention
        if ps is None or mention is None or fact.predicate not in _STATES:
            out.append(fact)
            continue
        tokens = [t for t in ps.doc if mention.start <= ps.sentence.start + t.idx < mention.end]
        root = next((t for t in tokens if t.head not in tokens or t.head.i == t.i), None)
        node, hops, stop = root, 0, False
        while node is not None and node.head.i != node.i and hops < 3 and node.dep_ in ("pobj", "prep", "compound"):
            node, hops = node.head, hops + 1
            stop = stop or node.lemma_.lower() in ended
        if not stop and root is not None:
            stop = any(c.lemma_.lower() in ended for c in root.children if c.dep_ == "amod")
        if not stop:
            out.append(fact)
    return out


_STATES = {"holdsPosition", "leaderOf", "memberOf", "operatesIn"}


def _facts(rule: SyntaxRule, filled: dict[str, list[Mention]], sentence: Sentence, path: str) -> list[Fact]:
    out = []
    for subj in filled.get("subject", []):
        if rule.fixed_object:
            out.append(Fact(subj.entity, str(rule.predicate), rule.fixed_object, sentence, rule.id, rule.confidence,
                            subject_mention=subj, parse=path))
            continue
        for obj in filled.get("object", []):
            if subj.entity != obj.entity:
                out.append(Fact(subj.entity, str(rule.predicate), obj.entity, sentence, rule.id, rule.confidence,
                                subject_mention=subj, object_mention=obj, parse=path))
    return out


def _when_date(trigger, dates, sentence: Sentence, date_words: frozenset[str]) -> list:
    """The date a "when" clause hangs from, for a trigger inside that clause ("until last year, when the measure
    was lifted following the capture": the date word it qualifies, or the date of the clause it depends on)."""
    node = trigger
    while node.head.i != node.i and not (node.dep_ in ("relcl", "advcl") and
                                         any(c.dep_ == "advmod" and c.lower_ == "when" for c in node.children)):
        node = node.head
    if node.head.i == node.i:
        return []
    head = node.head
    at = sentence.start + head.idx
    if node.dep_ == "relcl" and (head.lemma_.lower() in date_words or any(d.start <= at < d.end for d in dates)):
        # ("the year when", or a date itself: "back to December 2020, when X was killed")
        spans = [(head.left_edge.idx, head.idx + len(head.text))]
    elif node.dep_ == "advcl":
        spans = [(t.idx, t.idx + len(t.text)) for t in _clause_tokens(head)]
    else:
        return []
    return [d for d in dates if any(low <= d.start - sentence.start < high for low, high in spans)]


_OTHER_CLAUSES = {"relcl", "acl", "advcl", "ccomp", "parataxis", "conj"}


def _own_words(trigger) -> list:
    """A noun trigger's own words, not those of a noun coordinated with it ("his capture in Colombia and
    extradition in 2008": 2008 is the extradition's)."""
    beside = {t.i for c in trigger.children if c.dep_ == "conj" for t in c.subtree}
    return [t for t in trigger.subtree if t.i not in beside]


def _clause_tokens(trigger) -> list:
    """The words of the trigger's own clause: its nearest verbal ancestor's subtree without the clauses hanging
    from it ("police detained X, whose father was killed in 2013": 2013 is not the arrest's year)."""
    node = trigger
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    # a noun's own words ("attacks that began on 31 May")
    out = _own_words(trigger) if node.i != trigger.i else []
    skip: set[int] = {t.i for t in out}
    for token in node.subtree:
        if token.i in skip:
            continue
        if token.i != node.i and token.dep_ in _OTHER_CLAUSES and \
                not token.left_edge.i <= trigger.i <= token.right_edge.i:
            skip.update(t.i for t in token.subtree)
            continue
        out.append(token)
    return out


def _enclosing(trigger) -> list[list]:
    """The words of each clause above the trigger's own, nearest first, that also speak of it: the clause it is
    an argument of ("on 14 October, members of the ELN are believed to have ambushed"), and only the opening
    words of one it is coordinated with or subordinate to ("on 8 April police seized X, while Y was arrested";
    not "was arrested in 2017 and extradited"). Reported speech, relative clauses and the clauses beside it on
    the way up stay out: their dates and places are their own."""
    node = trigger
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    levels: list[list] = []
    while node.head.i != node.i and (node.dep_ not in ("ccomp", "parataxis", "relcl", "acl") or
                                     node.dep_ == "acl" and node.sent.root.pos_ in ("NOUN", "PROPN")):
        # (in a sentence rooted on a noun, a verb hanging by "acl" is the main verb the parser missed: "on 15
        # February, gunmen from the faction rolled into Caborca")
        came, node = node, node.head
        # "moved in on Saturday to arrest X": a clause of purpose happens when its head does
        opening_only = came.dep_ in ("advcl", "conj") and not _purpose(came)
        words = [node]
        for child in node.children:
            if child.i == came.i or child.dep_ in _OTHER_CLAUSES or opening_only and child.i > node.i:
                continue
            words.extend(child.subtree)
        levels.append(words)
    return levels


def _purpose(clause) -> bool:
    """Whether a clause is an infinitive of purpose ("to arrest X", "in order to seize Y")."""
    return clause.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)


def _dates_in(dates, tokens, sentence: Sentence) -> list:
    return [d for d in dates if any(t.idx <= d.start - sentence.start < t.idx + len(t.text) for t in tokens)]


_PARAGRAPH_REACH = 2  # sentences back in its paragraph an event without a date of its own may take one from
_REPORTING_REACH = 6  # words after that date within which a reporting verb makes it the date of a statement
_WORD = re.compile(r"[\w'-]+")


def _paragraph_date(sentence: Sentence, article, rules, reporting: frozenset[str],
                    temporal: frozenset[str]) -> str | None:
    """The last date of the one or two sentences before, in the same paragraph ("On October 16 the group was
    leaving a party... All four were killed"); a date of another paragraph is another story's, one a reporting
    verb follows ("On March 4, the minister announced...") is when it was told, not when it happened, and one after
    a temporal preposition (`temporal`: "the town she had governed since last May") bounds a state."""
    if article is None or sentence.paragraph >= len(article.paragraphs):
        return None
    start = article.paragraphs[sentence.paragraph].start
    before = article.text[start:sentence.start]
    cut = len(before)
    for _ in range(_PARAGRAPH_REACH):  # back over two sentence ends at most
        end = max(before.rfind(". ", 0, cut - 1), before.rfind("? ", 0, cut - 1), before.rfind("! ", 0, cut - 1))
        if end < 0:
            cut = 0
            break
        cut = end
    found = [d for d in find_dates(before[cut:], rules, article.published)
             if not {w.lower() for w in _WORD.findall(before[cut:cut + d.start])[-2:]} & temporal]  # "since last May"
    if not found:
        return None
    following = _WORD.findall(before[cut + found[-1].end:])[:_REPORTING_REACH]
    return None if any(word.lower() in reporting for word in following) else found[-1].value


def _timed_apart(trigger, grammar) -> bool:
    """Whether a noun trigger hangs from a preposition that sets it at another time than its clause ("linked to
    X between 1999 and 2003, before his capture"): its date is then only in its own words."""
    node = trigger
    while node.dep_ in ("pobj", "conj") and node.head.i != node.i:
        node = node.head
        if node.dep_ == "prep" and node.lower_ in grammar["temporal_prepositions"]:
            return True
    return False


def _told_in_past(trigger) -> bool:
    """Whether the trigger's clause is in the simple past ("were killed", "was carried out"), as a happening
    told just after the sentence that dated it; a perfect ("has sent") or pluperfect may be of any time."""
    node = trigger
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return node.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" and c.lemma_ == "be"
                                     for c in node.children)


def _event(rule: SyntaxRule, filled, ps: ParsedSentence, trigger, dates, lexicon, path: str,
           article=None, unnamed: bool = False) -> Event | None:
    """The event, or None when it holds nothing to state: no role, and (for one whose target the parse read
    with no name: "in 2015, some 40 people were arrested") no date of its own sentence."""
    sentence = ps.sentence
    grammar = lexicon.syntax.grammar
    apart = _timed_apart(trigger, grammar)
    inside = _dates_in(dates, _own_words(trigger) if apart else _clause_tokens(trigger), sentence)
    if not inside:  # "until last year, when the measure was lifted following the capture": the year's
        inside = _when_date(trigger, dates, sentence, grammar["date_words"])
    for words in ([] if inside or apart else _enclosing(trigger)):
        inside = _dates_in(dates, words, sentence)
        if inside:
            path += f"; date from the clause above ({words[0].text})"
            break
    at = sentence.start + trigger.idx
    date = min(inside, key=lambda d: abs(d.start - at)).value if inside else None
    # (a sentence with a date expression of its own, even one left unresolved, takes none from before)
    if date is None and not unnamed and not lexicon.dates.pattern().search(sentence.text) and not apart and \
            article is not None and _told_in_past(trigger) and \
            not any(t.lower_ in grammar["relative_time_words"] for t in ps.doc):
        date = _paragraph_date(sentence, article, lexicon.dates, grammar["reporting_verbs"],
                               grammar["temporal_prepositions"])
        if date:
            path += "; date from the sentence before, in its paragraph"
    roles = []
    for role in ("agent", "target", "place"):
        for mention in filled.get(role, []):
            actor = as_actor(role, mention, lexicon)
            if actor is not None:
                roles.append((role, actor))
    if not roles and not unnamed:
        return None  # (a bare one, "five people were arrested", waits for a date or an operation's scene)
    ids = lambda role: tuple(m.entity for r, m in roles if r == role)  # noqa: E731
    return Event(str(rule.event), sentence, rule.id, rule.confidence, trigger.text, agents=ids("agent"),
                 targets=ids("target"), places=ids("place"), date=date, roles=tuple(roles), parse=path)


def _sentence_place(ps: ParsedSentence, lexicon, rule: SyntaxRule, trigger) -> list[Mention]:
    """No place on the rule's paths: the first region named after a place preposition ("in", "near", "at") in
    the trigger's own clause, else in a clause above it that speaks of it (see _enclosing); a place in reported
    speech, a relative clause or a clause beside it is another happening's."""
    classes = rule.arguments["place"].classes
    clause = _clause_tokens(trigger)
    # "detained X on 16 May when he was stopped at a checkpoint in Y": a "when" clause in the trigger's own
    # clause sets its scene
    openers = lexicon.syntax.grammar["scene_adverbs"]
    scene = [t for c in (c for token in clause for c in token.children)
             if c.dep_ in ("advcl", "relcl") and any(d.dep_ in ("advmod", "mark") and d.lower_ in openers
                                                      for d in c.children) for t in c.subtree]
    # "the former leader of the faction in Ceará was killed": a place inside the subject's "of" phrase is where
    # what the subject belongs to is, not where the clause happened
    belonging = {t.i for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass") for p in c.subtree
                 if p.dep_ == "prep" and p.lower_ == "of" for t in p.subtree}
    for words in [clause, scene] + _enclosing(trigger):
        for token in sorted(words, key=lambda t: t.i):
            if token.i in belonging:
                continue
            if token.dep_ == "pobj" and token.head.lemma_.lower() in lexicon.syntax.grammar["place_prepositions"]:
                mention, _ = _mention_of(token, ps, lexicon.syntax)
                entity = lexicon.entities.get(mention.entity) if mention else None
                if mention is not None and entity and any(lexicon.ontology.is_a(entity.type, c) for c in classes):
                    return [replace(mention, resolution=mention.resolution or
                                    f"'{mention.text}' is the place the clause names, off the rule's paths")]
    return []


def carry_over(events: list[Event], lexicon, window: int = 2) -> list[Event]:
    """"Police arrested four on Monday. Those detained included X": a syntax event whose rule carries a role over
    and that has none takes it from the event of its type a sentence or two before (an agent, only a force that
    can act where the event is placed: _of_its_countries)."""
    by_id = {r.id: r for r in lexicon.syntax}
    out: list[Event] = []
    for event in events:
        rule = by_id.get(event.rule)
        for role in (rule.carry_over if rule else ()):
            if getattr(event, f"{role}s"):
                continue
            previous = next((e for e in reversed(out) if e.type == event.type and getattr(e, f"{role}s")
                             and 0 < event.sentence.index - e.sentence.index <= window), None)
            if previous is None:
                continue
            carried = tuple((r, m) for r, m in previous.roles if r == role)
            values = getattr(previous, f"{role}s")
            if role == "agent":
                kept = _of_its_countries([m for _, m in carried], event, lexicon)
                if len(kept) < len(carried):
                    carried = tuple((r, m) for r, m in carried if m in kept)
                    values = tuple(dict.fromkeys(m.entity for _, m in carried))
            if carried:
                event = replace(event, roles=event.roles + carried, **{f"{role}s": values},
                                parse=f"{event.parse}; {role} carried over from the {event.type} of the sentence "
                                      f"before")
        out.append(event)
    return out


def implied_by_syntax(event: Event, rules: SyntaxRules, types: dict[str, str] | None = None) -> list[Fact]:
    """The facts a syntax event's rule implies between its roles (an arrest: agent `arrested` target; a force
    that sends troops sends its own: "the Navy sent troops to Tumaco", the Navy is deployed)."""
    rule = next(r for r in rules if r.id == event.rule)
    out = []
    for predicate, subject_roles, object_role, classes in rule.implies:
        fitting = [role for role in subject_roles if any(
            r == role and (not classes or (types or {}).get(m.entity) in classes) for r, m in event.roles)]
        if not fitting:
            continue
        for _, subj in (r for r in event.roles if r[0] == fitting[0] and
                        (not classes or (types or {}).get(r[1].entity) in classes)):
            for _, obj in (r for r in event.roles if r[0] == object_role):
                if subj.entity != obj.entity:
                    out.append(Fact(subj.entity, predicate, obj.entity, event.sentence, f"{rule.id}.implies",
                                    rule.confidence, subject_mention=subj, object_mention=obj, parse=event.parse))
    return out
