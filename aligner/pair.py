"""Pairing the Italian and English versions of the same dispatch.

Every source-target candidate is scored with cheap, language-independent
evidence and with cross-lingual embeddings:

- ``embedding``: how much closer each sentence's best match in the other
  document is than the typical sentence pair of the two documents (mean
  best-match cosine, both ways, minus the median cosine). Two dispatches on the
  same topic have a high cosine everywhere; only a translation has a close
  match for nearly every sentence. Rescaled so that a margin of 0.03 gives 0
  and 0.10 gives 1;
- ``numbers``: overlap (Jaccard) of the numbers both texts contain, written
  without separators ("7.500" and "7,500" are the same number);
- ``names``: overlap of capitalised words that are not sentence-initial
  (people, places and acronyms mostly keep their spelling across languages);
- ``length``: how close the character-length ratio is to the expected one;
- ``date``: 1 if both dates are known and equal, 0 if known and different,
  0.5 when either is missing.

The evidence is combined by a logistic function into a score in [0, 1], and
pairs are assigned one-to-one, best score first, above a threshold. A document
left over is reported with the reason and its best candidate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .encode import Vectors
from .model import DocPair, Document, PairConfig, Sentence, Unpaired

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"\w+", re.UNICODE)

#: Weights and bias of the logistic combination of the evidence.
WEIGHTS = {"embedding": 4.0, "numbers": 3.0, "names": 3.0, "length": 1.5, "date": 1.0}
BIAS = -5.5
#: Expected target/source character ratio and the spread of its log (it-en, news).
LENGTH_RATIO = 0.92
LENGTH_SPREAD = 0.35


@dataclass(frozen=True)
class DocProfile:
    """What pairing needs of one document."""

    id: str
    vectors: Vectors
    numbers: frozenset[str]
    names: frozenset[str]
    chars: int
    date: str | None


def profile(doc: Document, sentences: Sequence[Sentence], vectors: Vectors) -> DocProfile:
    """Build the pairing profile of ``doc`` from its sentences and their vectors."""
    numbers = {re.sub(r"[.,]", "", m) for s in sentences for m in _NUMBER.findall(s.text)}
    names = set()
    for s in sentences:
        words = _WORD.findall(s.text)
        for w in words[1:]:
            if w[:1].isupper() and not w.isdigit() and len(w) > 1:
                names.add(w.lower())
    return DocProfile(
        id=doc.id,
        vectors=vectors,
        numbers=frozenset(numbers),
        names=frozenset(names),
        chars=sum(len(s.text) for s in sentences),
        date=doc.date,
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def evidence(src: DocProfile, tgt: DocProfile) -> dict[str, float]:
    """The evidence that ``src`` and ``tgt`` are versions of one dispatch, each in [0, 1]."""
    margin = 0.0
    if len(src.vectors) and len(tgt.vectors):
        sims = src.vectors @ tgt.vectors.T
        best = (float(sims.max(axis=1).mean()) + float(sims.max(axis=0).mean())) / 2
        margin = best - float(np.median(sims))
    ratio = (tgt.chars + 1) / (src.chars + 1)
    length = math.exp(-((math.log(ratio) - math.log(LENGTH_RATIO)) ** 2) / (2 * LENGTH_SPREAD**2))
    date = (1.0 if src.date == tgt.date else 0.0) if src.date and tgt.date else 0.5
    return {
        "embedding": min(1.0, max(0.0, (margin - 0.03) / 0.07)),
        "numbers": _jaccard(src.numbers, tgt.numbers),
        "names": _jaccard(src.names, tgt.names),
        "length": length,
        "date": date,
    }


def combine(ev: Mapping[str, float]) -> float:
    """Combine evidence into a pairing score in [0, 1]."""
    z = BIAS + sum(WEIGHTS[k] * v for k, v in ev.items())
    return 1.0 / (1.0 + math.exp(-z))


def pair_documents(
    sources: Sequence[DocProfile], targets: Sequence[DocProfile], config: PairConfig
) -> tuple[list[DocPair], list[Unpaired]]:
    """Assign sources to targets one-to-one, best score first, above ``config.threshold``.

    :returns: the pairs (in source order) and every document left unpaired.
    """
    scored = []
    for s in sources:
        for t in targets:
            ev = evidence(s, t)
            scored.append((round(combine(ev), 4), s.id, t.id, ev))
    # Best score first; ids break ties so the result never depends on input order.
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    taken: dict[str, str] = {}
    pairs: list[DocPair] = []
    for score, sid, tid, ev in scored:
        if score < config.threshold:
            break
        if sid in taken or tid in taken:
            continue
        taken[sid] = tid
        taken[tid] = sid
        pairs.append(DocPair(sid, tid, score, {k: round(v, 4) for k, v in ev.items()}))
    pairs.sort(key=lambda p: p.src)
    # Each document's best candidate: its first appearance in the sorted list.
    best: dict[str, tuple[str, float]] = {}
    for score, sid, tid, _ in scored:
        best.setdefault(sid, (tid, score))
        best.setdefault(tid, (sid, score))
    unpaired = []
    for doc, other_lang in [(d, config.tgt_lang) for d in sources] + [(d, config.src_lang) for d in targets]:
        if doc.id in taken:
            continue
        if doc.id not in best:
            unpaired.append(Unpaired(doc.id, f"no {other_lang} document to pair with"))
            continue
        other, score = best[doc.id]
        if score < config.threshold:
            reason = (
                f"no {other_lang} version found: the best candidate, {other}, "
                f"scored {score:.2f}, below the threshold {config.threshold:.2f}"
            )
        else:
            reason = (
                f"its best candidate, {other} (score {score:.2f}), was paired with "
                f"{taken[other]}, which scored higher"
            )
        unpaired.append(Unpaired(doc.id, reason, other, score))
    return pairs, unpaired
