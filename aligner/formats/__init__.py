"""Text out of the formats people keep documents in: plain text, Word, OpenDocument, web pages, PDF.

Each extractor turns a file's bytes into an :class:`Extracted`: the text, one
paragraph per line (the source format's paragraph breaks are kept; the
splitter never joins lines), the lines that are page furniture (running
headers and footers, page numbers) with their reason, a date from the
document's metadata, and counts of what extraction did. :func:`aligner.load.parse`
then treats that text as it treats a ``.txt`` file (a leading ``date`` token,
repairs, boilerplate flags); sentence offsets refer to it, and a run stores it
in its work folder.

The libraries (each imported only when a document of its format is read):

- ``.docx``: python-docx (paragraphs and tables in document order, footnotes
  and endnotes after the paragraph that cites them, headers and footers flagged);
- ``.odt``: odfpy (the same, from the OpenDocument tree);
- ``.html``/``.htm``: trafilatura, which finds a news page's main text and its
  metadata (the page chrome it leaves out is counted);
- ``.pdf``: pdfminer.six for the text lines and their positions; lines are
  joined into paragraphs, hyphenated words across line ends rejoined, running
  headers, footers and page numbers flagged (:mod:`aligner.formats.pdf`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as pkg_version
from pathlib import Path

#: Reasons of page furniture, as the manifest's boilerplate lines give them.
PAGE_HEADER = "page header"
PAGE_FOOTER = "page footer"
PAGE_NUMBER = "page number"


@dataclass(frozen=True)
class Extracted:
    """A document's text as extracted from its file.

    ``furniture`` maps 0-based line numbers of ``text`` to the reason they are
    page furniture; ``date`` is the metadata's date as ``YYYY-MM-DD`` (None if
    it has none); ``counts`` says what extraction did (tables read, hyphenated
    words joined, characters of page chrome left out...).
    """

    text: str
    format: str
    furniture: Mapping[int, str] = field(default_factory=dict)
    date: str | None = None
    counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Format:
    """A file format we read: its name, the package that extracts it, and how."""

    name: str
    package: str | None  # the PyPI distribution doing the work; None: ours (plain text)
    suffixes: tuple[str, ...]
    #: The revision of our own reading rules for the format, raised whenever the text read
    #: from a file changes: the read signature names it past 1, and a run reads its stored
    #: documents of the format again. Each revision, and what changed, is noted at FORMATS.
    rules: int = 1

    @property
    def extractor(self) -> str:
        """The extractor and its version, as the manifest and the signature name it:
        ``python-docx 1.2.0``."""
        if self.package is None:
            return "text"
        try:
            return f"{self.package} {pkg_version(self.package)}"
        except PackageNotFoundError:
            return f"{self.package} (not installed)"

    @property
    def reader(self) -> str:
        """What the text read from a file depends on: the extractor and, past the first,
        our rules' revision (``python-docx 1.2.0 rules2``)."""
        return self.extractor if self.rules == 1 else f"{self.extractor} rules{self.rules}"

    def extract(self, data: bytes, path: Path) -> Extracted:
        return _extractor(self.name)(data, path)


# rules revisions: odt 2, text:s counts of no positive number are one space (c="0" or "-2" gave none);
# docx 2, paragraphs inside content controls and custom XML read; docx 3, a text box Word
# writes twice (mc:AlternateContent) read once; docx 4, tracked moves read where they went only;
# txt 2, the date token lifted after blank lines too; pdf 2, a line that pdfminer gives in pieces
# (justified text) read as one line (each piece was a line, often a paragraph, of its own).
FORMATS = (
    Format("txt", None, (".txt",), rules=2),
    Format("docx", "python-docx", (".docx",), rules=4),
    Format("odt", "odfpy", (".odt",), rules=2),
    Format("html", "trafilatura", (".html", ".htm")),
    Format("pdf", "pdfminer.six", (".pdf",), rules=2),
)
_BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}
#: Every suffix a document may have, in lower case (``.TXT`` and ``.Docx`` are read too).
SUFFIXES = tuple(_BY_SUFFIX)
#: The suffixes as messages list them: ".txt, .docx, .odt, .html, .htm, .pdf".
SUFFIX_LIST = ", ".join(SUFFIXES)


#: What each format is called where a file's contents say it is that format.
_KIND_NAMES = {"pdf": "a PDF", "docx": "a Word (.docx)", "odt": "an OpenDocument text (.odt)"}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` starts as a PDF does (``%PDF-``, white space before it allowed)."""
    return data.lstrip()[:5] == b"%PDF-"


def sniff(data: bytes) -> str | None:
    """The format ``data`` is by its first bytes, whatever the file's name: ``pdf``, ``docx``
    (a zip holding ``word/``), ``odt`` (a zip whose ``mimetype`` says so), or None."""
    if is_pdf(data):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if any(n.startswith("word/") for n in names):
                return "docx"
            if "mimetype" in names and archive.read("mimetype").strip() == _ODT_MIMETYPE:
                return "odt"
    # What zipfile raises for a damaged archive, or RuntimeError for an encrypted member or
    # (as its subclass NotImplementedError) a compression method it lacks, such as deflate64:
    # none of these is a docx or odt here; the extractor says what is wrong when the file's
    # name claims one.
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return None
    return None


def misnamed(data: bytes, path: Path) -> tuple[str, str] | None:
    """What a file is and the fix, if its contents are another format than its name says
    (a PDF saved as ``page.html``); None if not."""
    fmt = format_of(path)
    kind = sniff(data)
    if fmt is None or kind is None or kind == fmt.name:
        return None
    suffix = path.suffix
    article = "an" if suffix.lower() in (".html", ".htm", ".odt") else "a"
    return (
        f"is {_KIND_NAMES[kind]} file with {article} {suffix} name",
        f"Rename it to {path.stem}.{kind} and align that.",
    )


def format_of(path: Path | str) -> Format | None:
    """The format of a file by its suffix (any case), or None if it is none we read."""
    return _BY_SUFFIX.get(Path(path).suffix.lower())


def _extractor(name: str) -> Callable[[bytes, Path], Extracted]:
    # Imported on use: a run of .txt files never loads lxml, odfpy or pdfminer.
    if name == "docx":
        from .office import extract_docx

        return extract_docx
    if name == "odt":
        from .office import extract_odt

        return extract_odt
    if name == "html":
        from .web import extract_html

        return extract_html
    if name == "pdf":
        from .pdf import extract_pdf

        return extract_pdf
    raise ValueError(f"no extractor for {name!r}")  # plain text is aligner.load's


def extractors_id() -> str:
    """The extractors and their versions, for the signature:
    ``docx-python-docx1.2.0+odt-odfpy1.4.1(rules2)+...`` (plain text is ours: ``txt``),
    with our rules' revision past the first."""
    parts = []
    for fmt in FORMATS:
        part = fmt.name if fmt.package is None else f"{fmt.name}-{fmt.extractor.replace(' ', '')}"
        parts.append(part if fmt.rules == 1 else f"{part}(rules{fmt.rules})")
    return "+".join(parts)


_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
#: A line ending in one of these ends a sentence: a line break after it parts paragraphs.
_ENDS = tuple('.!?…:;"»”’)')


def paragraph_lines(text: str) -> list[str]:
    r"""A paragraph's text with its line breaks, as lines: a line break (Word's
    Shift+Enter, HTML's ``<br>``) inside a sentence is a space, since the sentence
    runs across it; after a sentence's end, or two in a row, it parts paragraphs,
    as some editors and web pages use them. Tabs and runs of spaces are one space.

    >>> paragraph_lines("Vladimir Putin sta cercando\ndi mantenere.\nIl grande gioco\n\nè di equilibri")
    ['Vladimir Putin sta cercando di mantenere.', 'Il grande gioco', 'è di equilibri']
    """
    out = []
    for part in _BLANK_LINE.split(text):
        line = ""
        for piece in part.split("\n"):
            piece = " ".join(piece.split())
            if line.endswith(_ENDS):
                out.append(line)
                line = piece
            else:
                line = f"{line} {piece}" if line and piece else line or piece
        out.append(line)
    return out


def join_paragraph(lines: list[str]) -> tuple[str, int]:
    """Lines of one paragraph as one line, and how many hyphenated words were rejoined.

    A line ending in a hyphen right after a letter, followed by a line starting
    with a lower-case letter, is a word hyphenated at the line end: the hyphen
    goes ("approvvi-" + "gionamento"). Ending in a soft hyphen (U+00AD), the same
    whatever follows. Another hyphen ending a word (before a capital, or after a
    digit) is kept, without a
    space ("Putin-" + "Trump", "2022-" + "2023"). Other lines are joined with one space.
    """
    out = ""
    joined = 0
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("\u00ad"):
            out = out[:-1] + line
            joined += 1
        elif out.endswith("-") and len(out) > 1 and not out[-2].isspace():
            if out[-2].isalpha() and line[0].islower():
                out = out[:-1] + line
                joined += 1
            else:  # a compound or a range split at its hyphen: "Putin-Trump", "2022-2023"
                out += line
        else:
            out += " " + line
    return out.replace("\u00ad", ""), joined
