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

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..export import ExportOptions, render_alignment
from ..model import Alignment, Link, PairInfo, Review
from ..workdir import DocumentRecord, Manifest, PairRecord, ReviewCounts, ReviewSettings, RunFolder
from ..write import Staging
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
        links.append(Link(lk.src, lk.tgt, score, review, lk.moved))
    info = PairInfo(
        view.source.lang,
        view.target.lang,
        view.source.name,
        view.target.name,
        view.source.date or view.target.date,
        signature,
    )
    return Alignment.of(view.source.sentences, view.target.sentences, links, info)


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
    options: ExportOptions | None = None,
    only: str | None = None,
) -> ExportSummary:
    """Write every pair of ``project`` (or only the pair with stem ``only``) to ``out`` in
    ``formats``, and a manifest; ``options`` (TMX profile, locales, date) apply to TMX and
    XLIFF.

    Nothing is written if a file is in the way and ``force`` is not set.

    :raises InputError: the project has no pair ``only``.
    """
    folder = RunFolder(out)
    signature = project.meta().get("signature", "")
    texts: dict[str, str] = {}
    entries: list[PairRecord] = []
    documents: dict[str, DocumentRecord] = {}
    summary = ExportSummary()
    pairs = [p for p in project.pairs() if only is None or p.stem == only]
    if not pairs:
        raise InputError(
            project.path,
            f"holds no pair {only!r}: it was made before that pair was in the run",
            f"Open the pair with `aligner review` once (it is then added), or export all of {project.path}.",
        )
    for s in pairs:
        view = project.pair(s.id)
        al = reviewed_alignment(view, signature, approved_only)
        files = {}
        for fmt in formats:
            name = f"{view.stem}.{fmt}"
            texts[name] = render_alignment(al, fmt, min_score, options)
            files[fmt] = name
        units = [lk for lk in al.links if not lk.is_null and lk.score >= min_score]
        summary.pairs += 1
        summary.units += len(units)
        for doc in (view.source, view.target):
            documents[doc.name] = DocumentRecord(
                doc.name, "read", doc.lang, None, doc.date, len(doc.sentences)
            )
        real = [lk.score for lk in al.links if not lk.is_null]
        entries.append(
            PairRecord(
                view.source.name,
                view.target.name,
                view.score,
                files,
                al.kind_counts(),
                round(sum(real) / len(real), 4) if real else None,
                review=ReviewCounts(len(units), view.progress()["reviewed"], len(view.links)),
            )
        )
    manifest = Manifest(
        signature,
        str(project.path),
        tuple(sorted(documents.values(), key=lambda d: d.file)),
        tuple(entries),
        review=ReviewSettings(approved_only, min_score),
    )
    # All or none: every file is staged beside its name, then all are renamed at once.
    names = [*texts, folder.manifest_path.name]
    folder.check_free(names, force)
    with Staging(folder.path, force) as stage:
        for name, text in [*texts.items(), (folder.manifest_path.name, manifest.to_text())]:
            stage.write_text(name, text)
        stage.commit()
    summary.files = [*texts, folder.manifest_path.name]
    return summary
