"""Rules of ontology/patterns/names.yaml for names the gazetteer lacks, checked and compiled when the lexicon
loads. Running them is kg.extract.names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import InvalidLexicon
from kg.knowledge.literals import LiteralGate
from kg.knowledge.schemas import NamesFile

__all__ = ["MEMBER", "NameRule", "compile_name_rules"]

_TOKEN = r"[A-ZÁÉÍÓÚÑÜ][\w'’-]*[\w]"
_NAME = rf"(?P<name>{_TOKEN}(?: (?:(?:de|del|de la|de los|y|la) )?{_TOKEN}){{0,3}})"
# One member of a list of names ('Los Toros', '"La Oficina"', 'El 22'): a quoted name, or a capitalised run that
# may open with a Spanish article; kg.extract.names splits {LIST} into its members with it.
_WORD = r"[A-ZÁÉÍÓÚÑ0-9][\w'’-]*"
_PLAIN = rf"(?:(?:Los|Las|El|La|los|las) )?{_WORD}(?: (?:(?:de|del|de la|de los) )?{_WORD}){{0,3}}"
MEMBER = re.compile(rf"[\"“](?P<quoted>{_PLAIN})[,.]?[\"”]|(?P<plain>{_PLAIN})")
_MEMBER = rf"(?:[\"“]{_PLAIN}[,.]?[\"”]|{_PLAIN})"
_LIST = rf"(?P<list>{_MEMBER}(?:, {_MEMBER})*,? and {_MEMBER})"


@dataclass(frozen=True)
class NameRule:
    id: str
    type: str
    regex: re.Pattern[str]
    label: str
    kinds: dict[str, str]
    requires: re.Pattern[str] | None
    examples: tuple[tuple[str, str], ...] = ()  # (sentence, label the rule gives a name in it)
    counter_examples: tuple[str, ...] = ()  # sentences it finds no name in


def compile_name_rules(data: NamesFile, ontology) -> LiteralGate[NameRule]:
    rules = []
    for index, spec in enumerate(data.rules):
        where = f"patterns/names.yaml: rule {index + 1} ({spec.id})"
        if spec.type not in ontology.classes:
            raise InvalidLexicon(f"{where}: type '{spec.type}' is not a class of kg.ttl")
        try:
            regex = re.compile(spec.pattern.replace("{NAME}", _NAME).replace("{LIST}", _LIST))
        except re.error as exc:
            raise InvalidLexicon(f"{where}: pattern: {exc}") from exc
        if "name" not in regex.groupindex and "list" not in regex.groupindex:
            raise InvalidLexicon(f"{where}: the pattern has no {{NAME}} or {{LIST}} (or (?P<name>...))")
        requires = re.compile(spec.requires) if spec.requires else None
        rules.append(NameRule(spec.id, spec.type, regex, spec.label, dict(spec.kinds), requires,
                              tuple((e.text, e.name) for e in spec.examples), tuple(spec.counter_examples)))
    return LiteralGate(rules, lambda rule: rule.regex)

