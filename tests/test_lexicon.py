"""Word translations learned from a document's own links (IBM Model 1), and their use as a signal."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from aligner import lexicon
from aligner.align import search_path
from aligner.encode import CachedEncoder
from aligner.export.links import read_links
from aligner.load import load_document
from aligner.model import AlignConfig
from aligner.split import split

from .conftest import EN_SEED, IT_SEED, SEEDS

# the module, not the function that aligner/__init__ exports under the same name
align_mod = importlib.import_module("aligner.align")

#: A tiny Italian-English bitext: each word is seen in enough contexts for EM to pin it.
BITEXT = [
    ("la casa è grande", "the house is big"),
    ("la casa è piccola", "the house is small"),
    ("il cane è grande", "the dog is big"),
    ("il cane dorme", "the dog sleeps"),
    ("la gatta dorme", "the cat sleeps"),
    ("una casa piccola", "a small house"),
    ("un cane piccolo", "a small dog"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L'Italia, nel 2025, è cresciuta.", ["l", "italia", "nel", "2025", "è", "cresciuta"]),
        ("Über   Zürich!", ["über", "zürich"]),
        ("... -- !!", []),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert lexicon.words(text) == expected


@pytest.mark.parametrize(
    ("source_word", "translation"),
    [("casa", "house"), ("cane", "dog"), ("dorme", "sleeps"), ("grande", "big"), ("gatta", "cat")],
)
def test_ibm_model_1_learns_the_translations_of_a_small_bitext(source_word: str, translation: str) -> None:
    table = lexicon.learn(BITEXT, iterations=10)
    best, prob = table[source_word][0]
    assert best == translation
    assert 0.0 < prob <= 1.0
    # translations are listed likeliest first, at most TOP of them, none below MIN_PROB
    probs = [p for _, p in table[source_word]]
    assert probs == sorted(probs, reverse=True)
    assert len(probs) <= lexicon.TOP and min(probs) >= lexicon.MIN_PROB


def test_an_empty_bitext_learns_nothing() -> None:
    assert lexicon.learn([]) == {}
    assert lexicon.learn([("...", "the house")]) == {}


def test_a_projected_sentence_is_closest_to_its_translation() -> None:
    table = lexicon.learn(BITEXT, iterations=10)
    src = ["la gatta dorme", "il cane è grande"]
    tgt = ["the dog is big", "the cat sleeps", "a small house"]
    s, t = lexicon.translation_vectors(table, src, tgt)
    assert s.shape == (2, lexicon.DIM) and t.shape == (3, lexicon.DIM)
    s = s / np.linalg.norm(s, axis=1, keepdims=True)
    t = t / np.linalg.norm(t, axis=1, keepdims=True)
    assert list((s @ t.T).argmax(axis=1)) == [1, 0]


def _seed_sentences() -> tuple[list[str], list[str]]:
    src = [s.text for s in split(load_document(IT_SEED), "it")]
    tgt = [s.text for s in split(load_document(EN_SEED), "en")]
    return src, tgt


def test_the_learned_signal_keeps_the_seed_pair_exact(encoder: CachedEncoder, monkeypatch) -> None:
    # The seed pair has 10 links, under MIN_PAIRS: lower it so that a table is learned.
    monkeypatch.setattr(lexicon, "MIN_PAIRS", 5)
    src, tgt = _seed_sentences()
    config = AlignConfig(learned_weight=0.5)
    path = search_path(encoder.encode(src), encoder.encode(tgt), src, tgt, config)
    assert len(path.scorer.lexical) == 1  # the learned signal was added
    gold = read_links((SEEDS / "000-001.gold").read_text().splitlines())
    got = [(tuple(range(s.i, s.i + s.a)), tuple(range(s.j, s.j + s.b))) for s in path.steps]
    assert got == [(g.src, g.tgt) for g in gold]


def test_too_few_confident_links_learn_nothing(encoder: CachedEncoder) -> None:
    src, tgt = _seed_sentences()
    assert len(src) < lexicon.MIN_PAIRS
    vs, vt = encoder.encode(src), encoder.encode(tgt)
    learned = search_path(vs, vt, src, tgt, AlignConfig(learned_weight=0.5))
    plain = search_path(vs, vt, src, tgt, AlignConfig())
    assert learned.scorer.lexical == [] and learned.steps == plain.steps


def test_only_confident_links_are_learned_from(encoder: CachedEncoder, monkeypatch) -> None:
    seen: list[list[tuple[str, str]]] = []
    real = lexicon.learn

    def spy(pairs, iterations=lexicon.ITERATIONS):
        seen.append(list(pairs))
        return real(pairs, iterations)

    monkeypatch.setattr(lexicon, "MIN_PAIRS", 5)
    monkeypatch.setattr(lexicon, "learn", spy)
    monkeypatch.setattr(align_mod, "LEARN_MIN_SCORE", 1.01)  # no link is that sure
    src, tgt = _seed_sentences()
    path = search_path(encoder.encode(src), encoder.encode(tgt), src, tgt, AlignConfig(learned_weight=0.5))
    assert seen == [] and path.scorer.lexical == []
    monkeypatch.setattr(align_mod, "LEARN_MIN_SCORE", 0.5)
    search_path(encoder.encode(src), encoder.encode(tgt), src, tgt, AlignConfig(learned_weight=0.5))
    assert len(seen) == 1 and len(seen[0]) == len(src)  # the ten seed links, all confident
    assert (src[0], tgt[0]) in seen[0]
