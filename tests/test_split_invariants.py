"""Invariants of the sentence splitter: offsets, order, coverage and length caps."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.model import Sentence
from aligner.split import MAX_SENTENCE_CHARS, get_splitter, split_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_LANGS = {"000": "it", "001": "en", "002": "it", "003": "it", "004": "it"}
_DATE_TOKEN = re.compile(r"^\s*date\s+\S+\s+")


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _non_space(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


def _check_sentences(text: str, sentences: list[Sentence]) -> None:
    """The invariants every result of ``split_text`` must satisfy."""
    assert [s.index for s in sentences] == list(range(len(sentences)))
    previous_end = 0
    for s in sentences:
        assert 0 <= previous_end <= s.start < s.end <= len(text), (previous_end, s)
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip(), repr(s.text)
        assert len(s.text) <= MAX_SENTENCE_CHARS
        previous_end = s.end
    assert "".join(_non_space(s.text) for s in sentences) == _non_space(text)


# --- (a) every seed file --------------------------------------------------


@pytest.mark.parametrize(("prefix", "lang"), sorted(SEED_LANGS.items()))
def test_seed_offsets_and_order(prefix: str, lang: str) -> None:
    text = _seed(prefix)
    sentences = split_text(text, lang)
    assert sentences
    _check_sentences(text, sentences)
    paragraphs = [s.paragraph for s in sentences]
    assert paragraphs == sorted(paragraphs)
    assert paragraphs[0] == 0


def test_seed_files_are_all_covered() -> None:
    assert sorted(p.name[:3] for p in SEEDS.glob("*.txt")) == sorted(SEED_LANGS)


# --- (b) the gold pair 000/001 --------------------------------------------


def test_date_token_regex() -> None:
    assert _DATE_TOKEN.sub("", " date 2025-11-25 Milano, 25 nov.") == "Milano, 25 nov."
    assert _DATE_TOKEN.sub("", " date 2022-07 L’invasione") == "L’invasione"
    assert _DATE_TOKEN.sub("", "Milan, November 25") == "Milan, November 25"


def test_seed_pair_sentence_counts() -> None:
    it_text = _DATE_TOKEN.sub("", _seed("000"), count=1)
    en_text = _DATE_TOKEN.sub("", _seed("001"), count=1)
    assert it_text.startswith("Milano, 25 nov. (askanews)")
    it_sents = split_text(it_text, "it")
    en_sents = split_text(en_text, "en")
    assert len(it_sents) == 10
    assert len(en_sents) == 10
    assert not [s.text for s in it_sents if s.text.endswith("nov.")]
    assert it_sents[0].text.startswith("Milano, 25 nov. (askanews) – Vladimir Putin")
    assert en_sents[0].text.startswith("Milan, November 25 (askanews) – Vladimir Putin")
    # The hand-checked gold alignment links ten 1-1 pairs over these sentences.
    gold = (SEEDS / "000-001.gold").read_text(encoding="utf-8").split()
    assert gold == [f"[{i}]:[{i}]" for i in range(10)]


# --- (c) property tests ---------------------------------------------------

WORDS = [
    "il", "governo", "Roma", "Putin", "ha", "detto", "che", "la", "Russia", "è", "pronta",
    "the", "Senate", "said", "on", "Tuesday", "it", "would", "vote", "Kazakistan", "l’influenza",
    "dell'Asia", "iPhone", "E", "Il", "The", "Poi", "Nessuno", "and", "Astana", "C5+1", "Putin-Trump",
]  # fmt: skip
ABBREVIATIONS = [
    "sig.", "sig.ra", "dott.", "on.", "sen.", "prof.", "avv.", "l'art.", "dell'art.", "n.", "p. es.",
    "ecc.", "nov.", "gen.", "S.p.A.", "Mr.", "Dr.", "U.S.", "e.g.", "i.e.", "No.", "Jan.", "Nov.",
    "p.m.", "J.", "R.", "a.C.", "www.governo.it", "info@esempio.it", "https://example.com/a.b",
]  # fmt: skip
NUMBERS = ["7.500", "3,5", "43%", "1.678.000", "25", "2025", "0.3", "08/09/2015", "n° 162/2015", "$1.08"]
PUNCTUATION = [
    ".", ",", ";", ":", "?", "!", "?!", "...", "…", ". . .", "-", "–", "—", "(", ")", "[", "]", "/",
    "«", "»", "“", "”", '"', "'", "‘", "’", ".»", "!»", "?”", '."', "»,", "”.", ").",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", "  ", "", "\n", "\n\n", " \n ", "\t", "\u00a0", "\r\n", "\u2028", "\x0c"]

_token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(ABBREVIATIONS),
    st.sampled_from(NUMBERS),
    st.integers(min_value=0, max_value=10**9).map(str),
    st.sampled_from(PUNCTUATION),
    st.text(min_size=1, max_size=6),
)
_texts = st.lists(st.tuples(_token, st.sampled_from(SEPARATORS)), max_size=80).map(
    lambda parts: "".join(tok + sep for tok, sep in parts)
)


@settings(max_examples=200, deadline=None, database=None)
@given(text=_texts, lang=st.sampled_from(["it", "en"]))
def test_split_text_keeps_all_text_in_order(text: str, lang: str) -> None:
    _check_sentences(text, split_text(text, lang))


@settings(max_examples=200, deadline=None, database=None)
@given(text=_texts, lang=st.sampled_from(["it", "en"]), offset=st.integers(min_value=0, max_value=10**6))
def test_spans_are_ordered_and_in_bounds(text: str, lang: str, offset: int) -> None:
    spans = get_splitter(lang).spans(text, offset)
    previous_end = offset
    for start, end in spans:
        assert previous_end <= start < end <= offset + len(text)
        assert end - start <= MAX_SENTENCE_CHARS
        previous_end = end
    assert get_splitter(lang).split(text) == [text[s - offset : e - offset] for s, e in spans]


@settings(max_examples=25, deadline=None, database=None)
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=30),
    length=st.integers(min_value=MAX_SENTENCE_CHARS + 1, max_value=20_000),
)
def test_long_lines_are_capped(words: list[str], length: int) -> None:
    chunk = " ".join(words) + " "
    text = (chunk * (length // len(chunk) + 1))[:length]
    _check_sentences(text, split_text(text, "it"))


@pytest.mark.parametrize("lang", ["it", "en"])
def test_enormous_line_without_punctuation(lang: str) -> None:
    words = "la delegazione del governo ha incontrato the senate committee in a long session "
    text = (words * (20_000 // len(words) + 1))[:20_000]
    assert "." not in text
    sentences = split_text(text, lang)
    assert len(sentences) >= 20_000 // MAX_SENTENCE_CHARS
    assert max(len(s.text) for s in sentences) <= MAX_SENTENCE_CHARS
    _check_sentences(text, sentences)
    assert {s.paragraph for s in sentences} == {0}


@pytest.mark.parametrize("lang", ["it", "en"])
def test_enormous_word_without_spaces(lang: str) -> None:
    text = "x" * 5_000 + " fine. " + "y" * 2_500
    sentences = split_text(text, lang)
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    _check_sentences(text, sentences)
