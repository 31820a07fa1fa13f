"""Benchmark the aligner on the public gold sets of ``../shared/eval``.

Usage::

    python benchmarks/alignment.py [--eval-dir ../shared/eval]
        [--sets textberg-dev,textberg-test,limsi,parice,partut-legal] [--encoder e5,use|st:MODEL]
        [--scaling] [--sizes 1000,5000,10000] [--timeout SECONDS] [--out FILE.md]

What it does
------------
For every chosen set it runs the installed command line, as a user would, once
for all the set's documents::

    aligner align --pairs PAIRS --presplit --src-lang X --tgt-lang Y --format links --encoder E

(the ``aligner`` script next to ``sys.executable``; ``PAIRS`` lists each
document's ``SRC<TAB>TGT<TAB>PRED``), one fresh process per set, or per
language pair of a set whose documents are in several (LIMSI: one per target
language), predictions written to a temporary folder that is deleted at the
end. ``--encoder`` (default: the aligner's default encoder) is given to every
call and named in the table; with several (``--encoder e5,use``) each set is
aligned with each, their rows side by side. A document in a language the encoder does
not cover is left out (``use`` has no Greek nor Icelandic: LIMSI is scored on
its en-fr and en-es books, ParIce skipped), and a note below the table says so.
It then scores the predictions against the gold links with
:mod:`aligner.evaluate` (the code behind ``aligner evaluate``: strict and lax
precision/recall/F1 pooled over the set's documents, FACTS.md section 2) and
the calibration of the link scores (expected calibration error over 10
equal-width bins, and the precision of links scored >= 0.9).

It prints one markdown table (one row per set and encoder), then the published Text+Berg
test numbers beside ours, and with ``--scaling`` a third table on long
synthetic documents. Progress goes to stderr; ``--out`` also writes the tables
to a file. The evaluation data are read where they are, never copied.

The sets (layouts from each set's README.md):

- ``textberg-dev``: ``textberg-de-fr/dev.{de,fr,defr}``, German to French, one document;
- ``textberg-test``: ``textberg-de-fr/test0..6.{de,fr,defr}``, pooled over the 7 files
  (the published benchmark);
- ``limsi``: the 13 folders of ``limsi-literary/`` (``en.txt``, the other language's
  ``fr|es|el.txt``, ``gold.align``), English to the other language;
- ``parice``: ``parice-en-is/{eng,isl,gold}/<doc>.txt``, English to Icelandic;
- ``partut-legal``: ParTUT's legal documents (``partut-it-en-fr``: Creative Commons,
  Facebook terms, JRC-Acquis, UDHR), Italian to English, 1-1 gold links: the
  Italian-English *dev* set (``benchmarks/stress.py``'s faithful variant), written
  to a temporary folder.

How time and memory are measured
--------------------------------
Wall time is ``time.perf_counter()`` around each child process, from start to
exit, so it includes process start-up and loading the embedding model, paid
once per set (once per language pair of a set aligned in several calls), as a
user aligning many documents with ``--pairs`` pays it; the scaling run reports
that fixed cost separately. A set's wall time is that of its process (the sum
over its processes, if several), and sentences per second is its source plus
target sentences divided by it.

Peak memory is the peak resident set size of each child process on its own:
the child is started with :class:`subprocess.Popen` and reaped with
:func:`os.wait4`, which returns the resource usage of that one process
(``ru_maxrss``: KiB on Linux, bytes on macOS). This measures the real console
script with no wrapper code inside the measured process, needs no external
tool (``/usr/bin/time`` is not everywhere), and is per child, unlike
``resource.getrusage(RUSAGE_CHILDREN)``, which gives the largest of all the
children reaped so far. A set's peak memory is that of its process (the largest
of its processes, if several): the model, plus what its largest document needs
(each pair's vector cache is dropped when the pair is written). Where ``--pairs``
runs worker processes (``use`` on a set of 192 KB or more), the child's usage
also covers the workers it reaped, and the peak is the largest of them, not
their sum.
Where :func:`os.wait4` does not exist (Windows) memory is reported as n/a.

Scaling (``--scaling``)
-----------------------
One ``aligner align SRC TGT`` process per size. Builds one long document pair
per size (default about 1,000, 5,000 and 10,000 sentences a side) by
concatenating the LIMSI English-French books (``en.txt`` with the matching
``fr.txt``, books in name order) and their gold links, shifted by the running
line offsets. The size is the mean of the two sides:
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
import atexit
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
from aligner.encode import ST_PREFIX, check_key, default_encoder, get_encoder
from aligner.errors import ConfigError, InputError
from aligner.evaluate import HIGH_THRESHOLD, Calibration, Scores, calibration, evaluate
from aligner.export.links import format_link, read_links
from aligner.load import load_presplit, read_text
from aligner.model import Link

DEFAULT_EVAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval"
ALL_SETS = ("textberg-dev", "textberg-test", "limsi", "parice", "partut-legal")
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


_SCRATCH: list[tempfile.TemporaryDirectory[str]] = []


def _scratch() -> Path:
    """A folder for documents this script derives from the gold sets, removed at exit."""
    if not _SCRATCH:
        _SCRATCH.append(tempfile.TemporaryDirectory(prefix="aligner-bench-sets-"))
        atexit.register(_SCRATCH[0].cleanup)
    return Path(_SCRATCH[0].name)


def _partut_legal(root: Path) -> tuple[Doc, ...]:
    """ParTUT's legal documents (Creative Commons, Facebook terms, JRC-Acquis, UDHR), Italian
    to English: the Italian-English dev set of ``benchmarks/stress.py`` (its faithful variant),
    one sentence a line and a 1-1 gold link per aligned sentence pair, written to a
    temporary folder. ParTUT's other documents are never read."""
    from stress import partut_sources  # stress.py imports this module

    folder = _scratch() / "partut-legal"
    folder.mkdir(exist_ok=True)
    docs = []
    for source in partut_sources(root):
        base = folder / source.name
        paths = [base.with_suffix(x) for x in (".it", ".en", ".gold")]
        paths[0].write_text("".join(u.src[0] + "\n" for u in source.units), encoding="utf-8")
        paths[1].write_text("".join(u.tgt[0] + "\n" for u in source.units), encoding="utf-8")
        paths[2].write_text("".join(f"[{k}]:[{k}]\n" for k in range(len(source.units))), encoding="utf-8")
        docs.append(Doc(source.name, paths[0], paths[1], paths[2], "it", "en"))
    return tuple(docs)


SET_BUILDERS: dict[str, tuple[str, Callable[[Path], tuple[Doc, ...]]]] = {
    "textberg-dev": ("Text+Berg dev (de→fr)", lambda r: _textberg(r, ["dev"])),
    "textberg-test": ("Text+Berg test (de→fr)", lambda r: _textberg(r, [f"test{i}" for i in range(7)])),
    "limsi": ("LIMSI literary (en→fr/es/el)", _limsi),
    "parice": ("ParIce (en→is)", _parice),
    "partut-legal": ("ParTUT legal, dev (it→en)", _partut_legal),
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
    return [s.text for s in load_presplit(path)[0]]


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


def encoder_languages(key: str) -> frozenset[str] | None:
    """The languages encoder ``key`` covers (None: any, as for an ``st:MODEL``), loading no model."""
    return None if key.startswith(ST_PREFIX) else get_encoder(key).languages


def align_cmd(
    exe: Path, src: Path, tgt: Path, src_lang: str, tgt_lang: str, pred: Path, options: Sequence[str]
) -> list[str | Path]:
    """``aligner align`` on one pair; ``options``: ``--encoder`` and the --align-args."""
    return [exe, "align", src, tgt, *_common(src_lang, tgt_lang), "-o", pred, *options]


def pairs_cmd(
    exe: Path, pairs: Path, src_lang: str, tgt_lang: str, options: Sequence[str]
) -> list[str | Path]:
    """``aligner align --pairs`` on the pairs listed in ``pairs`` (each with its output)."""
    return [exe, "align", "--pairs", pairs, *_common(src_lang, tgt_lang), *options]


def _common(src_lang: str, tgt_lang: str) -> list[str]:
    return ["--presplit", "--src-lang", src_lang, "--tgt-lang", tgt_lang, "--format", "links"]


def write_pairs(path: Path, pairs: Sequence[tuple[Path, Path, Path]]) -> None:
    """A pairs file for ``aligner align --pairs``: absolute paths, ``SRC<TAB>TGT<TAB>OUT`` a line."""
    # (a path with a tab or a line break in it makes the call fail, naming the line)
    lines = ["\t".join(str(p.resolve()) for p in row) + "\n" for row in pairs]
    path.write_text("".join(lines), encoding="utf-8")


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
    encoder: str = ""
    sentences: int = 0
    seconds: float = 0.0
    peak_kib: int | None = None
    scores: Scores | None = None
    calibration: Calibration | None = None
    failures: list[str] = field(default_factory=list)
    #: What the encoder left out, for the note below the table ("" if nothing).
    note: str = ""
    #: Every document was left out: the set has no row, only its note.
    skipped: bool = False


def _max_peak(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def _lang_pair(d: Doc) -> str:
    return f"{d.src_lang}-{d.tgt_lang}"


def coverage_note(gset: GoldSet, encoder: str, languages: frozenset[str] | None) -> tuple[list[Doc], str]:
    """The documents of ``gset`` in languages ``encoder`` covers, and a note on those left out."""
    kept = [d for d in gset.docs if languages is None or {d.src_lang, d.tgt_lang} <= languages]
    if len(kept) == len(gset.docs):
        return kept, ""
    assert languages is not None
    missing = sorted({x for d in gset.docs for x in (d.src_lang, d.tgt_lang)} - languages)
    why = f"the {encoder} encoder does not cover {', '.join(missing)}"
    if not kept:
        return kept, f"{gset.label}: skipped, {why}."
    pairs = ", ".join(dict.fromkeys(_lang_pair(d) for d in kept))
    left = len(gset.docs) - len(kept)
    return kept, f"{gset.label}: {pairs} only; {why} ({left} of {len(gset.docs)} documents left out)."


def run_set(
    gset: GoldSet,
    exe: Path,
    work: Path,
    timeout: float | None,
    options: Sequence[str],
    encoder: str,
    languages: frozenset[str] | None,
) -> SetResult:
    """Align the set's documents with one ``aligner align --pairs`` call per language pair, and score them."""
    docs, note = coverage_note(gset, encoder, languages)
    res = SetResult(gset.label, len(docs), encoder, note=note, skipped=not docs)
    if not docs:
        log(f"[{gset.key}] {note}")
        return res
    out_dir = work / f"{gset.key}-{encoder.replace('/', '_').replace(':', '_')}"
    out_dir.mkdir()
    preds = {d: out_dir / f"{i:02d}_{d.name}.links" for i, d in enumerate(gset.docs, start=1) if d in docs}
    groups: dict[tuple[str, str], list[Doc]] = {}
    for d in docs:
        groups.setdefault((d.src_lang, d.tgt_lang), []).append(d)
    for (src_lang, tgt_lang), group in groups.items():
        n = sum(len(read_lines(d.src)) + len(read_lines(d.tgt)) for d in group)
        pairs = out_dir / f"pairs-{src_lang}-{tgt_lang}.txt"
        write_pairs(pairs, [(d.src, d.tgt, preds[d]) for d in group])
        run = run_measured(pairs_cmd(exe, pairs, src_lang, tgt_lang, options), work, timeout)
        res.sentences += n
        res.seconds += run.seconds
        res.peak_kib = _max_peak(res.peak_kib, run.peak_kib)
        mem = "n/a" if run.peak_kib is None else f"{run.peak_kib / 1024:.0f} MiB"
        status = "" if run.ok else "  FAILED"
        log(
            f"[{gset.key}] {src_lang}-{tgt_lang}: {len(group)} document(s), {n} sentences, "
            f"{run.seconds:.1f} s, {mem}{status}"
        )
        if not run.ok:
            res.failures.append(_failure(f"{src_lang}-{tgt_lang}", run, timeout))
            log(f"  {res.failures[-1]}")
    if not res.failures:
        gold_docs = [read_gold(d.gold) for d in docs]
        pred_docs = [
            read_links(preds[d].read_text(encoding="utf-8").splitlines(), source=str(preds[d])) for d in docs
        ]
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
    root: Path, sizes: Sequence[int], exe: Path, work: Path, timeout: float | None, options: Sequence[str]
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
    tiny = align_cmd(exe, tiny_s, tiny_t, "en", "fr", out_dir / "tiny.links", options)
    fixed = run_measured(tiny, work, timeout)
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
        run = run_measured(align_cmd(exe, src, tgt, "en", "fr", pred, options), work, timeout)
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
        "encoder",
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
        if r.skipped:
            continue
        speed = f"{r.sentences / r.seconds:.1f}" if r.seconds else "-"
        timing = [f"{r.seconds:.1f}", speed, _mib(r.peak_kib)]
        if r.scores is None or r.calibration is None:
            failed = f"failed: {'; '.join(r.failures)}"
            rows.append([r.label, r.encoder, str(r.docs), f"{r.sentences:,}", failed, *["-"] * 7, *timing])
            continue
        s, c = r.scores, r.calibration
        rows.append(
            [
                r.label,
                r.encoder,
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
    lines = _md(header, rows, right_from=2)
    notes = [r.note for r in results if r.note]
    if notes:
        lines += ["", *notes]
    return lines


#: How the published table names our encoders' signal.
SIGNALS = {"e5": "e5-small embeddings (CPU)", "use": "USE v3 embeddings (CPU)"}


def published_table(ours: Sequence[SetResult], extra: Sequence[str]) -> list[str]:
    """The published Text+Berg test scores, with ours (one row per encoder in ``ours``)."""
    rows: list[tuple[float, list[str]]] = [
        (strict, [name, signal, f"{strict:.3f}", f"{lax:.3f}", source])
        for name, signal, strict, lax, source in PUBLISHED
    ]
    for r in ours:
        if r.scores is None:
            continue
        s = r.scores
        rows.append(
            (
                s.strict_f1,
                [
                    f"**this aligner {__version__}**",
                    SIGNALS.get(r.encoder, f"{r.encoder.removeprefix(ST_PREFIX)} embeddings")
                    + f" (`--encoder {r.encoder}`), "
                    + (f"`{shlex.join(extra)}`" if extra else "default settings"),
                    f"**{s.strict_f1:.3f}**",
                    f"**{s.lax_f1:.3f}**",
                    "this run",
                ],
            )
        )
    rows.sort(key=lambda r: -r[0])
    lines = _md(["system", "signal", "strict F1", "lax F1", "source"], [r for _, r in rows], right_from=2)
    lines[1] = "| --- | --- | ---: | ---: | --- |"
    if not ours:
        lines.append("")
        lines.append("(Our row needs the textberg-test set: add it to --sets.)")
    elif any(r.scores is None for r in ours):
        lines.append("")
        lines.append("(A row of ours is missing: its textberg-test run failed, see above.)")
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
        help="kill an `aligner align` call (a set's, or a size's) after this many seconds (default: none)",
    )
    parser.add_argument("--out", type=Path, default=None, help="also write the tables to this markdown file")
    parser.add_argument(
        "--align-args",
        default="",
        help="extra arguments for every `aligner align` call, e.g. '--joined-weight 0.3'",
    )
    parser.add_argument(
        "--encoder",
        default=None,
        help="the encoder of every `aligner align` call: e5, use, st:MODEL, or several separated "
        "by commas (e5,use: each set with each, side by side); default: the aligner's default. "
        "Documents in languages an encoder does not cover are left out, with a note",
    )
    args = parser.parse_args(argv)
    extra = shlex.split(args.align_args)
    if "--encoder" in extra or any(a.startswith("--encoder=") for a in extra):
        parser.error("give the encoder with --encoder, not in --align-args")
    try:
        keys = args.encoder.split(",") if args.encoder else [default_encoder()[0]]
        encoders = [check_key(k) for k in keys]
    except ConfigError as err:
        parser.error(str(err))
    encoder = encoders[0]  # the scaling run's
    languages = encoder_languages(encoder)
    options = ["--encoder", encoder, *extra]

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
    if args.scaling and languages is not None and not {"en", "fr"} <= languages:
        print(
            f"error: --scaling aligns English-French books, and the {encoder} encoder does not cover "
            "both languages; choose another --encoder",
            file=sys.stderr,
        )
        return 2
    exe = aligner_exe()
    timeout: float | None = args.timeout

    lines = [
        f"aligner {__version__}, Python {platform.python_version()}, {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} CPU(s), "
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; encoder {', '.join(encoders)}; one "
        f"`aligner align --pairs FILE --presplit --encoder E"
        f"{' ' + args.align_args if args.align_args else ''}` process per set (per language pair of "
        "a set in several), aligning all its documents (with `use`, in a worker per core for a set of "
        "192 KB or more); wall time includes start-up and model load, once per process.",
        "",
    ]
    failed = False
    with tempfile.TemporaryDirectory(prefix="aligner-bench-") as tmp:
        work = Path(tmp)
        results, tests = [], []
        for gset in sets:
            for key in encoders:
                opts = ["--encoder", key, *extra]
                results.append(run_set(gset, exe, work, timeout, opts, key, encoder_languages(key)))
                if gset.key == "textberg-test":
                    tests.append(results[-1])
        failed = any(r.failures for r in results)
        if results:
            lines += sets_table(results)
            lines += ["", "Text+Berg de→fr test, 7 files pooled: published scores beside ours", ""]
            lines += published_table(tests, extra)
        if args.scaling:
            try:
                rows, fixed = run_scaling(root, args.sizes, exe, work, timeout, options)
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
