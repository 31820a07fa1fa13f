"""``aligner evaluate``: score predicted link files against gold link files."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from aligner.errors import AlignerError, InputError
from aligner.evaluate import (
    BINS,
    HIGH_THRESHOLD,
    Calibration,
    Counts,
    Scores,
    by_type,
    calibration,
    count,
    pairs_of,
    scores,
)
from aligner.export.links import read_links
from aligner.load import read_text
from aligner.model import Link, is_null_kind, link_kind

from .common import BAD_INPUT, error, warn


@dataclass(frozen=True)
class LinkFile:
    """The links of one file, and whether its link lines carried scores."""

    path: Path
    links: list[Link]
    first_unscored: int | None  # 1-based number of the first link line without a score
    any_scored: bool  # some link line has a third (score) field


def read_link_file(path: Path) -> LinkFile:
    """Read a Vecalign link file; errors name the file (and the line)."""
    lines = read_text(path, "link file").splitlines()
    links = read_links(lines, source=str(path))
    # read_links gives 1.0 to a link with no third field; a link line that
    # parsed ends with "]" exactly when it has no score.
    unscored = [n for n, line in enumerate(lines, start=1) if line.strip() and line.strip().endswith("]")]
    return LinkFile(path, links, unscored[0] if unscored else None, len(unscored) < len(links))


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
    """True when some link line carries a score and none lacks one."""
    return any(f.any_scored for f in files) and all(f.first_unscored is None for f in files)


def _kinds(docs: Sequence[list[Link]]) -> Counter[str]:
    """How many distinct links of each type (``[]:[]`` left out, as in scoring)."""
    out: Counter[str] = Counter()
    for links in docs:
        out.update(link_kind(s, t) for s, t in pairs_of(links))
    return out


def _prf(p: float, r: float | None, f: float | None) -> dict[str, float | None]:
    return {"precision": p, "recall": r, "f1": f}


def report(
    pairs: Sequence[tuple[LinkFile, LinkFile]],
) -> dict[str, Any]:
    """Everything the command prints, as plain data (the ``--json`` output)."""
    gold = [g.links for g, _ in pairs]
    pred = [p.links for _, p in pairs]
    total = Counts()
    for g, p in zip(gold, pred, strict=True):
        total = total + count(g, p)
    overall: Scores = scores(total)
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


def evaluate_command(
    gold: Annotated[
        list[Path],
        typer.Option("--gold", help="A gold link file (Vecalign format); repeat for each document."),
    ],
    pred: Annotated[
        list[Path],
        typer.Option(
            "--pred", help="The predicted link file of the same document; one per --gold, in the same order."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Score predicted alignments against gold alignments (Vecalign link files).

    Prints strict and lax precision, recall and F1 pooled over the files, a
    breakdown by link type and, when every predicted link carries a score,
    the calibration of the scores: expected calibration error over 10 bins and
    the precision of the links scored 0.9 or more.

    Example: aligner evaluate --gold a.gold --pred a.links --gold b.gold --pred b.links
    """
    try:
        if len(gold) != len(pred):
            fewer, extra = (pred, gold[len(pred)]) if len(gold) > len(pred) else (gold, pred[len(gold)])
            flag = "--gold" if fewer is pred else "--pred"
            other = "--pred" if flag == "--gold" else "--gold"
            raise InputError(
                extra,
                f"given with {flag} has no {other} to pair with "
                f"({len(gold)} --gold file(s), {len(pred)} --pred file(s))",
                "Give one --pred per --gold; the i-th --gold is scored against the i-th --pred.",
            )
        pairs = [(read_link_file(g), read_link_file(p)) for g, p in zip(gold, pred, strict=True)]
    except AlignerError as err:
        error(str(err))
        raise typer.Exit(BAD_INPUT) from None
    for g, p in pairs:
        problem = mismatch(g, p)
        if problem:
            warn(problem)
    rep = report(pairs)
    preds = [p for _, p in pairs]
    if rep["calibration"] is None and any(p.any_scored for p in preds):
        first = next(p for p in preds if p.first_unscored is not None)
        warn(
            f"{first.path}, line {first.first_unscored}: the link has no score, so calibration "
            "was left out; give scores on every --pred link ([i]:[j]:score) to get it"
        )
    if as_json:
        typer.echo(json.dumps(rep, indent=2))
    else:
        typer.echo(render_text(rep), nl=False)
