"""``aligner evaluate``: score predicted link files against gold link files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from aligner.errors import InputError
from aligner.evaluate import mismatch, read_link_file, render_text, report

from .common import handle_errors, warn


@handle_errors
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
    for g, p in pairs:
        for problem in [*g.problems(), *p.problems(), mismatch(g, p)]:
            if problem:
                warn(problem)
    rep = report(pairs)
    preds = [p for _, p in pairs]
    unscored = [p for p in preds if p.first_unscored is not None]
    if rep["calibration"] is None and unscored and any(p.any_scored for p in preds):
        first = unscored[0]
        warn(
            f"{first.path}, line {first.first_unscored}: the link has no score, so calibration "
            "was left out; give scores on every --pred link ([i]:[j]:score) to get it"
        )
    if as_json:
        typer.echo(json.dumps(rep, indent=2))
    else:
        typer.echo(render_text(rep), nl=False)
