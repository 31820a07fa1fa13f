"""Language identification, offline, with the model packaged in ``py3langid``.

py3langid (a maintained fork of langid.py) ships its naive Bayes model inside
the wheel, covers 97 languages and gives normalised probabilities, so a
document in a third language is named rather than forced into Italian or
English.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from .modelcache import Arrays, cached_arrays

#: Below this probability the language is reported as uncertain.
MIN_CONFIDENCE = 0.9
#: Characters of the document the identifier reads (enough for a stable guess).
SAMPLE_CHARS = 5000


@dataclass(frozen=True)
class LangGuess:
    """The identified language (ISO 639-1) and the model's probability for it."""

    lang: str
    confidence: float


#: The depth of py3langid's byte automaton (its longest feature prefix, in bytes), by
#: version of the package; ``tests/test_langid.py`` finds it by a breadth-first walk of
#: the automaton. A version not listed is walked a byte at a time, as py3langid does.
AUTOMATON_DEPTH = {"0.4.0": 6}


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier, its model read from an uncompressed copy
    (:mod:`aligner.modelcache`): unpacking the packaged one took 0.7 s at every worker's start."""
    from array import array
    from importlib.metadata import version as pkg_version

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    source = Path(MODEL_DIR) / MODEL_FILE
    model = cached_arrays(f"py3langid-{pkg_version('py3langid')}", source, partial(_unpack, source))

    def stdlib(values: Any) -> array[int]:  # the form py3langid's walk indexes fastest
        out = array({2: "H", 4: "I", 8: "Q"}[values.dtype.itemsize])
        out.frombytes(np.ascontiguousarray(values).tobytes())
        return out

    arrays = (np.asarray(model["ptc"]), np.asarray(model["pc"]), model["classes"].tolist())
    outputs = model["out_feat"].tolist()
    depth = AUTOMATON_DEPTH.get(pkg_version("py3langid"))
    if depth is None:  # walked a byte at a time by py3langid, which indexes stdlib arrays fastest
        return LanguageIdentifier(
            *arrays, stdlib(model["nextmove"]), outputs, norm_probs=True, tk_row=stdlib(model["nextmove_row"])
        )
    steps: int = depth

    class Identifier(LanguageIdentifier):  # type: ignore[misc]
        """py3langid's identifier, its automaton run over every byte position at once.

        py3langid walks its byte automaton (Aho-Corasick: the state after a byte is the
        longest feature prefix the text ends with there) a byte at a time in Python. The
        state at a position depends only on the ``depth`` bytes up to it, so ``depth``
        steps over all positions at once (NumPy) give every state. The features are
        counted in the order they first occur, as py3langid counts them, so the scores
        are the same to the bit (``tests/test_langid.py``); a third less time a dispatch.
        """

        __slots__ = ("_offsets", "_outputs")

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._offsets = np.asarray(model["nextmove_row"], dtype=np.intp) << 8
            self._outputs = np.asarray(model["out_feat"], dtype=np.intp)

        def _raw_score(self, text: bytes) -> Any:
            data = np.frombuffer(text, dtype=np.uint8).astype(np.intp)
            state = np.zeros(len(data), dtype=np.intp)
            for lag in range(min(steps, len(data)) - 1, -1, -1):  # from ``depth`` bytes back
                state[lag:] = self.tk_nextmove[self._offsets[state[lag:]] + data[: len(data) - lag]]
            found = self._outputs[state]
            found = found[found >= 0]
            if not found.size:
                return super()._raw_score(b"")  # no feature: py3langid's answer for that
            features, first, counts = np.unique(found, return_index=True, return_counts=True)
            order = np.argsort(first, kind="stable")
            visits = dict(zip(features[order].tolist(), counts[order].tolist(), strict=True))
            return self._sparse_score(visits, self.nb_ptc)

    # The automaton (40 MB) as unpacked, indexed by the walk above: one copy of it.
    return Identifier(
        *arrays, model["nextmove"], outputs, norm_probs=True, tk_row=stdlib(model["nextmove_row"])
    )


def _unpack(source: Path) -> Arrays:
    """The arrays of py3langid's model file (an ``.npz`` inside LZMA)."""
    import io
    import lzma

    import numpy as np

    with lzma.open(source) as packed, np.load(io.BytesIO(packed.read()), allow_pickle=False) as model:
        return {key: model[key] for key in model.files}


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
