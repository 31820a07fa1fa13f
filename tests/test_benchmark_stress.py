"""The stress benchmark (benchmarks/stress.py): which links its ceiling (``--ceiling``) splits, and how
it counts moved sentences."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from stress import moved_counts, split_unmatched

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


# Two moved gold links: a 2-1 link (two source sentences) and a 1-1 link.
MOVED = [((3, 4), (20,)), ((5,), (21,))]


@pytest.mark.parametrize(
    ("predicted", "right_in_place", "expected"),
    [
        # both linked right, both right in the faithful text too
        ({((3, 4), (20,)), ((5,), (21,))}, {(3, 4), (5,)}, (3, 3, 3, 3)),
        # the 2-1 link missed; the faithful text gets it wrong too: the move is not to blame
        ({((5,), (21,))}, {(5,)}, (3, 1, 1, 1)),
        # the 2-1 link missed though the faithful text gets it right: the move cost it
        ({((3,), (20,)), ((5,), (21,))}, {(3, 4), (5,)}, (3, 1, 3, 1)),
        # the faithful text splits it ((3,) is not (3, 4)): not counted in place
        ({((3, 4), (20,))}, {(3,), (5,)}, (3, 2, 1, 0)),
        # no faithful result known: nothing in place
        ({((3, 4), (20,)), ((5,), (21,))}, set(), (3, 3, 0, 0)),
    ],
)
def test_moved_sentences_are_counted_overall_and_where_the_faithful_link_is_right(
    predicted: set[tuple[tuple[int, ...], tuple[int, ...]]],
    right_in_place: set[tuple[int, ...]],
    expected: tuple[int, int, int, int],
) -> None:
    got = moved_counts(MOVED, predicted, right_in_place)
    assert got == expected
    total, right, in_place, in_place_right = got
    assert right <= total and in_place_right <= in_place <= total and in_place_right <= right
