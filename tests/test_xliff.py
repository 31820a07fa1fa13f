"""XLIFF 2.1 of a pair: valid against the OASIS core schema, read back by translate-toolkit,
review status as the segment's state, comments as notes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree

from aligner.export import DEFAULT_FORMATS, EXPORTERS
from aligner.export.xliff import MDA_NS, XLIFF_NS, write_xliff
from aligner.model import Alignment, Link, Review, Sentence

from .conftest import DATA, Ran

SCHEMA = DATA / "xliff21" / "xliff_core_2.0.xsd"
NS = {"x": XLIFF_NS, "mda": MDA_NS}


def _sent(i: int, text: str) -> Sentence:
    return Sentence(i, text, 0, len(text))


def _alignment(links: tuple[Link, ...] | None = None) -> Alignment:
    src = [
        _sent(0, "A & B <c> «uno»."),
        _sent(1, "Due\tcon tab."),
        _sent(2, "Tre."),
        _sent(3, "Quattro\x01."),
    ]
    tgt = [_sent(0, "A & B <c> “one”."), _sent(1, "Two with tab."), _sent(2, "Three, four.")]
    links = links or (
        Link((0,), (0,), 0.91234),
        Link((1,), (1,), 0.5, Review("approved", "2026-11-21T10:04:05Z", "anna", "ok, but «tab»")),
        Link((2, 3), (2,), 0.25),
        Link((), (2,), 0.6),
    )
    return Alignment(tuple(src), tuple(tgt), links, "it", "en", "sig|x", "a.txt", "b.txt", "2025-11-25")


def _xliff(al: Alignment, min_score: float = 0.0) -> str:
    buf = io.StringIO()
    write_xliff(al, buf, min_score)
    return buf.getvalue()


def _valid(text: str) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    doc = etree.fromstring(text.encode("utf-8"))
    assert schema.validate(doc), schema.error_log


def test_xliff_validates_against_the_oasis_core_schema() -> None:
    _valid(_xliff(_alignment()))
    _valid(_xliff(_alignment(), min_score=0.99))  # no unit left: still a valid file


def test_xliff_units_states_notes_and_metadata() -> None:
    root = etree.fromstring(_xliff(_alignment()).encode("utf-8"))
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "it", "en")
    segments = root.findall(".//x:segment", NS)
    assert [
        (s.findtext("x:source", namespaces=NS), s.findtext("x:target", namespaces=NS)) for s in segments
    ] == [
        ("A & B <c> «uno».", "A & B <c> “one”."),
        ("Due con tab.", "Two with tab."),
        ("Tre. Quattro.", "Three, four."),  # the control character is gone; the null link left out
    ]
    assert [(s.get("state"), s.get("subState")) for s in segments] == [
        ("translated", "aligner:pending"),
        ("reviewed", "aligner:approved"),
        ("translated", "aligner:pending"),
    ]
    units = root.findall(".//x:unit", NS)
    assert units[1].findtext("x:notes/x:note", namespaces=NS) == "ok, but «tab»"
    meta = {m.get("type"): m.text for m in units[2].iterfind(".//mda:meta", NS)}
    assert meta == {"score": "0.2500", "link-type": "2-1", "source-sentences": "2,3", "target-sentences": "2"}


def test_xliff_is_read_back_by_translate_toolkit(tmp_path: Path) -> None:
    from translate.storage import xliff2

    path = tmp_path / "a.xliff"
    path.write_text(_xliff(_alignment()), encoding="utf-8")
    store = xliff2.Xliff2File.parsefile(str(path))
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("it", "en")
    assert [(u.source, u.target) for u in store.units] == [
        ("A & B <c> «uno».", "A & B <c> “one”."),
        ("Due con tab.", "Two with tab."),
        ("Tre. Quattro.", "Three, four."),
    ]


def test_xliff_is_a_format_on_request(tmp_path: Path, seed_run: Ran) -> None:
    from .conftest import invoke_run

    assert "xliff" in EXPORTERS and "xliff" not in DEFAULT_FORMATS
    assert not list(seed_run.out.glob("*.xliff"))  # not written by default
    ran = invoke_run(seed_run.input, tmp_path / "out", "--format", "xliff", "--quiet")
    assert ran.exit_code == 0, ran.output
    (path,) = (tmp_path / "out").glob("*.xliff")
    text = path.read_text(encoding="utf-8")
    _valid(text)
    assert text.count("<segment ") == 10


@pytest.mark.parametrize("status", ["pending", "approved"])
def test_every_review_status_is_a_schema_state(status: str) -> None:
    review = None if status == "pending" else Review(status, "2026-11-21T10:04:05Z", "anna")
    _valid(_xliff(_alignment((Link((0,), (0,), 0.9, review),))))
