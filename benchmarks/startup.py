"""Start-up time of the command line: ``aligner --version`` and ``aligner --help``.

Usage::

    .venv/bin/python benchmarks/startup.py [-n 10] [--out FILE.md]

Each command runs ``-n`` times as a fresh process: ``python -c pass`` (the
interpreter alone, the floor), then the ``aligner`` console script next to
this Python (``sys.executable``) with ``--version`` and with ``--help``, the
three interleaved so that a busy moment of the machine falls on all of them.
Wall time is measured around each process (``time.perf_counter`` before the
start and after the exit; output is read and thrown away, ``COLUMNS=100`` for
the help). The table gives the median and the fastest run of each command and
what the command adds to the interpreter's own start (its median minus that of
``python -c pass``). The target: both commands under 0.5 s (median), so that
the help and the version answer at once; before the commands were loaded
lazily, importing the whole library (NLTK, numpy, the review server...) made
them take well over a second.

Timings on a shared machine are noisy: the minimum is the least disturbed
run, the median the typical one. The first run of each command also pays for
a cold file cache; it counts like the others.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from aligner import __version__

#: The median start-up the two commands should stay under, in seconds.
TARGET = 0.5


def console_script() -> str:
    """The ``aligner`` console script next to this Python."""
    exe = shutil.which("aligner", path=str(Path(sys.executable).parent))
    if exe is None:
        raise SystemExit(f"error: no 'aligner' script next to {sys.executable}; run pip install -e .")
    return exe


def commands() -> dict[str, list[str]]:
    """The commands timed, by the name the table gives them."""
    script = console_script()
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "aligner --version": [script, "--version"],
        "aligner --help": [script, "--help"],
    }


def time_once(argv: list[str]) -> float:
    """Seconds from starting ``argv`` to its exit (it must succeed)."""
    env = {**os.environ, "COLUMNS": "100"}
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def measure(runs: int) -> dict[str, list[float]]:
    """Each command's times over ``runs`` rounds (one run of each command per round)."""
    cmds = commands()
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, argv in cmds.items():
            times[name].append(time_once(argv))
    return times


def table(times: dict[str, list[float]]) -> list[str]:
    """The Markdown table of ``times``: median, minimum, and the median over ``python -c pass``."""
    floor = statistics.median(times["python -c pass"])
    runs = len(times["python -c pass"])
    lines = [
        f"aligner {__version__}, Python {sys.version.split()[0]}, {runs} runs each; "
        f"target: under {TARGET} s (median)",
        "",
        "| command | median (s) | min (s) | minus `python -c pass` (s) | under target |",
        "|---|---:|---:|---:|---|",
    ]
    for name, values in times.items():
        median = statistics.median(values)
        baseline = name == "python -c pass"
        extra = "" if baseline else f"{median - floor:.3f}"
        verdict = "" if baseline else ("yes" if median < TARGET else "no")
        lines.append(f"| `{name}` | {median:.3f} | {min(values):.3f} | {extra} | {verdict} |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", "--runs", type=int, default=10, help="Runs of each command (default 10).")
    ap.add_argument("--out", type=Path, help="Also write the table to this Markdown file.")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be 1 or more")
    text = "\n".join(table(measure(args.runs))) + "\n"
    print(text, end="")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
