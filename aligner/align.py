"""Sentence alignment by dynamic programming over link costs.

The search finds the monotone sequence of links covering both documents with
the least total cost. Allowed links are ``a``-``b`` with ``1 <= a <= max_src``
and ``1 <= b <= max_tgt`` (1-1, 1-2, 2-1, 2-2 by default), plus deletions
(1-0) and insertions (0-1).

Cost of an ``a``-``b`` link: its distance from :class:`~aligner.score.LinkScorer`
(normalised embedding distance plus the length model) times ``(a + b) / 2``, so
that covering the same sentences with one link or with several costs the same
for equally good matches, plus ``many_penalty`` for each sentence beyond 1-1.
A deletion or insertion costs ``deletion_cost`` per sentence.

Long documents are searched in a band around the diagonal (the ratio of the
lengths) rather than over the full table; the band's half-width is chosen from
the lengths unless :attr:`AlignConfig.band` sets it.

Every link gets a score in [0, 1] (:func:`~aligner.score.link_probability`):
for a link, the probability that it is right given its distance; for a
deletion or insertion, one minus that of the sentence's best 1-1 candidate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .encode import CachedEncoder, Vectors
from .model import AlignConfig, Alignment, Link, Sentence
from .score import LinkScorer, link_probability

#: Tables up to this many cells are searched whole.
FULL_TABLE_CELLS = 1_500_000


def _moves(config: AlignConfig) -> list[tuple[int, int]]:
    links = [(a, b) for a in range(1, config.max_src + 1) for b in range(1, config.max_tgt + 1)]
    return [*links, (1, 0), (0, 1)]


def _band(n: int, m: int, config: AlignConfig) -> int:
    if config.band > 0:
        return config.band
    if (n + 1) * (m + 1) <= FULL_TABLE_CELLS:
        return max(n, m) + 1
    return max(100, max(n, m) // 10)


def align_vectors(
    src_vecs: Vectors,
    tgt_vecs: Vectors,
    src_lens: list[int],
    tgt_lens: list[int],
    config: AlignConfig,
) -> list[Link]:
    """Align two documents given their sentence vectors and lengths.

    :returns: links in document order covering every sentence of both sides.
    """
    n, m = len(src_lens), len(tgt_lens)
    if n == 0 or m == 0:
        return [Link((i,), (), 1.0) for i in range(n)] + [Link((), (j,), 1.0) for j in range(m)]
    scorer = LinkScorer(src_vecs, tgt_vecs, src_lens, tgt_lens, config)
    moves = _moves(config)
    dist = {(a, b): scorer.distance(a, b).tolist() for a, b in moves if a and b and a <= n and b <= m}
    band = _band(n, m, config)
    slope = m / n
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back = [[-1] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    weights = [((a + b) / 2.0, config.many_penalty * (a + b - 2)) for a, b in moves]
    for i in range(n + 1):
        centre = i * slope
        lo = max(0, int(centre - band))
        hi = min(m, int(centre + band) + 1)
        row = cost[i]
        brow = back[i]
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best = inf
            arg = -1
            for k, (a, b) in enumerate(moves):
                if a > i or b > j:
                    continue
                prev = cost[i - a][j - b]
                if prev == inf:
                    continue
                if a and b:
                    if (a, b) not in dist:
                        continue
                    scale, extra = weights[k]
                    c = prev + dist[(a, b)][i - a][j - b] * scale + extra
                else:
                    c = prev + config.deletion_cost
                if c < best:
                    best = c
                    arg = k
            row[j] = best
            brow[j] = arg
    steps: list[tuple[int, int, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        k = back[i][j]
        if k < 0:  # unreachable only if the band excluded the corner; widen nothing, fall back
            raise RuntimeError(f"alignment band {band} too narrow for {n}x{m} sentences")
        a, b = moves[k]
        steps.append((i - a, a, j - b, b))
        i, j = i - a, j - b
    steps.reverse()
    one = np.asarray(dist[(1, 1)], dtype=np.float64)
    best_src = one.min(axis=1)
    best_tgt = one.min(axis=0)
    links = []
    for i0, a, j0, b in steps:
        src = tuple(range(i0, i0 + a))
        tgt = tuple(range(j0, j0 + b))
        if a and b:
            p = link_probability(dist[(a, b)][i0][j0], config)
        elif a:
            p = 1.0 - link_probability(float(best_src[i0]), config)
        else:
            p = 1.0 - link_probability(float(best_tgt[j0]), config)
        links.append(Link(src, tgt, round(float(p), 4)))
    return links


def align(
    source: Sequence[Sentence],
    target: Sequence[Sentence],
    encoder: CachedEncoder,
    config: AlignConfig,
    src_lang: str,
    tgt_lang: str,
    signature: str = "",
) -> Alignment:
    """Align two lists of sentences with ``encoder``'s vectors and the length model."""
    src_vecs = encoder.encode([s.text for s in source])
    tgt_vecs = encoder.encode([s.text for s in target])
    links = align_vectors(
        src_vecs, tgt_vecs, [len(s.text) for s in source], [len(s.text) for s in target], config
    )
    return Alignment(tuple(source), tuple(target), tuple(links), src_lang, tgt_lang, signature)
