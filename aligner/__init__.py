"""aligner: pair, split and align Italian-English news dispatches.

The library takes and returns in-memory values; files are read in
:mod:`aligner.load` and written in :mod:`aligner.write`. The command-line
application lives in ``cli/`` (installed as the package ``aligner_cli``).

>>> from aligner import load_document, split, align, get_encoder, AlignConfig

The names below are imported on first use, not with the package: ``import
aligner`` (and so ``aligner --version``) loads no numpy, NLTK or model.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .align import align, align_vectors
    from .encode import get_encoder
    from .errors import AlignerError, InputError, OutputExistsError
    from .evaluate import evaluate
    from .load import load_document, parse
    from .model import AlignConfig, Alignment, Document, Link, PairConfig, Sentence
    from .pipeline import make_job, run
    from .split import split, split_text

#: The module of each name the package exports (its version aside).
_EXPORTS = {
    "align": "align",
    "align_vectors": "align",
    "get_encoder": "encode",
    "AlignerError": "errors",
    "InputError": "errors",
    "OutputExistsError": "errors",
    "evaluate": "evaluate",
    "load_document": "load",
    "parse": "load",
    "AlignConfig": "model",
    "Alignment": "model",
    "Document": "model",
    "Link": "model",
    "PairConfig": "model",
    "Sentence": "model",
    "make_job": "pipeline",
    "run": "pipeline",
    "split": "split",
    "split_text": "split",
}

__all__ = [
    "AlignConfig",
    "AlignerError",
    "Alignment",
    "Document",
    "InputError",
    "Link",
    "OutputExistsError",
    "PairConfig",
    "Sentence",
    "__version__",
    "align",
    "align_vectors",
    "evaluate",
    "get_encoder",
    "load_document",
    "make_job",
    "parse",
    "run",
    "split",
    "split_text",
]


class _Package(types.ModuleType):
    """This package, importing each exported name from its module on first use.

    Three names (``align``, ``split``, ``evaluate``) are also submodules', and
    importing a submodule sets the package's attribute of its name to the module:
    that is ignored, so ``aligner.split`` stays the function, as it always was.
    """

    def __getattr__(self, name: str) -> Any:
        if name not in _EXPORTS:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", self.__name__), name)
        super().__setattr__(name, value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, types.ModuleType):
            return  # the import system naming a submodule: the exported function keeps the name
        super().__setattr__(name, value)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *__all__})


sys.modules[__name__].__class__ = _Package
