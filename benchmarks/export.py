"""Benchmark ``aligner export`` at corpus scale: time and peak memory at 10k, 100k and 1M units.

Usage::

    .venv/bin/python benchmarks/export.py [--sizes 10000,100000,1000000] [--units-per-pair 20]
        [--work DIR] [--out FILE.md]

The corpus is generated from the test corpus by varying it. First ``aligner run``
aligns the seven test dispatch pairs (``tests/data/dispatches``, 25 sentence
pairs, all 1-1). Then, for each size, a run output folder is written with the
same layout as ``aligner run``'s (``manifest.json`` listing every document and
pair, one TSV and one links file per pair): ``--units-per-pair`` units per
dispatch pair, each a sentence pair of the test run with a made-up name (a
different one per unit, built from syllables of the unit's number) put before
both sides, so that no two units are the same text, even once case, accents and
digits are ignored, and the duplicate filter has real work. One unit in twenty
repeats an earlier unit exactly (a dispatch filed twice), which the filter
drops. The generated folders have no work folder (``.aligner``): split keys are
then the documents' names, and XCES, which needs the stored documents'
sentences, is not measured.

Each size then runs, as a fresh process (the console script next to this
Python)::

    aligner export RUN --out OUT --split train=0.98,valid=0.01,test=0.01 \\
        --format moses --format jsonl --format tsv --format parquet --format tmx

with every filter on (score, length ratio, length, language identification,
untranslated copies, exact and near duplicates). Wall time is measured around
the process; peak memory is that process's ``ru_maxrss`` (:func:`os.wait4`; n/a
where it does not exist). The table gives, per size, the units read and kept,
the time, the rate, the time per million units against the smallest size's (1.00
is linear growth) and the peak memory, with the target: under 1 GiB at a
million units, where an export that held the corpus in memory would need
several.

The machine is shared: compare the rows of one table, not times across runs.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from alignment import _md, _mib, aligner_exe, log, run_measured

from aligner import __version__
from aligner.workdir import DocumentRecord, Manifest, PairRecord, RunFolder

ROOT = Path(__file__).resolve().parent.parent
#: Peak memory the largest size must stay under, in MiB.
TARGET_MIB = 1024
SPLIT = "train=0.98,valid=0.01,test=0.01"
FORMATS = ("moses", "jsonl", "tsv", "parquet", "tmx")
_SYLLABLES = [c + v for c in "bcdfglmnprstvz" for v in "aeiou"]


def name_of(n: int) -> str:
    """A made-up name for unit ``n``: its number in base 70, a syllable a digit (``Barosi``)."""
    digits = []
    while True:
        n, d = divmod(n, len(_SYLLABLES))
        digits.append(_SYLLABLES[d])
        if n == 0:
            break
    return ("".join(reversed(digits)) + "ni").capitalize()


def base_units(work: Path) -> tuple[Manifest, list[tuple[str, str, float]]]:
    """The test corpus aligned by ``aligner run``: its manifest and its units (texts, score)."""
    base = work / "base"
    if not (base / "manifest.json").is_file():
        cmd = [str(aligner_exe()), "run", str(ROOT / "tests" / "data" / "dispatches"), "--out", str(base)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    manifest = RunFolder(base).read_manifest()
    units = []
    for pair in manifest.pairs:
        for line in (base / pair.files["tsv"]).read_text(encoding="utf-8").splitlines():
            src, tgt, score, _ = line.split("\t")
            units.append((src, tgt, float(score)))
    return manifest, units


def generate(
    folder: Path, size: int, per_pair: int, base: Manifest, units: list[tuple[str, str, float]]
) -> None:
    """A run output folder of ``size`` units, ``per_pair`` per dispatch pair (module docstring)."""
    folder.mkdir(parents=True)
    documents: list[DocumentRecord] = []
    pairs: list[PairRecord] = []
    template = base.documents[0]
    n = 0
    for k in range((size + per_pair - 1) // per_pair):
        count = min(per_pair, size - n)
        stem = f"d{k:06d}"
        tsv, links = [], []
        for i in range(count):
            m = n
            while m % 20 == 19 and m > per_pair:  # a unit of an earlier dispatch, filed again
                m -= per_pair
            src, tgt, score = units[(m + m // per_pair) % len(units)]
            name = name_of(m)
            tsv.append(f"{name}: {src}\t{name}: {tgt}\t{score:.4f}\t1-1\n")
            links.append(f"[{i}]:[{i}]:{score:.4f}\n")
            n += 1
        (folder / f"{stem}_it__{stem}_en.tsv").write_text("".join(tsv), encoding="utf-8")
        (folder / f"{stem}_it__{stem}_en.links").write_text("".join(links), encoding="utf-8")
        date = f"2025-{1 + k % 12:02d}-{1 + k % 28:02d}"
        for lang in ("it", "en"):
            documents.append(
                replace(template, file=f"{stem}_{lang}.txt", language=lang, date=date, sentences=count)
            )
        files = {"tsv": f"{stem}_it__{stem}_en.tsv", "links": f"{stem}_it__{stem}_en.links"}
        pairs.append(PairRecord(f"{stem}_it.txt", f"{stem}_en.txt", 1.0, files, {"1-1": count}, 0.99))
    RunFolder(folder).write_manifest(Manifest(base.signature, "generated", tuple(documents), tuple(pairs)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="Units per corpus, comma-separated.")
    parser.add_argument("--units-per-pair", type=int, default=20, help="Units per dispatch pair.")
    parser.add_argument(
        "--work", type=Path, help="Folder for the corpora (default: a temporary one, removed)."
    )
    parser.add_argument("--out", type=Path, help="Also write the table to this file.")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="export-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    exe = aligner_exe()
    rows = []
    first_rate: float | None = None
    try:
        base, units = base_units(work)
        for size in sizes:
            run_dir, out = work / f"run{size}", work / f"corpus{size}"
            shutil.rmtree(run_dir, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            log(f"generating {size:,} units")
            generate(run_dir, size, args.units_per_pair, base, units)
            cmd = [
                exe,
                "export",
                run_dir,
                "--out",
                out,
                "--split",
                SPLIT,
                *(f"--format={f}" for f in FORMATS),
            ]
            log(f"exporting {size:,} units")
            run = run_measured(cmd, work, None)
            if not run.ok:
                log(run.stderr)
                raise SystemExit(f"error: aligner export failed on {size:,} units (exit {run.returncode})")
            summary = json.loads((out / "export-summary.json").read_text(encoding="utf-8"))
            per_million = run.seconds / size * 1e6
            first_rate = first_rate or per_million
            peak = "n/a" if run.peak_kib is None else _mib(run.peak_kib)
            rows.append(
                [
                    f"{size:,}",
                    f"{summary['kept']:,}",
                    f"{run.seconds:,.1f}",
                    f"{size / run.seconds:,.0f}",
                    f"{per_million / first_rate:.2f}",
                    peak,
                ]
            )
            shutil.rmtree(out)
            shutil.rmtree(run_dir)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    header = ["units", "kept", "time (s)", "units/s", "time per unit vs first", "peak memory (MiB)"]
    lines = [
        f"`aligner export` ({__version__}), --split {SPLIT}, formats {', '.join(FORMATS)}; "
        f"Python {platform.python_version()} on {platform.machine()}; "
        f"target: peak under {TARGET_MIB:,} MiB at 1,000,000 units.",
        "",
        *_md(header, rows),
    ]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
