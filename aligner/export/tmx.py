"""TMX 1.4b export (validates against ../shared/spec/tmx14.dtd).

Rules followed (../shared/FACTS.md section 6):

- ``segtype="sentence"`` (OmegaT re-segments ``paragraph``);
- every ``<tu>`` carries ``srclang`` equal to the header's and a ``<tuv>`` with
  exactly that ``xml:lang`` (TMXValidator rejects "it" against "it-IT");
- custom properties use the ``x-`` prefix (``x-score``, ``x-link-type``,
  ``x-source-doc``, ``x-target-doc``, ``x-document-date``, the previous and next
  source sentences as ``x-context-pre``/``x-context-post``), or the names a CAT
  tool reads (:data:`PROFILES`, ``--tmx-profile``); the header carries ``x-signature``;
- ``tuid`` is the pair's stem and the link's sentences (:func:`tuid`): unique in a
  run, the same on a rerun, so memories of many pairs merge without collisions;
- ``xml:lang`` and ``srclang`` are the locales asked for (``--src-locale it-IT``),
  the bare language codes by default;
- dates keep their TMX meaning: the header's and units' ``creationdate`` is when
  the file was made, taken from ``SOURCE_DATE_EPOCH`` (as reproducible builds do)
  and otherwise left out, so the same input gives the same bytes; the dispatch's
  date is a property (``x-document-date``);
- level 1: plain escaped text, white space normalised, characters XML 1.0
  forbids removed.

Links from a review (:attr:`Link.review`) carry the reviewer's last change as
``changedate`` and ``changeid``, the review status as ``x-review-status`` and
the reviewer's comment as ``<note>``.

Null links (deletions, insertions) have no translation and are left out.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..model import Alignment, Link, Review, date_fault
from ..version import __version__
from .options import ExportOptions
from .text import one_line, xml_safe

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def tmx_date(date: str | None) -> str | None:
    """``2025-11-25`` -> ``20251125T000000Z``; partial, impossible or missing dates give None."""
    # 2025-13-45 is no day: no creationdate rather than an invalid one
    if date is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) or date_fault(date):
        return None
    return date.replace("-", "") + "T000000Z"


def tmx_time(stamp: str | None) -> str | None:
    """``2026-11-21T10:04:05Z`` -> ``20261121T100405Z``; anything else gives None."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z", stamp or "")
    return None if m is None else "{}{}{}T{}{}{}Z".format(*m.groups())


@dataclass(frozen=True)
class Profile:
    """How one CAT tool wants a unit's properties named (``None``: not written)."""

    name: str
    context: tuple[str, str] | None  # the previous and next source sentences
    score: str
    source_doc: str
    target_doc: str
    document_date: str | None
    review: str
    link_type: str | None
    sentences: tuple[str, str] | None
    moved: str | None
    max_chars: int | None = None  # longer units are left out (and counted in a header note)
    creationid: str | None = None  # the units' author, as the tool shows it


#: ``--tmx-profile`` choices. Trados wants custom fields as ``x-Name:Type`` and refuses
#: segments over 2,000 characters; memoQ, XTM and MateCat read ``x-context-pre``/``-post``;
#: Phrase reads ``context_prev``/``context_next``; OmegaT has no context in an external
#: memory (with its own ``prev``/``next`` properties it filled none of the seed's segments:
#: they make a unit an alternative translation), so it gets none, and ``creationid``.
PROFILES = {
    p.name: p
    for p in (
        Profile(
            "generic",
            ("x-context-pre", "x-context-post"),
            "x-score",
            "x-source-doc",
            "x-target-doc",
            "x-document-date",
            "x-review-status",
            "x-link-type",
            ("x-source-sentences", "x-target-sentences"),
            "x-moved",
        ),
        Profile(
            "omegat",
            None,  # OmegaT's prev/next would make every unit an alternative translation: none filled
            "x-score",
            "x-source-doc",
            "x-target-doc",
            "x-document-date",
            "x-review-status",
            "x-link-type",
            ("x-source-sentences", "x-target-sentences"),
            "x-moved",
            creationid="aligner",  # shown with the match in OmegaT's Fuzzy Matches pane
        ),
        Profile(
            "trados",
            ("x-ContextBefore:SingleString", "x-ContextAfter:SingleString"),
            "x-Score:SingleString",
            "x-SourceDocument:SingleString",
            "x-TargetDocument:SingleString",
            "x-DocumentDate:SingleString",
            "x-ReviewStatus:SingleString",
            "x-LinkType:SingleString",
            None,
            "x-Moved:SingleString",
            max_chars=2000,
        ),
        Profile(
            "memoq",
            ("x-context-pre", "x-context-post"),
            "x-score",
            "x-document",
            "x-target-document",
            "x-document-date",
            "x-review-status",
            "x-link-type",
            None,
            "x-moved",
        ),
        Profile(
            "phrase",
            ("context_prev", "context_next"),
            "x-score",
            "x-source-doc",
            "x-target-doc",
            "x-document-date",
            "x-review-status",
            "x-link-type",
            None,
            "x-moved",
        ),
    )
}


def tuid(alignment: Alignment, link: Link) -> str:
    """A unit's id, unique in a run and the same on every rerun: the pair's stem and the
    link's sentences, ``<src stem>__<tgt stem>:2+3:2``."""
    stem = f"{Path(alignment.src_doc).stem}__{Path(alignment.tgt_doc).stem}"
    return f"{stem}:{'+'.join(map(str, link.src))}:{'+'.join(map(str, link.tgt))}"


@dataclass(frozen=True)
class MemoryUnit:
    """A translation unit as TMX writes it: texts, score and where it comes from."""

    tuid: str
    src: str
    tgt: str
    score: float
    kind: str  # the link type, "1-1"
    source_doc: str
    target_doc: str
    date: str | None = None  # the dispatch's, YYYY-MM-DD
    src_sentences: str = ""  # "2,3"
    tgt_sentences: str = ""
    before: str = ""  # the previous and next source sentences (context)
    after: str = ""
    review: Review | None = None
    moved: bool = False


def units_of(alignment: Alignment, min_score: float = 0.0) -> list[MemoryUnit]:
    """The units of ``alignment``'s links that have both sides and score at least ``min_score``."""
    date = alignment.date if tmx_date(alignment.date) else None
    out = []
    for link in alignment.links:
        if link.is_null or link.score < min_score:
            continue
        before = alignment.source[link.src[0] - 1].text if link.src[0] > 0 else ""
        after = alignment.source[link.src[-1] + 1].text if link.src[-1] + 1 < len(alignment.source) else ""
        out.append(
            MemoryUnit(
                tuid(alignment, link),
                alignment.source_text(link),
                alignment.target_text(link),
                link.score,
                link.kind,
                alignment.src_doc,
                alignment.tgt_doc,
                date,
                ",".join(str(i) for i in link.src),
                ",".join(str(j) for j in link.tgt),
                before,
                after,
                link.review,
                link.moved,
            )
        )
    return out


def _header(src: str, options: ExportOptions, signature: str, note: str) -> str:
    """The TMX file up to its body, and what follows it, around ``<body />``."""
    root = ET.Element("tmx", version="1.4")
    header = ET.SubElement(
        root,
        "header",
        attrib={
            "creationtool": "aligner",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "aligner",
            "adminlang": "en",
            "srclang": src,
            "datatype": "plaintext",
        },
    )
    if options.created:  # when the file was made: SOURCE_DATE_EPOCH, so that reruns give the same bytes
        header.set("creationdate", options.created)
    if note:
        ET.SubElement(header, "note").text = note
    if signature:
        ET.SubElement(header, "prop", type="x-signature").text = signature
    ET.SubElement(root, "body")
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _text(value: str) -> str:
    """``value`` escaped as XML character data (as ElementTree writes it), without the
    characters XML forbids (:func:`xml_safe`): a document's name may hold one."""
    return xml_safe(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    """``value`` escaped as a double-quoted XML attribute (as ElementTree writes it)."""
    value = _text(value).replace('"', "&quot;")
    return value.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


def _element(tag: str, text: str, attrs: str = "") -> str:
    return f"<{tag}{attrs}>{_text(text)}</{tag}>" if text else f"<{tag}{attrs} />"


def _unit_xml(unit: MemoryUnit, profile: Profile, src: str, tgt: str, created: str | None) -> str:
    """The ``<tu>`` of ``unit``, indented as the third level of the file: what ElementTree
    writes of it (attributes in this order), a string at a time, many times faster."""
    attrs = [("tuid", unit.tuid), ("srclang", src)]
    if profile.creationid:
        attrs.append(("creationid", profile.creationid))
    if created:
        attrs.append(("creationdate", created))
    inner: list[str] = []
    review = unit.review
    if review is not None:
        changed = tmx_time(review.changed_at)
        if changed and review.changed_by:
            attrs += [("changedate", changed), ("changeid", review.changed_by)]
        if review.comment:
            inner.append(_element("note", one_line(review.comment)))
    props: list[tuple[str | None, str]] = [
        (profile.score, f"{unit.score:.4f}"),
        (profile.link_type, unit.kind),
        (profile.source_doc, unit.source_doc),
        (profile.target_doc, unit.target_doc),
        (profile.document_date, unit.date or ""),
        (profile.sentences[0] if profile.sentences else None, unit.src_sentences),
        (profile.sentences[1] if profile.sentences else None, unit.tgt_sentences),
        (profile.review, review.status if review else ""),
        (profile.moved, "yes" if unit.moved else ""),  # linked out of order: a paragraph moved
        (profile.context[0] if profile.context else None, one_line(unit.before)),
        (profile.context[1] if profile.context else None, one_line(unit.after)),
    ]
    inner += [_element("prop", value, f' type="{_attr(name)}"') for name, value in props if name and value]
    for lang, text in ((src, unit.src), (tgt, unit.tgt)):
        seg = _element("seg", one_line(text))
        inner.append(f'<tuv xml:lang="{_attr(lang)}">\n        {seg}\n      </tuv>')
    head = "".join(f' {name}="{_attr(value)}"' for name, value in attrs)
    return f"<tu{head}>\n      " + "\n      ".join(inner) + "\n    </tu>"


def write_memory(
    units: Iterable[MemoryUnit],
    fh: TextIO,
    src: str,
    tgt: str,
    options: ExportOptions | None = None,
    signature: str = "",
) -> int:
    """Write the TMX file of ``units`` in languages ``src`` and ``tgt`` (``options``'
    locales take their place), with ``options``' profile and creation date, to ``fh``,
    one unit at a time (memory stays small however many there are). Returns how many
    units were written.

    A profile with a length limit (Trados) leaves longer units out and says how many in
    the header's note: the units then go to a temporary file first, since the header
    comes before them.
    """
    options = options or ExportOptions()
    profile = PROFILES[options.profile]
    src = options.src_locale or src
    tgt = options.tgt_locale or tgt
    with ExitStack() as stack:
        # the units, to a temporary file first where the header must count those left out
        body = (
            stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8")) if profile.max_chars else fh
        )
        head, _, tail = _header(src, options, signature, "").partition("<body />")
        written = long_units = 0
        for unit in units:
            if profile.max_chars is not None and max(len(unit.src), len(unit.tgt)) > profile.max_chars:
                long_units += 1
                continue
            if written == 0 and body is fh:
                fh.write(head + "<body>")
            body.write("\n    " + _unit_xml(unit, profile, src, tgt, options.created))
            written += 1
        if long_units:
            limit = f"{profile.max_chars:,} characters"
            note = f"{long_units} unit(s) longer than {limit} left out ({profile.name} refuses them)"
            head, _, tail = _header(src, options, signature, note).partition("<body />")
        if written == 0:
            fh.write(head + "<body />" + tail)
            return 0
        if body is not fh:
            fh.write(head + "<body>")
            body.seek(0)
            shutil.copyfileobj(body, fh)
        fh.write("\n  </body>" + tail)
        return written


def write_tmx(
    alignment: Alignment, fh: TextIO, min_score: float = 0.0, options: ExportOptions | None = None
) -> None:
    """Write ``alignment`` as TMX 1.4b to the text stream ``fh``, keeping links scored at
    least ``min_score``, with ``options``' locales, profile and creation date."""
    units = units_of(alignment, min_score)
    write_memory(units, fh, alignment.src_lang, alignment.tgt_lang, options, alignment.signature)
