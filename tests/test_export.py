"""Exporters: TMX validates against the DTD and reads back; TSV grammar; link lines."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from lxml import etree

from aligner.errors import ConfigError
from aligner.export import ExportOptions, read_links, write_links, write_tmx, write_tsv
from aligner.export.options import check_locale, created_from_environment
from aligner.export.text import one_line
from aligner.export.tmx import tmx_date
from aligner.model import Alignment, Link, Sentence

from .conftest import DTD, Ran

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
    assert header.get("creationdate") is None  # the file's date: only with SOURCE_DATE_EPOCH
    assert header.findtext("prop[@type='x-signature']") == "sig|x"
    tus = root.findall("body/tu")
    assert len(tus) == 3  # the 0-1 null link is not a translation unit
    for tu in tus:
        assert tu.get("srclang") == "it"
        langs = [tuv.get(XML_LANG) for tuv in tu.findall("tuv")]
        assert langs == ["it", "en"]
    first = tus[0]
    assert [tu.get("tuid") for tu in tus] == ["a__b:0:0", "a__b:1:1", "a__b:2+3:2"]
    assert first.findtext("prop[@type='x-document-date']") == "2025-11-25"  # the dispatch's date
    assert first.findtext("prop[@type='x-context-pre']") is None  # no sentence before it
    assert first.findtext("prop[@type='x-context-post']") == "Due con tab."
    assert tus[2].findtext("prop[@type='x-context-pre']") == "Due con tab."
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
    assert root.find("body/tu/prop[@type='x-document-date']") is None  # a month is not a date
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


# --- CAT tools: locales, dates, profiles -------------------------------------------------------


def _tmx_with(options: ExportOptions, al: Alignment | None = None) -> ET.Element:
    buf = io.StringIO()
    write_tmx(al or _alignment(), buf, 0.0, options)
    text = buf.getvalue()
    assert etree.DTD(str(DTD)).validate(etree.fromstring(text.encode("utf-8")))
    return ET.fromstring(text)


def test_locales_are_the_languages_of_every_unit_and_the_header() -> None:
    root = _tmx_with(ExportOptions(src_locale="it-IT", tgt_locale="en-GB"))
    assert root.find("header").get("srclang") == "it-IT"  # type: ignore[union-attr]
    for tu in root.iter("tu"):
        assert tu.get("srclang") == "it-IT"
        assert [tuv.get(XML_LANG) for tuv in tu.iter("tuv")] == ["it-IT", "en-GB"]


def test_the_files_date_comes_from_source_date_epoch() -> None:
    assert created_from_environment({"SOURCE_DATE_EPOCH": "1764061200"}) == "20251125T090000Z"
    assert created_from_environment({}) is None
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH='yesterday' is not a number"):
        created_from_environment({"SOURCE_DATE_EPOCH": "yesterday"})
    root = _tmx_with(ExportOptions(created="20251125T090000Z"))
    assert root.find("header").get("creationdate") == "20251125T090000Z"  # type: ignore[union-attr]
    assert {tu.get("creationdate") for tu in root.iter("tu")} == {"20251125T090000Z"}


@pytest.mark.parametrize(
    ("profile", "score", "context", "document"),
    [
        ("generic", "x-score", ("x-context-pre", "x-context-post"), "x-source-doc"),
        ("omegat", "x-score", None, "x-source-doc"),
        (
            "trados",
            "x-Score:SingleString",
            ("x-ContextBefore:SingleString", "x-ContextAfter:SingleString"),
            "x-SourceDocument:SingleString",
        ),
        ("memoq", "x-score", ("x-context-pre", "x-context-post"), "x-document"),
        ("phrase", "x-score", ("context_prev", "context_next"), "x-source-doc"),
    ],
)
def test_each_profile_writes_the_properties_its_tool_reads(
    profile: str, score: str, context: tuple[str, str] | None, document: str
) -> None:
    tus = _tmx_with(ExportOptions(profile=profile)).findall("body/tu")
    props = {p.get("type"): p.text for p in tus[1].iter("prop")}
    assert props[score] == "0.5000" and props[document] == "a.txt"
    if context is None:
        assert not any("context" in (name or "").lower() or name in ("prev", "next") for name in props)
    else:
        assert (props[context[0]], props[context[1]]) == ("A & B <c> «uno».", "Tre.")
    assert (tus[1].get("creationid") == "aligner") == (profile == "omegat")


def test_trados_leaves_out_units_over_2000_characters_and_says_so() -> None:
    long = "Parola " * 300 + "."
    src = (Sentence(0, "Uno.", 0, 4), Sentence(1, long, 0, len(long)))
    tgt = (Sentence(0, "One.", 0, 4), Sentence(1, long, 0, len(long)))
    links = (Link((0,), (0,), 0.9), Link((1,), (1,), 0.9))
    al = Alignment(src, tgt, links, "it", "en", "", "a.txt", "b.txt", None)
    root = _tmx_with(ExportOptions(profile="trados"), al)
    assert len(root.findall("body/tu")) == 1
    assert (
        root.findtext("header/note")
        == "1 unit(s) longer than 2,000 characters left out (trados refuses them)"
    )
    assert len(_tmx_with(ExportOptions(), al).findall("body/tu")) == 2


def test_a_locale_is_checked() -> None:
    assert check_locale("pt-BR", "--src-locale") == "pt-BR"
    with pytest.raises(ConfigError, match="--tgt-locale 'english' is not a locale"):
        check_locale("english", "--tgt-locale")


def test_tuids_are_unique_over_a_run_of_the_seven_pair_corpus(corpus_run: Ran) -> None:
    """Memories of many pairs merge without collisions: no tuid repeats across the run's TMX
    files (and the golden files fix their bytes, so two runs give the same ones)."""
    files = sorted(corpus_run.out.glob("*.tmx"))
    assert len(files) == 7
    ids = [tu.get("tuid") for path in files for tu in ET.parse(path).getroot().iter("tu")]
    assert len(ids) == len(set(ids)) and len(ids) > 7
    dtd = etree.DTD(str(DTD))
    assert all(dtd.validate(etree.parse(str(path))) for path in files)


@pytest.mark.parametrize(
    ("src_doc", "tgt_doc", "reviewer", "kept"),
    [
        # a file name holding a control character (Linux allows any but / and NUL): the TMX
        # did not parse, "not well-formed (invalid token)", in its tuid and x-source-document
        ("in/001\x01b.txt", "in/002.txt", "ada", ("in/001b.txt", "in/002.txt", "ada")),
        ("a\ufffe.txt", "b\x1f.txt", "ada", ("a.txt", "b.txt", "ada")),
        ("a.txt", "b.txt", "ada\x0b", ("a.txt", "b.txt", "ada")),  # a reviewer's name, as sent
        ("«a» & <b>.txt", "b.txt", 'o"brien', ("«a» & <b>.txt", "b.txt", 'o"brien')),  # escaped, kept
    ],
)
def test_tmx_and_xliff_metadata_hold_no_character_xml_forbids(
    src_doc: str, tgt_doc: str, reviewer: str, kept: tuple[str, str, str]
) -> None:
    """Document names and a reviewer's name go into the TMX's and XLIFF's attributes and
    properties without the characters XML 1.0 forbids, as their texts do: the files parse."""
    from aligner.export.xliff import MDA_NS, write_xliff
    from aligner.model import Review

    review = Review("approved", "2026-11-21T10:04:05Z", reviewer)
    al = Alignment(
        (_sent(0, "Uno."),),
        (_sent(0, "One."),),
        (Link((0,), (0,), 0.9, review=review),),
        "it",
        "en",
        "",
        src_doc,
        tgt_doc,
    )
    tmx = etree.fromstring(_tmx(al).encode())
    props = {p.get("type"): p.text for p in tmx.iter("prop")}
    tu = tmx.find("body/tu")
    assert tu is not None and tu.get("changeid") == kept[2]
    assert (props["x-source-doc"], props["x-target-doc"]) == kept[:2]
    assert tu.get("tuid") == f"{kept[0].rsplit('/', 1)[-1][:-4]}__{kept[1].rsplit('/', 1)[-1][:-4]}:0:0"
    buf = io.StringIO()
    write_xliff(al, buf)
    xliff = etree.fromstring(buf.getvalue().encode())
    meta = {m.get("type"): m.text for m in xliff.iter(f"{{{MDA_NS}}}meta")}
    assert (meta["source-document"], meta["target-document"], meta["reviewer"]) == kept


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Il carattere speciale\uffff resta.", "Il carattere speciale resta."),  # bug hunt r1: 65535
        ("Fine\ufffe del testo.", "Fine del testo."),  # U+FFFE, the byte-order mark reversed
        ("Quattro\x01 e\x1f cinque.", "Quattro e cinque."),  # C0 controls from a PDF
        ("Una\ud800 surrogata.", "Una surrogata."),  # a lone surrogate (an undecodable byte)
        ("«Milano» & <Roma>.", "«Milano» & <Roma>."),  # allowed characters kept, escaped
        # bug hunt r7: on one line as in the TSV, TMX and JSON Lines, the no-break spaces kept
        ("10\u00a0000 euro e\tla  spesa\n.", "10\u00a0000 euro e la spesa ."),
    ],
)
def test_xces_sentence_files_hold_no_character_xml_forbids(tmp_path, text: str, kept: str) -> None:
    """The sentence files parse: a character XML 1.0 forbids, which the loader keeps, is
    left out as in TMX and XLIFF (it gave `PCDATA invalid Char value 65535`)."""
    from aligner.corpus import TrainingPair
    from aligner.export.xces import XcesWriter
    from aligner.write import Staging

    with Staging(tmp_path) as stage:
        xces = XcesWriter(stage, "it", "en", lambda doc: ([text, "Due."], ["One.", "Two."]))
        with xces.split("corpus") as add:
            add(TrainingPair(text, "One.", 0.9, "a\x01.txt|b.txt", src_sentences=(0,), tgt_sentences=(0,)))
        stage.commit()
    align = etree.parse(str(tmp_path / "corpus.xces.xml")).getroot()
    group = align.find("linkGrp")
    assert group is not None and group.get("fromDoc") == "xces/it/a.xml"
    sentences = etree.parse(str(tmp_path / group.get("fromDoc"))).getroot()
    assert [s.text for s in sentences.iter("s")] == [kept, "Due."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il valore è di 10\u00a0000 euro.", "Il valore è di 10\u00a0000 euro."),  # no-break space: text
        ("La spesa è di 5\u202f000 euro.", "La spesa è di 5\u202f000 euro."),  # narrow no-break space
        ("Ha detto «\u202foui\u202f».", "Ha detto «\u202foui\u202f»."),  # French quotes in a quote
        ("Due\tcon tab.", "Due con tab."),  # a tab would split the TSV field
        ("Riga uno\r\nriga due.", "Riga uno riga due."),
        ("Uno\u2028due\u2029tre\x85quattro.", "Uno due tre quattro."),  # Unicode line ends
        ("Pagina\x0cnuova e\x0bverticale.", "Pagina nuova e verticale."),  # FF, VT: a space, not glued
        ("  doppi   spazi  ", "doppi spazi"),
        ("Quattro\x01 e \x02 cinque\uffff.", "Quattro e cinque."),  # what XML forbids, no space left twice
    ],
)
def test_one_line_collapses_only_what_breaks_a_line_or_a_field(text: str, expected: str) -> None:
    """One line, XML-safe, and otherwise the text: no-break spaces were plain spaces
    (``\\s+``) in TSV, TMX and JSON Lines while XCES kept them (bug hunt r7)."""
    assert one_line(text) == expected
    tsv = io.StringIO()
    write_tsv(Alignment((_sent(0, text),), (_sent(0, "One."),), (Link((0,), (0,), 0.9),), "it", "en"), tsv)
    assert tsv.getvalue().split("\t")[0] == expected
