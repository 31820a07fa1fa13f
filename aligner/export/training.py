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

import json
import marshal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from .. import subword
from ..bilingual import BilingualFile, is_bilingual_path, language_code
from ..corpus import (
    SAMPLE,
    CorpusBuilder,
    CorpusConfig,
    CorpusSummary,
    TrainingPair,
    corpus_languages,
    placed,
    read_bilingual_pairs,
    run_pairs,
)
from ..errors import ConfigError
from ..langid import probability
from ..splits import Splits, document_keys
from ..workdir import RunFolder, pair_stem
from ..write import Staging, check_free, unwritable
from .card import CARD, dataset_card
from .options import ExportOptions
from .text import BREAK_RUNS
from .tmx import PROFILES, MemoryUnit, write_memory
from .xces import XcesWriter


def write_moses(pairs: Iterable[TrainingPair], src: TextIO, tgt: TextIO) -> None:
    """Write the two sides to two files, one pair per line (texts made one line: :func:`marian_safe`)."""
    for p in pairs:
        src_line, tgt_line, _ = _safe_sides(p)
        src.write(src_line + "\n")
        tgt.write(tgt_line + "\n")


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
        "src_lid": _lid(pair.src, src_lang, pair.src_lid),
        "tgt_lid": _lid(pair.tgt, tgt_lang, pair.tgt_lid),
    }


def _lid(text: str, lang: str, measured: float | None) -> float:
    """A side's language probability: as the language filter measured it, or measured now."""
    return round(probability(text, language_code(lang)), 4) if measured is None else measured


def marian_safe(text: str) -> str:
    """``text`` with every run of tabs and line-breaking characters (what could break a TSV
    line for Marian, fairseq or pandas: :data:`aligner.export.text.BREAK_RUNS`) a space."""
    return BREAK_RUNS.sub(" ", text)


def write_scored_tsv(pairs: Iterable[TrainingPair], fh: TextIO, with_doc: bool = False) -> int:
    """``source<TAB>target<TAB>score`` (and ``<TAB>doc`` with ``with_doc``), no header; every
    text made safe for a line-based reader (:func:`marian_safe`). Returns how many pairs
    had a text changed to make it so."""
    changed = 0
    for p in pairs:
        src, tgt, made_safe = _safe_sides(p)
        changed += made_safe
        fh.write(_tsv_line(src, tgt, p, p.doc if with_doc else None))
    return changed


def _safe_sides(pair: TrainingPair) -> tuple[str, str, bool]:
    """The pair's two texts made line-safe (:func:`marian_safe`), and whether that changed one."""
    src, tgt = marian_safe(pair.src), marian_safe(pair.tgt)
    return src, tgt, src != pair.src or tgt != pair.tgt


def _tsv_line(src: str, tgt: str, pair: TrainingPair, doc: str | None = None) -> str:
    """A line of the scored TSV: the line-safe texts, the pair's score (and ``doc``)."""
    return f"{src}\t{tgt}\t{pair.score:.4f}" + (f"\t{marian_safe(doc)}\n" if doc is not None else "\n")


#: Corpus formats; ``parquet`` is written to a path, the others are text. ``tmx`` is one
#: memory of every pair, for translators (``corpus.tmx``), and ``xces`` OPUS's alignment and
#: sentence files (:mod:`aligner.export.xces`); both are written when asked for.
CORPUS_FORMATS = ("moses", "jsonl", "tsv", "parquet", "tmx", "xces")
#: What ``aligner export`` writes without ``--format``: the ML formats.
DEFAULT_CORPUS_FORMATS = ("moses", "jsonl", "tsv", "parquet")


def memory_unit(pair: TrainingPair) -> MemoryUnit:
    """A kept pair as a TMX unit of one memory: its id is its place among its pair's units as
    read (``a__b:3``: unique in the run, the same on a rerun whatever the filters), its
    context the source of the units read before and after it (:func:`aligner.corpus.placed`)."""
    source, _, target = pair.doc.partition("|")
    return MemoryUnit(
        pair.unit,
        pair.src,
        pair.tgt,
        pair.score,
        pair.kind,
        source,
        target,
        before=pair.before,
        after=pair.after,
    )


@dataclass(frozen=True)
class Subwords:
    """``--spm-vocab-size``, ``--spm-type`` and ``--max-tokens``: a SentencePiece model
    trained on the train split, and a filter by subword length with it."""

    vocab_size: int | None = None
    model_type: str = "unigram"
    max_tokens: int | None = None


class _Spool:
    """Pairs kept on disk, in order, to be read again (one at a time): a temporary file of
    ``marshal`` records in ``folder``."""

    def __init__(self, folder: Path, name: str) -> None:
        self.path = folder / f"{name}.spool"
        self._fh: BinaryIO | None = self.path.open("wb")
        self.count = 0

    def add(self, pair: TrainingPair) -> None:
        assert self._fh is not None
        marshal.dump(pair.to_tuple(), self._fh)
        self.count += 1

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __iter__(self) -> Iterator[TrainingPair]:
        self.close()
        with self.path.open("rb") as fh:
            for _ in range(self.count):
                yield TrainingPair(*marshal.load(fh))


def _stored_sentences(run_dir: Path) -> Callable[[str], tuple[list[str], list[str]] | None]:
    """A document pair (``"<source>|<target>"``) -> each document's sentences, from the run's
    stored documents (None for a review's export or a bilingual file, which keep no work
    folder, or where one is missing)."""
    run = RunFolder(run_dir)
    stored = run_dir.is_dir() and run.work.is_dir()

    def find(doc: str) -> tuple[list[str], list[str]] | None:
        source, _, target = doc.partition("|")
        marker = run.read_marker(pair_stem(source, target)) if stored and target else None
        if marker is None or not (run.has_document(marker.src_key) and run.has_document(marker.tgt_key)):
            return None
        src, tgt = (run.read_document(key, vectors=False) for key in (marker.src_key, marker.tgt_key))
        return [s.text for s in src.sentences], [s.text for s in tgt.sentences]

    return find


def _split_keys(run_dir: Path, documents: Sequence[str]) -> dict[str, str]:
    """Each document pair (``doc``) -> its split key (:func:`aligner.splits.document_keys`):
    the source document's stem, near copies sharing one, from the run's stored fingerprints."""
    sources = {d: d.partition("|")[0] for d in documents}
    fingerprints = {}
    run = RunFolder(run_dir)
    if run_dir.is_dir() and run.work.is_dir():
        for doc, source in sources.items():
            target = doc.partition("|")[2]
            marker = run.read_marker(pair_stem(source, target)) if target else None
            if source not in fingerprints and marker is not None and run.has_document(marker.src_key):
                stored = run.read_document(marker.src_key, vectors=False)
                if stored.profile is not None:
                    fingerprints[source] = stored.profile.fingerprint
    keys = document_keys(list(sources.values()), fingerprints)
    return {d: keys[s] for d, s in sources.items()}


#: Rows of a Parquet file written at a time (one row group each).
PARQUET_ROWS = 50_000


class _Writers:
    """The files of one split in the line and record formats, written a pair at a time."""

    def __init__(
        self, stage: Staging, name: str, formats: Sequence[str], src: str, tgt: str, xces: XcesWriter | None
    ) -> None:
        self.src, self.tgt = src, tgt
        self._stack = ExitStack()
        self.moses = (
            (
                self._stack.enter_context(stage.open(f"{name}.{src}")),
                self._stack.enter_context(stage.open(f"{name}.{tgt}")),
            )
            if "moses" in formats
            else None
        )
        self.jsonl = self._stack.enter_context(stage.open(f"{name}.jsonl")) if "jsonl" in formats else None
        self.tsv = self._stack.enter_context(stage.open(f"{name}.tsv")) if "tsv" in formats else None
        self.parquet = (
            _ParquetWriter(stage.path(f"{name}.parquet"), src, tgt) if "parquet" in formats else None
        )
        self.xces = self._stack.enter_context(xces.split(name)) if xces is not None else None
        self.changed = 0  # pairs with a text made line-safe

    def add(self, p: TrainingPair) -> None:
        src, tgt, made_safe = _safe_sides(p)
        self.changed += made_safe
        if self.moses is not None:
            self.moses[0].write(src + "\n")
            self.moses[1].write(tgt + "\n")
        if self.tsv is not None:
            self.tsv.write(_tsv_line(src, tgt, p))
        if self.jsonl is not None or self.parquet is not None:
            record = jsonl_record(p, self.src, self.tgt)
            if self.jsonl is not None:
                self.jsonl.write(json.dumps(record, ensure_ascii=False) + "\n")
            if self.parquet is not None:
                self.parquet.add(record)
        if self.xces is not None:
            self.xces(p)

    def close(self) -> None:
        if self.parquet is not None:
            self.parquet.close()
        self._stack.close()


def _parquet_schema(src_lang: str, tgt_lang: str) -> Any:
    import pyarrow as pa

    return pa.schema(
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


class _ParquetWriter:
    """A Parquet file of :func:`jsonl_record` rows, written :data:`PARQUET_ROWS` at a time."""

    def __init__(self, path: Path, src_lang: str, tgt_lang: str) -> None:
        import pyarrow.parquet as pq

        self.schema = _parquet_schema(src_lang, tgt_lang)
        self.writer = pq.ParquetWriter(path, self.schema)
        self.rows: list[dict[str, object]] = []

    def add(self, record: dict[str, object]) -> None:
        self.rows.append(record)
        if len(self.rows) >= PARQUET_ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
        self.rows = []

    def close(self) -> None:
        if self.rows:
            self._flush()
        self.writer.close()


#: The summary file written beside a corpus.
SUMMARY = "export-summary.json"


@dataclass(frozen=True)
class CorpusExport:
    """What :func:`export_corpus` did."""

    summary: CorpusSummary
    files: tuple[str, ...]  # the corpus files written (the summary and the card aside)
    source: BilingualFile | None = None  # the TMX or XLIFF file read, when it was one
    splits: dict[str, int] | None = None  # pairs per split, when split
    split_by: str = "document"  # what was assigned to a split whole: "document", or "unit" for a file
    tmx_left_out: int = 0  # kept pairs a TMX profile's length limit left out of the TMX (Trados)
    removed: tuple[str, ...] = ()  # with force: the previous export's files this one did not write


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
    (:class:`aligner.corpus.CorpusBuilder`), and write it to ``target`` in ``formats``, with
    :data:`SUMMARY` (the filters' counts; for a file, its units' counts too). ``options``
    (profile, locales, date) apply to the ``tmx`` format: one memory of every pair.
    ``splits`` writes each split in every format (``train.jsonl``...), documents
    assigned whole (:mod:`aligner.splits`), or a file's units one by one (it is one
    document); ``subwords`` trains a SentencePiece model on the train split and filters
    by subword length with it (:mod:`aligner.subword`).

    A run's pairs stream: they are read one pair's file at a time, the kept ones spooled
    to a temporary file per split, and every format written from the spool a pair at a
    time, so memory holds the duplicate digests (8 bytes a pair), not the corpus. Every
    file goes to a temporary beside its name and is renamed at the end: nothing is
    written if a file is in the way and ``force`` is off, or if the export fails. With
    ``force``, the files that the export in ``target`` before it wrote (as its
    :data:`SUMMARY` lists them: splits, previews, XCES sentence files) and this one did not
    are removed once the new files are in place (:func:`_previous_files`); nothing else is.

    :raises InputError: the run folder or file cannot be read (:func:`aligner.corpus.run_pairs`).
    :raises OutputExistsError: a file is in the way.
    """
    source: BilingualFile | None = None
    pairs: Iterable[TrainingPair]
    bilingual = is_bilingual_path(run_dir) and not run_dir.is_dir()
    if "xces" in formats and bilingual:  # before the file is read
        _refuse_xces(run_dir, bilingual=True)
    if bilingual:
        source, units = read_bilingual_pairs(run_dir, src_lang, tgt_lang)
        src, tgt = corpus_languages(source.src_locale, source.tgt_locale)
        head: dict[str, object] = bilingual_record(source)
        signature = ""
        pairs, documents = units, [run_dir.name]
    else:
        run = run_pairs(run_dir)
        src, tgt = run.languages
        head = {"run": run_dir.name}
        signature = RunFolder(run_dir).read_manifest().signature
        pairs, documents = run, list(run.documents)
        if "xces" in formats and not RunFolder(run_dir).work.is_dir():
            _refuse_xces(run_dir, bilingual=False)
    names = list(splits.names) if splits is not None else ["corpus"]
    subwords = subwords or Subwords()
    if subwords.vocab_size is not None and splits is not None and "train" not in names:
        raise ConfigError(f"--spm-vocab-size trains on the train split; --split {splits} names none")
    if subwords.vocab_size is None and subwords.max_tokens is not None:
        raise ConfigError("--max-tokens counts SentencePiece pieces: give --spm-vocab-size too")
    expected = [f for name in names for f in _file_names(name, formats, src, tgt)] + [SUMMARY, CARD]
    if subwords.vocab_size is not None:
        expected += [subword.MODEL_FILE, subword.VOCAB_FILE]
    check_free([target / f for f in expected], force)  # before any work; all again when renamed
    previous = _previous_files(target) if force else []
    # A TMX or XLIFF file is one document: split by document, all of it went to one split.
    # Its units are split instead, each by a hash of its place in the file (``mem:12``), as
    # a run's documents are by their names: the same split on every rerun, whatever the filters.
    split_by = "unit" if source is not None else "document"
    keys = _split_keys(run_dir, documents) if splits is not None and source is None else {}
    builder = CorpusBuilder(config, src, tgt)
    extra: dict[str, object] = {}
    created = not target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise unwritable(target, err) from None
    try:
        with (
            Staging(target, force) as stage,
            tempfile.TemporaryDirectory(prefix=".export-", dir=target) as tmp,
            ExitStack() as closing,
        ):
            spools = {name: _Spool(Path(tmp), name) for name in names}
            for spool in spools.values():
                closing.callback(spool.close)
            for p in builder(placed(pairs)):
                if splits is None:
                    spools["corpus"].add(p)
                else:
                    spools[splits.of(p.unit if source is not None else keys[p.doc])].add(p)
            summary = builder.summary()
            if subwords.vocab_size is not None:
                train_name = "train" if "train" in spools else names[0]
                trained = subword.train(
                    (t for p in spools[train_name] for t in (p.src, p.tgt)),
                    subwords.vocab_size,
                    subwords.model_type,
                )
                with stage.path(subword.MODEL_FILE).open("wb") as fh:
                    fh.write(trained.model)
                stage.write_text(subword.VOCAB_FILE, trained.vocab)
                extra["sentencepiece"] = {
                    "model": subword.MODEL_FILE,
                    "vocab_size": subwords.vocab_size,
                    "type": subwords.model_type,
                    "trained_on": train_name,
                    "sentences": trained.sentences,
                }
                if subwords.max_tokens is not None:
                    spools, summary = _drop_long(
                        spools, trained.processor, subwords.max_tokens, summary, Path(tmp)
                    )
                    for spool in spools.values():
                        closing.callback(spool.close)
            counts = {name: spool.count for name, spool in spools.items()}
            xces = XcesWriter(stage, src, tgt, _stored_sentences(run_dir)) if "xces" in formats else None
            changed = tmx_left_out = 0
            for name, spool in spools.items():
                writers = _Writers(stage, name, formats, src, tgt, xces)
                try:
                    for p in spool:
                        writers.add(p)
                finally:
                    writers.close()
                changed += writers.changed
                if "tmx" in formats:
                    with stage.open(f"{name}.tmx") as fh:
                        written = write_memory(
                            (memory_unit(p) for p in spool), fh, src, tgt, options, signature
                        )
                    tmx_left_out += spool.count - written  # a profile's length limit (Trados)
            # A preview of what each filter dropped, to check its threshold by eye.
            for name, dropped_pairs in sorted(summary.samples.items()):
                with stage.open(f"dropped/{name}.tsv") as fh:
                    write_scored_tsv(dropped_pairs, fh, with_doc=True)
            files = sorted(stage.names)
            if "tsv" in formats or "moses" in formats:
                extra["line_safe"] = {
                    "pairs_changed": changed,
                    "how": "tabs and line breaks in a text became spaces in the TSV and Moses files",
                }
            if tmx_left_out:
                profile = PROFILES[(options or ExportOptions()).profile]
                extra["tmx_left_out"] = {
                    "pairs": tmx_left_out,
                    "why": f"longer than {profile.max_chars:,} characters on a side, which "
                    f"{profile.name} refuses: left out of the TMX only, kept in the other formats",
                }
            if splits is not None:
                extra["splits"] = {"spec": str(splits), "by": split_by, "pairs": counts}
            record = {**head, **summary.as_dict(), **extra, "files": files}
            stage.write_text(SUMMARY, json.dumps(record, ensure_ascii=False, indent=2) + "\n")
            stage.write_text(CARD, dataset_card((src, tgt), files, counts, record, signature))
            stage.commit()
        removed = _remove_previous(target, previous, files)  # once the new files are in place
    except BaseException:
        if created:
            _remove_empty(target)
        raise
    splits_done = counts if splits is not None else None
    return CorpusExport(summary, tuple(files), source, splits_done, split_by, tmx_left_out, removed)


def _refuse_xces(run_dir: Path, bilingual: bool) -> None:
    """Refuse ``--format xces`` for an input that keeps no documents to write its sentence
    files from: a TMX or XLIFF file (``bilingual``), or a folder without a run's work folder
    (a review's export). It wrote an empty ``<cesAlign>`` there.

    :raises ConfigError: naming the input and what to do.
    """
    if bilingual:
        raise ConfigError(
            f"{run_dir}: --format xces needs the documents a run stored (their sentences, for "
            "the sentence files the links point into), and a TMX or XLIFF file has only its "
            "units. Leave xces out (tmx, jsonl, tsv... work), or export the run that made the file."
        )
    raise ConfigError(
        f"{run_dir}: --format xces needs the documents a run stored in its {RunFolder(run_dir).work.name}/ "
        "folder, and this folder has none (a review's export, or a run whose work folder was "
        "removed). Leave xces out, or export the run's own output folder."
    )


def _previous_files(target: Path) -> list[str]:
    """The files the previous export to ``target`` wrote, as its :data:`SUMMARY` lists them
    (``files``: the corpus files, ``dropped/`` previews, ``xces/`` sentence files), those
    still plain files inside ``target``; none when there is no summary that can be read.
    Only these may be removed: anything else in the folder is the user's."""
    try:
        listed = json.loads((target / SUMMARY).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    root = target.resolve()
    found = []
    for name in listed if isinstance(listed, list) else []:
        if not isinstance(name, str) or name in (SUMMARY, CARD) or not name:
            continue
        path = target / name
        # a summary edited by hand must not reach outside the folder, nor through a link
        if Path(name).is_absolute() or ".." in Path(name).parts or path.is_symlink() or not path.is_file():
            continue
        if root in path.resolve().parents:
            found.append(name)
    return found


def _remove_previous(target: Path, previous: Sequence[str], written: Sequence[str]) -> tuple[str, ...]:
    """Remove the files of ``previous`` (:func:`_previous_files`) that are not in ``written``,
    and the folders of ``target`` they leave empty (``dropped/``, ``xces/it/``); what was removed."""
    keep = set(written)
    removed = []
    for name in previous:
        if name in keep:
            continue
        path = target / name
        path.unlink(missing_ok=True)
        removed.append(name)
        for folder in path.parents:
            if folder == target or not folder.is_relative_to(target) or any(folder.iterdir()):
                break
            folder.rmdir()
    return tuple(removed)


def _remove_empty(folder: Path) -> None:
    """Remove ``folder`` and the folders in it if they hold no file (a failed export made them)."""
    for sub in sorted((d for d in folder.rglob("*") if d.is_dir()), reverse=True):
        if not any(sub.iterdir()):
            sub.rmdir()
    if not any(folder.iterdir()):
        folder.rmdir()


def _file_names(name: str, formats: Sequence[str], src: str, tgt: str) -> list[str]:
    """The files of the split ``name`` in ``formats`` (XCES's sentence files aside)."""
    extensions = {"moses": [src, tgt], "jsonl": ["jsonl"], "tsv": ["tsv"], "parquet": ["parquet"]}
    extensions |= {"tmx": ["tmx"], "xces": ["xces.xml"]}
    return [f"{name}.{ext}" for f in formats for ext in extensions[f]]


def _drop_long(
    spools: dict[str, _Spool], processor: Any, limit: int, summary: CorpusSummary, folder: Path
) -> tuple[dict[str, _Spool], CorpusSummary]:
    """The spools less the pairs with more than ``limit`` subword pieces on a side, and the
    summary with them counted (``max_tokens``) and the first of them previewed."""
    out: dict[str, _Spool] = {}
    dropped = 0
    sample: list[TrainingPair] = []
    for name, spool in spools.items():
        out[name] = _Spool(folder, f"{name}.short")
        for p in spool:
            if subword.pieces(processor, p.src) <= limit and subword.pieces(processor, p.tgt) <= limit:
                out[name].add(p)
            else:
                dropped += 1
                if len(sample) < SAMPLE:
                    sample.append(p)
    summary = replace(
        summary,
        dropped={**summary.dropped, "max_tokens": dropped},
        kept=summary.kept - dropped,
        samples={**summary.samples, "max_tokens": sample} if sample else summary.samples,
    )
    return out, summary
