"""``aligner run``: the whole job on a folder of dispatches."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aligner.encode import get_encoder
from aligner.errors import InputError, OutputExistsError
from aligner.export import EXPORTERS
from aligner.model import AlignConfig, PairConfig
from aligner.pipeline import render, run
from aligner.write import check_free, write_text_atomic

from .common import (
    BAD_INPUT,
    DEFAULT_JOINED,
    EXISTS,
    EncoderName,
    Format,
    JoinedWeight,
    MinScore,
    error,
    info,
    warn,
)


def run_command(
    input_dir: Annotated[Path, typer.Argument(help="Folder of dispatches, one .txt file each.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("output"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing output files.")] = False,
    formats: Annotated[
        list[Format] | None, typer.Option("--format", help="Output formats (repeatable); default: all.")
    ] = None,
    min_score: MinScore = 0.0,
    threshold: Annotated[
        float, typer.Option("--pair-threshold", min=0.0, max=1.0, help="Minimum score to pair documents.")
    ] = PairConfig.threshold,
    encoder: EncoderName = "e5-small",
    joined_weight: JoinedWeight = DEFAULT_JOINED,
) -> None:
    """Pair the Italian and English dispatches of INPUT_DIR, align their sentences and export them.

    Writes, per pair, TMX, TSV and link files, and OUT/manifest.json listing every
    document, pair, unpaired document and boilerplate line.
    """
    fmts = [f.value for f in formats] if formats else list(EXPORTERS)
    try:
        # Fail before the work, not after it, when a previous run's output is there.
        check_free([out / "manifest.json"], force)
    except OutputExistsError as err:
        error(str(err))
        raise typer.Exit(EXISTS) from None
    try:
        result = run(
            input_dir,
            get_encoder(encoder),
            AlignConfig(encoder=encoder, joined_weight=joined_weight),
            PairConfig(threshold=threshold),
            progress=info,
        )
    except InputError as err:
        error(str(err))
        raise typer.Exit(BAD_INPUT) from None
    files = render(result, fmts, input_dir.name, min_score)
    try:
        check_free([out / name for name in files], force)
        for name, text in files.items():
            write_text_atomic(out / name, text, force=force)
    except OutputExistsError as err:
        error(str(err))
        raise typer.Exit(EXISTS) from None
    for p in result.problems:
        where = p.file if p.line is None else f"{p.file}, line {p.line}"
        (error if p.severity == "error" else warn)(f"{input_dir / where}: {p.message}")
    read = len(result.documents)
    typer.echo(
        f"{read} document(s) read, {len(result.failed)} skipped; {len(result.pairs)} pair(s) aligned, "
        f"{len(result.unpaired)} document(s) unpaired; wrote {len(files)} file(s) to {out}/"
    )
    for pr in result.pairs:
        kinds = ", ".join(f"{k}: {v}" for k, v in pr.alignment.kind_counts().items())
        typer.echo(f"  {pr.pair.src} + {pr.pair.tgt} (pairing score {pr.pair.score:.2f}): {kinds}")
    raise typer.Exit(result.exit_code)
