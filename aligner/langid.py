"""Language identification, offline, with the model packaged in ``py3langid``.

py3langid (a maintained fork of langid.py) ships its naive Bayes model inside
the wheel, covers 97 languages and gives normalised probabilities, so a
document in a third language is named rather than forced into Italian or
English.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

#: Below this probability the language is reported as uncertain.
MIN_CONFIDENCE = 0.9
#: Characters of the document the identifier reads (enough for a stable guess).
SAMPLE_CHARS = 5000


@dataclass(frozen=True)
class LangGuess:
    """The identified language (ISO 639-1) and the model's probability for it."""

    lang: str
    confidence: float


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> LangGuess:
    """Identify the language of ``text``."""
    lang, prob = _identifier().classify(text[:SAMPLE_CHARS])
    return LangGuess(str(lang), float(prob))


def probability(text: str, lang: str) -> float:
    """The model's probability that ``text`` is in ``lang`` (0 for a language it does not know):
    each side's language-identification score in a training record."""
    return assess(text, lang)[1]


def assess(text: str, lang: str) -> tuple[LangGuess, float]:
    """The identified language of ``text`` and the model's probability that it is in
    ``lang`` (0 for a language it does not know): one pass of the model where it is
    ``lang``, as it mostly is."""
    guess = identify(text)
    if guess.lang == lang:
        return guess, guess.confidence
    return guess, float(dict(_identifier().rank(text[:SAMPLE_CHARS])).get(lang, 0.0))


def known(lang: str) -> bool:
    """True when the identifier can name ``lang`` (an ISO 639-1 or 639-3 code)."""
    return bool(lang in _identifier().nb_classes)


def version() -> str:
    """The identifier's name and version, for the signature."""
    from importlib.metadata import version as pkg_version

    return f"py3langid-{pkg_version('py3langid')}"
