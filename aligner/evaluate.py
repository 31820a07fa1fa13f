"""Scoring an alignment against gold links (the convention of ../shared/FACTS.md section 2).

- Precision counts every predicted link, null links included; a null link is
  right only if the gold has exactly the same link.
- Recall drops null links from both gold and prediction, then asks how many
  gold links the prediction has.
- Strict: a link counts only if it equals a gold link. Lax: a non-null link
  also counts if it shares at least one source and one target sentence with a
  gold link.
- Counts are pooled over documents, not averaged.

The report of ``aligner evaluate`` (:func:`report`, :func:`render_text`) is
built here from link files (:func:`read_link_file`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .export.links import LinkLine, read_link_lines
from .load import read_text
from .model import Link, is_null_kind, link_kind

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


def pooled_counts(
    gold: Sequence[Iterable[Link | Pair]], predicted: Sequence[Iterable[Link | Pair]]
) -> Counts:
    """The counts of several documents, pooled."""
    total = Counts()
    for g, p in zip(gold, predicted, strict=True):
        total = total + count(g, p)
    return total


def evaluate(gold: Sequence[Iterable[Link | Pair]], predicted: Sequence[Iterable[Link | Pair]]) -> Scores:
    """Score several documents, pooling the counts."""
    return scores(pooled_counts(gold, predicted))


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


# --- the report of link files ---------------------------------------------------------------


@dataclass(frozen=True)
class LinkFile:
    """The links of one file, and whether its link lines carried scores."""

    path: Path
    links: list[Link]
    first_unscored: int | None  # 1-based number of the first link line without a score
    any_scored: bool  # some link line has a third (score) field
    #: The first line whose score is no probability (outside 0-1: Vecalign writes its
    #: alignment cost there), as (line, score); such scores leave calibration out.
    out_of_range: tuple[int, float] | None = None
    #: The first sentence found in two links, as (side, index, first line, second line).
    overlap: tuple[str, int, int, int] | None = None

    def problems(self) -> list[str]:
        """Warnings about the file's links, each naming the file and its line."""
        out = []
        if self.out_of_range is not None:
            number, value = self.out_of_range
            out.append(
                f"{self.path}, line {number}: the score {value:g} is not a probability (it is outside "
                "0-1; Vecalign's own output gives an alignment cost there), so calibration was left out"
            )
        if self.overlap is not None:
            side, index, first, second = self.overlap
            out.append(
                f"{self.path}, line {second}: {side} sentence {index} is also in the link of line "
                f"{first}; a sentence belongs to one link (check the two lines for a typing error)"
            )
        return out


def _first_overlap(lines: Sequence[LinkLine]) -> tuple[str, int, int, int] | None:
    """The first sentence (by line) that two of ``lines``' links hold."""
    seen: dict[tuple[str, int], int] = {}
    for ll in lines:
        for side, indices in (("source", ll.link.src), ("target", ll.link.tgt)):
            for i in indices:
                first = seen.setdefault((side, i), ll.number)
                if first != ll.number:
                    return side, i, first, ll.number
    return None


def read_link_file(path: Path) -> LinkFile:
    """Read a Vecalign link file; errors name the file (and the line)."""
    lines = read_link_lines(read_text(path, "link file").splitlines(), source=str(path))
    unscored = [ll.number for ll in lines if not ll.scored]
    out_of_range = next(((ll.number, ll.link.score) for ll in lines if not 0.0 <= ll.link.score <= 1.0), None)
    return LinkFile(
        path,
        [ll.link for ll in lines],
        unscored[0] if unscored else None,
        len(unscored) < len(lines),
        out_of_range,
        _first_overlap(lines),
    )


def last_sentences(links: Sequence[Link]) -> tuple[int, int]:
    """The highest source and target sentence index the links mention (-1 for none)."""
    return (
        max((i for lk in links for i in lk.src), default=-1),
        max((j for lk in links for j in lk.tgt), default=-1),
    )


def mismatch(gold: LinkFile, pred: LinkFile) -> str | None:
    """A warning when ``gold`` and ``pred`` end at different sentences: likely not the same document."""
    g, p = last_sentences(gold.links), last_sentences(pred.links)
    if g == p:
        return None
    g_s, g_t, p_s, p_t = (str(k) if k >= 0 else "none" for k in (*g, *p))
    return (
        f"{gold.path} and {pred.path}: the gold's last sentences are {g_s} (source) and {g_t} (target), "
        f"the prediction's {p_s} and {p_t}; check that they are the same document and that the "
        "prediction was not filtered (--min-score)"
    )


def has_scores(files: Sequence[LinkFile]) -> bool:
    """True when some link line carries a score, none lacks one and every score is in 0-1."""
    return any(f.any_scored for f in files) and all(
        f.first_unscored is None and f.out_of_range is None for f in files
    )


def _kinds(docs: Sequence[list[Link]]) -> Counter[str]:
    """How many distinct links of each type (``[]:[]`` left out, as in scoring)."""
    out: Counter[str] = Counter()
    for links in docs:
        out.update(link_kind(s, t) for s, t in pairs_of(links))
    return out


def _prf(p: float, r: float | None, f: float | None) -> dict[str, float | None]:
    return {"precision": p, "recall": r, "f1": f}


def report(pairs: Sequence[tuple[LinkFile, LinkFile]]) -> dict[str, Any]:
    """The evaluation of predicted link files against gold ones, as JSON-ready data
    (``aligner evaluate --json``; :func:`render_text` is the plain-text form)."""
    gold = [g.links for g, _ in pairs]
    pred = [p.links for _, p in pairs]
    total = pooled_counts(gold, pred)
    overall = scores(total)
    gold_kinds, pred_kinds = _kinds(gold), _kinds(pred)
    types: dict[str, Any] = {}
    for kind, s in by_type(gold, pred).items():
        null = is_null_kind(kind)
        # Recall drops null links, so a null type has no recall (nor F1).
        types[kind] = {
            "gold": gold_kinds[kind],
            "predicted": pred_kinds[kind],
            "strict": _prf(
                s.strict_precision, None if null else s.strict_recall, None if null else s.strict_f1
            ),
            "lax": _prf(s.lax_precision, None if null else s.lax_recall, None if null else s.lax_f1),
        }
    scored = has_scores([p for _, p in pairs])
    cal: Calibration | None = calibration(gold, pred, BINS, HIGH_THRESHOLD) if scored else None
    return {
        "files": [{"gold": str(g.path), "pred": str(p.path)} for g, p in pairs],
        "gold_links": sum(gold_kinds.values()),
        "gold_links_non_null": total.gold,
        "predicted_links": total.predicted,
        "strict": _prf(overall.strict_precision, overall.strict_recall, overall.strict_f1),
        "lax": _prf(overall.lax_precision, overall.lax_recall, overall.lax_f1),
        "by_type": types,
        "calibration": None
        if cal is None
        else {
            "bins": BINS,
            "ece": cal.ece,
            "links": cal.n_links,
            "high_threshold": cal.high_threshold,
            "high_count": cal.high_count,
            "high_precision": cal.high_precision,
            "per_bin": [
                {
                    "lower": b.lower,
                    "upper": b.upper,
                    "links": b.count,
                    "mean_score": b.mean_score,
                    "accuracy": b.accuracy,
                }
                for b in cal.bins
            ],
        },
    }


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.4f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Plain-text columns: the first left-aligned, the others right-aligned."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(r: list[str]) -> str:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    return [fmt(header), *(fmt(r) for r in rows)]


def render_text(rep: dict[str, Any]) -> str:
    """The plain-text report."""
    out = [
        f"{len(rep['files'])} file pair(s): {rep['gold_links']} gold link(s) "
        f"({rep['gold_links_non_null']} not null), {rep['predicted_links']} predicted link(s)",
        "",
    ]
    out += _table(
        ["", "precision", "recall", "F1"],
        [
            [k, _num(rep[k]["precision"]), _num(rep[k]["recall"]), _num(rep[k]["f1"])]
            for k in ("strict", "lax")
        ],
    )
    out += ["", "by link type (recall and F1 are not defined for null links):"]
    rows = []
    for kind, t in rep["by_type"].items():
        s, lx = t["strict"], t["lax"]
        rows.append(
            [kind, str(t["gold"]), str(t["predicted"])]
            + [_num(s[k]) for k in ("precision", "recall", "f1")]
            + [_num(lx[k]) for k in ("precision", "recall", "f1")]
        )
    out += _table(
        ["type", "gold", "pred", "strict P", "strict R", "strict F1", "lax P", "lax R", "lax F1"], rows
    )
    cal = rep["calibration"]
    if cal is not None:
        out += [
            "",
            f"calibration ({cal['bins']} equal-width score bins; a link is right if it equals a gold link):",
            f"expected calibration error (ECE): {cal['ece']:.4f} over {cal['links']} link(s)",
            f"links scored >= {cal['high_threshold']:.2f}: {cal['high_count']}, "
            f"precision {cal['high_precision']:.4f}",
        ]
        bin_rows = []
        for i, b in enumerate(cal["per_bin"]):
            close = "]" if i == len(cal["per_bin"]) - 1 else ")"
            empty = b["links"] == 0
            bin_rows.append(
                [
                    f"[{b['lower']:.1f}, {b['upper']:.1f}{close}",
                    str(b["links"]),
                    "-" if empty else f"{b['mean_score']:.4f}",
                    "-" if empty else f"{b['accuracy']:.4f}",
                ]
            )
        out += _table(["score", "links", "mean score", "accuracy"], bin_rows)
    return "\n".join(out) + "\n"
