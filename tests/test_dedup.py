"""Duplicate dispatches: copies and near copies are grouped before pairing; one of each is paired."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aligner.dedup import NEAR, SHINGLE, Duplicate, fingerprint, group_duplicates, set_aside_note
from aligner.load import load_document
from aligner.score import WORD
from aligner.split import split
from aligner.workdir import RunFolder

from .conftest import EN_SEED, IT_SEED, SEEDS, invoke_run

IT = [s.text for s in split(load_document(IT_SEED), "it")]
OTHER_IT = [s.text for s in split(load_document(SEEDS / "002_abf4a547a46e6000.txt"), "it")]


@pytest.mark.parametrize(
    ("variant", "near"),
    [
        (IT, True),  # the same text
        ([s.upper() for s in IT], True),  # case and spacing do not count
        ([" ".join(s.split()) + " " for s in IT], True),
        ([IT[0].replace("Milano", "Roma"), *IT[1:]], True),  # another dateline
        ([*IT[:5], *IT[6:]], True),  # a sentence less
        ([*IT, "Aggiornamento: il presidente ha lasciato Bishkek nel pomeriggio."], True),  # one more
        (IT[:5], False),  # half of it: another document
        (OTHER_IT, False),  # another story
        ([IT[k] for k in (1, 0, 3, 2, 5, 4, 7, 6, 9, 8)], True),  # sentences swapped in pairs
    ],
)
def test_what_counts_as_a_copy(variant: list[str], near: bool) -> None:
    similarity = fingerprint(IT).similarity(fingerprint(variant))
    assert (similarity >= NEAR) is near, similarity


def _shingles(texts: list[str]) -> set[str]:
    words = [w.casefold() for t in texts for w in WORD.findall(t)]
    return {" ".join(words[k : k + SHINGLE]) for k in range(max(1, len(words) - SHINGLE + 1))}


#: Every sentence of the five seed dispatches, in file order.
SEED_SENTENCES = [
    s.text
    for path in sorted(SEEDS.glob("*.txt"))
    for s in split(load_document(path), "en" if path.name.startswith("001") else "it")
]


def test_the_similarity_estimates_the_shared_share_of_the_text() -> None:
    """For dispatches of 4 to 7 consecutive seed sentences that share their first 1 to n - 1
    sentences (1,214 pairs), the MinHash estimate is within 0.2 of the Jaccard similarity of
    the shingles (its standard error at 64 functions is 0.06 at most): a dispatch that shares
    a sentence with another is not its copy. Hash functions that all ordered the shingles
    alike once missed by more than 0.2 on 205 of these pairs (up to 0.61), and set aside 55
    of 1,000 synthetic dispatches as copies of others that shared one sentence with them."""
    errors = []
    for n in range(4, 8):
        for shared in range(1, n):
            for k in range(len(SEED_SENTENCES) - 2 * n):
                a = SEED_SENTENCES[k : k + n]
                b = SEED_SENTENCES[k : k + shared] + SEED_SENTENCES[k + n : k + 2 * n - shared]
                sa, sb = _shingles(a), _shingles(b)
                true = len(sa & sb) / len(sa | sb)
                errors.append((abs(fingerprint(a).similarity(fingerprint(b)) - true), n, shared, k))
    assert len(errors) == 1214
    assert [e for e in errors if e[0] >= 0.2] == []


def test_groups_keep_the_first_name_and_say_how_similar_the_others_are() -> None:
    docs = [
        ("b.txt", fingerprint(IT)),
        ("a.txt", fingerprint([IT[0].replace("Milano", "Roma"), *IT[1:]])),
        ("c.txt", fingerprint(OTHER_IT)),
        ("d.txt", fingerprint(IT)),
        ("e.txt", fingerprint(OTHER_IT)),
    ]
    found = group_duplicates(docs)
    assert [(d.file, d.of) for d in found] == [("b.txt", "a.txt"), ("d.txt", "a.txt"), ("e.txt", "c.txt")]
    assert found[2].similarity == 1.0 and NEAR <= found[0].similarity < 1.0
    assert group_duplicates([]) == [] and group_duplicates(docs[:1]) == []


@pytest.mark.parametrize(
    ("similarities", "said"),
    [
        (
            [1.0],
            "1 other document(s) have the same words as it (case, spacing and punctuation aside), such as b.txt,",
        ),
        (
            [1.0, 1.0],
            "2 other document(s) have the same words as it (case, spacing and punctuation aside), such as b.txt,",
        ),
        (
            [1.0, 0.93],
            "2 other document(s) are copies of it or near copies (similarity 0.93 or more), such as b.txt,",
        ),
        (
            [0.8],
            "1 other document(s) are copies of it or near copies (similarity 0.80 or more), such as b.txt,",
        ),
    ],
)
def test_the_kept_document_is_told_how_alike_its_copies_are(similarities: list[float], said: str) -> None:
    copies = [Duplicate(f"{'bcd'[k]}.txt", "a.txt", s) for k, s in enumerate(similarities)]
    note = set_aside_note(copies)
    assert note.startswith(said)
    assert note.endswith("were set aside: only this one is paired; manifest.json lists them under duplicates")


def test_a_thousand_copies_make_one_group_in_linear_time() -> None:
    """Each copy is compared with a bucket's first document only, never with every other."""
    fp = fingerprint(IT)
    calls = 0
    original = type(fp).similarity

    def counted(self, other):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return original(self, other)

    type(fp).similarity = counted  # type: ignore[method-assign]
    try:
        found = group_duplicates([(f"{k:04d}.txt", fp) for k in range(1000)])
    finally:
        type(fp).similarity = original  # type: ignore[method-assign]
    assert len(found) == 999 and {d.of for d in found} == {"0000.txt"}
    assert calls < 20 * 1000  # 17 keys a document at most, and one similarity per copy reported


def test_copies_of_the_seed_pair_form_one_pair_and_the_rest_are_listed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(40):
        (folder / f"story{k:03d}_it.txt").write_bytes(IT_SEED.read_bytes())
        (folder / f"story{k:03d}_en.txt").write_bytes(EN_SEED.read_bytes())
    ran = invoke_run(folder, tmp_path / "out")
    assert ran.exit_code == 0, ran.output
    assert "1 pair(s) aligned, 0 document(s) unpaired, 78 duplicate(s) set aside" in ran.stdout
    manifest = RunFolder(tmp_path / "out").read_manifest()
    assert [(p.source, p.target, p.links) for p in manifest.pairs] == [
        ("story000_it.txt", "story000_en.txt", {"1-1": 10})
    ]
    assert len(manifest.documents) == 80 and manifest.unpaired == ()
    assert manifest.duplicates[:2] == (
        Duplicate("story001_en.txt", "story000_en.txt", 1.0),
        Duplicate("story001_it.txt", "story000_it.txt", 1.0),
    )
    assert len(manifest.duplicates) == 78
    raw = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert raw["duplicates"][0] == {"file": "story001_en.txt", "of": "story000_en.txt", "similarity": 1.0}
    assert (
        "warning: "
        + str(folder / "story000_it.txt")
        + ": 39 other document(s) have the same words as it (case, spacing and punctuation aside), "
        "such as story001_it.txt, and were set aside: only this one is paired"
    ) in ran.stderr


def test_the_same_english_file_twice_is_one_document_and_a_pair_with_its_italian(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "it.txt").write_bytes(IT_SEED.read_bytes())
    (folder / "en.txt").write_bytes(EN_SEED.read_bytes())
    (folder / "en_again.txt").write_bytes(EN_SEED.read_bytes())
    ran = invoke_run(folder, tmp_path / "out")
    assert ran.exit_code == 0, ran.output
    manifest = RunFolder(tmp_path / "out").read_manifest()
    assert [(p.source, p.target) for p in manifest.pairs] == [("it.txt", "en.txt")]
    assert manifest.duplicates == (Duplicate("en_again.txt", "en.txt", 1.0),)
