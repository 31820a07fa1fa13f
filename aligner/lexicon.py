"""Word translations learned from the document pair itself.

A first alignment pass gives links the aligner is confident of. Their texts
train IBM Model 1 (NLTK's :class:`~nltk.translate.IBMModel1`: the classic EM
estimate of ``p(target word | source word)``, pure Python, no data to
download), and the learned table becomes one more lexical signal for a second
pass: each source sentence is projected into the target vocabulary (every
word replaced by its likeliest translations, weighted by their probability)
and compared with the target sentence's own words, both weighted by inverse
document frequency so that words found everywhere count little. Projections
and bags are hashed into :data:`DIM` dimensions so that memory does not grow
with the vocabulary; spans of sentences are compared as sums, like the
embeddings (:class:`~aligner.score.LinkScorer`).

The signal is off by default (``AlignConfig.learned_weight``): on the
Text+Berg dev set it moved strict F1 by less than 0.005 either way (see the
README's Accuracy section), one document rarely holding enough confident links
to learn much from.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt

from .score import WORD, hashed_slot

Vectors = npt.NDArray[np.float32]

#: Dimension of the hashed vocabulary vectors.
DIM = 1024
#: EM iterations of IBM Model 1.
ITERATIONS = 5
#: Most confident links used for training (bounds the time on long documents).
MAX_PAIRS = 2000
#: Fewer confident links than this and nothing is learned.
MIN_PAIRS = 20
#: Translations of a source word kept for the projection, and their least probability.
TOP = 5
MIN_PROB = 0.01

#: A learned table: source word -> its likeliest target words with their probabilities.
Table = dict[str, list[tuple[str, float]]]


def words(text: str) -> list[str]:
    """The lower-cased word tokens of ``text``."""
    return [w.lower() for w in WORD.findall(text)]


def learn(pairs: Sequence[tuple[str, str]], iterations: int = ITERATIONS) -> Table:
    """Train IBM Model 1 on ``(source text, target text)`` pairs.

    :returns: for every source word, its :data:`TOP` likeliest target words
        with ``p(target | source) >= MIN_PROB``, likeliest first.
    """
    from nltk.translate import AlignedSent, IBMModel1

    # AlignedSent(words, mots) models p(word | mot): words are the target side.
    bitext = [AlignedSent(words(t), words(s)) for s, t in pairs if words(s) and words(t)]
    if not bitext:
        return {}
    model = IBMModel1(bitext, iterations)
    table: dict[str, list[tuple[str, float]]] = {}
    for tgt_word, row in model.translation_table.items():
        if tgt_word is None:
            continue
        for src_word, prob in row.items():
            if src_word is not None and prob >= MIN_PROB:
                table.setdefault(src_word, []).append((tgt_word, float(prob)))
    return {s: sorted(ts, key=lambda tp: (-tp[1], tp[0]))[:TOP] for s, ts in table.items()}


def idf_of(texts: Sequence[str]) -> dict[str, float]:
    """Inverse document frequency of each word of ``texts`` (each text a document), smoothed."""
    df = Counter(w for t in texts for w in set(words(t)))
    n = len(texts)
    return {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}


def translation_vectors(
    table: Table, src_texts: Sequence[str], tgt_texts: Sequence[str]
) -> tuple[Vectors, Vectors]:
    """Source sentences projected through a learned ``table`` into the target
    vocabulary, and the target sentences' words (see :func:`projected_vectors`)."""
    return projected_vectors(lambda w: table.get(w, ()), src_texts, tgt_texts)


def projected_vectors(
    translate: Callable[[str], Iterable[tuple[str, float]]],
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    key: Callable[[str], str] = str,
) -> tuple[Vectors, Vectors]:
    """Source sentences projected into the target vocabulary, and the target sentences' words.

    ``translate(word)`` gives a source word's target words with their weights;
    target words are compared by ``key(word)`` (the word itself, or a stem).
    Both sides are hashed into :data:`DIM` dimensions and weighted by the
    target keys' inverse document frequency; rows are not normalised (spans
    are summed first, then normalised, by :func:`aligner.score.span_vectors`).
    """
    idf: dict[str, float] = {}
    for word, value in idf_of(tgt_texts).items():
        k = key(word)
        idf[k] = max(value, idf.get(k, 0.0))
    src = np.zeros((len(src_texts), DIM), dtype=np.float32)
    tgt = np.zeros((len(tgt_texts), DIM), dtype=np.float32)
    for row, text in enumerate(src_texts):
        for w in words(text):
            for t, weight in translate(w):
                k = key(t)
                src[row, hashed_slot(k, DIM)] += weight * idf.get(k, 1.0)
    for row, text in enumerate(tgt_texts):
        for t in words(text):
            k = key(t)
            tgt[row, hashed_slot(k, DIM)] += idf.get(k, 1.0)
    return src, tgt
