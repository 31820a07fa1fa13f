"""Scoring an alignment against gold links (the convention of ../shared/FACTS.md section 2).

- Precision counts every predicted link, null links included; a null link is
  right only if the gold has exactly the same link.
- Recall drops null links from both gold and prediction, then asks how many
  gold links the prediction has.
- Strict: a link counts only if it equals a gold link. Lax: a non-null link
  also counts if it shares at least one source and one target sentence with a
  gold link.
- Counts are pooled over documents, not averaged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Link, link_kind

Pair = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Counts:
    """Hits and totals for precision (over predictions) and recall (over gold)."""

    strict_p: int = 0  # predicted links equal to a gold link
    lax_p: int = 0  # predicted links overlapping a gold link (or equal)
    predicted: int = 0
    strict_r: int = 0  # gold links (non-null) equal to a predicted link
    lax_r: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.__dict__.values(), other.__dict__.values(), strict=True)))


@dataclass(frozen=True)
class Scores:
    """Strict and lax precision, recall and F1."""

    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float


#: Calibration is measured over this many equal-width score bins...
BINS = 10
#: ...and the precision of the links scored at least this is reported.
HIGH_THRESHOLD = 0.9


def pairs_of(links: Iterable[Link | Pair]) -> set[Pair]:
    """The distinct links as (source, target) tuples, ``[]:[]`` left out."""
    out = set()
    for lk in links:
        src, tgt = (lk.src, lk.tgt) if isinstance(lk, Link) else lk
        if src or tgt:
            out.add((tuple(src), tuple(tgt)))
    return out


def _hits(reference: set[Pair], candidates: set[Pair]) -> tuple[int, int]:
    """How many ``candidates`` match ``reference`` exactly, and how many at least laxly."""
    targets_of: dict[int, set[int]] = defaultdict(set)
    for src, tgt in reference:
        for i in src:
            targets_of[i].update(tgt)
    strict = lax = 0
    for src, tgt in candidates:
        if (src, tgt) in reference:
            strict += 1
            lax += 1
        elif src and tgt and any(j in targets_of[i] for i in src for j in tgt):
            lax += 1
    return strict, lax


def _non_null(pairs: set[Pair]) -> set[Pair]:
    """The links with sentences on both sides (recall counts only these)."""
    return {x for x in pairs if x[0] and x[1]}


def count(gold: Iterable[Link | Pair], predicted: Iterable[Link | Pair]) -> Counts:
    """Count the hits of one document's predicted links against its gold links."""
    g, p = pairs_of(gold), pairs_of(predicted)
    sp, lp = _hits(g, p)
    g_real = _non_null(g)
    sr, lr = _hits(_non_null(p), g_real)
    return Counts(sp, lp, len(p), sr, lr, len(g_real))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def scores(counts: Counts) -> Scores:
    """Precision, recall and F1 from pooled counts (0 where a total is 0)."""

    def div(a: int, b: int) -> float:
        return a / b if b else 0.0

    sp, sr = div(counts.strict_p, counts.predicted), div(counts.strict_r, counts.gold)
    lp, lr = div(counts.lax_p, counts.predicted), div(counts.lax_r, counts.gold)
    return Scores(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr))


def evaluate(gold: Sequence[Iterable[Link | Pair]], predicted: Sequence[Iterable[Link | Pair]]) -> Scores:
    """Score several documents, pooling the counts."""
    total = Counts()
    for g, p in zip(gold, predicted, strict=True):
        total = total + count(g, p)
    return scores(total)


def by_type(
    gold: Sequence[Iterable[Link | Pair]], predicted: Sequence[Iterable[Link | Pair]]
) -> dict[str, Scores]:
    """Strict/lax scores per link type ("1-1", "2-1", ...): precision over the
    predicted links of that type, recall over the gold links of that type."""
    per: dict[str, Counts] = defaultdict(Counts)
    for g, p in zip(gold, predicted, strict=True):
        gs, ps = pairs_of(g), pairs_of(p)
        ps_real = _non_null(ps)
        for kind in {link_kind(s, t) for s, t in gs | ps}:
            gk_real = _non_null({x for x in gs if link_kind(*x) == kind})
            pk = {x for x in ps if link_kind(*x) == kind}
            sp, lp = _hits(gs, pk)
            sr, lr = _hits(ps_real, gk_real)
            per[kind] = per[kind] + Counts(sp, lp, len(pk), sr, lr, len(gk_real))
    return {k: scores(per[k]) for k in sorted(per)}


@dataclass(frozen=True)
class CalibrationBin:
    """One score bin: links scored in ``[lower, upper)`` (the last bin includes 1.0)."""

    lower: float
    upper: float
    count: int
    mean_score: float  # 0.0 when the bin is empty
    accuracy: float  # share of the bin's links equal to a gold link; 0.0 when empty


@dataclass(frozen=True)
class Calibration:
    """How far link scores are from being probabilities of a link being right.

    A predicted link is right when it equals a gold link exactly, null links
    included: the correctness of strict precision. ``ece`` is the expected
    calibration error, ``sum(count / n_links * |accuracy - mean_score|)`` over
    equal-width bins; ``high_precision`` is the share of right links among the
    ``high_count`` links scored at least ``high_threshold``. Values whose total
    is 0 are 0.0, as in :func:`scores`.
    """

    ece: float
    n_links: int
    high_threshold: float
    high_count: int
    high_precision: float
    bins: tuple[CalibrationBin, ...]


def scored_outcomes(
    gold: Sequence[Iterable[Link | Pair]], predicted: Sequence[Iterable[Link]]
) -> list[tuple[float, bool]]:
    """``(score, right)`` for every predicted link of every document, in order.

    ``right`` means the link equals a gold link of its document (null links
    included); a ``[]:[]`` link, which scoring ignores, is left out.
    """
    out: list[tuple[float, bool]] = []
    for g, p in zip(gold, predicted, strict=True):
        gs = pairs_of(g)
        for lk in p:
            if lk.src or lk.tgt:
                out.append((lk.score, (tuple(lk.src), tuple(lk.tgt)) in gs))
    return out


def calibration(
    gold: Sequence[Iterable[Link | Pair]],
    predicted: Sequence[Iterable[Link]],
    bins: int = BINS,
    high_threshold: float = HIGH_THRESHOLD,
) -> Calibration:
    """Expected calibration error over ``bins`` equal-width score bins on [0, 1],
    weighted by bin count, and the precision of the links scored >= ``high_threshold``.

    Scores outside [0, 1] fall in the first or last bin; a score of exactly 1.0
    falls in the last bin.
    """
    return calibration_of(scored_outcomes(gold, predicted), bins, high_threshold)


def calibration_of(
    outcomes: Sequence[tuple[float, bool]], bins: int = BINS, high_threshold: float = HIGH_THRESHOLD
) -> Calibration:
    """:func:`calibration` from ``(score, right)`` pairs."""
    if bins < 1:
        raise ValueError(f"bins must be at least 1, not {bins}")
    counts = [0] * bins
    score_sums = [0.0] * bins
    right = [0] * bins
    for score, ok in outcomes:
        b = min(max(int(score * bins), 0), bins - 1)
        counts[b] += 1
        score_sums[b] += score
        right[b] += ok
    n = len(outcomes)
    rows = []
    ece = 0.0
    for b in range(bins):
        c = counts[b]
        mean = score_sums[b] / c if c else 0.0
        acc = right[b] / c if c else 0.0
        rows.append(CalibrationBin(b / bins, (b + 1) / bins, c, mean, acc))
        if c:
            ece += c / n * abs(acc - mean)
    high = [ok for score, ok in outcomes if score >= high_threshold]
    return Calibration(
        ece=ece,
        n_links=n,
        high_threshold=high_threshold,
        high_count=len(high),
        high_precision=sum(high) / len(high) if high else 0.0,
        bins=tuple(rows),
    )
