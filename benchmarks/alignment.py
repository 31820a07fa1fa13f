"""Benchmark the aligner on the public gold sets of ``../shared/eval``.

Usage::

    python benchmarks/alignment.py [--eval-dir ../shared/eval]
        [--sets textberg-dev,textberg-test,limsi,parice] [--scaling] [--sizes 1000,5000,10000]
        [--timeout SECONDS] [--out FILE.md]

What it does
------------
For every document of every chosen set it runs the installed command line, as
a user would::

    aligner align SRC TGT --presplit --src-lang X --tgt-lang Y --format links -o PRED

(the ``aligner`` script next to ``sys.executable``), one fresh process per
document, predictions written to a temporary folder that is deleted at the
end. It then scores the predictions against the gold links with
:mod:`aligner.evaluate` (the code behind ``aligner evaluate``: strict and lax
precision/recall/F1 pooled over the set's documents, FACTS.md section 2) and
the calibration of the link scores (expected calibration error over 10
equal-width bins, and the precision of links scored >= 0.9).

It prints one markdown table (one row per set), then the published Text+Berg
test numbers beside ours, and with ``--scaling`` a third table on long
synthetic documents. Progress goes to stderr; ``--out`` also writes the tables
to a file. The evaluation data are read where they are, never copied.

The sets (layouts from each set's README.md):

- ``textberg-dev``: ``textberg-de-fr/dev.{de,fr,defr}``, German to French, one document;
- ``textberg-test``: ``textberg-de-fr/test0..6.{de,fr,defr}``, pooled over the 7 files
  (the published benchmark);
- ``limsi``: the 13 folders of ``limsi-literary/`` (``en.txt``, the other language's
  ``fr|es|el.txt``, ``gold.align``), English to the other language;
- ``parice``: ``parice-en-is/{eng,isl,gold}/<doc>.txt``, English to Icelandic.

How time and memory are measured
--------------------------------
Wall time is ``time.perf_counter()`` around each child process, from start to
exit, so it includes process start-up and loading the embedding model (each
document pays it once; the scaling run reports that fixed cost separately).
A set's wall time is the sum over its documents, and sentences per second is
its source plus target sentences divided by that sum.

Peak memory is the peak resident set size of each child process on its own:
the child is started with :class:`subprocess.Popen` and reaped with
:func:`os.wait4`, which returns the resource usage of that one process
(``ru_maxrss``: KiB on Linux, bytes on macOS). This measures the real console
script with no wrapper code inside the measured process, needs no external
tool (``/usr/bin/time`` is not everywhere), and is per child, unlike
``resource.getrusage(RUSAGE_CHILDREN)``, which gives the largest of all the
children reaped so far. A set's peak memory is the largest over its documents.
Where :func:`os.wait4` does not exist (Windows) memory is reported as n/a.

Scaling (``--scaling``)
-----------------------
Builds one long document pair per size (default about 1,000, 5,000 and 10,000
sentences a side) by concatenating the LIMSI English-French books (``en.txt``
with the matching ``fr.txt``, books in name order) and their gold links,
shifted by the running line offsets. The size is the mean of the two sides:
the last book taken is cut at the last gold link (in document order) that keeps
source plus target within twice the size, and its gold keeps exactly the links
entirely within the kept lines (so each side is near, not exactly, the round
number, and no kept sentence loses its gold link). The 11 books hold about
5,970 English sentences, so the larger sizes go through the books again; every
line of the k-th pass (k >= 2) gets a `` (k)`` suffix on both sides, so that
the aligner's per-text embedding cache cannot make the repeated text free.
Compare the time ratios with the size ratios, not the absolute times (they
depend on the machine).
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from aligner import __version__
from aligner.errors import InputError
from aligner.evaluate import HIGH_THRESHOLD, Calibration, Scores, calibration, evaluate
from aligner.export.links import format_link, read_links
from aligner.load import load_presplit, read_text
from aligner.model import Link

DEFAULT_EVAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval"
ALL_SETS = ("textberg-dev", "textberg-test", "limsi", "parice")
DEFAULT_SIZES = (1000, 5000, 10000)

# Published Text+Berg de-fr test scores (7 files pooled), as collected in
# ../shared/FACTS.md section 1: (system, signal, strict F1, lax F1, source).
PUBLISHED: tuple[tuple[str, str, float, float, str], ...] = (
    ("Bertalign", "LaBSE embeddings (GPU)", 0.936, 0.989, "bfsujason/bertalign README"),
    ("SentAlign", "LaBSE embeddings", 0.932, 0.964, "steinst/SentAlign README"),
    ("Vecalign", "LASER embeddings", 0.902, 0.986, "thompsonb/vecalign README"),
    ("Bleualign", "MT + BLEU", 0.807, 0.948, "FACTS.md §1: run on the shipped MT file"),
    ("hunalign", "length + dictionary (none given)", 0.751, 0.868, "FACTS.md §1: built and run"),
    ("Gale-Church", "length only", 0.678, 0.796, "FACTS.md §1: run"),
)


def log(message: str) -> None:
    """Progress on stderr."""
    print(message, file=sys.stderr, flush=True)


# --- the sets ------------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    """One document pair of a gold set."""

    name: str
    src: Path
    tgt: Path
    gold: Path
    src_lang: str
    tgt_lang: str


@dataclass(frozen=True)
class GoldSet:
    key: str
    label: str
    docs: tuple[Doc, ...]


def _textberg(root: Path, names: Sequence[str]) -> tuple[Doc, ...]:
    base = root / "textberg-de-fr"
    return tuple(Doc(n, base / f"{n}.de", base / f"{n}.fr", base / f"{n}.defr", "de", "fr") for n in names)


def _limsi(root: Path) -> tuple[Doc, ...]:
    docs = []
    for folder in sorted(p for p in (root / "limsi-literary").iterdir() if (p / "gold.align").is_file()):
        other = folder.name.rsplit("-", 1)[-1].lower()  # Emma_EN-FR -> fr
        docs.append(
            Doc(folder.name, folder / "en.txt", folder / f"{other}.txt", folder / "gold.align", "en", other)
        )
    return tuple(docs)


def _parice(root: Path) -> tuple[Doc, ...]:
    base = root / "parice-en-is"
    return tuple(
        Doc(p.stem, base / "eng" / p.name, base / "isl" / p.name, p, "en", "is")
        for p in sorted((base / "gold").glob("*.txt"))
    )


SET_BUILDERS: dict[str, tuple[str, Callable[[Path], tuple[Doc, ...]]]] = {
    "textberg-dev": ("Text+Berg dev (de→fr)", lambda r: _textberg(r, ["dev"])),
    "textberg-test": ("Text+Berg test (de→fr)", lambda r: _textberg(r, [f"test{i}" for i in range(7)])),
    "limsi": ("LIMSI literary (en→fr/es/el)", _limsi),
    "parice": ("ParIce (en→is)", _parice),
}


def load_set(root: Path, key: str) -> GoldSet:
    """The documents of one set; raises FileNotFoundError naming a missing file."""
    label, build = SET_BUILDERS[key]
    try:
        docs = build(root)
    except FileNotFoundError as err:
        raise FileNotFoundError(f"{err.filename}: not found (set {key})") from None
    if not docs:
        raise FileNotFoundError(f"{root}: no document of set {key} found")
    for d in docs:
        for p in (d.src, d.tgt, d.gold):
            if not p.is_file():
                raise FileNotFoundError(f"{p}: not found (set {key})")
    return GoldSet(key, label, docs)


def read_lines(path: Path) -> list[str]:
    """The sentences of a one-sentence-per-line file, as ``aligner align --presplit`` reads them."""
    return [s.text for s in load_presplit(path)]


def read_gold(path: Path) -> list[Link]:
    return read_links(read_text(path, "gold link file").splitlines(), source=str(path))


# --- running the command line ----------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One child process: how long it took, its peak memory, how it ended."""

    seconds: float
    peak_kib: int | None
    returncode: int
    timed_out: bool
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def aligner_exe() -> Path:
    """The ``aligner`` console script installed next to this Python."""
    exe = Path(sys.executable).parent / ("aligner.exe" if os.name == "nt" else "aligner")
    if not exe.exists():
        raise SystemExit(
            f"error: {exe}: not found. Install the project in this environment first: "
            f"{sys.executable} -m pip install -e ."
        )
    return exe


def _maxrss_kib(raw: int) -> int:
    return raw // 1024 if sys.platform == "darwin" else raw


def run_measured(cmd: Sequence[str | Path], log_dir: Path, timeout: float | None) -> Run:
    """Run ``cmd``; wall time and the peak RSS of that one child (see the module docstring)."""
    out_path, err_path = log_dir / "child.stdout", log_dir / "child.stderr"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        lock = threading.Lock()
        reaped = False
        timed_out = False

        def kill() -> None:
            nonlocal timed_out
            with lock:
                if not reaped:
                    timed_out = True
                    os.kill(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer is not None:
            timer.start()
        peak: int | None
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            with lock:
                reaped = True
            seconds = time.perf_counter() - start
            code = os.waitstatus_to_exitcode(status)
            proc.returncode = code  # reaped here, not by Popen
            peak = _maxrss_kib(usage.ru_maxrss)
        else:  # pragma: no cover - Windows
            code = proc.wait()
            with lock:
                reaped = True
            seconds = time.perf_counter() - start
            peak = None
        if timer is not None:
            timer.cancel()
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    return Run(seconds, peak, code, timed_out, stderr)


#: Extra arguments given to every `aligner align` call (--align-args).
EXTRA_ARGS: list[str] = []


def align_cmd(exe: Path, src: Path, tgt: Path, src_lang: str, tgt_lang: str, pred: Path) -> list[str | Path]:
    return [
        exe,
        "align",
        src,
        tgt,
        "--presplit",
        "--src-lang",
        src_lang,
        "--tgt-lang",
        tgt_lang,
        "--format",
        "links",
        "-o",
        pred,
        *EXTRA_ARGS,
    ]


def _failure(name: str, run: Run, timeout: float | None) -> str:
    if run.timed_out:
        return f"{name}: killed after the {timeout:g} s timeout"
    tail = run.stderr.strip().splitlines()[-3:]
    return f"{name}: exit code {run.returncode}" + (f" ({' / '.join(tail)})" if tail else "")


# --- one set ---------------------------------------------------------------------------


@dataclass
class SetResult:
    label: str
    docs: int
    sentences: int = 0
    seconds: float = 0.0
    peak_kib: int | None = None
    scores: Scores | None = None
    calibration: Calibration | None = None
    failures: list[str] = field(default_factory=list)


def _max_peak(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def run_set(gset: GoldSet, exe: Path, work: Path, timeout: float | None) -> SetResult:
    res = SetResult(gset.label, len(gset.docs))
    gold_docs: list[list[Link]] = []
    pred_docs: list[list[Link]] = []
    out_dir = work / gset.key
    out_dir.mkdir()
    for i, d in enumerate(gset.docs, start=1):
        n = len(read_lines(d.src)) + len(read_lines(d.tgt))
        pred = out_dir / f"{i:02d}_{d.name}.links"
        run = run_measured(align_cmd(exe, d.src, d.tgt, d.src_lang, d.tgt_lang, pred), work, timeout)
        res.sentences += n
        res.seconds += run.seconds
        res.peak_kib = _max_peak(res.peak_kib, run.peak_kib)
        mem = "n/a" if run.peak_kib is None else f"{run.peak_kib / 1024:.0f} MiB"
        status = "" if run.ok else "  FAILED"
        log(f"[{gset.key}] {i}/{len(gset.docs)} {d.name}: {n} sentences, {run.seconds:.1f} s, {mem}{status}")
        if not run.ok:
            res.failures.append(_failure(d.name, run, timeout))
            log(f"  {res.failures[-1]}")
            continue
        gold_docs.append(read_gold(d.gold))
        pred_docs.append(read_links(pred.read_text(encoding="utf-8").splitlines(), source=str(pred)))
    if not res.failures:
        res.scores = evaluate(gold_docs, pred_docs)
        res.calibration = calibration(gold_docs, pred_docs)
    return res


# --- scaling ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Concat:
    src: list[str]
    tgt: list[str]
    gold: list[Link]
    books: int  # book pieces used (a book taken twice counts twice)


def concat_books(books: Sequence[Doc], size: int) -> Concat:
    """About ``size`` sentences a side (at most ``2 * size`` in all) from the books in
    order, going through them again if needed, with the gold shifted by the offsets."""
    if not books:
        raise ValueError("no book to concatenate")
    src: list[str] = []
    tgt: list[str] = []
    gold: list[Link] = []
    pieces = 0
    rounds = 0
    loaded = [(read_lines(b.src), read_lines(b.tgt), read_gold(b.gold)) for b in books]  # read once
    while True:
        rounds += 1
        added_in_round = 0
        for s_lines, t_lines, links in loaded:
            if rounds > 1:
                s_lines = [f"{x} ({rounds})" for x in s_lines]
                t_lines = [f"{x} ({rounds})" for x in t_lines]
            room = 2 * size - len(src) - len(tgt)  # sentences left, both sides together
            keep_s, keep_t = len(s_lines), len(t_lines)
            full = keep_s + keep_t <= room
            if not full:
                # cut at the last gold link (in document order) that still fits
                keep_s = keep_t = 0
                for lk in links:
                    ns = max(keep_s, max(lk.src, default=-1) + 1)
                    nt = max(keep_t, max(lk.tgt, default=-1) + 1)
                    if ns + nt > room:
                        break
                    keep_s, keep_t = ns, nt
            off_s, off_t = len(src), len(tgt)
            src += s_lines[:keep_s]
            tgt += t_lines[:keep_t]
            for lk in links:
                if all(i < keep_s for i in lk.src) and all(j < keep_t for j in lk.tgt):
                    gold.append(Link(tuple(i + off_s for i in lk.src), tuple(j + off_t for j in lk.tgt), 1.0))
            if keep_s or keep_t:
                pieces += 1
                added_in_round += keep_s + keep_t
            if not full:
                return Concat(src, tgt, gold, pieces)
        if added_in_round == 0:  # pragma: no cover - only with empty books
            return Concat(src, tgt, gold, pieces)


@dataclass(frozen=True)
class ScaleRow:
    src: int
    tgt: int
    books: int
    run: Run
    strict_f1: float | None


def run_scaling(
    root: Path, sizes: Sequence[int], exe: Path, work: Path, timeout: float | None
) -> tuple[list[ScaleRow], Run]:
    books = [d for d in _limsi(root) if d.tgt_lang == "fr" and d.name.upper().endswith("_EN-FR")]
    if not books:
        raise FileNotFoundError(f"{root / 'limsi-literary'}: no English-French book found")
    out_dir = work / "scaling"
    out_dir.mkdir()
    # the fixed cost of one call: start-up and model load, two tiny sentences
    tiny_s, tiny_t = out_dir / "tiny.en", out_dir / "tiny.fr"
    tiny_s.write_text("Good morning .\nThank you .\n", encoding="utf-8")
    tiny_t.write_text("Bonjour .\nMerci .\n", encoding="utf-8")
    log("[scaling] fixed cost: aligning 2 + 2 sentences")
    fixed = run_measured(align_cmd(exe, tiny_s, tiny_t, "en", "fr", out_dir / "tiny.links"), work, timeout)
    rows = []
    for size in sizes:
        c = concat_books(books, size)
        src, tgt = out_dir / f"concat_{size}.en", out_dir / f"concat_{size}.fr"
        src.write_text("\n".join(c.src) + "\n", encoding="utf-8")
        tgt.write_text("\n".join(c.tgt) + "\n", encoding="utf-8")
        gold_path = out_dir / f"concat_{size}.gold"
        gold_path.write_text("".join(format_link(lk) + "\n" for lk in c.gold), encoding="utf-8")
        pred = out_dir / f"concat_{size}.links"
        log(f"[scaling] {len(c.src)} / {len(c.tgt)} sentences ({c.books} book piece(s)): aligning...")
        run = run_measured(align_cmd(exe, src, tgt, "en", "fr", pred), work, timeout)
        mem = "n/a" if run.peak_kib is None else f"{run.peak_kib / 1024:.0f} MiB"
        log(
            f"[scaling] {len(c.src)} / {len(c.tgt)}: {run.seconds:.1f} s, {mem}"
            + ("" if run.ok else " FAILED")
        )
        f1 = None
        if run.ok:
            predicted = read_links(pred.read_text(encoding="utf-8").splitlines(), source=str(pred))
            f1 = evaluate([c.gold], [predicted]).strict_f1
        else:
            log(f"  {_failure(f'size {size}', run, timeout)}")
        rows.append(ScaleRow(len(c.src), len(c.tgt), c.books, run, f1))
    return rows, fixed


# --- tables ----------------------------------------------------------------------------


def _md(header: Sequence[str], rows: Sequence[Sequence[str]], right_from: int = 1) -> list[str]:
    align = ["---" if i < right_from else "---:" for i in range(len(header))]
    return [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(align) + " |",
        *("| " + " | ".join(r) + " |" for r in rows),
    ]


def _mib(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:,.0f}"


def sets_table(results: Sequence[SetResult]) -> list[str]:
    header = [
        "set",
        "docs",
        "sentences (src+tgt)",
        "strict P",
        "strict R",
        "strict F1",
        "lax P",
        "lax R",
        "lax F1",
        "ECE",
        f"P of links ≥ {HIGH_THRESHOLD} (count)",
        "wall time (s)",
        "sentences/s",
        "peak memory (MiB)",
    ]
    rows = []
    for r in results:
        speed = f"{r.sentences / r.seconds:.1f}" if r.seconds else "-"
        timing = [f"{r.seconds:.1f}", speed, _mib(r.peak_kib)]
        if r.scores is None or r.calibration is None:
            failed = f"failed: {'; '.join(r.failures)}"
            rows.append([r.label, str(r.docs), f"{r.sentences:,}", failed, *["-"] * 7, *timing])
            continue
        s, c = r.scores, r.calibration
        rows.append(
            [
                r.label,
                str(r.docs),
                f"{r.sentences:,}",
                *(
                    f"{x:.3f}"
                    for x in (
                        s.strict_precision,
                        s.strict_recall,
                        s.strict_f1,
                        s.lax_precision,
                        s.lax_recall,
                        s.lax_f1,
                        c.ece,
                    )
                ),
                f"{c.high_precision:.3f} ({c.high_count})" if c.high_count else "- (0)",
                *timing,
            ]
        )
    return _md(header, rows)


def published_table(ours: SetResult | None) -> list[str]:
    rows: list[tuple[float, list[str]]] = [
        (strict, [name, signal, f"{strict:.3f}", f"{lax:.3f}", source])
        for name, signal, strict, lax, source in PUBLISHED
    ]
    if ours is not None and ours.scores is not None:
        s = ours.scores
        rows.append(
            (
                s.strict_f1,
                [
                    f"**this aligner {__version__}**",
                    "e5-small embeddings (CPU), "
                    + (f"`{shlex.join(EXTRA_ARGS)}`" if EXTRA_ARGS else "default settings"),
                    f"**{s.strict_f1:.3f}**",
                    f"**{s.lax_f1:.3f}**",
                    "this run",
                ],
            )
        )
    rows.sort(key=lambda r: -r[0])
    lines = _md(["system", "signal", "strict F1", "lax F1", "source"], [r for _, r in rows], right_from=2)
    lines[1] = "| --- | --- | ---: | ---: | --- |"
    if ours is None:
        lines.append("")
        lines.append("(Our row needs the textberg-test set: add it to --sets.)")
    elif ours.scores is None:
        lines.append("")
        lines.append("(Our row is missing: the textberg-test run failed, see above.)")
    return lines


def scaling_table(rows: Sequence[ScaleRow], fixed: Run) -> list[str]:
    header = [
        "sentences a side (src / tgt)",
        "book pieces",
        "wall time (s)",
        "peak memory (MiB)",
        "s per 1k sentences a side",
        "size ratio",
        "time ratio",
        "strict F1",
    ]
    base = next((r for r in rows if r.run.ok), None)
    out = []
    for r in rows:
        side = (r.src + r.tgt) / 2
        if not r.run.ok:
            status = "killed (timeout)" if r.run.timed_out else f"failed (exit {r.run.returncode})"
            out.append(
                [
                    f"{r.src:,} / {r.tgt:,}",
                    str(r.books),
                    f"{r.run.seconds:.1f} {status}",
                    _mib(r.run.peak_kib),
                ]
                + ["-"] * 4
            )
            continue
        assert base is not None
        base_side = (base.src + base.tgt) / 2
        out.append(
            [
                f"{r.src:,} / {r.tgt:,}",
                str(r.books),
                f"{r.run.seconds:.1f}",
                _mib(r.run.peak_kib),
                f"{r.run.seconds / (side / 1000):.1f}",
                f"{side / base_side:.2f}",
                f"{r.run.seconds / base.run.seconds:.2f}",
                "-" if r.strict_f1 is None else f"{r.strict_f1:.3f}",
            ]
        )
    lines = _md(header, out)
    cost = (
        f"{fixed.seconds:.1f} s, {_mib(fixed.peak_kib)} MiB"
        if fixed.ok
        else f"not measured (the tiny run failed with exit code {fixed.returncode})"
    )
    lines += [
        "",
        "Ratios are against the first row that ran. Fixed cost of one call (start-up, model load, "
        f"2 + 2 sentences): {cost}; it is included in every wall time.",
    ]
    return lines


# --- main ------------------------------------------------------------------------------


def _parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give sizes as integers, e.g. 1000,5000") from None
    if not sizes or any(s < 10 for s in sizes):
        raise argparse.ArgumentTypeError(f"{text!r}: give one or more sizes of at least 10")
    return sizes


def _parse_sets(text: str) -> list[str]:
    keys = [x.strip() for x in text.split(",") if x.strip()]
    unknown = [k for k in keys if k not in SET_BUILDERS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown set(s) {', '.join(unknown)}; choose from {', '.join(ALL_SETS)}"
        )
    return keys


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark `aligner align` on the gold sets of ../shared/eval (see the module docstring)."
    )
    parser.add_argument(
        "--eval-dir", type=Path, default=DEFAULT_EVAL_DIR, help=f"default: {DEFAULT_EVAL_DIR}"
    )
    parser.add_argument(
        "--sets",
        type=_parse_sets,
        default=list(ALL_SETS),
        help=f"comma-separated, from {','.join(ALL_SETS)} (default: all); '' for none",
    )
    parser.add_argument("--scaling", action="store_true", help="also time long concatenated LIMSI documents")
    parser.add_argument(
        "--sizes",
        type=_parse_sizes,
        default=list(DEFAULT_SIZES),
        help="sentences a side for --scaling (default: 1000,5000,10000)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="kill an alignment after this many seconds (default: none)",
    )
    parser.add_argument("--out", type=Path, default=None, help="also write the tables to this markdown file")
    parser.add_argument(
        "--align-args",
        default="",
        help="extra arguments for every `aligner align` call, e.g. '--joined-weight 0.3'",
    )
    args = parser.parse_args(argv)
    EXTRA_ARGS[:] = shlex.split(args.align_args)

    root: Path = args.eval_dir
    if not root.is_dir():
        print(
            f"The evaluation data folder {root} does not exist, so there is nothing to benchmark. "
            "Point --eval-dir at the shared/eval folder (see ../shared/eval/README.md).",
            file=sys.stderr,
        )
        return 0
    if not args.sets and not args.scaling:
        print("error: nothing to run: --sets is empty and --scaling was not given", file=sys.stderr)
        return 2
    try:
        sets = [load_set(root, key) for key in args.sets]
    except (FileNotFoundError, InputError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    exe = aligner_exe()
    timeout: float | None = args.timeout

    lines = [
        f"aligner {__version__}, Python {platform.python_version()}, {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPU(s), "
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; one "
        f"`aligner align --presplit{' ' + args.align_args if args.align_args else ''}` "
        "process per document; wall time includes start-up and model load.",
        "",
    ]
    failed = False
    with tempfile.TemporaryDirectory(prefix="aligner-bench-") as tmp:
        work = Path(tmp)
        results = [run_set(s, exe, work, timeout) for s in sets]
        failed = any(r.failures for r in results)
        if results:
            lines += sets_table(results)
            lines += ["", "Text+Berg de→fr test, 7 files pooled: published scores beside ours", ""]
            test = next((r for r, s in zip(results, sets, strict=True) if s.key == "textberg-test"), None)
            lines += published_table(test)
        if args.scaling:
            try:
                rows, fixed = run_scaling(root, args.sizes, exe, work, timeout)
            except (FileNotFoundError, InputError) as err:
                print(f"error: {err}", file=sys.stderr)
                return 1
            failed = failed or not all(r.run.ok for r in rows)
            if results:
                lines.append("")
            lines += [
                "Scaling: concatenated LIMSI English-French books, en→fr, one process per size",
                "",
                *scaling_table(rows, fixed),
            ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
        log(f"wrote {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
