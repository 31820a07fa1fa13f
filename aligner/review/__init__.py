"""Reviewing alignments: a SQLite project, a browser workspace, a static report.

- :mod:`.edits`: the edits, as pure functions on a pair's links;
- :mod:`.source`: reading a run's pairs back (sentences, links);
- :mod:`.store`: the project file, with every edit, undo and redo;
- :mod:`.app`: the Starlette workspace; :mod:`.report`: the read-only page;
- :mod:`.export`: the reviewed links in every format.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..workdir import MANIFEST, RunFolder
from .source import read_run
from .store import Project

#: The project file's name inside a run's output folder.
PROJECT_FILE = "review.sqlite"


@dataclass(frozen=True)
class Opened:
    """A project opened for a path the user gave."""

    project: Project
    run: Path | None  # the run folder, when there is one
    start: str | None  # the stem of the pair to open first, when one was named
    added: int  # pairs of the run added to the project now
    created: bool = False  # the project file was made now


def locate(path: Path, project_file: Path | None = None) -> tuple[Path | None, Path, str | None]:
    """Where the run, the project file and the named pair are, for the ``path`` given.

    ``path`` is a run's output folder, one pair's output file in it (``.links``,
    ``.tmx``, ``.tsv``), or a project file.
    """
    if path.is_dir():
        if not RunFolder(path).is_run():
            raise InputError(
                path,
                f"has no {MANIFEST}, so it is not the output folder of `aligner run`",
                "Run `aligner run INPUT --out FOLDER` first and review FOLDER.",
            )
        return path, project_file or path / PROJECT_FILE, None
    if path.is_file() and path.suffix in (".sqlite", ".db"):
        return None, path, None
    if path.is_file() and RunFolder(path.parent).is_run():
        return path.parent, project_file or path.parent / PROJECT_FILE, path.stem
    if not path.exists():
        raise InputError(
            path,
            "does not exist",
            "Give a run's output folder, one of its pair files, or a review project file.",
        )
    raise InputError(
        path,
        "is neither a run's output folder, nor a pair file in one, nor a review project",
        "Give the folder `aligner run --out` wrote.",
    )


def open_project(path: Path, project_file: Path | None = None) -> Opened:
    """Open (or create) the review project for ``path``; add the run's new pairs.

    Pairs already in the project keep their review; a pair of the run that is
    not in the project yet (a new run, or a project made for one pair) is added.
    """
    run_folder, file, start = locate(path, project_file)
    if run_folder is None:
        return Opened(Project.open(file), None, None, 0)
    if file.exists():
        project = Project.open(file)
        known = {p.stem for p in project.pairs()}
        run = read_run(run_folder, only=start)
        new = [p for p in run.pairs if p.stem not in known]
        if new:
            project.add_pairs(new)
        return Opened(project, run_folder, start, len(new))
    run = read_run(run_folder, only=start)
    project = Project.create(file, run)
    return Opened(project, run_folder, start, len(run.pairs), created=True)
