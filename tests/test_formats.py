"""Documents in Word, OpenDocument, PDF and web-page form: what is extracted, how a run
reads them, and what it says about files it cannot read.

Every file is written by the test (tests/makedocs.py) from the seed dispatches.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from aligner.errors import InputError
from aligner.formats import PAGE_FOOTER, PAGE_HEADER, PAGE_NUMBER, format_of, join_paragraph
from aligner.load import list_documents, load_document
from aligner.split import split
from aligner.workdir import RunFolder

from .conftest import SEEDS, Ran, invoke_run
from .makedocs import (
    EN_SEED,
    IT_SEED,
    SEED_DATE,
    paragraphs,
    write_columns_pdf,
    write_docx,
    write_html,
    write_justified_pdf,
    write_odt,
    write_pdf,
)

IT = paragraphs(IT_SEED)
EN = paragraphs(EN_SEED)


def content(path: Path) -> list[str]:
    """The lines of a document that are neither blank nor flagged."""
    doc = load_document(path)
    return [doc.text[ln.start : ln.end] for ln in doc.content_lines]


def flagged(path: Path) -> list[tuple[str, str]]:
    doc = load_document(path)
    return [(doc.text[ln.start : ln.end], ln.boilerplate or "") for ln in doc.boilerplate_lines]


# --- joining a paragraph's lines ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "joined", "count"),
    [
        (
            ["catene di approvvi-", "gionamento allontanandosi"],
            "catene di approvvigionamento allontanandosi",
            1,
        ),
        (["il vertice Putin-", "Trump in Alaska"], "il vertice Putin-Trump in Alaska", 0),
        (["the soft\u00ad", "ware"], "the software", 1),
        (["invasione nel", "2022, con"], "invasione nel 2022, con", 0),
        (["una pausa -", "poi riprende"], "una pausa - poi riprende", 0),
        (["  doppi  spazi  ", "", "giustificati"], "doppi spazi giustificati", 0),
        (["negli anni 2022-", "2023 la"], "negli anni 2022-2023 la", 0),  # a range, not a hyphenation
    ],
)
def test_lines_of_a_paragraph_are_joined_and_hyphenated_words_rejoined(
    lines: list[str], joined: str, count: int
) -> None:
    assert join_paragraph(lines) == (joined, count)


# --- what each extractor reads -----------------------------------------------------------------


def test_word_paragraphs_tables_and_footnotes_in_document_order_headers_and_footers_flagged(
    tmp_path: Path,
) -> None:
    path = write_docx(
        tmp_path / "it.docx",
        IT,
        SEED_DATE,
        header="Agenzia Notizie - Rassegna",
        footer="Pagina 1",
        table=[["Paese", "Capitale"], ["Kirghizistan", "Bishkek"]],
        table_after=1,
        footnote=(0, "Fonte: askanews."),
    )
    assert content(path) == [
        IT[0],
        "Fonte: askanews.",
        IT[1],
        "Paese",
        "Capitale",
        "Kirghizistan",
        "Bishkek",
        *IT[2:],
    ]
    assert flagged(path) == [("Agenzia Notizie - Rassegna", PAGE_HEADER), ("Pagina 1", PAGE_FOOTER)]
    doc = load_document(path)
    assert doc.date == "2025-11-25" and doc.format == "docx" and doc.extractor.startswith("python-docx ")
    assert dict(doc.extraction) == {
        "tables": 1,
        "footnotes": 1,
        "endnotes": 0,
        "header_lines": 1,
        "footer_lines": 1,
    }


_WNS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
)


def _wp(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _sdt(inner: str) -> str:
    return f'<w:sdt><w:sdtPr><w:alias w:val="Corpo"/></w:sdtPr><w:sdtContent>{inner}</w:sdtContent></w:sdt>'


def _docx_body(path: Path, body: str) -> Path:
    """A Word file whose body is ``body`` (WordprocessingML, namespaces declared here)."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    element = document.element.body
    for child in parse_xml(f"<w:body {_WNS}>{body}</w:body>"):
        element.insert(len(element) - 1, child)  # before the section properties
    document.save(str(path))
    return path


def _textbox(choice: str | None, fallback: str) -> str:
    """A paragraph anchoring a text box, as Word 2010+ writes one: the box's paragraph in a
    DrawingML shape (mc:Choice; none if ``choice`` is None) and again in VML (mc:Fallback)."""
    drawing = (
        "<w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>"
        f"{_wp(choice)}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        if choice is not None
        else "<w:drawing/>"
    )
    return (
        f'<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice><mc:Fallback>'
        f"<w:pict><v:shape><v:textbox><w:txbxContent>{_wp(fallback)}</w:txbxContent></v:textbox></v:shape>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>Paragrafo della casella.</w:t></w:r></w:p>"
    )


A, B, C = IT[0], IT[1], IT[2]
WORD_BODIES = [
    # Content controls and custom XML at body level: python-docx's iter_inner_content left them out.
    ("sdt", _wp(A) + _sdt(_wp(B)) + _wp(C), [A, B, C]),
    ("customXml", _wp(A) + f'<w:customXml w:element="story">{_wp(B)}</w:customXml>' + _wp(C), [A, B, C]),
    ("nested", f'<w:customXml w:element="s">{_sdt(_wp(A) + _wp(B))}</w:customXml>', [A, B]),
    (
        "sdt in a cell",
        f"<w:tbl><w:tr><w:tc>{_sdt(_wp(A))}</w:tc><w:tc>{_wp(B)}</w:tc></w:tr></w:tbl>",
        [A, B],
    ),
    # A text box as Word 2010+ writes it, a DrawingML copy and a VML fallback: read twice before.
    ("text box", _wp(A) + _textbox(B, fallback=B) + _wp(C), [A, "Paragrafo della casella.", B, C]),
    ("fallback only", _textbox(None, fallback=B), ["Paragrafo della casella.", B]),
    # A tracked move: the text where it went (w:moveTo), not where it was (w:moveFrom), as deletions.
    (
        "tracked move",
        '<w:p><w:r><w:t xml:space="preserve">Primo. </w:t></w:r><w:moveFrom w:id="1" w:author="a"><w:r>'
        '<w:t>Spostata.</w:t></w:r></w:moveFrom></w:p><w:p><w:r><w:t xml:space="preserve">Secondo. </w:t></w:r>'
        '<w:moveTo w:id="2" w:author="a"><w:r><w:t>Spostata.</w:t></w:r></w:moveTo></w:p>',
        ["Primo.", "Secondo. Spostata."],
    ),
    (
        "tracked deletion",
        '<w:p><w:r><w:t xml:space="preserve">Primo. </w:t></w:r><w:del w:id="1" w:author="a"><w:r>'
        '<w:delText>Tolta.</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>Aggiunta.</w:t></w:r></w:ins></w:p>',
        ["Primo. Aggiunta."],
    ),
    ("inline sdt", f"<w:p><w:sdt><w:sdtContent><w:r><w:t>{A}</w:t></w:r></w:sdtContent></w:sdt></w:p>", [A]),
]


@pytest.mark.parametrize(("name", "body", "lines"), WORD_BODIES, ids=[r[0] for r in WORD_BODIES])
def test_word_paragraphs_wherever_the_body_holds_them_once_each_in_order(
    tmp_path: Path, name: str, body: str, lines: list[str]
) -> None:
    assert content(_docx_body(tmp_path / "it.docx", body)) == lines


def test_a_date_token_in_a_word_content_control_is_lifted(tmp_path: Path) -> None:
    path = _docx_body(tmp_path / "it.docx", _sdt(_wp(f"date 2025-11-25 {A}")) + _wp(B))
    assert load_document(path).date == "2025-11-25" and content(path) == [A, B]


def test_a_word_file_made_from_python_docx_template_has_no_date(tmp_path: Path) -> None:
    # python-docx's template says 2013-12-23 for every file made from it: not the dispatch's date.
    assert load_document(write_docx(tmp_path / "a.docx", IT)).date is None


def test_opendocument_footnote_after_its_paragraph_header_and_page_number_flagged(tmp_path: Path) -> None:
    path = write_odt(
        tmp_path / "en.odt",
        EN,
        SEED_DATE,
        header="News agency",
        footer="Page",
        footnote=(1, "Source: askanews."),
    )
    assert content(path) == [EN[0], EN[1], "Source: askanews.", EN[2]]
    assert flagged(path) == [("News agency", PAGE_HEADER), ("Page 1", PAGE_FOOTER)]
    assert load_document(path).date == "2025-11-25"


@pytest.mark.parametrize(
    ("space", "text"),
    [
        ('<text:s text:c="3"/>', "Ciao mondo."),
        ("<text:s/>", "Ciao mondo."),
        ('<text:s text:c="tre"/>', "Ciao mondo."),  # ValueError traceback before
        ('<text:s text:c=""/>', "Ciao mondo."),
        ('<text:s text:c="-2"/>', "Ciao mondo."),  # no space at all before
        ('<text:s text:c="2000000000"/>', "Ciao mondo."),  # 4 GB of spaces for a 1.5 KB file before
    ],
)
def test_opendocument_spaces_whatever_their_count_says(tmp_path: Path, space: str, text: str) -> None:
    path = _rezipped(
        tmp_path / "it.odt",
        "content.xml",
        lambda b: b.replace(b"</office:text>", f"<text:p>Ciao{space}mondo.</text:p></office:text>".encode()),
        make=write_odt,
    )
    assert content(path) == [*IT[:2], text]


def test_a_leading_date_token_wins_over_the_metadata_date(tmp_path: Path) -> None:
    path = write_odt(
        tmp_path / "it.odt", paragraphs(IT_SEED, keep_date=True), date=SEED_DATE.replace(year=2020)
    )
    doc = load_document(path)
    assert doc.date == "2025-11-25"
    assert content(path) == IT  # the token is lifted out of the extracted text


def test_pdf_paragraphs_rebuilt_hyphenation_undone_running_header_and_page_numbers_flagged(
    tmp_path: Path,
) -> None:
    path = write_pdf(tmp_path / "it.pdf", IT, header="Notizie dal mondo - Rassegna stampa")
    doc = load_document(path)
    assert content(path) == IT
    assert flagged(path) == [
        ("Notizie dal mondo - Rassegna stampa", PAGE_HEADER),
        ("Pagina 1", PAGE_NUMBER),
        ("Notizie dal mondo - Rassegna stampa", PAGE_HEADER),
        ("Pagina 2", PAGE_NUMBER),
    ]
    counts = dict(doc.extraction)
    assert counts["pages"] == 2 and counts["paragraphs_across_pages"] == 1
    assert counts["hyphenated_words_joined"] >= 3, counts  # the test's wrapping hyphenated that many
    assert doc.date == "2025-11-25"


def test_pdf_paragraph_over_a_page_break_joined_past_a_footnote(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "it.pdf", IT, header="Notizie dal mondo - Rassegna stampa", note="1 Fonte: askanews."
    )
    assert content(path) == [*IT, "1 Fonte: askanews."]
    assert dict(load_document(path).extraction)["paragraphs_across_pages"] == 1


def test_page_furniture_is_no_evidence_for_the_boilerplate_detector(tmp_path: Path) -> None:
    # Headers and page numbers on every page, between the paragraphs: the repeated lines and
    # the short lines at the end do not make the document's tail look like a footer.
    paras = (
        IT
        + EN
        + paragraphs(SEEDS / "002_abf4a547a46e6000.txt")
        + paragraphs(SEEDS / "004_949a5f54501a7c62.txt")
    )
    path = write_pdf(tmp_path / "long.pdf", paras, header="Notizie dal mondo - Rassegna stampa", size=12)
    assert dict(load_document(path).extraction)["pages"] >= 4
    assert [reason for _, reason in flagged(path)] == [
        reason
        for _ in range(dict(load_document(path).extraction)["pages"])
        for reason in (PAGE_HEADER, PAGE_NUMBER)
    ]
    assert content(path)[: len(IT) + len(EN)] == IT + EN


def test_pdf_of_one_page_with_a_page_number_alone(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "en.pdf", EN[:1], header=None, page_label="Page", size=9)
    assert content(path) == EN[:1]
    assert flagged(path) == [("Page 1", PAGE_NUMBER)]


def sentences(path: Path, lang: str) -> list[str]:
    """The sentences ``aligner split --lang LANG`` prints for a document."""
    return [s.text for s in split(load_document(path), lang)]


#: The English seed's words over two columns: the left one ends "... supply chains away
#: from", the right one starts "Moscow and Beijing. Kyrgyzstan is ...".
_WORDS = " ".join(EN).split()
_LEFT, _RIGHT = " ".join(_WORDS[: len(_WORDS) // 2]), " ".join(_WORDS[len(_WORDS) // 2 :])


def _cut_between_columns(seed: list[str]) -> list[str]:
    """The seed's sentences with the one running from the left column into the right one
    cut there: the right column starts a paragraph (as in any two-column page)."""
    k = next(k for k, s in enumerate(seed) if s.endswith(" away from Moscow and Beijing."))
    return [*seed[:k], seed[k].removesuffix(" Moscow and Beijing."), "Moscow and Beijing.", *seed[k + 1 :]]


#: A creation date the leading ``date`` token has to win over, and the seeds with the token.
_OTHER_DATE = SEED_DATE.replace(year=2020)
_EN_DATED = [f"date 2025-11-25 {EN[0]}", *EN[1:]]
_IT_DATED = paragraphs(IT_SEED, keep_date=True)


@pytest.mark.parametrize(
    ("write", "lang", "want"),
    [
        # Justified at 22 pt, a date token first: pieces of one line came out as lines of their
        # own, out of order ("is seeking", "date 2025-11-25 Milan, November 25 (askanews) –"),
        # so the token stayed in the text and the creation date was taken.
        (
            lambda p: write_justified_pdf(p, _EN_DATED, 22, _OTHER_DATE),
            "en",
            lambda seed: seed,
        ),
        # At 20 pt a piece in the middle of a line is a text box of its own, first on the page.
        (
            lambda p: write_justified_pdf(p, _EN_DATED, 20, _OTHER_DATE),
            "en",
            lambda seed: seed,
        ),
        (
            lambda p: write_justified_pdf(p, _IT_DATED, 18, _OTHER_DATE),
            "it",
            lambda seed: seed,
        ),
        # Two justified columns 1 mm apart (their texts less than a line height apart), a bold
        # headline over both: the columns' lines share baselines and stay apart.
        (
            lambda p: write_columns_pdf(p, _LEFT, _RIGHT, "Putin in Kyrgyzstan", gutter=1),
            "en",
            lambda seed: ["Putin in Kyrgyzstan", *_cut_between_columns(seed)],
        ),
        (lambda p: write_columns_pdf(p, _LEFT, _RIGHT, align="L", gutter=10), "en", _cut_between_columns),
        # The right column's only line beside the left one's short first line: the left
        # column's next line runs on under the gap between them, a gutter all the same
        # (pdfminer reads the right column first here).
        (
            lambda p: write_columns_pdf(p, f"Milan, November 25.\n{EN[2]}", "Bishkek, November 25."),
            "en",
            lambda seed: ["Bishkek, November 25.", "Milan, November 25.", *seed[-4:]],
        ),
        # Left-aligned, with a running header, page numbers and hyphenated words (the Italian
        # over two pages): read as before.
        (
            lambda p: write_pdf(p, EN, header="World news - Press review", page_label="Page"),
            "en",
            lambda seed: seed,
        ),
        (lambda p: write_pdf(p, IT, header="Notizie dal mondo - Rassegna stampa"), "it", lambda seed: seed),
    ],
    ids=[
        "justified-22pt",
        "justified-20pt",
        "justified-it",
        "columns-headline",
        "columns-left",
        "columns-short-line",
        "left",
        "left-it",
    ],
)
def test_pdf_line_given_in_pieces_is_one_line_and_columns_stay_apart(
    tmp_path: Path,
    write: Callable[[Path], Path],
    lang: str,
    want: Callable[[list[str]], list[str]],
) -> None:
    path = write(tmp_path / "doc.pdf")
    assert sentences(path, lang) == want(sentences(EN_SEED if lang == "en" else IT_SEED, lang))
    assert load_document(path).date == "2025-11-25"


def _self_drawing_pdf(path: Path) -> Path:
    """A page whose form XObject draws itself: pdfminer refuses the loop and logs it."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> "
        b"/XObject << /X1 6 0 R >> >> /Contents 4 0 R >>",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"",
    ]

    def stream(head: bytes, body: bytes) -> bytes:
        return b"<< " + head + b" /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"

    objs[3] = stream(b"", b"BT /F1 12 Tf 72 700 Td (Milan, November 25. Hello there.) Tj ET /X1 Do")
    objs[5] = stream(
        b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /X1 6 0 R >> >>",
        b"/X1 Do",
    )
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(
        b"%010d 00000 n \n" % o for o in offsets
    )
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(out)
    return path


def test_what_pdfminer_logs_while_reading_does_not_reach_the_user(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    with caplog.at_level(logging.DEBUG):
        assert content(_self_drawing_pdf(tmp_path / "loop.pdf")) == ["Milan, November 25. Hello there."]
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pdfminer")] == []


def test_web_page_main_text_kept_and_page_chrome_counted(tmp_path: Path) -> None:
    path = write_html(tmp_path / "it.html", IT, "it")
    doc = load_document(path)
    assert content(path) == IT
    for chrome in (
        "Economia",
        "cookie",
        "Articoli correlati",
        "Kazakistan",
        "P.IVA",
        "dataLayer",
        "analytics",
    ):
        assert chrome not in doc.text
    counts = dict(doc.extraction)
    assert counts["removed_characters"] > 300 and counts["page_characters"] > len(doc.text)
    assert doc.date == "2025-11-25" and doc.format == "html"


def test_web_page_line_breaks_lists_and_tables(tmp_path: Path) -> None:
    first, rest = IT[0].split(" l’influenza ", 1)
    paras = [
        f"{first}<br>l’influenza {rest}",
        "<ul><li>Uranio, rame e oro.</li><li>Terre rare.</li></ul>",
        *IT[1:],
    ]
    body = "\n".join(p if p.startswith("<ul>") else f"<p>{p}</p>" for p in paras)
    body += "<table><tr><td>Kirghizistan</td><td>Bishkek</td></tr></table><p>Primo.<br><br>Secondo.</p>"
    page = tmp_path / "it.html"
    page.write_text(
        f"<html><body><nav><a href='/'>Home</a></nav><article>{body}</article></body></html>",
        encoding="utf-8",
    )
    assert content(page) == [
        IT[0],
        "Uranio, rame e oro.",
        "Terre rare.",
        *IT[1:],
        "Kirghizistan",
        "Bishkek",
        "Primo.",
        "Secondo.",
    ]


def test_a_line_break_inside_a_sentence_is_a_space_after_one_or_doubled_it_parts_paragraphs(
    tmp_path: Path,
) -> None:
    import docx

    document = docx.Document()
    first, rest = IT[0].split(" l’influenza ", 1)
    run = document.add_paragraph(first).add_run()
    run.add_break()
    run.add_text(f"l’influenza {rest}")
    para = document.add_paragraph("Primo.")
    para.add_run().add_break()
    para.add_run("Secondo")
    para.add_run().add_break()
    para.add_run().add_break()
    para.add_run("Terzo")
    document.save(str(tmp_path / "it.docx"))
    assert content(tmp_path / "it.docx") == [IT[0], "Primo.", "Secondo", "Terzo"]


def test_boilerplate_flags_still_apply_to_what_the_web_extractor_kept(tmp_path: Path) -> None:
    path = write_html(tmp_path / "it.html", [*IT, "Leggi anche: il viaggio di Rubio in Asia centrale"], "it")
    assert content(path) == IT
    assert [reason for _, reason in flagged(path)] != []


def test_format_by_suffix_in_any_case() -> None:
    assert [
        getattr(format_of(n), "name", None) for n in ("a.DOCX", "b.Odt", "c.htm", "d.PDF", "e.txt", "f.doc")
    ] == [
        "docx",
        "odt",
        "html",
        "pdf",
        "txt",
        None,
    ]


def test_a_format_whose_reading_rules_changed_is_named_with_their_revision() -> None:
    # The read signature and a stored document's key (aligner.tasks) carry it, so a run
    # reads its stored documents of that format again.
    from aligner.formats import extractors_id

    odt, txt = format_of("a.odt"), format_of("a.txt")
    assert odt is not None and odt.rules >= 2 and odt.reader == f"{odt.extractor} rules{odt.rules}"
    assert f"+odt-{odt.extractor.replace(' ', '')}(rules{odt.rules})+" in extractors_id()
    assert txt is not None and (txt.reader == "text") == (txt.rules == 1)


# --- bad input ---------------------------------------------------------------------------------


def _encrypted_docx(path: Path) -> Path:
    import msoffcrypto.format.ooxml

    plain = write_docx(path.with_name("plain.docx"), IT)
    with plain.open("rb") as fh:
        out = io.BytesIO()
        msoffcrypto.format.ooxml.OOXMLFile(fh).encrypt("segreto", out)
    plain.unlink()
    path.write_bytes(out.getvalue())
    return path


def _encrypted_pdf(path: Path) -> Path:
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.set_encryption(
        owner_password="proprietario", user_password="segreto", encryption_method=EncryptionMethod.AES_128
    )
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Testo riservato.")
    pdf.output(str(path))
    return path


def _scanned_pdf(path: Path) -> Path:
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    scan = Image.new("L", (600, 800), 255)
    ImageDraw.Draw(scan).rectangle((50, 50, 550, 120), fill=40)  # a "line of print"
    pdf = FPDF()
    pdf.add_page()
    pdf.image(scan, x=10, y=10, w=180)
    pdf.output(str(path))
    return path


def _truncated_docx(path: Path) -> Path:
    data = write_docx(path.with_name("whole.docx"), IT).read_bytes()
    path.with_name("whole.docx").unlink()
    path.write_bytes(data[: len(data) // 3])
    return path


def _encrypted_odt(path: Path) -> Path:
    # As LibreOffice writes a password-protected file: the manifest lists how content.xml is
    # encrypted, and content.xml is ciphertext.
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="2048">'
        '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" '
        'manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
        'manifest:initialisation-vector="AAAA"/></manifest:encryption-data></manifest:file-entry></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", bytes(range(256)) * 8)
    return path


def _chrome_only_html(path: Path) -> Path:
    path.write_text(
        "<html><head><title>Notizie</title></head><body><nav><a href='/'>Home</a> <a href='/e'>Esteri</a> "
        "<a href='/c'>Economia</a></nav><div class='cookie'>Questo sito usa i cookie. "
        "<a href='/p'>Informativa</a></div><ul class='related'><li><a href='/a1'>Kazakistan, nuovo accordo "
        "sull'uranio</a></li><li><a href='/a2'>Trump riceve i leader dei cinque Stan</a></li></ul>"
        "<footer>© 2025 Notizie Srl</footer><script>render()</script></body></html>",
        encoding="utf-8",
    )
    return path


def _rezipped(path: Path, member: str, edit: object, make: object = write_docx, **options: object) -> Path:
    """A copy of a Word (or, with ``make=write_odt``, OpenDocument) file of the seed made
    by the test (with ``options``), with ``member``'s bytes passed through ``edit`` (a
    well-formed zip still)."""
    whole = make(path.with_name(f"whole{path.suffix}"), IT[:2], **options)  # type: ignore[operator]
    with zipfile.ZipFile(whole) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            out.writestr(info, edit(data) if info.filename == member else data)  # type: ignore[operator]
    whole.unlink()
    return path


def _damaged(path: Path, member: str, how: str, make: object = write_docx) -> Path:
    """A copy of a file of the seed with one member's zip data damaged in place: its deflate
    stream ("data"), the name in its local header ("name"), a central directory that
    declares it smaller than it inflates ("size": a lying header), or a compression
    method zipfile lacks, deflate64 (9), in both headers ("method")."""
    import struct

    whole = make(path.with_name(f"whole{path.suffix}"), IT)  # type: ignore[operator]
    data = bytearray(whole.read_bytes())
    with zipfile.ZipFile(whole) as archive:
        info = archive.getinfo(member)
    whole.unlink()
    start = (
        info.header_offset
        + 30
        + sum(struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30]))
    )
    if how == "data":
        for k in range(start + 10, start + 40):
            data[k] ^= 0x55
    elif how == "name":
        data[info.header_offset + 30] ^= 0x01
    else:
        entry = data.index(b"PK\x01\x02")
        while data[entry + 46 : entry + 46 + len(member)] != member.encode():
            entry = data.index(b"PK\x01\x02", entry + 4)
        if how == "method":
            data[info.header_offset + 8 : info.header_offset + 10] = struct.pack("<H", 9)
            data[entry + 10 : entry + 12] = struct.pack("<H", 9)
        else:  # the central directory entry's uncompressed size, halved
            data[entry + 24 : entry + 28] = struct.pack("<I", info.file_size // 2)
    path.write_bytes(bytes(data))
    return path


def _cut(data: bytes) -> bytes:
    return data[: len(data) - 40]


def _broken_footnotes(path: Path) -> Path:
    return _rezipped(path, "word/footnotes.xml", _cut, footnote=(0, "Fonte: askanews."))


def _zip_bomb_docx(path: Path) -> Path:
    # 1.2 million empty paragraphs: 7 MB of XML packed into a few KB (a 5-million one took 34 s
    # and 1.8 GB to read; bigger ones crashed lxml's XPath).
    return _rezipped(
        path, "word/document.xml", lambda b: b.replace(b"<w:sectPr", b"<w:p/>" * 1_200_000 + b"<w:sectPr", 1)
    )


BAD = [
    (
        "locked.docx",
        _encrypted_docx,
        "is password-protected (an encrypted Office document)",
        "remove the password",
    ),
    ("secret.pdf", _encrypted_pdf, "is password-protected", "qpdf --decrypt"),
    (
        "sealed.odt",
        _encrypted_odt,
        "is password-protected (an encrypted OpenDocument file)",
        "without a password",
    ),
    ("scan.pdf", _scanned_pdf, "has no text layer", "ocrmypdf scan.pdf scan-ocr.pdf"),
    ("cut.docx", _truncated_docx, "not a zip archive: it may be truncated", "save it again as .docx"),
    ("menu.html", _chrome_only_html, "has no main text", "as .txt"),
    # Damaged zip data: zlib.error and BadZipFile tracebacks before.
    (
        "inflate.docx",
        lambda p: _damaged(p, "word/document.xml", "data"),
        "is damaged (word/document.xml cannot be unpacked: Error -3",
        "save it again as .docx",
    ),
    (
        "header.odt",
        lambda p: _damaged(p, "META-INF/manifest.xml", "name", write_odt),
        "is damaged (META-INF/manifest.xml cannot be unpacked: File name in directory",
        "save it again as .odt",
    ),
    (
        "lying.docx",
        lambda p: _damaged(p, "word/document.xml", "size"),
        "is damaged (word/document.xml",
        "again",
    ),
    # A compression method Python's zipfile lacks (deflate64, as some archivers write):
    # its NotImplementedError, caught where the members are checked.
    (
        "deflate64.docx",
        lambda p: _damaged(p, "word/document.xml", "method"),
        "is packed in a way that cannot be read (word/document.xml: That compression method is not supported)",
        "Open it in Word and save it again as .docx",
    ),
    (
        "packed.odt",
        lambda p: _damaged(p, "content.xml", "method", write_odt),
        "is packed in a way that cannot be read (content.xml",
        "save it again as .odt",
    ),
    ("bomb.docx", _zip_bomb_docx, "word/document.xml inflates from", "as .txt"),
    # A well-formed zip holding broken XML: lxml's XMLSyntaxError traceback before.
    *(
        (
            name,
            lambda p, member=member: _rezipped(p, member, _cut),
            f"is not a Word document that can be read ({member} is not well-formed XML: ",
            "save it again as .docx",
        )
        for name, member in (
            ("body.docx", "word/document.xml"),
            ("styles.docx", "word/styles.xml"),
            ("types.docx", "[Content_Types].xml"),
            ("rels.docx", "_rels/.rels"),
        )
    ),
    (
        "notes.docx",
        _broken_footnotes,
        "is not a Word document that can be read (word/footnotes.xml is not well-formed XML: ",
        "save it again as .docx",
    ),
]


@pytest.mark.parametrize(("name", "make", "problem", "fix"), BAD, ids=[b[0] for b in BAD])
def test_unreadable_files_are_refused_naming_the_file_and_the_fix(
    tmp_path: Path, name: str, make: object, problem: str, fix: str
) -> None:
    path = make(tmp_path / name)  # type: ignore[operator]
    with pytest.raises(InputError) as caught:
        load_document(path)
    assert caught.value.path == str(path)
    assert problem in caught.value.problem, caught.value.problem
    assert fix in caught.value.fix, caught.value.fix


@pytest.mark.parametrize(
    ("size", "packed", "total", "problem"),
    [
        (24_903_836, 3_722_240, 25_800_000, None),  # 10 MB of text in 20,000 paragraphs of formatted runs
        (438_131, 13_625, 1_000_000, None),  # python-docx's stylesWithEffects.xml: 32 times, and small
        (30_001_659, 44_391, 30_900_000, "inflates from 43 KiB to 29 MiB, 675 times, more than the 100"),
        (200 * 2**20, 100 * 2**20, 201 * 2**20, "inflates to 200 MiB, more than the 128 MiB"),
        (100 * 2**20, 50 * 2**20, 300 * 2**20, "its parts inflate to 300 MiB in all, more than the 256 MiB"),
    ],
)
def test_an_archive_member_inflating_too_far_is_refused_before_it_is_parsed(
    size: int, packed: int, total: int, problem: str | None
) -> None:
    from aligner.formats.office import _inflation_problem

    got = _inflation_problem("word/document.xml", size, packed, total)
    assert got == problem if problem is None else problem in (got or ""), got


def test_an_oversized_member_is_refused_naming_its_size_and_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aligner.formats import office

    path = write_docx(tmp_path / "it.docx", IT)
    monkeypatch.setattr(office, "MAX_MEMBER", 200_000)  # python-docx's styles.xml inflates to 349 KB
    with pytest.raises(InputError, match=r"word/styles\.xml inflates to 341 KiB, more than the 195 KiB"):
        load_document(path)


def test_a_word_file_with_broken_metadata_is_read_without_its_date(tmp_path: Path) -> None:
    # docProps/core.xml cut short: lxml's XMLSyntaxError before; only the date is lost.
    path = _rezipped(tmp_path / "it.docx", "docProps/core.xml", lambda b: b[:60])
    doc = load_document(path)
    assert content(path) == IT[:2]
    assert doc.date is None and dict(doc.extraction)["unreadable_metadata"] == 1
    assert "unreadable_metadata" not in dict(load_document(write_docx(tmp_path / "ok.docx", IT)).extraction)


MISNAMED = [
    # A PDF or Word file saved with an .html name: "has no main text ... JavaScript" before.
    ("page.html", write_pdf, "is a PDF file with an .html name", "Rename it to page.pdf"),
    ("page.htm", write_docx, "is a Word (.docx) file with an .htm name", "Rename it to page.docx"),
    (
        "page.HTML",
        write_odt,
        "is an OpenDocument text (.odt) file with an .HTML name",
        "Rename it to page.odt",
    ),
    # The other ways round, which gave a message about the named format.
    ("note.txt", write_pdf, "is a PDF file with a .txt name", "Rename it to note.pdf"),
    ("it.pdf", write_docx, "is a Word (.docx) file with a .pdf name", "Rename it to it.docx"),
    ("it.docx", write_odt, "is an OpenDocument text (.odt) file with a .docx name", "Rename it to it.odt"),
    ("it.odt", write_docx, "is a Word (.docx) file with an .odt name", "Rename it to it.docx"),
]


@pytest.mark.parametrize(("name", "make", "problem", "fix"), MISNAMED, ids=[m[0] for m in MISNAMED])
def test_a_file_named_as_another_format_is_refused_saying_what_it_is(
    tmp_path: Path, name: str, make: object, problem: str, fix: str
) -> None:
    made = make(tmp_path / f"made{Path(name).suffix}.bin", IT[:2])  # type: ignore[operator]
    path = made.rename(tmp_path / name)
    with pytest.raises(InputError) as caught:
        load_document(path)
    assert (caught.value.problem, caught.value.fix) == (problem, f"{fix} and align that.")


def test_a_damaged_or_oversized_file_is_one_error_line_from_split(tmp_path: Path) -> None:
    from aligner_cli.main import app
    from typer.testing import CliRunner

    for name, make, problem, _ in BAD:
        path = make(tmp_path / name)  # type: ignore[operator]
        res = CliRunner().invoke(app, ["split", str(path)])
        assert res.exit_code == 3, (name, res.output)  # BAD_INPUT
        assert res.stderr.count("\n") == 1 and problem in res.stderr, res.stderr
        assert "Traceback" not in res.output and "unexpected" not in res.output


def test_a_run_reports_each_unreadable_file_and_aligns_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_docx(folder / "it.docx", IT, SEED_DATE)
    write_html(folder / "en.html", EN, "en")
    for name, make, _, _ in BAD:
        make(folder / name)  # type: ignore[operator]
    ran = invoke_run(folder, tmp_path / "out", "--quiet")
    assert ran.exit_code == 1, ran.output  # documents were skipped
    manifest = json.loads((ran.out / "manifest.json").read_text(encoding="utf-8"))
    assert [(p["source"], p["target"]) for p in manifest["pairs"]] == [("it.docx", "en.html")]
    errors = {p["file"]: p["message"] for p in manifest["problems"] if p["severity"] == "error"}
    assert sorted(errors) == sorted(name for name, *_ in BAD)
    for name, _, problem, _ in BAD:
        assert problem in errors[name]
        assert f"error: {folder / name}: " in ran.stderr
    assert all(problem in ran.stderr for _, _, problem, _ in BAD)
    assert "discarding" not in ran.stderr  # trafilatura's own log is not the user's business


def test_a_docx_and_a_txt_of_the_same_name_are_refused_naming_both(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_docx(folder / "a.docx", IT)
    (folder / "a.txt").write_text(IT[0], encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.txt: has the same name as a\.docx but for its extension"):
        list_documents(folder)
    ran = invoke_run(folder, tmp_path / "out")
    assert ran.exit_code == 3 and "a.docx" in ran.stderr and "a.txt" in ran.stderr  # BAD_INPUT
    assert not (tmp_path / "out").exists()


def test_a_folder_of_word_files_is_a_folder_of_documents(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write_docx(tmp_path / "sub" / "it.docx", IT)
    with pytest.raises(InputError, match=r"holds no documents .*itself, but its subfolders do"):
        list_documents(tmp_path)
    assert list_documents(tmp_path, recursive=True) == [tmp_path / "sub" / "it.docx"]


# --- the seed pair in every format -------------------------------------------------------------


def _units(out: Path) -> list[tuple[str, str, str]]:
    (tsv,) = out.glob("*.tsv")
    return [
        tuple(line.split("\t")[i] for i in (0, 1, 3)) for line in tsv.read_text(encoding="utf-8").splitlines()
    ]  # type: ignore[misc]


SEED_FORMATS = [
    (
        "docx",
        lambda d: write_docx(d / "it.docx", IT, SEED_DATE, header="Agenzia", footer="Pagina 1"),
        lambda d: write_docx(d / "en.docx", EN, SEED_DATE, header="Agency", footer="Page 1"),
    ),
    (
        "odt",
        lambda d: write_odt(
            d / "it.odt", paragraphs(IT_SEED, keep_date=True), header="Agenzia", footer="Pagina"
        ),
        lambda d: write_odt(d / "en.odt", EN, header="Agency", footer="Page"),
    ),
    (
        "pdf",
        lambda d: write_pdf(d / "it.pdf", IT, header="Notizie dal mondo - Rassegna stampa"),
        lambda d: write_pdf(d / "en.pdf", EN, header="World news - Press review", page_label="Page"),
    ),
    ("html", lambda d: write_html(d / "it.html", IT, "it"), lambda d: write_html(d / "en.html", EN, "en")),
    (
        "docx+html",
        lambda d: write_docx(d / "it.docx", IT, SEED_DATE, header="Agenzia", footer="Pagina 1"),
        lambda d: write_html(d / "en.html", EN, "en"),
    ),
]


@pytest.mark.parametrize(("name", "make_it", "make_en"), SEED_FORMATS, ids=[f[0] for f in SEED_FORMATS])
def test_the_seed_pair_in_any_format_gives_the_seeds_ten_units(
    tmp_path: Path, seed_run: Ran, name: str, make_it: object, make_en: object
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    source, target = make_it(folder), make_en(folder)  # type: ignore[operator]
    ran = invoke_run(folder, tmp_path / "out", "--quiet")
    assert ran.exit_code == 0, ran.output
    assert _units(ran.out) == _units(seed_run.out)
    assert len(_units(ran.out)) == 10
    manifest = json.loads((ran.out / "manifest.json").read_text(encoding="utf-8"))
    docs = {d["file"]: d for d in manifest["documents"]}
    run = RunFolder(ran.out)
    marker = run.read_marker(f"{source.stem}__{target.stem}")
    assert marker is not None
    sentences = {}
    for path, key in ((source, marker.src_key), (target, marker.tgt_key)):
        record = docs[path.name]
        assert record["format"] == format_of(path).name  # type: ignore[union-attr]
        assert record["extractor"] == format_of(path).extractor  # type: ignore[union-attr]
        # The extracted text is stored, and the sentences' offsets point into it.
        text = (ran.out / record["text"]).read_text(encoding="utf-8")
        sentences[path] = run.read_document(key, vectors=False).sentences
        assert [text[s.start : s.end] for s in sentences[path]] == [s.text for s in sentences[path]]
    # The paragraphs the review workspace shows are the seed's.
    seed = RunFolder(seed_run.out)
    seed_marker = seed.read_marker("000_4f42991440b6f2b5__001_2311b19d4785c162")
    assert seed_marker is not None
    for path, key in ((source, seed_marker.src_key), (target, seed_marker.tgt_key)):
        expected = [s.paragraph for s in seed.read_document(key, vectors=False).sentences]
        assert [s.paragraph for s in sentences[path]] == expected
    assert "|read:txt(rules2)+docx-python-docx" in manifest["signature"]


def test_align_and_split_take_any_format(tmp_path: Path) -> None:
    from aligner_cli.main import app
    from typer.testing import CliRunner

    source = write_docx(tmp_path / "it.docx", IT, SEED_DATE)
    target = write_html(tmp_path / "en.html", EN, "en")
    out = tmp_path / "pair.tsv"
    res = CliRunner().invoke(app, ["align", str(source), str(target), "--format", "tsv", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 10
    pdf = write_pdf(tmp_path / "it.pdf", IT, header="Notizie dal mondo - Rassegna stampa")
    res = CliRunner().invoke(app, ["split", str(pdf)])
    assert res.exit_code == 0, res.output
    assert len(res.stdout.splitlines()) == 10 and "4 boilerplate line(s) left out" in res.stderr


def test_an_archive_zipfile_cannot_unpack_is_not_sniffed_as_a_format(tmp_path: Path) -> None:
    """sniff reads an OpenDocument file's `mimetype` member; packed with deflate64, that read
    raises NotImplementedError (a RuntimeError). Not telling what the archive is, the file
    is read as its name says (here text) and refused as such, not a traceback."""
    path = _damaged(tmp_path / "note.odt", "mimetype", "method", write_odt).rename(tmp_path / "note.txt")
    with pytest.raises(InputError, match=r"note\.txt: looks like a binary file"):
        load_document(path)
