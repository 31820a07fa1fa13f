"""The quick ways to the same answers: whole distance tables and the stacked search for
small documents, and the bound that spares most links their chrF.

Each is checked against the slow way it replaces, on real documents and on random ones.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics.chrf import CHRF

from aligner import score
from aligner.align import _forward, _forward_table, _full_windows, _moves, align_vectors, type_penalty
from aligner.encode import CachedEncoder
from aligner.load import load_document
from aligner.model import AlignConfig
from aligner.score import UNTRANSLATED_CHRF, LinkScorer, chrf_bound, untranslated
from aligner.split import split

from .conftest import DISPATCHES, EN_SEED, IT_SEED


def _sentences(path, lang):  # type: ignore[no-untyped-def]
    return [s.text for s in split(load_document(path), lang)]


IT = _sentences(IT_SEED, "it")
EN = _sentences(EN_SEED, "en")


# --- the search over whole tables ---------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(0, 7),
    m=st.integers(0, 7),
    max_link=st.integers(1, 4),
    deletion=st.sampled_from([0.3, 0.5, 0.7, 1.0]),
    insertion=st.sampled_from([0.3, 0.5, 0.7, 1.0]),
    seed=st.integers(0, 2**32 - 1),
    ties=st.booleans(),
)
def test_the_stacked_search_gives_the_costs_and_moves_of_the_row_search(
    n: int, m: int, max_link: int, deletion: float, insertion: float, seed: int, ties: bool
) -> None:
    """The same least costs (to the last bit) and the same moves, ties included (costs
    drawn from a few values make many), as the search row by row; the two sides' null
    links may cost differently (an unfaithful pair's)."""
    rng = np.random.default_rng(seed)
    moves = _moves(min(max_link, n), min(max_link, m))
    tables = {
        (a, b): (
            rng.integers(0, 3, (n - a + 1, m - b + 1)) * 0.25 if ties else rng.random((n - a + 1, m - b + 1))
        )
        for a, b in moves
        if a and b
    }

    def row(a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        return tables[a, b][i, js]

    penalties = [type_penalty(a, b, AlignConfig()) for a, b in moves]
    lo, hi = _full_windows(n, m)
    slow_costs, slow_backs = _forward(row, n, m, lo, hi, moves, (deletion, insertion), penalties)
    # The stacked search takes what it charges for each link: (a + b) / 2 times its distance.
    charged = {(a, b): (a + b) / 2.0 * table for (a, b), table in tables.items()}
    fast_costs, fast_backs = _forward_table(
        lambda a, b: charged[a, b], n, m, moves, (deletion, insertion), penalties
    )
    assert len(fast_costs) == len(slow_costs) == n + 1
    for i in range(n + 1):
        assert np.array_equal(fast_costs[i], slow_costs[i]), i
        assert np.array_equal(fast_backs[i], slow_backs[i]), i


def _documents() -> list[tuple[list[str], list[str]]]:
    """The seed pair, four of the test dispatches' pairs, and the seed pair made unfaithful:
    an English that keeps every other sentence, one with two paragraphs swapped."""
    pairs = [(IT, EN), (IT, EN[0::2]), (IT, [*EN[5:], *EN[:5]])]
    for it_name, en_name in (("a1", "b7"), ("c3", "d9"), ("e2", "f5"), ("g4", "h8")):
        pairs.append(
            (_sentences(DISPATCHES / f"{it_name}.txt", "it"), _sentences(DISPATCHES / f"{en_name}.txt", "en"))
        )
    return pairs


@pytest.mark.parametrize("k", range(7))
def test_whole_tables_give_the_links_and_scores_of_row_by_row_scoring(
    encoder: CachedEncoder, monkeypatch: pytest.MonkeyPatch, k: int
) -> None:
    """Small documents are scored from whole tables; with tables turned off (every
    document scored row by row, as long ones are) the links are the same and the scores
    the same to the fourth decimal they are written with."""
    src, tgt = _documents()[k]
    vs, vt = encoder.encode(src), encoder.encode(tgt)
    fast = align_vectors(vs, vt, src, tgt, AlignConfig())
    scorer = LinkScorer(vs, vt, src, tgt, AlignConfig())
    assert scorer.tabled
    monkeypatch.setattr(score, "TABLE_CELLS", 0)
    assert not LinkScorer(vs, vt, src, tgt, AlignConfig()).tabled
    slow = align_vectors(vs, vt, src, tgt, AlignConfig())
    assert [(lk.src, lk.tgt, lk.moved) for lk in fast] == [(lk.src, lk.tgt, lk.moved) for lk in slow]
    assert max(abs(a.score - b.score) for a, b in zip(fast, slow, strict=True)) <= 1e-4


def test_a_table_holds_what_row_and_column_give(encoder: CachedEncoder) -> None:
    vs, vt = encoder.encode(IT), encoder.encode(EN)
    scorer = LinkScorer(vs, vt, IT, EN, AlignConfig())
    for a, b in ((1, 1), (2, 1), (1, 3), (4, 4)):
        table = scorer.table(a, b)
        assert table.shape == (len(IT) - a + 1, len(EN) - b + 1)
        js = np.arange(len(EN) - b + 1)
        assert np.array_equal(scorer.row(a, b, 2, js), table[2])
        assert np.array_equal(scorer.column(a, b, np.arange(len(IT) - a + 1), 3), table[:, 3])
    centred = scorer.centred(scorer.log_ratio + 0.3)
    assert not np.array_equal(centred.table(1, 1), scorer.table(1, 1))  # its own tables


# --- the chrF bound -------------------------------------------------------------------------

_CHRF = CHRF()

#: (hypothesis, reference): translations, copies, near copies, and odd strings.
CHRF_CASES = [
    *zip(IT, EN, strict=True),
    *zip(EN, IT, strict=True),
    *((s, s) for s in IT[:3]),
    (EN[1], EN[1].replace("the", "a")),
    (EN[2], EN[2] + " Reuters"),
    (IT[3], IT[3].upper()),
    (IT[0], IT[1]),
    ("aaaaaaaaaa aaaaaaa", "aaaaaaa aaaaaaaaaaaaaaaa"),
    ("ab ab ab ab ab ab", "ba ba ba ba ba ba"),
    ("Vladimir Putin", "Vladimir Putin"),
    ("x y", "x y z"),
]


@pytest.mark.parametrize(("hyp", "ref"), CHRF_CASES)
def test_the_chrf_bound_is_never_below_chrf(hyp: str, ref: str) -> None:
    assert chrf_bound(hyp, ref) >= _CHRF.sentence_score(hyp, [ref]).score - 1e-9


@settings(max_examples=300, deadline=None)
@given(
    hyp=st.text(alphabet="abc d.", min_size=0, max_size=60),
    ref=st.text(alphabet="abc d.", min_size=0, max_size=60),
)
def test_the_chrf_bound_holds_on_any_text(hyp: str, ref: str) -> None:
    """Few letters make many shared n-grams: the hardest case for the bound."""
    assert chrf_bound(hyp, ref) >= _CHRF.sentence_score(hyp, [ref]).score - 1e-9


def test_the_bound_spares_translations_and_not_copies() -> None:
    """Translations fall below the bar on the bound alone; copies and near copies do not."""
    assert all(chrf_bound(i, e) < UNTRANSLATED_CHRF for i, e in zip(IT, EN, strict=True))
    assert all(untranslated(s, s) for s in IT)
    assert not any(untranslated(i, e) for i, e in zip(IT, EN, strict=True))
