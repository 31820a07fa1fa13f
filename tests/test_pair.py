"""Document pairing: evidence, one-to-one assignment, reasons for the unpaired."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.encode import CachedEncoder
from aligner.load import load_document
from aligner.model import PairConfig
from aligner.pair import DocProfile, candidates, centroid, evidence, pair_documents, profile
from aligner.split import split

from .conftest import SEEDS

#: Sentence vectors of the profiles made below, by document id.
VECTORS: dict[str, np.ndarray] = {}


def _profile(doc_id: str, lang: str, vectors: np.ndarray, numbers=(), names=(), chars=1000, date=None):
    # ``lang`` names the side in the calls below; pairing itself does not read it.
    VECTORS[doc_id] = vectors.astype(np.float32)
    return DocProfile(doc_id, centroid(VECTORS[doc_id]), frozenset(numbers), frozenset(names), chars, date)


def _evidence(src: DocProfile, tgt: DocProfile) -> dict[str, float]:
    return evidence(src, tgt, VECTORS[src.id], VECTORS[tgt.id])


def _pair(sources, targets, config=None):
    return pair_documents(sources, targets, config or PairConfig(), VECTORS.__getitem__)


def _unit_rows(seed: int, n: int, dim: int = 384) -> np.ndarray:
    """Random unit rows; 384 dimensions, as the real model's vectors."""
    v = np.random.default_rng(seed).normal(size=(n, dim))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_seeds_pair_000_with_001_and_nothing_else(encoder: CachedEncoder) -> None:
    profiles, vectors = {}, {}
    for path in sorted(SEEDS.glob("*.txt")):
        lang = "en" if path.name.startswith("001") else "it"
        doc = load_document(path)
        sents = split(doc, lang)
        vectors[path.name] = encoder.encode([s.text for s in sents])
        profiles[path.name] = profile(doc, sents, vectors[path.name])
    it = [p for name, p in profiles.items() if not name.startswith("001")]
    en = [profiles["001_2311b19d4785c162.txt"]]
    pairs, unpaired = pair_documents(it, en, PairConfig(), vectors.__getitem__)
    assert [(p.src, p.tgt) for p in pairs] == [("000_4f42991440b6f2b5.txt", "001_2311b19d4785c162.txt")]
    assert pairs[0].score > 0.9
    assert sorted(u.doc for u in unpaired) == [
        "002_abf4a547a46e6000.txt",
        "003_9f66fee8583b8b08.txt",
        "004_949a5f54501a7c62.txt",
    ]
    for u in unpaired:
        assert u.best_candidate == "001_2311b19d4785c162.txt"
        assert u.best_score is not None and u.best_score < 0.5
        assert "below the threshold" in u.reason


def _on_topic(rows: np.ndarray, topic: np.ndarray) -> np.ndarray:
    v = 2.0 * topic + rows
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_translation_evidence_beats_same_topic() -> None:
    # Three documents on one topic: every sentence pair has a high cosine, but
    # only the translation has a close match for each sentence.
    topic = _unit_rows(0, 1)
    base = _on_topic(_unit_rows(1, 8), topic)
    twin_rows = _on_topic(_unit_rows(1, 8) + 0.1 * _unit_rows(2, 8), topic)
    other_rows = _on_topic(_unit_rows(3, 8), topic)
    src = _profile("a.txt", "it", base, numbers={"2025", "7500"}, names={"putin"}, chars=1000)
    twin = _profile("b.txt", "en", twin_rows, numbers={"2025", "7500"}, names={"putin"}, chars=920)
    other = _profile("c.txt", "en", other_rows, numbers={"1999"}, names={"draghi"}, chars=400)
    assert float(np.median(base @ other_rows.T)) > 0.6  # same topic indeed
    ev_twin, ev_other = _evidence(src, twin), _evidence(src, other)
    assert ev_twin["numbers"] == 1.0 and ev_other["numbers"] == 0.0
    assert ev_twin["embedding"] > 0.9 > 0.1 > ev_other["embedding"]
    assert ev_twin["length"] > ev_other["length"]
    for ev in (ev_twin, ev_other):
        assert all(0.0 <= v <= 1.0 for k, v in ev.items() if k != "date")


@pytest.mark.parametrize(
    ("d1", "d2", "expected"),
    [("2025-11-25", "2025-11-25", 1.0), ("2025-11-25", "2025-11-26", -1.0), ("2025-11-25", None, 0.0)],
)
def test_date_evidence(d1, d2, expected) -> None:
    v = _unit_rows(4, 3)
    assert _evidence(_profile("a", "it", v, date=d1), _profile("b", "en", v, date=d2))["date"] == expected


def test_assignment_is_one_to_one_and_order_independent() -> None:
    rows = [_unit_rows(k, 6) for k in range(3)]
    its = [_profile(f"it{k}.txt", "it", rows[k], numbers={str(k)}) for k in range(3)]
    ens = [_profile(f"en{k}.txt", "en", rows[k], numbers={str(k)}) for k in range(3)]
    pairs, unpaired = _pair(its, ens)
    assert [(p.src, p.tgt) for p in pairs] == [(f"it{k}.txt", f"en{k}.txt") for k in range(3)]
    assert unpaired == []
    again, _ = _pair(its[::-1], ens[::-1])
    assert again == pairs


def test_second_best_is_told_it_lost() -> None:
    rows = _unit_rows(7, 6)
    a = _profile("a.txt", "it", rows, numbers={"1", "2"})
    b = _profile("b.txt", "it", rows, numbers={"1"})  # same text, fewer shared numbers
    e = _profile("e.txt", "en", rows, numbers={"1", "2"})
    pairs, unpaired = _pair([a, b], [e])
    assert [(p.src, p.tgt) for p in pairs] == [("a.txt", "e.txt")]
    assert unpaired[0].doc == "b.txt" and "was paired with a.txt" in unpaired[0].reason


def test_no_target_at_all() -> None:
    a = _profile("a.txt", "it", _unit_rows(8, 3))
    pairs, unpaired = _pair([a], [])
    assert pairs == [] and unpaired[0].reason == "no en document to pair with"


def test_far_dates_are_never_compared() -> None:
    rows = _unit_rows(9, 4)
    a = _profile("a.txt", "it", rows, date="2025-11-25")
    near = _profile("near.txt", "en", rows, date="2025-11-26")
    far = _profile("far.txt", "en", rows, date="2025-12-25")
    undated = _profile("undated.txt", "en", rows)
    found = candidates([a], [near, far, undated], PairConfig(date_window=2))
    assert found == [(0, 0), (0, 2)]
    pairs, unpaired = _pair([a], [far], PairConfig(date_window=2))
    assert pairs == [] and unpaired[0].doc == "a.txt"
    assert unpaired[0].reason == (
        "no en document dated within 2 day(s) of 2025-11-25 "
        "(aligner run --date-window DAYS compares documents dated further apart)"
    )


def test_candidates_grow_linearly_not_quadratically() -> None:
    # 300 sources and 300 targets: an all-pairs pairing would score 90,000.
    n, k = 300, 4
    its = [_profile(f"it{i:03}.txt", "it", _unit_rows(1000 + i, 3), numbers={f"{i}0{i}"}) for i in range(n)]
    ens = [_profile(f"en{i:03}.txt", "en", _unit_rows(1000 + i, 3), numbers={f"{i}0{i}"}) for i in range(n)]
    found = candidates(its, ens, PairConfig(candidates=k))
    assert len(found) <= 3 * k * n
    assert all((i, i) in set(found) for i in range(n))
    pairs, unpaired = _pair(its, ens, PairConfig(candidates=k))
    assert [(p.src[2:], p.tgt[2:]) for p in pairs] == [(f"{i:03}.txt", f"{i:03}.txt") for i in range(n)]
    assert unpaired == []


def test_shared_rare_keys_find_what_the_vectors_miss() -> None:
    # The target's vectors point elsewhere (a poor embedding), but it shares a
    # rare number and a name with the source: the key route makes it a candidate.
    decoys = [_profile(f"d{i}.txt", "en", _unit_rows(50, 3) + 0.01 * _unit_rows(60 + i, 3)) for i in range(5)]
    src = _profile("s.txt", "it", _unit_rows(50, 3), numbers={"7500"}, names={"tokayev"})
    twin = _profile("t.txt", "en", _unit_rows(70, 3), numbers={"7500"}, names={"tokayev"})
    other = _profile("o.txt", "it", _unit_rows(70, 3))  # the twin's nearest source
    keyless = _profile("k.txt", "en", _unit_rows(70, 3))
    cfg = PairConfig(candidates=1)
    assert (0, 5) in candidates([src, other], [*decoys, twin], cfg)
    assert (0, 5) not in candidates([src, other], [*decoys, keyless], cfg)


@pytest.mark.parametrize(
    ("it_name", "paired"),
    [
        ("000_4f42991440b6f2b5.txt", True),  # the translation
        ("002_abf4a547a46e6000.txt", False),  # same region and week, another story
        ("003_9f66fee8583b8b08.txt", False),
        ("004_949a5f54501a7c62.txt", False),
    ],
)
def test_a_folder_of_two_files_pairs_only_a_translation(
    encoder: CachedEncoder, it_name: str, paired: bool
) -> None:
    # Alone, a candidate has no rival to lead: the absolute evidence must decide.
    profiles, vectors = [], {}
    for name, lang in ((it_name, "it"), ("001_2311b19d4785c162.txt", "en")):
        doc = load_document(SEEDS / name)
        sents = split(doc, lang)
        vectors[name] = encoder.encode([s.text for s in sents])
        profiles.append(profile(doc, sents, vectors[name]))
    pairs, unpaired = pair_documents(profiles[:1], profiles[1:], PairConfig(), vectors.__getitem__)
    assert bool(pairs) == paired
    assert len(unpaired) == (0 if paired else 2)
