"""OPUS-style XCES: sentence files and an alignment file of ``<link xtargets=... certainty=...>``.

OPUS distributes parallel corpora as one XML file of sentences per document and
language (``<s id="...">``) and an alignment file (``cesAlign``) with a
``<linkGrp fromDoc toDoc>`` per document pair, each link naming its sentences
by id (``xtargets="3 4;5"``: source ids, then target ids) with the aligner's
``certainty``. Our sentence ids are the documents' sentence numbers from 1. The
sentence files hold every sentence of a document that a kept link names, so the
alignment file's references resolve; OPUS tools (``opus_read``) and lxml read both.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..corpus import TrainingPair

#: The folder of the sentence files, beside the alignment files.
FOLDER = "xces"


def _doc_path(lang: str, doc: str) -> str:
    """A sentence file's path, relative to the alignment file's folder."""
    return f"{FOLDER}/{lang}/{Path(doc).stem}.xml"


def render_xces(
    splits: Mapping[str, Sequence[TrainingPair]],
    src_lang: str,
    tgt_lang: str,
    documents: Mapping[str, Sequence[str]],
) -> dict[str, str]:
    """Files (name -> text) of the XCES form of ``splits``: ``<split>.xces.xml`` per split
    and ``xces/<lang>/<document>.xml`` per document, with every sentence of the document
    (``documents``: a document's name -> its sentences, from the run's stored documents).
    A pair whose link's sentences or documents are not known (a TMX unit) has no link."""
    used: dict[str, Sequence[str]] = {}
    out: dict[str, str] = {}
    for name, pairs in splits.items():
        root = ET.Element("cesAlign", version="1.0")
        groups: dict[str, ET.Element] = {}
        for p in pairs:
            source, _, target = p.doc.partition("|")
            if not (p.src_sentences and p.tgt_sentences and source in documents and target in documents):
                continue
            src_doc, tgt_doc = _doc_path(src_lang, source), _doc_path(tgt_lang, target)
            used[src_doc], used[tgt_doc] = documents[source], documents[target]
            group = groups.get(p.doc)
            if group is None:
                group = ET.SubElement(root, "linkGrp", targType="s", fromDoc=src_doc, toDoc=tgt_doc)
                groups[p.doc] = group
            src_ids = " ".join(str(i + 1) for i in p.src_sentences)
            tgt_ids = " ".join(str(j + 1) for j in p.tgt_sentences)
            ET.SubElement(group, "link", xtargets=f"{src_ids};{tgt_ids}", certainty=f"{p.score:.4f}")
        out[f"{name}.xces.xml"] = _xml(root)
    for doc, texts in sorted(used.items()):
        root = ET.Element("document", id=doc)
        for number, text in enumerate(texts, start=1):
            ET.SubElement(root, "s", id=str(number)).text = text
        out[doc] = _xml(root)
    return out


def _xml(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
