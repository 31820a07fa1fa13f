"""Pairing the Italian and English versions of the same dispatch.

Every source-target candidate is scored with cheap, language-independent
evidence and with cross-lingual embeddings:

- ``embedding``: how much closer each sentence's best match in the other
  document is than the typical sentence pair of the two documents (mean
  best-match cosine, both ways, minus the median cosine). Two dispatches on the
  same topic have a high cosine everywhere; only a translation has a close
  match for nearly every sentence. Rescaled so that a margin of 0.03 gives 0
  and 0.10 gives 1;
- ``order``: the share of sentences that are each other's best match, in the
  same order on both sides (see :func:`order`);
- ``numbers``: overlap (Jaccard) of the numbers both texts contain, written
  without separators ("7.500" and "7,500" are the same number);
- ``names``: overlap of capitalised words that are not sentence-initial
  (people, places and acronyms mostly keep their spelling across languages);
- ``length``: how close the character-length ratio is to the expected one;
- ``date``: 1 if both dates are known and equal, -1 if known and different
  (within the blocking window), 0 when either is missing. Its weight is set by
  hand: the gold texts the other weights were fitted on have no dates;
- ``lead``: how far the candidate's embedding margin is ahead of its best
  rival's (see :func:`score_candidates`).

The evidence is combined by a logistic function into a score in [0, 1], and
pairs are assigned one-to-one, best score first, above a threshold. A document
left over is reported with the reason and its best candidate.

Pairing never scores every source against every target. Each document is
summed up by a profile (its mean sentence vector, numbers, names, length and
date: a few kilobytes), and full evidence is computed only for candidates:

- *blocking*: two documents whose dates are both known and more than
  ``PairConfig.date_window`` days apart are never candidates;
- *nearest neighbours*: each source's ``PairConfig.candidates`` targets whose
  mean vectors are closest, and each target's closest sources (so a target
  that no source ranks high still gets its own candidates);
- *shared rare keys*: the targets sharing the most numbers or names with a
  source, among keys found in at most ``RARE_KEY_DOCS`` target documents.

The sentence vectors that the ``embedding`` evidence needs are fetched per
candidate through a callback, so a batch run keeps them on disk.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from .encode import Vectors
from .model import DocPair, Document, PairConfig, Sentence, Unpaired

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"\w+", re.UNICODE)

#: The evidence, in the order of the fitted weights.
FEATURES = ("embedding", "order", "numbers", "names", "length", "date", "lead")


def _load_weights() -> tuple[dict[str, float], float]:
    data = json.loads(resources.files("aligner").joinpath("pairing.json").read_text("utf-8"))
    return {k: float(data["weights"][k]) for k in FEATURES}, float(data["bias"])


#: Weights and bias of the logistic combination of the evidence, fitted by
#: benchmarks/fit_pairing.py on the dev half of the gold sets' texts (pairing.json).
WEIGHTS, BIAS = _load_weights()


def weights_id() -> str:
    """A short, stable name of the weights in use, for signatures."""
    return "logit(" + ",".join(f"{WEIGHTS[k]:g}" for k in FEATURES) + f",{BIAS:g})"


#: Expected target/source character ratio and the spread of its log (it-en, news).
LENGTH_RATIO = 0.92
LENGTH_SPREAD = 0.35


#: Margin by which a candidate leading its rivals gets the full ``lead`` evidence.
LEAD_SPAN = 0.05
#: The rival margin assumed when a candidate has no rival (unrelated documents' level).
NO_RIVAL = 0.03
#: A number or name found in more target documents than this is not a blocking key.
RARE_KEY_DOCS = 50
#: Sources (targets) scored together in one block of the nearest-neighbour search,
#: and the most similarities one block may hold (4 MB of float32).
_BLOCK_ROWS = 1024
_BLOCK_CELLS = 2**20


@dataclass(frozen=True)
class DocProfile:
    """What pairing needs of one document, without its sentence vectors."""

    id: str
    centroid: Vectors  # the normalised mean of its sentence vectors, shape (dim,)
    numbers: frozenset[str]
    names: frozenset[str]
    chars: int
    date: str | None


#: Sentence vectors of a document, by document id.
VectorSource = Callable[[str], Vectors]


def centroid(vectors: Vectors) -> Vectors:
    """The normalised mean of ``vectors`` (zeros for none)."""
    if not len(vectors):
        return np.zeros(vectors.shape[1] if vectors.ndim == 2 else 0, dtype=np.float32)
    mean: Vectors = vectors.mean(axis=0, dtype=np.float32)
    norm = float(np.linalg.norm(mean))
    return mean / np.float32(norm) if norm > 0 else mean


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
        centroid=centroid(vectors),
        numbers=frozenset(numbers),
        names=frozenset(names),
        chars=sum(len(s.text) for s in sentences),
        date=doc.date,
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def margin(sims: Vectors) -> float:
    """Mean best-match cosine (both ways) minus the median cosine, from the
    (source sentences x target sentences) similarity matrix ``sims``."""
    if not sims.size:
        return 0.0
    # np.mean and np.median's sums and divisions, in the same precision, without their
    # checks: this runs on every candidate, for a few dozen cells each.
    rows, cols = sims.shape
    best = (float(np.add.reduce(sims.max(axis=1)) / rows) + float(np.add.reduce(sims.max(axis=0)) / cols)) / 2
    cells = np.sort(sims, axis=None)
    middle = (cells[(cells.size - 1) // 2] + cells[cells.size // 2]) / 2
    return best - float(middle)


def order(sims: Vectors) -> float:
    """How much of the two documents matches sentence by sentence, in order.

    The sentence pairs that are each other's best match in ``sims``, sorted by
    source position: the longest run of them whose target positions also
    increase, over the shorter document's length. A translation keeps its
    sentences in order (near 1); two texts on one topic match a few sentences,
    in any order.
    """
    if not sims.size:
        return 0.0
    best_tgt, best_src = sims.argmax(axis=1), sims.argmax(axis=0)
    tails: list[int] = []  # patience sorting: tails[k] = smallest end of an increasing run of k + 1
    for i, j in enumerate(best_tgt):
        if best_src[j] == i:
            k = bisect.bisect_left(tails, int(j))
            tails[k : k + 1] = [int(j)]
    return len(tails) / int(min(sims.shape[0], sims.shape[1]))


def _margin_and_evidence(
    src: DocProfile, tgt: DocProfile, src_vecs: Vectors, tgt_vecs: Vectors
) -> tuple[float, dict[str, float]]:
    sims: Vectors = src_vecs @ tgt_vecs.T  # once per candidate: margin and order both read it
    m = margin(sims)
    ratio = (tgt.chars + 1) / (src.chars + 1)
    length = math.exp(-((math.log(ratio) - math.log(LENGTH_RATIO)) ** 2) / (2 * LENGTH_SPREAD**2))
    date = (1.0 if src.date == tgt.date else -1.0) if src.date and tgt.date else 0.0
    return m, {
        "embedding": min(1.0, max(0.0, (m - 0.03) / 0.07)),
        "order": order(sims),
        "numbers": _jaccard(src.numbers, tgt.numbers),
        "names": _jaccard(src.names, tgt.names),
        "length": length,
        "date": date,
    }


def evidence(src: DocProfile, tgt: DocProfile, src_vecs: Vectors, tgt_vecs: Vectors) -> dict[str, float]:
    """The evidence that ``src`` and ``tgt`` are versions of one dispatch, each in [0, 1]
    (``date`` in [-1, 1]).

    ``src_vecs`` and ``tgt_vecs`` are the two documents' sentence vectors. The
    ``lead`` evidence needs the other candidates and is added by :func:`score_candidates`.
    """
    return _margin_and_evidence(src, tgt, src_vecs, tgt_vecs)[1]


@dataclass(frozen=True)
class Scored:
    """Candidates and their evidence, as arrays: a few dozen bytes per candidate."""

    index: npt.NDArray[np.int64]  # (n, 2): source index, target index
    features: npt.NDArray[np.float64]  # (n, len(FEATURES)), columns in FEATURES order

    def __len__(self) -> int:
        return len(self.index)

    def evidence(self, k: int) -> dict[str, float]:
        """The evidence of candidate ``k`` by name."""
        return {name: float(v) for name, v in zip(FEATURES, self.features[k], strict=True)}

    def __iter__(self) -> Iterator[tuple[int, int, dict[str, float]]]:
        for k in range(len(self)):
            yield int(self.index[k, 0]), int(self.index[k, 1]), self.evidence(k)


def score_candidates(
    sources: Sequence[DocProfile],
    targets: Sequence[DocProfile],
    config: PairConfig,
    vectors: VectorSource,
) -> Scored:
    """Every candidate (source index, target index) with its evidence, ``lead`` included.

    ``lead`` compares a candidate's embedding margin with the best rival's: the
    other candidates of its source and of its target. A translation stands out
    from its rivals even where a weak language lowers every margin. It is
    ``LEAD_SPAN`` of margin ahead (1), level (0.5) or behind (0), linearly between.
    """
    index = np.array(candidates(sources, targets, config), dtype=np.int64).reshape(-1, 2)
    features = np.zeros((len(index), len(FEATURES)), dtype=np.float64)
    margins = np.zeros(len(index), dtype=np.float64)
    for k, (i, j) in enumerate(index):
        s, t = sources[int(i)], targets[int(j)]
        margins[k], ev = _margin_and_evidence(s, t, vectors(s.id), vectors(t.id))
        features[k, : len(FEATURES) - 1] = [ev[name] for name in FEATURES[:-1]]
    # The two best margins of each source and each target.
    top_src: dict[int, list[float]] = {}
    top_tgt: dict[int, list[float]] = {}
    for (i, j), m in zip(index.tolist(), margins.tolist(), strict=True):
        for top, key in ((top_src, i), (top_tgt, j)):
            top[key] = sorted([*top.get(key, []), m], reverse=True)[:2]
    for k, ((i, j), m) in enumerate(zip(index.tolist(), margins.tolist(), strict=True)):
        rivals = []
        for two in (top_src[i], top_tgt[j]):
            # The best margin other than this candidate's own.
            rivals.append(two[1] if two[0] == m and len(two) > 1 else (two[0] if two[0] != m else NO_RIVAL))
        lead = (m - max(rivals)) / LEAD_SPAN
        features[k, -1] = min(1.0, max(0.0, (lead + 1) / 2))
    return Scored(index, features)


def combine(ev: Mapping[str, float]) -> float:
    """Combine evidence into a pairing score in [0, 1]."""
    z = BIAS + sum(WEIGHTS[k] * ev[k] for k in FEATURES)
    return 1.0 / (1.0 + math.exp(-z))


def _day(date: str | None) -> int | None:
    if not date:
        return None
    try:
        return dt.date.fromisoformat(date).toordinal()
    except ValueError:
        return None


def _within(a: int | None, b: int | None, window: int) -> bool:
    return a is None or b is None or abs(a - b) <= window


def _date_allowed(src_days: npt.NDArray[np.float32], tgt_days: npt.NDArray[np.float32], window: int) -> Any:
    """Mask (len(src), len(tgt)): False where both dates are known and too far apart."""
    gap = np.abs(src_days[:, None] - tgt_days[None, :])
    return ~(gap > window)  # NaN (unknown date) compares False: allowed


def _nearest(
    rows: Vectors,
    cols: Vectors,
    row_days: npt.NDArray[np.float32],
    col_days: npt.NDArray[np.float32],
    k: int,
    window: int,
) -> list[tuple[int, int]]:
    """(row, col) for each row's ``k`` closest columns by cosine, date-blocked, in blocks of rows."""
    out: list[tuple[int, int]] = []
    if not len(rows) or not len(cols):
        return out
    k = min(k, len(cols))
    block = max(1, min(_BLOCK_ROWS, _BLOCK_CELLS // len(cols)))
    for lo in range(0, len(rows), block):
        sims = rows[lo : lo + block] @ cols.T
        allowed = _date_allowed(row_days[lo : lo + block], col_days, window)
        sims[~allowed] = -np.inf
        top = np.argpartition(sims, len(cols) - k, axis=1)[:, len(cols) - k :]
        for r, cols_of_row in enumerate(top):
            for c in cols_of_row:
                if np.isfinite(sims[r, c]):
                    out.append((lo + r, int(c)))
    return out


def _shared_keys(
    sources: Sequence[DocProfile], targets: Sequence[DocProfile], k: int, window: int
) -> list[tuple[int, int]]:
    """(source, target) for each source's ``k`` targets sharing most rare numbers and names."""
    index: dict[str, list[int]] = {}
    for j, t in enumerate(targets):
        for key in t.numbers | t.names:
            index.setdefault(key, []).append(j)
    rare = {key: js for key, js in index.items() if len(js) <= RARE_KEY_DOCS}
    tgt_days = [_day(t.date) for t in targets]
    out: list[tuple[int, int]] = []
    for i, s in enumerate(sources):
        counts: dict[int, int] = {}
        for key in s.numbers | s.names:
            for j in rare.get(key, ()):
                counts[j] = counts.get(j, 0) + 1
        sd = _day(s.date)
        ranked = sorted(counts, key=lambda j: (-counts[j], targets[j].id))
        ranked = [j for j in ranked if _within(sd, tgt_days[j], window)]
        out.extend((i, j) for j in ranked[:k])
    return out


def candidates(
    sources: Sequence[DocProfile], targets: Sequence[DocProfile], config: PairConfig
) -> list[tuple[int, int]]:
    """The (source, target) index pairs worth scoring in full, sorted."""
    if not sources or not targets:
        return []
    src_c = np.stack([s.centroid for s in sources])
    tgt_c = np.stack([t.centroid for t in targets])
    nan = float("nan")
    # Day numbers (about 740,000) are exact in float32, which halves the block's date mask.
    src_d = np.array([d if (d := _day(s.date)) is not None else nan for s in sources], dtype=np.float32)
    tgt_d = np.array([d if (d := _day(t.date)) is not None else nan for t in targets], dtype=np.float32)
    k, w = config.candidates, config.date_window
    found = set(_nearest(src_c, tgt_c, src_d, tgt_d, k, w))
    found.update((i, j) for j, i in _nearest(tgt_c, src_c, tgt_d, src_d, k, w))
    found.update(_shared_keys(sources, targets, k, w))
    return sorted(found)


#: A scored candidate: (score, source id, target id, candidate number).
Candidate = tuple[float, str, str, int]


def _best_first(c: Candidate) -> tuple[float, str, str]:
    return (-c[0], c[1], c[2])


def assign(scored: Iterable[Candidate], threshold: float) -> list[Candidate]:
    """The one-to-one pairs among ``scored``: best score first (ids break ties), each
    document taken once, none scored below ``threshold``."""
    taken: set[str] = set()
    chosen = []
    for cand in sorted(scored, key=_best_first):
        score, sid, tid, _ = cand
        if score < threshold:
            break
        if sid in taken or tid in taken:
            continue
        taken.update((sid, tid))
        chosen.append(cand)
    return chosen


def pair_documents(
    sources: Sequence[DocProfile],
    targets: Sequence[DocProfile],
    config: PairConfig,
    vectors: VectorSource,
) -> tuple[list[DocPair], list[Unpaired]]:
    """Assign sources to targets one-to-one, best score first, above ``config.threshold``.

    Only :func:`candidates` are scored; ``vectors`` gives a document's sentence
    vectors by id (each is asked for once per candidate it is part of).

    :returns: the pairs (in source order) and every document left unpaired.
    """
    cands = score_candidates(sources, targets, config, vectors)
    # Ranked by the unrounded score: near 1 the scores of two candidates often round alike
    # (a translation and an abridged copy of it both 1.0000), and rounded, the name decided.
    scored = [
        (combine(cands.evidence(k)), sources[int(i)].id, targets[int(j)].id, k)
        for k, (i, j) in enumerate(cands.index)
    ]
    # Best score first; ids break exact ties so the result never depends on input order.
    scored.sort(key=_best_first)
    taken: dict[str, str] = {}
    won: dict[str, float] = {}  # each paired document's pair score
    pairs: list[DocPair] = []
    for score, sid, tid, k in assign(scored, config.threshold):
        taken[sid] = tid
        taken[tid] = sid
        won[sid] = won[tid] = score
        evidence = {n: round(v, 4) for n, v in cands.evidence(k).items()}
        pairs.append(DocPair(sid, tid, round(score, 4), evidence))
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
            why = (
                f"no {other_lang} document to pair with"
                if not (targets if other_lang == config.tgt_lang else sources)
                else f"no {other_lang} document dated within {config.date_window} day(s) of {doc.date} "
                "(aligner run --date-window DAYS compares documents dated further apart)"
            )
            unpaired.append(Unpaired(doc.id, why))
            continue
        other, score = best[doc.id]
        if score < config.threshold:
            reason = (
                f"no {other_lang} version found: the best candidate, {other}, "
                f"scored {score:.2f}, below the threshold {config.threshold:.2f}"
            )
        else:
            rival = won[other]
            higher = (
                "which scored higher"
                if f"{rival:.2f}" != f"{score:.2f}"
                else f"which scored higher before rounding ({rival - score:.1e} more)"
                if rival > score
                else "which scored the same (a tie, settled by the names)"
            )
            reason = (
                f"its best candidate, {other} (score {score:.2f}), was paired with {taken[other]}, {higher}"
            )
        unpaired.append(Unpaired(doc.id, reason, other, round(score, 4)))
    return pairs, unpaired
