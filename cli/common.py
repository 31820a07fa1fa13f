"""What the commands share: exit codes and the one place library errors become them,
messages, and the options of ``run`` and ``align``."""

from __future__ import annotations

import errno
import functools
import inspect
import re
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from aligner import dictionary
from aligner.calibrate import config_for
from aligner.encode import ENCODER_CHOICES, check_key, default_encoder, get_encoder
from aligner.errors import AlignerError, ConfigError, OutputExistsError
from aligner.export import EXPORTERS, ExportOptions
from aligner.export.options import check_locale, created_from_environment
from aligner.export.tmx import PROFILES
from aligner.model import AlignConfig
from aligner.workdir import LockedError

# Exit codes (documented in the README and in `aligner --help`).
OK = 0
SKIPPED = 1  # the job was done, but some documents were skipped (listed on stderr)
USAGE = 2  # wrong command-line usage (typer's own code), or a setting that cannot be used
BAD_INPUT = 3  # nothing done: the input cannot be used
EXISTS = 4  # nothing written: an output exists and --force was not given
LOCKED = 5  # nothing done: another run is writing into the output folder
STOPPED = 6  # the run stopped before the end (a worker died); the same command resumes it
INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it); the same command resumes a run

EXIT_CODES_HELP = (
    "Exit codes: 0 done; 1 done, but some documents were skipped (see stderr and manifest.json); "
    "2 wrong usage; 3 nothing done, the input cannot be used; "
    "4 nothing written, an output exists (pass --force); "
    "5 nothing done, another run is writing into the output folder; "
    "6 stopped before the end, a worker died (rerun to resume); 130 interrupted (Ctrl-C; rerun to resume)."
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


def exit_code(err: AlignerError) -> int:
    """The exit code of a command that stopped on ``err``."""
    if isinstance(err, OutputExistsError):
        return EXISTS
    if isinstance(err, LockedError):
        return LOCKED
    if isinstance(err, ConfigError | dictionary.DictionaryError):
        return USAGE
    return BAD_INPUT  # InputError, and any other error that leaves nothing done


P = ParamSpec("P")
R = TypeVar("R")


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """The command, printing a library error's message and exiting with its code (:func:`exit_code`)."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except AlignerError as err:
            error(str(err))
            raise typer.Exit(exit_code(err)) from None
        except OSError as err:
            if err.filename is None:
                raise
            # A path the system refuses, wherever it was used: say which, not a traceback.
            if err.errno == errno.ENAMETOOLONG:
                name = Path(str(err.filename)).name
                error(
                    f"{err.filename}: the file system refuses this name ({len(name.encode('utf-8'))} "
                    "bytes; most take at most 255). Rename the input, or choose a shorter output "
                    "with --out/-o (or --project)."
                )
            else:
                error(f"{err.filename}: {err.strerror}. Check the path, its permissions and the free space.")
            raise typer.Exit(BAD_INPUT) from None

    return wrapper


# Options shared by `run` and `align`.
def language_code(value: str | None) -> str | None:
    """A language option's value as the code the aligner uses: ``IT`` -> ``it``.

    :raises typer.BadParameter: it is no ISO 639-1 (or 639-3) code (exit 2, usage).
    """
    if value is None:
        return None
    code = value.strip().lower()
    if not re.fullmatch(r"[a-z]{2,3}", code):
        raise typer.BadParameter(f"{value!r} is not an ISO 639-1 language code such as 'it' or 'en'")
    return code


SrcLang = Annotated[
    str, typer.Option("--src-lang", help="Source language (ISO 639-1).", callback=language_code)
]
TgtLang = Annotated[
    str, typer.Option("--tgt-lang", help="Target language (ISO 639-1).", callback=language_code)
]


def text_encoding(value: str | None) -> str | None:
    """An ``--encoding`` value as the codec's canonical name: ``latin-1`` -> ``iso8859-1``.

    :raises typer.BadParameter: Python has no text encoding of that name (exit 2, usage).
    """
    if value is None:
        return None
    from aligner.load import text_encoding as canonical

    try:
        return canonical(value.strip())
    except ValueError as err:
        raise typer.BadParameter(str(err)) from None


Encoding = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        callback=text_encoding,
        help="Read a .txt document that is not UTF-8 as this encoding (cp1252, iso-8859-15, "
        "mac-roman...); UTF-8 files, and UTF-16 or UTF-32 ones with a byte-order mark, are read as such.",
    ),
]
MinScore = Annotated[
    float, typer.Option("--min-score", min=0.0, max=1.0, help="Leave out links scored below this.")
]

# Export options of `run`, `align` and `review-export` (TMX and XLIFF).
TmxProfile = Enum("TmxProfile", {k: k for k in PROFILES}, type=str)  # type: ignore[misc]
ProfileOpt = Annotated[
    TmxProfile,
    typer.Option(
        "--tmx-profile",
        help="Write the TMX properties one CAT tool reads: generic, omegat, trados, memoq or phrase "
        "(see the README's 'CAT tools').",
    ),
]
SrcLocale = Annotated[
    str | None,
    typer.Option("--src-locale", help="Source locale in TMX and XLIFF (it-IT); default: the language."),
]
TgtLocale = Annotated[
    str | None,
    typer.Option("--tgt-locale", help="Target locale in TMX and XLIFF (en-GB); default: the language."),
]


def export_options(profile: Any, src_locale: str | None, tgt_locale: str | None) -> ExportOptions:
    """The export options of the command line, with the files' date from ``SOURCE_DATE_EPOCH``
    (raises :class:`ConfigError` for a bad locale or date)."""
    return ExportOptions(
        str(getattr(profile, "value", profile)),
        check_locale(src_locale, "--src-locale"),
        check_locale(tgt_locale, "--tgt-locale"),
        created_from_environment(),
    )


#: The alignment settings of `run` and `align`, each an option: name, type with its option, default.
_ALIGN_OPTIONS: tuple[tuple[str, Any, Any], ...] = (
    (
        "encoder",
        Annotated[
            str | None,
            typer.Option(
                "--encoder",
                help=f"Sentence encoder: {ENCODER_CHOICES}. Each has its own calibration; "
                "see the README's 'Encoders'.",
            ),
        ],
        None,
    ),
    (
        "device",
        Annotated[
            str | None,
            typer.Option(
                "--device",
                help="Where an st:MODEL encoder runs (cpu, cuda, cuda:1, mps); default: a GPU if any.",
            ),
        ],
        None,
    ),
    (
        "joined_weight",
        Annotated[
            float | None,
            typer.Option(
                "--joined-weight",
                min=0.0,
                max=1.0,
                help="Mix embeddings of joined sentences into multi-sentence links (slower, about 5x).",
            ),
        ],
        None,  # the encoder's own setting
    ),
    (
        "learned_weight",
        Annotated[
            float | None,
            typer.Option(
                "--learned-weight",
                min=0.0,
                max=2.0,
                help="Weight of word translations learned from a first pass's confident links "
                "(IBM Model 1); 0 = off. Slower: a few seconds per thousand links.",
            ),
        ],
        None,  # the encoder's own setting
    ),
    (
        "lexical_weight",
        Annotated[
            float | None,
            typer.Option(
                "--lexical-weight",
                min=0.0,
                max=2.0,
                help="Weight of the words both sides share nearly unchanged (numbers, names, cognates: "
                "character 4-grams); 0 = off.",
            ),
        ],
        None,  # the encoder's own setting
    ),
    (
        "dictionary_weight",
        Annotated[
            float | None,
            typer.Option(
                "--dictionary-weight",
                min=0.0,
                max=2.0,
                help="Weight of a FreeDict bilingual dictionary's translations (0.3 was best on our dev "
                "set); 0 = off. Needs the dictionary installed (apt install dict-freedict-ita-eng "
                "dict-freedict-eng-ita).",
            ),
        ],
        None,  # the encoder's own setting
    ),
    (
        "dictionary_dir",
        Annotated[
            str,
            typer.Option(
                "--dictionary-dir", help="Folder of FreeDict dictd files (freedict-ita-eng.index, ...)."
            ),
        ],
        AlignConfig.dictionary_dir,
    ),
)


def with_align_options(command: Callable[..., R]) -> Callable[..., R]:
    """The command with the alignment options (``--encoder``, ``--joined-weight``...) in
    place of its ``config`` parameter, which receives them as one :class:`AlignConfig`
    (with the encoder's own search settings: :func:`aligner.calibrate.config_for`), and
    ``device``, where an ``st:MODEL`` encoder runs."""
    sig = inspect.signature(command, eval_str=True)
    if "config" not in sig.parameters or "device" not in sig.parameters:
        raise TypeError(f"{command.__name__} takes no 'config' and 'device' parameters")
    kept = [p for p in sig.parameters.values() if p.name not in ("config", "device")]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind)
        for name, kind, default in _ALIGN_OPTIONS
    ]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> R:
        settings = {name: kwargs.pop(name) for name, _, _ in _ALIGN_OPTIONS}
        key, device = settings.pop("encoder"), settings.pop("device")
        # An option not given is the encoder's own setting.
        settings = {name: value for name, value in settings.items() if value is not None}
        if key is None:
            key, notice = default_encoder()
            if notice:
                info(f"note: {notice}")
        config = config_for(check_key(key), **settings)
        get_encoder(config.encoder, device)  # a missing package or a wrong device stops here
        return command(*args, config=config, device=device, **kwargs)

    params = [*(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in kept), *added]
    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params} | {"return": sig.return_annotation}
    del wrapper.__wrapped__  # typer reads the signature above, not the command's
    return wrapper


def load_dictionary(config: AlignConfig, src_lang: str, tgt_lang: str) -> dictionary.Dictionary | None:
    """The bilingual dictionary ``config`` asks for (None for none).

    :raises aligner.dictionary.DictionaryError: it is not installed, saying what to install.
    """
    if not config.dictionary_weight:
        return None
    return dictionary.load(src_lang, tgt_lang, config.dictionary_dir)
