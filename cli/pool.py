"""The process pool of ``aligner run --workers`` and ``aligner align --pairs --workers``."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from aligner.encode import ONE_THREAD_ENCODERS

#: What a worker loads as it starts (:func:`aligner.tasks.warm_up`): encoder, device, languages.
WarmUp = tuple[str, str | None, tuple[str, ...]]


def default_workers(encoder: str) -> int:
    """The workers a command takes without ``--workers``: one per core for an encoder whose
    products run on one thread (``use``), one for the others (e5 uses every core itself)."""
    return (os.cpu_count() or 1) if encoder in ONE_THREAD_ENCODERS else 1


def _init_worker(threads: int, warm: WarmUp | None = None) -> None:
    # Before the model's OpenMP runtime starts: N workers share the machine's cores.
    os.environ["OMP_NUM_THREADS"] = str(threads)
    # Ctrl-C is the main process's to handle: it lets the tasks under way finish, then stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm is not None:
        from aligner.tasks import warm_up

        # Only a head start: a task that needs what failed to load reports it.
        with contextlib.suppress(Exception):
            warm_up(*warm)


@contextmanager
def process_pool(workers: int, warm: WarmUp | None = None) -> Iterator[ProcessPoolExecutor]:
    """``workers`` processes, spawned (no fork of a process that may hold threads), sharing
    the cores; they start at once and load ``warm`` while this process goes on."""
    threads = max(1, (os.cpu_count() or 1) // workers)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init_worker, initargs=(threads, warm)
    ) as pool:
        pool.submit(int)  # the first task starts every worker process
        yield pool
