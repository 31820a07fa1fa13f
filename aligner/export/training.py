"""Writers of training corpora: the file formats ML pipelines read.

- Moses-style file pairs: line k of ``corpus.<src>`` translates line k of
  ``corpus.<tgt>`` (OpusFilter, fairseq, Marian);
- JSON Lines, one ``{"translation": {"it": ..., "en": ...}, "score": ..., "doc": ...}``
  per line (Hugging Face ``datasets``);
- TSV ``source<TAB>target<TAB>score`` (Bicleaner's layout: a 0-1 score column);
- Parquet with the same columns as the JSON Lines (``translation`` a struct).

Texts are already on one line (:func:`aligner.export.text.one_line`).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from .. import subword
from ..bilingual import BilingualFile, is_bilingual_path
from ..corpus import (
    SAMPLE,
    CorpusConfig,
    CorpusSummary,
    TrainingPair,
    build_corpus,
    corpus_languages,
    read_bilingual_pairs,
    read_run_pairs,
)
from ..errors import ConfigError
from ..langid import probability
from ..splits import Splits, document_keys
from ..workdir import RunFolder, pair_stem
from ..write import atomic_path, check_free, write_text_atomic
from .card import CARD, dataset_card
from .options import ExportOptions
from .tmx import MemoryUnit, build_memory, write_tree
from .xces import render_xces


def write_moses(pairs: Iterable[TrainingPair], src: TextIO, tgt: TextIO) -> None:
    """Write the two sides to two files, one pair per line (texts made one line: :func:`marian_safe`)."""
    for p in pairs:
        src.write(marian_safe(p.src) + "\n")
        tgt.write(marian_safe(p.tgt) + "\n")


def jsonl_record(pair: TrainingPair, src_lang: str, tgt_lang: str) -> dict[str, object]:
    """The JSON Lines (and Parquet) record of a pair: the texts, the score, and where the
    pair comes from, as NLLB's mined-bitext records give it (each document, the dispatch's
    date, the link's sentences and type, each side's language-identification probability)."""
    source, _, target = pair.doc.partition("|")
    return {
        "translation": {src_lang: pair.src, tgt_lang: pair.tgt},
        "score": pair.score,
        "doc": pair.doc,
        "src_doc": source,
        "tgt_doc": target or source,
        "date": pair.date,
        "link_type": pair.kind,
        "src_sentences": list(pair.src_sentences),
        "tgt_sentences": list(pair.tgt_sentences),
        "src_lid": round(probability(pair.src, src_lang), 4),
        "tgt_lid": round(probability(pair.tgt, tgt_lang), 4),
    }


def write_jsonl(pairs: Iterable[TrainingPair], fh: TextIO, src_lang: str, tgt_lang: str) -> None:
    """One JSON object per line, keys in a fixed order, UTF-8 unescaped."""
    for p in pairs:
        fh.write(json.dumps(jsonl_record(p, src_lang, tgt_lang), ensure_ascii=False) + "\n")


#: What could break a TSV line for Marian, fairseq or pandas: tabs, line ends and the
#: characters that Python's and others' line splitting take for one.
_UNSAFE = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def marian_safe(text: str) -> str:
    """``text`` with every tab and line-breaking character a space."""
    return _UNSAFE.sub(" ", text)


def write_scored_tsv(pairs: Iterable[TrainingPair], fh: TextIO, with_doc: bool = False) -> int:
    """``source<TAB>target<TAB>score`` (and ``<TAB>doc`` with ``with_doc``), no header; every
    text made safe for a line-based reader (:func:`marian_safe`). Returns how many pairs
    had a text changed to make it so."""
    changed = 0
    for p in pairs:
        src, tgt = marian_safe(p.src), marian_safe(p.tgt)
        changed += src != p.src or tgt != p.tgt
        fh.write(f"{src}\t{tgt}\t{p.score:.4f}" + (f"\t{marian_safe(p.doc)}\n" if with_doc else "\n"))
    return changed


def write_parquet(pairs: Sequence[TrainingPair], path: Path, src_lang: str, tgt_lang: str) -> None:
    """A Parquet file with the columns of :func:`jsonl_record` (``translation`` a struct of
    the two languages).

    Needs pyarrow (``pip install 'aligner[parquet]'``).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("translation", pa.struct([(src_lang, pa.string()), (tgt_lang, pa.string())])),
            ("score", pa.float64()),
            ("doc", pa.string()),
            ("src_doc", pa.string()),
            ("tgt_doc", pa.string()),
            ("date", pa.string()),
            ("link_type", pa.string()),
            ("src_sentences", pa.list_(pa.int32())),
            ("tgt_sentences", pa.list_(pa.int32())),
            ("src_lid", pa.float64()),
            ("tgt_lid", pa.float64()),
        ]
    )
    table = pa.Table.from_pylist([jsonl_record(p, src_lang, tgt_lang) for p in pairs], schema=schema)
    pq.write_table(table, path)


#: Corpus formats; ``parquet`` is written to a path, the others are text. ``tmx`` is one
#: memory of every pair, for translators (``corpus.tmx``), and ``xces`` OPUS's alignment and
#: sentence files (:mod:`aligner.export.xces`); both are written when asked for.
CORPUS_FORMATS = ("moses", "jsonl", "tsv", "parquet", "tmx", "xces")
#: What ``aligner export`` writes without ``--format``: the ML formats.
DEFAULT_CORPUS_FORMATS = ("moses", "jsonl", "tsv", "parquet")


def memory_units(pairs: Sequence[TrainingPair], kept: Sequence[TrainingPair]) -> list[MemoryUnit]:
    """The kept pairs as TMX units of one memory: each unit's id is its pair's stem and its
    place among that pair's units as read (``a__b:3``: unique in the run, the same on a
    rerun whatever the filters), and its context the source of the units read before and
    after it in the same pair."""
    place: dict[int, tuple[str, str, str]] = {}
    count: dict[str, int] = {}
    for k, p in enumerate(pairs):
        count[p.doc] = count.get(p.doc, 0) + 1
        before = pairs[k - 1].src if k > 0 and pairs[k - 1].doc == p.doc else ""
        after = pairs[k + 1].src if k + 1 < len(pairs) and pairs[k + 1].doc == p.doc else ""
        source, _, target = p.doc.partition("|")
        stem = f"{Path(source).stem}__{Path(target).stem}" if target else Path(source).stem
        place[id(p)] = (f"{stem}:{count[p.doc]}", before, after)
    units = []
    for p in kept:
        unit_id, before, after = place[id(p)]
        source, _, target = p.doc.partition("|")
        units.append(
            MemoryUnit(unit_id, p.src, p.tgt, p.score, p.kind, source, target, before=before, after=after)
        )
    return units


def render_corpus(
    pairs: Sequence[TrainingPair], formats: Sequence[str], src_lang: str, tgt_lang: str, stem: str = "corpus"
) -> dict[str, str]:
    """The text files of a corpus in ``formats`` (Parquet and TMX aside): file name -> text,
    the names ``<stem>.<ext>`` (a split's name as the stem: ``train.jsonl``)."""
    texts: dict[str, str] = {}
    if "moses" in formats:
        src, tgt = io.StringIO(), io.StringIO()
        write_moses(pairs, src, tgt)
        texts[f"{stem}.{src_lang}"] = src.getvalue()
        texts[f"{stem}.{tgt_lang}"] = tgt.getvalue()
    if "jsonl" in formats:
        buf = io.StringIO()
        write_jsonl(pairs, buf, src_lang, tgt_lang)
        texts[f"{stem}.jsonl"] = buf.getvalue()
    if "tsv" in formats:
        buf = io.StringIO()
        write_scored_tsv(pairs, buf)
        texts[f"{stem}.tsv"] = buf.getvalue()
    return texts


@dataclass(frozen=True)
class Subwords:
    """``--spm-vocab-size``, ``--spm-type`` and ``--max-tokens``: a SentencePiece model
    trained on the train split, and a filter by subword length with it."""

    vocab_size: int | None = None
    model_type: str = "unigram"
    max_tokens: int | None = None


def _stored_sentences(run_dir: Path, pairs: Sequence[TrainingPair]) -> dict[str, list[str]]:
    """Each document of ``pairs`` -> its sentences, from the run's stored documents (none
    for a review's export or a bilingual file, which keep no work folder)."""
    run = RunFolder(run_dir)
    out: dict[str, list[str]] = {}
    if not (run_dir.is_dir() and run.work.is_dir()):
        return out
    for doc in sorted({p.doc for p in pairs}):
        source, _, target = doc.partition("|")
        marker = run.read_marker(pair_stem(source, target)) if target else None
        if marker is None:
            continue
        for name, key in ((source, marker.src_key), (target, marker.tgt_key)):
            if name not in out and run.has_document(key):
                out[name] = [s.text for s in run.read_document(key, vectors=False).sentences]
    return out


def _split_keys(run_dir: Path, pairs: Sequence[TrainingPair]) -> dict[str, str]:
    """Each pair's document (``doc``) -> its split key (:func:`aligner.splits.document_keys`):
    the source document's stem, near copies sharing one, from the run's stored fingerprints."""
    sources = {p.doc: p.doc.partition("|")[0] for p in pairs}
    fingerprints = {}
    run = RunFolder(run_dir)
    if run_dir.is_dir() and run.work.is_dir():
        for doc in sorted(set(sources.values())):
            entry = next((p for p in pairs if sources[p.doc] == doc), None)
            target = "" if entry is None else entry.doc.partition("|")[2]
            marker = run.read_marker(pair_stem(doc, target)) if target else None
            if marker is not None and run.has_document(marker.src_key):
                stored = run.read_document(marker.src_key, vectors=False)
                if stored.profile is not None:
                    fingerprints[doc] = stored.profile.fingerprint
    keys = document_keys(list(sources.values()), fingerprints)
    return {d: keys[s] for d, s in sources.items()}


#: The summary file written beside a corpus.
SUMMARY = "export-summary.json"


@dataclass(frozen=True)
class CorpusExport:
    """What :func:`export_corpus` did."""

    summary: CorpusSummary
    files: tuple[str, ...]  # the corpus files written (the summary and the card aside)
    source: BilingualFile | None = None  # the TMX or XLIFF file read, when it was one
    splits: dict[str, int] | None = None  # pairs per split, when split


def bilingual_record(file: BilingualFile) -> dict[str, object]:
    """What :data:`SUMMARY` says of a TMX or XLIFF file read: its format and locales, and
    how many units it had, had inline codes, were skipped as empty and had no score."""
    record: dict[str, object] = {
        "input": file.path.name,
        "format": file.format,
        "locales": [file.src_locale, file.tgt_locale],
        "units": {
            "read": len(file.units),
            "with_inline_codes": file.inline,
            "skipped_empty": file.empty,
            "unscored": file.unscored,
        },
    }
    if file.notices:
        record["notices"] = list(file.notices)
    return record


def export_corpus(
    run_dir: Path,
    target: Path,
    formats: Sequence[str],
    config: CorpusConfig,
    force: bool = False,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    options: ExportOptions | None = None,
    splits: Splits | None = None,
    subwords: Subwords | None = None,
) -> CorpusExport:
    """Build a training corpus from the run in ``run_dir``, or from the TMX or XLIFF file
    ``run_dir`` (its units, :func:`aligner.corpus.read_bilingual_pairs`; ``src_lang`` and
    ``tgt_lang`` choose a TMX's languages), filtered and deduplicated
    (:func:`aligner.corpus.build_corpus`), and write it to ``target`` in ``formats``, with
    :data:`SUMMARY` (the filters' counts; for a file, its units' counts too). ``options``
    (profile, locales, date) apply to the ``tmx`` format: one memory of every pair.
    ``splits`` writes each split in every format (``train.jsonl``...), documents
    assigned whole (:mod:`aligner.splits`); ``subwords`` trains a SentencePiece model
    on the train split and filters by subword length with it (:mod:`aligner.subword`).

    Nothing is written if a file is in the way and ``force`` is off.

    :raises InputError: the run folder or file cannot be read (:func:`aligner.corpus.read_run_pairs`).
    :raises OutputExistsError: a file is in the way.
    """
    source: BilingualFile | None = None
    if is_bilingual_path(run_dir) and not run_dir.is_dir():
        source, pairs = read_bilingual_pairs(run_dir, src_lang, tgt_lang)
        src, tgt = corpus_languages(source.src_locale, source.tgt_locale)
        head: dict[str, object] = bilingual_record(source)
        signature = ""
    else:
        src, tgt, pairs = read_run_pairs(run_dir)
        head = {"run": run_dir.name}
        signature = RunFolder(run_dir).read_manifest().signature
    kept, summary = build_corpus(pairs, config, src, tgt)
    parts: dict[str, list[TrainingPair]] = {"corpus": kept}
    if splits is not None:
        keys = _split_keys(run_dir, kept)
        parts = {name: [] for name in splits.names}
        for p in kept:
            parts[splits.of(keys[p.doc])].append(p)
    subwords = subwords or Subwords()
    extra: dict[str, object] = {}
    model_files: list[str] = []
    trained: subword.Model | None = None
    if subwords.vocab_size is not None:
        train_name = "train" if "train" in parts else next(iter(parts))
        if splits is not None and "train" not in parts:
            raise ConfigError(f"--spm-vocab-size trains on the train split; --split {splits} names none")
        texts_for = [t for p in parts[train_name] for t in (p.src, p.tgt)]
        trained = subword.train(texts_for, subwords.vocab_size, subwords.model_type)
        processor = trained.processor
        model_files = [subword.MODEL_FILE, subword.VOCAB_FILE]
        extra["sentencepiece"] = {
            "model": subword.MODEL_FILE,
            "vocab_size": subwords.vocab_size,
            "type": subwords.model_type,
            "trained_on": train_name,
            "sentences": len(texts_for),
        }
        if subwords.max_tokens is not None:
            limit = subwords.max_tokens
            too_long: list[TrainingPair] = []
            for name, items in parts.items():
                keep: list[TrainingPair] = []
                for p in items:
                    fits = (
                        subword.pieces(processor, p.src) <= limit
                        and subword.pieces(processor, p.tgt) <= limit
                    )
                    (keep if fits else too_long).append(p)
                parts[name] = keep
            summary = replace(
                summary,
                dropped={**summary.dropped, "max_tokens": len(too_long)},
                kept=summary.kept - len(too_long),
                samples={**summary.samples, "max_tokens": too_long[:SAMPLE]} if too_long else summary.samples,
            )
    elif subwords.max_tokens is not None:
        raise ConfigError("--max-tokens counts SentencePiece pieces: give --spm-vocab-size too")
    texts: dict[str, str] = {}
    for name, items in parts.items():
        texts |= render_corpus(items, formats, src, tgt, name)
    # A preview of what each filter dropped, to check its threshold by eye.
    for name, dropped_pairs in sorted(summary.samples.items()):
        buf = io.StringIO()
        write_scored_tsv(dropped_pairs, buf, with_doc=True)
        texts[f"dropped/{name}.tsv"] = buf.getvalue()
    for name, items in parts.items():
        if "tmx" in formats:
            tree = build_memory(memory_units(pairs, items), src, tgt, options, signature)
            buf = io.StringIO()
            write_tree(tree, buf)
            texts[f"{name}.tmx"] = buf.getvalue()
    if "xces" in formats:
        texts |= render_xces(parts, src, tgt, _stored_sentences(run_dir, kept))
    parquet = [f"{name}.parquet" for name in parts] if "parquet" in formats else []
    files = sorted([*texts, *parquet, *model_files])
    if "tsv" in formats or "moses" in formats:
        extra["line_safe"] = {
            "pairs_changed": sum(marian_safe(p.src) != p.src or marian_safe(p.tgt) != p.tgt for p in kept),
            "how": "tabs and line breaks in a text became spaces in the TSV and Moses files",
        }
    if splits is not None:
        extra["splits"] = {
            "spec": str(splits),
            "by": "document",
            "pairs": {n: len(v) for n, v in parts.items()},
        }
    record = {**head, **summary.as_dict(), **extra, "files": files}
    texts[SUMMARY] = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    counts_per_part = {n: len(v) for n, v in parts.items()}
    texts[CARD] = dataset_card((src, tgt), files, counts_per_part, record, signature)
    if trained is not None:
        texts[subword.VOCAB_FILE] = trained.vocab
    check_free([target / name for name in [*texts, *parquet, *model_files]], force)
    if trained is not None:
        with atomic_path(target / subword.MODEL_FILE, force=force) as tmp:
            tmp.write_bytes(trained.model)
    for name, items in parts.items():
        if "parquet" in formats:
            with atomic_path(target / f"{name}.parquet", force=force) as tmp:
                write_parquet(items, tmp, src, tgt)
    for name, text in texts.items():
        write_text_atomic(target / name, text, force=force)
    return CorpusExport(summary, tuple(files), source, counts_per_part if splits is not None else None)
