"""``aligner export``: a filtered, deduplicated training corpus from a run's output."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from aligner.corpus import CorpusConfig
from aligner.export.training import CORPUS_FORMATS, export_corpus

from .common import handle_errors

CorpusFormat = StrEnum("CorpusFormat", {k: k for k in CORPUS_FORMATS})  # type: ignore[misc]


@handle_errors
def export_command(
    run_dir: Annotated[Path, typer.Argument(help="The output folder of `aligner run`.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default: RUN_DIR/corpus).")
    ] = None,
    formats: Annotated[
        list[CorpusFormat] | None, typer.Option("--format", help="Formats (repeatable); default: all.")
    ] = None,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, max=1.0, help="Drop pairs scored below this.")
    ] = CorpusConfig.min_score,
    max_ratio: Annotated[
        float,
        typer.Option("--max-ratio", min=1.0, help="Drop pairs whose longer side is this many times longer."),
    ] = CorpusConfig.max_ratio,
    max_words: Annotated[
        int, typer.Option("--max-words", min=1, help="Drop pairs with more words than this on a side.")
    ] = CorpusConfig.max_words,
    lang_check: Annotated[
        bool,
        typer.Option("--lang-check/--no-lang-check", help="Drop pairs whose sides are in other languages."),
    ] = True,
    dedup: Annotated[
        bool, typer.Option("--dedup/--no-dedup", help="Drop exact and near-duplicate pairs.")
    ] = True,
    untranslated: Annotated[
        bool,
        typer.Option(
            "--drop-untranslated/--keep-untranslated",
            help="Drop pairs whose two sides are the same text (chrF 90 or more, five words or more).",
        ),
    ] = True,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Build a training corpus from RUN_DIR: filter, deduplicate, write, and summarise.

    Writes `corpus.<src>` and `corpus.<tgt>` (Moses), corpus.jsonl, corpus.tsv and
    corpus.parquet, and export-summary.json with how many pairs each filter dropped.
    """
    target = out or run_dir / "corpus"
    fmts = [f.value for f in formats] if formats else list(CORPUS_FORMATS)
    config = CorpusConfig(min_score, max_ratio, max_words, lang_check, dedup, untranslated)
    done = export_corpus(run_dir, target, fmts, config, force)
    summary = done.summary
    typer.echo(
        f"{summary.input_pairs} pair(s) read from {run_dir}; kept {summary.kept}; "
        f"wrote {len(done.files) + 1} file(s) to {target}/"
    )
    for name, n in summary.dropped.items():
        typer.echo(f"  dropped by {name}: {n}")
