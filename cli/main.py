"""The typer application: ``aligner run | align | split | evaluate | export | review | report``.

The commands are loaded lazily: a command's module (and the library it brings:
NLTK, numpy, the encoders, the review server) is imported only when that
command runs or its own help is asked for, so that ``aligner --version`` and
``aligner --help`` answer at once (``benchmarks/startup.py`` times them). The
listing of ``aligner --help`` comes from :data:`COMMANDS`, which repeats the
first paragraph of each command's help (tests/test_startup.py checks that it
does).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from aligner.version import __version__

if TYPE_CHECKING:
    from typer._click import Command, Context, HelpFormatter

HELP = "Pair, split and align Italian and English news dispatches; export TMX and TSV."

#: The epilog of ``aligner --help``: :data:`aligner_cli.common.EXIT_CODES_HELP`, which every
#: command's help ends with too, repeated here because cli/common.py imports the encoders
#: (numpy with them); tests/test_startup.py checks that the two are the same.
EXIT_CODES_HELP = (
    "Exit codes: 0 done; 1 done, but some documents were skipped (see stderr and manifest.json); "
    "2 wrong usage; 3 nothing done, the input cannot be used; "
    "4 nothing written, an output exists (pass --force); "
    "5 nothing done, another run is writing into the output folder; "
    "6 stopped before the end, a worker died (rerun to resume); 130 interrupted (Ctrl-C; rerun to resume)."
)


@dataclass(frozen=True)
class CommandEntry:
    """Where a command is defined, and what ``aligner --help`` says of it."""

    module: str  #: its module in this package
    function: str  #: its function there
    short_help: str  #: the first paragraph of its help, on one line


#: The commands, in the order ``aligner --help`` lists them.
COMMANDS: dict[str, CommandEntry] = {
    "run": CommandEntry(
        "run",
        "run_command",
        "Pair the Italian and English dispatches of INPUT_DIR (or --src-lang/--tgt-lang), align and export.",
    ),
    "align": CommandEntry(
        "align",
        "align_command",
        "Align the sentences of SRC and TGT and print (or write) the alignment; or, with --pairs FILE, "
        "those of every pair the file lists, each written to its own file.",
    ),
    "split": CommandEntry("split", "split_command", "Split FILE into sentences and print one per line."),
    "srx": CommandEntry(
        "srx",
        "srx_command",
        "Write the sentence splitter's rules as SRX, so that a CAT tool segments as the aligner does.",
    ),
    "evaluate": CommandEntry(
        "evaluate",
        "evaluate_command",
        "Score predicted alignments against gold alignments (Vecalign link files).",
    ),
    "export": CommandEntry(
        "export",
        "export_command",
        "Build a training corpus from RUN_DIR: filter, deduplicate, write, and summarise.",
    ),
    "review": CommandEntry(
        "review",
        "review_command",
        "Open the review workspace for a run, or a TMX or XLIFF file, in the browser.",
    ),
    "review-export": CommandEntry(
        "review",
        "review_export_command",
        "Export a review: every pair as the reviewer left it, rejected links left out.",
    ),
    "report": CommandEntry(
        "review",
        "report_command",
        "Write one self-contained, read-only HTML page of an alignment, for sharing.",
    ),
}


def load_command(name: str) -> Command:
    """The command ``name`` of :data:`COMMANDS`, its module imported: what typer makes of its
    function, with the exit codes as its epilog.

    :raises KeyError: no such command.
    """
    entry = COMMANDS[name]
    module = importlib.import_module(f".{entry.module}", __package__)
    from .common import EXIT_CODES_HELP as epilog

    one = typer.Typer(
        add_completion=False,
        pretty_exceptions_enable=app.pretty_exceptions_enable,
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
    )
    one.command(name, epilog=epilog)(getattr(module, entry.function))
    return typer.main.get_command(one)


class _Commands(MutableMapping[str, "Command"]):
    """A group's commands by name: those of :data:`COMMANDS`, each loaded on first use."""

    def __init__(self) -> None:
        self._loaded: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self._loaded:
            if name not in COMMANDS:
                raise KeyError(name)
            self._loaded[name] = load_command(name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError(f"the command {name!r} cannot be removed")

    def __iter__(self) -> Iterator[str]:
        return iter([*COMMANDS, *(name for name in self._loaded if name not in COMMANDS)])

    def __len__(self) -> int:
        return len(COMMANDS) + sum(name not in COMMANDS for name in self._loaded)


class LazyGroup(TyperGroup):
    """The ``aligner`` group: a command is loaded when it is run or its help is shown; the
    group's help lists them all from :data:`COMMANDS`, loading none."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands()
        self._listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if self._listing and cmd_name in COMMANDS:
            return TyperCommand(cmd_name, help=COMMANDS[cmd_name].short_help)
        return super().get_command(ctx, cmd_name)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="aligner",
    cls=LazyGroup,
    help=HELP,
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aligner {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = None,
) -> None:
    """Pair, split and align Italian and English news dispatches; export TMX and TSV."""
