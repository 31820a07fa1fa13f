"""Alignment: hand-checkable cases on synthetic vectors, invariants, and the seed pair."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.align import align, align_vectors
from aligner.encode import CachedEncoder
from aligner.evaluate import evaluate
from aligner.export.links import read_links
from aligner.load import load_document, parse
from aligner.model import AlignConfig, Link, PairInfo
from aligner.split import split

from .conftest import EN_SEED, IT_SEED, SEEDS

DIM = 32


def _basis(k: int) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[k] = 1.0
    return v


def _vecs(rows: list[list[int]]) -> np.ndarray:
    """Each row is a sentence made of the given "concepts" (basis directions)."""
    out = []
    for concepts in rows:
        v = sum((_basis(c) for c in concepts), np.zeros(DIM, dtype=np.float32))
        out.append(v / np.linalg.norm(v))
    return np.stack(out)


def _texts(lengths: list[int]) -> list[str]:
    """Sentences of the given lengths (only their length matters to these tests)."""
    return ["x" * n for n in lengths]


def _links(src: list[list[int]], tgt: list[list[int]]) -> list[tuple]:
    src_texts = _texts([40 * len(c) for c in src])
    tgt_texts = _texts([40 * len(c) for c in tgt])
    links = align_vectors(_vecs(src), _vecs(tgt), src_texts, tgt_texts, AlignConfig())
    return [(lk.src, lk.tgt) for lk in links]


@pytest.mark.parametrize(
    ("src", "tgt", "expected"),
    [
        # plain 1-1 throughout
        ([[0], [1], [2]], [[0], [1], [2]], [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]),
        # a long untranslated passage must not skew the length model (second pass)
        (
            [[0], [1], [2], [3], [4], [5], [20, 21, 22, 23, 24, 25, 26, 27], [6]],
            [[0], [1], [2], [3], [4], [5], [6]],
            [*[((k,), (k,)) for k in range(6)], ((6,), ()), ((7,), (6,))],
        ),
        # the second source sentence was split in two by the translator: 1-2
        (
            [[0], [1, 2], [3]],
            [[0], [1], [2], [3]],
            [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))],
        ),
        # two source sentences joined in translation: 2-1
        (
            [[0], [1], [2], [3]],
            [[0], [1, 2], [3]],
            [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))],
        ),
        # a source sentence with no translation (a longer, unrelated one): 1-0
        (
            [[0], [1], [9, 10, 11], [2], [3], [4], [5]],
            [[0], [1], [2], [3], [4], [5]],
            [((0,), (0,)), ((1,), (1,)), ((2,), ()), *[((k + 1,), (k,)) for k in range(2, 6)]],
        ),
        # an added target sentence: 0-1
        (
            [[0], [1], [2], [3], [4], [5]],
            [[0], [9, 10, 11], [1], [2], [3], [4], [5]],
            [((0,), (0,)), ((), (1,)), *[((k,), (k + 1,)) for k in range(1, 6)]],
        ),
    ],
)
def test_small_cases_worked_by_hand(src, tgt, expected) -> None:
    assert _links(src, tgt) == expected


@pytest.mark.parametrize(("n", "m"), [(0, 3), (3, 0), (1, 1), (5, 9), (9, 5), (30, 31)])
def test_links_cover_every_sentence_once_in_order(n: int, m: int) -> None:
    rng = np.random.default_rng(n * 100 + m)
    sv = rng.normal(size=(n, DIM)).astype(np.float32)
    tv = rng.normal(size=(m, DIM)).astype(np.float32)
    sv /= np.maximum(np.linalg.norm(sv, axis=1, keepdims=True), 1e-9)
    tv /= np.maximum(np.linalg.norm(tv, axis=1, keepdims=True), 1e-9)
    config = AlignConfig()
    links = align_vectors(sv, tv, _texts([50] * n), _texts([50] * m), config)
    assert [i for lk in links for i in lk.src] == list(range(n))
    # every target sentence once; in order but for those of links found out of order (moved)
    assert sorted(j for lk in links for j in lk.tgt) == list(range(m))
    in_order = [j for lk in links if not lk.moved for j in lk.tgt]
    assert in_order == sorted(in_order)
    for lk in links:
        assert 0.0 <= lk.score <= 1.0
        assert lk.src or lk.tgt
        assert len(lk.src) <= config.max_src and len(lk.tgt) <= config.max_tgt


def test_band_gives_the_same_links_on_a_near_diagonal_pair() -> None:
    src = [[k % DIM] for k in range(40)]
    texts = _texts([50] * 40)
    full = align_vectors(_vecs(src), _vecs(src), texts, texts, AlignConfig())
    banded = align_vectors(_vecs(src), _vecs(src), texts, texts, AlignConfig(band=5))
    assert full == banded


def test_a_link_to_an_unrelated_sentence_scores_low(encoder: CachedEncoder) -> None:
    # The seed pair with one English sentence replaced by an unrelated one: the
    # translations keep high scores, the link to the stranger does not.
    english = EN_SEED.read_text(encoding="utf-8").replace(
        "Kyrgyzstan is of course not rich in natural resources, but it has strategic strength.",
        "The recipe calls for two cups of flour, a pinch of salt and fresh butter.",
    )
    src = split(load_document(IT_SEED), "it")
    tgt = split(parse(english, "en.txt"), "en")
    links = align(src, tgt, encoder, AlignConfig(), PairInfo("it", "en")).links
    stranger = [lk for lk in links if 4 in lk.tgt]
    others = [lk for lk in links if 4 not in lk.tgt and not lk.is_null]
    assert all(lk.score < 0.5 for lk in stranger if lk.src)
    assert min(lk.score for lk in others) > 0.9


def test_seed_pair_matches_gold(encoder: CachedEncoder) -> None:
    src = split(load_document(IT_SEED), "it")
    tgt = split(load_document(EN_SEED), "en")
    al = align(src, tgt, encoder, AlignConfig(), PairInfo("it", "en"))
    gold = read_links((SEEDS / "000-001.gold").read_text().splitlines())
    assert [(lk.src, lk.tgt) for lk in al.links] == [(g.src, g.tgt) for g in gold]
    assert evaluate([gold], [list(al.links)]).strict_f1 == 1.0
    # the translations here are clean: every link is confidently right
    assert min(lk.score for lk in al.links) > 0.5


def test_link_kind_and_null() -> None:
    assert Link((0, 1), (2,), 0.5).kind == "2-1"
    assert Link((3,), (), 0.5).is_null and Link((), (3,), 0.5).kind == "0-1"


class _CountingEncoder:
    """A fake encoder: a text's vector is a hash of it; counts texts embedded."""

    key = "fake"
    name = "fake"
    dim = DIM
    languages = None

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        rows = [np.random.default_rng(sum(map(ord, t))).normal(size=DIM) for t in texts]
        out = np.array(rows, dtype=np.float32).reshape(len(texts), DIM)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_joined_text_embeddings_mix_only_into_multi_sentence_spans() -> None:
    from aligner.score import LinkScorer

    texts = ["Uno.", "Due.", "Tre.", "Quattro."]
    enc = CachedEncoder(_CountingEncoder())
    vecs = enc.encode(texts)
    plain = LinkScorer(vecs, vecs, texts, texts, AlignConfig())
    mixed = LinkScorer(vecs, vecs, texts, texts, AlignConfig(joined_weight=0.5), enc.encode)
    assert np.allclose(plain.emb_s[1], mixed.emb_s[1])
    assert not np.allclose(plain.emb_s[2], mixed.emb_s[2])
    # each distinct text embedded once: 4 sentences, 3 pairs, 2 triples, 1 quadruple, though both sides ask
    assert len(enc.inner.seen) == 4 + 3 + 2 + 1
    assert len(set(enc.inner.seen)) == len(enc.inner.seen)


def _boundaries(src: list[list[int]], tgt: list[list[int]], band: int = 0) -> tuple[list[tuple], list[float]]:
    from aligner.align import search_path

    src_texts = _texts([40 * len(c) for c in src])
    tgt_texts = _texts([40 * len(c) for c in tgt])
    path = search_path(_vecs(src), _vecs(tgt), src_texts, tgt_texts, AlignConfig(band=band))
    links = [(tuple(range(s.i, s.i + s.a)), tuple(range(s.j, s.j + s.b))) for s in path.steps]
    return links, path.boundary


def test_boundary_margins_are_large_where_every_cut_is_clear() -> None:
    links, margins = _boundaries([[k] for k in range(6)], [[k] for k in range(6)])
    assert links == [((k,), (k,)) for k in range(6)]
    assert all(m > 1.0 for m in margins)


def test_boundary_margin_is_small_where_a_sentence_could_go_either_way() -> None:
    # Target sentence 2 says what source 1 and source 2 both say: it could close
    # the link of source 1 or open that of source 2; the clear links far from it
    # keep large margins.
    src = [[0], [1, 9], [9, 2], [3], [4], [5], [6]]
    tgt = [[0], [1], [9], [2], [3], [4], [5], [6]]
    links, margins = _boundaries(src, tgt)
    near = [m for (s, t), m in zip(links, margins, strict=True) if 2 in t]
    far = [m for (s, t), m in zip(links, margins, strict=True) if s and s[0] >= 4]
    assert max(near) < 0.5 < min(far)


@pytest.mark.parametrize("band", [0, 3])
@pytest.mark.parametrize(("n", "m"), [(1, 1), (5, 3), (3, 5), (30, 27)])
def test_boundary_margins_one_per_link_between_zero_and_the_cap(n: int, m: int, band: int) -> None:
    from aligner.align import BOUNDARY_CAP

    rng = np.random.default_rng(n * 100 + m)
    src = [[int(c)] for c in rng.integers(0, DIM, n)]
    tgt = [[int(c)] for c in rng.integers(0, DIM, m)]
    links, margins = _boundaries(src, tgt, band)
    assert len(margins) == len(links)
    # no path is cheaper than the best one, so no margin is negative
    assert all(-1e-9 <= mg <= BOUNDARY_CAP for mg in margins)
