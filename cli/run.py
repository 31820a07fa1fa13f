"""``aligner run``: the whole job on a folder of dispatches, from a laptop to a cluster."""

from __future__ import annotations

import shlex
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from aligner.encode import check_languages, get_encoder
from aligner.errors import WorkerDied
from aligner.model import AlignConfig, PairConfig

from .common import (
    BAD_INPUT,
    INTERRUPTED,
    STOPPED,
    USAGE,
    Encoding,
    Format,
    MinScore,
    ProfileOpt,
    SrcLang,
    SrcLocale,
    TgtLang,
    TgtLocale,
    TmxProfile,
    error,
    export_options,
    handle_errors,
    info,
    load_dictionary,
    warn,
    with_align_options,
)
from .pool import WarmUp, default_workers, process_pool

if TYPE_CHECKING:
    from aligner.pipeline import ProgressFn, RunResult

#: Pairs listed one by one on stdout; beyond this, manifest.json lists them.
_LISTED_PAIRS = 20
#: What each phase counts.
_UNITS = {"reading": "documents", "aligning": "pairs"}


class _RateColumn(ProgressColumn):
    """Items per second (rich has one for bytes only)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f}/s" if speed else "-/s", style="progress.data.speed")


@dataclass
class LineProgress:
    """Progress as plain lines, for a stderr that is not a terminal (a log file, a pipe):
    a line every ``interval`` seconds while a phase runs, with counts, rate and time
    left, and one when a phase ends that printed any or lasted ``interval`` or more.
    A short run prints none."""

    interval: float
    write: Callable[[str], None]
    clock: Callable[[], float] = time.monotonic
    _started: dict[str, float] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)
    _printed: set[str] = field(default_factory=set)

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = self.clock()
        start = self._started.setdefault(phase, now)
        self._last.setdefault(phase, now)
        unit = _UNITS.get(phase, "items")
        elapsed = now - start
        if done >= total and done:
            if phase in self._printed or elapsed >= self.interval:
                speed = f", {done / elapsed:.1f}/s" if elapsed > 0 else ""
                self.write(f"{phase}: all {total:,} {unit} done in {_clock(elapsed)}{speed}")
            return
        if not done or now - self._last[phase] < self.interval:
            return
        self._last[phase] = now
        self._printed.add(phase)
        rate = done / elapsed if elapsed > 0 else 0.0
        left = f", about {_clock((total - done) / rate)} left" if rate else ""
        self.write(
            f"{phase}: {done:,}/{total:,} {unit} ({100 * done / total:.0f} %), "
            f"{rate:.1f}/s, {_clock(elapsed)} elapsed{left}"
        )


def _clock(seconds: float) -> str:
    return str(timedelta(seconds=round(seconds)))


@dataclass
class _Counts:
    """How far each phase got, for the message of an interrupted run."""

    done: dict[str, tuple[int, int]] = field(default_factory=dict)

    def __call__(self, phase: str, done: int, total: int) -> None:
        self.done[phase] = (done, total)

    def saved(self) -> str:
        read, documents = self.done.get("reading", (0, 0))
        if "aligning" not in self.done:
            return f"{read} of {documents} document(s) read; no pair aligned yet"
        aligned, pairs = self.done["aligning"]
        return f"{aligned} of {pairs} pair(s) aligned and written (all {documents} document(s) read)"


@contextmanager
def _progress(quiet: bool, interval: float, counts: _Counts) -> Iterator[ProgressFn]:
    """Progress on stderr: a bar on a terminal, lines otherwise (:class:`LineProgress`), none if quiet."""
    console = Console(stderr=True)
    if quiet:
        yield counts
        return
    if not console.is_terminal:
        lines = LineProgress(interval, info)

        def both(phase: str, done: int, total: int) -> None:
            counts(phase, done, total)
            lines(phase, done, total)

        yield both
        return
    bar = Progress(
        TextColumn("{task.description:>9}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=console,
    )
    tasks: dict[str, TaskID] = {}

    def update(phase: str, done: int, total: int) -> None:
        counts(phase, done, total)
        if phase not in tasks:
            tasks[phase] = bar.add_task(phase, total=total)
        bar.update(tasks[phase], completed=done, total=total)

    with bar:
        yield update


@contextmanager
def _executor(
    workers: int, scheduler: str | None, timeout: float, warm: WarmUp | None = None
) -> Iterator[Executor | None]:
    """Dask's executor for --scheduler, a process pool for --workers > 1, else none.

    The pool's processes start at once and load ``warm`` (:func:`aligner.tasks.warm_up`)
    while this process goes on with its own start (importing the pipeline, checking
    the output folder)."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            error("--scheduler needs Dask: pip install 'aligner[cluster]'")
            raise typer.Exit(USAGE) from None
        try:
            client = Client(scheduler, timeout=f"{timeout}s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as err:
            error(
                f"cannot reach the Dask scheduler at {scheduler} ({err}). Check the address and that it runs."
            )
            raise typer.Exit(BAD_INPUT) from None
        except (ValueError, TypeError) as err:  # no port, an unknown scheme: Dask's address parser
            error(
                f"--scheduler {scheduler}: not an address of a Dask scheduler ({err}); give tcp://HOST:8786"
            )
            raise typer.Exit(USAGE) from None
        with client:
            yield client.get_executor()  # type: ignore[no-untyped-call]
        return
    if workers <= 1:
        yield None
        return
    with process_pool(workers, warm) as pool:
        yield pool


def resume_command(ctx: typer.Context) -> str:
    """The command line that resumes this run: its arguments and every option not at its
    default, ``--force`` left out (it would redo everything)."""
    words = ["aligner", *ctx.command_path.split()[1:]]
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if param.param_type_name == "argument":
            words.append(str(value))
            continue
        if param.param_type_name != "option" or param.name == "force" or value == param.default:
            continue
        flag = param.opts[0]
        if getattr(param, "is_flag", False):
            if value:
                words.append(flag)
            elif param.secondary_opts:
                words.append(param.secondary_opts[0])
            continue
        for item in (value or []) if param.multiple else [value]:
            words += [flag, str(getattr(item, "value", item))]
    return shlex.join(words)


@handle_errors
@with_align_options
def run_command(
    ctx: typer.Context,
    input_dir: Annotated[
        Path, typer.Argument(help="Folder of dispatches, one file each (.txt, .docx, .odt, .html, .pdf).")
    ],
    config: AlignConfig,
    device: str | None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("output"),
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the output of a run with other settings.")
    ] = False,
    formats: Annotated[
        list[Format] | None,
        typer.Option("--format", help="Output formats (repeatable); default: tmx, tsv and links."),
    ] = None,
    min_score: MinScore = 0.0,
    tmx_profile: ProfileOpt = TmxProfile.generic,  # type: ignore[attr-defined]
    src_locale: SrcLocale = None,
    tgt_locale: TgtLocale = None,
    threshold: Annotated[
        float, typer.Option("--pair-threshold", min=0.0, max=1.0, help="Minimum score to pair documents.")
    ] = PairConfig.threshold,
    date_window: Annotated[
        int,
        typer.Option(
            "--date-window",
            min=0,
            help="Documents whose date tokens are more than this many days apart are never paired "
            "(an undated document is compared with all).",
        ),
    ] = PairConfig.date_window,
    src_lang: SrcLang = PairConfig.src_lang,
    tgt_lang: TgtLang = PairConfig.tgt_lang,
    encoding: Encoding = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes on this machine (each loads the model once); default: one per core with "
            "--encoder use, else 1.",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Address of a Dask scheduler (tcp://host:8786) to run on its cluster; "
            "input and output folders must be at the same path on every worker.",
        ),
    ] = None,
    scheduler_timeout: Annotated[
        float,
        typer.Option(
            "--scheduler-timeout", min=0.1, help="Seconds to wait for the Dask scheduler to answer."
        ),
    ] = 20.0,
    recursive: Annotated[
        bool,
        typer.Option(
            "--recursive",
            "-r",
            help="Also read the documents of INPUT_DIR's subfolders (hidden ones and --out left out); "
            "their names must differ, as outputs are named after them.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress and no summary.")] = False,
    progress_interval: Annotated[
        float,
        typer.Option(
            "--progress-interval",
            min=0.0,
            help="When stderr is not a terminal (a log file), seconds between progress lines.",
        ),
    ] = 5.0,
) -> None:
    """Pair the Italian and English dispatches of INPUT_DIR (or --src-lang/--tgt-lang), align and export.

    Writes, per pair, TMX, TSV and link files, and OUT/manifest.json listing every
    document, pair, unpaired document and boilerplate line. Documents and pairs are
    processed one at a time, so memory grows only by a few kilobytes per document.

    A rerun with the same settings resumes: pairs already complete are skipped, so a
    run stopped by Ctrl-C, a crash or a dead worker continues where it was. One run
    at a time writes into OUT.
    """
    if src_lang == tgt_lang:
        error(
            f"--src-lang and --tgt-lang are both {src_lang}: a run pairs documents of two languages. "
            "To align two files of one language, use aligner align SRC TGT."
        )
        raise typer.Exit(USAGE)
    export = export_options(tmx_profile, src_locale, tgt_locale)
    bilingual = load_dictionary(config, src_lang, tgt_lang)
    pair_config = PairConfig(
        threshold=threshold, date_window=date_window, src_lang=src_lang, tgt_lang=tgt_lang
    )
    encoder = get_encoder(config.encoder, device)
    check_languages(encoder, (src_lang, tgt_lang))
    if workers is None:
        workers = default_workers(config.encoder)
    resume = resume_command(ctx)
    counts = _Counts()
    warm = (config.encoder, device, (src_lang, tgt_lang))
    try:
        with (
            _executor(workers, scheduler, scheduler_timeout, warm) as executor,
            _progress(quiet, progress_interval, counts) as progress,
        ):
            # Imported while the workers start (the pipeline brings NLTK, the splitters...).
            from aligner.export import DEFAULT_FORMATS
            from aligner.pipeline import make_job, run

            fmts = [f.value for f in formats] if formats else list(DEFAULT_FORMATS)
            job = make_job(
                encoder.name,
                config,
                pair_config,
                fmts,
                min_score,
                input_dir.name,
                bilingual,
                device,
                export,
                encoding,
            )
            result = run(input_dir, out, job, executor, force, progress, recursive, resume)
    except KeyboardInterrupt:
        error(f"interrupted: {counts.saved()} in {out}/ (no file is half-written). Resume with: {resume}")
        raise typer.Exit(INTERRUPTED) from None
    except WorkerDied as err:
        error(f"{err}. Saved so far: {counts.saved()} in {out}/. Resume with: {resume}")
        raise typer.Exit(STOPPED) from None
    if result.took_over and not quiet:
        info(f"{out}: took over the lock left by a run that is no longer running ({result.took_over})")
    for p in result.problems:
        if p.severity == "error":
            error(f"{input_dir / p.where}: {p.message}")
        elif not quiet:
            warn(f"{input_dir / p.where}: {p.message}")
    if not quiet:
        _summary(result, out)
    raise typer.Exit(result.exit_code)


def _summary(result: RunResult, out: Path) -> None:
    aligned = len(result.pairs) - result.complete_before
    resumed = f" ({result.complete_before} already complete, skipped)" if result.complete_before else ""
    failed = f", {result.failed_pairs} failed" if result.failed_pairs else ""
    dups = f", {len(result.duplicates)} duplicate(s) set aside" if result.duplicates else ""
    typer.echo(
        f"{len(result.documents) - len(result.failed)} document(s) read, {len(result.failed)} skipped; "
        f"{aligned} pair(s) aligned{resumed}{failed}, {len(result.unpaired)} document(s) unpaired"
        f"{dups}; "
        f"wrote {len(result.written)} file(s) to {out}/"
    )
    for entry in result.pairs[:_LISTED_PAIRS]:
        kinds = ", ".join(f"{k}: {v}" for k, v in entry.links.items())
        typer.echo(f"  {entry.source} + {entry.target} (pairing score {entry.score:.2f}): {kinds}")
    if len(result.pairs) > _LISTED_PAIRS:
        from aligner.workdir import MANIFEST

        typer.echo(f"  … and {len(result.pairs) - _LISTED_PAIRS} more pairs: see {out / MANIFEST}")
    sys.stdout.flush()
