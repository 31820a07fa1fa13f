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

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .model import Link

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


def _pairs(links: Iterable[Link | Pair]) -> set[Pair]:
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


def count(gold: Iterable[Link | Pair], predicted: Iterable[Link | Pair]) -> Counts:
    """Count the hits of one document's predicted links against its gold links."""
    g, p = _pairs(gold), _pairs(predicted)
    sp, lp = _hits(g, p)
    g_real = {x for x in g if x[0] and x[1]}
    p_real = {x for x in p if x[0] and x[1]}
    sr, lr = _hits(p_real, g_real)
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
    kinds: Counter[str] = Counter()
    per: dict[str, Counts] = defaultdict(Counts)
    for g, p in zip(gold, predicted, strict=True):
        gs, ps = _pairs(g), _pairs(p)
        for kind in {f"{len(s)}-{len(t)}" for s, t in gs | ps}:
            gk = {x for x in gs if f"{len(x[0])}-{len(x[1])}" == kind}
            pk = {x for x in ps if f"{len(x[0])}-{len(x[1])}" == kind}
            sp, lp = _hits(gs, pk)
            sr, lr = _hits({x for x in ps if x[0] and x[1]}, {x for x in gk if x[0] and x[1]})
            real = len({x for x in gk if x[0] and x[1]})
            per[kind] = per[kind] + Counts(sp, lp, len(pk), sr, lr, real)
            kinds[kind] += 1
    return {k: scores(per[k]) for k in sorted(per)}
