"""Reviewing alignments: a SQLite project, a browser workspace, a static report.

- :mod:`.edits`: the edits, as pure functions on a pair's links;
- :mod:`.source`: reading a run's pairs back (sentences, links);
- :mod:`.store`: the project file, with every edit, undo and redo;
- :mod:`.app`: the Starlette workspace; :mod:`.report`: the read-only page;
- :mod:`.export`: the reviewed links in every format.

A TMX or XLIFF file of any tool (:mod:`aligner.bilingual`) is reviewed as one
pair, its units one sentence each, linked 1-1 (:func:`.source.bilingual_run`);
its project file goes beside it (``news.tmx``: ``news.review.sqlite``). A TMX
in a run's output folder is that run's pair, as before.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..bilingual import BilingualFile, is_bilingual_path, language_code, read_bilingual
from ..errors import InputError
from ..workdir import MANIFEST, RunFolder, name_beside
from .source import bilingual_run, read_run
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
    bilingual: BilingualFile | None = None  # the TMX or XLIFF file read now, when one was
    notices: tuple[str, ...] = ()  # what the user should know (the file changed since, ...)


#: What a project file's name adds to its stem; while it is made, it is ``.<name>.tmp`` and
#: SQLite puts its ``-journal`` beside that.
PROJECT_SUFFIX = ".review.sqlite"
_MAKING = len(".") + len(".tmp") + len("-journal")


def project_beside(path: Path) -> Path:
    """The project file of a TMX or XLIFF file: beside it, ``news.tmx`` -> ``news.review.sqlite``
    (a stem too long for a file name with that suffix is shortened, :func:`~aligner.workdir.name_beside`)."""
    return name_beside(path, PROJECT_SUFFIX, _MAKING)


def _is_run(folder: Path) -> bool:
    """True when ``folder`` is the output folder of `aligner run`, whose pairs the review reads
    back: a manifest, and not that of a review's export (:func:`_exported_from`)."""
    return RunFolder(folder).is_run() and _exported_from(folder) is None


def _exported_from(folder: Path) -> str | None:
    """The project file a review's export in ``folder`` was written from (its manifest says
    so); None for any other folder. Its files hold the reviewed units only, not the run's
    sentences, so a review export is read as TMX files of their own."""
    run = RunFolder(folder)
    if not run.is_run():
        return None
    try:
        manifest = run.read_manifest()
    except InputError:
        return None  # a broken manifest: reading the folder as a run says what is wrong
    return manifest.input if manifest.review is not None else None


def is_bilingual_input(path: Path) -> bool:
    """True when ``path`` is reviewed as a TMX or XLIFF file of its own: a file with such a
    name that is not a pair's file in a run's output folder (a review export's files are)."""
    return is_bilingual_path(path) and not path.is_dir() and not _is_run(path.parent)


def _same_languages(have: tuple[str, str], wanted: tuple[str | None, str | None]) -> bool:
    """True when each language asked for (None: any) is the project's, or its language."""
    return all(
        want is None or want.lower() in (lang.lower(), language_code(lang))
        for lang, want in zip(have, wanted, strict=True)
    )


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def locate(path: Path, project_file: Path | None = None) -> tuple[Path | None, Path, str | None]:
    """Where the run, the project file and the named pair are, for the ``path`` given.

    ``path`` is a run's output folder, one pair's output file in it (``.links``,
    ``.tmx``, ``.tsv``), a project file, or a TMX or XLIFF file of its own (no run:
    its project file is :func:`project_beside` it unless ``project_file`` is given).
    """
    if path.is_dir():
        exported_from = _exported_from(path)
        if exported_from is not None:
            raise InputError(
                path,
                f"is a review's export (written by `aligner review-export` from {exported_from}), "
                "which holds the reviewed units but not the run's sentences",
                f"Open the project it came from (aligner review {exported_from}), "
                f"or one of its TMX files as a file of its own (aligner review {path}/NAME.tmx).",
            )
        if not RunFolder(path).is_run():
            raise InputError(
                path,
                f"has no {MANIFEST}, so it is not the output folder of `aligner run`",
                "Run `aligner run INPUT --out FOLDER` first and review FOLDER.",
            )
        return path, project_file or path / PROJECT_FILE, None
    if path.is_file() and path.suffix in (".sqlite", ".db"):
        return None, path, None
    if path.is_file() and _is_run(path.parent):
        return path.parent, project_file or path.parent / PROJECT_FILE, path.stem
    if path.is_file() and is_bilingual_path(path):
        return None, project_file or project_beside(path), None
    if not path.exists():
        raise InputError(
            path,
            "does not exist",
            "Give a run's output folder, one of its pair files, a review project file, "
            "or a TMX or XLIFF file.",
        )
    raise InputError(
        path,
        "is neither a run's output folder, nor a pair file in one, nor a review project, "
        "nor a TMX or XLIFF file (.tmx, .xlf, .xliff)",
        "Give the folder `aligner run --out` wrote, or a TMX or XLIFF file.",
    )


def open_project(
    path: Path, project_file: Path | None = None, src_lang: str | None = None, tgt_lang: str | None = None
) -> Opened:
    """Open (or create) the review project for ``path``; add the run's new pairs.

    Pairs already in the project keep their review; a pair of the run that is
    not in the project yet (a new run, or a project made for one pair) is added.
    A TMX or XLIFF file is read when its project is made (``src_lang`` and
    ``tgt_lang`` choose a TMX's languages, :func:`aligner.bilingual.read_bilingual`);
    later it is only checked for changes, which the project does not take in.
    """
    run_folder, file, start = locate(path, project_file)
    if run_folder is None and is_bilingual_input(path):
        return _open_bilingual(path, file, src_lang, tgt_lang)
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


def _open_bilingual(path: Path, file: Path, src_lang: str | None, tgt_lang: str | None) -> Opened:
    if file.exists():
        project = Project.open(file)
        made_from = project.meta().get("source_digest")
        notices: list[str] = []
        if made_from is not None and made_from != _digest(path):
            notices.append(
                f"{path} changed since the review project {file} was made from it; the review keeps "
                f"the units as they were then. To review the file as it is now, move {file} away "
                "(or pass another --project)."
            )
        if src_lang or tgt_lang:
            pairs = project.pairs()
            view = project.pair(pairs[0].id) if pairs else None
            if view is not None and not _same_languages(
                (view.source.lang, view.target.lang), (src_lang, tgt_lang)
            ):
                notices.append(
                    f"{file} reviews {path.name} in {view.source.lang} -> {view.target.lang}; "
                    "--src-lang and --tgt-lang choose the languages only when the project is made. "
                    f"Move {file} away (or pass another --project) to review other languages."
                )
        return Opened(project, None, None, 0, notices=tuple(notices))
    bilingual = read_bilingual(path, src_lang, tgt_lang)
    meta = {"source": str(path), "source_format": bilingual.format, "source_digest": _digest(path)}
    project = Project.create(file, bilingual_run(bilingual), meta=meta)
    return Opened(project, None, None, 1, created=True, bilingual=bilingual, notices=bilingual.notices)
