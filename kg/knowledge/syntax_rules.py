"""Rules over a dependency parse (ontology/patterns/syntax/) and the grammar words they share
(ontology/patterns/grammar.yaml), checked and compiled once when the lexicon loads.

A rule is in the shape of spaCy's DependencyMatcher and of Odin's syntactic rules: a trigger token (lemmas,
parts of speech, its own dependency), then each argument reached from the trigger by a path of dependency steps,
with the classes it may take. A step is `dep` (down to a child with that relation; `dep1|dep2` for either),
`dep[lemma,lemma]` (a child with that relation and one of those lemmas: `prep[in,into]`; `@name` among them stands
for the words of grammar.yaml's list `name`, so a list several paths share is written once), `^` (up to the head)
or `^dep` (up to the head, when the token hangs from it by `dep`). Two steps read past a comma the parser hung
on the wrong word: `>dep` (the phrase hanging by `dep` that starts right after the comma closing this token's
phrase: "in their stronghold, the department of X") and `<dep` (when this token hangs by `dep`, the word just
before the comma that opens its phrase: "the Rivas family, believed to run"). Running them is kg.extract.syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.errors import InvalidLexicon
from kg.knowledge.schemas import GrammarFile

__all__ = ["Step", "Argument", "Trigger", "SyntaxRule", "Grammar", "SyntaxRules", "compile_syntax"]

_STEP = re.compile(r"^(?P<up>\^)?(?P<beside>[<>])?(?P<deps>[a-z:|]*)(?:\[(?P<lemmas>[^\]]+)\])?$")
ROLES = ("agent", "target", "place")
CHECKS = ("negation", "modality", "hypothetical", "past")
# every word list of patterns/grammar.yaml, as its schema names them (name_heads maps classes, not a list)
_GRAMMAR_LISTS = tuple(name for name in GrammarFile.model_fields if name not in ("source", "name_heads"))


@dataclass(frozen=True)
class Step:
    up: bool
    deps: frozenset[str]  # empty: any relation
    lemmas: frozenset[str]  # empty: any lemma
    beside: str = ""  # ">": the phrase after this one's closing comma; "<": the word before its opening comma

    def __str__(self) -> str:
        lemmas = f"[{','.join(sorted(self.lemmas))}]" if self.lemmas else ""
        return f"{'^' if self.up else ''}{self.beside}{'|'.join(sorted(self.deps))}{lemmas}"


@dataclass(frozen=True)
class Argument:
    paths: tuple[tuple[Step, ...], ...]
    classes: tuple[str, ...]
    coordinated: bool = True  # "A and B": the conjuncts of the token reached fill the argument too
    unnamed: frozenset[str] = frozenset()  # lemmas that read the role with no name ("troops were deployed")
    # names the words reached fill when they are no mention ("{} Ministry": "Interior Minister X" -> the ministry)
    frames: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trigger:
    lemmas: frozenset[str]  # empty: any word of a name with one of `pos` (a fact between two names)
    pos: frozenset[str]
    deps: frozenset[str]
    words: frozenset[str]  # the lemmas' surface words for the parse gate (lower case, inflections included)
    # paths that must reach a token ("take" + prep[into]/pobj[custody]), each given as its alternatives ("sends
    # drugs", "sends guns and drugs": dobj[drug] or dobj/conj[drug])
    with_paths: tuple[tuple[tuple[Step, ...], ...], ...] = ()
    without_paths: tuple[tuple[Step, ...], ...] = ()  # paths that must reach none ("A and B fought", no object)


@dataclass(frozen=True)
class SyntaxRule:
    id: str
    trigger: Trigger
    arguments: dict[str, Argument]  # subject/object for a fact; agent/target/place for an event
    checks: tuple[str, ...]
    confidence: float
    predicate: str | None = None  # a fact's property
    event: str | None = None  # or an event's class
    fixed_object: str | None = None  # a gazetteer id ("skimming fuel" -> fuel theft)
    literal_title: bool = False  # the object is the trigger's own phrase ("security minister", "mayor of Tumbes")
    # (predicate, subject roles, object role, classes) facts an event implies: the subject is the first of its roles
    # that holds a mention of one of the classes (any class when none is named)
    implies: tuple[tuple[str, tuple[str, ...], str, frozenset[str]], ...] = ()
    require: tuple[str, ...] = ()
    require_any: tuple[str, ...] = ()  # at least one of these roles (an arrest needs its police or its suspect)
    carry_over: tuple[str, ...] = ()  # roles an event without them takes from the like event just before
    examples: tuple[dict, ...] = ()
    counter_examples: tuple[dict, ...] = ()

    @property
    def symmetric_arguments(self) -> bool:
        """Subject and object read by the same paths: the pairs of one coordinated list."""
        return "subject" in self.arguments and self.arguments["subject"] == self.arguments.get("object")


@dataclass(frozen=True)
class Grammar:
    """The grammar words every stage shares, one list each (patterns/grammar.yaml)."""

    lists: dict[str, frozenset[str]]

    def __getitem__(self, name: str) -> frozenset[str]:
        return self.lists.get(name, frozenset())


@dataclass(frozen=True)
class SyntaxRules:
    rules: tuple[SyntaxRule, ...]
    grammar: Grammar
    triggers: frozenset[str]  # every trigger word, for the parse gate
    heads: dict[str, str]  # a cue noun ("gang", "municipality") to the class it gives the name it heads
    hypothetical_words: frozenset[str] = frozenset()  # the hypothetical heads' inflections (the lemmatizer errs)
    # a pronoun to the classes it may stand for: "he" -> {Person}, "its" -> the groups' classes
    pronoun_classes: dict[str, frozenset[str]] = field(default_factory=dict)
    # each trigger lemma -> the rules naming it, and the rules any word of a name triggers (their positions)
    _by_lemma: dict[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)
    _any_word: frozenset[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            for lemma in rule.trigger.lemmas:
                index.setdefault(lemma, []).append(i)
        object.__setattr__(self, "_by_lemma", {lemma: tuple(found) for lemma, found in index.items()})
        object.__setattr__(self, "_any_word", frozenset(i for i, r in enumerate(self.rules) if not r.trigger.lemmas))

    def __iter__(self):
        return iter(self.rules)

    def triggered(self, lemmas) -> list[SyntaxRule]:
        """The rules a sentence with these (lower-case) lemmas may trigger, in their order: a rule naming none of
        them finds no trigger there, so a sentence is not tried against each of the hundred-odd rules."""
        found = set(self._any_word)
        for lemma in lemmas:
            found.update(self._by_lemma.get(lemma, ()))
        return [self.rules[i] for i in sorted(found)]


def _step(text: str, where: str, grammar: Grammar) -> Step:
    m = _STEP.match(text.strip())
    if not m or (not m.group("up") and not m.group("deps")) or (m.group("up") and m.group("beside")):
        raise InvalidLexicon(f"{where}: '{text}' is no path step (dep, dep[lemma,...], ^, ^dep, >dep or <dep)")
    deps = frozenset(d for d in (m.group("deps") or "").split("|") if d)
    lemmas: set[str] = set()
    for word in (x.strip().lower() for x in (m.group("lemmas") or "").split(",") if x.strip()):
        if not word.startswith("@"):
            lemmas.add(word)
        elif grammar[word[1:]]:
            lemmas.update(grammar[word[1:]])
        else:
            raise InvalidLexicon(f"{where}: '{text}' names '{word}', which is no word list of patterns/grammar.yaml")
    return Step(bool(m.group("up")), deps, frozenset(lemmas), m.group("beside") or "")


def _words(lemmas: frozenset[str]) -> frozenset[str]:
    """Surface forms a lemma may take, generous enough for a gate (a false 'yes' only costs a parse)."""
    out: set[str] = set()
    for lemma in lemmas:
        last = lemma.split()[-1]
        stem = last[:-1] if last.endswith("e") else last
        out.update({last, last + "s", last + "es", last + "ed", last + "d", stem + "ing", stem + "ed",
                    last + last[-1] + "ed", last + last[-1] + "ing", last[:-1] + "ies", last[:-1] + "ied"})
    return frozenset(out)


_IRREGULAR = {"lead": ("led",), "run": ("ran",), "hold": ("held",), "fight": ("fought",), "seek": ("sought",),
              "take": ("took", "taken"), "find": ("found",), "send": ("sent",), "shoot": ("shot",),
              "keep": ("kept",), "seize": ("seized",), "kill": ("killed",), "be": ("is", "was", "were", "are")}


def _argument(spec, ontology, where: str, grammar: Grammar) -> Argument:
    if not isinstance(spec, dict) or not spec.get("paths") or not spec.get("classes"):
        raise InvalidLexicon(f"{where}: an argument needs 'paths' and 'classes'")
    for cls in spec["classes"]:
        if cls not in ontology.classes:
            raise InvalidLexicon(f"{where}: unknown class '{cls}'")
    paths = tuple(tuple(_step(s, where, grammar) for s in str(path).split("/")) if path != "." else ()
                  for path in spec["paths"])
    frames = tuple(str(f) for f in spec.get("frames") or ())
    for frame in frames:
        if frame.count("{}") != 1 or "{" in frame.replace("{}", "", 1):
            raise InvalidLexicon(f"{where}: frame '{frame}' needs one '{{}}' for the words reached")
    return Argument(paths, tuple(spec["classes"]), bool(spec.get("coordinated", True)),
                    frozenset(str(w).lower() for w in spec.get("unnamed") or ()), frames)


def compile_syntax(files, grammar_data, ontology, entities) -> SyntaxRules:
    """Check and compile every rule of `files` ((name, data) pairs, each as read and shape-checked by
    kg.knowledge.schemas, or a plain mapping), in that order; a bad one names its file and id, an id is unique
    across files. A rule without an example does not load."""
    if hasattr(grammar_data, "model_dump"):
        grammar_data = grammar_data.model_dump(exclude_none=True)
    grammar = Grammar({name: frozenset(str(w).lower() for w in (grammar_data or {}).get(name) or ())
                       for name in _GRAMMAR_LISTS})
    heads: dict[str, str] = {}
    for cls, words in ((grammar_data or {}).get("name_heads") or {}).items():
        if cls not in ontology.classes:
            raise InvalidLexicon(f"patterns/grammar.yaml: name_heads: unknown class '{cls}'")
        heads.update((str(w).lower(), cls) for w in words)
    for name in (grammar_data or {}):
        if name not in _GRAMMAR_LISTS and name not in ("source", "name_heads"):
            raise InvalidLexicon(f"patterns/grammar.yaml: '{name}' is not a list the extractors use")
    rules = []
    seen: set[str] = set()
    triggers: set[str] = set()
    specs = []
    for relative, data in files:
        if hasattr(data, "model_dump"):
            data = data.model_dump(by_alias=True, exclude_none=True)
        specs += [(relative, index, spec) for index, spec in enumerate((data or {}).get("rules", []))]
    for relative, index, spec in specs:
        where = f"{relative}: rule {index + 1} ({spec.get('id', '?')})"
        if not spec.get("id") or spec["id"] in seen:
            raise InvalidLexicon(f"{where}: missing or repeated 'id'")
        seen.add(spec["id"])
        if bool(spec.get("fact")) == bool(spec.get("event")):
            raise InvalidLexicon(f"{where}: name either a 'fact' (a property) or an 'event' (a class)")
        if spec.get("fact") and spec["fact"] not in ontology.properties:
            raise InvalidLexicon(f"{where}: '{spec['fact']}' is not a property of kg.ttl")
        if spec.get("event") and spec["event"] not in ontology.classes:
            raise InvalidLexicon(f"{where}: '{spec['event']}' is not a class of kg.ttl")
        if not spec.get("examples"):
            raise InvalidLexicon(f"{where}: a rule needs 'examples' (a sentence and what it must give)")
        if not spec.get("counter_examples"):
            raise InvalidLexicon(f"{where}: a rule needs 'counter_examples' (a sentence it must not give)")
        t = spec.get("trigger") or {}
        if not t.get("lemma") and not (t.get("pos") and spec.get("fact")):
            raise InvalidLexicon(f"{where}: the trigger needs 'lemma' (only a fact rule may name just 'pos')")
        lemmas = frozenset(str(x).lower() for x in t.get("lemma") or ())
        without = tuple(tuple(_step(x, where, grammar) for x in str(path).split("/"))
                        for path in t.get("without") or ())
        with_any = tuple(tuple(tuple(_step(x, where, grammar) for x in str(path).split("/"))
                               for path in (item if isinstance(item, list) else [item]))
                         for item in t.get("with") or ())
        trigger = Trigger(lemmas, frozenset(t.get("pos") or ()), frozenset(t.get("dep") or ()),
                          _words(lemmas) | frozenset(w for x in lemmas for w in _IRREGULAR.get(x, ())),
                          with_any, without)
        triggers.update(trigger.words)
        arguments = {name: _argument(arg, ontology, f"{where}, {name}", grammar)
                     for name, arg in (spec.get("args") or {}).items()}
        wanted = ("subject", "object") if spec.get("fact") else ROLES
        for name in arguments:
            if name not in wanted:
                raise InvalidLexicon(f"{where}: argument '{name}' is none of {', '.join(wanted)}")
        fixed = spec.get("object")
        if fixed is not None and fixed not in entities:
            raise InvalidLexicon(f"{where}: object '{fixed}' is no gazetteer id")
        literal = spec.get("literal")
        if literal not in (None, "title"):
            raise InvalidLexicon(f"{where}: 'literal' takes only 'title'")
        if spec.get("fact") and ("subject" not in arguments or
                                 ("object" not in arguments and fixed is None and literal is None)):
            raise InvalidLexicon(f"{where}: a fact rule needs a subject and an object (or a fixed 'object')")
        checks = tuple(spec.get("checks", ["negation", "modality", "hypothetical"]))
        for check in checks:
            if check not in CHECKS:
                raise InvalidLexicon(f"{where}: check '{check}' is none of {', '.join(CHECKS)}")
        implies = []
        for item in spec.get("implies") or ():
            subjects = item.get("subject") if isinstance(item.get("subject"), list) else [item.get("subject")]
            if item.get("fact") not in ontology.properties or any(r not in ROLES for r in subjects) or \
                    item.get("object") not in ROLES or any(c not in ontology.classes for c in item.get("classes", ())):
                raise InvalidLexicon(f"{where}: 'implies' takes {{fact: property, subject: role (or roles), "
                                     f"object: role, classes: [...]}}")
            classes = frozenset(c for name in item.get("classes", ()) for c in ontology.subclasses(name))
            implies.append((item["fact"], tuple(subjects), item["object"], classes))
        rules.append(SyntaxRule(spec["id"], trigger, arguments, checks, float(spec.get("confidence", 0.75)),
                                spec.get("fact"), spec.get("event"), fixed, literal == "title", tuple(implies),
                                tuple(spec.get("require") or ()), tuple(spec.get("require_any") or ()),
                                tuple(spec.get("carry_over") or ()),
                                tuple(spec["examples"]),
                                tuple(spec["counter_examples"])))
    groups = frozenset(ontology.subclasses("Organization"))
    pronouns = {w: frozenset({"Person"}) for w in grammar["person_pronouns"]}
    pronouns.update({w: groups for w in grammar["group_pronouns"]})
    return SyntaxRules(tuple(rules), grammar, frozenset(triggers), heads, _words(grammar["hypothetical_heads"]),
                       pronouns)
