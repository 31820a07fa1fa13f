"""The whole job on a folder of dispatches, one document and one pair at a time.

:func:`run` goes through four phases:

1. *scan* (in parallel): each document is read, its language identified, its
   text split and its sentences embedded. Sentences and vectors go to the work
   folder (``<out>/.aligner/docs/<key>.npz``); only the document's profile (a
   few kilobytes: see :mod:`aligner.pair`) and its manifest entry come back.
2. *pair* (here): candidates by blocking and nearest neighbours, one-to-one
   assignment (:func:`aligner.pair.pair_documents`), sentence vectors read back
   from the work folder per candidate.
3. *align* (in parallel): each pair is aligned from the stored vectors, its
   files are written (each atomically: temporary file, then rename), then its
   marker ``.aligner/pairs/<stem>.json``. A pair is complete when its marker is.
4. *manifest*: ``manifest.json``, written last.

Memory holds the profiles and manifest entries of the documents, never their
text or vectors, and one pair at a time per worker.

**Resume.** ``.aligner/job.json`` records the job (signature, formats, minimum
score, input folder's name). A rerun of the same job into the same folder reuses
the stored documents and skips every complete pair, so an interrupted run (even
by ``kill -9``) resumes where it stopped; a file written by an interrupted pair
is whole (renames are atomic) and is rewritten. A different job is refused
unless ``force``. Documents are stored under a key made of what they depend on
(:func:`aligner.signature.document_signature`), the file name and the file's bytes, so an edited
document is read again and a new pairing threshold does not embed anything again.

**Workers.** ``executor`` is any :class:`concurrent.futures.Executor`: a
process pool (``--workers``) or Dask's ``Client.get_executor()``
(``--scheduler``). Workers read the input and write the output folder
themselves, so on a cluster both must be on a file system every worker sees at
the same path. Each worker loads the embedding model once
(:func:`aligner.encode.get_encoder` is cached per process). Results do not
depend on the executor: each document is embedded alone, each pair aligned
alone, and everything is sorted before it is written.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from .align import align
from .encode import CachedEncoder, Vectors, get_encoder
from .errors import AlignerError, InputError, OutputExistsError
from .export import EXPORTERS
from .langid import MIN_CONFIDENCE, identify
from .load import (
    date_problem,
    document_from_bytes,
    document_id,
    list_documents,
    loading_notes,
    read_document_bytes,
)
from .model import AlignConfig, Alignment, DocPair, Document, PairConfig, Sentence, Unpaired
from .pair import DocProfile, centroid, pair_documents, profile
from .signature import document_signature, signature
from .split import MAX_SENTENCE_CHARS, split
from .write import atomic_path, check_free, write_text_atomic

_SENTENCE_END = re.compile(r"[.!?…]")

#: The work folder inside the output folder: stored documents, pair markers, the job.
WORK = ".aligner"
MANIFEST = "manifest.json"

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Problem:
    """Something the user should know about one document."""

    file: str
    message: str
    severity: str = "warning"  # "warning": the document was used; "error": it was skipped
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "severity": self.severity, "message": self.message}


@dataclass(frozen=True)
class Job:
    """What a run makes: the settings that decide every output byte."""

    align: AlignConfig
    pair: PairConfig
    formats: tuple[str, ...]
    min_score: float
    signature: str
    input_name: str
    doc_signature: str  # what a stored document depends on (signature.document_signature)

    def identity(self) -> dict[str, Any]:
        """What ``.aligner/job.json`` holds; a rerun resumes only if it is equal."""
        return {
            "signature": self.signature,
            "formats": list(self.formats),
            "min_score": self.min_score,
            "input": self.input_name,
        }


def make_job(
    encoder_name: str,
    align_config: AlignConfig | None = None,
    pair_config: PairConfig | None = None,
    formats: Sequence[str] = tuple(EXPORTERS),
    min_score: float = 0.0,
    input_name: str = "",
) -> Job:
    """A :class:`Job` with its signature; ``encoder_name`` is the encoder's full name."""
    acfg = align_config or AlignConfig()
    pcfg = pair_config or PairConfig()
    return Job(
        acfg,
        pcfg,
        tuple(formats),
        min_score,
        signature(acfg, encoder_name, pcfg),
        input_name,
        document_signature(encoder_name, pcfg),
    )


@dataclass(frozen=True)
class Scanned:
    """One document after the scan phase."""

    file: str
    record: dict[str, Any]  # its manifest entry
    problems: tuple[Problem, ...] = ()
    key: str | None = None  # where its sentences are stored; None if it could not be read
    lang: str | None = None
    profile: DocProfile | None = None  # None unless in one of the job's two languages


@dataclass(frozen=True)
class PairTask:
    """One pair to align in the align phase."""

    pair: DocPair
    src_key: str
    tgt_key: str
    out: Path
    job: Job


@dataclass(frozen=True)
class Aligned:
    """One pair after the align phase."""

    entry: dict[str, Any] | None  # its manifest entry; None if it failed
    written: tuple[str, ...] = ()  # file names written by this run
    problem: Problem | None = None

    @property
    def skipped(self) -> bool:
        """Complete before this run started."""
        return self.entry is not None and not self.written


@dataclass
class RunResult:
    """What a run did, as counts and manifest entries (not the texts)."""

    signature: str
    documents: list[dict[str, Any]] = field(default_factory=list)
    pairs: list[dict[str, Any]] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # file names written by this run
    complete_before: int = 0  # pairs complete before this run (resumed)
    failed_pairs: int = 0

    @property
    def failed(self) -> list[str]:
        """Documents that could not be read."""
        return [d["file"] for d in self.documents if d["status"] == "skipped"]

    @property
    def exit_code(self) -> int:
        """0 when every document was read and every pair aligned, 1 otherwise."""
        return 1 if self.failed or self.failed_pairs else 0


# --- scan ---------------------------------------------------------------------------------------


def _long_lines(doc: Document) -> list[Problem]:
    out = []
    for line in doc.content_lines:
        text = doc.text[line.start : line.end]
        if len(text) > MAX_SENTENCE_CHARS and not _SENTENCE_END.search(text):
            out.append(
                Problem(
                    doc.id,
                    f"a line of {len(text):,} characters with no sentence-ending punctuation was cut "
                    f"at spaces into pieces of at most {MAX_SENTENCE_CHARS:,} characters; "
                    "check that the file is running text, or add the missing punctuation or line breaks",
                    line=line.number,
                )
            )
    return out


def _record(doc: Document, sentences: Sequence[Sentence]) -> dict[str, Any]:
    return {
        "file": doc.id,
        "status": "read",
        "language": doc.lang,
        "language_confidence": doc.lang_confidence,
        "date": doc.date,
        "sentences": len(sentences),
        "boilerplate_lines": [
            {"line": ln.number, "reason": ln.boilerplate, "text": doc.text[ln.start : ln.end]}
            for ln in doc.boilerplate_lines
        ],
    }


def doc_path(work: Path, key: str) -> Path:
    """Where the document stored under ``key`` is, in the work folder ``work``."""
    return work / "docs" / f"{key}.npz"


def marker_path(out: Path, stem: str) -> Path:
    """The marker of the pair ``stem`` in output folder ``out``: written when the pair is complete."""
    return out / WORK / "pairs" / f"{stem}.json"


def _save_doc(path: Path, meta: dict[str, Any], vectors: Vectors) -> None:
    with atomic_path(path, force=True) as tmp, tmp.open("wb") as fh:
        np.savez(fh, vectors=vectors, meta=np.array(json.dumps(meta, ensure_ascii=False)))


def _load_doc(path: Path) -> tuple[dict[str, Any], Vectors]:
    with np.load(path, allow_pickle=False) as npz:
        return json.loads(str(npz["meta"])), np.asarray(npz["vectors"], dtype=np.float32)


def stored_meta(path: Path) -> dict[str, Any]:
    """The record, problems, profile and sentences of a stored document (not its vectors)."""
    with np.load(path, allow_pickle=False) as npz:
        meta: dict[str, Any] = json.loads(str(npz["meta"]))
        return meta


def _scanned(meta: dict[str, Any], key: str, vectors: Vectors) -> Scanned:
    problems = tuple(Problem(**p) for p in meta["problems"])
    prof = None
    if meta["profile"] is not None:
        pr = meta["profile"]
        prof = DocProfile(
            meta["record"]["file"],
            centroid(vectors),
            frozenset(pr["numbers"]),
            frozenset(pr["names"]),
            pr["chars"],
            meta["record"]["date"],
        )
    return Scanned(meta["record"]["file"], meta["record"], problems, key, meta["record"]["language"], prof)


def stored_documents(out: Path) -> Iterator[tuple[Scanned, Vectors]]:
    """Every document stored in the work folder of output folder ``out``, with its vectors."""
    for path in sorted((out / WORK / "docs").glob("[!.]*.npz")):
        meta, vectors = _load_doc(path)
        yield _scanned(meta, path.stem, vectors), vectors


def scan_document(path: Path, work: Path, job: Job, root: Path | None = None) -> Scanned:
    """Read, identify, split and embed one document, or take it from the work folder.

    The document's id is its path in the input folder ``root`` (its name if none).
    Never raises for a bad document: it comes back with an error problem.
    """
    doc_id = path.name if root is None else document_id(path, root)
    try:
        return _scan(path, doc_id, work, job)
    except InputError as err:
        problem = Problem(doc_id, f"{err.problem}. {err.fix}", "error", err.line)
    except Exception as err:  # one bad document never stops the batch
        message = f"unexpected error ({type(err).__name__}: {err}); please report it"
        problem = Problem(doc_id, message, "error")
    return Scanned(doc_id, {"file": doc_id, "status": "skipped"}, (problem,))


def _scan(path: Path, doc_id: str, work: Path, job: Job) -> Scanned:
    data = read_document_bytes(path)
    key = hashlib.sha256(b"\0".join([job.doc_signature.encode(), doc_id.encode(), data])).hexdigest()[:32]
    stored = doc_path(work, key)
    if stored.exists():
        meta, vectors = _load_doc(stored)
        return _scanned(meta, key, vectors)
    doc = document_from_bytes(data, path, doc_id)
    cfg = job.pair
    guess = identify(doc.content_text)
    problems = [Problem(doc.id, message, line=line) for line, message in loading_notes(doc)]
    date = None if date_problem(doc) else doc.date
    doc = replace(doc, date=date, lang=guess.lang, lang_confidence=round(guess.confidence, 4))
    if guess.confidence < MIN_CONFIDENCE:
        problems.append(
            Problem(doc.id, f"language uncertain: {guess.lang} with probability {guess.confidence:.2f}")
        )
    problems.extend(_long_lines(doc))
    sentences: list[Sentence] = []
    encoder = get_encoder(job.align.encoder).inner
    vectors = np.zeros((0, encoder.dim), dtype=np.float32)
    prof: dict[str, Any] | None = None
    if guess.lang in (cfg.src_lang, cfg.tgt_lang):
        sentences = split(doc)
        texts = [s.text for s in sentences]
        # Each document is embedded alone, its distinct texts sorted: the vectors
        # are the same whichever worker, and with whichever other documents, runs it.
        distinct = sorted(set(texts))
        by_text = dict(zip(distinct, encoder.encode(distinct), strict=True))
        vectors = np.stack([by_text[t] for t in texts]) if texts else vectors
        p = profile(doc, sentences, vectors)
        prof = {"numbers": sorted(p.numbers), "names": sorted(p.names), "chars": p.chars}
    meta = {
        "record": _record(doc, sentences),
        "problems": [pr.as_dict() for pr in problems],
        "profile": prof,
        "sentences": [[s.text, s.start, s.end, s.paragraph] for s in sentences],
    }
    _save_doc(doc_path(work, key), meta, vectors)
    return _scanned(meta, key, vectors)


# --- align ---------------------------------------------------------------------------------------


def pair_stem(pair: DocPair) -> str:
    """The file name stem of a pair's outputs: ``<source stem>__<target stem>``."""
    return f"{Path(pair.src).stem}__{Path(pair.tgt).stem}"


def render_alignment(alignment: Alignment, fmt: str, min_score: float = 0.0) -> str:
    """Render ``alignment`` in format ``fmt`` (a key of EXPORTERS) as text."""
    buf = io.StringIO()
    EXPORTERS[fmt](alignment, buf, min_score)
    return buf.getvalue()


def stored_sentences(meta: dict[str, Any]) -> list[Sentence]:
    """The sentences of a stored document (:func:`stored_meta`)."""
    return [Sentence(i, t, s, e, p) for i, (t, s, e, p) in enumerate(meta["sentences"])]


def align_pair(task: PairTask) -> Aligned:
    """Align one pair from the work folder and write its files, unless already complete.

    Never raises for a pair that fails: it comes back with an error problem.
    """
    pair, job, out = task.pair, task.job, task.out
    stem = pair_stem(pair)
    marker = marker_path(out, stem)
    if marker.exists():
        done = json.loads(marker.read_text(encoding="utf-8"))
        if (done["src_key"], done["tgt_key"]) == (task.src_key, task.tgt_key) and all(
            (out / name).exists() for name in done["entry"]["files"].values()
        ):
            return Aligned(done["entry"])
    try:
        src_meta, src_vecs = _load_doc(doc_path(out / WORK, task.src_key))
        tgt_meta, tgt_vecs = _load_doc(doc_path(out / WORK, task.tgt_key))
        source, target = stored_sentences(src_meta), stored_sentences(tgt_meta)
        encoder = CachedEncoder(get_encoder(job.align.encoder).inner)  # per pair: memory stays flat
        encoder.seed([s.text for s in source], src_vecs)
        encoder.seed([s.text for s in target], tgt_vecs)
        date = src_meta["record"]["date"] or tgt_meta["record"]["date"]
        cfg = job.pair
        al = align(
            source,
            target,
            encoder,
            job.align,
            cfg.src_lang,
            cfg.tgt_lang,
            job.signature,
            pair.src,
            pair.tgt,
            date,
        )
        files = {}
        for fmt in job.formats:
            name = f"{stem}.{fmt}"
            # Ours to replace: run() refused a folder with a stranger's file in the way.
            write_text_atomic(out / name, render_alignment(al, fmt, job.min_score), force=True)
            files[fmt] = name
    except Exception as err:  # one bad pair never stops the batch
        message = f"aligning it with {pair.tgt} failed ({type(err).__name__}: {err}); please report it"
        return Aligned(None, problem=Problem(pair.src, message, "error"))
    real = [lk.score for lk in al.links if not lk.is_null]
    entry = {
        "source": pair.src,
        "target": pair.tgt,
        "score": pair.score,
        "evidence": pair.evidence,
        "files": files,
        "links": al.kind_counts(),
        "mean_score": round(sum(real) / len(real), 4) if real else None,
    }
    record = {"src_key": task.src_key, "tgt_key": task.tgt_key, "entry": entry}
    write_text_atomic(marker, json.dumps(record, ensure_ascii=False) + "\n", force=True)
    return Aligned(entry, tuple(files.values()))


# --- the run ---------------------------------------------------------------------------------------


def run_tasks(
    fn: Callable[[T], R], items: Iterable[T], executor: Executor | None, window: int = 64
) -> Iterator[R]:
    """``fn`` over ``items``, results in completion order.

    With an executor, at most ``window`` tasks are in flight, so a million
    documents never mean a million futures. Without one, runs here, in order.
    """
    if executor is None:
        yield from map(fn, items)
        return
    todo = iter(items)
    pending: set[Future[R]] = {executor.submit(fn, item) for item in islice(todo, window)}
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        pending |= {executor.submit(fn, item) for item in islice(todo, len(done))}
        for fut in done:
            yield fut.result()


#: progress(phase, done, total): called as work completes ("reading", "aligning").
ProgressFn = Callable[[str, int, int], None]


def _clean_temporaries(folder: Path) -> None:
    """Remove temporary files a killed run left (``.<name>.<random>.tmp``)."""
    for sub in (folder, folder / WORK, folder / WORK / "docs", folder / WORK / "pairs"):
        if sub.is_dir():
            for tmp in sub.glob(".*.tmp"):
                tmp.unlink(missing_ok=True)


def _prepare(out: Path, job: Job, force: bool) -> bool:
    """Check the output folder; True when it holds an earlier run of this same job (resume).

    With ``force``, earlier pair markers are dropped and everything is redone.

    :raises OutputExistsError: it holds another job's output and ``force`` is off.
    """
    job_file = out / WORK / "job.json"
    if force:  # start afresh; stored documents are kept (their keys say what they depend on)
        if (out / WORK / "pairs").exists():
            shutil.rmtree(out / WORK / "pairs")
        job_file.unlink(missing_ok=True)
        return False
    if job_file.exists():
        try:
            earlier = json.loads(job_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            earlier = None
        if earlier == job.identity():
            return True
        raise OutputExistsError(
            out / MANIFEST if (out / MANIFEST).exists() else job_file,
            "it holds the output of a run with other settings",
        )
    check_free([out / MANIFEST], force)
    return False


def run(
    folder: Path,
    out: Path,
    job: Job,
    executor: Executor | None = None,
    force: bool = False,
    progress: ProgressFn | None = None,
    recursive: bool = False,
) -> RunResult:
    """Run ``job`` on the ``.txt`` documents of ``folder`` (and of its subfolders
    if ``recursive``: see :func:`aligner.load.list_documents`), writing into ``out``.

    :raises InputError: the folder is missing or holds no ``.txt`` file.
    :raises OutputExistsError: ``out`` holds another run's output (or a file a
        pair would overwrite) and ``force`` is off; no output file is written
        then (documents read so far may be stored in the work folder).
    """
    folder, out = folder.resolve(), out.resolve()
    paths = list_documents(folder, recursive, skip=out)
    if out.exists() and not out.is_dir():
        raise AlignerError(f"{out}: is a file, not a folder. Give --out a folder.")
    resuming = _prepare(out, job, force)
    work = out / WORK
    _clean_temporaries(out)
    report = progress or (lambda phase, done, total: None)
    result = RunResult(job.signature)
    cfg = job.pair

    sides: dict[str, list[Scanned]] = {cfg.src_lang: [], cfg.tgt_lang: []}
    report("reading", 0, len(paths))
    scan = partial(scan_document, work=work, job=job, root=folder)
    for n, sc in enumerate(run_tasks(scan, paths, executor), 1):
        report("reading", n, len(paths))
        result.documents.append(sc.record)
        result.problems.extend(sc.problems)
        if sc.key is None:
            continue
        if sc.profile is None:
            reason = (
                f"language is {sc.lang}, neither {cfg.src_lang} nor {cfg.tgt_lang}; "
                "it was not paired or aligned"
            )
            result.unpaired.append(Unpaired(sc.file, reason))
            result.problems.append(Problem(sc.file, reason))
            continue
        sides[sc.lang or ""].append(sc)
    for side in sides.values():
        side.sort(key=lambda sc: sc.file)
    keys = {sc.file: sc.key for side in sides.values() for sc in side if sc.key}

    @lru_cache(maxsize=256)
    def vectors(doc_id: str) -> Vectors:
        return _load_doc(doc_path(work, keys[doc_id]))[1]

    pairs, unpaired = pair_documents(
        [sc.profile for sc in sides[cfg.src_lang] if sc.profile],
        [sc.profile for sc in sides[cfg.tgt_lang] if sc.profile],
        cfg,
        vectors,
    )
    vectors.cache_clear()
    del sides  # the profiles are not needed any more: aligning reads from the work folder
    result.unpaired.extend(unpaired)
    result.problems.extend(Problem(u.doc, f"not paired: {u.reason}") for u in unpaired)

    if not resuming:
        # Nothing of ours is in the folder yet: never overwrite a file that is there.
        check_free([out / f"{pair_stem(p)}.{fmt}" for p in pairs for fmt in job.formats], force)
    write_text_atomic(work / "job.json", json.dumps(job.identity(), indent=2) + "\n", force=True)
    tasks = [PairTask(p, keys[p.src], keys[p.tgt], out, job) for p in pairs]
    report("aligning", 0, len(tasks))
    for n, done in enumerate(run_tasks(align_pair, tasks, executor), 1):
        report("aligning", n, len(tasks))
        if done.entry is None:
            result.failed_pairs += 1
        else:
            result.pairs.append(done.entry)
            result.written.extend(done.written)
            result.complete_before += done.skipped
        if done.problem is not None:
            result.problems.append(done.problem)

    result.documents.sort(key=lambda d: d["file"])
    result.pairs.sort(key=lambda e: e["source"])
    result.unpaired.sort(key=lambda u: u.doc)
    result.problems.sort(key=lambda pr: (pr.file, pr.line or 0, pr.message))
    text = json.dumps(manifest(result, job.input_name), ensure_ascii=False, indent=2) + "\n"
    if not (out / MANIFEST).exists() or (out / MANIFEST).read_text(encoding="utf-8") != text:
        write_text_atomic(out / MANIFEST, text, force=True)
        result.written.append(MANIFEST)
    return result


def manifest(result: RunResult, input_name: str) -> dict[str, Any]:
    """The run's manifest as a JSON-ready dict (no time stamps: reruns are identical)."""
    return {
        "signature": result.signature,
        "input": input_name,
        "documents": result.documents,
        "pairs": result.pairs,
        "unpaired": [
            {
                "file": u.doc,
                "reason": u.reason,
                "best_candidate": u.best_candidate,
                "best_score": u.best_score,
            }
            for u in result.unpaired
        ],
        "problems": [p.as_dict() for p in result.problems],
        "exit_code": result.exit_code,
    }
