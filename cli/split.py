"""``aligner split``: one sentence per line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aligner.langid import identify
from aligner.load import load_document, loading_notes
from aligner.split import split

from .common import Encoding, handle_errors, info, language_code, warn


@handle_errors
def split_command(
    file: Annotated[Path, typer.Argument(help="A dispatch (.txt, .docx, .odt, .html or .pdf).")],
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="Language (ISO 639-1); identified when left out.", callback=language_code
        ),
    ] = None,
    offsets: Annotated[
        bool, typer.Option("--offsets", help="Prefix each sentence with its start and end offsets.")
    ] = False,
    encoding: Encoding = None,
) -> None:
    """Split FILE into sentences and print one per line.

    A leading date token and boilerplate lines are left out (and counted on stderr).
    """
    doc = load_document(file, encoding)
    sentences = split(doc, lang or identify(doc.content_text).lang)
    for line, message in loading_notes(doc):
        warn(f"{file}, line {line}: {message}")
    if doc.boilerplate_lines:
        info(f"{file}: {len(doc.boilerplate_lines)} boilerplate line(s) left out")
    for s in sentences:
        typer.echo(f"{s.start}\t{s.end}\t{s.text}" if offsets else s.text)
