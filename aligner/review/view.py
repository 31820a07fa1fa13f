"""What the workspace and the report show: rows of links, ready for the templates.

Kept apart from the web application so the static report renders the same rows
without a server. Every text reaches the page through Jinja's autoescaping.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape

from ..model import Sentence
from .edits import ReviewLink
from .store import PairView

#: Score bands, for colour: below LOW is doubtful, below HIGH uncertain.
LOW, HIGH = 0.5, 0.8


@dataclass(frozen=True)
class SentenceCell:
    index: int
    text: str
    new_paragraph: bool  # the sentence starts a paragraph (not the document's first)


@dataclass(frozen=True)
class Row:
    position: int
    link: ReviewLink
    band: str  # low | mid | high | edited
    src: tuple[SentenceCell, ...]
    tgt: tuple[SentenceCell, ...]

    @property
    def new_paragraph(self) -> bool:
        first = [cells[0] for cells in (self.src, self.tgt) if cells]
        return any(c.new_paragraph for c in first)

    @property
    def score_text(self) -> str:
        return "edited" if self.link.score is None else f"{self.link.score:.2f}"


def band(score: float | None) -> str:
    if score is None:
        return "edited"
    return "low" if score < LOW else "mid" if score < HIGH else "high"


def _cells(sentences: tuple[Sentence, ...], indices: tuple[int, ...]) -> tuple[SentenceCell, ...]:
    return tuple(
        SentenceCell(i, sentences[i].text, i > 0 and sentences[i].paragraph != sentences[i - 1].paragraph)
        for i in indices
    )


def rows(view: PairView) -> list[Row]:
    """One row per link of ``view``, in order."""
    src, tgt = view.source.sentences, view.target.sentences
    return [
        Row(k, lk, band(lk.score), _cells(src, lk.src), _cells(tgt, lk.tgt))
        for k, lk in enumerate(view.links)
    ]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja environment of the workspace and the report (autoescaping on)."""
    env = Environment(
        loader=PackageLoader("aligner.review", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["LOW"] = LOW
    env.globals["HIGH"] = HIGH
    return env


def static_text(name: str) -> str:
    """A file of the package's ``static`` folder, by its exact name."""
    return resources.files("aligner.review").joinpath("static", name).read_text(encoding="utf-8")
