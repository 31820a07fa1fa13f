"""Strict/lax precision and recall on cases worked out by hand (FACTS section 2)."""

from __future__ import annotations

import pytest

from aligner.evaluate import by_type, count, evaluate, scores

G = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2,))]


@pytest.mark.parametrize(
    ("pred", "sp", "lp", "npred", "sr", "lr", "ngold"),
    [
        # identical: everything right; the null link counts in precision only
        (G, 4, 4, 4, 3, 3, 3),
        # 2-1 predicted as 1-1 + 1-0: [1]:[1] is lax-right, [2]:[] is wrong
        ([((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (2,))], 3, 4, 5, 2, 3, 3),
        # a wrong null link: [3]:[] predicted as [3]:[2] with 4 deleted
        ([((0,), (0,)), ((1, 2), (1,)), ((3,), (2,)), ((4,), ())], 2, 2, 4, 2, 2, 3),
        # nothing predicted
        ([], 0, 0, 0, 0, 0, 3),
    ],
)
def test_counts_by_hand(pred, sp, lp, npred, sr, lr, ngold) -> None:
    c = count(G, pred)
    assert (c.strict_p, c.lax_p, c.predicted, c.strict_r, c.lax_r, c.gold) == (sp, lp, npred, sr, lr, ngold)


def test_scores_and_pooling() -> None:
    pred = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (2,))]
    s = scores(count(G, pred))
    assert s.strict_precision == pytest.approx(3 / 5)
    assert s.strict_recall == pytest.approx(2 / 3)
    assert s.strict_f1 == pytest.approx(2 * 0.6 * (2 / 3) / (0.6 + 2 / 3))
    assert s.lax_precision == pytest.approx(4 / 5)
    assert s.lax_recall == pytest.approx(1.0)
    # pooled, not averaged: a perfect short document weighs by its size
    pooled = evaluate([G, [((0,), (0,))]], [pred, [((0,), (0,))]])
    assert pooled.strict_precision == pytest.approx(4 / 6)


def test_by_type() -> None:
    pred = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (2,))]
    t = by_type([G], [pred])
    assert t["2-1"].strict_recall == 0.0 and t["2-1"].lax_recall == 1.0
    assert t["1-1"].strict_precision == pytest.approx(2 / 3)
    assert t["1-0"].strict_precision == pytest.approx(1 / 2)
