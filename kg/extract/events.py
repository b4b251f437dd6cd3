"""Event rules (ontology/patterns/events.yaml): a trigger, then roles filled from the mentions around it,
dates from the sentence's date expressions, and the direct facts an event implies (an arrest: `arrested`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kg.extract.relations import Masked, vetoed
from kg.knowledge.dates import find_dates
from kg.knowledge.event_rules import ROLES, EventRule, Role
from kg.knowledge.literals import LiteralGate, finditer
from kg.model import Event, Fact, Mention, Sentence

__all__ = ["find_events", "carry_over_agents", "implied_facts", "as_actor"]
_TOKEN = re.compile(r"⟦([A-Za-z]+)#(\d+)⟧")
_BY = re.compile(r"^\s*(?:\S+\s+){0,2}?by\s+(⟦[A-Za-z]+#\d+⟧)")
_LOWER_WORD = re.compile(r"[a-z][\w'-]*")


@dataclass(frozen=True)
class _Surface:
    """The surface patterns the event rules need, made from the grammar words (patterns/grammar.yaml) and the
    duration units (patterns/dates.yaml)."""

    passive: re.Pattern[str]  # "was arrested", "were later detained"
    auxiliary: re.Pattern[str]  # the words between a subject and its verb ("has also")
    link: re.Pattern[str]  # what joins two names of one list (", alias "X", and")
    along: re.Pattern[str]  # "A, whose father..., along with B": B is coordinated with A past the clause
    clause_end: re.Pattern[str]  # a date or name past one of these belongs to another clause
    own_verb: re.Pattern[str]  # a name before one of these is the subject of its own verb ("X had been..., and")
    duration: re.Pattern[str] | None  # "60-day"
    units: dict[str, int]


_SURFACE: dict[tuple[int, int], _Surface] = {}


def _alt(words) -> str:
    return "|".join(re.escape(w).replace("\\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def _surface(lexicon) -> _Surface:
    g, dates = lexicon.syntax.grammar, lexicon.dates
    key = (id(g), id(dates))
    if key not in _SURFACE:
        alias = rf'(?:,? (?:{_alt(g["alias_cues"])}) ["“][^"”⟦]{{1,40}}["”],?)?'
        joined = [c for c in g["conjunctions"] if " " in c]
        units = dict(dates.duration_units)
        _SURFACE[key] = _Surface(
            passive=re.compile(rf"(?i)\b(?:{_alt(g['passive_auxiliaries'])})\s+(?:\w+\s+)?"
                               r"(?:\w+ed\b(?:\s+[^\s⟦]+){0,4}\s+and\s+)?$"),
            auxiliary=re.compile(rf"(?i)(?:\s+(?:{_alt(g['passive_auxiliaries'] | g['subject_fillers'])}))+\s*$"),
            link=re.compile(rf"^{alias}(?:,|{'|'.join(f',? {_alt([c])}' for c in sorted(g['conjunctions']))})"
                            r"(?: [a-z][\w-]*){0,2} $"),
            along=re.compile(rf",\s+(?:{_alt(joined)})\s+$") if joined else re.compile(r"(?!)"),
            clause_end=re.compile(rf'(?i),["”’]? (?:{_alt(g["clause_openers"])})\b|;| - | – '),
            own_verb=re.compile(rf"(?i)\b(?:{_alt(g['passive_auxiliaries'] | g['reporting_verbs'])})\b"),
            duration=re.compile(rf"(?i)\b(\d{{1,3}})[- ]({_alt(units)})s?\b") if units else None,
            units=units)
    return _SURFACE[key]


def _subject_limit(masked: Masked, start: int, surface: _Surface) -> int:
    """Where the subject of a verb at `start` ends: before a parenthetical ", ... ," right before the verb."""
    head = surface.auxiliary.sub("", masked.text[:start].rstrip()).rstrip()
    if not head.endswith(","):
        return start
    opening = head.rfind(",", 0, len(head) - 1)
    return opening if opening > 0 else start


def _after(words: frozenset[str], before: str) -> bool:
    """Whether `before` ends in one of `words` and at most four lower-case words after it ("in the town of")."""
    for word in reversed(before.split()[-5:]):
        if word.lower() in words:
            return True
        if not _LOWER_WORD.fullmatch(word):
            return False
    return False


def _fill(role: Role, side: str, start: int, end: int, masked: Masked, taken: set[int], surface: _Surface,
          by_only: bool = False, verb_at: int | None = None) -> list[int]:
    tokens = [t for t in masked.slots if t[2] in role.types and t[3] not in taken]
    if role.by or by_only:
        by = _BY.match(masked.text[end:])
        if by:
            named = _TOKEN.match(by.group(1))
            if named and named.group(1) in role.types and int(named.group(2)) not in taken:
                return [int(named.group(2))]
    if by_only:
        return []
    if side == "before":
        limit = _subject_limit(masked, start, surface)
        candidates = [t for t in tokens if t[1] <= limit][::-1] or [t for t in tokens if t[1] <= start][::-1]
        # a name alone between the commas the subject limit skipped ("the cartel's co-founder, X, was arrested")
        # still counts for a role that prefers its class; a longer parenthetical names others
        skipped = [t for t in masked.slots if limit < t[1] <= start]
        if len(skipped) == 1 and masked.text[limit:skipped[0][0]].strip() == "," and \
                any(skipped[0][2] in group for group in role.prefer) and skipped[0] in tokens:
            candidates = skipped + candidates
        if verb_at is not None:
            # the subject of a passive verb ends at its auxiliary: a name with a verb of its own or a speaker's
            # between it and that auxiliary ("X had been her friend and her husband was killed") is not it
            candidates = [t for t in candidates if not surface.own_verb.search(
                masked.text[t[1]:min(limit, verb_at) if t[1] <= limit else verb_at])]
    else:
        boundary = surface.clause_end.search(masked.text, end)
        stop = boundary.start() if boundary else len(masked.text)
        candidates = [t for t in tokens if end <= t[0] < stop and
                      (not role.after_words or _after(role.after_words, masked.text[max(0, t[0] - 80):t[0]]))]
    for group in role.prefer:
        preferred = [t for t in candidates if t[2] in group]
        if preferred:
            candidates = preferred
            break
    if not candidates:
        return []
    chosen = [candidates[0]]
    if role.many:
        for token in tokens:
            between = masked.text[chosen[-1][1]:token[0]]
            if token[0] > chosen[-1][1] and (surface.link.match(between) or
                                             (side == "after" and surface.along.search(between))):
                chosen.append(token)
        for token in reversed(tokens):
            if token[1] < chosen[0][0] and surface.link.match(masked.text[token[1]:chosen[0][0]]):
                chosen.insert(0, token)
    return [t[3] for t in chosen]


def find_events(sentence: Sentence, masked: Masked, rules: LiteralGate[EventRule], lexicon, article) -> list[Event]:
    """Events of one sentence, with the mention behind each role."""
    events: list[Event] = []
    dates = None
    surface = _surface(lexicon)
    for rule, starts in rules.candidates(masked.text):
        if rule.blockers and rule.blockers.search(sentence.text):
            continue
        for trigger in finditer(rule.trigger, masked.text, starts):
            start, end = trigger.span()
            if vetoed(masked.text, start, end, rule.checks, lexicon.cues):
                continue
            passive = surface.passive.search(masked.text[:start])
            filled: dict[str, list[int]] = {}
            taken: set[int] = set()
            for name, role in sorted(rule.roles.items(), key=lambda kv: kv[0] != "place"):
                side = role.side
                swapped = passive is not None and name in rule.passive
                if swapped:
                    side = "after" if side == "before" else "before"
                filled[name] = _fill(role, side, start, end, masked, taken, surface, by_only=swapped and role.by,
                                     verb_at=passive.start() if passive and swapped else None)
                taken.update(filled[name])
            if any(not filled.get(r) for r in rule.require if r not in rule.carry_over):
                continue
            if rule.require_any and not any(filled.get(r) for r in rule.require_any):
                continue
            if dates is None:
                dates = find_dates(sentence.text, lexicon.dates, article.published, offset=sentence.start)
            event = _event(rule, sentence, masked, filled, trigger.group(0), dates, lexicon,
                           masked.offsets[start] if start < len(masked.offsets) else sentence.start, surface)
            if not any(_same(event, other) for other in events):
                events.append(event)
    return events


def as_actor(role: str, mention: Mention, lexicon) -> Mention | None:
    """A country as agent or target acts through its government ("Peru declared a state of emergency"): only
    actors fill those roles; a country without a government in the gazetteer leaves its role (None)."""
    entity = lexicon.entities.get(mention.entity)
    if role == "place" or entity is None or entity.type != "Country":
        return mention
    government = lexicon.government_of(mention.entity)
    return replace(mention, entity=government, resolution=(
        f"'{mention.text}' read as {lexicon.entities[government].label}: a country acts through its "
        f"government")) if government else None


def _same(a: Event, b: Event) -> bool:
    return (a.type, a.agents, a.targets, a.places, a.date) == (b.type, b.agents, b.targets, b.places, b.date)


def _same_clause(sentence: Sentence, at: int, other: int, surface: _Surface) -> bool:
    """Whether no clause boundary (", whose", ", after", ";" ...) stands between two offsets of the sentence: in
    "Police detained X, whose father was killed in 2013" the year is the killing's, not the arrest's."""
    low, high = sorted((at - sentence.start, other - sentence.start))
    return not surface.clause_end.search(sentence.text, low, high)


def _follows(cues: tuple[str, ...], lead: str) -> bool:
    words = lead.split()
    return any(words[-len(c.split()):] == c.lower().split() for c in cues)


def _event(rule: EventRule, sentence: Sentence, masked: Masked, filled: dict[str, list[int]], trigger: str,
           dates, lexicon, trigger_at: int, surface: _Surface) -> Event:
    date_rules = lexicon.dates
    date = start_date = end_date = None
    plain = []
    for d in dates:
        lead = sentence.text[max(0, d.start - sentence.start - 16):d.start - sentence.start].lower()
        if rule.lasting and _follows(date_rules.start_cues, lead):
            start_date = start_date or d.value
        elif rule.lasting and _follows(date_rules.end_cues, lead):
            end_date = end_date or d.value
        else:
            plain.append(d)
    plain = [d for d in plain if _same_clause(sentence, trigger_at, d.start, surface)]
    if plain:
        date = min(plain, key=lambda d: abs(d.start - trigger_at)).value
    duration = surface.duration.search(sentence.text) if rule.lasting and surface.duration else None
    days = int(duration.group(1)) * surface.units[duration.group(2).lower()] if duration else None
    actors = ((role, as_actor(role, masked.mentions[i], lexicon)) for role in ROLES for i in filled.get(role, []))
    roles = tuple((role, mention) for role, mention in actors if mention)

    def ids(role: str) -> tuple[str, ...]:
        return tuple(m.entity for r, m in roles if r == role)

    return Event(rule.type, sentence, rule.id, rule.confidence, trigger, agents=ids("agent"),
                 targets=ids("target"), places=ids("place"), date=date, start_date=start_date, end_date=end_date,
                 duration_days=days, roles=roles)


def carry_over_agents(events: list[Event], rules, window: int = 2) -> list[Event]:
    """'Police also detained X' after 'Police arrested four': a rule's `carry_over` roles left empty take the
    value of the previous event of the same type a sentence or two before; events still missing a required
    role are dropped."""
    by_id = {r.id: r for r in rules}
    out: list[Event] = []
    for event in events:
        rule = by_id[event.rule]
        for role in rule.carry_over:
            if getattr(event, f"{role}s"):
                continue
            previous = next((e for e in reversed(out) if e.type == event.type and getattr(e, f"{role}s")
                             and 0 <= event.sentence.index - e.sentence.index <= window), None)
            if previous:
                carried = tuple((r, m) for r, m in previous.roles if r == role)
                event = replace(event, roles=event.roles + carried, **{f"{role}s": getattr(previous, f"{role}s")})
        if any(not getattr(event, f"{r}s") for r in rule.require):
            continue
        out.append(event)
    return out


def implied_facts(event: Event, rules) -> list[Fact]:
    """The direct facts an event's rule implies between its roles (an arrest: agent `arrested` target)."""
    rule = next(r for r in rules if r.id == event.rule)
    facts = []
    for implied in rule.implies:
        subjects = [m for r, m in event.roles if r == implied["subject"]]
        objects = [m for r, m in event.roles if r == implied["object"]]
        for subj in subjects:
            for obj in objects:
                if subj.entity != obj.entity:
                    facts.append(Fact(subj.entity, implied["predicate"], obj.entity, event.sentence,
                                      f"{rule.id}.implies", rule.confidence, subject_mention=subj,
                                      object_mention=obj))
    return facts
