"""What the commands share: exit codes, messages, language and format choices."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from aligner.dictionary import DictionaryError, load
from aligner.encode import ENCODERS
from aligner.export import EXPORTERS
from aligner.model import AlignConfig

# Exit codes (documented in the README and in `aligner --help`).
OK = 0
SKIPPED = 1  # the job was done, but some documents were skipped (listed on stderr)
USAGE = 2  # wrong command-line usage (typer's own code)
BAD_INPUT = 3  # nothing done: the input cannot be used
EXISTS = 4  # nothing written: an output exists and --force was not given

EXIT_CODES_HELP = (
    "Exit codes: 0 done; 1 done, but some documents were skipped (see stderr and manifest.json); "
    "2 wrong usage; 3 nothing done, the input cannot be used; "
    "4 nothing written, an output exists (pass --force)."
)

Format = Enum("Format", {k: k for k in EXPORTERS}, type=str)  # type: ignore[misc]


def error(message: str) -> None:
    """Print an error message on stderr."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)


def warn(message: str) -> None:
    """Print a warning on stderr."""
    typer.secho(f"warning: {message}", err=True, fg=typer.colors.YELLOW)


def info(message: str) -> None:
    """Print progress on stderr (stdout is kept for results)."""
    typer.echo(message, err=True)


# Options shared by `run` and `align`.
SrcLang = Annotated[str, typer.Option("--src-lang", help="Source language (ISO 639-1).")]
TgtLang = Annotated[str, typer.Option("--tgt-lang", help="Target language (ISO 639-1).")]
MinScore = Annotated[
    float, typer.Option("--min-score", min=0.0, max=1.0, help="Leave out links scored below this.")
]
EncoderName = Annotated[str, typer.Option("--encoder", help=f"Sentence encoder: {', '.join(ENCODERS)}.")]
JoinedWeight = Annotated[
    float,
    typer.Option(
        "--joined-weight",
        min=0.0,
        max=1.0,
        help="Mix embeddings of joined sentences into multi-sentence links (slower, about 5x).",
    ),
]
LearnedWeight = Annotated[
    float,
    typer.Option(
        "--learned-weight",
        min=0.0,
        max=2.0,
        help="Weight of word translations learned from a first pass's confident links (IBM Model 1); "
        "0 = off. Slower: a few seconds per thousand links.",
    ),
]
LexicalWeight = Annotated[
    float,
    typer.Option(
        "--lexical-weight",
        min=0.0,
        max=2.0,
        help="Weight of the words both sides share nearly unchanged (numbers, names, cognates: "
        "character 4-grams); 0 = off.",
    ),
]
DictionaryWeight = Annotated[
    float,
    typer.Option(
        "--dictionary-weight",
        min=0.0,
        max=2.0,
        help="Weight of a FreeDict bilingual dictionary's translations (0.3 was best on our dev set); "
        "0 = off. Needs the dictionary installed (apt install dict-freedict-ita-eng dict-freedict-eng-ita).",
    ),
]
DictionaryDir = Annotated[
    str,
    typer.Option("--dictionary-dir", help="Folder of FreeDict dictd files (freedict-ita-eng.index, ...)."),
]


def check_dictionary(config: AlignConfig, src_lang: str, tgt_lang: str) -> None:
    """Exit with USAGE, saying what to install, if a dictionary is asked for and none is there."""
    if not config.dictionary_weight:
        return
    try:
        load(src_lang, tgt_lang, config.dictionary_dir)
    except DictionaryError as err:
        error(str(err))
        raise typer.Exit(USAGE) from None
