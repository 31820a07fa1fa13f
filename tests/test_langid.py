"""Language identification: py3langid's answers, its model read from an uncompressed copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from aligner import langid, modelcache

from .conftest import EN_SEED, IT_SEED

TEXTS = [
    IT_SEED.read_text(encoding="utf-8"),
    EN_SEED.read_text(encoding="utf-8"),
    "Il Consiglio dei ministri ha approvato il decreto.",
    "The board met on Monday to discuss the budget.",
    "Der Bundesrat hat die Vorlage am Montag angenommen.",
    "Le conseil a adopté le budget lundi.",
    "ROMA, 25 NOVEMBRE (ASKANEWS) - IL GOVERNO",  # all upper case: py3langid lowers it
    "Ελληνικά κείμενα για δοκιμή.",
    "12345 67 890",
    "",
    "🙂🙂🙂",
    "<script>alert(1)</script>",
]


@pytest.fixture()
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder, and the identifier loaded anew."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    langid._identifier.cache_clear()
    yield tmp_path / "aligner"
    langid._identifier.cache_clear()


def _copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("py3langid-*.npz"))


@pytest.mark.parametrize("text", TEXTS)
def test_the_same_answer_as_py3langid_itself(text: str) -> None:
    stock = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    assert langid._identifier().classify(text) == stock.classify(text)
    assert langid._identifier().rank(text) == stock.rank(text)


def test_the_first_load_writes_an_uncompressed_copy_and_the_next_reads_it(
    fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = langid.identify(TEXTS[2])
    [copy] = _copies(fresh)
    assert copy.stat().st_size > 10 * 2**20  # unpacked: the packaged file is 4.5 MB
    langid._identifier.cache_clear()

    def no_unpacking(source: Path) -> modelcache.Arrays:
        raise AssertionError("the copy was there: nothing to unpack")

    monkeypatch.setattr(langid, "_unpack", no_unpacking)
    assert langid.identify(TEXTS[2]) == first == langid.LangGuess("it", first.confidence)


@pytest.mark.parametrize("damage", ["broken copy", "cut short", "folder is a file"])
def test_a_cache_that_cannot_be_used_means_unpacking_as_before(fresh: Path, damage: str) -> None:
    expected = langid.identify(TEXTS[3])
    [copy] = _copies(fresh)
    langid._identifier.cache_clear()
    if damage == "broken copy":
        copy.write_bytes(b"not a zip file")
    elif damage == "cut short":
        copy.write_bytes(copy.read_bytes()[: 2**20])
    else:
        copy.unlink()
        fresh.rmdir()
        fresh.write_text("a file where the cache folder should be")
    assert langid.identify(TEXTS[3]) == expected
    if damage != "folder is a file":
        [again] = _copies(fresh)  # rewritten whole
        assert again.stat().st_size > 10 * 2**20
    assert not list(fresh.parent.rglob("*.tmp"))


def test_the_automaton_depth_listed_for_this_py3langid_is_its_own() -> None:
    """Every state of py3langid's automaton is reached first, from the start, by the
    feature prefix it stands for: a breadth-first walk finds the longest one. The
    identifier reads every position from that many bytes back."""
    from importlib.metadata import version

    import numpy as np

    listed = langid.AUTOMATON_DEPTH.get(version("py3langid"))
    if listed is None:
        pytest.skip("this py3langid's automaton is walked a byte at a time, as py3langid does")
    stock = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    moves = np.frombuffer(stock.tk_nextmove, dtype=f"u{stock.tk_nextmove.itemsize}").astype(np.intp)
    rows = np.frombuffer(stock.tk_row, dtype=f"u{stock.tk_row.itemsize}").astype(np.intp) << 8
    seen = np.zeros(len(rows), dtype=bool)
    seen[0] = True
    frontier, depth = np.array([0]), 0
    while True:
        reached = np.unique(moves[rows[frontier][:, None] + np.arange(256)[None, :]])
        frontier = reached[~seen[reached]]
        if not frontier.size:
            break
        seen[frontier] = True
        depth += 1
    assert seen.all()
    assert depth == listed


def test_a_py3langid_whose_depth_is_not_listed_is_walked_as_py3langid_walks_it(
    fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(langid, "AUTOMATON_DEPTH", {})
    stock = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    for text in TEXTS:
        assert langid._identifier().classify(text) == stock.classify(text)
