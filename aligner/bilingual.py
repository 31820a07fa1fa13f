"""Existing bilingual files: TMX (any tool's, any language pair) and XLIFF 1.2 and 2.x.

:func:`read_bilingual` reads a file into :class:`BilingualFile`: its translation
units (source and target text, the unit's own score when it has one), the two
languages it was read in, and what reading it had to do. The review
(:mod:`aligner.review`) opens such a file as one pair, one sentence per unit; the
corpus export (:func:`aligner.corpus.read_bilingual_pairs`) takes its units as
sentence pairs.

What is read:

- **TMX** 1.1 to 1.4 (OmegaT, Trados, memoQ, ours): each ``<tu>``'s ``<tuv>`` in
  the source and in the target language, named by ``xml:lang`` (TMX 1.4) or
  ``lang`` (TMX 1.1, OmegaT's project files), compared without regard to case
  (``EN-GB`` is ``en-GB``). The source language is the header's ``srclang`` (the
  first unit's first language when it is ``*all*`` or missing), the target the
  first other language met; with more than two languages that choice is
  reported in :attr:`BilingualFile.notices`, and ``src_lang``/``tgt_lang``
  choose others (a locale, or just its language where that names one of the
  file's). The unit's ``x-score`` (ours; ``x-Score:SingleString`` as written for
  Trados) or ``score`` property is its score.
- **XLIFF 1.2** (and 1.0/1.1): every ``<trans-unit>``'s ``<source>`` and
  ``<target>``; where a ``<seg-source>`` splits the unit into ``<mrk
  mtype="seg">`` segments (Trados' SDLXLIFF, memoQ), each segment is a unit,
  paired with the target's segment of the same ``mid``. Languages from the
  ``<file>``'s ``source-language`` and ``target-language``.
- **XLIFF 2.x** (the 2.0 namespace, which 2.1 and 2.2 keep): every
  ``<segment>`` of every ``<unit>`` (``<ignorable>`` white space aside), the
  languages from the root's ``srcLang`` and ``trgLang``. A unit of one segment
  takes as its score the ``score`` of its Metadata-module group ``aligner``
  (what ``--format xliff`` writes, :mod:`aligner.export.xliff`).

Locales are kept as the file writes them (``it-IT``), for writing the file's
languages back; :func:`language_code` reduces one to its language (``it``)
where a two-letter code is needed (language identification, corpus files).

Inline markup keeps its text and drops its codes: in TMX the content of
``<bpt>``, ``<ept>``, ``<it>``, ``<ph>`` and ``<ut>`` is the original format's
code (``&lt;b&gt;``) and is dropped, the text inside ``<hi>`` is kept; in XLIFF
1.2 the same holds for ``<bpt>``, ``<ept>``, ``<it>`` and ``<ph>``, while
``<g>`` and ``<mrk>`` keep their text and ``<x/>``, ``<bx/>``, ``<ex/>`` have
none; in XLIFF 2 ``<pc>`` and ``<mrk>`` keep their text and ``<ph/>``,
``<sc/>``, ``<ec/>``, ``<sm/>``, ``<em/>`` and ``<cp/>`` have none. An element
of no standard (a tool's own) keeps its text too. :attr:`BilingualFile.inline`
says how many of the units read had any such markup. A dropped code leaves no
space behind (``Vedi<ph/> sotto`` reads ``Vedi sotto``), since a code inside a word
(``P<bpt/>resid<ept/>ente``) must not part it, except a code that stands for a line
break or a tab (its type says so, or it is ``<br/>``, ``<w:tab/>``, memoQ's ``<mq:ch
val="&#9;"/>``...): ``riga<ph>&lt;br/&gt;</ph>due`` reads ``riga due`` and
``Prezzo:<ph>&lt;tab/&gt;</ph>10`` reads ``Prezzo: 10``, not ``rigadue`` and
``Prezzo:10`` (but ``completo<ph>&lt;br/&gt;</ph>.`` reads ``completo.``). White space
is collapsed to one space, as the TMX writer does.

Units with an empty source or target (an untranslated XLIFF unit, a TMX unit
without the target language) are skipped and counted (:attr:`BilingualFile.empty`).

Why lxml and not translate-toolkit's readers, which read both XLIFF versions:
they keep the original code inside an XLIFF 1.2 ``<ph>`` as text (``Vedi
<br/>sotto.``), do not say which units had inline codes, and their factory
takes an XLIFF 2 file named ``.xlf`` for 1.2. lxml also says where a file is not
well-formed (line and column). The parser loads no DTD and resolves only the
entities the file itself defines (an external one is refused as undefined), so
reading a file reaches nothing outside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError
from .export.text import one_line

#: The file names read as bilingual files (by their ending, in any case).
SUFFIXES = (".tmx", ".xlf", ".xliff", ".sdlxliff", ".mqxliff")

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
_MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
#: Elements whose content is the original format's code, dropped with them.
_CODE_CONTENT = {
    "tmx": frozenset({"bpt", "ept", "it", "ph", "ut"}),
    "xliff1": frozenset({"bpt", "ept", "it", "ph"}),
    "xliff2": frozenset(),
}
#: The unit properties taken as its score: ours, then a plain one (in any case, and with
#: Trados' field type after a colon: ``x-Score:SingleString``, as ``--tmx-profile trados`` writes).
SCORE_PROPS = ("x-score", "score")

#: The score a unit with none of its own is taken at, in the review and in a corpus: a
#: translator made it, as a reviewer makes the links given aligner.review.export.REVIEWER_SCORE.
UNSCORED = 1.0

_FIX_FORMAT = "Give a TMX file (root <tmx>) or an XLIFF 1.2 or 2.x file (root <xliff>)."


def is_bilingual_path(path: Path) -> bool:
    """True for a file name :func:`read_bilingual` reads (``.tmx``, ``.xlf``, ``.xliff``...)."""
    return path.suffix.lower() in SUFFIXES


def language_code(locale: str) -> str:
    """The language of ``locale``: ``it-IT`` -> ``it``, ``EN_us`` -> ``en``, ``zh-Hant-TW`` -> ``zh``."""
    return re.split(r"[-_]", locale.strip(), maxsplit=1)[0].lower()


@dataclass(frozen=True)
class Unit:
    """One translation unit (or XLIFF segment) of a bilingual file, as plain text."""

    source: str
    target: str
    score: float | None = None  # the unit's own score (TMX x-score or score), if it has one
    id: str = ""  # tuid, trans-unit id (with the segment's mid), unit id/segment id; or the unit's number
    note: str = ""  # the unit's notes, joined by " / "
    props: tuple[tuple[str, str], ...] = ()  # its properties (TMX <prop>, XLIFF state), in order
    inline: bool = False  # it had inline markup whose codes were dropped
    line: int | None = None  # where it starts in the file


@dataclass(frozen=True)
class BilingualFile:
    """A TMX or XLIFF file read into units (see the module docstring)."""

    path: Path
    format: str  # "TMX 1.4", "XLIFF 1.2", "XLIFF 2.0"...
    src_locale: str  # as the file writes it: "it-IT"
    tgt_locale: str
    units: tuple[Unit, ...]  # those with a source and a target
    inline: int = 0  # units read whose inline codes were dropped
    empty: int = 0  # units skipped: empty source or target
    languages: tuple[str, ...] = ()  # every language the file's units have (a TMX may have more than two)
    tool: str = ""  # the tool that made it, when the file says
    notices: tuple[str, ...] = ()  # what the user should know of how it was read

    @property
    def src_lang(self) -> str:
        """The source language (``it`` for ``it-IT``)."""
        return language_code(self.src_locale)

    @property
    def tgt_lang(self) -> str:
        return language_code(self.tgt_locale)

    @property
    def unscored(self) -> int:
        """Units that carry no score of their own."""
        return sum(u.score is None for u in self.units)

    def describe(self) -> str:
        """What was read, in a sentence: units, languages, inline codes, skipped units."""
        text = (
            f"{len(self.units)} unit(s) read from {self.path.name} "
            f"({self.format}, {self.src_locale} -> {self.tgt_locale})"
        )
        if self.inline:
            text += f"; {self.inline} had inline codes (text kept, codes dropped)"
        if self.empty:
            text += f"; {self.empty} skipped, missing their {self.src_locale} or {self.tgt_locale} text"
        return text


# ---- reading ------------------------------------------------------------------------------


def read_bilingual(path: Path, src_lang: str | None = None, tgt_lang: str | None = None) -> BilingualFile:
    """Read the TMX or XLIFF file ``path`` (told apart by its root element, not its name).

    :param src_lang: the source language to take (a TMX's units may have several;
        an XLIFF's, when the file names none); a locale or a language.
    :param tgt_lang: the same, for the target.
    :raises InputError: naming the file (and the line): it cannot be read, is not
        well-formed XML (line and column), is neither TMX nor XLIFF, is an XLIFF with
        no targets, a TMX with one language only, or has no units with both sides.
    """
    root = _parse(path)
    name = _local(root)
    if name == "tmx":
        return _read_tmx(path, root, src_lang, tgt_lang)
    if name == "xliff":
        version = root.get("version") or ""
        if _namespace(root) == _XLIFF2_NS or version.startswith("2"):
            return _read_xliff2(path, root, src_lang, tgt_lang)
        return _read_xliff1(path, root, src_lang, tgt_lang)
    raise InputError(
        path, f"is neither TMX nor XLIFF: its root element is <{name}>", _FIX_FORMAT, root.sourceline
    )


def _parse(path: Path) -> Any:
    from lxml import etree

    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(
            path, f"cannot be read ({err.strerror})", "Give a TMX or XLIFF file that exists."
        ) from None
    parser = etree.XMLParser(
        no_network=True,
        load_dtd=False,
        resolve_entities="internal",  # those the file defines; an external one is an error
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        line, column = err.position if err.position else (err.lineno, 0)
        reason = re.sub(r", line \d+, column \d+$", "", err.msg or "").strip() or "broken XML"
        raise InputError(
            path,
            f"is not well-formed XML: {reason} (line {line}, column {column})",
            "Repair the file at that place (or export it again from the tool that made it).",
            line=line,
        ) from None
    if root is None:
        raise InputError(path, "is empty", _FIX_FORMAT)
    return root


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(element: Any) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _children(element: Any, name: str) -> list[Any]:
    """The child elements of ``element`` named ``name`` (in any namespace)."""
    return [c for c in element if isinstance(c.tag, str) and _local(c) == name]


def _child(element: Any, name: str) -> Any:
    found = _children(element, name)
    return found[0] if found else None


def _descendants(element: Any, name: str) -> Iterable[Any]:
    return (e for e in element.iter() if isinstance(e.tag, str) and _local(e) == name)


#: The standard kinds of a placeholder that stands for a break: TMX's ``type`` and XLIFF
#: 1.2's ``ctype`` (line, page, column break), XLIFF 2's ``subType``.
_BREAK_KINDS = frozenset({"lb", "pb", "cb", "xlf:lb", "xlf:pb"})
#: A code that is a break or a tab in the original format: HTML's ``<br>``, Word's
#: ``<w:br/>`` and ``<w:tab/>``, ODF's ``<text:tab/>`` and ``<text:line-break/>``, memoQ's
#: ``<mq:ch val="&#9;"/>`` for a tab or other white space, or the white space itself.
_BREAK_CODE = re.compile(
    r"\s+|<\s*(?:[\w.-]+:)?(?:br|tab|line-break|cr)\b[^>]*>|<\s*(?:[\w.-]+:)?ch\s+val\s*=\s*(['\"])(?:\s|&#(?:9|10|13|32);)+\1\s*/?\s*>",
    re.IGNORECASE,
)
#: Where a break code leaves no space: at either end, next to white space, before closing
#: punctuation or after opening punctuation (``completo<br/>.`` reads ``completo.``).
_NO_SPACE_AFTER = "([{«“‘"
_NO_SPACE_BEFORE = ".,;:!?)]}»”’…"


def _is_break_code(code: str) -> bool:
    return bool(code) and _BREAK_CODE.fullmatch(code.strip() or code) is not None


def _is_break(element: Any, code_content: frozenset[str], data: Mapping[str, str]) -> bool:
    """True when the inline element ``element`` stands for a line break, page break or tab:
    by its kind, its code, or (XLIFF 2) the original data its ``dataRef`` names in ``data``."""
    kinds = {(element.get(k) or "").strip().lower() for k in ("type", "ctype", "subType")}
    if kinds & _BREAK_KINDS:
        return True
    ref = element.get("dataRef")
    if ref is not None and _local(element) == "ph":
        return _is_break_code(data.get(ref, ""))
    return _local(element) in code_content and _is_break_code("".join(element.itertext()))


def _joined(parts: Sequence[str | None]) -> str:
    """The texts of ``parts`` joined, each run of break codes (``None``) a space where the
    words beside it would otherwise touch."""
    out: list[str] = []
    broken = False
    for part in parts:
        if part is None:
            broken = True
            continue
        if broken and out:
            before, after = out[-1][-1], part[0]
            touching = not (before.isspace() or after.isspace())
            if touching and before not in _NO_SPACE_AFTER and after not in _NO_SPACE_BEFORE:
                out.append(" ")
        broken = False
        out.append(part)
    return "".join(out)


def _plain(
    element: Any, code_content: frozenset[str], data: Mapping[str, str] | None = None
) -> tuple[str, bool]:
    """The text of a segment with its inline codes dropped, and whether it had any.

    Elements in ``code_content`` lose their content (the original format's code);
    every other element keeps its text; the text after each is kept. A code that
    stands for a break or a tab (:func:`_is_break`) leaves a space where the words
    beside it would otherwise touch (``riga<ph>&lt;br/&gt;</ph>due`` reads ``riga due``);
    any other leaves nothing, as a code inside a word (``P<bpt/>resid<ept/>ente``) must
    not part it. An XLIFF 1.2 ``<mrk mtype="seg">`` marks a segment, not markup, and is
    not counted. ``data``: an XLIFF 2 unit's original data by id (``<originalData>``).
    """
    parts: list[str | None] = []  # None: a break code
    had = False

    def walk(node: Any) -> None:
        nonlocal had
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                name = _local(child)
                if not (name == "mrk" and child.get("mtype") == "seg"):
                    had = True
                if _is_break(child, code_content, data or {}):
                    parts.append(None)
                elif name not in code_content:
                    walk(child)
            if child.tail:
                parts.append(child.tail)

    if element is not None:
        walk(element)
    return one_line(_joined(parts)), had


def _notes(element: Any) -> str:
    notes = [one_line("".join(n.itertext())) for n in _descendants(element, "note")]
    return " / ".join(n for n in notes if n)


# ---- languages ----------------------------------------------------------------------------


def _distinct(locales: Iterable[str]) -> list[str]:
    """The locales in order of first appearance, once each (case aside; the first spelling kept)."""
    seen: dict[str, str] = {}
    for loc in locales:
        seen.setdefault(loc.lower(), loc)
    return list(seen.values())


def _match(path: Path, wanted: str, languages: Sequence[str], role: str, source: str = "") -> str:
    """The language of ``languages`` that ``wanted`` names: the same locale (case aside), or
    the only one of its language. ``source``: the source language already taken, which
    ``languages`` (the target's candidates) leave out."""
    for loc in languages:
        if loc.lower() == wanted.lower():
            return loc
    same = [loc for loc in languages if language_code(loc) == language_code(wanted)]
    if len(same) == 1:
        return same[0]
    listed = ", ".join(languages)
    if same:
        raise InputError(
            path,
            f"has {len(same)} locales of {language_code(wanted)} ({', '.join(same)})",
            f"Say which to take as the {role} language: give the whole locale.",
        )
    if source and language_code(source) == language_code(wanted):
        raise InputError(
            path,
            f"{wanted}, the {role} language asked for, is its source language too ({source}); "
            f"its other languages are {listed}",
            f"Give two different languages with --src-lang and --tgt-lang (such as {source} and "
            f"{languages[0]}).",
        )
    besides = f" besides the source {source}" if source else ""
    raise InputError(
        path,
        f"has no units in {wanted}, the {role} language asked for; its languages{besides} are {listed}",
        f"Choose one of {listed}.",
    )


# ---- TMX ----------------------------------------------------------------------------------


def _unit_score(text: str | None) -> float | None:
    """``text`` as a score: a number from 0 to 1, or None."""
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if 0.0 <= value <= 1.0 else None


def _score(props: Sequence[tuple[str, str]]) -> float | None:
    by_type = {name.split(":", 1)[0].lower(): value for name, value in reversed(props)}
    for name in SCORE_PROPS:
        value = _unit_score(by_type.get(name))
        if value is not None:
            return value
    return None


def _read_tmx(path: Path, root: Any, src_lang: str | None, tgt_lang: str | None) -> BilingualFile:
    header = _child(root, "header")
    body = _child(root, "body")
    tus = _children(body, "tu") if body is not None else []
    fmt = f"TMX {root.get('version') or '1.4'}"
    if not tus:
        raise InputError(
            path, "has no translation units (<tu>)", "Export the translation memory again, with its units."
        )
    # every unit's segments by language (lower case), the first <tuv> of each language kept
    read: list[tuple[Any, dict[str, tuple[str, bool]], list[str]]] = []
    for tu in tus:
        segs: dict[str, tuple[str, bool]] = {}
        order: list[str] = []
        for tuv in _children(tu, "tuv"):
            lang = tuv.get(_XML_LANG) or tuv.get("lang")
            if not lang:
                raise InputError(
                    path,
                    "a <tuv> has no language (xml:lang, or lang in TMX 1.1)",
                    "Give every <tuv> its language.",
                    tuv.sourceline,
                )
            order.append(lang.strip())
            segs.setdefault(lang.strip().lower(), _plain(_child(tuv, "seg"), _CODE_CONTENT["tmx"]))
        read.append((tu, segs, order))
    languages = _distinct(loc for _, _, order in read for loc in order)
    if not languages:
        raise InputError(
            path, "its units have no <tuv> (no text in any language)", "Export the translation memory again."
        )
    notices: list[str] = []
    header_src = (header.get("srclang") or "").strip() if header is not None else ""
    if src_lang:
        source = _match(path, src_lang, languages, "source")
    elif header_src and header_src != "*all*":
        try:
            source = _match(path, header_src, languages, "source")
        except InputError:
            source = next(order[0] for _, _, order in read if order)
            notices.append(
                f"{path.name}: the header's source language {header_src} is in none of its units; "
                f"took {source}, the first unit's first language"
            )
    else:
        source = next(order[0] for _, _, order in read if order)
    others = [loc for loc in languages if loc.lower() != source.lower()]
    if not others:
        raise InputError(
            path,
            f"has one language only ({', '.join(languages)}): its units have no translation",
            "Export the translation memory with both its source and its target language.",
        )
    target = _match(path, tgt_lang, others, "target", source) if tgt_lang else others[0]
    if len(languages) > 2 and not tgt_lang:
        notices.append(
            f"{path.name} has {len(languages)} languages ({', '.join(languages)}): took {source} "
            f"as the source and {target} as the target; choose others with --src-lang/--tgt-lang"
        )
    units: list[Unit] = []
    empty = 0
    elsewhere: dict[str, int] = {}  # units skipped that have text in another language: how many
    for n, (tu, segs, order) in enumerate(read, start=1):
        src_text, src_codes = segs.get(source.lower(), ("", False))
        tgt_text, tgt_codes = segs.get(target.lower(), ("", False))
        if not src_text or not tgt_text:
            empty += 1
            for loc in order:
                if loc.lower() not in (source.lower(), target.lower()) and segs[loc.lower()][0]:
                    elsewhere[loc] = elsewhere.get(loc, 0) + 1
            continue
        props = tuple((p.get("type") or "", one_line("".join(p.itertext()))) for p in _children(tu, "prop"))
        units.append(
            Unit(
                src_text,
                tgt_text,
                _score(props),
                tu.get("tuid") or str(n),
                _notes(tu),
                props,
                src_codes or tgt_codes,
                tu.sourceline,
            )
        )
    if elsewhere:
        counts = ", ".join(f"{loc} ({count})" for loc, count in elsewhere.items())
        notices.append(
            f"{path.name}: {sum(elsewhere.values())} unit(s) missing their {source} or {target} text were "
            f"skipped, though they have text in {counts}; to read those, choose that language with "
            "--src-lang/--tgt-lang"
        )
    return _done(
        path,
        fmt,
        source,
        target,
        units,
        empty,
        languages,
        (header.get("creationtool") or "") if header is not None else "",
        notices,
    )


def _done(
    path: Path,
    fmt: str,
    source: str,
    target: str,
    units: Sequence[Unit],
    empty: int,
    languages: Sequence[str],
    tool: str,
    notices: Sequence[str],
) -> BilingualFile:
    if not units:
        raise InputError(
            path,
            f"has no unit with text in both {source} and {target} ({empty} unit(s), each with a side empty)",
            "Give a file whose units are translated.",
        )
    return BilingualFile(
        path,
        fmt,
        source,
        target,
        tuple(units),
        sum(u.inline for u in units),
        empty,
        tuple(languages),
        tool,
        tuple(notices),
    )


# ---- XLIFF --------------------------------------------------------------------------------


def _untranslated(path: Path, count: int, what: str) -> InputError:
    return InputError(
        path,
        f"has no translations: none of its {count} {what} has a <target> with text (it is untranslated)",
        "Translate it first (in a CAT tool, or by the translator), then give the translated XLIFF.",
    )


def _languages(
    path: Path,
    found: tuple[str, str],
    wanted: tuple[str | None, str | None],
    attributes: tuple[str, str],
) -> tuple[str, str]:
    """An XLIFF's source and target locale: the file's; ``wanted`` where the file names none,
    and it must agree where the file names one."""
    out = []
    roles = (("source", "--src-lang"), ("target", "--tgt-lang"))
    for (role, option), have, want, attribute in zip(roles, found, wanted, attributes, strict=True):
        if have and want and language_code(have) != language_code(want):
            raise InputError(
                path,
                f"its {role} language is {have} ({attribute}), not {want}",
                f"Leave out {option}, or give {have}.",
            )
        if not have and not want:
            raise InputError(
                path,
                f"names no {role} language ({attribute} is missing)",
                f"Say which it is with {option}.",
            )
        out.append(have or want or "")
    return out[0], out[1]


def _read_xliff1(path: Path, root: Any, src_lang: str | None, tgt_lang: str | None) -> BilingualFile:
    files = list(_descendants(root, "file"))
    pairs = _distinct(
        f"{f.get('source-language') or ''}\t{f.get('target-language') or ''}"
        for f in files
        if f.get("target-language") or next(iter(_descendants(f, "target")), None) is not None
    )
    if len(pairs) > 1:
        listed = ", ".join(p.replace("\t", " -> ") for p in pairs)
        raise InputError(
            path,
            f"its <file> elements have different languages ({listed})",
            "Split it into one XLIFF file per language pair.",
        )
    first = pairs[0].split("\t") if pairs else ["", ""]
    trans_units = list(_descendants(root, "trans-unit"))
    if not trans_units:
        raise InputError(path, "has no translation units (<trans-unit>)", "Give an XLIFF file with units.")
    code = _CODE_CONTENT["xliff1"]
    if not any(_plain(_child(tu, "target"), code)[0] for tu in trans_units):
        raise _untranslated(path, len(trans_units), "<trans-unit> elements")
    if not first[1]:  # the target may say its language itself
        target_lang = next((t.get(_XML_LANG) for t in _descendants(root, "target") if t.get(_XML_LANG)), "")
        first[1] = target_lang or ""
    source, target = _languages(
        path, (first[0], first[1]), (src_lang, tgt_lang), ("source-language", "target-language")
    )
    units: list[Unit] = []
    empty = 0
    for tu in trans_units:
        tu_id = tu.get("id") or str(len(units) + empty + 1)
        props = tuple((k, v) for k, v in (("state", _state(tu)), ("approved", tu.get("approved"))) if v)
        for seg_id, src_el, tgt_el in _segments(tu):
            src_text, src_codes = _plain(src_el, code)
            tgt_text, tgt_codes = _plain(tgt_el, code)
            if not src_text or not tgt_text:
                empty += 1
                continue
            unit_id = tu_id if seg_id is None else f"{tu_id}/{seg_id}"
            units.append(
                Unit(
                    src_text,
                    tgt_text,
                    None,
                    unit_id,
                    _notes(tu),
                    props,
                    src_codes or tgt_codes,
                    tu.sourceline,
                )
            )
    version = root.get("version") or "1.2"
    return _done(path, f"XLIFF {version}", source, target, units, empty, (source, target), _tool(root), [])


def _state(tu: Any) -> str | None:
    target = _child(tu, "target")
    return None if target is None else target.get("state")


def _tool(root: Any) -> str:
    file = next(iter(_descendants(root, "file")), None)
    tool = next(iter(_descendants(root, "tool")), None)
    if tool is not None and tool.get("tool-name"):
        return str(tool.get("tool-name"))
    return "" if file is None else str(file.get("tool-id") or file.get("tool") or "")


def _segments(tu: Any) -> list[tuple[str | None, Any, Any]]:
    """A trans-unit's segments: ``(mid, source, target)`` for each ``<mrk mtype="seg">`` of its
    ``<seg-source>``, or the whole ``<source>`` and ``<target>`` (mid None)."""
    seg_source = _child(tu, "seg-source")
    marks = (
        [] if seg_source is None else [m for m in _descendants(seg_source, "mrk") if m.get("mtype") == "seg"]
    )
    target = _child(tu, "target")
    if not marks:
        return [(None, _child(tu, "source"), target)]
    by_mid = {}
    if target is not None:
        by_mid = {m.get("mid"): m for m in _descendants(target, "mrk") if m.get("mtype") == "seg"}
    return [(m.get("mid"), m, by_mid.get(m.get("mid"))) for m in marks]


def _read_xliff2(path: Path, root: Any, src_lang: str | None, tgt_lang: str | None) -> BilingualFile:
    segments = [(unit, seg) for unit in _descendants(root, "unit") for seg in _children(unit, "segment")]
    if not segments:
        raise InputError(path, "has no segments (<unit><segment>)", "Give an XLIFF file with units.")
    code = _CODE_CONTENT["xliff2"]
    if not any(_plain(_child(seg, "target"), code)[0] for _, seg in segments):
        raise _untranslated(path, len(segments), "segments")
    source, target = _languages(
        path,
        ((root.get("srcLang") or "").strip(), (root.get("trgLang") or "").strip()),
        (src_lang, tgt_lang),
        ("srcLang", "trgLang"),
    )
    units: list[Unit] = []
    empty = 0
    numbers: dict[int, int] = {}
    scores = {id(unit): _metadata_score(unit) for unit, _ in segments}
    for unit, seg in segments:
        k = numbers[id(unit)] = numbers.get(id(unit), 0) + 1
        data = {d.get("id") or "": "".join(d.itertext()) for d in _descendants(unit, "data")}
        src_text, src_codes = _plain(_child(seg, "source"), code, data)
        tgt_text, tgt_codes = _plain(_child(seg, "target"), code, data)
        if not src_text or not tgt_text:
            empty += 1
            continue
        props = tuple(
            (k, v) for k, v in (("state", seg.get("state")), ("subState", seg.get("subState"))) if v
        )
        units.append(
            Unit(
                src_text,
                tgt_text,
                scores[id(unit)],
                f"{unit.get('id') or '?'}/{seg.get('id') or k}",
                _notes(unit),
                props,
                src_codes or tgt_codes,
                seg.sourceline,
            )
        )
    version = root.get("version") or "2.0"
    return _done(path, f"XLIFF {version}", source, target, units, empty, (source, target), "", [])


def _metadata_score(unit: Any) -> float | None:
    """The score an XLIFF 2 unit of one segment carries in its ``mda:metaGroup`` of category
    ``aligner`` (:mod:`aligner.export.xliff`); None for a unit of several segments."""
    if len(_children(unit, "segment")) != 1:
        return None
    for metadata in unit.findall(f"{{{_MDA_NS}}}metadata"):
        for group in metadata.findall(f"{{{_MDA_NS}}}metaGroup"):
            if group.get("category") != "aligner":
                continue
            for meta in group.findall(f"{{{_MDA_NS}}}meta"):
                if meta.get("type") == "score":
                    return _unit_score(meta.text)
    return None
