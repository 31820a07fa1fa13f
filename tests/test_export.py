"""Exporters: TMX validates against the DTD and reads back; TSV grammar; link lines."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from lxml import etree

from aligner.export import read_links, write_links, write_tmx, write_tsv
from aligner.export.tmx import tmx_date
from aligner.model import Alignment, Link, Sentence

from .conftest import DTD

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _sent(i: int, text: str) -> Sentence:
    return Sentence(i, text, 0, len(text))


def _alignment(date: str | None = "2025-11-25") -> Alignment:
    src = [
        _sent(0, "A & B <c> «uno»."),
        _sent(1, "Due\tcon tab."),
        _sent(2, "Tre."),
        _sent(3, "Quattro\x01."),
    ]
    tgt = [_sent(0, "A & B <c> “one”."), _sent(1, "Two with tab."), _sent(2, "Three, four.")]
    links = (Link((0,), (0,), 0.91234), Link((1,), (1,), 0.5), Link((2, 3), (2,), 0.25), Link((), (2,), 0.6))
    return Alignment(tuple(src), tuple(tgt), links, "it", "en", "sig|x", "a.txt", "b.txt", date)


def _tmx(al: Alignment, min_score: float = 0.0) -> str:
    buf = io.StringIO()
    write_tmx(al, buf, min_score)
    return buf.getvalue()


def test_tmx_validates_against_the_dtd() -> None:
    dtd = etree.DTD(str(DTD))
    doc = etree.fromstring(_tmx(_alignment()).encode("utf-8"))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()


def test_tmx_content_and_rules() -> None:
    root = ET.fromstring(_tmx(_alignment()))
    header = root.find("header")
    assert header is not None
    assert header.get("srclang") == "it" and header.get("segtype") == "sentence"
    assert header.get("creationdate") == "20251125T000000Z"
    assert header.findtext("prop[@type='x-signature']") == "sig|x"
    tus = root.findall("body/tu")
    assert len(tus) == 3  # the 0-1 null link is not a translation unit
    for tu in tus:
        assert tu.get("srclang") == "it"
        langs = [tuv.get(XML_LANG) for tuv in tu.findall("tuv")]
        assert langs == ["it", "en"]
    first = tus[0]
    assert first.findtext("prop[@type='x-score']") == "0.9123"
    assert first.findtext("prop[@type='x-link-type']") == "1-1"
    assert first.findtext("prop[@type='x-source-doc']") == "a.txt"
    assert first.findtext("prop[@type='x-target-doc']") == "b.txt"
    segs = [s.text for s in first.iter("seg")]
    assert segs == ["A & B <c> «uno».", "A & B <c> “one”."]  # escaped on write, intact on read
    assert next(s.text for s in tus[1].iter("seg")) == "Due con tab."
    assert next(s.text for s in tus[2].iter("seg")) == "Tre. Quattro."  # control character dropped
    assert tus[2].findtext("prop[@type='x-link-type']") == "2-1"


def test_tmx_min_score_and_missing_date() -> None:
    root = ET.fromstring(_tmx(_alignment(date="2022-07"), min_score=0.5))
    assert root.find("header").get("creationdate") is None  # a month is not a date
    assert len(root.findall("body/tu")) == 2


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2025-11-25", "20251125T000000Z"),
        ("2024-02-29", "20240229T000000Z"),  # a leap day
        ("2022-07", None),
        (None, None),
        ("2025-13-45", None),  # no such day: no creationdate rather than an invalid one
        ("2023-02-29", None),
    ],
)
def test_tmx_date(date, expected) -> None:
    assert tmx_date(date) == expected


def test_tsv_grammar() -> None:
    buf = io.StringIO()
    write_tsv(_alignment(), buf)
    lines = buf.getvalue().split("\n")
    assert lines[-1] == ""
    rows = [ln.split("\t") for ln in lines[:-1]]
    assert len(rows) == 3
    assert all(len(r) == 4 for r in rows)
    assert rows[1] == ["Due con tab.", "Two with tab.", "0.5000", "1-1"]
    assert rows[2][3] == "2-1"
    for r in rows:
        assert 0.0 <= float(r[2]) <= 1.0


def test_links_round_trip_including_null_links() -> None:
    al = _alignment()
    buf = io.StringIO()
    write_links(al, buf)
    text = buf.getvalue()
    assert text.splitlines()[2] == "[2, 3]:[2]:0.2500"
    assert text.splitlines()[3] == "[]:[2]:0.6000"
    back = read_links(text.splitlines())
    assert [(lk.src, lk.tgt) for lk in back] == [(lk.src, lk.tgt) for lk in al.links]


@pytest.mark.parametrize("line", ["[0]:[1", "0:1", "[a]:[1]"])
def test_read_links_names_the_bad_line(line: str) -> None:
    from aligner.errors import InputError

    with pytest.raises(InputError, match=r"gold\.txt, line 2"):
        read_links(["[0]:[0]", line], source="gold.txt")


def test_a_moved_link_in_every_format() -> None:
    """Links out of order keep their kind: ':moved' in link files, 'moved' in TSV, x-moved in TMX."""
    src = [_sent(0, "Uno."), _sent(1, "Due."), _sent(2, "Tre.")]
    tgt = [_sent(0, "Three."), _sent(1, "One."), _sent(2, "Two.")]
    links = (Link((0,), (1,), 0.9), Link((1,), (2,), 0.8), Link((2,), (0,), 0.7, moved=True))
    al = Alignment(tuple(src), tuple(tgt), links, "it", "en", "sig", "a.txt", "b.txt", None)
    buf = io.StringIO()
    write_links(al, buf)
    assert buf.getvalue().splitlines() == ["[0]:[1]:0.9000", "[1]:[2]:0.8000", "[2]:[0]:0.7000:moved"]
    back = read_links(buf.getvalue().splitlines())
    assert back == list(links) and [lk.moved for lk in back] == [False, False, True]
    tsv = io.StringIO()
    write_tsv(al, tsv)
    assert tsv.getvalue().splitlines()[2] == "Tre.\tThree.\t0.7000\t1-1 moved"
    root = ET.fromstring(_tmx(al))
    props = [[p.get("type") for p in tu.findall("prop")] for tu in root.iter("tu")]
    assert ["x-moved" in p for p in props] == [False, False, True]
    assert root.findall("body/tu")[2].findtext("prop[@type='x-moved']") == "yes"
    assert al.kind_counts() == {"1-1": 2, "1-1 moved": 1}
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(etree.fromstring(_tmx(al).encode("utf-8")))
