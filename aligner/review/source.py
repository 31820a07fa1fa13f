"""Reading a run's pairs back for review and for the report.

An ``aligner run`` output folder holds, for each pair, a marker
``.aligner/pairs/<stem>.json`` naming the two stored documents
(``.aligner/docs/<key>.npy``: sentences with offsets and paragraphs) and the
``<stem>.links`` file with every link, null links included. Those are all a
review needs; the input folder is not read again.

A TMX or XLIFF file (:mod:`aligner.bilingual`) is read as a run of one pair
(:func:`bilingual_run`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..bilingual import UNSCORED, BilingualFile
from ..errors import InputError
from ..export.links import read_links
from ..model import Sentence
from ..workdir import PairRecord, RunFolder
from .edits import EditError, ReviewLink, check_cover


@dataclass(frozen=True)
class DocumentData:
    """A document of a pair: its file name, language, date and sentences."""

    name: str
    lang: str
    date: str | None
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class PairData:
    """One aligned pair as a run wrote it."""

    stem: str
    source: DocumentData
    target: DocumentData
    score: float  # the pairing score
    links: tuple[ReviewLink, ...]


@dataclass(frozen=True)
class RunData:
    """The pairs of a run, with the run's signature."""

    folder: Path
    signature: str
    pairs: tuple[PairData, ...]


def _fix(folder: Path) -> str:
    return f"Rerun `aligner run INPUT --out {folder}` (the default formats include links) and try again."


def _document(run: RunFolder, key: str, name: str) -> DocumentData:
    stored = run.read_document(key, vectors=False)
    return DocumentData(name, stored.record.language or "", stored.record.date, stored.sentences)


def _pair(run: RunFolder, entry: PairRecord) -> PairData:
    stem = entry.stem
    marker = run.read_marker(stem)
    if marker is None:
        raise InputError(run.marker_path(stem), "the pair's record is missing", _fix(run.path))
    source = _document(run, marker.src_key, entry.source)
    target = _document(run, marker.tgt_key, entry.target)
    links_name = entry.files.get("links")
    if links_name is None:
        raise InputError(run.manifest_path, f"the pair {stem} has no links file", _fix(run.path))
    links_path = run.output_path(links_name)
    try:
        lines = links_path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise InputError(links_path, f"cannot be read ({err.strerror})", _fix(run.path)) from None
    links = tuple(
        ReviewLink(lk.src, lk.tgt, lk.score, moved=lk.moved) for lk in read_links(lines, str(links_path))
    )
    try:
        check_cover(links, len(source.sentences), len(target.sentences))
    except EditError:
        raise InputError(
            links_path,
            "the links do not cover every sentence once, in order (was the run made with --min-score?)",
            f"Rerun `aligner run INPUT --out {run.path} --force` without --min-score; "
            "filter by score when exporting instead",
        ) from None
    return PairData(stem, source, target, entry.score, links)


def read_run(folder: Path, only: str | None = None) -> RunData:
    """Read the pairs of the run in ``folder`` (or only the pair with stem ``only``).

    :raises InputError: naming the missing or broken file and how to rebuild it.
    """
    run = RunFolder(folder)
    manifest = run.read_manifest()
    pairs = tuple(_pair(run, entry) for entry in manifest.pairs if only is None or entry.stem == only)
    if only is not None and not pairs:
        raise InputError(folder, f"the run has no pair {only!r}", "Give a pair's file from the run's folder.")
    return RunData(folder, manifest.signature, pairs)


def _unit_sentences(texts: list[str]) -> tuple[Sentence, ...]:
    """One sentence per text, with offsets into the texts joined by newlines, all in one paragraph."""
    out, start = [], 0
    for k, text in enumerate(texts):
        out.append(Sentence(k, text, start, start + len(text), 0))
        start += len(text) + 1
    return tuple(out)


def bilingual_run(file: BilingualFile) -> RunData:
    """The units of a TMX or XLIFF file as a run of one pair, for the review and the report.

    The pair's stem is the file's (``news.tmx``: ``news``), so ``review-export``
    writes ``news.tmx``; its two documents are named by the file and locale
    (``news.tmx (it-IT)``) and are in the file's locales, which the exported TMX
    keeps. Each unit is one sentence on either side, all in one paragraph (a
    translation memory's units are no running text), linked 1-1 with the unit's
    own score.

    A unit with no score of its own is linked with :data:`aligner.bilingual.UNSCORED`
    (1.0): a translator made it, and the review exports the links a reviewer draws
    with that score too. It shows as 1.00, not as "edited" (what a link with no
    score means in the review: one the reviewer made), and a corpus made from the
    file gives it the same score.
    """
    name = file.path.name
    pair = PairData(
        file.path.stem,
        DocumentData(
            f"{name} ({file.src_locale})",
            file.src_locale,
            None,
            _unit_sentences([u.source for u in file.units]),
        ),
        DocumentData(
            f"{name} ({file.tgt_locale})",
            file.tgt_locale,
            None,
            _unit_sentences([u.target for u in file.units]),
        ),
        UNSCORED,
        tuple(
            ReviewLink((k,), (k,), UNSCORED if u.score is None else u.score) for k, u in enumerate(file.units)
        ),
    )
    return RunData(file.path, "", (pair,))
