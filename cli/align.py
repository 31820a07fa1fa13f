"""``aligner align``: align one pair of documents, or many (``--pairs FILE``) with the model loaded once."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from aligner.align import align, fidelity_warnings
from aligner.encode import CachedEncoder, check_languages, get_encoder
from aligner.errors import AlignerError, InputError, OutputExistsError, WorkerDied
from aligner.export import ExportOptions, render_alignment
from aligner.load import load_document, load_presplit, loading_notes, usable_date
from aligner.model import AlignConfig, PairInfo
from aligner.signature import signature
from aligner.split import split
from aligner.write import write_text_atomic

from .common import (
    INTERRUPTED,
    SKIPPED,
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
    exit_code,
    export_options,
    handle_errors,
    info,
    load_dictionary,
    warn,
    with_align_options,
)
from .pool import default_workers, process_pool

#: The layout of a pairs file's lines, for messages and help.
PAIRS_LAYOUT = "SRC<TAB>TGT or SRC<TAB>TGT<TAB>OUT"
_FIELDS = ("SRC", "TGT", "OUT")


@dataclass(frozen=True)
class PairJob:
    """One pair to align and where its alignment goes (None: stdout).

    :param line: its line in the pairs file (None for SRC TGT given as arguments).
    :param named: its OUT was given (not made from the file names, in --output's folder).
    """

    src: Path
    tgt: Path
    output: Path | None
    line: int | None = None
    named: bool = True


def _shown(line: str, limit: int = 80) -> str:
    return repr(line if len(line) <= limit else line[: limit - 3] + "...")


#: Output file extensions that name a format, for ``-o FILE`` without ``--format``.
SUFFIX_FORMATS = {".tmx": "tmx", ".tsv": "tsv", ".links": "links", ".xliff": "xliff", ".xlf": "xliff"}


def output_format(output: Path | None) -> str:
    """The format that ``-o FILE`` asks for by its extension (``x.tsv``: tsv), tmx otherwise."""
    return SUFFIX_FORMATS.get("" if output is None else output.suffix.lower(), "tmx")


def read_pairs(pairs_file: Path, out_dir: Path, fmt: str) -> list[PairJob]:
    """The pairs of ``pairs_file``, each checked before any is aligned.

    One pair per line, :data:`PAIRS_LAYOUT`; blank lines and lines starting with
    ``#`` are skipped. A relative path is read from the pairs file's folder; a pair
    without OUT is written to ``out_dir/<SRC stem>__<TGT stem>.<fmt>``.

    :raises InputError: naming the pairs file, the line and the fix: a line without
        2 or 3 tab-separated fields, an empty field, a SRC or TGT that is not a file,
        two lines with the same output, an output that a line reads, no pair at all.
    """
    from aligner.load import read_text
    from aligner.workdir import pair_stem

    base = pairs_file.parent
    jobs: list[PairJob] = []
    reads: dict[Path, int] = {}
    writes: dict[Path, int] = {}
    for number, raw in enumerate(read_text(pairs_file, "pairs file").split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) == 1:
            raise InputError(
                pairs_file,
                f"has no tab: {_shown(line)}",
                f"Write one pair per line, {PAIRS_LAYOUT}, the fields separated by a tab (not spaces).",
                line=number,
            )
        if len(fields) > len(_FIELDS):
            raise InputError(
                pairs_file,
                f"has {len(fields)} tab-separated fields: {_shown(line)}",
                f"Give 2 or 3 fields, {PAIRS_LAYOUT}; a path cannot hold a tab.",
                line=number,
            )
        for name, value in zip(_FIELDS, fields, strict=False):
            if not value:
                raise InputError(
                    pairs_file,
                    f"its {name} field is empty: {_shown(line)}",
                    f"Give a path in each field, {PAIRS_LAYOUT}, and no tab at the end of the line.",
                    line=number,
                )
        src, tgt = base / fields[0], base / fields[1]
        for role, path in (("source", src), ("target", tgt)):
            if not path.exists() or path.is_dir():
                what = "does not exist" if not path.exists() else "is a folder"
                raise InputError(
                    pairs_file,
                    f"names the {role} file {path}, which {what}",
                    f"Fix the path; a relative path is read from the pairs file's folder ({base}).",
                    line=number,
                )
            reads.setdefault(path.resolve(), number)
        named = len(fields) == 3
        output = base / fields[2] if named else out_dir / f"{pair_stem(src.name, tgt.name)}.{fmt}"
        if output.is_dir():
            raise InputError(
                pairs_file,
                f"writes {output}, which is a folder",
                "Give the pair an OUT that names a file (the third field).",
                line=number,
            )
        first = writes.setdefault(output.resolve(), number)
        if first != number:
            fix = "Give one of them another OUT (the third field)"
            if not named:
                fix += f"; a pair without OUT is written to <SRC stem>__<TGT stem>.{fmt} in --output's folder"
            raise InputError(pairs_file, f"writes {output}, as line {first} does", f"{fix}.", line=number)
        jobs.append(PairJob(src, tgt, output, number, named))
    if not jobs:
        raise InputError(
            pairs_file,
            "holds no pair (only blank lines and # comments)",
            f"Write one pair per line: {PAIRS_LAYOUT}.",
        )
    for job in jobs:  # an input overwritten by another pair would change that pair's alignment
        assert job.output is not None
        if job.output.resolve() == pairs_file.resolve():
            raise InputError(
                pairs_file,
                f"writes {job.output}, which is this pairs file",
                "Give this pair another OUT: the inputs are never overwritten.",
                line=job.line,
            )
        reader = reads.get(job.output.resolve())
        if reader is not None:
            raise InputError(
                pairs_file,
                f"writes {job.output}, which line {reader} reads",
                "Give this pair another OUT: the inputs are never overwritten.",
                line=job.line,
            )
    return jobs


@dataclass(frozen=True)
class PairSettings:
    """What aligning every pair of a pairs file takes besides the pair (sent to each worker)."""

    config: AlignConfig
    device: str | None
    src_lang: str
    tgt_lang: str
    presplit: bool
    fmt: str | None  # --format; None: each output's extension (as -o FILE's), tmx where it names none
    min_score: float
    force: bool
    export: ExportOptions | None
    encoding: str | None


def _align_pair(job: PairJob, settings: PairSettings, note: Callable[[str], None] = warn) -> None:
    """Align one pair and print or write it: the one code path of both modes. The model
    and the dictionary are loaded once per process (both cached); the vectors are cached
    per pair, as ``aligner run`` keeps them: memory stays flat over many pairs, and each
    pair aligns as it would alone (the "use" encoder's vectors differ in the last bits with
    the texts embedded beside them). Its warnings go to ``note`` (stderr), as they come."""
    src, tgt, config = job.src, job.tgt, settings.config
    src_lang, tgt_lang, encoding = settings.src_lang, settings.tgt_lang, settings.encoding
    enc = CachedEncoder(get_encoder(config.encoder, settings.device).inner)
    bilingual = load_dictionary(config, src_lang, tgt_lang)
    date = None
    if settings.presplit:
        (source, snotes), (target, tnotes) = load_presplit(src, encoding), load_presplit(tgt, encoding)
    else:
        sdoc, tdoc = load_document(src, encoding), load_document(tgt, encoding)
        source, target = split(sdoc, src_lang), split(tdoc, tgt_lang)
        snotes, tnotes = loading_notes(sdoc), loading_notes(tdoc)
        date = usable_date(sdoc) or usable_date(tdoc)
    for path, notes in ((src, snotes), (tgt, tnotes)):
        for line, message in notes:
            note(f"{path}, line {line}: {message}")
    sig = signature(config, enc.name, presplit=settings.presplit, bilingual=bilingual)
    pair_info = PairInfo(src_lang, tgt_lang, src.name, tgt.name, date, sig)
    alignment = align(source, target, enc, config, pair_info, bilingual)
    for message in fidelity_warnings(alignment):
        note(f"{src} and {tgt}: {message}")
    # --format, or each output's extension (as -o FILE's), tmx where it names none
    fmt = settings.fmt or output_format(job.output)
    text = render_alignment(alignment, fmt, settings.min_score, settings.export)
    if job.output is None:
        typer.echo(text, nl=False)
    else:
        write_text_atomic(job.output, text, force=settings.force)


def _check_single_output(src: Path, tgt: Path, output: Path | None) -> None:
    """Refuse an ``-o`` that is one of the inputs (even with ``--force``) or a folder, before
    any work: the inputs are never overwritten, and ``-o`` names a file.

    :raises InputError: naming the output and the fix.
    """
    from aligner.workdir import pair_stem

    if output is None:
        return
    for role, path in (("source", src), ("target", tgt)):
        if path.exists() and output.resolve() == path.resolve():
            raise InputError(
                output,
                f"is the {role} document; the output would overwrite it (even with --force)",
                "Give -o another file name: the inputs are never overwritten.",
            )
    if output.is_dir():
        raise InputError(
            output,
            "is a folder; -o names the output file (with --pairs, the folder)",
            f"Give a file name, such as -o {output / pair_stem(src.name, tgt.name)}.tmx.",
        )


def _interrupted(job: PairJob, force: bool) -> str:
    """What Ctrl-C left of a single pair's alignment, and what to do. The output file is
    written through a temporary one, renamed into place only once whole; without
    ``force`` it did not exist before."""
    again = "Run the command again to align them."
    if job.output is None:
        where = "its alignment was not printed, or not all of it"
    elif not job.output.exists():
        where = f"nothing was written to {job.output}"
    elif not force:
        where, again = f"{job.output} was written whole before it", "Nothing is missing."
    else:
        where = f"{job.output} is as it was before the command, or written whole (never half-written)"
    return f"{job.src} and {job.tgt}: interrupted: {where}. {again}"


def _where(jobs: list[PairJob]) -> str:
    folders = {job.output.parent for job in jobs if job.output is not None}
    return f"to {next(iter(folders))}" if len(folders) == 1 else f"in {len(folders)} folders"


@handle_errors
@with_align_options
def align_command(
    src: Annotated[
        Path | None, typer.Argument(metavar="SRC", help="Source document (not with --pairs).")
    ] = None,
    tgt: Annotated[
        Path | None, typer.Argument(metavar="TGT", help="Target document (not with --pairs).")
    ] = None,
    *,
    config: AlignConfig,
    device: str | None,
    src_lang: SrcLang = "it",
    tgt_lang: TgtLang = "en",
    presplit: Annotated[
        bool, typer.Option("--presplit", help="The files hold one sentence per line: split nothing.")
    ] = False,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            help="Output format (default: -o FILE's extension where it names one: .tmx, .tsv, .links, "
            ".xliff, .xlf; otherwise tmx).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            "--out",
            help="Output file (default: stdout). With --pairs, the folder (created if missing) of the "
            "outputs of pairs without OUT (default: the current folder).",
        ),
    ] = None,
    pairs: Annotated[
        Path | None,
        typer.Option(
            "--pairs",
            help="Align many pairs, the model loaded once: a file of one pair per line, `SRC<TAB>TGT` or "
            "`SRC<TAB>TGT<TAB>OUT` (paths relative to its folder; blank lines and # comments skipped). A "
            "pair without OUT is written to `<SRC stem>__<TGT stem>.FORMAT` in --output's folder.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing output files.")] = False,
    min_score: MinScore = 0.0,
    tmx_profile: ProfileOpt = TmxProfile.generic,  # type: ignore[attr-defined]
    src_locale: SrcLocale = None,
    tgt_locale: TgtLocale = None,
    max_link: Annotated[
        int, typer.Option("--max-link", min=1, max=6, help="Most sentences on one side of a link.")
    ] = AlignConfig.max_src,
    encoding: Encoding = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="With --pairs: processes on this machine (each loads the model once); default: one per "
            "core with --encoder use when the listed documents hold 192 KB or more, else 1.",
        ),
    ] = None,
) -> None:
    """Align the sentences of SRC and TGT and print (or write) the alignment; or, with
    --pairs FILE, those of every pair the file lists, each written to its own file.

    Any pair of languages the embedding model covers works; --src-lang and
    --tgt-lang choose the splitter and the TMX language codes.
    """
    if pairs is not None and (src is not None or tgt is not None):
        error("give SRC and TGT (one pair) or --pairs FILE (many), not both")
        raise typer.Exit(USAGE)
    if pairs is None and (src is None or tgt is None):
        missing = "SRC and TGT" if src is None else "TGT"
        error(f"{missing} missing: give SRC and TGT (one pair) or --pairs FILE (many)")
        raise typer.Exit(USAGE)
    config = replace(config, max_src=max_link, max_tgt=max_link)
    if pairs is None:
        assert src is not None and tgt is not None
        output = None if output == Path("-") else output  # -o -: standard output, as by default
        jobs = [PairJob(src, tgt, output)]
        _check_single_output(src, tgt, output)
    else:
        out_dir = Path(".") if output is None else output
        jobs = read_pairs(pairs, out_dir, fmt.value if fmt else output_format(None))
        if out_dir.exists() and not out_dir.is_dir() and not all(job.named for job in jobs):
            error(
                f"{out_dir}: is a file; with --pairs, -o/--output names the folder of the outputs "
                "(created if missing). Give a folder, or an OUT on every line of the pairs file."
            )
            raise typer.Exit(USAGE)
    load_dictionary(config, src_lang, tgt_lang)  # a missing dictionary stops before any work
    if not force:  # every output checked before anything is aligned
        for job in jobs:
            if job.output is not None and job.output.exists():
                why = "" if job.line is None else f"the output of line {job.line} of {pairs}"
                raise OutputExistsError(job.output, why)
    export = export_options(tmx_profile, src_locale, tgt_locale)
    enc = get_encoder(config.encoder, device)
    check_languages(enc, (src_lang, tgt_lang))
    settings = PairSettings(
        config,
        device,
        src_lang,
        tgt_lang,
        presplit,
        fmt.value if fmt else None,
        min_score,
        force,
        export,
        encoding,
    )
    if pairs is None:
        try:
            _align_pair(jobs[0], settings)
        except KeyboardInterrupt:
            error(_interrupted(jobs[0], force))
            raise typer.Exit(INTERRUPTED) from None
        return
    workers = pairs_workers(workers, config.encoder, jobs)
    warm = (config.encoder, device, (src_lang, tgt_lang))
    with process_pool(workers, warm) if workers > 1 else contextlib.nullcontext() as pool:
        _align_all(pairs, jobs, settings, pool, workers)


#: Pairs under way per worker with --pairs --workers N: enough that none waits for the next.
UNDER_WAY = 4
#: Without --workers, --pairs takes the encoder's default workers (one per core for "use")
#: only when its documents hold this much text in all, about two seconds of "use"'s
#: embedding in one process: each worker's start and first call cost a second or two.
#: Measured on 2 cores with "use", one process against two: 16 dispatch pairs (25 KB) 2.2
#: and 2.5 s, 48 (72 KB) 3.4 and 3.2 s, 400 (600 KB) 17.9 and 10.8 s; ParTUT's four legal
#: documents (908 sentences, presplit) 3.2 and 4.0 s; Text+Berg test (7 pairs, 232 KB) 12.6
#: and 9.0 s.
POOL_FROM_BYTES = 192 * 1024


def pairs_workers(requested: int | None, encoder: str, jobs: list[PairJob]) -> int:
    """The worker processes ``--pairs`` takes: ``--workers`` (``requested``) if given, else
    the encoder's default where the documents of ``jobs`` hold :data:`POOL_FROM_BYTES` or
    more in all (each counted once), else 1; never more than there are pairs."""
    if requested is None:
        listed = 0
        for path in {p.resolve() for job in jobs for p in (job.src, job.tgt)}:
            with contextlib.suppress(OSError):
                listed += path.stat().st_size
        requested = default_workers(encoder) if listed >= POOL_FROM_BYTES else 1
    return max(1, min(requested, len(jobs)))


@dataclass(frozen=True)
class PairOutcome:
    """How one pair of a pairs file went: its warnings, and what stopped it, if anything."""

    warnings: tuple[str, ...] = ()
    #: Bad input (its error's message and exit code): the command stops at this pair.
    refused: str | None = None
    code: int = 0
    #: A fault of ours (``Name: message``): reported, and the other pairs are aligned.
    fault: str | None = None

    @property
    def written(self) -> bool:
        return self.refused is None and self.fault is None


def align_listed(job: PairJob, settings: PairSettings) -> PairOutcome:
    """Align one pair of a pairs file and write it (:func:`_align_pair`), in this process or
    a worker's. Never raises for the pair."""
    warnings: list[str] = []
    try:
        _align_pair(job, settings, note=warnings.append)
    except AlignerError as err:
        return PairOutcome(tuple(warnings), refused=str(err), code=exit_code(err))
    except Exception as err:  # a fault of ours in one pair: the others are aligned, as in `aligner run`
        return PairOutcome(tuple(warnings), fault=f"{type(err).__name__}: {err}")
    return PairOutcome(tuple(warnings))


def _align_all(
    pairs: Path, jobs: list[PairJob], settings: PairSettings, pool: Executor | None, workers: int
) -> None:
    """Align every pair of the pairs file ``pairs`` and report each in its line's order: bad
    input stops the command at its pair, a fault of ours is reported and the rest go on."""
    from aligner.pipeline import run_tasks  # here: the single pair's command does without it

    progress = sys.stderr.isatty()
    failed = written = 0
    # Bad input stops the command; the pairs under way then finish, and are counted from here.
    settled: list[PairOutcome] = []
    outcomes = run_tasks(
        partial(align_listed, settings=settings),
        jobs,
        pool,
        window=UNDER_WAY * workers,
        ordered=True,
        settled=settled,
    )
    try:
        for done, (job, outcome) in enumerate(zip(jobs, outcomes, strict=True)):
            if progress:
                info(f"[{done + 1}/{len(jobs)}] line {job.line}: {job.src} + {job.tgt} -> {job.output}")
            for message in outcome.warnings:
                warn(message)
            if outcome.refused is not None:
                error(f"{pairs}, line {job.line}: {outcome.refused}")
                outcomes.close()
                after = sum(o.written for o in settled)
                beside = f" and {after} after it (under way in other workers)" if after else ""
                info(
                    f"stopped at pair {done + 1} of {len(jobs)}: {written} pair(s) aligned and written "
                    f"before it{beside} (left in place), {len(jobs) - done - after} not aligned. Fix this "
                    "pair and run again, with --force to redo those written, or without their lines."
                )
                raise typer.Exit(outcome.code)
            if outcome.fault is not None:
                failed += 1
                error(
                    f"{pairs}, line {job.line}: aligning {job.src} with {job.tgt} failed "
                    f"({outcome.fault}); nothing was written for it; please report it"
                )
            written += outcome.written
    except KeyboardInterrupt:
        # With workers, the pairs under way finished and were counted; here, the one under
        # way was stopped before or after its file was renamed into place.
        also = "" if pool is not None else ", and perhaps the one under way"
        error(
            f"{pairs}: interrupted: {written} of {len(jobs)} pair(s) aligned and written{also} (no file "
            "is half-written). Run again without their lines, or with --force to redo them."
        )
        raise typer.Exit(INTERRUPTED) from None
    except WorkerDied as err:
        error(
            f"{pairs}: {err}. The pairs written are whole: run again without their lines, or with --force "
            "(or with fewer --workers)."
        )
        raise typer.Exit(STOPPED) from None
    done_pairs = len(jobs) - failed
    info(f"aligned {done_pairs} pair(s), wrote {done_pairs} file(s) {_where(jobs)}")
    if failed:
        info(f"{failed} pair(s) failed (above) and were not written")
        raise typer.Exit(SKIPPED)
