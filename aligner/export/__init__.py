"""Exporters: name -> writer. The CLI's ``--format`` choices come from these keys."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TextIO

from ..model import Alignment
from .links import read_links, write_links
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


def render_alignment(alignment: Alignment, fmt: str, min_score: float = 0.0) -> str:
    """Render ``alignment`` in format ``fmt`` (a key of EXPORTERS) as text."""
    buf = io.StringIO()
    EXPORTERS[fmt](alignment, buf, min_score)
    return buf.getvalue()


__all__ = [
    "DEFAULT_FORMATS",
    "EXPORTERS",
    "read_links",
    "render_alignment",
    "write_links",
    "write_tmx",
    "write_tsv",
    "write_xliff",
]
