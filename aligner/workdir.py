"""The run folder: the only module that knows its layout and the records kept in it.

``aligner run INPUT --out OUT`` makes::

    OUT/
      manifest.json              Manifest: every document, pair, unpaired or duplicate document, problem
      <stem>.<format>            a pair's outputs (PairRecord.files), <stem> from pair_stem()
      .aligner/                  the work folder
        job.json                 JobIdentity: what a rerun must match to resume
        lock                     held by the run writing into OUT (RunLock)
        docs/<key>.npy           StoredDocument: vectors (a NumPy array), then sentences, record,
                                 problems and profile (JSON)
        text/<stem>.txt          a document's text as aligned (extracted from its format, date
                                 token lifted, repaired): the sentences' offsets refer to it
        pairs/<stem>.json        PairMarker: written last, when the pair is complete

``aligner review-export`` writes a folder of the same shape (manifest and pair
files, no work folder). Every record here is frozen and has one JSON reader
(``from_json``) and one writer (``to_json``); the rest of the library, the
commands and the benchmarks go through :class:`RunFolder`. Files are written
atomically (:mod:`aligner.write`).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import socket
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .dedup import Duplicate, Fingerprint
from .encode import Vectors
from .errors import AlignerError, InputError, OutputExistsError
from .model import Sentence, Unpaired
from .write import TEMPORARY_EXTRA, atomic_path, check_free, unwritable, write_text_atomic

#: The run's manifest, at the top of the output folder.
MANIFEST = "manifest.json"
#: The work folder inside the output folder.
WORK = ".aligner"
#: The suffix of a stored document (:class:`StoredDocument`) in ``WORK/docs``.
DOC_SUFFIX = ".npy"

Json = dict[str, Any]  # a record's JSON object; never leaves this module


#: The longest file name most file systems take, in bytes.
NAME_MAX = 255
#: The longest stem of a run folder's file, in UTF-8 bytes: a pair's file adds its suffix
#: (``.links``, ``.xliff``: 6) and, while it is written, its temporary file's. Every stem that
#: could be written before stems were shortened is this long or shorter, so keeps its name.
MAX_STEM_BYTES = NAME_MAX - 6 - TEMPORARY_EXTRA
#: Hex digits of the digest that keeps shortened stems apart.
_STEM_DIGEST = 10


def _cut(text: str, limit: int) -> str:
    """The longest start of ``text`` of at most ``limit`` UTF-8 bytes, whole characters only."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_STEM_DIGEST]


def file_stem(stem: str, limit: int = MAX_STEM_BYTES) -> str:
    """``stem`` as a file is named: itself, or where it is longer than ``limit`` UTF-8 bytes
    (:data:`MAX_STEM_BYTES` for a run folder's files), its start and a digest of it
    (``<start>-<digest>``)."""
    if len(stem.encode("utf-8")) <= limit:
        return stem
    return f"{_cut(stem, limit - 1 - _STEM_DIGEST)}-{_digest(stem)}"


def name_beside(path: Path, suffix: str, extra: int = TEMPORARY_EXTRA) -> Path:
    """``<path's stem><suffix>`` beside ``path``, its stem shortened (:func:`file_stem`) so
    that the name, and the ``extra`` bytes added to it while it is made, fit :data:`NAME_MAX`."""
    limit = NAME_MAX - len(suffix.encode("utf-8")) - extra
    return path.with_name(f"{file_stem(path.stem, limit)}{suffix}")


def pair_stem(src: str, tgt: str) -> str:
    """The file name stem of a pair's outputs: ``<source stem>__<target stem>``.

    Where that is longer than :data:`MAX_STEM_BYTES` (two documents with long names: each
    name may be 255 bytes, the pair's twice that), each stem keeps its start and a digest of
    the whole stem follows, ``<source start>__<target start>-<digest>``: the same on every
    rerun, and apart for pairs whose names differ only further on.
    """
    stem = f"{Path(src).stem}__{Path(tgt).stem}"
    if len(stem.encode("utf-8")) <= MAX_STEM_BYTES:
        return stem
    side = (MAX_STEM_BYTES - len("__") - len("-") - _STEM_DIGEST) // 2
    return f"{_cut(Path(src).stem, side)}__{_cut(Path(tgt).stem, side)}-{_digest(stem)}"


# --- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something the user should know about one document."""

    file: str
    message: str
    severity: str = "warning"  # "warning": the document was used; "error": it was skipped
    line: int | None = None

    @property
    def where(self) -> str:
        """The file, and the line when there is one: ``a.txt, line 3``."""
        return self.file if self.line is None else f"{self.file}, line {self.line}"

    def to_json(self) -> Json:
        return {"file": self.file, "line": self.line, "severity": self.severity, "message": self.message}

    @classmethod
    def from_json(cls, obj: Json) -> Problem:
        return cls(obj["file"], obj["message"], obj["severity"], obj["line"])


@dataclass(frozen=True)
class BoilerplateLine:
    """A line of a document flagged as boilerplate, with the reason."""

    line: int
    reason: str
    text: str

    def to_json(self) -> Json:
        return {"line": self.line, "reason": self.reason, "text": self.text}

    @classmethod
    def from_json(cls, obj: Json) -> BoilerplateLine:
        return cls(obj["line"], obj["reason"], obj["text"])


@dataclass(frozen=True)
class DocumentRecord:
    """A document's entry in the manifest.

    A skipped document (it could not be read) has only its file and status.
    ``language_confidence`` and ``boilerplate_lines`` are None where they are
    not known (a review's export), and then left out of the JSON.
    """

    file: str
    status: str = "read"  # "read" or "skipped"
    language: str | None = None
    language_confidence: float | None = None
    date: str | None = None
    sentences: int = 0
    boilerplate_lines: tuple[BoilerplateLine, ...] | None = None
    #: Its format and extractor (aligner.formats), the path of its text in the run
    #: folder (RunFolder.text_path) and what extraction did; None where not known.
    format: str | None = None
    extractor: str | None = None
    text: str | None = None
    extraction: Mapping[str, int] | None = None
    #: The encoding a plain-text file was read as where it is not UTF-8 (utf-16 by its
    #: byte-order mark, or the run's --encoding); None for UTF-8 and other formats.
    encoding: str | None = None

    @property
    def skipped(self) -> bool:
        return self.status == "skipped"

    def to_json(self) -> Json:
        out: Json = {"file": self.file, "status": self.status}
        if self.skipped:
            return out
        out["language"] = self.language
        if self.language_confidence is not None:
            out["language_confidence"] = self.language_confidence
        out["date"] = self.date
        out["sentences"] = self.sentences
        for name in ("format", "extractor", "encoding", "text"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        if self.extraction:  # plain text has none to tell
            out["extraction"] = dict(self.extraction)
        if self.boilerplate_lines is not None:
            out["boilerplate_lines"] = [b.to_json() for b in self.boilerplate_lines]
        return out

    @classmethod
    def from_json(cls, obj: Json) -> DocumentRecord:
        if obj["status"] == "skipped":
            return cls(obj["file"], "skipped")
        lines = obj.get("boilerplate_lines")
        return cls(
            obj["file"],
            obj["status"],
            obj.get("language"),
            obj.get("language_confidence"),
            obj.get("date"),
            int(obj.get("sentences", 0)),
            None if lines is None else tuple(BoilerplateLine.from_json(b) for b in lines),
            obj.get("format"),
            obj.get("extractor"),
            obj.get("text"),
            None if obj.get("extraction") is None else {k: int(v) for k, v in obj["extraction"].items()},
            obj.get("encoding"),
        )


@dataclass(frozen=True)
class ReviewCounts:
    """How a reviewed pair was exported: units written, links reviewed, of how many."""

    units: int
    reviewed: int
    of: int


@dataclass(frozen=True)
class PairRecord:
    """A pair's entry in the manifest (and in its marker).

    ``evidence`` (what paired the documents) is None in a review's export,
    ``review`` None in a run's; either is then left out of the JSON.
    """

    source: str
    target: str
    score: float  # the pairing score
    files: Mapping[str, str]  # format -> file name in the folder
    links: Mapping[str, int]  # link type -> count
    mean_score: float | None  # of the links that are not null
    evidence: Mapping[str, float] | None = None
    review: ReviewCounts | None = None

    @property
    def stem(self) -> str:
        return pair_stem(self.source, self.target)

    def to_json(self) -> Json:
        out: Json = {"source": self.source, "target": self.target, "score": self.score}
        if self.evidence is not None:
            out["evidence"] = dict(self.evidence)
        out["files"] = dict(self.files)
        out["links"] = dict(self.links)
        out["mean_score"] = self.mean_score
        if self.review is not None:
            out |= {"units": self.review.units, "reviewed": self.review.reviewed, "of": self.review.of}
        return out

    @classmethod
    def from_json(cls, obj: Json) -> PairRecord:
        review = None
        if "units" in obj:
            review = ReviewCounts(int(obj["units"]), int(obj["reviewed"]), int(obj["of"]))
        return cls(
            obj["source"],
            obj["target"],
            float(obj["score"]),
            dict(obj.get("files", {})),
            dict(obj.get("links", {})),
            obj.get("mean_score"),
            obj.get("evidence"),
            review,
        )


def _unpaired_to_json(u: Unpaired) -> Json:
    return {"file": u.doc, "reason": u.reason, "best_candidate": u.best_candidate, "best_score": u.best_score}


def _unpaired_from_json(obj: Json) -> Unpaired:
    return Unpaired(obj["file"], obj["reason"], obj.get("best_candidate"), obj.get("best_score"))


@dataclass(frozen=True)
class ReviewSettings:
    """What a review's export left out."""

    approved_only: bool
    min_score: float


@dataclass(frozen=True)
class Manifest:
    """``manifest.json``: what a run (or a review's export) made. No time stamps: reruns are identical."""

    signature: str
    input: str  # the input folder's name (a run), the project file (a review's export)
    documents: tuple[DocumentRecord, ...] = ()
    pairs: tuple[PairRecord, ...] = ()
    unpaired: tuple[Unpaired, ...] = ()
    problems: tuple[Problem, ...] = ()
    exit_code: int | None = None  # a run's; None in a review's export
    review: ReviewSettings | None = None
    duplicates: tuple[Duplicate, ...] = ()  # documents set aside as copies of others (aligner.dedup)

    @property
    def languages(self) -> tuple[str | None, str | None]:
        """The languages of the first pair's two documents (None when unknown)."""
        lang = {d.file: d.language for d in self.documents}
        if not self.pairs:
            return None, None
        return lang.get(self.pairs[0].source), lang.get(self.pairs[0].target)

    def to_json(self) -> Json:
        out: Json = {"signature": self.signature, "input": self.input}
        if self.review is not None:
            out["review"] = {"approved_only": self.review.approved_only, "min_score": self.review.min_score}
        out["documents"] = [d.to_json() for d in self.documents]
        out["pairs"] = [p.to_json() for p in self.pairs]
        out["unpaired"] = [_unpaired_to_json(u) for u in self.unpaired]
        # Always there, empty when no document was set aside, so that a reader need not ask.
        out["duplicates"] = [
            {"file": d.file, "of": d.of, "similarity": d.similarity} for d in self.duplicates
        ]
        out["problems"] = [p.to_json() for p in self.problems]
        if self.exit_code is not None:
            out["exit_code"] = self.exit_code
        return out

    def to_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, obj: Json) -> Manifest:
        review = obj.get("review")
        return cls(
            str(obj.get("signature", "")),
            str(obj.get("input", "")),
            tuple(DocumentRecord.from_json(d) for d in obj.get("documents", [])),
            tuple(PairRecord.from_json(p) for p in obj.get("pairs", [])),
            tuple(_unpaired_from_json(u) for u in obj.get("unpaired", [])),
            tuple(Problem.from_json(p) for p in obj.get("problems", [])),
            obj.get("exit_code"),
            None if review is None else ReviewSettings(bool(review["approved_only"]), review["min_score"]),
            tuple(Duplicate(d["file"], d["of"], d["similarity"]) for d in obj.get("duplicates", [])),
        )


@dataclass(frozen=True)
class JobIdentity:
    """``.aligner/job.json``: the settings that decide every output byte; a rerun resumes only if equal."""

    signature: str
    formats: tuple[str, ...]
    min_score: float
    input: str
    export: str = ""  # the export options (aligner.export.ExportOptions.identity); "" by default

    def to_text(self) -> str:
        obj = {
            "signature": self.signature,
            "formats": list(self.formats),
            "min_score": self.min_score,
            "input": self.input,
        }
        if self.export:
            obj["export"] = self.export
        return json.dumps(obj, indent=2) + "\n"

    @classmethod
    def from_json(cls, obj: Json) -> JobIdentity:
        return cls(
            obj["signature"], tuple(obj["formats"]), obj["min_score"], obj["input"], obj.get("export", "")
        )


@dataclass(frozen=True)
class PairMarker:
    """``.aligner/pairs/<stem>.json``: the pair is complete; its two stored documents, its
    entry, what its alignment warned of (repeated when a rerun resumes), and the size in
    bytes of each file it wrote (``sizes``, by file name: see :meth:`RunFolder.complete`)."""

    src_key: str
    tgt_key: str
    entry: PairRecord
    problems: tuple[Problem, ...] = ()
    sizes: dict[str, int] = field(default_factory=dict, hash=False)

    def to_text(self) -> str:
        obj: Json = {"src_key": self.src_key, "tgt_key": self.tgt_key, "entry": self.entry.to_json()}
        if self.problems:
            obj["problems"] = [p.to_json() for p in self.problems]
        if self.sizes:
            obj["sizes"] = dict(self.sizes)
        return json.dumps(obj, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, obj: Json) -> PairMarker:
        problems = tuple(Problem.from_json(p) for p in obj.get("problems", []))
        sizes = {str(k): int(v) for k, v in obj.get("sizes", {}).items()}
        return cls(obj["src_key"], obj["tgt_key"], PairRecord.from_json(obj["entry"]), problems, sizes)


@dataclass(frozen=True)
class StoredProfile:
    """What pairing needs of a document besides its vectors (see :class:`aligner.pair.DocProfile`),
    and its fingerprint (:mod:`aligner.dedup`)."""

    numbers: tuple[str, ...]
    names: tuple[str, ...]
    chars: int
    fingerprint: Fingerprint


@dataclass(frozen=True)
class StoredDocument:
    """A document read, split and embedded: ``.aligner/docs/<key>.npy``, its sentence
    vectors as a NumPy ``.npy`` array followed by the rest as UTF-8 JSON (one file, read
    in one go, with no zip directory to parse nor time stamps inside).

    ``profile`` is None for a document in neither of the run's languages (it
    has no sentences then). ``vectors`` (row k for sentence k) is None when
    read without them.
    """

    record: DocumentRecord
    problems: tuple[Problem, ...]
    profile: StoredProfile | None
    sentences: tuple[Sentence, ...]
    vectors: Vectors | None = field(default=None, compare=False)

    def _meta(self) -> str:
        prof = None
        if self.profile is not None:
            p = self.profile
            prof = {
                "numbers": list(p.numbers),
                "names": list(p.names),
                "chars": p.chars,
                "digest": p.fingerprint.digest,
                "minhash": list(p.fingerprint.minhash),
            }
        meta = {
            "record": self.record.to_json(),
            "problems": [pr.to_json() for pr in self.problems],
            "profile": prof,
            "sentences": [[s.text, s.start, s.end, s.paragraph] for s in self.sentences],
        }
        return json.dumps(meta, ensure_ascii=False)

    @classmethod
    def _from_meta(cls, meta: Json, vectors: Vectors | None) -> StoredDocument:
        prof = meta["profile"]
        return cls(
            DocumentRecord.from_json(meta["record"]),
            tuple(Problem.from_json(p) for p in meta["problems"]),
            None
            if prof is None
            else StoredProfile(
                tuple(prof["numbers"]),
                tuple(prof["names"]),
                prof["chars"],
                Fingerprint(prof["digest"], tuple(prof["minhash"])),
            ),
            tuple(Sentence(i, t, s, e, p) for i, (t, s, e, p) in enumerate(meta["sentences"])),
            vectors,
        )


# --- the folder ------------------------------------------------------------------------------


class LockedError(AlignerError):
    """Another process is writing into the output folder."""

    def __init__(self, folder: Path, holder: str) -> None:
        self.folder = folder
        self.holder = holder
        super().__init__(
            f"{folder}: another run is writing into it ({holder}). Wait for it to finish or stop it, "
            "or choose another output folder with --out"
        )


@dataclass(frozen=True)
class RunFolder:
    """An output folder of ``aligner run`` (or of ``aligner review-export``)."""

    path: Path

    @property
    def manifest_path(self) -> Path:
        return self.path / MANIFEST

    @property
    def work(self) -> Path:
        return self.path / WORK

    @property
    def job_path(self) -> Path:
        return self.work / "job.json"

    @property
    def lock_path(self) -> Path:
        return self.work / "lock"

    def doc_path(self, key: str) -> Path:
        """Where the document stored under ``key`` is."""
        return self.work / "docs" / f"{key}{DOC_SUFFIX}"

    def text_path(self, name: str) -> Path:
        """Where the text of the document ``name`` (its id) is stored: by its stem, which
        is unique in a run (:func:`aligner.load.list_documents`), shortened as
        :func:`file_stem` does when it is long."""
        return self.work / "text" / f"{file_stem(Path(name).stem)}.txt"

    def relative(self, path: Path) -> str:
        """``path`` (inside the folder) as the manifest names it: relative, with ``/``."""
        return path.relative_to(self.path).as_posix()

    def marker_path(self, stem: str) -> Path:
        """The marker of the pair ``stem``: written when the pair is complete."""
        return self.work / "pairs" / f"{stem}.json"

    def output_path(self, name: str) -> Path:
        """A file of the folder named in the manifest (a pair's output)."""
        return self.path / name

    def is_run(self) -> bool:
        """True when the folder holds a manifest."""
        return self.manifest_path.is_file()

    # manifest

    def read_manifest(self) -> Manifest:
        """The folder's manifest.

        :raises InputError: it is missing or is not a manifest, with the fix.
        """
        path = self.manifest_path
        try:
            obj = json.loads(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise InputError(
                path, f"cannot be read ({err.strerror})", "Give the output folder of `aligner run`."
            ) from None
        except json.JSONDecodeError as err:
            raise InputError(
                path, f"is not valid JSON ({err.msg})", "Rerun `aligner run` to rebuild it.", err.lineno
            ) from None
        try:
            return Manifest.from_json(obj)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise InputError(
                path,
                f"is not the manifest of an `aligner run` ({type(err).__name__}: {err})",
                "Rerun `aligner run` to rebuild it.",
            ) from None

    def write_manifest(self, manifest: Manifest, force: bool = True) -> bool:
        """Write ``manifest`` unless the file already holds exactly it; True if written."""
        text = manifest.to_text()
        path = self.manifest_path
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return False
        write_text_atomic(path, text, force=force)
        return True

    # job

    def read_job(self) -> JobIdentity | None:
        """The job of the run that wrote here; None if none did (or its record is unreadable)."""
        try:
            return JobIdentity.from_json(json.loads(self.job_path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write_job(self, job: JobIdentity) -> None:
        write_text_atomic(self.job_path, job.to_text(), force=True)

    def check_resumable(self, job: JobIdentity, force: bool) -> bool:
        """True when the folder holds an earlier run of ``job`` (resume).

        With ``force``, earlier pair markers and the job record are dropped: everything
        is redone (stored documents are kept: their keys say what they depend on).

        :raises OutputExistsError: it holds another job's output, or another
            program's manifest, and ``force`` is off.
        """
        if force:
            if (self.work / "pairs").exists():
                shutil.rmtree(self.work / "pairs")
            self.job_path.unlink(missing_ok=True)
            return False
        if self.job_path.exists():
            if self.read_job() == job:
                return True
            raise OutputExistsError(
                self.manifest_path if self.manifest_path.exists() else self.job_path,
                "it holds the output of a run with other settings",
            )
        check_free([self.manifest_path], force)
        return False

    # pairs

    def read_marker(self, stem: str) -> PairMarker | None:
        """The marker of pair ``stem``; None if the pair is not complete.

        :raises InputError: it is there but cannot be read.
        """
        path = self.marker_path(stem)
        if not path.exists():
            return None
        try:
            return PairMarker.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise InputError(
                path,
                f"the pair's record cannot be read ({err})",
                f"Rerun `aligner run INPUT --out {self.path}` and try again.",
            ) from None

    def write_marker(self, stem: str, marker: PairMarker) -> None:
        """Write the marker of the pair ``stem``, after its files.

        Neither it nor the pair's files are flushed to disk one by one (an ``fsync`` each
        took about as long as aligning a small pair): each is renamed into place whole, so
        a killed run leaves every file whole or absent. After a system crash a file may be
        there but empty or cut short, or the marker unreadable: the sizes the marker records
        tell (:meth:`complete`), and the pair is redone. The manifest, written last, is
        flushed.
        """
        write_text_atomic(self.marker_path(stem), marker.to_text(), force=True, durable=False)

    def complete(self, marker: PairMarker | None, src_key: str, tgt_key: str) -> bool:
        """True when ``marker`` is of these two stored documents and its files are all there,
        each of the size it records."""
        if marker is None or (marker.src_key, marker.tgt_key) != (src_key, tgt_key):
            return False
        for name in marker.entry.files.values():
            try:
                size = self.output_path(name).stat().st_size
            except OSError:
                return False
            if name in marker.sizes and size != marker.sizes[name]:
                return False
        return True

    # stored documents

    def store_document(self, key: str, doc: StoredDocument, vectors: Vectors) -> None:
        """Store ``doc`` with its sentence ``vectors`` under ``key`` (replacing any)."""
        with atomic_path(self.doc_path(key), force=True) as tmp, tmp.open("wb") as fh:
            np.lib.format.write_array(fh, np.ascontiguousarray(vectors, dtype=np.float32), allow_pickle=False)
            fh.write(doc._meta().encode("utf-8"))

    def read_document(self, key: str, vectors: bool = True) -> StoredDocument:
        """The document stored under ``key``, with its vectors unless ``vectors`` is False.

        :raises InputError: it is missing or broken, with the fix.
        """
        path = self.doc_path(key)
        try:
            with path.open("rb") as fh:
                vecs: Vectors | None = None
                if vectors:
                    vecs = np.lib.format.read_array(fh, allow_pickle=False)
                else:  # skip the array
                    fmt = np.lib.format
                    major, _ = fmt.read_magic(fh)
                    header = fmt.read_array_header_1_0 if major == 1 else fmt.read_array_header_2_0
                    shape, _, dtype = header(fh)
                    fh.seek(int(np.prod(shape)) * dtype.itemsize, os.SEEK_CUR)
                return StoredDocument._from_meta(json.loads(fh.read().decode("utf-8")), vecs)
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise self._unreadable(path, err) from None

    def read_vectors(self, key: str) -> Vectors:
        """The sentence vectors of the document stored under ``key``, without the rest
        (pairing reads the vectors of every document; parsing the rest took longer).

        :raises InputError: it is missing or broken, with the fix.
        """
        path = self.doc_path(key)
        try:
            with path.open("rb") as fh:
                vecs: Vectors = np.lib.format.read_array(fh, allow_pickle=False)
                return vecs
        except (OSError, ValueError) as err:
            raise self._unreadable(path, err) from None

    def _unreadable(self, path: Path, err: Exception) -> InputError:
        """The error for a stored document that cannot be read, with the fix."""
        return InputError(
            path,
            f"the stored document cannot be read ({err})",
            f"Rerun `aligner run INPUT --out {self.path}` (it stores it again) and try again.",
        )

    def has_document(self, key: str) -> bool:
        return self.doc_path(key).exists()

    def store_text(self, name: str, text: str) -> str:
        """Store the text of document ``name`` (see :meth:`text_path`); its path as the manifest gives it."""
        path = self.text_path(name)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_text_atomic(path, text, force=True, durable=False)
        return self.relative(path)

    def stored_documents(self) -> Iterator[tuple[str, StoredDocument]]:
        """Every stored document with its key and vectors, by key."""
        for path in sorted((self.work / "docs").glob(f"[!.]*{DOC_SUFFIX}")):
            yield path.stem, self.read_document(path.stem)

    # upkeep

    def clean_temporaries(self) -> None:
        """Remove the temporary files a killed run left (``.<name>.<random>.tmp``)."""
        for sub in (self.path, self.work, self.work / "docs", self.work / "pairs", self.work / "text"):
            if sub.is_dir():
                for tmp in sub.glob(".*.tmp"):
                    tmp.unlink(missing_ok=True)

    def check_free(self, names: Sequence[str], force: bool) -> None:
        """:func:`aligner.write.check_free` for files of the folder."""
        check_free([self.output_path(n) for n in names], force)

    @contextmanager
    def lock(self, command: str = "aligner run") -> Iterator[RunLock]:
        """Hold the folder's lock for the block; see :class:`RunLock`.

        :raises LockedError: another live process holds it.
        """
        lock = RunLock(self.lock_path)
        lock.acquire(command)
        try:
            yield lock
        finally:
            lock.release()


class RunLock:
    """An advisory lock on an output folder: one run writes into it at a time.

    The lock is ``flock`` on ``.aligner/lock``, which the kernel releases when
    the holder exits in any way (``kill -9`` included), so a lock left by a
    killed run is simply taken over. The file records who holds it (process,
    host, start time, command) for the message another run gives.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self.took_over: str | None = None  # the holder of a stale lock taken over

    def acquire(self, command: str) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as err:
            raise unwritable(self.path.parent, err) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            holder = _holder(os.pread(fd, 4096, 0))
            os.close(fd)
            if err.errno in (errno.EAGAIN, errno.EACCES):
                raise LockedError(self.path.parents[1], holder) from None
            raise
        previous = os.pread(fd, 4096, 0)
        if previous.strip():
            self.took_over = _holder(previous)
        started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        record = {"pid": os.getpid(), "host": socket.gethostname(), "started": started, "command": command}
        data = (json.dumps(record, ensure_ascii=False) + "\n").encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0)
        self._fd = fd

    def release(self) -> None:
        """Clear the record and let go (the file stays: removing it would race with a new holder)."""
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
        finally:
            os.close(self._fd)  # closing releases the flock
            self._fd = None


def _holder(data: bytes) -> str:
    """Who a lock file says holds it, in words."""
    try:
        rec = json.loads(data.decode("utf-8"))
        return f"process {rec['pid']} on {rec['host']}, started {rec['started']}: {rec['command']}"
    except (ValueError, KeyError, TypeError):
        return "a process that left no record"
