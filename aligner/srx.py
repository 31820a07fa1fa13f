"""The splitter's rules as SRX 2.0, so that a CAT tool segments as the aligner does.

A translation memory matches only when the CAT tool cuts the source where the
aligner did. :func:`srx_document` writes the rules of :mod:`aligner.split` for a
language in SRX 2.0 (the LISA/GALA Segmentation Rules eXchange that OmegaT,
Trados and memoQ read), built from the splitter's own data, not from a copy:

- no break after an abbreviation: our list (``abbreviations/<lang>.txt``) and
  the Punkt model's abbreviation types with the Moses-style non-breaking
  prefixes that :mod:`aligner.split` folds in, also after an elision
  (``dell'on.``);
- no break after a number-only abbreviation before a number (``l'art. 5``,
  ``n. 3``), nor after a month abbreviation after a day number (``Milano,
  25 nov. (askanews)``);
- no break before an abbreviation that can end a sentence (``Rossi & C.
  S.r.l.``); after one (``S.p.A.``, ``ecc.``), a break as after a period;
- no break before a lower-case word after an abbreviation, an ellipsis or a
  quoted sentence (``«È finita?» ha chiesto``), nor after a list item's number
  (``2. Libere utilizzazioni``);
- a break after ``.``, ``!``, ``?`` or ``…`` (and closing quotes) before white
  space and anything that is not a lower-case letter, and at every line break.

Punkt is statistical (it also weighs how often a word starts sentences), so the
rules cannot match it everywhere; ``benchmarks/srx.py`` and ``tests/test_srx.py``
measure how many of the golden splitting tables' boundaries an SRX engine
reproduces with them. The patterns are Java regular expressions (ICU's syntax
where it matters), which SRX engines use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from .errors import ConfigError
from .split import SPLITTERS, get_splitter
from .version import __version__

SRX_NS = "http://www.lisa.org/srx20"
_CLOSERS = "\"'»”’)\\]"
#: Characters before an abbreviation: the start, white space, an opening bracket or quote, an elision.
_BEFORE_WORD = "(?:^|[\\s(\\[«\"“'‘’])"


def _java(text: str) -> str:
    """``text`` as a literal in a Java regular expression."""
    return re.sub(r"([\\.^$|?*+()\[\]{}])", r"\\\1", text)


def _alternation(words: Iterable[str]) -> str:
    """The words as one alternation, longest first (so ``dott.ssa`` is tried before ``dott``)."""
    return "|".join(_java(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _rule(before: str, after: str, breaks: bool) -> str:
    return (
        f'      <rule break="{"yes" if breaks else "no"}">\n'
        f"        <beforebreak>{escape(before)}</beforebreak>\n"
        f"        <afterbreak>{escape(after)}</afterbreak>\n"
        "      </rule>"
    )


def language_rules(lang: str) -> list[tuple[str, str, bool]]:
    """The rules of ``lang`` as ``(beforebreak, afterbreak, break)``, no-break rules first."""
    splitter = get_splitter(lang)
    rules = splitter.rules
    # Punkt's abbreviations (the model's, our list's, the Moses prefixes) as the splitter holds them.
    abbrevs = {a for a in splitter._punkt._params.abbrev_types if a and not a.isdigit()}
    abbrevs |= set(rules.always)
    out: list[tuple[str, str, bool]] = []
    if rules.date_only:
        months = _alternation(rules.date_only)
        out.append((f"(?i)\\b[0-3]?\\d\\s+(?:{months})\\.", "\\s", False))
    if rules.numeric_only:
        numeric = _alternation(rules.numeric_only)
        out.append((f"(?i){_BEFORE_WORD}(?:{numeric})\\.", "\\s*\\d", False))
    if abbrevs:
        # As Punkt: an abbreviation ends a sentence too when the next word is one that often
        # starts sentences ("ecc. Poi", "the U.S. The"), which the model lists.
        starters = {w for w in splitter._punkt._params.sent_starters if w.isalpha()}
        after = f"\\s+(?!(?i:{_alternation(starters)})\\b)" if starters else "\\s"
        out.append((f"(?i){_BEFORE_WORD}(?:{_alternation(abbrevs)})\\.", after, False))
    if rules.can_end:
        # An abbreviation that can end a sentence ("Fiat S.p.A. Nessuno ...") breaks as a
        # period does (the splitter also keeps it before a name, which SRX cannot tell), but
        # no sentence starts with one: "Rossi & C. S.r.l.".
        out.append(("\\.", f"\\s+(?i:{_alternation(rules.can_end)})\\.", False))
    # A lower-case word after an ellipsis, an abbreviation-like period or a quoted sentence.
    out.append((f"(?:\\.\\.\\.|…)[{_CLOSERS}]*", "\\s+\\p{Ll}", False))
    out.append((f"[!?…][{_CLOSERS}]+", "\\s+\\p{Ll}", False))
    # A list item's number starts the next sentence.
    out.append((f"(?:^|[.!?…][{_CLOSERS}]*\\s+)\\(?\\d{{1,3}}[.)]", "\\s", False))
    # Breaks: after sentence-ending punctuation before anything but a lower-case letter;
    # at a line break (the splitter's lines are paragraphs).
    out.append((f"[.!?…]+[{_CLOSERS}]*", "\\s+(?=[^\\s\\p{Ll}])", True))
    out.append(("\\n", "", True))
    return out


def srx_document(langs: Sequence[str]) -> str:
    """An SRX 2.0 document with the splitter's rules for each of ``langs`` (``it``, ``en``).

    :raises ConfigError: a language without a tuned splitter.
    """
    unknown = [lang for lang in langs if lang not in SPLITTERS]
    if unknown:
        known = ", ".join(sorted(SPLITTERS))
        raise ConfigError(
            f"--lang {', '.join(unknown)}: the splitter has tuned rules for {known} only, so there are "
            f"no SRX rules to write for it; give --lang with one of {known}"
        )
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f"<!-- The sentence splitter's rules of aligner {__version__} (aligner srx), for CAT tools. -->",
        f'<srx xmlns="{SRX_NS}" version="2.0">',
        '  <header segmentsubflows="yes" cascade="no">',
        '    <formathandle type="start" include="no"/>',
        '    <formathandle type="end" include="yes"/>',
        '    <formathandle type="isolated" include="yes"/>',
        "  </header>",
        "  <body>",
        "    <languagerules>",
    ]
    for lang in langs:
        parts.append(f'    <languagerule languagerulename="aligner-{lang}">')
        parts += [_rule(before, after, breaks) for before, after, breaks in language_rules(lang)]
        parts.append("    </languagerule>")
    parts += ["    </languagerules>", "    <maprules>"]
    for lang in langs:
        parts.append(f'      <languagemap languagepattern="{lang}.*" languagerulename="aligner-{lang}"/>')
    parts += ["    </maprules>", "  </body>", "</srx>"]
    return "\n".join(parts) + "\n"
