"""``aligner review``, ``aligner review-export`` and ``aligner report``."""

from __future__ import annotations

import getpass
import ipaddress
import socket
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from aligner.errors import AlignerError
from aligner.export import EXPORTERS
from aligner.review import PROJECT_FILE, is_bilingual_input, locate, open_project
from aligner.review.export import export_review
from aligner.review.report import report_of_project, report_of_run
from aligner.review.source import bilingual_run, read_run
from aligner.review.store import Project
from aligner.write import write_text_atomic

from .common import (
    BAD_INPUT,
    Format,
    ProfileOpt,
    SrcLocale,
    TgtLocale,
    TmxProfile,
    error,
    export_options,
    handle_errors,
    info,
    warn,
)

PathArg = Annotated[
    Path,
    typer.Argument(
        help="A run's output folder, one pair's file in it (.links/.tmx/.tsv), a project file, "
        "or a TMX or XLIFF file of any tool (.tmx/.xlf/.xliff)."
    ),
]
ProjectOpt = Annotated[
    Path | None,
    typer.Option(
        "--project",
        help=f"The review project file (default: RUN_FOLDER/{PROJECT_FILE}; "
        "FILE.review.sqlite beside a TMX or XLIFF FILE).",
    ),
]
SrcLangOpt = Annotated[
    str | None,
    typer.Option(
        "--src-lang",
        help="A TMX's source language, where it has more than two (default: the header's srclang).",
    ),
]
TgtLangOpt = Annotated[
    str | None,
    typer.Option(
        "--tgt-lang", help="A TMX's target language (default: the first other language of its units)."
    ),
]


def _default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "reviewer"


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        error(
            f"cannot listen on {host}:{port} ({err.strerror}). "
            "Pass another --port, or --port 0 to take any free one."
        )
        raise typer.Exit(BAD_INPUT) from None
    sock.listen(64)
    return sock


@handle_errors
def review_command(
    path: PathArg,
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to listen on (0: any free).")
    ] = 8765,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    reviewer: Annotated[
        str | None, typer.Option("--reviewer", help="Name recorded with every edit (default: your login).")
    ] = None,
    project_file: ProjectOpt = None,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the workspace in the web browser.")
    ] = True,
    src_lang: SrcLangOpt = None,
    tgt_lang: TgtLangOpt = None,
) -> None:
    """Open the review workspace for a run, or a TMX or XLIFF file, in the browser.

    The review is kept in a SQLite project file (RUN_FOLDER/review.sqlite by
    default): the documents, the aligner's links and every edit with its time
    and reviewer. Stop the server with Ctrl+C; every change is saved as it is made.

    A TMX (any tool's, any language pair) or XLIFF 1.2 or 2.x file opens as one
    pair, one sentence per unit, each unit a link with its own score (1.0 where it
    has none); its project is FILE.review.sqlite beside it. Inline codes are
    dropped and their text kept.
    """
    import uvicorn

    from aligner.review.app import create_app

    name = (reviewer or _default_reviewer()).strip()
    if not name:
        error("--reviewer is empty. Give the name to record with your edits.")
        raise typer.Exit(BAD_INPUT)
    opened = open_project(path, project_file, src_lang, tgt_lang)
    pairs = opened.project.pairs()
    hosts = ["127.0.0.1", "localhost", host]
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        warn(
            f"listening on {host}: anyone who can reach it can read the texts (edits still need the page's "
            "session token)."
        )
    sock = _bind(host, port)
    actual = sock.getsockname()[1]
    start = "/"
    if opened.start is not None:
        pair_id = opened.project.pair_id(opened.start)
        start = f"/pair/{pair_id}" if pair_id is not None else "/"
    url = f"http://{'localhost' if loopback else host}:{actual}{start}"
    for notice in opened.notices:
        warn(notice)
    if opened.bilingual is not None:
        info(f"Created the review project {opened.project.path}: {opened.bilingual.describe()}.")
    elif opened.created:
        info(f"Created the review project {opened.project.path} with {len(pairs)} pair(s) of the run.")
    else:
        added = f"; {opened.added} new pair(s) of the run added" if opened.added else ""
        info(f"Opened the review project {opened.project.path}: {len(pairs)} pair(s){added}.")
    info(f"Reviewing as {name} at {url}")
    info("Press Ctrl+C to stop; every change is saved as it is made.")
    app = create_app(opened.project, name, (path.name if path.is_dir() else path.stem), tuple(hosts))
    if open_browser:
        webbrowser.open(url)
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


@handle_errors
def review_export_command(
    path: PathArg,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output folder (default: RUN_FOLDER/reviewed).")
    ] = None,
    formats: Annotated[
        list[Format] | None, typer.Option("--format", help="Formats (repeatable); default: all.")
    ] = None,
    approved_only: Annotated[
        bool, typer.Option("--approved-only", help="Export only the links the reviewer approved.")
    ] = False,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, max=1.0, help="Leave out links scored below this.")
    ] = 0.0,
    project_file: ProjectOpt = None,
    tmx_profile: ProfileOpt = TmxProfile.generic,  # type: ignore[attr-defined]
    src_locale: SrcLocale = None,
    tgt_locale: TgtLocale = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Export a review: every pair as the reviewer left it, rejected links left out.

    PATH is a run's output folder (every pair of its review), one pair's file in it
    (that pair only), a project file, or a reviewed TMX or XLIFF file.

    Writes `<pair>.<format>` per pair and a manifest.json, so `aligner export` on
    the folder makes the ML formats (Moses, JSON Lines, Parquet) from it. In TMX,
    reviewed units carry changedate and changeid, and comments are `<note>` elements.

    For a reviewed TMX or XLIFF FILE (give FILE or its project), the pair is FILE's
    stem: `FILE.tmx` in FILE's languages, as they are written there (it-IT, en-GB).
    """
    run_folder, file, only = locate(path, project_file)
    if not file.exists():
        raise AlignerError(f"{file}: there is no review project yet. Run `aligner review {path}` first.")
    project = Project.open(file)
    target = out or (run_folder or file.parent) / "reviewed"
    fmts = [f.value for f in formats] if formats else list(EXPORTERS)
    options = export_options(tmx_profile, src_locale, tgt_locale)
    summary = export_review(project, target, fmts, approved_only, min_score, force, options, only)
    which = "approved" if approved_only else "kept (not rejected)"
    typer.echo(
        f"{summary.pairs} pair(s), {summary.units} {which} unit(s); wrote {len(summary.files)} "
        f"file(s) to {target}/"
    )


@handle_errors
def report_command(
    path: PathArg,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="The HTML file (default: RUN_FOLDER/report.html).")
    ] = None,
    project_file: ProjectOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    src_lang: SrcLangOpt = None,
    tgt_lang: TgtLangOpt = None,
) -> None:
    """Write one self-contained, read-only HTML page of an alignment, for sharing.

    Shows the review's state if the run has a review project, the run's links
    otherwise; for one pair's file of a run, that pair only. The page needs no
    server and runs no script. For a TMX or XLIFF FILE, the page is
    FILE.report.html beside it.
    """
    from aligner.bilingual import read_bilingual

    run_folder, file, only = locate(path, project_file)
    bilingual = is_bilingual_input(path)
    name = path.name if bilingual else (run_folder or file.parent).name
    project = Project.open(file) if file.exists() else None
    if project is not None and (only is None or any(p.stem == only for p in project.pairs())):
        html = report_of_project(project, name, only)
    elif run_folder is not None:
        html = report_of_run(read_run(run_folder, only=only))
    elif bilingual:
        read = read_bilingual(path, src_lang, tgt_lang)
        for notice in read.notices:
            warn(notice)
        info(read.describe())
        html = report_of_run(bilingual_run(read))
    else:
        raise AlignerError(f"{file}: no such review project. Give a run's output folder.")
    default = path.with_name(f"{path.stem}.report.html") if bilingual else None
    target = out or default or (run_folder or file.parent) / "report.html"
    write_text_atomic(target, html, force=force)
    typer.echo(f"wrote {target}")
