"""OPUS-style XCES: sentence files and an alignment file of ``<link xtargets=... certainty=...>``.

OPUS distributes parallel corpora as one XML file of sentences per document and
language (``<s id="...">``) and an alignment file (``cesAlign``) with a
``<linkGrp fromDoc toDoc>`` per document pair, each link naming its sentences
by id (``xtargets="3 4;5"``: source ids, then target ids) with the aligner's
``certainty``. Our sentence ids are the documents' sentence numbers from 1. The
sentence files hold every sentence of a document that a kept link names, so the
alignment file's references resolve; OPUS tools (``opus_read``) and lxml read both.
A sentence's text is cleaned as in every other format (:func:`aligner.export.text.one_line`:
on one line, no character XML 1.0 forbids, no-break spaces kept), so an export has the
same text in all of them; the files' names lose what XML forbids too.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from xml.sax.saxutils import quoteattr

from ..corpus import TrainingPair
from ..write import Staging
from .text import one_line, xml_safe

#: The folder of the sentence files, beside the alignment files.
FOLDER = "xces"


#: Finds a document pair's sentences: ``"<source>|<target>"`` -> each document's sentences,
#: or None where they are not known (a TMX unit, a run without its work folder).
Sentences = Callable[[str], "tuple[Sequence[str], Sequence[str]] | None"]


class XcesWriter:
    """The XCES form of a corpus, written as it streams: ``<split>.xces.xml`` per split
    (:meth:`split`) and ``xces/<lang>/<document>.xml`` per document, with every sentence of
    the document, written when a link first names it (``sentences`` finds them, from the
    run's stored documents; one document pair is held at a time). A pair whose link's
    sentences or documents are not known has no link."""

    def __init__(self, stage: Staging, src_lang: str, tgt_lang: str, sentences: Sentences) -> None:
        self.stage, self.src_lang, self.tgt_lang, self.sentences = stage, src_lang, tgt_lang, sentences
        self._documents: set[str] = set()
        self._known: tuple[str, tuple[Sequence[str], Sequence[str]] | None] = ("", None)

    @contextmanager
    def split(self, name: str) -> Iterator[Callable[[TrainingPair], None]]:
        """A block that writes the split ``name``'s alignment file: call what it gives with
        each of the split's pairs, in order (a document pair's together)."""
        group = ""
        with self.stage.open(f"{name}.xces.xml") as fh:
            fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<cesAlign version="1.0">\n')

            def add(p: TrainingPair) -> None:
                nonlocal group
                texts = self._texts(p.doc)
                if texts is None or not (p.src_sentences and p.tgt_sentences):
                    return
                if p.doc != group:
                    if group:
                        fh.write("  </linkGrp>\n")
                    group = p.doc
                    source, _, target = p.doc.partition("|")
                    src_doc = self._document(self.src_lang, source, texts[0])
                    tgt_doc = self._document(self.tgt_lang, target, texts[1])
                    fh.write(
                        f'  <linkGrp targType="s" fromDoc={quoteattr(src_doc)} toDoc={quoteattr(tgt_doc)}>\n'
                    )
                src_ids = " ".join(str(i + 1) for i in p.src_sentences)
                tgt_ids = " ".join(str(j + 1) for j in p.tgt_sentences)
                fh.write(f'    <link xtargets="{src_ids};{tgt_ids}" certainty="{p.score:.4f}" />\n')

            yield add
            if group:
                fh.write("  </linkGrp>\n")
            fh.write("</cesAlign>\n")

    def _texts(self, doc: str) -> tuple[Sequence[str], Sequence[str]] | None:
        if self._known[0] != doc:
            self._known = (doc, self.sentences(doc))
        return self._known[1]

    def _document(self, lang: str, doc: str, texts: Sequence[str]) -> str:
        """The sentence file of ``doc`` (written the first time), relative to the alignment file."""
        path = f"{FOLDER}/{lang}/{xml_safe(Path(doc).stem)}.xml"  # an XML attribute: no forbidden character
        if path not in self._documents:
            self._documents.add(path)
            root = ET.Element("document", id=path)
            for number, text in enumerate(texts, start=1):
                ET.SubElement(root, "s", id=str(number)).text = one_line(text)
            ET.indent(root, space="  ")
            self.stage.write_text(
                path, '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
            )
        return path
