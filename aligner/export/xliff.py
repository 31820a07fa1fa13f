"""XLIFF 2.1 export of a pair, for bilingual review in a CAT tool.

One ``<file>`` per pair (its ``original`` the source document), one ``<unit>``
per link that has both sides (null links are left out, as in TMX), with one
``<segment>``: the source and target text, plain (no inline codes). Valid
against the OASIS XLIFF 2.1 core schema (``tests/data/xliff21``); 2.1 keeps the
2.0 core namespace, ``version="2.1"`` says which.

- The review status is the segment's ``state``: links not reviewed are
  ``translated`` (a target exists, no one has checked it), approved ones
  ``reviewed``; ``subState`` says ours (``aligner:pending``, ``aligner:approved``).
  Rejected links are never exported (:mod:`aligner.review.export`).
- The reviewer's comment is a ``<note category="review">``; the link's score,
  type, sentence indices and whether it was moved are Metadata-module entries
  (``mda:metaGroup category="aligner"``), which the core schema admits and CAT
  tools keep; the file's carry the documents, the date and the signature.

Output is deterministic: the same alignment gives the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from ..model import Alignment
from .options import ExportOptions
from .text import one_line, xml_safe

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
_STATES = {"pending": "translated", "approved": "reviewed"}


def _q(name: str) -> str:
    return f"{{{XLIFF_NS}}}{name}"


def _metadata(parent: ET.Element, values: list[tuple[str, str]]) -> None:
    meta = ET.SubElement(parent, f"{{{MDA_NS}}}metadata")
    group = ET.SubElement(meta, f"{{{MDA_NS}}}metaGroup", category="aligner")
    for kind, value in values:
        if value:
            ET.SubElement(group, f"{{{MDA_NS}}}meta", type=kind).text = xml_safe(value)


def build_xliff(
    alignment: Alignment, min_score: float = 0.0, options: ExportOptions | None = None
) -> ET.Element:
    """The XLIFF 2.1 tree of ``alignment``, keeping links scored at least ``min_score``,
    in ``options``' locales."""
    options = options or ExportOptions()
    ET.register_namespace("", XLIFF_NS)
    ET.register_namespace("mda", MDA_NS)
    src = options.src_locale or alignment.src_lang
    tgt = options.tgt_locale or alignment.tgt_lang
    root = ET.Element(_q("xliff"), version="2.1", srcLang=src, trgLang=tgt)
    file = ET.SubElement(root, _q("file"), id="f1")
    if alignment.src_doc:
        file.set("original", xml_safe(alignment.src_doc))
    _metadata(
        file,
        [
            ("source-document", alignment.src_doc),
            ("target-document", alignment.tgt_doc),
            ("date", alignment.date or ""),
            ("signature", alignment.signature),
        ],
    )
    units = 0
    for link in alignment.links:
        if link.is_null or link.score < min_score:
            continue
        units += 1
        unit = ET.SubElement(file, _q("unit"), id=f"u{units}")
        review = link.review
        _metadata(
            unit,
            [
                ("score", f"{link.score:.4f}"),
                ("link-type", link.kind),
                ("source-sentences", ",".join(str(i) for i in link.src)),
                ("target-sentences", ",".join(str(j) for j in link.tgt)),
                ("moved", "yes" if link.moved else ""),
                ("reviewer", (review.changed_by or "") if review else ""),
                ("changed", (review.changed_at or "") if review else ""),
            ],
        )
        if review is not None and review.comment:
            notes = ET.SubElement(unit, _q("notes"))
            ET.SubElement(notes, _q("note"), category="review").text = one_line(review.comment)
        status = review.status if review is not None else "pending"
        segment = ET.SubElement(
            unit,
            _q("segment"),
            id="s1",
            state=_STATES.get(status, "translated"),
            subState=f"aligner:{status}",
        )
        ET.SubElement(segment, _q("source")).text = one_line(alignment.source_text(link))
        ET.SubElement(segment, _q("target")).text = one_line(alignment.target_text(link))
    if not units:  # the core schema needs a unit in every file: an empty one, not to translate
        unit = ET.SubElement(file, _q("unit"), id="u0", translate="no")
        ET.SubElement(ET.SubElement(unit, _q("segment"), id="s1"), _q("source"))
    ET.indent(root, space="  ")
    return root


def write_xliff(
    alignment: Alignment, fh: TextIO, min_score: float = 0.0, options: ExportOptions | None = None
) -> None:
    """Write ``alignment`` as XLIFF 2.1 to the text stream ``fh``."""
    fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    fh.write(ET.tostring(build_xliff(alignment, min_score, options), encoding="unicode"))
    fh.write("\n")
