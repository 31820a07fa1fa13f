"""``aligner export``: a filtered, deduplicated training corpus from a run's output, or from
a TMX or translated XLIFF file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from aligner.bilingual import is_bilingual_path
from aligner.corpus import CorpusConfig
from aligner.errors import ConfigError
from aligner.export.tmx import PROFILES
from aligner.export.training import CORPUS_FORMATS, DEFAULT_CORPUS_FORMATS, Subwords, export_corpus
from aligner.splits import parse_splits
from aligner.workdir import name_beside

from .common import ProfileOpt, SrcLocale, TgtLocale, TmxProfile, export_options, handle_errors, warn

CorpusFormat = StrEnum("CorpusFormat", {k: k for k in CORPUS_FORMATS})  # type: ignore[misc]


@handle_errors
def export_command(
    run_dir: Annotated[
        Path,
        typer.Argument(help="A run's output folder, or a TMX or translated XLIFF file (.tmx, .xlf, .xliff)."),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Output folder (default: RUN_DIR/corpus; FILE.corpus beside a file)."
        ),
    ] = None,
    formats: Annotated[
        list[CorpusFormat] | None,
        typer.Option(
            "--format",
            help="Formats (repeatable); default: moses, jsonl, tsv, parquet. tmx: one memory of every pair.",
        ),
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
    src_lang: Annotated[
        str | None,
        typer.Option(
            "--src-lang",
            help="A TMX's source language, where it has more than two (default: the header's srclang).",
        ),
    ] = None,
    tgt_lang: Annotated[
        str | None,
        typer.Option(
            "--tgt-lang", help="A TMX's target language (default: the first other language of its units)."
        ),
    ] = None,
    split: Annotated[
        str | None,
        typer.Option(
            "--split",
            help="Splits by document, e.g. train=0.98,valid=0.01,test=0.01: each in every format "
            "(train.jsonl...), no document (nor a near copy of it) in two; a TMX or XLIFF file's "
            "units one by one.",
        ),
    ] = None,
    spm_vocab_size: Annotated[
        int | None,
        typer.Option(
            "--spm-vocab-size",
            min=8,
            help="Train a joint SentencePiece model of this size on the train split.",
        ),
    ] = None,
    spm_type: Annotated[
        str, typer.Option("--spm-type", help="The SentencePiece model: unigram or bpe.")
    ] = "unigram",
    max_tokens: Annotated[
        int | None,
        typer.Option(
            "--max-tokens", min=1, help="Drop pairs with more SentencePiece pieces than this on a side."
        ),
    ] = None,
    tmx_profile: ProfileOpt = TmxProfile.generic,  # type: ignore[attr-defined]
    src_locale: SrcLocale = None,
    tgt_locale: TgtLocale = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Overwrite existing files, and remove the files of the previous export there "
            "(as its export-summary.json lists them) that this one does not write.",
        ),
    ] = False,
) -> None:
    """Build a training corpus from RUN_DIR: filter, deduplicate, write, and summarise.

    Writes `corpus.<src>` and `corpus.<tgt>` (Moses), corpus.jsonl, corpus.tsv and
    corpus.parquet, and export-summary.json with how many pairs each filter dropped.
    With --format tmx, corpus.tmx: one translation memory of every pair, for a CAT
    tool (--tmx-profile, --src-locale, --tgt-locale).

    RUN_DIR may also be a TMX file (any tool's, any language pair) or a translated
    XLIFF 1.2 or 2.x file: its units are the pairs, in the file's languages, through
    the same filters. A unit with no score of its own counts as 1.0 (a translator made
    it). Inline codes are dropped and their text kept; units with an empty side are
    skipped; export-summary.json counts both.
    """
    bilingual = is_bilingual_path(run_dir) and not run_dir.is_dir()
    if (src_lang or tgt_lang) and not bilingual:
        raise ConfigError(
            f"{run_dir}: --src-lang and --tgt-lang choose a TMX or XLIFF file's languages; "
            "a run's output has its own. Leave them out."
        )
    target = out or (name_beside(run_dir, ".corpus") if bilingual else run_dir / "corpus")
    fmts = [f.value for f in formats] if formats else list(DEFAULT_CORPUS_FORMATS)
    config = CorpusConfig(min_score, max_ratio, max_words, lang_check, dedup, untranslated)
    options = export_options(tmx_profile, src_locale, tgt_locale)
    splits = None if split is None else parse_splits(split)
    subwords = Subwords(spm_vocab_size, spm_type, max_tokens)
    done = export_corpus(run_dir, target, fmts, config, force, src_lang, tgt_lang, options, splits, subwords)
    summary = done.summary
    if done.source is not None:
        for notice in done.source.notices:
            warn(notice)
        typer.echo(done.source.describe())
    typer.echo(
        f"{summary.input_pairs} pair(s) read from {run_dir}; kept {summary.kept}; "
        f"wrote {len(done.files) + 2} file(s) to {target}/"
    )
    for name, n in summary.dropped.items():
        typer.echo(f"  dropped by {name}: {n}")
    if done.tmx_left_out:
        limit = PROFILES[options.profile].max_chars or 0
        typer.echo(
            f"  left out of the TMX only: {done.tmx_left_out} (longer than {limit:,} characters, "
            f"which {options.profile} refuses; kept in the other formats)"
        )
    if done.removed:
        shown = ", ".join(done.removed[:5]) + (", ..." if len(done.removed) > 5 else "")
        typer.echo(f"  removed {len(done.removed)} file(s) of the previous export there: {shown}")
    if done.splits is not None:
        by = "unit (the file is one document)" if done.split_by == "unit" else "document"
        typer.echo(f"  split by {by}: " + ", ".join(f"{n} {name}" for name, n in done.splits.items()))
        empty = [name for name, n in done.splits.items() if not n]
        if empty and summary.kept:
            how = (
                "each unit goes to a split by a hash of its place in the file"
                if done.split_by == "unit"
                else "each document goes to one split, all its pairs with it, by a hash of its name"
            )
            warn(
                f"{' and '.join(empty)} got no pair: {how}, "
                f"and none of this export's {summary.kept} pair(s) fell there; export a larger run "
                "for every split to have pairs"
            )
