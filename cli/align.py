"""``aligner align``: align one pair of documents, or many (``--pairs FILE``) with the model loaded once."""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aligner.align import align, fidelity_warnings
from aligner.encode import CachedEncoder, check_languages, get_encoder
from aligner.errors import AlignerError, InputError, OutputExistsError
from aligner.export import ExportOptions, render_alignment
from aligner.load import load_document, load_presplit, loading_notes, usable_date
from aligner.model import AlignConfig, PairInfo
from aligner.signature import signature
from aligner.split import split
from aligner.write import write_text_atomic

from .common import (
    SKIPPED,
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

if TYPE_CHECKING:
    from aligner.dictionary import Dictionary


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


def _align_pair(
    job: PairJob,
    enc: CachedEncoder,
    *,
    config: AlignConfig,
    bilingual: Dictionary | None,
    src_lang: str,
    tgt_lang: str,
    presplit: bool,
    fmt: str,
    min_score: float,
    force: bool,
    export: ExportOptions | None = None,
    encoding: str | None = None,
) -> None:
    """Align one pair with ``enc`` and print or write it: the one code path of both modes."""
    src, tgt = job.src, job.tgt
    date = None
    if presplit:
        (source, snotes), (target, tnotes) = load_presplit(src, encoding), load_presplit(tgt, encoding)
    else:
        sdoc, tdoc = load_document(src, encoding), load_document(tgt, encoding)
        source, target = split(sdoc, src_lang), split(tdoc, tgt_lang)
        snotes, tnotes = loading_notes(sdoc), loading_notes(tdoc)
        date = usable_date(sdoc) or usable_date(tdoc)
    for path, notes in ((src, snotes), (tgt, tnotes)):
        for line, message in notes:
            warn(f"{path}, line {line}: {message}")
    sig = signature(config, enc.name, presplit=presplit, bilingual=bilingual)
    pair_info = PairInfo(src_lang, tgt_lang, src.name, tgt.name, date, sig)
    alignment = align(source, target, enc, config, pair_info, bilingual)
    for message in fidelity_warnings(alignment):
        warn(f"{src} and {tgt}: {message}")
    text = render_alignment(alignment, fmt, min_score, export)
    if job.output is None:
        typer.echo(text, nl=False)
    else:
        write_text_atomic(job.output, text, force=force)


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
    bilingual = load_dictionary(config, src_lang, tgt_lang)
    if not force:  # every output checked before anything is aligned
        for job in jobs:
            if job.output is not None and job.output.exists():
                why = "" if job.line is None else f"the output of line {job.line} of {pairs}"
                raise OutputExistsError(job.output, why)
    export = export_options(tmx_profile, src_locale, tgt_locale)
    enc = get_encoder(config.encoder, device)
    check_languages(enc, (src_lang, tgt_lang))

    def align_pair(job: PairJob, enc: CachedEncoder) -> None:
        _align_pair(
            job,
            enc,
            config=config,
            bilingual=bilingual,
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            presplit=presplit,
            # --format, or each output's extension (as -o FILE's), tmx where it names none
            fmt=fmt.value if fmt else output_format(job.output),
            min_score=min_score,
            force=force,
            export=export,
            encoding=encoding,
        )

    if pairs is None:
        align_pair(jobs[0], enc)
        return
    progress = sys.stderr.isatty()
    failed = 0
    for done, job in enumerate(jobs):
        if progress:
            info(f"[{done + 1}/{len(jobs)}] line {job.line}: {job.src} + {job.tgt} -> {job.output}")
        try:
            # A vector cache per pair, as `aligner run` keeps: memory stays flat over many
            # pairs, and each pair aligns as it would alone (the "use" encoder's vectors
            # differ in the last bits with the texts embedded beside them).
            align_pair(job, CachedEncoder(enc.inner))
        except AlignerError as err:
            error(f"{pairs}, line {job.line}: {err}")
            info(
                f"stopped at pair {done + 1} of {len(jobs)}: {done} pair(s) aligned and written before it "
                f"(left in place), {len(jobs) - done} not aligned. Fix this pair and run again, with "
                "--force to redo those written, or without their lines."
            )
            raise typer.Exit(exit_code(err)) from None
        except Exception as err:  # a fault of ours in one pair: the others are aligned, as in `aligner run`
            failed += 1
            error(
                f"{pairs}, line {job.line}: aligning {job.src} with {job.tgt} failed "
                f"({type(err).__name__}: {err}); nothing was written for it; please report it"
            )
    done_pairs = len(jobs) - failed
    info(f"aligned {done_pairs} pair(s), wrote {done_pairs} file(s) {_where(jobs)}")
    if failed:
        info(f"{failed} pair(s) failed (above) and were not written")
        raise typer.Exit(SKIPPED)
