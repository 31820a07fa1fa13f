"""Repairing scraped-web text, line by line, before it is split.

Three kinds of damage are common in dispatches copied from the web:

- **mojibake**: UTF-8 text that was once decoded as Windows-1252 or Latin-1
  ("cittÃ " for "città", "lâ€™Italia" for "l’Italia"), and C1 control
  characters standing for Windows-1252's quotes. ftfy undoes these: it is the
  well-kept library for exactly this and is careful not to "fix" text that is
  merely unusual, which a rule of ours would not be;
- **HTML markup**: tags (``<p>``, ``<br>``, ``<a href=…>``) and entities
  (``&agrave;``, ``&#8217;``) left by a scraper. Tags of HTML elements are
  removed (block-level ones leave a space) and entities are decoded;
- **invisible characters**: soft hyphens, zero-width spaces, word joiners and
  stray byte-order marks, which split words for the encoder and the reader's
  search, are removed; line and paragraph separators (U+2028, U+2029) become
  spaces; text is put in Unicode NFC form and ligatures ("ﬁ") are spelt out.

Each line is repaired on its own, so line numbers stay those of the file.
Typography is left alone: curly quotes, guillemets, dashes, no-break spaces
and full-width forms are kept as written. The first two kinds change what the
text says and are reported (:class:`aligner.model.Repair`); the third is not.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from ftfy import TextFixerConfig, fix_text

from .model import Repair

#: ftfy's fixes, less those that would rewrite typography or line structure.
_FTFY = TextFixerConfig(
    unescape_html=False,  # entities are decoded below, tags or not
    uncurl_quotes=False,
    fix_character_width=False,
    fix_line_breaks=False,
)
#: The same, less the fixes that undo a wrong decoding: what differs between the two is mojibake.
_FTFY_NORMALISE = _FTFY._replace(
    fix_encoding=False,
    restore_byte_a0=False,
    replace_lossy_sequences=False,
    decode_inconsistent_utf8=False,
    fix_c1_controls=False,
)
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
_SEPARATORS = re.compile("[\u2028\u2029]")
#: HTML elements whose tags separate words; the tags of the others (inline ones) join.
_BLOCK = (
    "address|article|aside|blockquote|br|caption|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|"
    "li|main|nav|ol|p|section|table|tbody|td|tfoot|th|thead|tr|ul"
)
_INLINE = (
    "a|abbr|b|bdi|bdo|cite|code|del|dfn|em|font|i|img|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|"
    "time|u|var|wbr"
)
_TAG_ATTRS = r"(?:\s[^<>]*)?/?>"
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCK}){_TAG_ATTRS}", re.IGNORECASE)
_INLINE_TAG = re.compile(rf"</?(?:{_INLINE}){_TAG_ATTRS}", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def _unescape(match: re.Match[str]) -> str:
    return html.unescape(match.group())


def _markup(line: str) -> str:
    """``line`` without HTML tags, with HTML entities decoded (unknown ones are kept)."""
    if "<" in line:
        line = _INLINE_TAG.sub("", _BLOCK_TAG.sub(" ", line))
    if "&" in line:
        line = _ENTITY.sub(_unescape, line)
    return line


def _mojibake(line: str) -> tuple[str, bool]:
    """``line`` as ftfy fixes it, and whether a wrong decoding was undone."""
    fixed = fix_text(line, config=_FTFY)
    return fixed, fixed != fix_text(line, config=_FTFY_NORMALISE)


#: Rounds of ftfy and the invisible characters' removal at most (:func:`_repaired`).
_ROUNDS = 3


def _repaired(line: str) -> tuple[str, bool]:
    """``line`` with its mojibake undone and its invisible characters and separators
    handled, and whether a wrong decoding was undone. An invisible character or a
    separator inside mojibake hides it from ftfy ("\xadÃ©"), and ftfy can make one (a
    separator's mojibake): ftfy looks again at a line that lost one, so that repairing
    the repaired line changes nothing more."""
    undone = False
    for _ in range(_ROUNDS):
        fixed, again = _mojibake(line)
        undone = undone or again
        line = _SEPARATORS.sub(" ", _INVISIBLE.sub("", fixed))
        if line == fixed:
            break
    return line, undone


def repair_lines(lines: Iterable[str], first_number: int = 1) -> tuple[list[str], tuple[Repair, ...]]:
    """Each line repaired, and what was repaired on which lines (numbered from ``first_number``)."""
    out: list[str] = []
    found: dict[str, list[int]] = {}
    for number, line in enumerate(lines, start=first_number):
        if line.isascii() and "&" not in line and "<" not in line:
            out.append(line)  # nothing any repair could change
            continue
        unmarked = _markup(line)
        if unmarked != line:
            found.setdefault("markup", []).append(number)
        fixed, undone = _repaired(unmarked)
        if undone:
            found.setdefault("mojibake", []).append(number)
        out.append(fixed)
    repairs = tuple(Repair(kind, len(numbers), numbers[0]) for kind, numbers in sorted(found.items()))
    return out, repairs


def describe(repair: Repair) -> str:
    """What was repaired, for a warning that names the file and ``repair.first_line``."""
    where = "on this line" if repair.lines == 1 else f"on {repair.lines} lines, the first this one"
    if repair.kind == "mojibake":
        return (
            f"mojibake repaired {where} (UTF-8 text once read as Windows-1252, such as 'cittÃ ' "
            "for 'città'); the repaired text is used: if it reads wrong, fix the file where it was saved"
        )
    return (
        f"HTML markup removed {where} (tags such as <p>, entities such as &agrave;); the file "
        "seems to hold part of a web page's source: its text is used"
    )
