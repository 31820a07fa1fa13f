"""Reading a run's pairs back for review and for the report.

An ``aligner run`` output folder holds, for each pair, a marker
``.aligner/pairs/<stem>.json`` naming the two stored documents
(``.aligner/docs/<key>.npz``: sentences with offsets and paragraphs) and the
``<stem>.links`` file with every link, null links included. Those are all a
review needs; the input folder is not read again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..export.links import read_links
from ..load import read_manifest
from ..model import DocPair, Sentence
from ..pipeline import MANIFEST, WORK, doc_path, marker_path, pair_stem, stored_meta, stored_sentences
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


def _document(folder: Path, key: str, name: str) -> DocumentData:
    path = doc_path(folder / WORK, key)
    try:
        meta = stored_meta(path)
    except (OSError, ValueError, KeyError) as err:
        raise InputError(path, f"the stored document {name} cannot be read ({err})", _fix(folder)) from None
    record = meta["record"]
    return DocumentData(name, record["language"] or "", record["date"], tuple(stored_sentences(meta)))


def read_run(folder: Path, only: str | None = None) -> RunData:
    """Read the pairs of the run in ``folder`` (or only the pair with stem ``only``).

    :raises InputError: naming the missing or broken file and how to rebuild it.
    """
    manifest_path = folder / MANIFEST
    manifest = read_manifest(folder)
    pairs = []
    entries: list[dict[str, Any]] = manifest.get("pairs", [])
    for entry in entries:
        stem = pair_stem(DocPair(entry["source"], entry["target"], float(entry["score"])))
        if only is not None and stem != only:
            continue
        marker_file = marker_path(folder, stem)
        try:
            marker = json.loads(marker_file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise InputError(marker_file, f"the pair's record cannot be read ({err})", _fix(folder)) from None
        source = _document(folder, marker["src_key"], entry["source"])
        target = _document(folder, marker["tgt_key"], entry["target"])
        links_name = entry.get("files", {}).get("links")
        if links_name is None:
            raise InputError(manifest_path, f"the pair {stem} has no links file", _fix(folder))
        links_path = folder / links_name
        try:
            lines = links_path.read_text(encoding="utf-8").splitlines()
        except OSError as err:
            raise InputError(links_path, f"cannot be read ({err.strerror})", _fix(folder)) from None
        links = tuple(ReviewLink(lk.src, lk.tgt, lk.score) for lk in read_links(lines, str(links_path)))
        try:
            check_cover(links, len(source.sentences), len(target.sentences))
        except EditError:
            raise InputError(
                links_path,
                "the links do not cover every sentence once, in order (was the run made with --min-score?)",
                f"Rerun `aligner run INPUT --out {folder} --force` without --min-score; "
                "filter by score when exporting instead",
            ) from None
        pairs.append(PairData(stem, source, target, float(entry["score"]), links))
    if only is not None and not pairs:
        raise InputError(folder, f"the run has no pair {only!r}", "Give a pair's file from the run's folder.")
    return RunData(folder, str(manifest.get("signature", "")), tuple(pairs))
