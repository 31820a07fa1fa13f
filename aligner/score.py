"""Pure scoring of candidate links: embedding distance and a length model.

For a candidate link of ``a`` source and ``b`` target sentences:

- each side is represented by the L2-normalised sum of its sentence vectors
  (as good as embedding the joined text, at a fraction of the cost:
  ../shared/FACTS.md section 4b);
- the embedding distance ``1 - cos`` is divided by the sides' typical distance
  to unrelated spans of the same sizes in the other document, so that "how much better than
  chance" is measured, not raw cosine (Vecalign's normalisation; it removes the
  hubness of sentences that are close to everything);
- the length model penalises the squared log ratio of the sides' character
  lengths, centred on the document pair's own ratio (Italian runs longer than
  English; German shorter than French), as Gale and Church's model does with a
  normal distribution of length differences.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .model import AlignConfig

Matrix = npt.NDArray[np.float64]
Vectors = npt.NDArray[np.float32]

#: Sentences of the other side sampled to estimate a sentence's chance distance.
BASELINE_SAMPLE = 256
#: Characters added to both lengths so that short sentences do not swing the ratio.
LENGTH_SMOOTHING = 20.0


def span_vectors(vecs: Vectors, size: int) -> Vectors:
    """Normalised sums of every run of ``size`` consecutive rows of ``vecs``."""
    n = len(vecs) - size + 1
    if n <= 0:
        return np.zeros((0, vecs.shape[1]), dtype=np.float32)
    csum = np.concatenate([np.zeros((1, vecs.shape[1]), dtype=np.float64), np.cumsum(vecs, axis=0)])
    sums = csum[size:] - csum[:-size]
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    out: Vectors = (sums / np.maximum(norms, 1e-9)).astype(np.float32)
    return out


def span_sums(values: npt.NDArray[np.float64], size: int) -> npt.NDArray[np.float64]:
    """Sums of every run of ``size`` consecutive values."""
    csum = np.concatenate([[0.0], np.cumsum(values)])
    out: npt.NDArray[np.float64] = csum[size:] - csum[:-size]
    return out


def chance_distance(vecs: Vectors, other: Vectors) -> npt.NDArray[np.float64]:
    """Mean ``1 - cos`` of each row of ``vecs`` to an even sample of ``other``'s rows."""
    if len(other) == 0:
        return np.ones(len(vecs))
    step = max(1, len(other) // BASELINE_SAMPLE)
    sample = other[::step][:BASELINE_SAMPLE]
    return np.asarray(1.0 - (vecs @ sample.T).mean(axis=1), dtype=np.float64)


class LinkScorer:
    """Costs of candidate links between two documents' sentences.

    :param src_vecs: (n, d) sentence vectors of the source.
    :param tgt_vecs: (m, d) sentence vectors of the target.
    :param src_lens: character length of each source sentence.
    :param tgt_lens: character length of each target sentence.
    """

    def __init__(
        self,
        src_vecs: Vectors,
        tgt_vecs: Vectors,
        src_lens: list[int],
        tgt_lens: list[int],
        config: AlignConfig,
    ) -> None:
        self.config = config
        self.src_vecs = src_vecs
        self.tgt_vecs = tgt_vecs
        self.src_lens = np.asarray(src_lens, dtype=np.float64)
        self.tgt_lens = np.asarray(tgt_lens, dtype=np.float64)
        total_src = self.src_lens.sum() + LENGTH_SMOOTHING
        total_tgt = self.tgt_lens.sum() + LENGTH_SMOOTHING
        self.log_ratio = float(np.log(total_tgt / total_src))

    def distance(self, a: int, b: int) -> Matrix:
        """Normalised embedding + length distance of every ``a``-``b`` candidate.

        Entry ``[i, j]`` is for source sentences ``i..i+a-1`` and target
        sentences ``j..j+b-1``. About 0.2-0.4 for a translation, 1 for
        unrelated text.
        """
        sv = span_vectors(self.src_vecs, a)
        tv = span_vectors(self.tgt_vecs, b)
        cos = (sv @ tv.T).astype(np.float64)
        # A sum of vectors lies nearer the centre, closer to everything: its
        # chance distance is measured against spans of the same sizes.
        chance = (chance_distance(sv, tv)[:, None] + chance_distance(tv, sv)[None, :]) / 2.0
        emb = (1.0 - cos) / np.maximum(chance, 0.05)
        ls = span_sums(self.src_lens, a)[:, None] + LENGTH_SMOOTHING
        lt = span_sums(self.tgt_lens, b)[None, :] + LENGTH_SMOOTHING
        length = (np.log(lt / ls) - self.log_ratio) ** 2
        return np.asarray(emb + self.config.length_weight * length, dtype=np.float64)


def link_probability(distance: float | Matrix, config: AlignConfig) -> float | Matrix:
    """Map a link's distance to a score in [0, 1]: the higher, the likelier the link is right.

    A logistic curve, ``1 / (1 + exp(slope * (distance - midpoint)))``, whose
    parameters live in :class:`AlignConfig` so they can be fitted to gold data.
    """
    z = config.score_slope * (np.asarray(distance) - config.score_midpoint)
    p = 1.0 / (1.0 + np.exp(np.clip(z, -50, 50)))
    return float(p) if np.ndim(p) == 0 else np.asarray(p, dtype=np.float64)
