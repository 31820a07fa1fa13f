"""Small review projects for the tests: hand-made pairs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aligner.model import Sentence
from aligner.review.edits import ReviewLink
from aligner.review.source import DocumentData, PairData, RunData

# A dispatch that tries to run script in the page (stored XSS), in both languages.
HOSTILE_IT = (
    "Roma, 3 dic. – Il sito pubblica <script>window.__pwned = 1</script> come testo.",
    'Un lettore ha inviato <img src="x" onerror="window.__pwned = 2"> nei commenti.',
    'Il redattore & l\'editore rispondono: "nessun problema" </div></main>.',
)
HOSTILE_EN = (
    "Rome, December 3 – The site prints <script>window.__pwned = 1</script> as text.",
    'A reader sent <img src="x" onerror="window.__pwned = 2"> in the comments.',
    'The editor & the publisher answer: "no problem" </div></main>.',
)


def sentences(texts: Sequence[str], paragraphs: Sequence[int] | None = None) -> tuple[Sentence, ...]:
    out, start = [], 0
    for i, text in enumerate(texts):
        out.append(Sentence(i, text, start, start + len(text), paragraphs[i] if paragraphs else i))
        start += len(text) + 1
    return tuple(out)


def links(*spec: tuple[Sequence[int], Sequence[int], float]) -> tuple[ReviewLink, ...]:
    return tuple(ReviewLink(tuple(s), tuple(t), score) for s, t, score in spec)


def hand_run(
    folder: Path,
    src: Sequence[str],
    tgt: Sequence[str],
    spec: Sequence[tuple[Sequence[int], Sequence[int], float]],
    stem: str = "a__b",
) -> RunData:
    """A run of one pair made by hand (no aligner involved)."""
    pair = PairData(
        stem,
        DocumentData(stem.split("__")[0] + ".txt", "it", "2025-12-03", sentences(src)),
        DocumentData(stem.split("__")[1] + ".txt", "en", None, sentences(tgt)),
        0.97,
        links(*spec),
    )
    return RunData(folder, "test-signature", (pair,))


def hostile_run(folder: Path) -> RunData:
    return hand_run(
        folder,
        HOSTILE_IT,
        HOSTILE_EN,
        [([0], [0], 0.91), ([1], [1], 0.42), ([2], [2], 0.77)],
        "hostile_it__hostile_en",
    )
