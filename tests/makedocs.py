"""Documents in other formats, written by the tests from a text's paragraphs.

Word files with python-docx, OpenDocument texts with odfpy, PDFs with fpdf2 (lines
wrapped and words hyphenated at line ends here, so that the PDF has them), web pages
as a news site serves them (menu, cookie notice, related links, footer, scripts).
Nothing is downloaded; every file is made in the test's temporary folder.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .conftest import EN_SEED, IT_SEED

__all__ = [
    "EN_SEED",
    "IT_SEED",
    "SEED_DATE",
    "paragraphs",
    "write_columns_pdf",
    "write_docx",
    "write_html",
    "write_justified_pdf",
    "write_odt",
    "write_pdf",
]

SEED_DATE = dt.datetime(2025, 11, 25, 9, 30, tzinfo=dt.UTC)


def paragraphs(path: Path, keep_date: bool = False) -> list[str]:
    """The paragraphs (non-blank lines) of a seed, its ``date`` token dropped unless ``keep_date``."""
    text = path.read_text(encoding="utf-8").strip()
    if not keep_date and text.startswith("date "):
        text = text.split(" ", 2)[2]
    return [line.strip() for line in text.split("\n") if line.strip()]


# --- Word ---------------------------------------------------------------------------------------


def write_docx(
    path: Path,
    paras: Sequence[str],
    date: dt.datetime | None = None,
    header: str | None = None,
    footer: str | None = None,
    table: Sequence[Sequence[str]] | None = None,
    table_after: int = 1,
    footnote: tuple[int, str] | None = None,
) -> Path:
    """A Word file: ``paras`` as paragraphs, a table after paragraph ``table_after``,
    a footnote ``(paragraph, text)``, a page header and footer, the creation date in
    its properties."""
    import docx

    document = docx.Document()
    if date is not None:
        document.core_properties.created = date.replace(tzinfo=None)
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    for i, text in enumerate(paras):
        para = document.add_paragraph(text)
        if footnote is not None and footnote[0] == i:
            _add_footnote(document, para, footnote[1])
        if table is not None and i == table_after:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = cell
    document.save(str(path))
    return path


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _add_footnote(document: object, paragraph: object, text: str) -> None:
    """A footnote, as Word writes one: a footnotes part (with its two separators) related
    to the document, and a reference run at the end of ``paragraph`` (python-docx has no API)."""
    from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    notes = (
        f'<w:footnotes xmlns:w="{_W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>"
        f'<w:footnote w:id="1"><w:p><w:r><w:t>{html.escape(text)}</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    main = document.part
    part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, notes.encode(), main.package)
    main.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    paragraph._p.append(parse_xml(f'<w:r xmlns:w="{_W}"><w:footnoteReference w:id="1"/></w:r>'))


# --- OpenDocument -------------------------------------------------------------------------------


def write_odt(
    path: Path,
    paras: Sequence[str],
    date: dt.datetime | None = None,
    header: str | None = None,
    footer: str | None = None,
    footnote: tuple[int, str] | None = None,
) -> Path:
    """An OpenDocument text: ``paras`` as paragraphs, a footnote ``(paragraph, text)``,
    a page header and a footer with the page number, the creation date in its metadata."""
    from odf import meta
    from odf import text as odftext
    from odf.opendocument import OpenDocumentText
    from odf.style import Footer, Header, MasterPage, PageLayout

    document = OpenDocumentText()
    layout = PageLayout(name="pm1")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    if header is not None:
        part = Header()
        part.addElement(odftext.P(text=header))
        master.addElement(part)
    if footer is not None:
        part = Footer()
        line = odftext.P(text=f"{footer} ")
        line.addElement(odftext.PageNumber(text="1"))
        part.addElement(line)
        master.addElement(part)
    document.masterstyles.addElement(master)
    if date is not None:
        document.meta.addElement(meta.CreationDate(text=date.strftime("%Y-%m-%dT%H:%M:%S")))
    for i, text in enumerate(paras):
        para = odftext.P(text=text)
        if footnote is not None and footnote[0] == i:
            note = odftext.Note(id="ftn1", noteclass="footnote")
            note.addElement(odftext.NoteCitation(text="1"))
            body = odftext.NoteBody()
            body.addElement(odftext.P(text=footnote[1]))
            note.addElement(body)
            para.addElement(note)
        document.text.addElement(para)
    document.save(str(path))
    return path


# --- PDF ----------------------------------------------------------------------------------------


def _wrap(pdf: object, words: list[str], width: float) -> list[str]:
    """Lines of at most ``width``; a long word that does not fit is hyphenated where
    its first part fits (letters only) and the rest starts with a lower-case letter."""
    measure = pdf.get_string_width
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line} {word}" if line else word
        if measure(candidate) <= width:
            line = candidate
            continue
        for k in range(len(word) - 3, 2, -1):
            head = f"{line} {word[:k]}-" if line else f"{word[:k]}-"
            if word[:k].isalpha() and word[k].islower() and measure(head) <= width:
                lines.append(head)
                line = word[k:]
                break
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def write_pdf(
    path: Path,
    paras: Sequence[str],
    date: dt.datetime | None = None,
    header: str | None = None,
    page_label: str | None = "Pagina",
    size: float = 11,
    note: str | None = None,
) -> Path:
    """A PDF on A5 pages: a running header and a page number on every page, the lines
    wrapped here with words hyphenated at line ends, the creation date in its information;
    ``note``: a footnote in small type at the foot of the first page."""
    from fpdf import FPDF

    class Pages(FPDF):
        def header(self) -> None:
            if header is not None:
                self.set_font("helvetica", size=9)
                self.cell(0, 8, header, align="C")
                self.ln(12)

        def footer(self) -> None:
            if note is not None and self.page_no() == 1:
                self.set_y(-24)
                self.set_font("helvetica", size=7)
                self.cell(0, 5, note)
            if page_label is not None:
                self.set_y(-15)
                self.set_font("helvetica", size=9)
                self.cell(0, 10, f"{page_label} {self.page_no()}", align="C")

    pdf = Pages(format=(148, 210))
    pdf.set_auto_page_break(True, margin=28 if note else 20)
    pdf.core_fonts_encoding = "windows-1252"  # ’ – « » à è: all in Windows-1252
    pdf.set_creation_date(date or SEED_DATE)
    pdf.add_page()
    pdf.set_font("helvetica", size=size)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for text in paras:
        for line in _wrap(pdf, text.split(), width):
            pdf.cell(width, size * 0.5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    pdf.output(str(path))
    return path


def _plain_pdf(date: dt.datetime | None) -> Any:
    from fpdf import FPDF

    pdf = FPDF()  # A4
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_creation_date(date or SEED_DATE)
    pdf.add_page()
    return pdf


def write_justified_pdf(
    path: Path, paras: Sequence[str], size: float = 22, date: dt.datetime | None = None
) -> Path:
    """A PDF of ``paras`` justified by fpdf2 (``multi_cell(align="J")``): pdfminer gives
    some of its lines as several pieces at one height, not always from left to right."""
    pdf = _plain_pdf(date)
    pdf.set_font("helvetica", size=size)
    for text in paras:
        pdf.multi_cell(0, size / 2, text, align="J", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(size / 2)
    pdf.output(str(path))
    return path


def write_columns_pdf(
    path: Path,
    left: str,
    right: str,
    headline: str | None = None,
    align: str = "J",
    gutter: float = 5,
    date: dt.datetime | None = None,
) -> Path:
    """A page of two columns ``gutter`` mm apart, ``left`` and then ``right`` (fpdf2 wraps
    each), both starting at the same height, under a ``headline`` over the page's width."""
    pdf = _plain_pdf(date)
    width = (pdf.w - pdf.l_margin - pdf.r_margin - gutter) / 2
    if headline is not None:
        pdf.set_font("helvetica", "B", size=14)
        pdf.cell(0, 8, headline, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=10)
    top = pdf.y + 2
    for x, text in ((pdf.l_margin, left), (pdf.l_margin + width + gutter, right)):
        pdf.set_xy(x, top)
        pdf.multi_cell(width, 5, text, align=align)
    pdf.output(str(path))
    return path


# --- web pages ----------------------------------------------------------------------------------

_CHROME = {
    "it": {
        "menu": ["Home", "Esteri", "Economia", "Sport", "Cultura"],
        "cookie": "Questo sito utilizza cookie tecnici e di profilazione. Continuando la navigazione "
        "accetti l'uso dei cookie.",
        "related": "Articoli correlati",
        "links": [
            "Kazakistan, nuovo accordo sull'uranio con la Francia",
            "Trump riceve i leader dei cinque Stan alla Casa Bianca",
            "Rubio annuncia un viaggio in Asia centrale nel 2026",
        ],
        "footer": "© 2025 Notizie Srl - P.IVA 01234567890 - Tutti i diritti riservati",
    },
    "en": {
        "menu": ["Home", "World", "Business", "Sport", "Culture"],
        "cookie": "This website uses cookies to improve your experience. By continuing to browse you "
        "accept our use of cookies.",
        "related": "Related articles",
        "links": [
            "Kazakhstan signs a new uranium deal with France",
            "Trump hosts the leaders of the five Stans at the White House",
            "Rubio announces a trip to Central Asia in 2026",
        ],
        "footer": "© 2025 News Ltd - All rights reserved",
    },
}


def write_html(
    path: Path, paras: Sequence[str], lang: str, date: dt.datetime | None = SEED_DATE, title: str = ""
) -> Path:
    """A news page: ``paras`` as the article's paragraphs, inside a menu, a cookie notice,
    related-article links, a footer and scripts (one holding a paragraph in a string)."""
    chrome = _CHROME[lang]
    menu = "".join(f'<li><a href="/{m.lower()}">{m}</a></li>' for m in chrome["menu"])
    links = "".join(f'<li><a href="/a{i}">{html.escape(t)}</a></li>' for i, t in enumerate(chrome["links"]))
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    published = f'<meta property="article:published_time" content="{date.isoformat()}">' if date else ""
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title or paras[0][:60])}</title>
{published}
<script>window.dataLayer = window.dataLayer || []; var teaser = "<p>Not the article</p>";</script>
<style>p {{ line-height: 1.5 }} .cookie {{ position: fixed }}</style></head>
<body><header><nav><ul>{menu}</ul></nav></header>
<div class="cookie-banner" id="cookie-notice">{html.escape(chrome["cookie"])}
<a href="/privacy">Privacy</a> <button>OK</button></div>
<main><article>
{body}
</article>
<aside class="related"><h3>{chrome["related"]}</h3><ul>{links}</ul></aside></main>
<footer><p>{html.escape(chrome["footer"])}</p><p><a href="/contact">Contact</a> | <a href="/privacy">Privacy</a></p>
</footer>
<script>console.log("analytics");</script></body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path
