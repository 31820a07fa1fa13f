"""``aligner export``: a filtered, deduplicated training corpus from a run's output."""

from __future__ import annotations

import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from aligner.corpus import FILTERS, Deduplicator, FilterChain
from aligner.errors import AlignerError, OutputExistsError
from aligner.export.training import write_jsonl, write_moses, write_parquet, write_scored_tsv
from aligner.load import load_run
from aligner.write import atomic_path, check_free, write_text_atomic

from .common import BAD_INPUT, EXISTS, error


class CorpusFormat(StrEnum):
    """Training corpus formats."""

    moses = "moses"
    jsonl = "jsonl"
    tsv = "tsv"
    parquet = "parquet"


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
    ] = 0.5,
    max_ratio: Annotated[
        float,
        typer.Option("--max-ratio", min=1.0, help="Drop pairs whose longer side is this many times longer."),
    ] = 3.0,
    max_words: Annotated[
        int, typer.Option("--max-words", min=1, help="Drop pairs with more words than this on a side.")
    ] = 250,
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

    Writes corpus.<src>/corpus.<tgt> (Moses), corpus.jsonl, corpus.tsv and
    corpus.parquet, and export-summary.json with how many pairs each filter dropped.
    """
    target = out or run_dir / "corpus"
    fmts = [f.value for f in formats] if formats else [f.value for f in CorpusFormat]
    try:
        src_lang, tgt_lang, pairs = load_run(run_dir)
    except AlignerError as err:
        error(str(err))
        raise typer.Exit(BAD_INPUT) from None
    filters = [
        ("min_score", FILTERS["min_score"](min_score)),
        ("length_ratio", FILTERS["length_ratio"](max_ratio)),
        ("max_length", FILTERS["max_length"](max_words)),
    ]
    if lang_check:
        filters.append(("language", FILTERS["language"](src_lang, tgt_lang)))
    chain = FilterChain(filters)
    dedupe = Deduplicator()
    kept = list(dedupe(chain(pairs)) if dedup else chain(pairs))
    texts: dict[str, str] = {}
    if "moses" in fmts:
        src_buf, tgt_buf = io.StringIO(), io.StringIO()
        write_moses(kept, src_buf, tgt_buf)
        texts[f"corpus.{src_lang}"] = src_buf.getvalue()
        texts[f"corpus.{tgt_lang}"] = tgt_buf.getvalue()
    if "jsonl" in fmts:
        buf = io.StringIO()
        write_jsonl(kept, buf, src_lang, tgt_lang)
        texts["corpus.jsonl"] = buf.getvalue()
    if "tsv" in fmts:
        buf = io.StringIO()
        write_scored_tsv(kept, buf)
        texts["corpus.tsv"] = buf.getvalue()
    dropped = {name: chain.dropped[name] for name, _ in filters}
    if dedup:
        dropped |= {k: dedupe.dropped[k] for k in ("exact_duplicate", "near_duplicate")}
    files = sorted([*texts, *(["corpus.parquet"] if "parquet" in fmts else [])])
    summary = {
        "run": run_dir.name,
        "languages": [src_lang, tgt_lang],
        "input_pairs": chain.seen,
        "dropped": dropped,
        "kept": len(kept),
        "settings": {
            "min_score": min_score,
            "max_ratio": max_ratio,
            "max_words": max_words,
            "lang_check": lang_check,
            "dedup": dedup,
        },
        "files": files,
    }
    texts["export-summary.json"] = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
    try:
        check_free([target / name for name in [*texts, *files]], force)
        if "parquet" in fmts:
            with atomic_path(target / "corpus.parquet", force=force) as tmp:
                write_parquet(kept, tmp, src_lang, tgt_lang)
        for name, text in texts.items():
            write_text_atomic(target / name, text, force=force)
    except OutputExistsError as err:
        error(str(err))
        raise typer.Exit(EXISTS) from None
    written = len(files) + 1
    typer.echo(
        f"{chain.seen} pair(s) read from {run_dir}; kept {len(kept)}; wrote {written} file(s) to {target}/"
    )
    for name, n in dropped.items():
        typer.echo(f"  dropped by {name}: {n}")
