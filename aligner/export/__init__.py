"""Exporters: name -> writer. The CLI's ``--format`` choices come from these keys."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TextIO

from ..model import Alignment
from .links import read_links, write_links
from .options import ExportOptions
from .tmx import write_tmx
from .tsv import write_tsv
from .xliff import write_xliff

Writer = Callable[[Alignment, TextIO, float], None]

EXPORTERS: dict[str, Writer] = {
    "tmx": write_tmx,
    "tsv": write_tsv,
    "links": write_links,
    "xliff": write_xliff,
}
#: What a run and a review's export write when no ``--format`` is given (XLIFF on request).
DEFAULT_FORMATS = ("tmx", "tsv", "links")


def render_alignment(
    alignment: Alignment, fmt: str, min_score: float = 0.0, options: ExportOptions | None = None
) -> str:
    """Render ``alignment`` in format ``fmt`` (a key of EXPORTERS) as text; ``options``
    (locales, TMX profile, creation date) apply to TMX and XLIFF."""
    buf = io.StringIO()
    if fmt == "tmx":
        write_tmx(alignment, buf, min_score, options)
    elif fmt == "xliff":
        write_xliff(alignment, buf, min_score, options)
    else:
        EXPORTERS[fmt](alignment, buf, min_score)
    return buf.getvalue()


__all__ = [
    "DEFAULT_FORMATS",
    "EXPORTERS",
    "ExportOptions",
    "read_links",
    "render_alignment",
    "write_links",
    "write_tmx",
    "write_tsv",
    "write_xliff",
]
