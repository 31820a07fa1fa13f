"""The two tasks of a run that workers carry out: scan one document, align one pair.

Each reads its input and writes its result into the run folder itself (on a
cluster, the input and output folders must be at the same path on every
worker), and never raises for a bad document or pair: the problem comes back
with the result. Results do not depend on the worker: each document is
embedded alone, each pair aligned alone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import dictionary
from .align import align, fidelity_warnings
from .dedup import Fingerprint, fingerprint
from .encode import CachedEncoder, Vectors, get_encoder
from .errors import InputError
from .export import render_alignment
from .formats import format_of
from .job import Job
from .langid import MIN_CONFIDENCE, identify
from .load import (
    document_from_bytes,
    document_id,
    loading_notes,
    needs_fallback,
    read_document_bytes,
    usable_date,
)
from .model import DocPair, Document, PairInfo, Sentence
from .pair import DocProfile, centroid, profile
from .workdir import (
    BoilerplateLine,
    DocumentRecord,
    PairMarker,
    PairRecord,
    Problem,
    RunFolder,
    StoredDocument,
    StoredProfile,
    pair_stem,
)
from .write import write_text_atomic

_SENTENCE_END = re.compile(r"[.!?…]")


@dataclass(frozen=True)
class Scanned:
    """One document after the scan: its manifest entry, problems, and what pairing needs."""

    file: str
    record: DocumentRecord
    problems: tuple[Problem, ...] = ()
    key: str | None = None  # where it is stored; None if it could not be read
    profile: DocProfile | None = None  # None unless in one of the job's two languages
    fingerprint: Fingerprint | None = None  # likewise (aligner.dedup)
    vectors: Vectors | None = None  # likewise: its sentence vectors, which pairing reads

    @property
    def lang(self) -> str | None:
        return self.record.language

    @classmethod
    def of(cls, key: str, doc: StoredDocument, vectors: Vectors) -> Scanned:
        if doc.profile is None:
            return cls(doc.record.file, doc.record, doc.problems, key)
        p, r = doc.profile, doc.record
        prof = DocProfile(
            r.file, centroid(vectors), frozenset(p.numbers), frozenset(p.names), p.chars, r.date
        )
        return cls(doc.record.file, doc.record, doc.problems, key, prof, p.fingerprint, vectors)


@dataclass(frozen=True)
class PairTask:
    """One pair to align."""

    pair: DocPair
    src_key: str
    tgt_key: str
    out: Path
    job: Job


@dataclass(frozen=True)
class Aligned:
    """One pair after the align task."""

    entry: PairRecord | None  # its manifest entry; None if it failed
    written: tuple[str, ...] = ()  # file names written by this run
    problems: tuple[Problem, ...] = ()  # its failure, or what the alignment suggests (fidelity_warnings)

    @property
    def skipped(self) -> bool:
        """Complete before this run started."""
        return self.entry is not None and not self.written


# --- a worker's start -------------------------------------------------------------------------


def warm_up(encoder: str, device: str | None, langs: Sequence[str]) -> None:
    """Load what a worker's first task would: the encoder's model (embedding one text),
    the language identifier's model and the splitters of ``langs``. A pool's workers do
    it as they start, while the main process does its own start."""
    from .split import get_splitter

    get_encoder(encoder, device).inner.encode(["Warm-up."])
    identify("warm up")
    for lang in langs:
        get_splitter(lang)


# --- scan ------------------------------------------------------------------------------------


def scan_document(path: Path, out: Path, job: Job, root: Path | None = None) -> Scanned:
    """Read, identify, split and embed one document, or take it from the run folder ``out``.

    The document's id is its path in the input folder ``root`` (its name if none).
    Never raises for a bad document: it comes back with an error problem.
    """
    doc_id = path.name if root is None else document_id(path, root)
    try:
        return _scan(path, doc_id, RunFolder(out), job)
    except InputError as err:
        problem = Problem(doc_id, f"{err.problem}. {err.fix}", "error", err.line)
    except Exception as err:  # one bad document never stops the batch
        message = f"unexpected error ({type(err).__name__}: {err}); please report it"
        problem = Problem(doc_id, message, "error")
    return Scanned(doc_id, DocumentRecord(doc_id, "skipped"), (problem,))


def _scan(path: Path, doc_id: str, folder: RunFolder, job: Job) -> Scanned:
    data = read_document_bytes(path, in_folder=True)
    # Stored under a key of what it depends on: an edited document (or another version
    # of its format's extractor or of our rules for it) is read again, new alignment or
    # pairing settings reuse it.
    fmt = format_of(path)
    extractor = (fmt.reader if fmt else "text").encode()
    if (fmt is None or fmt.package is None) and job.encoding is not None and needs_fallback(data):
        extractor += b"+" + job.encoding.encode()  # its text is what --encoding makes of it
    key = hashlib.sha256(
        b"\0".join([job.doc_signature.encode(), extractor, doc_id.encode(), data])
    ).hexdigest()
    key = key[:32]
    if folder.has_document(key) and folder.text_path(doc_id).exists():
        stored = folder.read_document(key)
        assert stored.vectors is not None
        return Scanned.of(key, stored, stored.vectors)
    doc = document_from_bytes(data, path, doc_id, job.encoding)
    guess = identify(doc.content_text)
    problems = [Problem(doc.id, message, line=line) for line, message in loading_notes(doc)]
    doc = replace(doc, date=usable_date(doc), lang=guess.lang, lang_confidence=round(guess.confidence, 4))
    if guess.confidence < MIN_CONFIDENCE:
        problems.append(
            Problem(doc.id, f"language uncertain: {guess.lang} with probability {guess.confidence:.2f}")
        )
    problems.extend(_long_lines(doc))
    encoder = get_encoder(job.align.encoder, job.device).inner
    sentences: list[Sentence] = []
    vectors = np.zeros((0, encoder.dim), dtype=np.float32)
    prof = None
    if guess.lang in (job.pair.src_lang, job.pair.tgt_lang):
        from .split import split

        sentences = split(doc)
        texts = [s.text for s in sentences]
        # Each document is embedded alone, its distinct texts sorted: the vectors
        # are the same whichever worker, and with whichever other documents, runs it.
        distinct = sorted(set(texts))
        by_text = dict(zip(distinct, _embedded(job.align.encoder, job.device, tuple(distinct)), strict=True))
        vectors = np.stack([by_text[t] for t in texts]) if texts else vectors
        p = profile(doc, sentences, vectors)
        prof = StoredProfile(tuple(sorted(p.numbers)), tuple(sorted(p.names)), p.chars, fingerprint(texts))
    text = folder.store_text(doc.id, doc.text)
    stored = StoredDocument(_record(doc, sentences, text), tuple(problems), prof, tuple(sentences))
    folder.store_document(key, stored, vectors)
    return Scanned.of(key, stored, vectors)


@lru_cache(maxsize=32)
def _embedded(encoder_name: str, device: str | None, distinct: tuple[str, ...]) -> Vectors:
    """The vectors of ``distinct`` (a document's sorted distinct texts) by the encoder
    ``encoder_name``, kept per process for the last documents: copies of a document (the
    same story filed many times) are embedded once, and the same texts in the same batch
    give the same vectors."""
    return get_encoder(encoder_name, device).inner.encode(list(distinct))


def _record(doc: Document, sentences: Sequence[Sentence], text: str) -> DocumentRecord:
    return DocumentRecord(
        doc.id,
        "read",
        doc.lang,
        doc.lang_confidence,
        doc.date,
        len(sentences),
        tuple(
            BoilerplateLine(ln.number, ln.boilerplate or "", doc.text[ln.start : ln.end])
            for ln in doc.boilerplate_lines
        ),
        doc.format,
        doc.extractor,
        text,
        dict(doc.extraction),
        None if doc.encoding == "utf-8" else doc.encoding,
    )


def _long_lines(doc: Document) -> list[Problem]:
    from .split import MAX_SENTENCE_CHARS

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


# --- align -----------------------------------------------------------------------------------


def align_pair(task: PairTask) -> Aligned:
    """Align one pair from the run folder and write its files, unless already complete.

    Never raises for a pair that fails: it comes back with an error problem.
    """
    pair, job = task.pair, task.job
    folder = RunFolder(task.out)
    stem = pair_stem(pair.src, pair.tgt)
    try:
        done = folder.read_marker(stem)
    except InputError:
        done = None  # a marker cut short: the pair is redone
    if done is not None and folder.complete(done, task.src_key, task.tgt_key):
        return Aligned(done.entry, problems=done.problems)
    try:
        src = folder.read_document(task.src_key)
        tgt = folder.read_document(task.tgt_key)
        assert src.vectors is not None and tgt.vectors is not None
        # A cache per pair: memory stays flat.
        encoder = CachedEncoder(get_encoder(job.align.encoder, job.device).inner)
        encoder.seed([s.text for s in src.sentences], src.vectors)
        encoder.seed([s.text for s in tgt.sentences], tgt.vectors)
        langs = (job.pair.src_lang, job.pair.tgt_lang)
        bilingual = None
        if job.align.dictionary_weight:  # read once per worker process (cached)
            bilingual = dictionary.load(*langs, job.align.dictionary_dir)
        info = PairInfo(*langs, pair.src, pair.tgt, src.record.date or tgt.record.date, job.signature)
        al = align(src.sentences, tgt.sentences, encoder, job.align, info, bilingual)
        files, sizes = {}, {}
        for fmt in job.formats:
            name = f"{stem}.{fmt}"
            text = render_alignment(al, fmt, job.min_score, job.export)
            # Ours to replace: run() refused a folder with a stranger's file in the way. Not
            # flushed one by one: the marker's sizes tell a file a crash cut short.
            sizes[name] = write_text_atomic(folder.output_path(name), text, force=True, durable=False)
            files[fmt] = name
    except Exception as err:  # one bad pair never stops the batch
        message = f"aligning it with {pair.tgt} failed ({type(err).__name__}: {err}); please report it"
        return Aligned(None, problems=(Problem(pair.src, message, "error"),))
    real = [lk.score for lk in al.links if not lk.is_null]
    warnings = tuple(
        Problem(pair.src, f"aligned with {pair.tgt}: {message}") for message in fidelity_warnings(al)
    )
    entry = PairRecord(
        pair.src,
        pair.tgt,
        pair.score,
        files,
        al.kind_counts(),
        round(sum(real) / len(real), 4) if real else None,
        evidence=pair.evidence,
    )
    folder.write_marker(stem, PairMarker(task.src_key, task.tgt_key, entry, warnings, sizes))
    return Aligned(entry, tuple(files.values()), problems=warnings)
