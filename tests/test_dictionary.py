"""Bilingual dictionaries (FreeDict's dictd files) and their use as a lexical signal."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from aligner_cli.common import OK, USAGE
from aligner_cli.main import app
from typer.testing import CliRunner

from aligner import dictionary
from aligner.align import search_path
from aligner.encode import CachedEncoder
from aligner.load import load_document
from aligner.model import AlignConfig
from aligner.score import span_vectors
from aligner.split import split

from .conftest import EN_SEED, IT_SEED

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

#: Entries as FreeDict's ita-eng and eng-ita dictionaries write them (headword, entry text).
ITA_ENG = [
    ("00databaseshort", "Italian-English FreeDict Dictionary\n"),
    ("casa", "casa /kˈaza/\n1. house\n2. home\n"),
    ("governo", "governo /ɡovˈɛrno/\nadministration, government\n"),
    ("montagna", "montagna /montˈaɲɲa/\nmountain\n"),
    ("lunedì", "lunedì /lunedˈi/\nMonday\n"),
    ("a cappella", "a cappella\nunaccompanied\n"),  # not one word: left out
]
ENG_ITA = [
    ("snow", "snow /snəʊ/\nneve\n"),
    ("mountain", "mountain /ˈmaʊntɪn/\nmonte, montagna\n"),
]


def _b64(value: int) -> str:
    digits = ""
    while True:
        digits = _B64[value % 64] + digits
        value //= 64
        if not value:
            return digits


def write_dictd(folder: Path, name: str, entries: list[tuple[str, str]], packed: bool = True) -> Path:
    """Write a dictd dictionary: ``name.index`` and ``name.dict.dz`` (gzip) or ``name.dict``."""
    data, lines = b"", []
    for head, text in entries:
        raw = text.encode("utf-8")
        lines.append(f"{head}\t{_b64(len(data))}\t{_b64(len(raw))}")
        data += raw
    (folder / f"{name}.index").write_text("\n".join(lines) + "\n", "utf-8")
    if packed:
        with gzip.open(folder / f"{name}.dict.dz", "wb") as out:
            out.write(data)
    else:
        (folder / f"{name}.dict").write_bytes(data)
    return folder / f"{name}.index"


@pytest.fixture()
def dict_dir(tmp_path: Path) -> Path:
    write_dictd(tmp_path, "freedict-ita-eng", ITA_ENG)
    write_dictd(tmp_path, "freedict-eng-ita", ENG_ITA, packed=False)
    dictionary.load.cache_clear()
    return tmp_path


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("casa /kˈaza/\n1. house\n2. home\n", ["house", "home"]),
        ("governo /ɡovˈɛrno/\nadministration, government\n", ["administration", "government"]),
        (
            "Antartico /antˈartiko/\n1. Antarctic\n2. the Antarctic\n",
            ["antarctic"],
        ),  # "the Antarctic": 2 words
        # WikDict style: definitions in the source language under each sense are not translations
        (
            "Berg /bɛʁk/ <n, masc>\n1. montagne, amoncellement, mont\ngroße, steile Erhebung\n"
            "2. mine\nfeste Erdkruste; „im Berg“\n",
            ["montagne", "amoncellement", "mont", "mine"],
        ),
        ("Aufstieg /ˈaʊ̯fˌʃtiːk/ <n, masc>\nascension\ndas Emporsteigen, Hinaufsteigen\n", ["ascension"]),
        ("Gipfel /ˈɡɪp͡fl̩/ <n, masc>\n1. sommet 2.\nhöchste Stelle eines Berges\n 3.\n", ["sommet"]),
        ("Haus /haʊ̯s/\n3. gars, type (Französisch)\n", ["gars", "type"]),
        ("leer\n", []),
    ],
)
def test_translations_of_an_entry(entry: str, expected: list[str]) -> None:
    assert dictionary.translations(entry) == expected


def test_read_dictd_keeps_one_word_headwords(dict_dir: Path) -> None:
    got, identity = dictionary.read_dictd(dict_dir / "freedict-ita-eng.index")
    assert re.fullmatch(r"freedict-ita-eng@[0-9a-f]{8}", identity)
    assert got == {
        "casa": {"house", "home"},
        "governo": {"administration", "government"},
        "montagna": {"mountain"},
        "lunedì": {"monday"},
    }


def test_load_merges_both_directions(dict_dir: Path) -> None:
    got = dictionary.load("it", "en", str(dict_dir)).words
    # eng-ita inverted: neve -> snow, monte -> mountain; montagna gets "mountain" from both
    assert got["neve"] == {"snow"} and got["monte"] == {"mountain"} and got["montagna"] == {"mountain"}
    assert got["casa"] == {"house", "home"}
    # and the other way round, for an English source
    back = dictionary.load("en", "it", str(dict_dir)).words
    assert (
        back["house"] == {"casa"} and back["snow"] == {"neve"} and back["mountain"] == {"montagna", "monte"}
    )


def test_files_for_a_pair(dict_dir: Path) -> None:
    assert dictionary.files_for("it", "en", dict_dir) == [
        (dict_dir / "freedict-ita-eng.index", False),
        (dict_dir / "freedict-eng-ita.index", True),
    ]
    assert dictionary.files_for("de", "fr", dict_dir) == []


def test_identity_names_the_files_and_changes_with_them(dict_dir: Path) -> None:
    first = dictionary.load("it", "en", str(dict_dir)).identity
    assert re.fullmatch(r"freedict-ita-eng@[0-9a-f]{8}\+freedict-eng-ita@[0-9a-f]{8}", first)
    assert dictionary.load("en", "it", str(dict_dir)).identity.split("+") == first.split("+")[::-1]
    write_dictd(dict_dir, "freedict-eng-ita", [*ENG_ITA, ("valley", "valley\nvalle\n")], packed=False)
    dictionary.load.cache_clear()
    second = dictionary.load("it", "en", str(dict_dir)).identity
    assert second.split("+")[0] == first.split("+")[0] and second.split("+")[1] != first.split("+")[1]


def test_a_missing_dictionary_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(dictionary.DictionaryError) as err:
        dictionary.load("de", "fr", str(tmp_path))
    assert str(tmp_path) in str(err.value) and "apt install dict-freedict-deu-fra" in str(err.value)


@pytest.mark.parametrize(
    ("index_text", "problem"),
    [
        ("casa\tA\n", ":1: expected 'headword<TAB>offset<TAB>length'"),
        ("casa\tA\tB\nneve\t!!\tB\n", ":2: '!!' is not a dictd base64 number"),
    ],
)
def test_a_broken_index_names_file_and_line(tmp_path: Path, index_text: str, problem: str) -> None:
    (tmp_path / "x.index").write_text(index_text, "utf-8")
    (tmp_path / "x.dict").write_text("casa\nhouse\n", "utf-8")
    with pytest.raises(dictionary.DictionaryError) as err:
        dictionary.read_dictd(tmp_path / "x.index")
    assert f"{tmp_path / 'x.index'}{problem}" in str(err.value)


def test_an_index_without_its_data_file(tmp_path: Path) -> None:
    (tmp_path / "x.index").write_text("casa\tA\tB\n", "utf-8")
    with pytest.raises(dictionary.DictionaryError, match=r"no x\.dict\.dz or x\.dict beside it"):
        dictionary.read_dictd(tmp_path / "x.index")


def _cos(src: np.ndarray, tgt: np.ndarray, i: int, j: int) -> float:
    s, t = span_vectors(src, 1), span_vectors(tgt, 1)
    return float(s[i] @ t[j])


def test_lookup_falls_back_on_the_stem(dict_dir: Path) -> None:
    table = dictionary.load("it", "en", str(dict_dir))
    assert table.lookup("casa") == {"house", "home"}
    assert table.lookup("montagne") == {"mountain"}  # not a headword: "montagna" shares its stem
    assert table.lookup("governi") == {"administration", "government"}
    assert table.lookup("case") == frozenset()  # plural of "casa", but the 4th letter differs
    assert table.lookup("buongiorno") == frozenset()


def test_translations_match_across_inflection(dict_dir: Path) -> None:
    table = dictionary.load("it", "en", str(dict_dir))
    src = ["Neve sulle montagne lunedì.", "Il governo resta a casa."]
    tgt = ["The government stays at home.", "Snow on the mountains on Monday."]
    s, t = dictionary.dictionary_vectors(table, src, tgt)
    # "montagne" (plural) is found by its stem, "mountains" matches "mountain" by stem;
    # the target words no source word translates ("the", "on", "at") and the source words'
    # other translations ("administration", "house") keep the cosines well below 1
    assert _cos(s, t, 0, 1) > 0.6 and _cos(s, t, 1, 0) > 0.35
    assert _cos(s, t, 0, 0) == pytest.approx(0.0) and _cos(s, t, 1, 1) == pytest.approx(0.0)


def test_words_without_translation_give_a_zero_row(dict_dir: Path) -> None:
    table = dictionary.load("it", "en", str(dict_dir))
    s, _ = dictionary.dictionary_vectors(table, ["Buongiorno a tutti."], ["Good morning."])
    assert not s.any()


def test_the_dictionary_signal_keeps_the_seed_pair_exact(encoder: CachedEncoder, dict_dir: Path) -> None:
    src = [s.text for s in split(load_document(IT_SEED), "it")]
    tgt = [s.text for s in split(load_document(EN_SEED), "en")]
    vs, vt = encoder.encode(src), encoder.encode(tgt)
    table = dictionary.load("it", "en", str(dict_dir))
    signal = (0.3, *dictionary.dictionary_vectors(table, src, tgt))
    with_dict = search_path(vs, vt, src, tgt, AlignConfig(), signals=[signal])
    plain = search_path(vs, vt, src, tgt, AlignConfig())
    assert len(with_dict.scorer.lexical) == 1
    assert [(s.a, s.b) for s in with_dict.steps] == [(1, 1)] * len(src) == [(s.a, s.b) for s in plain.steps]


def test_cli_dictionary_weight(dict_dir: Path) -> None:
    runner = CliRunner()
    args = ["align", str(IT_SEED), str(EN_SEED), "--dictionary-weight", "0.3"]
    res = runner.invoke(app, [*args, "--dictionary-dir", str(dict_dir)])
    assert res.exit_code == OK, res.output
    sig = ET.fromstring(res.stdout).find("header/prop[@type='x-signature']")
    assert sig is not None and "|dict:0.3(freedict-ita-eng@" in (sig.text or "")
    assert dictionary.load("it", "en", str(dict_dir)).identity in (sig.text or "")
    missing = runner.invoke(app, [*args, "--dictionary-dir", str(dict_dir / "none")])
    assert missing.exit_code == USAGE
    assert (
        "no FreeDict dictionary for it-en" in missing.stderr
        and "apt install dict-freedict-ita-eng" in missing.stderr
    )


_HASH_PROBE = """
import hashlib, itertools, string
from aligner import dictionary
stems = ["".join(p) for p in itertools.islice(itertools.product(string.ascii_lowercase, repeat=4), 0, None, 97)][:400]
table = dictionary.Dictionary.of({"casa": frozenset(s + "x" for s in stems), "neve": frozenset(s + "y" for s in stems[::3])})
tgt = [" ".join(stems[: 50 * k]) for k in range(1, 9)]  # stems in more texts weigh less (idf)
a, b = dictionary.dictionary_vectors(table, ["casa neve casa", "neve casa"], tgt)
print(hashlib.sha256(a.tobytes() + b.tobytes()).hexdigest())
"""


def test_vectors_do_not_depend_on_the_string_hash_seed() -> None:
    # A word with hundreds of translations: many of its stems share a hashed slot,
    # so the order they are added in shows in the float sums.
    digests = {
        subprocess.run(
            [sys.executable, "-c", _HASH_PROBE],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1
