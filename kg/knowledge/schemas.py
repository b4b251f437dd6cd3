"""The shape of every curated YAML file under ontology/, as pydantic models checked when the lexicon loads.

Curated files are strict: a wrong type, a missing or unknown field, a regex that does not compile or a role no
rule defines stops the load with one `InvalidLexicon` line naming the file, the entry (its number and id) and
the field, instead of a `KeyError` deep in a loader or a rule that fails on every article. What needs the
ontology or the gazetteer (is this a class of kg.ttl, an id of the gazetteer?) is checked by the compilers
that turn these models into matchers.

To add a curated file: write a `CuratedFile` model for it (its list of entries, if it has one, named by
`noun`), put it in `SCHEMAS` under its path, and read it with `read_curated(root, path, TheModel)`. A test
fails for a YAML file under ontology/ that no schema covers.
"""

from __future__ import annotations

import re
from datetime import date
from fnmatch import fnmatch
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, TypeVar

import regex
import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from kg.errors import InvalidLexicon

__all__ = ["CuratedFile", "SCHEMAS", "read_curated", "schema_for", "GazetteerFile", "EntityEntry", "PeopleFile",
           "GivenNamesFile", "CuesFile", "AnaphoraFile", "RelationsFile", "RelationSpec", "EventsFile", "EventSpec",
           "EventRole", "NamesFile", "NameRuleSpec", "DatesFile", "DemonymsFile", "ReaderFile", "CurationFile",
           "DecisionSpec", "CoordinatesFile", "GeoPointSpec", "SyntaxFile", "SyntaxSpec", "GrammarFile"]


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _number_as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _compiles_with_re(source: str) -> str:
    try:
        re.compile(source)
    except re.error as exc:
        raise ValueError(f"does not compile: {exc}") from None
    return source


def _compiles_with_regex(source: str) -> str:
    try:
        regex.compile(source, regex.IGNORECASE)
    except regex.error as exc:
        raise ValueError(f"does not compile: {exc}") from None
    return source


def _slug(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
        raise ValueError("must be a lowercase slug (a-z, 0-9, -)")
    return value


def _rule_id(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", value):
        raise ValueError("must be lowercase words joined by '.' or '-' (rule.some-name)")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Source = Annotated[str, StringConstraints(min_length=1)]  # a pattern, taken as written: spaces count
Words = list[Text]
SomeWords = Annotated[list[Text], Field(min_length=1)]
OneOrMany = Annotated[list[Text], BeforeValidator(_one_or_many)]
Code = Annotated[Text, BeforeValidator(_number_as_text)]  # an identifier YAML may read as a number
Slug = Annotated[str, AfterValidator(_slug)]
RuleId = Annotated[str, AfterValidator(_rule_id)]
ClassName = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Za-z]*$")]
PyRegex = Annotated[str, AfterValidator(_compiles_with_re)]  # matched with Python's re
Regex = Annotated[str, AfterValidator(_compiles_with_regex)]  # matched with the regex module, case-insensitively
Confidence = Annotated[float, Field(gt=0, le=1)]
Count = Annotated[int, Field(ge=0)]
LanguageNames = dict[Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")], Words]


class Strict(BaseModel):
    """No coercion ("5" is no number, 5 no string), no unknown field."""

    model_config = ConfigDict(strict=True, extra="forbid")


class CuratedFile(Strict):
    """One curated file: it says where its contents come from; `noun` names the entries of its list."""

    noun: ClassVar[str] = "entry"
    source: Text


# --- gazetteer/*.yaml -----------------------------------------------------------------------------------------

class EntityEntry(Strict):
    id: Slug
    label: Text
    type: ClassName
    names: LanguageNames = {}
    acronyms: Words = []
    kind: Text | None = None
    country: Code | None = None
    home: OneOrMany = []
    locatedIn: OneOrMany = []  # noqa: N815 (the YAML's own spelling)
    generic: OneOrMany = []
    nominals: OneOrMany = []
    wikidata: Code | None = None
    geonames: Code | None = None
    iso: Code | None = None
    note: Text | None = None


class GazetteerFile(CuratedFile):
    entities: list[EntityEntry]


# --- patterns/people.yaml, given-names.yaml, cues.yaml, anaphora.yaml, demonyms.yaml -----------------------------

class PeopleFile(CuratedFile):
    titles: SomeWords
    modifiers: Words = []
    leader_titles: Words = []
    name_connectors: Words = []
    not_names: Words = []
    alias_cues: Words = []
    name_cues: Words = []
    nickname_nouns: Words = []
    group_openers: Words = []
    forms_of_address: Words = []
    place_appositives: Words = []


class GivenNamesFile(CuratedFile):
    names: Words = []
    not_after: Words = []
    single_name_titles: Words = []


class CuesFile(CuratedFile):
    """Every field besides these is a cue set: a name and its list of words."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, Words]
    window_words: Count = 4
    exact_case: Words = []
    no_cue: Words = []

    @property
    def sets(self) -> dict[str, tuple[str, ...]]:
        return {name: tuple(words) for name, words in (self.__pydantic_extra__ or {}).items()}


class AnaphorSpec(Strict):
    id: RuleId
    words: SomeWords
    types: Annotated[list[ClassName], Field(min_length=1)]
    kinds: Words = []
    max_sentences: Count | None = None
    count: Literal[1, 2] = 1  # 2: a phrase for two entities named together before ("the two gangs")


class AnaphoraFile(CuratedFile):
    noun = "rule"
    max_sentences: Count = 3
    rules: list[AnaphorSpec] = []


class DemonymsFile(CuratedFile):
    demonyms: dict[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")], SomeWords] = {}


# --- patterns/relations.yaml ----------------------------------------------------------------------------------

class RelationSpec(Strict):
    id: RuleId
    predicate: Text
    pattern: Source
    checks: Words = ["negation", "hedge"]
    confidence: Confidence = 0.7
    subject: Literal["article"] | None = None
    object: Slug | None = None


class RelationsFile(CuratedFile):
    noun = "pattern"
    patterns: list[RelationSpec] = []


# --- patterns/events.yaml -------------------------------------------------------------------------------------

RoleName = Literal["agent", "target", "place"]


class EventRole(Strict):
    side: Literal["before", "after"]
    types: Annotated[list[ClassName], Field(min_length=1)] = ["Actor"]
    by: bool = False
    prefer: list[ClassName] = []
    many: bool = Field(False, alias="list")
    after_words: list[Annotated[str, StringConstraints(pattern=r"^[a-z]+$")]] | None = None


class ImpliedFact(Strict):
    predicate: Text
    subject: RoleName
    object: RoleName


class EventSpec(Strict):
    id: RuleId
    type: ClassName
    trigger: Regex
    agent: EventRole | None = None
    target: EventRole | None = None
    place: EventRole | None = None
    passive: list[RoleName] = []
    require: list[RoleName] = []
    require_any: list[RoleName] = []
    carry_over: list[RoleName] = []
    implies: list[ImpliedFact] = []
    checks: Words = []
    blockers: Words = []
    confidence: Confidence = 0.7
    lasting: bool = False

    def roles(self) -> dict[str, EventRole]:
        return {name: role for name in ("agent", "target", "place") if (role := getattr(self, name)) is not None}

    @model_validator(mode="after")
    def _named_roles_are_defined(self) -> EventSpec:
        named = [(key, role) for key in ("passive", "require", "require_any", "carry_over")
                 for role in getattr(self, key)]
        named += [(f"implies.{n}.{side}", getattr(fact, side)) for n, fact in enumerate(self.implies, 1)
                  for side in ("subject", "object")]
        for key, role in named:
            if role not in self.roles():
                raise ValueError(f"{key} names the role '{role}', which this rule does not define")
        return self


class EventsFile(CuratedFile):
    noun = "event"
    where: Words = []  # a word list the rules share by a YAML anchor (&where)
    events: list[EventSpec] = []


# --- patterns/names.yaml --------------------------------------------------------------------------------------

class NameExample(Strict):
    text: Text
    name: Text  # the label the rule must give a name in `text`


class NameRuleSpec(Strict):
    id: RuleId
    type: ClassName
    pattern: Source
    label: Source
    kinds: dict[str, Text] = {}
    requires: PyRegex | None = None
    examples: list[NameExample] = []
    counter_examples: list[Text] = []  # sentences the rule must find no name in


class NamesFile(CuratedFile):
    noun = "rule"
    rules: list[NameRuleSpec] = []


# --- patterns/dates.yaml --------------------------------------------------------------------------------------

Month = Annotated[int, Field(ge=1, le=12)]
Weekday = Annotated[int, Field(ge=0, le=6)]


class DatesFile(CuratedFile):
    months: dict[Month, SomeWords]
    weekdays: dict[Weekday, SomeWords]
    relative_years: dict[Text, int] = {}
    relative_months: dict[Text, int] = {}
    relative_days: dict[Text, int] = {}
    anaphoric_days: dict[Text, int] = {}
    start_cues: Words = []
    end_cues: Words = []
    future_tolerance_days: Count = 31
    duration_units: dict[Text, Count] = {}

    @model_validator(mode="after")
    def _whole_calendar(self) -> DatesFile:
        for key, wanted in (("months", set(range(1, 13))), ("weekdays", set(range(7)))):
            missing = wanted - set(getattr(self, key))
            if missing:
                raise ValueError(f"{key} lacks {', '.join(map(str, sorted(missing)))}")
        return self


# --- reader.yaml ----------------------------------------------------------------------------------------------

def _byline_groups(source: str) -> str:
    missing = {"topic", "date", "author"} - set(re.compile(source).groupindex)
    if missing:
        raise ValueError(f"needs the named groups (?P<topic>...), (?P<date>...) and (?P<author>...); lacks "
                         f"{', '.join(sorted(missing))}")
    return source


def _dateline_groups(source: str) -> str:
    missing = {"date", "author"} - set(re.compile(source).groupindex)
    if missing:
        raise ValueError(f"needs the named groups (?P<date>...) and (?P<author>...); lacks "
                         f"{', '.join(sorted(missing))}")
    return source


def _url_group(source: str) -> str:
    if "url" not in re.compile(source).groupindex:
        raise ValueError("has no (?P<url>...) group")
    return source


class ReaderFile(CuratedFile):
    nav_prefixes: Words
    kicker_lines: Words = []
    byline: Annotated[PyRegex, AfterValidator(_byline_groups)]
    analysis_headings: Words
    skip_line_prefixes: Words = []
    credit_line: PyRegex | None = None
    end_markers: Words = []
    end_lines: Words = []
    menu_line: PyRegex | None = None
    teaser_line: PyRegex
    url_line: Annotated[PyRegex, AfterValidator(_url_group)] | None = None
    dateline: Annotated[PyRegex, AfterValidator(_dateline_groups)] | None = None
    dateline_lines: Annotated[int, Field(gt=0)] = 12
    publisher: Text | None = None
    abbreviations: Words = []
    max_bytes: Annotated[int, Field(gt=0)] = 10_000_000
    max_sentence_chars: Annotated[int, Field(gt=0)] = 2000
    max_future_days: Count = 2


# --- curation.yaml --------------------------------------------------------------------------------------------

def _iso_date(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class FactRef(Strict):
    subject: Text
    predicate: Text
    object: Text


_ACTION_FIELDS = {"reject": ("fact",), "merge": ("from_", "into"), "alias": ("entity", "names"),
                  "type": ("entity", "type")}
_OPTIONAL_FIELDS = {"reject": ("article",)}


class DecisionSpec(Strict):
    id: Slug
    action: Literal["reject", "merge", "alias", "type"]
    reason: Text
    by: Text | None = None
    date: Annotated[Text, BeforeValidator(_iso_date)] | None = None
    fact: FactRef | None = None
    article: Text | None = None
    from_: Text | None = Field(None, alias="from")
    into: Text | None = None
    entity: Text | None = None
    names: LanguageNames | None = None
    type: ClassName | None = None

    @model_validator(mode="after")
    def _fields_of_the_action(self) -> DecisionSpec:
        needed = _ACTION_FIELDS[self.action]
        allowed = set(needed) | set(_OPTIONAL_FIELDS.get(self.action, ()))
        spelled = lambda name: name.rstrip("_")  # noqa: E731 (from_ is written "from")
        for name in needed:
            if getattr(self, name) is None:
                raise ValueError(f"a {self.action} decision needs '{spelled(name)}'")
        for name in {n for fields in _ACTION_FIELDS.values() for n in fields} | {"article"}:
            if name not in allowed and getattr(self, name) is not None:
                raise ValueError(f"a {self.action} decision takes no '{spelled(name)}'")
        return self


class CurationFile(CuratedFile):
    noun = "decision"
    decisions: list[DecisionSpec] = []


# --- styles.yaml (the views' colours and shapes; no article graph depends on them) -----------------------------

Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
Shape = Literal["dot", "diamond", "square", "triangle", "triangleDown", "hexagon", "star", "ellipse", "box", "circle"]


class StyleSpec(Strict):
    color: Color
    shape: Shape


class UnknownStyles(Strict):
    class_: StyleSpec = Field(alias="class")
    relation: Color


class StylesFile(CuratedFile):
    classes: dict[ClassName, StyleSpec]
    relations: dict[Annotated[str, StringConstraints(pattern=r"^[a-z][A-Za-z]*$")], Color]
    unknown: UnknownStyles


# --- coordinates.yaml ---------------------------------------------------------------------------------------

class GeoPointSpec(Strict):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    geonames: Annotated[int, Field(gt=0)] | None = None  # the GeoNames feature whose point it is (an area has none)
    basis: Literal["capital", "central place", "place", "area"]
    of: list[Slug] = []  # an area's: the regions whose points it is the mean of


class CoordinatesFile(CuratedFile):
    """The regions' points, written by kg/tools/coordinates.py; `ambiguous` lists the names it left out."""

    basis: dict[Text, Text]
    coordinates: dict[Slug, GeoPointSpec]
    ambiguous: dict[Slug, list[Text]] = {}


# --- reading --------------------------------------------------------------------------------------------------

# --- patterns/syntax/*.yaml, patterns/grammar.yaml ---------------------------------------------------------------

SyntaxRole = Literal["subject", "object", "agent", "target", "place"]


class SyntaxTrigger(Strict):
    lemma: Words = []  # none: any word of a name with one of `pos` (a fact rule between names: "Azote, Concepción")
    pos: Words = []
    dep: Words = []
    with_: list[Text | SomeWords] = Field([], alias="with")  # a list inside: any one of those paths
    without: Words = []


class SyntaxArgument(Strict):
    paths: Annotated[Words, Field(min_length=1)]
    classes: Annotated[list[ClassName], Field(min_length=1)]
    coordinated: bool = True
    unnamed: Words = []
    frames: Words = []  # names the words reached fill ("{} Ministry": "Interior" -> "Interior Ministry")


class SyntaxImplied(Strict):
    fact: Text
    subject: RoleName | list[RoleName]  # a list: the first of these roles that holds one of `classes`
    object: RoleName
    classes: list[ClassName] = []


class SyntaxExample(Strict):
    text: Text
    gives: dict[Text, Text]


class SyntaxSpec(Strict):
    id: RuleId
    fact: Text | None = None
    event: ClassName | None = None
    object: Slug | None = None  # a gazetteer id as the fixed object
    literal: Literal["title"] | None = None
    trigger: SyntaxTrigger
    args: dict[SyntaxRole, SyntaxArgument] = {}
    checks: list[Literal["negation", "modality", "hypothetical", "past"]] = ["negation", "modality", "hypothetical"]
    implies: list[SyntaxImplied] = []
    require: list[RoleName] = []
    require_any: list[RoleName] = []
    carry_over: list[RoleName] = []
    confidence: Confidence = 0.75
    examples: Annotated[list[SyntaxExample], Field(min_length=1)]
    counter_examples: Annotated[list[SyntaxExample], Field(min_length=1)]


class SyntaxFile(CuratedFile):
    noun = "rule"
    rules: list[SyntaxSpec]


class GrammarFile(CuratedFile):
    negation: Words
    negative_subjects: Words
    negative_adverbs: Words
    modals: Words
    hypothetical_heads: Words
    ended_heads: Words
    relative_pronouns: Words
    naming_verbs: Words
    identifying_verbs: Words
    member_nouns: Words
    hypothetical_marks: Words
    past_adverbs: Words
    past_modifiers: Words
    perfect_auxiliaries: Words
    place_prepositions: Words
    story_country_nouns: Words
    story_city_nouns: Words
    clause_openers: Words
    alias_cues: Words
    name_connectors: Words
    conjunctions: Words
    not_person_openers: Words
    person_pronouns: Words
    group_pronouns: Words
    auxiliaries: Words
    date_words: Words
    temporal_prepositions: Words
    relative_time_words: Words
    scene_adverbs: Words
    operation_nouns: Words
    hedging_modifiers: Words
    operation_verbs: Words
    passive_auxiliaries: Words
    subject_fillers: Words
    belonging_prepositions: Words
    reporting_verbs: Words
    restatement_words: Words
    led_group_heads: Words
    member_plurals: Words
    force_plurals: Words = []
    place_part_nouns: Words = []
    report_verbs: Words
    part_words: Words
    introduced_group_nouns: Words
    introduced_group_heads: Words
    criminal_modifiers: Words
    predicate_words: Words
    other_group_words: Words
    modified_heads: Words
    neighbourhood_nouns: Words = []
    plural_name_heads: Words = []
    first_level_nouns: Words = []
    unit_kind_nouns: Words = []
    place_intro_nouns: Words = []
    street_words: Words = []
    nationwide_phrases: Words = []
    water_words: Words = []
    part_nouns: Words = []
    part_leader_words: Words = []
    clause_bound_pronouns: Words = []
    opposing_prefixes: Words = []
    name_heads: dict[ClassName, Words]


SCHEMAS: dict[str, type[CuratedFile]] = {
    "gazetteer/*.yaml": GazetteerFile,
    "patterns/anaphora.yaml": AnaphoraFile,
    "patterns/cues.yaml": CuesFile,
    "patterns/dates.yaml": DatesFile,
    "patterns/demonyms.yaml": DemonymsFile,
    "patterns/events.yaml": EventsFile,
    "patterns/given-names.yaml": GivenNamesFile,
    "patterns/names.yaml": NamesFile,
    "patterns/people.yaml": PeopleFile,
    "patterns/relations.yaml": RelationsFile,
    "patterns/syntax/*.yaml": SyntaxFile,
    "patterns/grammar.yaml": GrammarFile,
    "reader.yaml": ReaderFile,
    "curation.yaml": CurationFile,
    "styles.yaml": StylesFile,
    "coordinates.yaml": CoordinatesFile,
}

M = TypeVar("M", bound=CuratedFile)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: ~10x faster


def schema_for(relative: str) -> type[CuratedFile] | None:
    """The model of a file, by its path under the ontology folder ("patterns/dates.yaml")."""
    return next((model for pattern, model in SCHEMAS.items() if fnmatch(relative, pattern)), None)


def read_curated(root: Path, relative: str, model: type[M]) -> M:
    """Read one curated file and check it against its schema; any fault is an `InvalidLexicon` naming it."""
    if schema_for(relative) is not model:
        raise LookupError(f"{relative} is not a {model.__name__}: SCHEMAS gives {schema_for(relative)}")
    try:
        data = yaml.load((root / relative).read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (safe)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidLexicon(f"{relative}: cannot read: {' '.join(str(exc).split())}") from exc
    if not isinstance(data, dict):
        raise InvalidLexicon(f"{relative}: expected a mapping of fields, found {type(data).__name__}")
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        raise InvalidLexicon(_described(exc, data, relative, model.noun)) from None
    _check_unique_ids(data, relative, model.noun)
    return parsed


def _described(exc: ValidationError, data: dict, relative: str, noun: str) -> str:
    """The first error of a validation as one line: file, entry (number and id), field, what is wrong."""
    errors = exc.errors(include_url=False)
    error = errors[0]
    loc = list(error["loc"])
    where = relative
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data.get(loc[0]), list) \
            and isinstance(data[loc[0]][loc[1]], dict):
        entry = data[loc[0]][loc[1]]
        ident = entry.get("id")
        where += f": {noun} {loc[1] + 1}" + (f" ({ident})" if isinstance(ident, str) else "")
        data, loc = entry, loc[2:]
    field = _field_path(data, loc)
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "missing":
        what = f"missing '{field}'"
        if loc == ["source"]:
            what = "says nowhere where its facts come from (add 'source:')"
    elif error["type"] == "extra_forbidden":
        what = f"unknown field '{field}'"
    else:
        found = error.get("input")
        if found is None or isinstance(found, (str, int, float, bool, date)):
            message += f", not {found!r}" if error["type"].endswith("_type") else ""
        what = f"{field}: {message}" if field else message
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {what}{more}"


def _field_path(data: Any, loc: list) -> str:
    """`loc` as a curator counts: items of a list from 1, keys of a mapping as written."""
    parts = []
    for part in loc:
        if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            parts.append(str(part + 1))
            data = data[part]
        else:
            parts.append(str(part))
            data = data.get(part) if isinstance(data, dict) else None
    return ".".join(parts)


def _check_unique_ids(data: dict, relative: str, noun: str) -> None:
    for entries in data.values():
        if not isinstance(entries, list):
            continue
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries, 1):
            ident = entry.get("id") if isinstance(entry, dict) else None
            if ident is None:
                continue
            if ident in seen:
                raise InvalidLexicon(f"{relative}: {noun} {index} ({ident}): id used twice (also {noun} {seen[ident]})")
            seen[ident] = index
