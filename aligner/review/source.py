"""Reading a run's pairs back for review and for the report.

An ``aligner run`` output folder holds, for each pair, a marker
``.aligner/pairs/<stem>.json`` naming the two stored documents
(``.aligner/docs/<key>.npy``: sentences with offsets and paragraphs) and the
``<stem>.links`` file with every link, null links included. Those are all a
review needs; the input folder is not read again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
