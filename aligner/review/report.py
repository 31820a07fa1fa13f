"""``aligner report``: one self-contained, read-only HTML page of an alignment.

The page carries its style sheet inline and no script at all (its
Content-Security-Policy forbids scripts), so it can be mailed or put on any web
server. It shows the review's state when a review project exists, the run's
links otherwise; the rows are the workspace's rows, escaped the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..version import __version__
from .source import RunData
from .store import PairView, Project
from .view import environment, rows, static_text


@dataclass(frozen=True)
class _Item:
    view: PairView
    rows: list[Any]
    progress: dict[str, int]


def _views_of_run(run: RunData) -> Iterable[PairView]:
    for k, pair in enumerate(run.pairs, start=1):
        yield PairView(k, pair.stem, pair.source, pair.target, pair.score, 0, pair.links)


def render_report(name: str, views: Iterable[PairView], reviewed: bool, signature: str = "") -> str:
    """The report page of ``views`` as HTML text."""
    items = [_Item(v, rows(v), v.progress()) for v in views]
    return (
        environment()
        .get_template("report.html")
        .render(
            name=name,
            pairs=items,
            reviewed=reviewed,
            css=static_text("review.css"),
            version=__version__,
            signature=signature,
        )
    )


def report_of_run(run: RunData) -> str:
    """The report of a run that has not been reviewed."""
    return render_report(run.folder.name, _views_of_run(run), False, run.signature)


def report_of_project(project: Project, name: str, only: str | None = None) -> str:
    """The report of a review project (or of its pair with stem ``only``), as the reviewer
    has left it."""
    views = (project.pair(p.id) for p in project.pairs() if only is None or p.stem == only)
    return render_report(name, views, True, project.meta().get("signature", ""))
