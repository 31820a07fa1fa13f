"""``aligner srx``: the splitter's rules as SRX 2.0 (or OmegaT's segmentation file)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from aligner.omegat import segmentation_conf
from aligner.srx import srx_document
from aligner.write import write_text_atomic

from .common import handle_errors


class SrxFormat(StrEnum):
    srx = "srx"
    omegat = "omegat"


@handle_errors
def srx_command(
    langs: Annotated[
        list[str] | None, typer.Option("--lang", help="Language (repeatable): it, en. Default: both.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "--out", "-o", help="Write here (default: stdout).")
    ] = None,
    fmt: Annotated[
        SrxFormat,
        typer.Option(
            "--format",
            help="srx: SRX 2.0, for Trados, memoQ and other tools; omegat: OmegaT's project "
            "segmentation file (PROJECT/omegat/segmentation.conf).",
        ),
    ] = SrxFormat.srx,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write the sentence splitter's rules as SRX, so that a CAT tool segments as the aligner does.

    A memory the aligner made matches in a CAT tool only where the tool cuts the
    source text into the same sentences: load these rules into the tool (or put
    the omegat format in an OmegaT project's omegat/ folder) before translating.
    """
    text = srx_document(langs or ["it", "en"])
    if fmt is SrxFormat.omegat:
        text = segmentation_conf(text)
    if output is None:
        typer.echo(text, nl=False)
        return
    write_text_atomic(output, text, force=force)
    typer.echo(f"wrote {output}")
