"""The whole job on a folder of dispatches, one document and one pair at a time.

:func:`run` holds the output folder's lock (:meth:`aligner.workdir.RunFolder.lock`)
and goes through four phases, each a function below:

1. *scan* (in parallel, :func:`aligner.tasks.scan_document`): each document is
   read, its language identified, its text split and its sentences embedded,
   and stored in the work folder; only its profile (a few kilobytes: see
   :mod:`aligner.pair`) and its manifest entry come back.
2. *pair* (here): copies and near copies of a document set aside
   (:mod:`aligner.dedup`), then candidates by blocking and nearest neighbours, one-to-one
   assignment (:func:`aligner.pair.pair_documents`), sentence vectors read back
   from the work folder per candidate.
3. *align* (in parallel, :func:`aligner.tasks.align_pair`): each pair is
   aligned from the stored vectors, its files are written (each atomically),
   then its marker. A pair is complete when its marker is.
4. *manifest*: ``manifest.json``, written last.

Memory holds the profiles and manifest entries of the documents, never their
text, and one pair at a time per worker; until pairing is done, the sentence
vectors of up to :data:`PAIRING_CACHE_BYTES` of documents: those the scan sent
back first (most or all of them), then, while pairing, those of the others
read from the work folder most recently.

**Resume.** The work folder records the job (:class:`aligner.workdir.JobIdentity`).
A rerun of the same job into the same folder reuses the stored documents and
skips every complete pair, so an interrupted run (even by ``kill -9``) resumes
where it stopped; a file written by an interrupted pair is whole (renames are
atomic) and is rewritten. A different job is refused unless ``force``.

**Workers.** ``executor`` is any :class:`concurrent.futures.Executor`: a
process pool (``--workers``) or Dask's ``Client.get_executor()``
(``--scheduler``). Each worker loads the embedding model once
(:func:`aligner.encode.get_encoder` is cached per process). Results do not
depend on the executor: everything is sorted before it is written.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import BrokenExecutor, Executor, Future, wait
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import islice
from pathlib import Path
from queue import SimpleQueue
from typing import TypeVar

from .dedup import Duplicate, group_duplicates, set_aside_note
from .encode import Vectors
from .errors import AlignerError, WorkerDied
from .job import Job, make_job
from .load import list_documents
from .model import DocPair, Unpaired
from .pair import pair_documents
from .tasks import Aligned, PairTask, Scanned, align_pair, scan_document
from .workdir import DocumentRecord, Manifest, PairRecord, Problem, RunFolder, pair_stem

__all__ = ["Job", "RunResult", "WorkerDied", "make_job", "run"]

T = TypeVar("T")
R = TypeVar("R")

#: progress(phase, done, total): called as work completes ("reading", "aligning").
ProgressFn = Callable[[str, int, int], None]


@dataclass
class RunResult:
    """What a run did, as counts and manifest entries (not the texts)."""

    signature: str
    documents: list[DocumentRecord] = field(default_factory=list)
    pairs: list[PairRecord] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # file names written by this run
    complete_before: int = 0  # pairs complete before this run (resumed)
    failed_pairs: int = 0
    took_over: str | None = None  # the holder of a stale lock this run took over
    duplicates: list[Duplicate] = field(default_factory=list)  # documents set aside as copies

    @property
    def failed(self) -> list[str]:
        """Documents that could not be read."""
        return [d.file for d in self.documents if d.skipped]

    @property
    def exit_code(self) -> int:
        """0 when every document was read and every pair aligned, 1 otherwise."""
        return 1 if self.failed or self.failed_pairs else 0

    def sort(self) -> None:
        """Put every list in a fixed order, whatever order the workers finished in."""
        self.documents.sort(key=lambda d: d.file)
        self.pairs.sort(key=lambda e: e.source)
        self.unpaired.sort(key=lambda u: u.doc)
        self.duplicates.sort(key=lambda d: d.file)
        self.problems.sort(key=lambda pr: (pr.file, pr.line or 0, pr.message))

    def manifest(self, input_name: str) -> Manifest:
        """The run's manifest (no time stamps: reruns are identical)."""
        return Manifest(
            self.signature,
            input_name,
            tuple(self.documents),
            tuple(self.pairs),
            tuple(self.unpaired),
            tuple(self.problems),
            self.exit_code,
            duplicates=tuple(self.duplicates),
        )


def run_tasks(
    fn: Callable[[T], R],
    items: Iterable[T],
    executor: Executor | None,
    window: int = 64,
    chunk: int = 1,
    *,
    ordered: bool = False,
    settled: list[R] | None = None,
) -> Generator[R, None, None]:
    """``fn`` over ``items``, results in completion order (``ordered``: in the items' order,
    a slow item holding back those after it).

    With an executor, the items go in tasks of ``chunk`` each (one task's sending,
    receiving and bookkeeping cost about as much as aligning a small pair), at most
    ``window`` items in flight, so a million documents never mean a million futures;
    on Ctrl-C the tasks under way finish and their results come out before the
    ``KeyboardInterrupt``. Without one, runs here, in order.

    :param settled: where a caller that stops before the end (by closing the generator)
        wants the results of the tasks under way then: they finish and their results go
        here; those not started are dropped. Without it they are only cancelled.
    :raises WorkerDied: a worker process died and the executor gave up.
    """
    if executor is None:
        yield from map(fn, items)
        return
    todo = iter(items)
    finished: SimpleQueue[Future[list[R]]] = SimpleQueue()  # each task as it completes
    pending: deque[Future[list[R]]] = deque()  # in the order submitted

    def submit(tasks: int) -> None:
        for _ in range(tasks):
            part = list(islice(todo, chunk))
            if not part:
                return
            fut = executor.submit(_each, fn, part)
            pending.append(fut)
            if not ordered:
                fut.add_done_callback(finished.put)

    def next_done() -> Future[list[R]]:
        if ordered:
            wait([pending[0]])
            return pending.popleft()
        while True:
            fut = finished.get()
            if fut in pending:  # else cancelled, and reported already
                pending.remove(fut)
                return fut

    try:
        submit(max(1, window // chunk))
        while pending:
            try:
                fut = next_done()
            except KeyboardInterrupt:
                # Ctrl-C: the tasks under way finish (their work is saved) and are reported;
                # those not started are dropped.
                for part in _settle(pending):
                    yield from part
                raise
            submit(1)
            yield from fut.result()
    except GeneratorExit:
        if settled is not None:
            for part in _settle(pending):
                settled.extend(part)
        raise
    except Exception as err:
        if not _worker_death(err):
            raise
        raise WorkerDied(
            f"a worker process died ({type(err).__name__}: {err}); it was killed, perhaps for lack of memory"
        ) from None
    finally:
        for fut in pending:
            fut.cancel()


def _settle(pending: deque[Future[list[R]]]) -> list[list[R]]:
    """Stop the tasks of ``pending``: those not started are cancelled, the others finish;
    their results, in the order submitted (a task that failed is left out)."""
    for fut in pending:
        fut.cancel()
    under_way = [fut for fut in pending if not fut.cancelled()]
    pending.clear()
    wait(under_way)
    return [fut.result() for fut in under_way if fut.exception() is None]


#: The most documents or pairs one task of a run takes (:func:`run_tasks`).
TASK_ITEMS = 8


def _chunk(items: int) -> int:
    """Items per task for ``items`` in all: one each for a few (every worker gets some),
    up to :data:`TASK_ITEMS` for many."""
    return max(1, min(TASK_ITEMS, items // 64))


def _each(fn: Callable[[T], R], items: list[T]) -> list[R]:
    """``fn`` over ``items``, in a worker: one task of :func:`run_tasks`."""
    return [fn(item) for item in items]


#: The sentence vectors pairing keeps in memory, in bytes: a document is scored against
#: several candidates, which are read from the work folder once while they stay here
#: (tens of thousands of dispatches; a long document takes the room of many).
PAIRING_CACHE_BYTES = 256 * 2**20


class LeastRecentlyUsed:
    """``read(key)``, remembered for the keys asked for most recently, up to ``budget``
    bytes of arrays in all."""

    def __init__(self, read: Callable[[str], Vectors], budget: int) -> None:
        self._read = read
        self._budget = budget
        self._kept: OrderedDict[str, Vectors] = OrderedDict()
        self._bytes = 0

    def __call__(self, key: str) -> Vectors:
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
            return found
        value = self._read(key)
        self._kept[key] = value
        self._bytes += value.nbytes
        while self._bytes > self._budget and len(self._kept) > 1:
            _, old = self._kept.popitem(last=False)
            self._bytes -= old.nbytes
        return value


def _worker_death(err: BaseException) -> bool:
    """True for what an executor raises when one of its worker processes died."""
    # Dask retries a task whose worker died, then gives up with KilledWorker.
    return isinstance(err, BrokenExecutor) or type(err).__name__ == "KilledWorker"


def run(
    folder: Path,
    out: Path,
    job: Job,
    executor: Executor | None = None,
    force: bool = False,
    progress: ProgressFn | None = None,
    recursive: bool = False,
    command: str = "",
) -> RunResult:
    """Run ``job`` on the documents of ``folder`` (and of its subfolders
    if ``recursive``: see :func:`aligner.load.list_documents`), writing into ``out``.

    ``command`` is recorded in the folder's lock for another run's message.

    :raises InputError: the folder is missing or holds no document.
    :raises aligner.workdir.LockedError: another run is writing into ``out``.
    :raises OutputExistsError: ``out`` holds another run's output (or a file a
        pair would overwrite) and ``force`` is off; no output file is written
        then (documents read so far may be stored in the work folder).
    :raises WorkerDied: a worker process died; what was done is saved and a rerun resumes.
    """
    folder, out = folder.resolve(), out.resolve()
    paths = list_documents(folder, recursive, skip=out)
    run_folder = RunFolder(out)
    if out.exists() and not out.is_dir():
        raise AlignerError(f"{out}: is a file, not a folder. Give --out a folder.")
    report = progress or (lambda phase, done, total: None)
    with run_folder.lock(command or f"aligner run {folder} --out {out}") as lock:
        resuming = run_folder.check_resumable(job.identity(), force)
        run_folder.clean_temporaries()
        result = RunResult(job.signature, took_over=lock.took_over)
        sides = _scan(paths, folder, run_folder, job, executor, report, result)
        _set_aside_duplicates(sides, result)
        keys = {sc.file: sc.key for side in sides.values() for sc in side if sc.key}
        pairs = _pair(sides, keys, run_folder, job, result)
        _check_distinct_names(pairs)
        del sides  # the profiles are not needed any more: aligning reads from the work folder
        if not resuming:
            # Nothing of ours is in the folder yet: never overwrite a file that is there.
            run_folder.check_free(
                [f"{pair_stem(p.src, p.tgt)}.{fmt}" for p in pairs for fmt in job.formats], force
            )
        run_folder.write_job(job.identity())
        _align(pairs, keys, run_folder, job, executor, report, result)
        result.sort()
        if run_folder.write_manifest(result.manifest(job.input_name)):
            result.written.append(run_folder.manifest_path.name)
    return result


def _check_distinct_names(pairs: list[DocPair]) -> None:
    """Refuse two pairs whose files would have one name (``a__b.txt`` with ``c.txt``, and
    ``a.txt`` with ``b__c.txt``: both ``a__b__c``), before any is aligned: the second would
    overwrite the first. What was read stays stored, so the rerun after a rename is quick.

    :raises AlignerError: naming both pairs and the fix.
    """
    first: dict[str, DocPair] = {}
    for p in pairs:
        stem = pair_stem(p.src, p.tgt)
        other = first.setdefault(stem, p)
        if other is not p:
            raise AlignerError(
                f"{other.src} + {other.tgt} and {p.src} + {p.tgt}: both pairs would be written as "
                f"{stem}.* (a pair's files are named <source stem>__<target stem>), and nothing was "
                "aligned. Rename one of these documents so that its name holds no '__', and run again."
            )


def _scan(
    paths: list[Path],
    root: Path,
    run_folder: RunFolder,
    job: Job,
    executor: Executor | None,
    report: ProgressFn,
    result: RunResult,
) -> dict[str, list[Scanned]]:
    """Scan every document; those in the job's two languages by language, sorted by name."""
    sides: dict[str, list[Scanned]] = {job.pair.src_lang: [], job.pair.tgt_lang: []}
    held = 0  # bytes of sentence vectors kept for pairing
    report("reading", 0, len(paths))
    scan = partial(scan_document, out=run_folder.path, job=job, root=root)
    for n, sc in enumerate(run_tasks(scan, paths, executor, chunk=_chunk(len(paths))), 1):
        report("reading", n, len(paths))
        result.documents.append(sc.record)
        result.problems.extend(sc.problems)
        if sc.key is None:
            continue
        if sc.profile is None:
            reason = (
                f"language is {sc.lang}, neither {job.pair.src_lang} nor {job.pair.tgt_lang}; "
                "it was not paired or aligned"
            )
            result.unpaired.append(Unpaired(sc.file, reason))
            result.problems.append(Problem(sc.file, reason))
            continue
        if sc.vectors is not None:
            held += sc.vectors.nbytes
            if held > PAIRING_CACHE_BYTES:
                sc = replace(sc, vectors=None)  # pairing reads them from the work folder
        sides[sc.lang or ""].append(sc)
    for side in sides.values():
        side.sort(key=lambda sc: sc.file)
    return sides


def _set_aside_duplicates(sides: dict[str, list[Scanned]], result: RunResult) -> None:
    """Take the copies and near copies out of each side (:func:`aligner.dedup.group_duplicates`):
    only the first of each group is paired; the others go to ``result.duplicates``."""
    for lang, side in sides.items():
        found = group_duplicates([(sc.file, sc.fingerprint) for sc in side if sc.fingerprint is not None])
        if not found:
            continue
        gone = {d.file for d in found}
        sides[lang] = [sc for sc in side if sc.file not in gone]
        result.duplicates.extend(found)
        by_group: dict[str, list[Duplicate]] = {}
        for d in found:
            by_group.setdefault(d.of, []).append(d)
        for kept, copies in by_group.items():
            result.problems.append(Problem(kept, set_aside_note(copies)))


def _pair(
    sides: dict[str, list[Scanned]], keys: dict[str, str], run_folder: RunFolder, job: Job, result: RunResult
) -> list[DocPair]:
    """Pair the documents of the two sides (stored under ``keys``); the unpaired ones go to ``result``."""
    held = {sc.file: sc.vectors for side in sides.values() for sc in side if sc.vectors is not None}
    budget = PAIRING_CACHE_BYTES - sum(v.nbytes for v in held.values())
    stored = LeastRecentlyUsed(lambda doc_id: run_folder.read_vectors(keys[doc_id]), max(budget, 0))

    def vectors(doc_id: str) -> Vectors:
        found = held.get(doc_id)
        return stored(doc_id) if found is None else found

    cfg = job.pair
    pairs, unpaired = pair_documents(
        [sc.profile for sc in sides[cfg.src_lang] if sc.profile],
        [sc.profile for sc in sides[cfg.tgt_lang] if sc.profile],
        cfg,
        vectors,
    )
    result.unpaired.extend(unpaired)
    result.problems.extend(Problem(u.doc, f"not paired: {u.reason}") for u in unpaired)
    return pairs


def _align(
    pairs: list[DocPair],
    keys: dict[str, str],
    run_folder: RunFolder,
    job: Job,
    executor: Executor | None,
    report: ProgressFn,
    result: RunResult,
) -> None:
    """Align every pair of documents stored under ``keys`` (complete ones are skipped)."""
    tasks = [PairTask(p, keys[p.src], keys[p.tgt], run_folder.path, job) for p in pairs]
    report("aligning", 0, len(tasks))
    done: Aligned
    for n, done in enumerate(run_tasks(align_pair, tasks, executor, chunk=_chunk(len(tasks))), 1):
        report("aligning", n, len(tasks))
        if done.entry is None:
            result.failed_pairs += 1
        else:
            result.pairs.append(done.entry)
            result.written.extend(done.written)
            result.complete_before += done.skipped
        result.problems.extend(done.problems)
