"""TMX 1.4b export (validates against ../shared/spec/tmx14.dtd).

Rules followed (../shared/FACTS.md section 6):

- ``segtype="sentence"`` (OmegaT re-segments ``paragraph``);
- every ``<tu>`` carries ``srclang`` equal to the header's and a ``<tuv>`` with
  exactly that ``xml:lang`` (TMXValidator rejects "it" against "it-IT");
- custom properties use the ``x-`` prefix: ``x-score``, ``x-link-type``,
  ``x-source-doc``, ``x-target-doc``; the header carries ``x-signature``;
- the dispatch date, when a full one is known, is the ``creationdate``
  (``YYYYMMDDThhmmssZ``); nothing else time-dependent is written, so the output
  is reproducible;
- level 1: plain escaped text, white space normalised, characters XML 1.0
  forbids removed.

Links from a review (:attr:`Link.review`) carry the reviewer's last change as
``changedate`` and ``changeid``, the review status as ``x-review-status`` and
the reviewer's comment as ``<note>``.

Null links (deletions, insertions) have no translation and are left out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from ..model import Alignment, date_fault
from ..version import __version__
from .text import one_line

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


def build_tmx(alignment: Alignment, min_score: float = 0.0) -> ET.ElementTree[ET.Element]:
    """Build the TMX tree of ``alignment``, keeping links scored at least ``min_score``."""
    src, tgt = alignment.src_lang, alignment.tgt_lang
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
    created = tmx_date(alignment.date)
    if created:
        header.set("creationdate", created)
    if alignment.signature:
        ET.SubElement(header, "prop", type="x-signature").text = alignment.signature
    body = ET.SubElement(root, "body")
    for n, link in enumerate(alignment.links, start=1):
        if link.is_null or link.score < min_score:
            continue
        tu = ET.SubElement(body, "tu", tuid=str(n), srclang=src)
        if created:
            tu.set("creationdate", created)
        review = link.review
        if review is not None:
            changed = tmx_time(review.changed_at)
            if changed and review.changed_by:
                tu.set("changedate", changed)
                tu.set("changeid", review.changed_by)
            if review.comment:
                ET.SubElement(tu, "note").text = one_line(review.comment)
        props = [
            ("x-score", f"{link.score:.4f}"),
            ("x-link-type", link.kind),
            ("x-source-doc", alignment.src_doc),
            ("x-target-doc", alignment.tgt_doc),
            ("x-source-sentences", ",".join(str(i) for i in link.src)),
            ("x-target-sentences", ",".join(str(j) for j in link.tgt)),
            ("x-review-status", review.status if review else ""),
            ("x-moved", "yes" if link.moved else ""),  # linked out of order: a paragraph moved
        ]
        for name, value in props:
            if value:
                ET.SubElement(tu, "prop", type=name).text = value
        for lang, text in ((src, alignment.source_text(link)), (tgt, alignment.target_text(link))):
            tuv = ET.SubElement(tu, "tuv", attrib={_XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = one_line(text)
    ET.indent(root, space="  ")
    return ET.ElementTree(root)


def write_tmx(alignment: Alignment, fh: TextIO, min_score: float = 0.0) -> None:
    """Write ``alignment`` as TMX 1.4b to the text stream ``fh``."""
    fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    fh.write(ET.tostring(build_tmx(alignment, min_score).getroot(), encoding="unicode"))
    fh.write("\n")
