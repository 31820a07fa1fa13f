"""The typer application: ``aligner run | align | split | evaluate | export | review | report``."""

from __future__ import annotations

from typing import Annotated

import typer

from aligner.version import __version__

from .align import align_command
from .common import EXIT_CODES_HELP
from .evaluate import evaluate_command
from .export import export_command
from .review import report_command, review_command, review_export_command
from .run import run_command
from .split import split_command

app = typer.Typer(
    name="aligner",
    help="Pair, split and align Italian and English news dispatches; export TMX and TSV.",
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


app.command("run", epilog=EXIT_CODES_HELP)(run_command)
app.command("align", epilog=EXIT_CODES_HELP)(align_command)
app.command("split", epilog=EXIT_CODES_HELP)(split_command)
app.command("evaluate", epilog=EXIT_CODES_HELP)(evaluate_command)
app.command("export", epilog=EXIT_CODES_HELP)(export_command)
app.command("review", epilog=EXIT_CODES_HELP)(review_command)
app.command("review-export", epilog=EXIT_CODES_HELP)(review_export_command)
app.command("report", epilog=EXIT_CODES_HELP)(report_command)
