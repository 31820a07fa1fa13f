"""Exporting a review: the links as the reviewer left them, in every format.

What is exported: rejected links never; with ``approved_only``, only the
approved ones. A link keeps the aligner's score; a link the reviewer made
(merge, split, move, detach) has none and is exported with score 1.0, since a
person drew it. Every link carries its :class:`~aligner.model.Review`, which the
TMX writer turns into ``changedate``, ``changeid``, ``x-review-status`` and a
``<note>`` for the comment.

The output folder looks like a run's: ``<stem>.<format>`` per pair and a
``manifest.json`` that ``aligner export`` reads, so the ML formats (Moses,
JSON Lines, Parquet) come from ``aligner export`` on the folder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Alignment, Link, Review
from ..pipeline import MANIFEST, render_alignment
from ..write import check_free, write_text_atomic
from .store import PairView, Project

#: The score of a link the reviewer made.
REVIEWER_SCORE = 1.0


def reviewed_alignment(view: PairView, signature: str = "", approved_only: bool = False) -> Alignment:
    """The pair ``view`` as an :class:`Alignment` of the links to export."""
    links = []
    for lk in view.links:
        if lk.status == "rejected" or (approved_only and lk.status != "approved"):
            continue
        review = Review(lk.status, lk.changed_at, lk.changed_by, lk.comment)
        score = REVIEWER_SCORE if lk.score is None else lk.score
        links.append(Link(lk.src, lk.tgt, score, review))
    return Alignment(
        tuple(view.source.sentences),
        tuple(view.target.sentences),
        tuple(links),
        view.source.lang,
        view.target.lang,
        signature,
        view.source.name,
        view.target.name,
        view.source.date or view.target.date,
    )


@dataclass
class ExportSummary:
    pairs: int = 0
    units: int = 0  # non-null links written
    files: list[str] = field(default_factory=list)


def export_review(
    project: Project,
    out: Path,
    formats: Sequence[str],
    approved_only: bool = False,
    min_score: float = 0.0,
    force: bool = False,
) -> ExportSummary:
    """Write every pair of ``project`` to ``out`` in ``formats``, and a manifest.

    Nothing is written if a file is in the way and ``force`` is not set.
    """
    signature = project.meta().get("signature", "")
    summaries = project.pairs()
    texts: dict[str, str] = {}
    entries: list[dict[str, Any]] = []
    documents: dict[str, dict[str, Any]] = {}
    summary = ExportSummary()
    for s in summaries:
        view = project.pair(s.id)
        al = reviewed_alignment(view, signature, approved_only)
        files = {}
        for fmt in formats:
            name = f"{view.stem}.{fmt}"
            texts[name] = render_alignment(al, fmt, min_score)
            files[fmt] = name
        units = [lk for lk in al.links if not lk.is_null and lk.score >= min_score]
        summary.pairs += 1
        summary.units += len(units)
        for doc in (view.source, view.target):
            documents[doc.name] = {"file": doc.name, "language": doc.lang, "date": doc.date}
        entries.append(
            {
                "source": view.source.name,
                "target": view.target.name,
                "score": view.score,
                "files": files,
                "links": al.kind_counts(),
                "units": len(units),
                "reviewed": view.progress()["reviewed"],
                "of": len(view.links),
            }
        )
    manifest = {
        "signature": signature,
        "input": str(project.path),
        "review": {"approved_only": approved_only, "min_score": min_score},
        "documents": sorted(documents.values(), key=lambda d: str(d["file"])),
        "pairs": entries,
        "unpaired": [],
        "problems": [],
    }
    texts[MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    check_free([out / name for name in texts], force)
    for name, text in texts.items():
        write_text_atomic(out / name, text, force=force)
    summary.files = list(texts)
    return summary
