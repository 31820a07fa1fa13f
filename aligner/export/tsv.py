"""TSV export, for spreadsheets and Bicleaner-style ML pipelines.

Grammar, one translation unit per line, no header::

    line   = source TAB target TAB score TAB link-type LF
    source = target = text with every tab and line-breaking character a space,
                      runs of spaces one space, trimmed (no-break spaces kept:
                      :func:`aligner.export.text.one_line`)
    score  = decimal in [0, 1] with four digits after the point
    link-type = a "-" b, the number of source and target sentences ("1-1", "2-1")

Null links have no translation and are left out.
"""

from __future__ import annotations

from typing import TextIO

from ..model import Alignment
from .text import one_line


def write_tsv(alignment: Alignment, fh: TextIO, min_score: float = 0.0) -> None:
    """Write the non-null links of ``alignment`` scored at least ``min_score``."""
    for link in alignment.links:
        if link.is_null or link.score < min_score:
            continue
        src = one_line(alignment.source_text(link))
        tgt = one_line(alignment.target_text(link))
        fh.write(f"{src}\t{tgt}\t{link.score:.4f}\t{link.label}\n")
