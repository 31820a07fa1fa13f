"""Vecalign-style link lines: ``[i, j]:[k]:score``, null links included.

The format of the gold files in ../shared/eval and of Vecalign's output;
:func:`read_links` reads it back (the third field is optional). A link found
out of order (a moved paragraph) has a fourth field, ``[5]:[12]:0.9312:moved``,
and sits at its source sentences' place.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from ..errors import InputError
from ..model import Alignment, Link

_LINE = re.compile(r"^\[([\d,\s]*)\]:\[([\d,\s]*)\](?::(-?[\d.eE+-]+)(:moved)?)?\s*$")


def format_link(link: Link) -> str:
    """One link as ``[0, 1]:[0]:0.9123`` (``[5]:[12]:0.9312:moved`` for a moved one)."""
    src = ", ".join(str(i) for i in link.src)
    tgt = ", ".join(str(j) for j in link.tgt)
    return f"[{src}]:[{tgt}]:{link.score:.4f}" + (":moved" if link.moved else "")


def write_links(alignment: Alignment, fh: TextIO, min_score: float = 0.0) -> None:
    """Write every link of ``alignment`` (null links too) scored at least ``min_score``."""
    for link in alignment.links:
        if link.score >= min_score:
            fh.write(format_link(link) + "\n")


@dataclass(frozen=True)
class LinkLine:
    """A link as read from a line: the line's number, and whether it gave a score."""

    link: Link
    number: int  # 1-based
    scored: bool  # False: no third field, the link's score reads as 1.0


def read_links(lines: Iterable[str], source: str = "<links>") -> list[Link]:
    """Parse link lines; a missing score reads as 1.0. Blank lines are skipped."""
    return [ll.link for ll in read_link_lines(lines, source)]


def read_link_lines(lines: Iterable[str], source: str = "<links>") -> list[LinkLine]:
    """:func:`read_links`, telling each link's line and whether it had a score.

    :raises InputError: a line is not a link line, naming ``source`` and the line.
    """
    links = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        m = _LINE.match(line.strip())
        if m is None:
            raise InputError(
                source,
                f"{line.strip()[:60]!r} is not a link line",
                "Each line must look like [0, 1]:[2], [0]:[]:0.95 or [3]:[9]:0.9:moved "
                "(0-based sentence indices).",
                line=number,
            )
        src = tuple(int(x) for x in m.group(1).replace(",", " ").split())
        tgt = tuple(int(x) for x in m.group(2).replace(",", " ").split())
        score = m.group(3)
        try:
            value = float(score) if score else 1.0
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise InputError(
                source,
                f"{line.strip()[:60]!r}: the score {score!r} is not a number",
                "Give the score as a decimal number, [0]:[0]:0.95, or leave it out ([0]:[0]).",
                line=number,
            )
        link = Link(src, tgt, value, moved=m.group(4) is not None)
        links.append(LinkLine(link, number, score is not None))
    return links
