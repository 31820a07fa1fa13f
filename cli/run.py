"""``aligner run``: the whole job on a folder of dispatches, from a laptop to a cluster."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

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

from aligner.encode import get_encoder
from aligner.errors import AlignerError, OutputExistsError
from aligner.export import EXPORTERS
from aligner.model import AlignConfig, PairConfig
from aligner.pipeline import RunResult, make_job, run

from .common import (
    BAD_INPUT,
    EXISTS,
    USAGE,
    DictionaryDir,
    DictionaryWeight,
    EncoderName,
    Format,
    JoinedWeight,
    LearnedWeight,
    LexicalWeight,
    MinScore,
    SrcLang,
    TgtLang,
    check_dictionary,
    error,
    warn,
)

#: Pairs listed one by one on stdout; beyond this, manifest.json lists them.
_LISTED_PAIRS = 20


class _RateColumn(ProgressColumn):
    """Items per second (rich has one for bytes only)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f}/s" if speed else "-/s", style="progress.data.speed")


@contextmanager
def _progress(quiet: bool) -> Iterator[Progress]:
    """A progress bar on stderr; silent with --quiet or when stderr is not a terminal."""
    console = Console(stderr=True)
    bar = Progress(
        TextColumn("{task.description:>9}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=console,
        disable=quiet or not console.is_terminal,
    )
    with bar:
        yield bar


def _init_worker(threads: int) -> None:
    # Before the model's OpenMP runtime starts: N workers share the machine's cores.
    os.environ["OMP_NUM_THREADS"] = str(threads)


@contextmanager
def _executor(workers: int, scheduler: str | None) -> Iterator[Executor | None]:
    """Dask's executor for --scheduler, a process pool for --workers > 1, else none."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            error("--scheduler needs Dask: pip install 'aligner[cluster]'")
            raise typer.Exit(USAGE) from None
        try:
            client = Client(scheduler, timeout="20s")  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as err:
            error(
                f"cannot reach the Dask scheduler at {scheduler} ({err}). Check the address and that it runs."
            )
            raise typer.Exit(BAD_INPUT) from None
        with client:
            yield client.get_executor()  # type: ignore[no-untyped-call]
        return
    if workers <= 1:
        yield None
        return
    threads = max(1, (os.cpu_count() or 1) // workers)
    ctx = multiprocessing.get_context("spawn")  # no fork of a process that may hold threads
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(threads,)) as pool:
        yield pool


def run_command(
    input_dir: Annotated[Path, typer.Argument(help="Folder of dispatches, one .txt file each.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("output"),
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the output of a run with other settings.")
    ] = False,
    formats: Annotated[
        list[Format] | None, typer.Option("--format", help="Output formats (repeatable); default: all.")
    ] = None,
    min_score: MinScore = 0.0,
    threshold: Annotated[
        float, typer.Option("--pair-threshold", min=0.0, max=1.0, help="Minimum score to pair documents.")
    ] = PairConfig.threshold,
    src_lang: SrcLang = PairConfig.src_lang,
    tgt_lang: TgtLang = PairConfig.tgt_lang,
    encoder: EncoderName = "e5-small",
    joined_weight: JoinedWeight = AlignConfig.joined_weight,
    learned_weight: LearnedWeight = AlignConfig.learned_weight,
    lexical_weight: LexicalWeight = AlignConfig.lexical_weight,
    dictionary_weight: DictionaryWeight = AlignConfig.dictionary_weight,
    dictionary_dir: DictionaryDir = AlignConfig.dictionary_dir,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Processes on this machine (each loads the model once).")
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Address of a Dask scheduler (tcp://host:8786) to run on its cluster; "
            "input and output folders must be at the same path on every worker.",
        ),
    ] = None,
    recursive: Annotated[
        bool,
        typer.Option(
            "--recursive",
            "-r",
            help="Also read the .txt files of INPUT_DIR's subfolders (hidden ones and --out left out); "
            "their names must differ, as outputs are named after them.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
) -> None:
    """Pair the Italian and English dispatches of INPUT_DIR (or --src-lang/--tgt-lang), align and export.

    Writes, per pair, TMX, TSV and link files, and OUT/manifest.json listing every
    document, pair, unpaired document and boilerplate line. Documents and pairs are
    processed one at a time, so memory grows only by a few kilobytes per document.
    A rerun with the same settings resumes: pairs already complete are skipped.
    """
    fmts = [f.value for f in formats] if formats else list(EXPORTERS)
    config = AlignConfig(
        encoder=encoder,
        joined_weight=joined_weight,
        learned_weight=learned_weight,
        lexical_weight=lexical_weight,
        dictionary_weight=dictionary_weight,
        dictionary_dir=dictionary_dir,
    )
    check_dictionary(config, src_lang, tgt_lang)
    try:
        job = make_job(
            get_encoder(encoder).name,
            config,
            PairConfig(threshold=threshold, src_lang=src_lang, tgt_lang=tgt_lang),
            fmts,
            min_score,
            input_dir.name,
        )
    except AlignerError as err:
        error(str(err))
        raise typer.Exit(USAGE) from None
    tasks: dict[str, TaskID] = {}
    try:
        with _progress(quiet) as bar, _executor(workers, scheduler) as executor:

            def progress(phase: str, done: int, total: int) -> None:
                if phase not in tasks:
                    tasks[phase] = bar.add_task(phase, total=total)
                bar.update(tasks[phase], completed=done, total=total)

            result = run(input_dir, out, job, executor, force, progress, recursive)
    except OutputExistsError as err:
        error(str(err))
        raise typer.Exit(EXISTS) from None
    except AlignerError as err:  # InputError included
        error(str(err))
        raise typer.Exit(BAD_INPUT) from None
    for p in result.problems:
        where = p.file if p.line is None else f"{p.file}, line {p.line}"
        if p.severity == "error":
            error(f"{input_dir / where}: {p.message}")
        elif not quiet:
            warn(f"{input_dir / where}: {p.message}")
    if not quiet:
        _summary(result, out)
    raise typer.Exit(result.exit_code)


def _summary(result: RunResult, out: Path) -> None:
    aligned = len(result.pairs) - result.complete_before
    resumed = f" ({result.complete_before} already complete, skipped)" if result.complete_before else ""
    failed = f", {result.failed_pairs} failed" if result.failed_pairs else ""
    typer.echo(
        f"{len(result.documents) - len(result.failed)} document(s) read, {len(result.failed)} skipped; "
        f"{aligned} pair(s) aligned{resumed}{failed}, {len(result.unpaired)} document(s) unpaired; "
        f"wrote {len(result.written)} file(s) to {out}/"
    )
    for entry in result.pairs[:_LISTED_PAIRS]:
        kinds = ", ".join(f"{k}: {v}" for k, v in entry["links"].items())
        typer.echo(f"  {entry['source']} + {entry['target']} (pairing score {entry['score']:.2f}): {kinds}")
    if len(result.pairs) > _LISTED_PAIRS:
        typer.echo(f"  … and {len(result.pairs) - _LISTED_PAIRS} more pairs: see {out / 'manifest.json'}")
    sys.stdout.flush()
