"""Reading documents: the only module that opens input files.

A document is a ``.txt`` file, or a Word, OpenDocument, web page or PDF file
whose text :mod:`aligner.formats` extracts (one paragraph per line). A
``.txt`` document is read as UTF-8 text (a byte-order mark is accepted), or UTF-16 or
UTF-32 with the byte-order mark that declares it, or else as the encoding the
caller names (``--encoding cp1252``: the legacy encoding of an archive). Other
encodings, binary files and empty files are refused with an :class:`InputError`
that names the file, says what it seems to be and how to fix it. Line ends are normalised
to ``\\n``; a leading ``date YYYY-MM-DD`` (or ``YYYY-MM``) token is lifted into
:attr:`Document.date` and removed from the text, as written (:func:`date_problem`
tells whether it names a real day or month); each line is repaired of scraped-web
damage (:mod:`aligner.repair`) and boilerplate lines are flagged.
"""

from __future__ import annotations

import codecs
import re
import shlex
import stat
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from .boilerplate import flag_lines
from .errors import InputError
from .formats import SUFFIX_LIST, SUFFIXES, Extracted, format_of, misnamed
from .model import Document, Line, Sentence, date_fault
from .repair import describe, repair_lines

# Horizontal white space only, so that line numbers stay those of the file.
_DATE = re.compile(r"^[ \t\ufeff]*date[ \t]+(\d{4}-\d{2}(?:-\d{2})?)(?:[ \t]+|(?=\n)|$)", re.IGNORECASE)
# Control characters other than tab, newline and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: Files larger than this are refused (a dispatch is a few kilobytes).
MAX_BYTES = 50 * 1024 * 1024
#: What the messages say a document may be.
_KINDS = "text (.txt, UTF-8), Word (.docx), OpenDocument (.odt), web page (.html) or PDF"


#: Letters and signs of Italian and English text beyond ASCII: a decoding that
#: yields more of them is the likelier one.
_WESTERN = frozenset("àèéìíîòóùúÀÈÉÌÍÎÒÓÙÚçÇñÑäöüÄÖÜ«»“”‘’„–—…€°ªº·§")
#: Among equally likely decodings, these win in this order (Western European
#: first, since the documents are Italian and English).
_PREFERRED = ("cp1252", "mac_roman")
#: iconv's names (GNU libc's, most also GNU libiconv's) for the Python codec
#: names charset-normalizer gives where iconv spells them otherwise.
_ICONV_NAMES = {
    "latin_1": "ISO-8859-1",
    "utf_16_be": "UTF-16BE",
    "utf_16_le": "UTF-16LE",
    "utf_32_be": "UTF-32BE",
    "utf_32_le": "UTF-32LE",
    "mac_roman": "MACINTOSH",
    "mac_latin2": "MAC-CENTRALEUROPE",
    "mac_iceland": "MAC-IS",
    "iso2022_jp": "ISO-2022-JP",
    "iso2022_jp_2": "ISO-2022-JP-2",
    "iso2022_jp_3": "ISO-2022-JP-3",
    "iso2022_kr": "ISO-2022-KR",
    "euc_jis_2004": "EUC-JISX0213",
    "shift_jis_2004": "SHIFT_JISX0213",
    "shift_jisx0213": "SHIFT_JISX0213",
    "kz1048": "RK1048",
    "ptcp154": "PT154",
}
#: Python codecs GNU libc's iconv has no converter for: Python converts them.
_NOT_IN_ICONV = frozenset(
    {"cp720", "cp1006", "hz", "mac_greek", "mac_turkish", "iso2022_jp_1", "iso2022_jp_2004", "iso2022_jp_ext"}
)


def _western_letters(data: bytes, codec: str) -> int:
    """How many non-ASCII characters of ``data`` decoded with ``codec`` are Italian or English ones."""
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return -1
    return sum(1 for ch in text if ch in _WESTERN)


def _guess_encoding(data: bytes) -> str | None:
    """The likeliest encoding of ``data``, as a Python codec name (``cp1252``, ``utf_16``).

    charset-normalizer ranks the candidates by how garbled each decoding looks.
    Among the least garbled (with Mac Roman wherever Mac Icelandic is: it folds
    the two), the one giving the most Italian and English letters wins, and of
    equals cp1252, then Mac Roman, then charset-normalizer's first (a short
    Italian sample fits cp1250 as well, and converting from it turns "à" into "ŕ").
    """
    from charset_normalizer import from_bytes

    sample = data[:200_000]
    matches = list(from_bytes(sample))
    if not matches:
        return None
    least = [str(m.encoding) for m in matches if m.chaos == matches[0].chaos]
    if "mac_iceland" in least:
        least.append("mac_roman")
    candidates = [c for c in _PREFERRED if c in least] + [c for c in least if c not in _PREFERRED]
    # max() keeps the first of equals, so the order above breaks ties.
    return max(candidates, key=lambda c: _western_letters(sample, c))


def _shown(codec: str) -> str:
    """A Python codec name as the messages show it: ``utf_16_le`` -> ``utf-16-le``."""
    return codec.replace("_", "-")


def conversion_command(codec: str | None, path: Path | str) -> str:
    """A shell command that writes ``path``, encoded with the Python codec ``codec``
    (``None``: not known, left for the user to fill in), as UTF-8."""
    quoted = shlex.quote(str(path))
    if codec in _NOT_IN_ICONV:
        return (
            "python3 -c \"import sys; sys.stdout.buffer.write(open(sys.argv[1], 'rb').read()"
            f'.decode(sys.argv[2]).encode())" {quoted} {codec} > converted.txt'
        )
    name = "ENCODING" if codec is None else _ICONV_NAMES.get(codec, _shown(codec))
    return f"iconv -f {name} -t utf-8 {quoted} > converted.txt"


#: Byte-order marks that declare a Unicode encoding other than UTF-8, longest first (the
#: UTF-32 little-endian mark begins with UTF-16's), with the codec that reads past them.
_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def text_encoding(name: str) -> str:
    """The canonical name of the text encoding ``name`` (``latin-1`` -> ``iso8859-1``);
    :class:`ValueError` if Python has no text encoding of that name."""
    try:
        info = codecs.lookup(name)
        "a".encode(info.name)  # LookupError for base64, rot13 and the other non-text codecs
    except LookupError:
        raise ValueError(
            f"{name!r} is not a text encoding Python knows; give one such as cp1252 (Windows' "
            "Western European), iso-8859-15, latin-1 or mac-roman"
        ) from None
    return info.name


def _wide(codec: str) -> bool:
    """Whether ``codec`` writes a character in two or four bytes (UTF-16, UTF-32), so that
    an ASCII text in it is full of NUL bytes."""
    return len("aa".encode(codec)) - len("a".encode(codec)) > 1  # a byte-order mark aside


def _encoding_hint(codec: str | None, path: Path | str, offer_option: bool) -> str:
    """The fix for a file that is not in the encodings tried: the conversion command, and
    with ``offer_option`` the option that reads it as it is."""
    command = conversion_command(codec, path)
    if not offer_option:
        return f"Convert it with: {command}"
    name = "ENCODING" if codec is None else _shown(codec)
    return (
        f"Pass --encoding {name} to read every document that is not UTF-8 as {name}, "
        f"or convert it with: {command}"
    )


def _decode_declared(data: bytes, path: Path | str) -> tuple[str, str] | None:
    """``data`` decoded as the UTF-16 or UTF-32 its byte-order mark declares (as Windows
    Notepad saves "Unicode" and Word "Unicode text"), with that encoding's name, or
    ``None`` without such a mark."""
    for bom, codec in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as err:
                width = 4 if codec == "utf-32" else 2
                line = data[: err.start].decode(codec, errors="replace").count("\n") + 1
                raise InputError(
                    path,
                    f"is not valid {_shown(codec)} although its byte-order mark says so "
                    f"({err.reason} at byte {err.start}, of {len(data)}; a {width}-byte code unit each)",
                    "The file may be cut short or damaged: save it again from the program that "
                    "made it, as UTF-8.",
                    line=line,
                ) from None
    return None


def needs_fallback(data: bytes) -> bool:
    """Whether the text of ``data`` depends on the fallback encoding of
    :func:`decode_document`: no byte-order mark declares it, and it is not UTF-8."""
    if any(data.startswith(bom) for bom, _ in _UNICODE_BOMS):
        return False
    if b"\x00" in data[:8192]:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def decode(data: bytes, path: Path | str) -> str:
    """Decode ``data`` read from ``path`` as UTF-8 (or the UTF-16 or UTF-32 a byte-order
    mark declares), or raise an :class:`InputError`."""
    return decode_document(data, path)[0]


class Decoded(NamedTuple):
    """A file's text, the encoding it was read as, and what to tell of it: ``(line,
    message)`` where a file mixed UTF-8 with its fallback encoding, else None."""

    text: str
    encoding: str
    note: tuple[int, str] | None = None


#: The bytes that are not UTF-8, as ``surrogateescape`` decodes them.
_ESCAPED = re.compile("[\udc80-\udcff]+")


def _decode_mixed(data: bytes, fallback: str) -> Decoded | None:
    """``data`` read as UTF-8 where it is UTF-8 and as ``fallback`` (a one-byte encoding)
    where it is not, as in a web page whose editor pasted Windows quotes into UTF-8 text;
    None where ``fallback`` cannot read those bytes either."""
    text = data.decode("utf-8", "surrogateescape")
    first = _ESCAPED.search(text)
    assert first is not None  # the caller's data is not UTF-8
    try:
        mixed = _ESCAPED.sub(lambda m: bytes(ord(c) - 0xDC00 for c in m.group()).decode(fallback), text)
    except UnicodeDecodeError:
        return None
    count = sum(len(run) for run in _ESCAPED.findall(text))  # an escaped character is one byte
    name = _shown(fallback)
    note = (
        f"mixes UTF-8 and {name}: {count} byte(s) that are not UTF-8 were read as {name} (--encoding), "
        "the first on this line; the rest is UTF-8. Check those characters"
    )
    return Decoded(
        mixed.removeprefix("\ufeff"), f"utf-8+{fallback}", (text[: first.start()].count("\n") + 1, note)
    )


def decode_document(
    data: bytes, path: Path | str, fallback: str | None = None, offer_option: bool = False
) -> Decoded:
    """Decode ``data`` read from ``path``: as UTF-8 (or the UTF-16 or UTF-32 a byte-order
    mark declares), else as ``fallback`` (a name :func:`text_encoding` gives), or raise
    an :class:`InputError`.

    The fallback reads only what UTF-8 cannot: a text that is valid UTF-8 is read as
    UTF-8 (a legacy encoding's accents are almost never valid UTF-8), a fallback of
    two- or four-byte units (UTF-16 or UTF-32 without a mark) only a file of NUL bytes,
    and a one-byte one only a file without them. A file the one-byte fallback cannot
    read whole, because its UTF-8 characters hold bytes the fallback has no character
    for, is read as UTF-8 with the bytes that are not UTF-8 read as the fallback, and a
    note says so (encoding ``utf-8+cp1252``).

    :param offer_option: the messages name ``--encoding`` among the fixes (documents of
        ``aligner run``, ``align`` and ``split``).
    """
    declared = _decode_declared(data, path)
    if declared is not None:
        return Decoded(_checked_text(declared[0], path), declared[1])
    nul = b"\x00" in data[:8192]
    not_utf8: UnicodeDecodeError | None = None
    if not nul:
        try:
            return Decoded(_checked_text(data.decode("utf-8-sig"), path), "utf-8")
        except UnicodeDecodeError as err:
            not_utf8 = err
    if fallback is not None and _wide(fallback) == nul:
        try:
            return Decoded(_checked_text(data.decode(fallback), path), fallback)
        except UnicodeDecodeError as err:
            mixed = None if nul else _decode_mixed(data, fallback)
            if mixed is not None:
                return mixed._replace(text=_checked_text(mixed.text, path))
            why = (
                f"is neither UTF-8 nor {_shown(fallback)} (--encoding): byte 0x{data[err.start]:02x} "
                f"at offset {err.start} is not {_shown(fallback)}"
            )
            raise _not_read(data, path, err.start, why, offer_option) from None
    if nul:
        # charset-normalizer tells UTF-16 without a byte-order mark (as some Windows tools write it)
        # from a binary file by its lanes of NUL bytes.
        codec = _guess_encoding(data)
        if codec in ("utf_16_le", "utf_16_be"):
            raise InputError(
                path,
                f"is not UTF-8; it looks like {_shown(codec)} without a byte-order mark",
                _encoding_hint(codec, path, offer_option),
                line=1,
            )
        raise InputError(
            path,
            f"looks like a binary file (a NUL byte at offset {data.index(0)})",
            f"Only {_KINDS} documents can be aligned; move this file out of the folder.",
        )
    assert not_utf8 is not None
    raise _not_read(
        data, path, not_utf8.start, f"is not UTF-8 (byte 0x{data[not_utf8.start]:02x})", offer_option
    )


def _not_read(data: bytes, path: Path | str, at: int, why: str, offer_option: bool) -> InputError:
    """The refusal of ``data``, which could not be decoded at byte ``at`` for the reason
    ``why``: with the encoding it seems to be in and the fix (:func:`_encoding_hint`)."""
    guess = _guess_encoding(data)
    seems = f"it looks like {_shown(guess)}" if guess else "its encoding could not be guessed"
    return InputError(
        path, f"{why}; {seems}", _encoding_hint(guess, path, offer_option), line=data[:at].count(b"\n") + 1
    )


def _checked_text(text: str, path: Path | str) -> str:
    """``text``, unless its control characters show it is no document."""
    bad = _CONTROL.search(text)
    if bad is not None and len(_CONTROL.findall(text[:8192])) > 8:
        raise InputError(
            path,
            "looks like a binary file (many control characters)",
            f"Only {_KINDS} documents can be aligned; move this file out of the folder.",
            line=text[: bad.start()].count("\n") + 1,
        )
    return text


def read_text(path: Path, what: str) -> str:
    """Read ``path`` as UTF-8 text; an :class:`InputError` names the file and the fix.

    :param what: what the file should be ("link file"), for the messages.
    """
    return _read_decoded(path, what).text


def _read_decoded(path: Path, what: str, encoding: str | None = None, offer_option: bool = False) -> Decoded:
    """``path`` read and decoded (:func:`decode_document`, which ``encoding`` and
    ``offer_option`` are passed to); ``what`` the file should be, for the messages."""
    if not path.exists():
        raise InputError(path, "does not exist", f"Check the path of the {what}.")
    if path.is_dir():
        raise InputError(path, f"is a folder, not a {what}", f"Give a {what}.")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(
            path, f"cannot be read ({err.strerror})", "Check the path and its permissions."
        ) from None
    return decode_document(data, path, encoding, offer_option)


def load_presplit(path: Path, encoding: str | None = None) -> tuple[list[Sentence], list[tuple[int, str]]]:
    """One sentence per line, as given (``--presplit``); offsets are into the file's text.
    With them, what reading found to tell, as :func:`loading_notes` gives a document's: a
    file that mixes UTF-8 with ``encoding`` (see :func:`decode_document`)."""
    decoded = _read_decoded(path, "file of one sentence per line", encoding, offer_option=True)
    text = decoded.text.replace("\r\n", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if not text.strip():
        raise InputError(path, "is empty", "Give a file with one sentence per line.")
    sentences = []
    pos = 0
    for i, line in enumerate(text.split("\n")):
        sentences.append(Sentence(i, line, pos, pos + len(line), i))
        pos += len(line) + 1
    return sentences, [] if decoded.note is None else [decoded.note]


def parse(text: str, doc_id: str, extracted: Extracted | None = None, extractor: str = "text") -> Document:
    """Build a :class:`Document` from decoded text: date lifted, lines repaired
    (:mod:`aligner.repair`) and flagged.

    :param extracted: what :mod:`aligner.formats` extracted ``text`` from, if not plain
        text: its page furniture is flagged as such, and its metadata's date is the
        document's unless the text starts with a ``date`` token.
    :param extractor: the extractor's name and version, for the manifest.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Stray control characters would make invalid XML later; they carry no text.
    text = _CONTROL.sub(" ", text)
    date = None if extracted is None else extracted.date
    # The token starts the text's first line that is not blank (nor, in an extracted text, page
    # furniture); the blank lines before it stay, so that line numbers are still the file's.
    furniture = {} if extracted is None else extracted.furniture
    split_lines = text.split("\n")
    at = next((i for i, ln in enumerate(split_lines) if ln.strip() and i not in furniture), 0)
    first = sum(len(ln) + 1 for ln in split_lines[:at])
    m = _DATE.match(text[first:])
    date_line = 1
    if m is not None:
        date, date_line = m.group(1), at + 1
        text = text[:first] + text[first + m.end() :]
    raw_lines, repairs = repair_lines(text.split("\n"))
    text = "\n".join(raw_lines)
    if extracted is None:
        flags = flag_lines(raw_lines)
    else:  # page furniture is flagged already, and left out of the detector's evidence
        furniture = extracted.furniture
        flags = flag_lines(["" if i in furniture else line for i, line in enumerate(raw_lines)])
        flags = [furniture.get(i, flag) for i, flag in enumerate(flags)]
    lines = []
    pos = 0
    for number, (raw, flag) in enumerate(zip(raw_lines, flags, strict=True), start=1):
        lines.append(Line(number, pos, pos + len(raw), flag))
        pos += len(raw) + 1
    fmt, counts = ("txt", ()) if extracted is None else (extracted.format, tuple(extracted.counts.items()))
    return Document(
        doc_id,
        text,
        date,
        tuple(lines),
        repairs=repairs,
        format=fmt,
        extractor=extractor,
        extraction=counts,
        date_line=date_line,
    )


def date_problem(doc: Document) -> str | None:
    """What is wrong with ``doc``'s date token (on line :attr:`~Document.date_line`), or
    None if it is absent or a real day (``YYYY-MM-DD``) or month (``YYYY-MM``)."""
    why = None if doc.date is None else date_fault(doc.date)
    if why is None:
        return None
    return (
        f"the date token gives {doc.date}, which is not a calendar date ({why}), so the document "
        "is treated as undated; write it as date YYYY-MM-DD or date YYYY-MM, e.g. date 2025-11-25"
    )


def usable_date(doc: Document) -> str | None:
    """``doc``'s date when it names a real day or month; None when it has none or an
    impossible one (:func:`date_problem`: such a document is treated as undated)."""
    return None if date_problem(doc) else doc.date


def loading_notes(doc: Document) -> list[tuple[int, str]]:
    """What loading found in ``doc`` that its reader should be told, as ``(line,
    message)``: a file that mixes UTF-8 with the ``--encoding`` named, an impossible date
    token (:func:`date_problem`) and each repair of its text (:func:`aligner.repair.describe`)."""
    problem = date_problem(doc)
    notes = [*doc.decoding_notes, *([(doc.date_line, problem)] if problem else [])]
    return notes + [(r.first_line, describe(r)) for r in doc.repairs]


def read_document_bytes(path: Path, in_folder: bool = False) -> bytes:
    """The bytes of one document; raise :class:`InputError` if it is too big or unreadable.

    :param in_folder: ``path`` was found in an input folder, not named by the user: a named
        pipe, socket or device there is refused (reading a pipe that nobody writes to would
        wait for ever), while one named on the command line (``<(curl ...)``) is read.
    """
    if _dangling(path):
        raise InputError(
            path, f"is a link to {path.readlink()}, which does not exist", "Fix the link or remove it."
        )
    try:
        info = path.stat()
        if in_folder and not stat.S_ISREG(info.st_mode):
            raise InputError(path, f"is {_special(info.st_mode)}, not a file", "Move it out of the folder.")
        size = info.st_size
        if size > MAX_BYTES:
            raise InputError(
                path,
                f"is {size / 2**20:.0f} MiB, more than the {MAX_BYTES // 2**20} MiB a dispatch may have",
                "Split it into separate documents.",
            )
        return path.read_bytes()
    except OSError as err:
        raise InputError(
            path, f"cannot be read ({err.strerror})", "Check that it exists and is readable."
        ) from None


def document_from_bytes(
    data: bytes, path: Path, doc_id: str | None = None, encoding: str | None = None
) -> Document:
    """Decode and parse the bytes read from ``path``; raise :class:`InputError` if unusable.

    :param doc_id: the document's id (default: the file's name).
    :param encoding: what a ``.txt`` file that is not UTF-8 (nor marked as UTF-16 or
        UTF-32) is read as (a name :func:`text_encoding` gives); without it such a file
        is refused. Other formats' extractors decode their files themselves.
    """
    if not data.strip():
        raise InputError(path, "is empty", "Remove it from the folder or put the dispatch's text in it.")
    wrong = misnamed(data, path)
    if wrong is not None:
        raise InputError(path, *wrong)
    fmt = format_of(path)
    if fmt is None or fmt.package is None:
        decoded = decode_document(data, path, encoding, offer_option=True)
        doc = replace(
            parse(decoded.text, doc_id or path.name),
            encoding=decoded.encoding,
            decoding_notes=() if decoded.note is None else (decoded.note,),
        )
    else:
        extracted = fmt.extract(data, path)
        doc = parse(extracted.text, doc_id or path.name, extracted, fmt.extractor)
    if not doc.content_lines:
        raise InputError(
            path,
            "has no text to align (every line is blank or boilerplate)",
            "Check that the file holds the dispatch itself.",
        )
    return doc


def load_document(path: Path, encoding: str | None = None) -> Document:
    """Read one document; raise :class:`InputError` on anything unusable.

    :param encoding: what a ``.txt`` file that is not UTF-8 is read as (see
        :func:`document_from_bytes`).
    """
    return document_from_bytes(read_document_bytes(path), path, encoding=encoding)


def _is_document(path: Path) -> bool:
    """A file of a suffix we read; a link to nothing, or a named pipe, socket or device of
    such a name too, so that it is reported, not skipped."""
    if path.suffix.lower() not in SUFFIXES:
        return False
    try:
        return not stat.S_ISDIR(path.stat().st_mode)
    except OSError:
        return path.is_symlink()  # a link to nothing


def _special(mode: int) -> str:
    """What a file of ``mode`` that is neither a regular file nor a folder is (``a named pipe``)."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def _dangling(path: Path) -> bool:
    return path.is_symlink() and not path.exists()


def _hidden(path: Path, folder: Path) -> bool:
    """True if a folder between ``folder`` and ``path`` is hidden (``.aligner``, ``.git``)."""
    return any(part.startswith(".") for part in path.relative_to(folder).parts[:-1])


def list_documents(folder: Path, recursive: bool = False, skip: Path | None = None) -> list[Path]:
    """The documents of ``folder`` (files with a suffix of :data:`aligner.formats.SUFFIXES`,
    in any case), sorted by their path in it; raise if there are none.

    :param recursive: also those of its subfolders, but hidden ones and ``skip``
        (an output folder inside the input folder); a document's id is then its
        path relative to ``folder`` (:func:`document_id`).
    :raises InputError: none found, or two would give outputs of the same name.
    """
    if not folder.exists():
        raise InputError(folder, "does not exist", "Give the folder that holds the dispatches.")
    if not folder.is_dir():
        raise InputError(folder, "is not a folder", "Give the folder that holds the documents, not a file.")
    if recursive:
        skipped = skip.resolve() if skip is not None else None
        found = (
            p
            for p in folder.rglob("*")
            if _is_document(p)
            and not _hidden(p, folder)
            and (skipped is None or not p.resolve().is_relative_to(skipped))
        )
        files = sorted(found, key=lambda p: document_id(p, folder))
    else:
        files = sorted(p for p in folder.iterdir() if _is_document(p))
    if not files:
        below = (p for p in folder.rglob("*") if _is_document(p) and not _hidden(p, folder))
        nested = None if recursive else next(below, None)
        if nested is not None:
            raise InputError(
                folder,
                f"holds no documents ({SUFFIX_LIST}) itself, but its subfolders do "
                f"(such as {document_id(nested, folder)})",
                "Pass --recursive to read them, or give the subfolder that holds the dispatches.",
            )
        raise InputError(
            folder, f"holds no documents ({SUFFIX_LIST})", f"Put one dispatch per file in it, as {_KINDS}."
        )
    seen: dict[str, Path] = {}
    for path in files:
        # a.txt and a.TXT, a.txt and a.docx, or 2025/a.txt and 2026/a.txt: their outputs would share one name
        if path.stem in seen:
            other = seen[path.stem]
            how = "in another folder"
            if other.parent == path.parent:
                same = other.suffix.lower() == path.suffix.lower()
                how = "but for the case of its extension" if same else "but for its extension"
            raise InputError(
                path,
                f"has the same name as {document_id(other, folder)} {how}",
                "Rename one of them: output files are named after the documents' names without extension.",
            )
        seen[path.stem] = path
    return files


def document_id(path: Path, folder: Path) -> str:
    """The id of the document at ``path`` in the input ``folder``: its path in it, with ``/``."""
    return path.relative_to(folder).as_posix()
