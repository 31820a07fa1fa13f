"""The ``st:MODEL`` encoder: any sentence-transformers model, by local folder or hub name.

sentence-transformers is the optional ``st`` extra (``pip install -e ".[st]"``). It
is imported when such an encoder is made, never when :mod:`aligner.encode` is, and
through :func:`importlib.import_module`, so that type checking reads neither it nor
torch whether or not they are installed.

The model is loaded once, when the encoder is made (:func:`aligner.encode.get_encoder`
makes one per model and device in a process). A missing package, a device that
cannot be used or a model that cannot be loaded therefore stops a command before any
work, with a :class:`~aligner.errors.ConfigError` that says what to do.

A hub name (``sentence-transformers/LaBSE``) is looked for in the Hugging Face cache
first, without the network; only a model missing there is downloaded.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Sequence
from importlib.metadata import version
from typing import Any

import numpy as np

from .encode import MAX_CHARS, ST_PREFIX, Vectors, installed
from .errors import ConfigError

#: What installs the extra, for messages.
INSTALL_HINT = 'pip install -e ".[st]" in a checkout, or pip install "aligner[st]"'
#: Texts embedded in one forward pass.
BATCH_SIZE = 32
#: A Hugging Face hub name: ``name`` or ``owner/name``.
_HUB_NAME = re.compile(r"[\w-][\w.-]*(/[\w-][\w.-]*)?")


def _import(module: str) -> Any:
    """The module ``module`` of the ``st`` extra.

    :raises ConfigError: it is not installed, or cannot be imported.
    """
    if not installed("sentence_transformers"):
        raise ConfigError(
            "st:MODEL encoders need the sentence-transformers package, which is not installed; "
            f"install the 'st' extra ({INSTALL_HINT})"
        )
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise ConfigError(
            f"{module} cannot be imported ({err}); reinstall the 'st' extra ({INSTALL_HINT})"
        ) from err


def pick_device(torch: Any, asked: str | None) -> str:
    """The device to run on: ``asked`` once checked, or, when None, a CUDA GPU when
    one is present, else Apple's ``mps``, else the CPU.

    :raises ConfigError: ``asked`` names no device this machine's torch can use.
    """
    if asked is None:
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        return "mps" if mps is not None and mps.is_available() else "cpu"
    problem = _device_problem(torch, asked)
    if problem:
        raise ConfigError(
            f"--device {asked} cannot be used: {problem}. Use --device cpu, or leave --device out "
            "to run on a GPU when one is present"
        )
    return asked


def _device_problem(torch: Any, asked: str) -> str | None:
    """Why torch cannot run on the device ``asked`` (None: it can)."""
    try:
        kind = torch.device(asked).type
    except (RuntimeError, ValueError):
        return "not a device name (cpu, cuda, cuda:1, mps...)"
    if kind == "cuda" and not torch.cuda.is_available():
        return f"torch sees no CUDA GPU here (torch {torch.__version__}, torch.cuda.is_available() is False)"
    if kind == "mps" and not torch.backends.mps.is_available():
        return "torch sees no Apple GPU (mps) here"
    try:
        torch.zeros(1, device=asked)
    except (RuntimeError, AssertionError, ValueError) as err:
        return str(err).splitlines()[0] if str(err) else type(err).__name__
    return None


def _unloadable(model: str, why: str) -> ConfigError:
    """The error for a model that cannot be loaded, saying why and how to get one."""
    return ConfigError(
        f"cannot load the sentence-transformers model {model!r}: {why}. A hub name (such as "
        "sentence-transformers/LaBSE) needs network access the first time, or a local copy: a folder "
        "saved with SentenceTransformer.save(), given as --encoder st:FOLDER"
    )


def load_model(st: Any, model: str, device: str) -> Any:
    """The sentence-transformers model ``model`` (a folder, or a hub name: from the
    cache, else downloaded), on ``device``.

    :raises ConfigError: it cannot be loaded, naming it.
    """
    path = os.path.expanduser(model)
    if os.path.exists(path):
        return _load(st, model, path, device)
    if not _HUB_NAME.fullmatch(model):
        raise _unloadable(model, "there is no such folder")
    try:  # the cache first: no network, no retries when it is missing
        return st.SentenceTransformer(model, device=device, local_files_only=True)
    except Exception:  # not cached (the error is that of the download below, if it fails too)
        return _load(st, model, model, device)


def _load(st: Any, model: str, source: str, device: str) -> Any:
    """``SentenceTransformer(source)`` on ``device``, any error becoming a ConfigError naming ``model``."""
    try:
        return st.SentenceTransformer(source, device=device)
    # Loading runs the hub client, transformers and torch: OSError, ValueError, the hub's own
    # errors, a KeyError for an unknown architecture... each means the same to the user.
    except Exception as err:
        why = " ".join(str(err).split()).rstrip(".") or type(err).__name__
        raise _unloadable(model, why) from err


def dimension(model: Any) -> int:
    """The width of the vectors ``model`` gives."""
    # get_embedding_dimension since sentence-transformers 5.4, get_sentence_embedding_dimension before
    get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dim = get()
    if dim is None:  # a model that does not say: measure one vector
        dim = len(model.encode(["a"], show_progress_bar=False)[0])
    return int(dim)


class SentenceTransformerEncoder:
    """A sentence-transformers model (``st:MODEL``), loaded when the encoder is made.

    :param model: a folder saved with ``SentenceTransformer.save()``, or a hub name.
    :param device: ``cpu``, ``cuda``, ``cuda:1``, ``mps``...; None takes a GPU when one is present.
    :raises ConfigError: the extra is missing, the device cannot be used or the model cannot be loaded.
    """

    #: The languages are the model's own business: none is checked.
    languages: frozenset[str] | None = None

    def __init__(self, model: str, device: str | None = None) -> None:
        st = _import("sentence_transformers")
        self.device = pick_device(_import("torch"), device)
        self._model = load_model(st, model, self.device)
        self.key = ST_PREFIX + model
        self.name = f"{self.key}(sentence-transformers-{version('sentence-transformers')})"
        self.dim = dimension(self._model)

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts``; returns an array of shape (n, dim), rows of length 1."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.encode(
            [t[:MAX_CHARS] for t in texts],
            batch_size=BATCH_SIZE,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)
