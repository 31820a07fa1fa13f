"""aligner: pair, split and align Italian-English news dispatches.

The library takes and returns in-memory values; files are read in
:mod:`aligner.load` and written in :mod:`aligner.write`. The command-line
application lives in ``cli/`` (installed as the package ``aligner_cli``).

>>> from aligner import load_document, split, align, get_encoder, AlignConfig
"""

from .align import align, align_vectors
from .encode import get_encoder
from .errors import AlignerError, InputError, OutputExistsError
from .evaluate import evaluate
from .load import load_document, parse
from .model import AlignConfig, Alignment, Document, Link, PairConfig, Sentence
from .pipeline import make_job, run
from .split import split, split_text
from .version import __version__

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
