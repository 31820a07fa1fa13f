"""Word (``.docx``, python-docx) and OpenDocument (``.odt``, odfpy) text.

Both are read the same way: the body's paragraphs, headings, list items and
table cells in document order, one per line (a line break inside a paragraph
is a space, two in a row part it: :func:`aligner.formats.paragraph_lines`); a footnote's or endnote's text
on the lines after the paragraph that cites it (the note mark itself is
dropped); the page headers and footers first and last, flagged as page
furniture; deleted tracked changes and comments left out. The date is the
metadata's creation date.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import InputError
from . import PAGE_FOOTER, PAGE_HEADER, Extracted, paragraph_lines

#: An OLE compound file: an encrypted Office document (or an old binary .doc).
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: python-docx's built-in template carries this creation time: not a real document's.
_DOCX_TEMPLATE_CREATED = "2013-12-23"
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
#: The most one part of a document (its text's XML, an image) may inflate to, and all of
#: them together: 10 MB of text in Word's XML, formatting and all, is 25 to 60 MiB.
MAX_MEMBER = 128 * 2**20
MAX_INFLATED = 256 * 2**20
#: A part over RATIO_FROM bytes may inflate at most this many times its packed size
#: (Apache POI's zip-bomb bar, 1 %): text and its XML pack 5 to 10 times, styles 30,
#: while 5 million empty paragraphs (30 MB, 34 s to read and 1.8 GB) packed into 44 KB.
MAX_RATIO = 100
RATIO_FROM = 4 * 2**20


def _not_a_zip(data: bytes, path: Path, kind: str, app: str) -> InputError:
    """The error for an Office file that is no zip archive: encrypted, old binary, or broken."""
    if data.startswith(_OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            return InputError(
                path,
                "is password-protected (an encrypted Office document), so its text cannot be read",
                f"Open it in {app}, remove the password (or save an unprotected copy) and try again.",
            )
        return InputError(
            path,
            f"is an old binary Office document (Word 97-2003 .doc) with a .{kind} name",
            f"Open it in {app} and save it as .{kind}.",
        )
    return InputError(
        path,
        f"is not a valid .{kind} file (not a zip archive: it may be truncated, or another kind of file)",
        f"Open it in {app} and save it again as .{kind}, or save its text as .txt.",
    )


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MiB" if n >= 2**20 else f"{max(1, round(n / 1024))} KiB"


def _inflation_problem(name: str, size: int, packed: int, total: int) -> str | None:
    """What is wrong with a member that inflates from ``packed`` to ``size`` bytes, the
    members before it (and it) to ``total``; None if nothing."""
    if size > MAX_MEMBER:
        return (
            f"{name} inflates to {_size(size)}, more than the {_size(MAX_MEMBER)} a document's part may have"
        )
    if total > MAX_INFLATED:
        return (
            f"its parts inflate to {_size(total)} in all, "
            f"more than the {_size(MAX_INFLATED)} a document may have"
        )
    if size > RATIO_FROM and size > MAX_RATIO * max(packed, 1):
        return (
            f"{name} inflates from {_size(packed)} to {_size(size)}, {size // max(packed, 1)} times, "
            f"more than the {MAX_RATIO} times a document's text does (a zip bomb, or generated filler)"
        )
    return None


def _check_members(archive: zipfile.ZipFile, path: Path, kind: str, app: str) -> None:
    """Refuse an archive whose members inflate too far (before anything parses them), or
    whose data is damaged (each member read to its end and its checksum checked)."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        problem = _inflation_problem(info.filename, info.file_size, info.compress_size, total)
        if problem is not None:
            raise InputError(
                path,
                f"is too big to read once unpacked: {problem}",
                f"Check that it is the dispatch, or save its text from {app} as .txt.",
            )
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise InputError(
                path,
                f"is password-protected (its part {info.filename} is encrypted in the zip archive)",
                f"Open it in {app}, save a copy without a password and try again.",
            )
        try:
            with archive.open(info) as member:
                # zipfile stops at the size the archive's directory gives (and then finds the
                # checksum wrong); the count is a second guard against a lying size.
                read = 0
                while chunk := member.read(2**20):
                    read += len(chunk)
                    if read > info.file_size:
                        raise zipfile.BadZipFile(f"{info.filename} inflates past its declared size")
        except NotImplementedError as err:  # deflate64, bzip2 beyond zipfile's reach...
            raise InputError(
                path,
                f"is packed in a way that cannot be read ({info.filename}: {err})",
                f"Open it in {app} and save it again as .{kind}.",
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as err:
            why = str(err).rstrip(".")
            raise InputError(
                path,
                f"is damaged ({info.filename} cannot be unpacked: {why}); it may be truncated or corrupted",
                f"Download or export it again, or open it in {app} and save it again as .{kind}.",
            ) from None


def _open_zip(data: bytes, path: Path, kind: str, app: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise _not_a_zip(data, path, kind, app) from None
    _check_members(archive, path, kind, app)
    return archive


def _lines_of(paragraphs: list[str]) -> list[str]:
    """Paragraph texts as lines (:func:`aligner.formats.paragraph_lines`)."""
    return [line for text in paragraphs for line in paragraph_lines(text)]


def _assemble(
    header: list[str], body: list[str], footer: list[str], fmt: str, date: str | None, counts: dict[str, int]
) -> Extracted:
    head, main, foot = _lines_of(header), _lines_of(body), _lines_of(footer)
    furniture = {i: PAGE_HEADER for i in range(len(head))}
    furniture |= {len(head) + len(main) + i: PAGE_FOOTER for i in range(len(foot))}
    counts = counts | {"header_lines": len(head), "footer_lines": len(foot)}
    return Extracted("\n".join(head + main + foot), fmt, furniture, date, counts)


# --- Word ------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: Subtrees whose text is not the paragraph's: deleted revisions (and text moved away
#: from here: it is read where it moved to), field codes, text boxes (read as paragraphs
#: of their own), note marks.
_W_SKIP = {
    f"{_W}{n}" for n in ("del", "moveFrom", "instrText", "delText", "txbxContent", "footnoteReference")
}
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def _w_text(element: Any) -> str:
    """The text of a Word paragraph element: runs, hyperlinks, insertions; tabs and breaks."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        for child in node:
            tag = child.tag
            if tag in _W_SKIP or tag == f"{_W}endnoteReference":
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):  # a page or column break parts paragraphs
                parts.append("\n" if child.get(f"{_W}type") in (None, "textWrapping") else "\n\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{_W}softHyphen":
                parts.append("\u00ad")
            else:
                walk(child)

    walk(element)
    return "".join(parts).replace("\u00ad", "")


def _w_boxes(paragraph: Any) -> Iterator[Any]:
    """The text boxes (``w:txbxContent``) in a paragraph, in order. Word 2010 and later
    write a shape twice, as ``mc:AlternateContent``: the ``mc:Choice`` copy is read, the
    ``mc:Fallback`` one (VML, for older readers) only where the choice has no text box."""
    for box in paragraph.iter(f"{_W}txbxContent"):
        fallback = next(box.iterancestors(f"{_MC}Fallback"), None)
        if fallback is not None:
            alternate = fallback.getparent()
            choices = [] if alternate is None else alternate.iterchildren(f"{_MC}Choice")
            if any(next(c.iter(f"{_W}txbxContent"), None) is not None for c in choices):
                continue
        yield box


def _w_notes(document: Any) -> dict[tuple[str, str], list[str]]:
    """Footnotes and endnotes by (kind, id): their paragraphs' texts."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    notes: dict[tuple[str, str], list[str]] = {}
    for kind, reltype in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)):
        for rel in document.part.rels.values():
            if rel.reltype != reltype or rel.is_external:
                continue
            root = etree.fromstring(rel.target_part.blob)
            for note in root.iter(f"{_W}{kind}"):
                if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                texts = [_w_text(p) for p in note.iter(f"{_W}p")]
                notes[(kind, note.get(f"{_W}id", ""))] = [t for t in texts if t.strip()]
    return notes


def _w_cited(element: Any) -> Iterator[tuple[str, str]]:
    for kind in ("footnote", "endnote"):
        for ref in element.iter(f"{_W}{kind}Reference"):
            yield kind, ref.get(f"{_W}id", "")


def _w_blocks(element: Any) -> Iterator[Any]:
    """The paragraphs (``w:p``) and tables (``w:tbl``) of a body, cell, header or footer in
    document order, those inside content controls (``w:sdt``) and custom XML elements
    (``w:customXml``) included: python-docx's ``iter_inner_content`` leaves them out."""
    for child in element:
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag == f"{_W}sdt":
            for inner in child.iterchildren(f"{_W}sdtContent"):
                yield from _w_blocks(inner)
        elif child.tag == f"{_W}customXml":
            yield from _w_blocks(child)


def _docx_blocks(
    container: Any, notes: dict[tuple[str, str], list[str]], counts: dict[str, int]
) -> list[str]:
    """The paragraphs of a body or table cell in order, tables cell by cell, notes after citations."""
    from docx.table import Table

    out: list[str] = []
    for element in _w_blocks(container._element):
        if element.tag == f"{_W}tbl":
            counts["tables"] += 1
            for row in Table(element, container).rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is listed once per grid column
                        continue
                    seen.add(id(cell._tc))
                    out.extend(_docx_blocks(cell, notes, counts))
            continue
        out.append(_w_text(element))
        for box in _w_boxes(element):
            out.extend(_w_text(p) for p in box.iter(f"{_W}p"))
        for key in _w_cited(element):
            if key in notes:
                counts[f"{key[0]}s"] += 1
                out.extend(notes.pop(key))
    return out


_CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
#: Core properties with none set: in place of a metadata part that is no XML.
_NO_CORE = (
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>'
)


def _not_xml(archive: zipfile.ZipFile, name: str) -> str | None:
    """Why member ``name`` is no well-formed XML, or None if it is (or is missing)."""
    from lxml import etree

    try:
        etree.fromstring(archive.read(name), etree.XMLParser(resolve_entities=False))
    except KeyError:
        return None
    except etree.XMLSyntaxError as err:
        return str(err.msg or err)
    return None


def _without_broken_metadata(archive: zipfile.ZipFile, data: bytes) -> bytes | None:
    """``data`` with its core properties (the metadata: title, dates) emptied if they are
    no well-formed XML, so that the text can still be read; None if they are fine."""
    from lxml import etree

    try:
        rels = etree.fromstring(archive.read("_rels/.rels"), etree.XMLParser(resolve_entities=False))
    except (KeyError, etree.XMLSyntaxError):
        return None  # python-docx tells what is wrong
    names = [r.get("Target", "").lstrip("/") for r in rels if r.get("Type") == _CORE_PROPERTIES]
    broken = [n for n in names if _not_xml(archive, n) is not None]
    if not broken:
        return None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            copy.writestr(info, _NO_CORE if info.filename in broken else archive.read(info))
    return out.getvalue()


def _unreadable_docx(archive: zipfile.ZipFile, path: Path, err: Exception) -> InputError:
    """The error for a Word document python-docx or lxml cannot read: the first part that
    is no well-formed XML named, if that is why."""
    why = f"{type(err).__name__}: {err}"
    for name in archive.namelist():
        if name.endswith((".xml", ".rels")):
            problem = _not_xml(archive, name)
            if problem is not None:
                why = f"{name} is not well-formed XML: {problem}"
                break
    return InputError(
        path,
        f"is not a Word document that can be read ({why})",
        "Open it in Word and save it again as .docx, or save its text as .txt.",
    )


def extract_docx(data: bytes, path: Path) -> Extracted:
    """The text of a Word document (see the module's docstring); broken metadata is
    left out (no date), other broken XML refused."""
    from docx.exceptions import InvalidXmlError
    from lxml import etree

    archive = _open_zip(data, path, "docx", "Word")
    repaired = _without_broken_metadata(archive, data)
    try:
        extracted = _read_docx(data if repaired is None else repaired, path)
    except (etree.XMLSyntaxError, etree.XPathError, InvalidXmlError) as err:
        raise _unreadable_docx(archive, path, err) from None
    if repaired is not None:
        extracted = replace(extracted, counts={**extracted.counts, "unreadable_metadata": 1})
    return extracted


def _read_docx(data: bytes, path: Path) -> Extracted:
    import docx
    from docx.exceptions import InvalidXmlError
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, InvalidXmlError) as err:
        raise InputError(
            path,
            f"is not a Word document that can be read ({type(err).__name__}: {err})",
            "Open it in Word and save it again as .docx, or save its text as .txt.",
        ) from None
    counts = {"tables": 0, "footnotes": 0, "endnotes": 0}
    notes = _w_notes(document)
    body = _docx_blocks(document._body, notes, counts)
    for texts in notes.values():  # notes no paragraph cites (or cited from a header): at the end
        body.extend(texts)
    header: list[str] = []
    footer: list[str] = []
    for section in document.sections:
        for part, into in (
            (section.first_page_header, header),
            (section.header, header),
            (section.even_page_header, header),
            (section.first_page_footer, footer),
            (section.footer, footer),
            (section.even_page_footer, footer),
        ):
            if part.is_linked_to_previous:
                continue
            for text in _docx_blocks(part, {}, {"tables": 0}):
                if text.strip() and text not in into:
                    into.append(text)
    created = document.core_properties.created
    date = created.date().isoformat() if created is not None else None
    if date == _DOCX_TEMPLATE_CREATED:
        date = None
    return _assemble(header, body, footer, "docx", date, counts)


# --- OpenDocument ----------------------------------------------------------------------------

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
_DC = "http://purl.org/dc/elements/1.1/"
#: Elements whose text is not running text: comments, tracked changes' records,
#: note marks (the note's body is read apart), and list numbering already rendered.
_ODF_SKIP = {
    (_OFFICE, "annotation"),
    (_OFFICE, "annotation-end"),
    (_TEXT, "tracked-changes"),
    (_TEXT, "note-citation"),
    (_TEXT, "note"),
    (_TEXT, "bookmark-ref"),
}
_ODF_PARAGRAPHS = {(_TEXT, "p"), (_TEXT, "h")}


#: The most spaces one ``text:s`` gives: runs of spaces are one space in the text anyway.
_MAX_SPACES = 100


def _spaces(count: str | None) -> int:
    """The spaces ``text:s text:c="count"`` stands for: one if the count is no positive
    whole number ("tre"), at most :data:`_MAX_SPACES` (a count of 2000000000 took 4 GB)."""
    try:
        return max(1, min(int(count or 1), _MAX_SPACES))
    except ValueError:
        return 1


def _odf_text(node: Any) -> str:
    """A paragraph's text: spans, links, fields; ``text:s`` spaces, tabs and line breaks."""
    parts: list[str] = []

    def walk(n: Any) -> None:
        for child in n.childNodes:
            if child.nodeType == child.TEXT_NODE:
                parts.append(child.data)
                continue
            if child.nodeType != child.ELEMENT_NODE:
                continue
            qname = child.qname
            if qname in _ODF_SKIP or qname == (_DRAW, "frame"):
                continue
            if qname == (_TEXT, "s"):
                parts.append(" " * _spaces(child.attributes.get((_TEXT, "c"))))
            elif qname == (_TEXT, "tab"):
                parts.append("\t")
            elif qname == (_TEXT, "line-break"):
                parts.append("\n")
            elif qname == (_TEXT, "soft-hyphen"):
                continue
            else:
                walk(child)

    walk(node)
    return "".join(parts)


def _odf_blocks(node: Any, counts: dict[str, int]) -> list[str]:
    """The paragraphs under ``node`` in document order: lists, sections, tables cell by cell,
    frames' text boxes and notes after the paragraph holding them."""
    out: list[str] = []
    for child in node.childNodes:
        if child.nodeType != child.ELEMENT_NODE or child.qname in _ODF_SKIP:
            continue
        if child.qname in _ODF_PARAGRAPHS:
            out.append(_odf_text(child))
            for inner in _odf_inner(child):
                if inner.qname == (_TEXT, "note"):
                    counts["footnotes" if _is_footnote(inner) else "endnotes"] += 1
                    for body in _odf_children(inner, (_TEXT, "note-body")):
                        out.extend(_odf_blocks(body, counts))
                else:  # a frame's text box
                    out.extend(_odf_blocks(inner, counts))
            continue
        if child.qname == (_TABLE, "table"):
            counts["tables"] += 1
        out.extend(_odf_blocks(child, counts))
    return out


def _odf_children(node: Any, qname: tuple[str, str]) -> list[Any]:
    return [c for c in node.childNodes if c.nodeType == c.ELEMENT_NODE and c.qname == qname]


def _is_footnote(note: Any) -> bool:
    return bool(note.attributes.get((_TEXT, "note-class"), "footnote") == "footnote")


def _odf_inner(paragraph: Any) -> Iterator[Any]:
    """Notes and text boxes inside a paragraph, in order (not inside other notes)."""
    for child in paragraph.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if child.qname in ((_TEXT, "note"), (_DRAW, "text-box")):
            yield child
        elif child.qname not in _ODF_SKIP:
            yield from _odf_inner(child)


def _odf_date(document: Any) -> str | None:
    for qname in ((_META, "creation-date"), (_DC, "date")):
        for element in document.meta.childNodes:
            if element.nodeType == element.ELEMENT_NODE and element.qname == qname:
                m = _ISO_DATE.match(_odf_text(element))
                if m:
                    return m.group(1)
    return None


def _odf_encrypted(archive: zipfile.ZipFile) -> bool:
    try:
        manifest = archive.read("META-INF/manifest.xml")
    except KeyError:
        return False
    return b"encryption-data" in manifest


def extract_odt(data: bytes, path: Path) -> Extracted:
    """The text of an OpenDocument text (see the module's docstring)."""
    from odf.opendocument import load

    archive = _open_zip(data, path, "odt", "LibreOffice Writer")
    if _odf_encrypted(archive):
        raise InputError(
            path,
            "is password-protected (an encrypted OpenDocument file), so its text cannot be read",
            "Open it in LibreOffice Writer, save a copy without a password and try again.",
        )
    try:
        document = load(io.BytesIO(data))
    except Exception as err:  # odfpy raises what its XML parser and zipfile raise
        raise InputError(
            path,
            f"is not an OpenDocument text that can be read ({type(err).__name__}: {err})",
            "Open it in LibreOffice Writer and save it again as .odt, or save its text as .txt.",
        ) from None
    counts = {"tables": 0, "footnotes": 0, "endnotes": 0}
    body = _odf_blocks(document.text, counts)
    header: list[str] = []
    footer: list[str] = []
    for page in document.masterstyles.childNodes:
        if page.nodeType != page.ELEMENT_NODE:
            continue
        for part in page.childNodes:
            if part.nodeType != part.ELEMENT_NODE or part.qname[0] != _STYLE:
                continue
            into = header if part.qname[1].startswith("header") else footer
            if not part.qname[1].startswith(("header", "footer")):
                continue
            for text in _odf_blocks(part, {"tables": 0, "footnotes": 0, "endnotes": 0}):
                if text.strip() and text not in into:
                    into.append(text)
    return _assemble(header, body, footer, "odt", _odf_date(document), counts)
