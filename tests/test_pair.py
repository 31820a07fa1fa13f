"""Document pairing: evidence, one-to-one assignment, reasons for the unpaired."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.encode import CachedEncoder
from aligner.load import load_document
from aligner.model import PairConfig
from aligner.pair import DocProfile, evidence, pair_documents, profile
from aligner.split import split

from .conftest import SEEDS


def _profile(doc_id: str, lang: str, vectors: np.ndarray, numbers=(), names=(), chars=1000, date=None):
    # ``lang`` names the side in the calls below; pairing itself does not read it.
    return DocProfile(doc_id, vectors.astype(np.float32), frozenset(numbers), frozenset(names), chars, date)


def _unit_rows(seed: int, n: int, dim: int = 384) -> np.ndarray:
    """Random unit rows; 384 dimensions, as the real model's vectors."""
    v = np.random.default_rng(seed).normal(size=(n, dim))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_seeds_pair_000_with_001_and_nothing_else(encoder: CachedEncoder) -> None:
    profiles = {}
    for path in sorted(SEEDS.glob("*.txt")):
        lang = "en" if path.name.startswith("001") else "it"
        doc = load_document(path)
        sents = split(doc, lang)
        profiles[path.name] = profile(doc, sents, encoder.encode([s.text for s in sents]))
    it = [p for name, p in profiles.items() if not name.startswith("001")]
    en = [profiles["001_2311b19d4785c162.txt"]]
    pairs, unpaired = pair_documents(it, en, PairConfig())
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
    ev_twin, ev_other = evidence(src, twin), evidence(src, other)
    assert ev_twin["numbers"] == 1.0 and ev_other["numbers"] == 0.0
    assert ev_twin["embedding"] > 0.9 > 0.1 > ev_other["embedding"]
    assert ev_twin["length"] > ev_other["length"]
    for ev in (ev_twin, ev_other):
        assert all(0.0 <= v <= 1.0 for v in ev.values())


@pytest.mark.parametrize(
    ("d1", "d2", "expected"),
    [("2025-11-25", "2025-11-25", 1.0), ("2025-11-25", "2024-01-01", 0.0), ("2025-11-25", None, 0.5)],
)
def test_date_evidence(d1, d2, expected) -> None:
    v = _unit_rows(4, 3)
    assert evidence(_profile("a", "it", v, date=d1), _profile("b", "en", v, date=d2))["date"] == expected


def test_assignment_is_one_to_one_and_order_independent() -> None:
    rows = [_unit_rows(k, 6) for k in range(3)]
    its = [_profile(f"it{k}.txt", "it", rows[k], numbers={str(k)}) for k in range(3)]
    ens = [_profile(f"en{k}.txt", "en", rows[k], numbers={str(k)}) for k in range(3)]
    pairs, unpaired = pair_documents(its, ens, PairConfig())
    assert [(p.src, p.tgt) for p in pairs] == [(f"it{k}.txt", f"en{k}.txt") for k in range(3)]
    assert unpaired == []
    again, _ = pair_documents(its[::-1], ens[::-1], PairConfig())
    assert again == pairs


def test_second_best_is_told_it_lost() -> None:
    rows = _unit_rows(7, 6)
    a = _profile("a.txt", "it", rows, numbers={"1", "2"})
    b = _profile("b.txt", "it", rows, numbers={"1"})  # same text, fewer shared numbers
    e = _profile("e.txt", "en", rows, numbers={"1", "2"})
    pairs, unpaired = pair_documents([a, b], [e], PairConfig())
    assert [(p.src, p.tgt) for p in pairs] == [("a.txt", "e.txt")]
    assert unpaired[0].doc == "b.txt" and "was paired with a.txt" in unpaired[0].reason


def test_no_target_at_all() -> None:
    a = _profile("a.txt", "it", _unit_rows(8, 3))
    pairs, unpaired = pair_documents([a], [], PairConfig())
    assert pairs == [] and unpaired[0].reason == "no en document to pair with"
