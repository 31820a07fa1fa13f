"""Benchmark ``aligner run`` on a folder of copies of one dispatch pair: time linear in copies.

Usage::

    .venv/bin/python benchmarks/copies.py [--copies 20,200] [--encoder e5] [--work DIR] [--out FILE.md]

For each count N, a folder holds N copies of the seed pair (``seeds/``, the
Italian dispatch and its English version) under other names
(``story000_it.txt``, ``story000_en.txt``, ...): the same story filed N times,
as an archive holds it. Each folder runs, as a fresh process (the console
script next to this Python)::

    aligner run FOLDER --out OUT --quiet --format links --encoder E

and its manifest is read back: every copy but the first of each language must
be set aside as a duplicate of it, and the first two paired, once (before
duplicates were grouped, 200 copies formed 16 crossed pairs in 649 s, against
27 s for 20). Wall time is measured around the process, start-up included;
"time per copy vs first" divides each row's time per copy by the first row's:
1.00 or less is time linear in the number of copies (less: the start-up is
spread over more copies).

The machine is shared: compare the ratios inside one table, not times across runs.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from alignment import _md, aligner_exe, log

from aligner import __version__
from aligner.workdir import RunFolder

ROOT = Path(__file__).resolve().parent.parent
IT_SEED = ROOT / "seeds" / "000_4f42991440b6f2b5.txt"
EN_SEED = ROOT / "seeds" / "001_2311b19d4785c162.txt"


@dataclass(frozen=True)
class Row:
    copies: int
    documents: int
    pairs: list[tuple[str, str]]
    duplicates: int
    seconds: float


def make_copies(folder: Path, copies: int) -> None:
    """``copies`` copies of the seed pair in ``folder``, each under its own names."""
    folder.mkdir(parents=True)
    it, en = IT_SEED.read_bytes(), EN_SEED.read_bytes()
    for k in range(copies):
        (folder / f"story{k:03d}_it.txt").write_bytes(it)
        (folder / f"story{k:03d}_en.txt").write_bytes(en)


def run_copies(work: Path, copies: int, encoder: str) -> Row:
    folder, out = work / f"copies-{copies}", work / f"out-{copies}"
    make_copies(folder, copies)
    cmd = [str(aligner_exe()), "run", str(folder), "--out", str(out), "--quiet", "--format", "links"]
    start = time.perf_counter()
    proc = subprocess.run([*cmd, "--encoder", encoder], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"error: aligner run failed (exit {proc.returncode}):\n{proc.stderr}")
    manifest = RunFolder(out).read_manifest()
    return Row(
        copies,
        len(manifest.documents),
        [(p.source, p.target) for p in manifest.pairs],
        len(manifest.duplicates),
        seconds,
    )


def table(rows: Sequence[Row], encoder: str) -> list[str]:
    first = rows[0].seconds / rows[0].copies
    lines = [
        f"`aligner run` on copies of the seed pair (aligner {__version__}, "
        f"Python {platform.python_version()}, encoder {encoder}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}):",
        "",
    ]
    header = [
        "copies",
        "documents",
        "pairs formed",
        "the pair",
        "duplicates set aside",
        "time (s)",
        "time per copy (s)",
        "time per copy vs first",
    ]
    body = [
        [
            f"{r.copies:,}",
            f"{r.documents:,}",
            str(len(r.pairs)),
            " + ".join(r.pairs[0]) if len(r.pairs) == 1 else "(not one pair)",
            f"{r.duplicates:,}",
            f"{r.seconds:.1f}",
            f"{r.seconds / r.copies:.3f}",
            f"{r.seconds / r.copies / first:.2f}",
        ]
        for r in rows
    ]
    return [*lines, *_md(header, body)]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", default="20,200", help="Copy counts, comma-separated (default 20,200).")
    ap.add_argument("--encoder", default="e5")
    ap.add_argument("--work", type=Path, help="Keep folders and outputs in this (new) folder.")
    ap.add_argument("--out", type=Path, help="Also write the table to this markdown file.")
    args = ap.parse_args(argv)
    counts = [int(x) for x in args.copies.split(",") if x.strip()]
    if not counts or min(counts) < 1:
        raise SystemExit("error: --copies takes positive counts such as 20,200")
    work = args.work or Path(tempfile.mkdtemp(prefix="aligner-copies-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for n in counts:
            log(f"copies: {n} copies of the seed pair")
            rows.append(run_copies(work, n, args.encoder))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    bad = [r for r in rows if len(r.pairs) != 1 or r.duplicates != 2 * r.copies - 2]
    lines = table(rows, args.encoder)
    print("\n".join(lines))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if bad:
        print(f"error: {len(bad)} row(s) did not form one pair with the rest set aside", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
