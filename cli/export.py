"""``aligner export``: a filtered, deduplicated training corpus from a run's output."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from aligner.corpus import CorpusConfig, build_corpus
from aligner.errors import AlignerError, OutputExistsError
from aligner.export.training import CORPUS_FORMATS, render_corpus, write_parquet
from aligner.load import load_run
from aligner.write import atomic_path, check_free, write_text_atomic

from .common import BAD_INPUT, EXISTS, error

CorpusFormat = StrEnum("CorpusFormat", {k: k for k in CORPUS_FORMATS})  # type: ignore[misc]


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
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Build a training corpus from RUN_DIR: filter, deduplicate, write, and summarise.

    Writes `corpus.<src>` and `corpus.<tgt>` (Moses), corpus.jsonl, corpus.tsv and
    corpus.parquet, and export-summary.json with how many pairs each filter dropped.
    """
    target = out or run_dir / "corpus"
    fmts = [f.value for f in formats] if formats else list(CORPUS_FORMATS)
    try:
        src_lang, tgt_lang, pairs = load_run(run_dir)
    except AlignerError as err:
        error(str(err))
        raise typer.Exit(BAD_INPUT) from None
    config = CorpusConfig(min_score, max_ratio, max_words, lang_check, dedup)
    kept, summary = build_corpus(pairs, config, src_lang, tgt_lang)
    texts = render_corpus(kept, fmts, src_lang, tgt_lang)
    files = sorted([*texts, *(["corpus.parquet"] if "parquet" in fmts else [])])
    record = {"run": run_dir.name, **summary.as_dict(), "files": files}
    texts["export-summary.json"] = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    try:
        check_free([target / name for name in [*files, "export-summary.json"]], force)
        if "parquet" in fmts:
            with atomic_path(target / "corpus.parquet", force=force) as tmp:
                write_parquet(kept, tmp, src_lang, tgt_lang)
        for name, text in texts.items():
            write_text_atomic(target / name, text, force=force)
    except OutputExistsError as err:
        error(str(err))
        raise typer.Exit(EXISTS) from None
    typer.echo(
        f"{summary.input_pairs} pair(s) read from {run_dir}; kept {len(kept)}; "
        f"wrote {len(files) + 1} file(s) to {target}/"
    )
    for name, n in summary.dropped.items():
        typer.echo(f"  dropped by {name}: {n}")
