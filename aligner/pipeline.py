"""The whole job on a folder of dispatches: load, identify, pair, split, align, render.

:func:`run` returns every result in memory; :func:`render` turns them into the
files of the output folder (name -> text), manifest included. Writing them is
the caller's job (:mod:`aligner.write`), so nothing here touches the output
folder and a failure midway leaves no partial output.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .align import align
from .encode import CachedEncoder
from .errors import InputError
from .export import EXPORTERS
from .langid import MIN_CONFIDENCE, identify
from .load import list_documents, load_document
from .model import AlignConfig, Alignment, DocPair, Document, PairConfig, Sentence, Unpaired
from .pair import DocProfile, pair_documents, profile
from .signature import signature
from .split import MAX_SENTENCE_CHARS, split

_SENTENCE_END = re.compile(r"[.!?…]")


@dataclass(frozen=True)
class Problem:
    """Something the user should know about one document."""

    file: str
    message: str
    severity: str = "warning"  # "warning": the document was used; "error": it was skipped
    line: int | None = None


@dataclass(frozen=True)
class DocResult:
    """A document that was read, with its sentences."""

    doc: Document
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class PairResult:
    """A paired document pair and its sentence alignment."""

    pair: DocPair
    alignment: Alignment


@dataclass
class RunResult:
    """Everything a run found and produced."""

    signature: str
    documents: list[DocResult] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    pairs: list[PairResult] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every document could be read, 1 when some were skipped."""
        return 1 if self.failed else 0


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


def read_folder(
    folder: Path, config: PairConfig, problems: list[Problem], failed: list[str]
) -> list[DocResult]:
    """Load, identify and split every document of ``folder``; bad files become problems."""
    results = []
    for path in list_documents(folder):
        try:
            doc = load_document(path)
        except InputError as err:
            problems.append(Problem(path.name, f"{err.problem}. {err.fix}", "error", err.line))
            failed.append(path.name)
            continue
        guess = identify(doc.content_text)
        doc = Document(doc.id, doc.text, doc.date, doc.lines, guess.lang, round(guess.confidence, 4))
        if guess.confidence < MIN_CONFIDENCE:
            problems.append(
                Problem(doc.id, f"language uncertain: {guess.lang} with probability {guess.confidence:.2f}")
            )
        problems.extend(_long_lines(doc))
        if guess.lang not in (config.src_lang, config.tgt_lang):
            results.append(DocResult(doc, ()))
            continue
        results.append(DocResult(doc, tuple(split(doc))))
    return results


def run(
    folder: Path,
    encoder: CachedEncoder,
    align_config: AlignConfig | None = None,
    pair_config: PairConfig | None = None,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    """Run the whole job on the ``.txt`` documents of ``folder``.

    :raises InputError: the folder is missing or holds no ``.txt`` file.
    """
    acfg = align_config or AlignConfig()
    pcfg = pair_config or PairConfig()
    sig = signature(acfg, encoder.name, pcfg)
    result = RunResult(sig)
    result.documents = read_folder(folder, pcfg, result.problems, result.failed)
    profiles: dict[str, list[DocProfile]] = {pcfg.src_lang: [], pcfg.tgt_lang: []}
    for d in result.documents:
        lang = d.doc.lang or "?"
        if lang not in profiles:
            reason = (
                f"language is {lang}, neither {pcfg.src_lang} nor {pcfg.tgt_lang}; "
                "it was not paired or aligned"
            )
            result.unpaired.append(Unpaired(d.doc.id, reason))
            result.problems.append(Problem(d.doc.id, reason))
            continue
        vecs = encoder.encode([s.text for s in d.sentences])
        profiles[lang].append(profile(d.doc, d.sentences, vecs))
    pairs, unpaired = pair_documents(profiles[pcfg.src_lang], profiles[pcfg.tgt_lang], pcfg)
    result.unpaired.extend(unpaired)
    result.unpaired.sort(key=lambda u: u.doc)
    for u in unpaired:
        result.problems.append(Problem(u.doc, f"not paired: {u.reason}"))
    by_id = {d.doc.id: d for d in result.documents}
    for p in pairs:
        if progress:
            progress(f"aligning {p.src} with {p.tgt}")
        src, tgt = by_id[p.src], by_id[p.tgt]
        date = src.doc.date or tgt.doc.date
        al = align(
            src.sentences, tgt.sentences, encoder, acfg, pcfg.src_lang, pcfg.tgt_lang, sig, p.src, p.tgt, date
        )
        result.pairs.append(PairResult(p, al))
    result.problems.sort(key=lambda pr: (pr.file, pr.line or 0, pr.message))
    return result


def pair_stem(pair: DocPair) -> str:
    """The file name stem of a pair's outputs: ``<source stem>__<target stem>``."""
    return f"{Path(pair.src).stem}__{Path(pair.tgt).stem}"


def render_alignment(alignment: Alignment, fmt: str, min_score: float = 0.0) -> str:
    """Render ``alignment`` in format ``fmt`` (a key of EXPORTERS) as text."""
    buf = io.StringIO()
    EXPORTERS[fmt](alignment, buf, min_score)
    return buf.getvalue()


def manifest(result: RunResult, files: dict[str, dict[str, str]], input_name: str) -> dict[str, Any]:
    """The run's manifest as a JSON-ready dict (no time stamps: reruns are identical)."""
    docs: list[dict[str, Any]] = []
    for d in result.documents:
        docs.append(
            {
                "file": d.doc.id,
                "status": "read",
                "language": d.doc.lang,
                "language_confidence": d.doc.lang_confidence,
                "date": d.doc.date,
                "sentences": len(d.sentences),
                "boilerplate_lines": [
                    {"line": ln.number, "reason": ln.boilerplate, "text": d.doc.text[ln.start : ln.end]}
                    for ln in d.doc.boilerplate_lines
                ],
            }
        )
    for name in result.failed:
        docs.append({"file": name, "status": "skipped"})
    docs.sort(key=lambda x: x["file"])
    pairs = []
    for pr in result.pairs:
        links = pr.alignment.links
        real = [lk.score for lk in links if not lk.is_null]
        pairs.append(
            {
                "source": pr.pair.src,
                "target": pr.pair.tgt,
                "score": pr.pair.score,
                "evidence": pr.pair.evidence,
                "files": files.get(pair_stem(pr.pair), {}),
                "links": pr.alignment.kind_counts(),
                "mean_score": round(sum(real) / len(real), 4) if real else None,
            }
        )
    return {
        "signature": result.signature,
        "input": input_name,
        "documents": docs,
        "pairs": pairs,
        "unpaired": [
            {
                "file": u.doc,
                "reason": u.reason,
                "best_candidate": u.best_candidate,
                "best_score": u.best_score,
            }
            for u in result.unpaired
        ],
        "problems": [
            {"file": p.file, "line": p.line, "severity": p.severity, "message": p.message}
            for p in result.problems
        ],
        "exit_code": result.exit_code,
    }


def render(
    result: RunResult, formats: Sequence[str], input_name: str, min_score: float = 0.0
) -> dict[str, str]:
    """All output files of a run: file name -> text, ``manifest.json`` last."""
    out: dict[str, str] = {}
    files: dict[str, dict[str, str]] = {}
    for pr in result.pairs:
        stem = pair_stem(pr.pair)
        files[stem] = {}
        for fmt in formats:
            name = f"{stem}.{fmt}"
            out[name] = render_alignment(pr.alignment, fmt, min_score)
            files[stem][fmt] = name
    out["manifest.json"] = (
        json.dumps(manifest(result, files, input_name), ensure_ascii=False, indent=2) + "\n"
    )
    return out
