"""Run the ``aligner`` command and stop it at a known point, for the tests of stopped runs.

Usage: ``python tests/stop_at.py ACTION POINT N MARKER ARGS...``

POINT is where, N how many times it is passed first, in this process:

- ``reading``: a document has been read and stored (its ``.npy`` written);
- ``aligning``: a pair is complete (its files and marker written);
- ``writing``: a ``.tsv`` file is written to its temporary file and about to be renamed
  into place;
- ``listed``: a pair of ``aligner align --pairs`` is aligned and written;
- ``aligned``: a pair of ``aligner align`` is aligned, before it is written or printed.

ACTION is what happens there: ``wait`` writes MARKER and sleeps (the test then kills the
process with SIGKILL); ``interrupt`` sends SIGINT to the main process, as Ctrl-C does;
``die`` kills the process with SIGKILL, as the kernel's out-of-memory killer would (with
``--workers``, the point is passed in the worker processes, which run this module too).
ARGS are the command's arguments (``run IN --out OUT ...``, ``align --pairs FILE ...``).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import aligner_cli.align

import aligner.pipeline

ACTION, POINT, N, MARKER = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
passed = 0


def stop() -> None:
    """Pass the point once; the N-th time, do ACTION."""
    global passed
    passed += 1
    if passed != N:
        return
    if ACTION == "wait":
        MARKER.write_text(str(os.getpid()))
        time.sleep(3600)
    elif ACTION == "interrupt":  # from a worker process, to the main one, as Ctrl-C in a terminal would
        try:
            os.close(os.open(MARKER, os.O_CREAT | os.O_EXCL))  # once, whichever process comes first
        except FileExistsError:
            return
        os.kill(os.getpid() if multiprocessing.parent_process() is None else os.getppid(), signal.SIGINT)
    elif ACTION == "die":
        os.kill(os.getpid(), signal.SIGKILL)


_scan_document = aligner.pipeline.scan_document
_align_pair = aligner.pipeline.align_pair
_replace = os.replace
_align_listed_pair = aligner_cli.align._align_pair
_aligned = aligner_cli.align.align


# Top-level functions, so that a worker process can unpickle them by name.
def scan_document(*args: Any, **kwargs: Any) -> Any:
    result = _scan_document(*args, **kwargs)
    stop()
    return result


def align_pair(*args: Any, **kwargs: Any) -> Any:
    result = _align_pair(*args, **kwargs)
    stop()
    return result


def align_listed_pair(*args: Any, **kwargs: Any) -> None:
    _align_listed_pair(*args, **kwargs)
    stop()


def aligned(*args: Any, **kwargs: Any) -> Any:
    result = _aligned(*args, **kwargs)
    stop()
    return result


def replace(src: Any, dst: Any, **kwargs: Any) -> None:
    if str(dst).endswith(".tsv"):
        stop()
    _replace(src, dst, **kwargs)


# Module level, so that the worker processes (spawned, importing this module) do it too.
if POINT == "reading":
    aligner.pipeline.scan_document = scan_document
elif POINT == "aligning":
    aligner.pipeline.align_pair = align_pair
elif POINT == "writing":
    os.replace = replace
elif POINT == "listed":
    aligner_cli.align._align_pair = align_listed_pair
elif POINT == "aligned":
    aligner_cli.align.align = aligned

if __name__ == "__main__":
    from aligner_cli.main import app

    # Ctrl-C as in a terminal: a process started in the background by a shell without job
    # control inherits SIGINT ignored (and Python then keeps it ignored), so that the
    # interrupt would do nothing; pytest run that way made these tests fail.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    app(sys.argv[5:], prog_name="aligner")
