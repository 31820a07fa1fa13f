"""A PDF's text, with pdfminer.six: paragraphs rebuilt from positioned lines.

pdfminer gives the text lines of each page with their boxes, in reading
order. From them:

- **visual lines**: pdfminer may give one line of the page as several pieces
  at the same height, as it does in justified text with wide word gaps (and
  not always in order: "entire Central" after "Asian region taking ...");
  pieces on one baseline (within a fifth of their height, overlapping
  vertically) are one line, in order from left to right, joined with a space,
  where its leftmost piece was in reading order (a piece in the middle may be
  a text box of its own, first on the page), unless the gap between
  two of them is a column's gutter: no line right above or below (no farther
  than two line heights) runs on across the right-hand piece's left edge, or
  one of them starts there (the next column's left edge). With no such line
  to tell by, pieces at most one line height apart are joined (a word gap
  pdfminer itself would have kept within a line);
- **page furniture**: a line at a page's top or bottom (its first or last
  line, or within the outer eighth of the page) is a page number if it reads
  like one ("12", "- 3 -", "Pagina 2 di 5", "Page 4 of 9"), and a running
  header or footer if the same text (digits aside) is there on at least two
  pages and a third of them, or if it is the page's first or last line, within
  the margins and set smaller than the body text (so on a single page too);
  such lines are kept, flagged, and never joined
  with the text;
- **paragraphs**: a line starts a new paragraph when the gap above it is
  clearly wider than the document's usual line spacing, when it is indented
  against the line before, or when it is not below it (a new column); the
  lines of a paragraph are joined with single spaces, words hyphenated at a
  line end are rejoined (:func:`aligner.formats.join_paragraph`), and a
  paragraph that runs over a page break (the page's last paragraph ends with
  no closing punctuation) is joined with its continuation, past the page's
  footer, its footnotes (paragraphs in smaller type) and the next page's header;
- **no text layer**: pages with images and no text are a scan that needs OCR.

The date is the document information's creation date.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from . import PAGE_FOOTER, PAGE_HEADER, PAGE_NUMBER, Extracted, is_pdf, join_paragraph

#: The outer share of a page's height where running headers and footers sit.
MARGIN = 0.125
#: A line in the margins set this much smaller than the body text is a header or footer
#: even on a single page (a headline is set larger).
SMALLER = 0.9
#: A gap above a line wider than this many usual line spacings starts a paragraph.
PARAGRAPH_GAP = 1.35
#: Pieces of text whose bottoms are at most this share of their height apart are on one baseline.
BASELINE = 0.2
#: The lines right above and below a line are at most this many line heights away from it.
NEIGHBOURS = 2.0
#: With no line right above or below it, pieces of a line at most this many line heights
#: apart are one line (pdfminer keeps a gap of two characters' widths within a line).
NEAR = 1.0
_PAGE_NUMBER = re.compile(
    r"^[\s\-–—|.()\[\]]*(?:(?:page|pagina|pag\.?|p\.|seite|página|strona)\s*)?\d{1,4}"
    r"(?:\s*(?:of|di|de|von|sur|/|z)\s*\d{1,4})?[\s\-–—|.()\[\]]*$",
    re.IGNORECASE,
)
#: Closing punctuation: a page's last paragraph ending in none of these goes on on the next page.
_CLOSED = tuple('.!?…:;"»”’)]')
_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})(\d{2})")
_CID = re.compile(r"\(cid:\d+\)")
#: A footnote's mark: its number, before the note's first word.
_NOTE = re.compile(r"^\d{1,3}(?:\s+|(?=[^\W\d_]))")


@dataclass(frozen=True)
class _Line:
    page: int
    x0: float
    x1: float
    y0: float
    height: float
    text: str


@dataclass
class _Block:
    """A paragraph's lines, or a line of page furniture (with its reason)."""

    page: int
    lines: list[_Line]
    reason: str | None = None

    @property
    def height(self) -> float:
        return statistics.median(ln.height for ln in self.lines)


def _footnotes(blocks: list[_Block], body: float) -> set[int]:
    """The blocks that are a page's footnotes: its last paragraphs, when set smaller than
    the body text or starting with a note mark ("1Fonte: ...", "2 See ...")."""
    by_page: dict[int, list[int]] = {}
    for k, block in enumerate(blocks):
        if block.reason is None:
            by_page.setdefault(block.page, []).append(k)
    notes: set[int] = set()
    for ks in by_page.values():
        for k in reversed(ks[1:]):  # a page's only paragraph is no footnote
            block = blocks[k]
            if block.height >= SMALLER * body and _NOTE.match(block.lines[0].text) is None:
                break
            notes.add(k)
    return notes


def _no_text(path: Path) -> InputError:
    return InputError(
        path,
        "has no text layer: its pages are images (a scanned document), so there is no text to align",
        f"Run OCR on it first, e.g. `ocrmypdf {path.name} {path.stem}-ocr.pdf`, and align the result.",
    )


def _open(data: bytes, path: Path) -> Any:
    """The parsed document, or an :class:`InputError` saying why it cannot be read."""
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    if not is_pdf(data):
        raise InputError(
            path,
            "is not a PDF (it does not start with %PDF-)",
            "Check that it is the dispatch's PDF, or save its text as .txt.",
        )
    try:
        return PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFPasswordIncorrect:
        raise InputError(
            path,
            "is password-protected (it needs a password to open), so its text cannot be read",
            "Save a copy without the password (`qpdf --decrypt --password=PW in.pdf out.pdf`) and align it.",
        ) from None
    except PDFEncryptionError as err:
        raise InputError(
            path,
            f"is encrypted in a way that cannot be read ({err})",
            "Save an unprotected copy (e.g. with `qpdf --decrypt`) and align it.",
        ) from None
    except Exception as err:  # pdfminer's syntax errors share no base class worth naming
        raise InputError(
            path,
            f"is not a PDF that can be read ({type(err).__name__}: {err}); it may be truncated",
            "Check that the file is complete (download or export it again), or save its text as .txt.",
        ) from None


def _date(document: Any) -> str | None:
    from pdfminer.pdftypes import resolve1

    for info in document.info:
        value = resolve1(info.get("CreationDate"))
        if isinstance(value, bytes):
            value = value.decode("utf-16") if value.startswith(b"\xfe\xff") else value.decode("latin-1")
        if isinstance(value, str):
            m = _PDF_DATE.match(value.strip())
            if m:
                return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return None


def _pages(document: Any, path: Path) -> tuple[list[list[_Line]], list[float], bool]:
    """Every page's text lines in reading order, the pages' heights, and whether any page has images."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTFigure, LTImage, LTTextContainer, LTTextLine
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    resources = PDFResourceManager()
    device = PDFPageAggregator(resources, laparams=LAParams())
    interpreter = PDFPageInterpreter(resources, device)
    pages: list[list[_Line]] = []
    heights: list[float] = []
    images = False
    try:
        for number, page in enumerate(PDFPage.create_pages(document)):
            interpreter.process_page(page)
            layout = device.get_result()
            heights.append(float(layout.height))
            lines: list[_Line] = []
            for element in layout:
                if isinstance(element, LTFigure | LTImage):
                    images = True
                if not isinstance(element, LTTextContainer):
                    continue
                for line in element if not isinstance(element, LTTextLine) else [element]:
                    if isinstance(line, LTTextLine) and line.get_text().strip():
                        text = line.get_text().strip("\n")
                        lines.append(_Line(number, line.x0, line.x1, line.y0, line.height, text))
            pages.append(_visual_lines(lines))
    except Exception as err:
        raise InputError(
            path,
            f"could not be read to the end ({type(err).__name__}: {err}); it may be truncated or damaged",
            "Check that the file is complete (download or export it again), or save its text as .txt.",
        ) from None
    return pages, heights, images


def _same_baseline(a: _Line, b: _Line) -> bool:
    overlap = a.y0 < b.y0 + b.height and b.y0 < a.y0 + a.height
    return overlap and abs(a.y0 - b.y0) <= BASELINE * min(a.height, b.height)


def _one_line(left: float, piece: _Line, height: float, neighbours: list[_Line]) -> bool:
    """Whether ``piece`` goes on the visual line whose pieces so far end at ``left``:
    the gap between them is no column's gutter (see the module's docstring)."""
    if not neighbours:
        return piece.x0 - left <= NEAR * height
    # Not "a line crosses the gap": after a column's short line, the gap reaches into the
    # column, and the column's other lines cross it.
    crossed = any(n.x0 + height / 2 < piece.x0 < n.x1 for n in neighbours)
    next_column = any(abs(n.x0 - piece.x0) <= height / 2 for n in neighbours)
    return crossed and not next_column


def _visual_lines(pieces: list[_Line]) -> list[_Line]:
    """A page's lines in reading order, the pieces of each visual line joined into one."""
    rows: list[list[int]] = []  # indexes into ``pieces`` on one baseline, from the top
    for i in sorted(range(len(pieces)), key=lambda i: -pieces[i].y0):
        if rows and _same_baseline(pieces[rows[-1][0]], pieces[i]):
            rows[-1].append(i)
        else:
            rows.append([i])
    runs: list[list[int]] = []
    for r, row in enumerate(rows):
        first = pieces[row[0]]
        height = max(pieces[i].height for i in row)
        neighbours = [
            pieces[i]
            for near in (rows[r - 1] if r else [], rows[r + 1] if r + 1 < len(rows) else [])
            if near and abs(pieces[near[0]].y0 - first.y0) <= NEIGHBOURS * height
            for i in near
        ]
        run: list[int] = []
        for i in sorted(row, key=lambda i: pieces[i].x0):
            if run and not _one_line(max(pieces[k].x1 for k in run), pieces[i], height, neighbours):
                runs.append(run)
                run = []
            run.append(i)
        runs.append(run)
    lines = []
    for run in sorted(runs, key=lambda run: run[0]):  # where its leftmost piece was in reading order
        if len(run) == 1:
            lines.append(pieces[run[0]])
            continue
        start = pieces[run[0]]
        text = " ".join(pieces[i].text.strip() for i in run)
        height = max(pieces[i].height for i in run)
        x1 = max(pieces[i].x1 for i in run)
        lines.append(_Line(start.page, start.x0, x1, start.y0, height, text))
    return lines


def _normal(text: str) -> str:
    """A line's text for comparing running headers: digits aside, case and spaces folded."""
    return " ".join(re.sub(r"\d+", "#", text).casefold().split())


def _page_number(text: str, in_margin: bool, pages: int) -> bool:
    """Whether ``text`` reads as a page number: outside the margins (a page's first or
    last line), only if its number could be one ("2022." ending a paragraph is not)."""
    if not _PAGE_NUMBER.match(text):
        return False
    return in_margin or int(re.findall(r"\d+", text)[0]) <= 2 * pages + 10


def _furniture(pages: list[list[_Line]], heights: list[float]) -> dict[tuple[int, int], str]:
    """(page, line index) -> reason, for the page numbers and running headers and footers."""
    # -> top or bottom; in the margin; the page's first or last line
    candidates: dict[tuple[int, int], tuple[str, bool, bool]] = {}
    for p, lines in enumerate(pages):
        height = heights[p]
        for i, line in enumerate(lines):
            in_margin = line.y0 >= height * (1 - MARGIN) or line.y0 + line.height <= height * MARGIN
            outer = i in (0, len(lines) - 1)
            if (in_margin or outer) and len(line.text) <= 150:
                candidates[(p, i)] = ("top" if line.y0 > height / 2 else "bottom", in_margin, outer)
    pages_with: dict[str, set[int]] = {}
    for p, i in candidates:
        pages_with.setdefault(_normal(pages[p][i].text), set()).add(p)
    need = max(2, -(-len(pages) // 3))  # two pages, and a third of them
    body = statistics.median(ln.height for lines in pages for ln in lines)
    out = {}
    for (p, i), (where, in_margin, outer) in candidates.items():
        line = pages[p][i]
        small = in_margin and outer and line.height < SMALLER * body  # not a footnote above the footer
        if _page_number(line.text, in_margin, len(pages)):
            out[(p, i)] = PAGE_NUMBER
        elif len(pages_with[_normal(line.text)]) >= need or small:
            out[(p, i)] = PAGE_HEADER if where == "top" else PAGE_FOOTER
    return out


def _usual_spacing(pages: list[list[_Line]], flagged: dict[tuple[int, int], str]) -> float:
    steps = []
    for p, lines in enumerate(pages):
        body = [ln for i, ln in enumerate(lines) if (p, i) not in flagged]
        for above, below in itertools.pairwise(body):
            step = above.y0 - below.y0
            if 0 < step < 3 * max(above.height, below.height):
                steps.append(step)
    return statistics.median(steps) if steps else 0.0


def _starts_paragraph(above: _Line, below: _Line, spacing: float) -> bool:
    step = above.y0 - below.y0
    if step <= 0:  # not below: a new column or a block placed out of order
        return True
    if spacing and step > PARAGRAPH_GAP * spacing:
        return True
    return below.x0 > above.x0 + max(below.height, 1.0)  # a first-line indent


def extract_pdf(data: bytes, path: Path) -> Extracted:
    """The text of a PDF, one paragraph per line (see the module's docstring)."""
    # pdfminer logs what it works around in a damaged file ("Refusing to execute circular
    # reference to content stream 6"), which reached stderr bare; what stops it is an error of ours.
    logging.getLogger("pdfminer").setLevel(logging.CRITICAL)
    document = _open(data, path)
    pages, heights, images = _pages(document, path)
    if not any(pages):
        if images:
            raise _no_text(path)
        raise InputError(path, "has no text on any page", "Check that it is the dispatch's PDF.")
    text_chars = sum(len(ln.text) for lines in pages for ln in lines)
    cids = sum(len(m) for lines in pages for ln in lines for m in _CID.findall(ln.text))
    if cids > 0.3 * text_chars:
        raise InputError(
            path,
            "has text whose fonts carry no character map (pdfminer reads only glyph numbers such as "
            "'(cid:12)')",
            f"Run OCR on it, e.g. `ocrmypdf --force-ocr {path.name} {path.stem}-ocr.pdf`, or save its "
            "text from the program that made it.",
        )
    flagged = _furniture(pages, heights)
    spacing = _usual_spacing(pages, flagged)
    body = statistics.median(ln.height for lines in pages for ln in lines)
    blocks: list[_Block] = []
    for p, lines in enumerate(pages):
        previous: _Line | None = None
        for i, line in enumerate(lines):
            reason = flagged.get((p, i))
            if reason is not None:
                blocks.append(_Block(p, [line], reason))
                continue
            if previous is None or _starts_paragraph(previous, line, spacing):
                blocks.append(_Block(p, [line]))
            else:  # the page's open paragraph
                next(b for b in reversed(blocks) if b.reason is None).lines.append(line)
            previous = line
    notes = _footnotes(blocks, body)
    out: list[str] = []
    furniture: dict[int, str] = {}
    hyphens = across = 0
    # The last paragraph in body type (in ``out``), its page, and whether only furniture and
    # paragraphs in smaller type (footnotes) came after it.
    last: int | None = None
    last_page = -1
    for k, block in enumerate(blocks):
        if block.reason is not None:
            furniture[len(out)] = block.reason
            out.append(" ".join(block.lines[0].text.split()))
            continue
        text, joined = join_paragraph([ln.text for ln in block.lines])
        hyphens += joined
        in_body = k not in notes
        if in_body and last is not None and block.page != last_page and not out[last].endswith(_CLOSED):
            # A paragraph running over the page break, past the footer, footnotes and header.
            merged, joined = join_paragraph([out[last], text])
            hyphens += joined
            out[last] = merged
            across += 1
            last_page = block.page
            continue
        if in_body:
            last, last_page = len(out), block.page
        out.append(text)
    counts = {
        "pages": len(pages),
        "furniture_lines": len(furniture),
        "hyphenated_words_joined": hyphens,
        "paragraphs_across_pages": across,
    }
    return Extracted("\n".join(out), "pdf", furniture, _date(document), counts)
