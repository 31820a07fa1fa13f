"""The stress benchmark's ceiling (benchmarks/stress.py, ``--ceiling``): which links it splits."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from stress import split_unmatched

from aligner.model import Link

# Gold of an abridged pair: source 1 and target 1 have no counterpart, side by side.
GOLD = [Link((0,), (0,), 1.0), Link((1,), (), 1.0), Link((), (1,), 1.0), Link((2,), (2, 3), 1.0)]


def _pairs(links: list[Link]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(lk.src, lk.tgt) for lk in links]


@pytest.mark.parametrize(
    ("pred", "expected"),
    [
        # the two untranslated sentences linked to each other: split
        (
            [((0,), (0,)), ((1,), (1,)), ((2,), (2, 3))],
            [((0,), (0,)), ((1,), ()), ((), (1,)), ((2,), (2, 3))],
        ),
        # right as it is: nothing split
        (_pairs(GOLD), _pairs(GOLD)),
        # an untranslated sentence glued to a translated one: not this error, kept
        ([((0, 1), (0,)), ((), (1,)), ((2,), (2, 3))], [((0, 1), (0,)), ((), (1,)), ((2,), (2, 3))]),
        # a wrong link of translated sentences: kept
        (
            [((0,), (0,)), ((1,), ()), ((), (1,)), ((2,), (2,)), ((), (3,))],
            [((0,), (0,)), ((1,), ()), ((), (1,)), ((2,), (2,)), ((), (3,))],
        ),
    ],
)
def test_only_links_between_sentences_without_counterpart_are_split(
    pred: list[tuple[tuple[int, ...], tuple[int, ...]]],
    expected: list[tuple[tuple[int, ...], tuple[int, ...]]],
) -> None:
    links = [Link(s, t, 0.5) for s, t in pred]
    out = split_unmatched(GOLD, links)
    assert _pairs(out) == expected
    assert all(lk.score == 0.5 for lk in out)
    # every sentence is still covered once
    assert sorted(i for lk in out for i in lk.src) == sorted(i for lk in links for i in lk.src)
    assert sorted(j for lk in out for j in lk.tgt) == sorted(j for lk in links for j in lk.tgt)
