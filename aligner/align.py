"""Sentence alignment by dynamic programming over link costs, coarse to fine.

The search finds the monotone sequence of links covering both documents with
the least total cost. Allowed links are ``a``-``b`` with ``1 <= a <= max_src``
and ``1 <= b <= max_tgt`` (up to 4-4 by default), plus deletions (1-0) and
insertions (0-1).

Cost of an ``a``-``b`` link: its distance from :class:`~aligner.score.LinkScorer`
(normalised embedding distance, lexical overlap and the length model) times
``(a + b) / 2``, so that covering the same sentences with one link or with
several costs the same for equally good matches, plus a penalty for the link's
type, ``type_weight * log(P(1-1) / P(a-b))``, from the link-type frequencies
Gale and Church (1993) measured (:data:`TYPE_PRIORS`; the types with 3 or
more sentences a side, which they did not count, are extrapolated at a tenth
per extra sentence). A deletion costs ``deletion_cost`` per sentence, an
insertion ``insertion_cost`` (the same unless the pair is no faithful
translation, below).

Time and memory grow linearly with length. The table is searched row by row
(one row per source position), each row only over a window of target
positions, with the costs of a whole window computed at once. Short documents
get windows spanning every target position (the full table). Longer ones are
first aligned coarsely: consecutive sentences are pooled into blocks, the
blocks aligned with the same search, and the fine search then runs in a band
around the coarse path (Vecalign's coarse-to-fine idea).

The length model is centred on the documents' length ratio, or, when the
documents differ in size (one holds more than the other's text), on the ratio
of anchors: sentence pairs that are each other's nearest neighbour by a clear
margin (:func:`aligner.score.anchor_ratio`, Bertalign's first pass); then, in a
second pass, on the median ratio of the 1-1 links of the first.

Every pair is also searched with a lower deletion cost
(``AlignConfig.unfaithful_deletion_cost``); when that path leaves more than
``AlignConfig.unfaithful_share`` of the sentences without counterpart, the
pair is no faithful translation (a summary, a text with additions, a text
inside a larger one) and that path is kept: an untranslated sentence beside a
translated one is left out (a 1-0 link) rather than glued to its neighbour's
link (a 2-1 link). Faithful pairs keep the first path (the lower cost would cut
their genuine but loose links). So does the side of an unfaithful pair whose
sentences that path nearly all matched (``AlignConfig.unfaithful_side_share``;
the source of an English text with added background): the pair is searched
once more with the lower cost on the other side only, so that its genuine 2-1
links are not cut either.

After the monotone search, the sentences left without counterpart on the two
sides are matched to each other across the document (:func:`find_moved`): a
paragraph the translation moved elsewhere. Then the pair is searched again with
each such paragraph put back where its source stands (:func:`realign_moved`),
so that its links are found in context, and a paragraph the monotone path linked
to the wrong sentences (two paragraphs swapped) is found too. With
``AlignConfig.learned_weight`` set, a third pass adds word translations
learned from the confident links of the second (:mod:`aligner.lexicon`).
With ``AlignConfig.dictionary_weight`` set and a bilingual dictionary given,
it is one more lexical signal from the start (:mod:`aligner.dictionary`).

Every link's features are kept; :mod:`aligner.calibrate` turns them into the
link score.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from . import dictionary, lexicon
from .calibrate import link_scores
from .dictionary import Dictionary
from .encode import CachedEncoder, Vectors
from .model import AlignConfig, Alignment, Link, PairInfo, Sentence, Step
from .score import LinkScorer, untranslated

#: Tables up to this many cells are searched whole.
FULL_TABLE_CELLS = 1_500_000
#: Blocks a side in the coarse pass.
COARSE_BLOCKS = 400
#: Least score of a first-pass link used to learn word translations.
LEARN_MIN_SCORE = 0.5
#: How far (in sentences) other boundaries of a link are looked for, and the largest margin reported.
BOUNDARY_REACH = 3
BOUNDARY_CAP = 3.0
#: The score of a link whose two sides are the same text (see :func:`aligner.score.untranslated`).
UNTRANSLATED_SCORE = 0.05
#: The distance of a link the search for moved paragraphs may not make (finite, so that
#: boundary margins stay numbers).
FORBIDDEN = 1e3
#: A link next to a moved link, continuing its paragraph on both sides, is kept when its
#: distance is below this (``moved_at`` is the bar for a moved paragraph's first link).
MOVED_REACH = 0.9
#: Link sizes besides 1-1 whose distance can make two loose runs a candidate block
#: (:func:`moved_blocks`): a moved paragraph the translation split or joined differently
#: has no single sentence pair close enough.
JOINED_SIZES = ((1, 2), (2, 1), (2, 2))
#: What a moved block costs a path beside its links' own costs (one sentence left out):
#: a move is taken only where it saves more than this (:func:`realign_moved`).
MOVED_BLOCK_COST = 0.7
#: Up to this many candidate blocks, every set of them is tried; beyond, all and each alone.
MOVED_SUBSETS = 4
#: Documents up to this many sentence pairs are realigned from whole tables, larger ones
#: (up to :data:`FULL_TABLE_CELLS`) a row at a time.
REALIGN_TABLE_CELLS = 250_000
#: Unmatched sentence pairs up to this many have their distances held in one table while
#: moved paragraphs are looked for (:func:`find_moved`; 32 MB), more are computed each round.
NULL_TABLE_CELLS = 4_000_000
#: Passes over the kept moved blocks that try each edge a sentence further or nearer, each
#: block taking the first change that saves more (:func:`realign_moved`).
EDGE_PASSES = 3
#: A side with more than this share of its sentences without counterpart is warned of.
UNMATCHED_WARNING = 0.25
#: Documents whose sentence counts differ by more than this factor are warned of.
SIZE_WARNING = 2.0
#: Link-type frequencies (Gale and Church 1993, Table 5; 1-3 and beyond extrapolated).
TYPE_PRIORS = {
    (1, 1): 0.89,
    (1, 2): 0.089,
    (2, 1): 0.089,
    (2, 2): 0.011,
    (1, 3): 0.0089,
    (3, 1): 0.0089,
    (2, 3): 0.0011,
    (3, 2): 0.0011,
    (3, 3): 0.00011,
}

Ints = npt.NDArray[np.int64]
#: An extra lexical signal: its weight and the source and target sentences' vectors.
Signal = tuple[float, Vectors, Vectors]
RowCost = Callable[[int, int, int, Ints], npt.NDArray[np.float64]]
#: What the search charges for the distances of every link of a size ``a``-``b`` at once,
#: ``(a + b) / 2`` times each, indexed ``[i, j]`` (:meth:`aligner.score.LinkScorer.charged`);
#: None where the scorer keeps no whole tables.
TableCost = Callable[[int, int], npt.NDArray[np.float64]]


def type_penalty(a: int, b: int, config: AlignConfig) -> float:
    """Extra cost of an ``a``-``b`` link for its type (0 for 1-1 and null links)."""
    if not a or not b:
        return 0.0
    prior = TYPE_PRIORS.get((a, b), TYPE_PRIORS[1, 1] * 0.1 ** (a + b - 2))
    return config.type_weight * math.log(TYPE_PRIORS[1, 1] / prior)


def _moves(max_src: int, max_tgt: int) -> list[tuple[int, int]]:
    links = [(a, b) for a in range(1, max_src + 1) for b in range(1, max_tgt + 1)]
    return [*links, (1, 0), (0, 1)]


#: What a source and what a target sentence without counterpart cost (:attr:`AlignConfig.null_costs`).
NullCosts = tuple[float, float]
#: What :func:`search` and :func:`boundary_margins` take after the row cost:
#: ``n, m, lo, hi, moves, null_costs, penalties``.
SearchArgs = tuple[int, int, Ints, Ints, list[tuple[int, int]], NullCosts, list[float]]


def _search_args(
    n: int, m: int, lo: Ints, hi: Ints, config: AlignConfig, one_sided: bool = False
) -> SearchArgs:
    """The search's arguments for ``n`` source and ``m`` target sentences in the windows
    ``lo``-``hi``: every link up to ``config``'s largest (only those with one sentence on at
    least one side if ``one_sided``), their type penalties and ``config``'s null costs."""
    moves = _moves(min(config.max_src, n), min(config.max_tgt, m))
    if one_sided:
        moves = [(a, b) for a, b in moves if min(a, b) <= 1]
    penalties = [type_penalty(a, b, config) for a, b in moves]
    return (n, m, lo, hi, moves, config.null_costs, penalties)


def _forward(
    row_cost: RowCost,
    n: int,
    m: int,
    lo: Ints,
    hi: Ints,
    moves: Sequence[tuple[int, int]],
    null_costs: NullCosts,
    penalties: Sequence[float],
    table: TableCost | None = None,
) -> tuple[list[npt.NDArray[np.float64]], list[npt.NDArray[np.int8]]]:
    """Least costs from (0, 0) to every cell inside the row windows, and the move reaching each.

    Row ``i`` of the result holds the cells ``lo[i]..hi[i]`` (see :func:`search`).
    With ``table`` and windows spanning every target position, :func:`_forward_table`
    does the same from the whole tables.
    """
    if table is not None and _full(lo, hi, m):
        return _forward_table(table, n, m, moves, null_costs, penalties)
    inf = math.inf
    costs: list[npt.NDArray[np.float64]] = []
    backs: list[npt.NDArray[np.int8]] = []
    for i in range(n + 1):
        first, last = int(lo[i]), int(hi[i])
        js = np.arange(first, last + 1)
        cost = np.full(len(js), inf)
        back = np.full(len(js), -1, dtype=np.int8)
        if i == 0 and first == 0:
            cost[0] = 0.0
        for k, (a, b) in enumerate(moves):
            if a == 0 or a > i:
                continue
            prev, pfirst, plast = costs[i - a], int(lo[i - a]), int(hi[i - a])
            jp = js - b
            ok = (jp >= pfirst) & (jp <= plast)
            if not ok.any():
                continue
            cand = prev[jp[ok] - pfirst]
            if b:
                scale = (a + b) / 2.0
                cand = cand + scale * row_cost(a, b, i - a, jp[ok]) + penalties[k]
            else:
                cand = cand + null_costs[0] * a
            idx = np.flatnonzero(ok)
            better = cand < cost[idx]
            cost[idx[better]] = cand[better]
            back[idx[better]] = k
        if (0, 1) in moves:
            _insertions(cost, back, null_costs[1], moves.index((0, 1)))
        costs.append(cost)
        backs.append(back)
    return costs, backs


def _insertions(
    cost: npt.NDArray[np.float64], back: npt.NDArray[np.int8], insertion_cost: float, k: int
) -> None:
    """Insertions within a row, in place: ``c'[j] = min_i c[i] + (j - i) * ins``, a running
    minimum; ``k`` is the insertion's move."""
    offs = np.arange(len(cost)) * insertion_cost
    run = np.minimum.accumulate(cost - offs) + offs
    # (c - offs) + offs can round below c: only a clearly lower cost is an insertion.
    ins = run < cost - 1e-9
    cost[ins] = run[ins]
    back[ins] = k


def _full(lo: Ints, hi: Ints, m: int) -> bool:
    """True when every row window spans every target position ``0..m``."""
    return not lo.any() and bool((hi == m).all())


def _forward_table(
    table: TableCost,
    n: int,
    m: int,
    moves: Sequence[tuple[int, int]],
    null_costs: NullCosts,
    penalties: Sequence[float],
) -> tuple[list[npt.NDArray[np.float64]], list[npt.NDArray[np.int8]]]:
    """:func:`_forward` over the whole table, from the charged distances of every link at
    once: each row's candidates of all moves are stacked and the least taken (the first
    move on a tie, as there), the same sums in the same order, so the same costs and moves."""
    scaled = [table(a, b) if a and b else None for a, b in moves]
    cand = np.empty((len(moves), m + 1))
    costs: list[npt.NDArray[np.float64]] = []
    backs: list[npt.NDArray[np.int8]] = []
    for i in range(n + 1):
        cand.fill(math.inf)
        for k, (a, b) in enumerate(moves):
            if a == 0 or a > i:
                continue
            prev = costs[i - a]
            spans = scaled[k]
            if spans is None:
                cand[k] = prev + null_costs[0] * a
            else:
                cand[k, b:] = prev[: m - b + 1] + spans[i - a] + penalties[k]
        cost = cand.min(axis=0)
        back = cand.argmin(axis=0).astype(np.int8)
        back[np.isinf(cost)] = -1
        if i == 0:
            cost[0] = 0.0
        if (0, 1) in moves:
            _insertions(cost, back, null_costs[1], moves.index((0, 1)))
        costs.append(cost)
        backs.append(back)
    return costs, backs


def search(
    row_cost: RowCost,
    n: int,
    m: int,
    lo: Ints,
    hi: Ints,
    moves: Sequence[tuple[int, int]],
    null_costs: NullCosts,
    penalties: Sequence[float],
    table: TableCost | None = None,
) -> tuple[list[npt.NDArray[np.float64]], list[Step]]:
    """Least-cost monotone path from (0, 0) to (n, m) inside the row windows,
    with the least costs from (0, 0) of every cell (row ``i`` holding the cells
    ``lo[i]..hi[i]``; :func:`boundary_margins` reads them).

    :param row_cost: ``row_cost(a, b, i, js)`` gives the distances of the links
        ``src[i:i+a]`` - ``tgt[j:j+b]`` for every ``j`` in ``js``.
    :param lo: first target position searched in each row (length n + 1).
    :param hi: last target position searched in each row (inclusive).
    :param penalties: the type penalty of each move (ignored for null moves).
    :param table: the same distances, times ``(a + b) / 2``, as whole tables
        (``table(a, b)[i, j]``), if at hand.
    """
    costs, backs = _forward(row_cost, n, m, lo, hi, moves, null_costs, penalties, table)
    return costs, _backtrack(backs, n, m, lo, hi, moves)


def _backtrack(
    backs: Sequence[npt.NDArray[np.int8]],
    n: int,
    m: int,
    lo: Ints,
    hi: Ints,
    moves: Sequence[tuple[int, int]],
) -> list[Step]:
    """The path to (n, m) from the moves :func:`_forward` recorded."""
    steps: list[Step] = []
    i, j = n, m
    while i > 0 or j > 0:
        k = int(backs[i][j - int(lo[i])]) if lo[i] <= j <= hi[i] else -1
        if k < 0:
            raise RuntimeError(f"no path through the search windows at ({i}, {j})")
        a, b = moves[k]
        steps.append(Step(i - a, a, j - b, b))
        i, j = i - a, j - b
    steps.reverse()
    return steps


def boundary_margins(
    row_cost: RowCost,
    forward: Sequence[npt.NDArray[np.float64]],
    n: int,
    m: int,
    lo: Ints,
    hi: Ints,
    moves: Sequence[tuple[int, int]],
    null_costs: NullCosts,
    penalties: Sequence[float],
    steps: Sequence[Step],
    table: TableCost | None = None,
) -> list[float]:
    """How firmly each link's two ends are placed: for every step of the best path
    ``steps``, how much more the best path through another boundary near its
    start or end would cost (the smaller of the two, at most :data:`BOUNDARY_CAP`).

    The cost of the best path through a cell is its least cost from (0, 0)
    plus its least cost to (n, m), the latter from the same search run on the
    reversed documents. Other boundaries are the cells off the path within
    :data:`BOUNDARY_REACH` positions of an end along its row or column: a small
    margin means the path could have cut the link differently at little cost,
    which is how most wrong links are wrong (a boundary off by a sentence).
    ``forward`` holds the least costs from (0, 0), as :func:`search` gave them
    for the search that found ``steps`` (``table`` as there).
    """
    # Reversed documents: row r is original row n - r, target position y is m - y.
    rlo = (m - hi[::-1]).astype(np.int64)
    rhi = (m - lo[::-1]).astype(np.int64)

    def reversed_row(a: int, b: int, i: int, js: Ints) -> npt.NDArray[np.float64]:
        return row_cost(a, b, n - i - a, m - js - b)

    def reversed_table(a: int, b: int) -> npt.NDArray[np.float64]:
        assert table is not None
        return table(a, b)[::-1, ::-1]

    backward, _ = _forward(
        reversed_row, n, m, rlo, rhi, moves, null_costs, penalties, reversed_table if table else None
    )

    def through(i: int, j: int) -> float:
        r, y = n - i, m - j
        if not (lo[i] <= j <= hi[i] and rlo[r] <= y <= rhi[r]):
            return math.inf
        return float(forward[i][j - lo[i]] + backward[r][y - rlo[r]])

    best = through(n, m)
    on_path = {(0, 0)} | {(s.i + s.a, s.j + s.b) for s in steps}

    def margin(i: int, j: int) -> float:
        if (i, j) in ((0, 0), (n, m)):
            return BOUNDARY_CAP
        near = range(-BOUNDARY_REACH, BOUNDARY_REACH + 1)
        others = [(i, j + d) for d in near if 0 <= j + d <= m] + [(i + d, j) for d in near if 0 <= i + d <= n]
        alt = min((through(x, y) for x, y in others if (x, y) not in on_path), default=math.inf)
        return min(BOUNDARY_CAP, alt - best)

    return [min(margin(s.i, s.j), margin(s.i + s.a, s.j + s.b)) for s in steps]


@dataclass(frozen=True)
class Path:
    """A best path, the scorer that can describe its links, and how firmly each link's ends are placed."""

    scorer: LinkScorer
    steps: list[Step]
    boundary: list[float]  # per step, from boundary_margins


def _full_windows(n: int, m: int) -> tuple[Ints, Ints]:
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def _block_means(vecs: Vectors, size: int) -> Vectors:
    blocks = [vecs[k : k + size].sum(axis=0) for k in range(0, len(vecs), size)]
    out = np.stack(blocks)
    return np.asarray(out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9), np.float32)


def coarse_windows(
    src_vecs: Vectors,
    tgt_vecs: Vectors,
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    config: AlignConfig,
) -> tuple[Ints, Ints]:
    """Row windows around the path of a coarse alignment of sentence blocks.

    The blocks are scored like sentences (chance-normalised embedding distance,
    no length model), with links up to 2-2.
    """
    n, m = len(src_vecs), len(tgt_vecs)
    size = max(1, math.ceil(max(n, m) / COARSE_BLOCKS))
    cs, ct = _block_means(src_vecs, size), _block_means(tgt_vecs, size)
    block_s = [" ".join(src_texts[k : k + size]) for k in range(0, n, size)]
    block_t = [" ".join(tgt_texts[k : k + size]) for k in range(0, m, size)]
    # No encoder and no extra signals are given, so only the lexical and length signals need turning off.
    coarse = replace(config, max_src=2, max_tgt=2, length_weight=0.0, lexical_weight=0.0)
    scorer = LinkScorer(cs, ct, block_s, block_t, coarse)
    nc, mc = len(cs), len(ct)
    moves = [(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)]
    _, steps = search(
        scorer.row, nc, mc, *_full_windows(nc, mc), moves, (1.0, 1.0), [0.0, 0.05, 0.05, 0.0, 0.0]
    )
    # Expected target position of every source position, from the coarse path.
    xs, ys = [0.0], [0.0]
    for s in steps:
        xs.append(min(n, (s.i + s.a) * size))
        ys.append(min(m, (s.j + s.b) * size))
    centre = np.interp(np.arange(n + 1), np.array(xs), np.array(ys))
    width = config.band or max(50, 4 * size)
    lo = np.clip(np.floor(centre - width), 0, m).astype(np.int64)
    hi = np.clip(np.ceil(centre + width), 0, m).astype(np.int64)
    lo[0], hi[n] = 0, m
    hi = np.maximum.accumulate(hi)
    lo = np.minimum.accumulate(lo[::-1])[::-1].copy()
    return lo, hi


def search_path(
    src_vecs: Vectors,
    tgt_vecs: Vectors,
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    config: AlignConfig,
    embed: Callable[[Sequence[str]], Vectors] | None = None,
    signals: Sequence[Signal] = (),
) -> Path:
    """Find the best path; return it with the scorer that can describe its links.

    :param embed: the encoder, needed only when ``config.joined_weight`` is set.
    :param signals: extra lexical signals, each ``(weight, source sentence
        vectors, target sentence vectors)`` (see :meth:`LinkScorer.add_lexical`).
    """
    n, m = len(src_texts), len(tgt_texts)
    scorer = LinkScorer(src_vecs, tgt_vecs, src_texts, tgt_texts, config, embed)
    for weight, src_signal, tgt_signal in signals:
        scorer = scorer.with_lexical(weight, src_signal, tgt_signal)
    if config.band == 0 and (n + 1) * (m + 1) <= FULL_TABLE_CELLS:
        lo, hi = _full_windows(n, m)
    else:
        lo, hi = coarse_windows(src_vecs, tgt_vecs, src_texts, tgt_texts, config)
    args = _search_args(n, m, lo, hi, config)
    forward, steps = search(scorer.row, *args, _tables(scorer))
    # Second pass: centre the length model on the ratio of the 1-1 links just
    # found; the whole documents' ratio is skewed by untranslated passages.
    ratio = scorer.ratio_of([(s.i, s.j) for s in steps if s.a == 1 and s.b == 1])
    if ratio is not None and abs(ratio - scorer.log_ratio) > 0.02:
        scorer = scorer.centred(ratio)
        forward, steps = search(scorer.row, *args, _tables(scorer))
    # A pair that is no faithful translation (sentences dropped or added) is aligned with a
    # cheaper deletion. Whether it is one is told by that very path: searched the faithful
    # way, untranslated sentences get glued to their neighbours' links and do not show.
    if config.unfaithful_share:
        loose = replace(config, deletion_cost=config.unfaithful_deletion_cost, insertion_cost=None)
        loose_scorer = scorer.with_config(loose, unfaithful=True)
        loose_args = _search_args(n, m, lo, hi, loose)
        loose_forward, loose_steps = search(loose_scorer.row, *loose_args, _tables(loose_scorer))
        if _mostly_unmatched(loose_steps, n, m, config):
            # A side with nearly every sentence matched (the source of a text with additions)
            # has nothing to leave out: there the lower cost would only cut genuine 2-1 links.
            sided = _sided(config, loose_steps, n, m)
            if sided is None:
                config, scorer, args = loose, loose_scorer, loose_args
                forward, steps = loose_forward, loose_steps
            else:
                config, scorer = sided, loose_scorer.with_config(sided, unfaithful=True)
                args = _search_args(n, m, lo, hi, sided)
                forward, steps = search(scorer.row, *args, _tables(scorer))
    path = Path(scorer, steps, boundary_margins(scorer.row, forward, *args, steps, _tables(scorer)))
    # Third pass, if asked: word translations learned from this path's confident links.
    learned = _learn_translations(path, src_texts, tgt_texts) if config.learned_weight else None
    if learned is not None:
        forward, steps = search(learned.row, *args, _tables(learned))
        path = Path(learned, steps, boundary_margins(learned.row, forward, *args, steps, _tables(learned)))
    return path


def _sided(config: AlignConfig, steps: Sequence[Step], n: int, m: int) -> AlignConfig | None:
    """The settings for an unfaithful pair whose path ``steps`` (searched with the lower
    deletion cost on both sides) left unmatched no more than ``config.unfaithful_side_share``
    of one side's sentences: the lower cost on the other side only (``config``'s own on
    this one). None when that holds for both sides or neither: nothing to search again."""
    share = config.unfaithful_side_share
    source_matched = sum(s.a for s in steps if not s.b) <= share * n
    target_matched = sum(s.b for s in steps if not s.a) <= share * m
    if source_matched == target_matched:
        return None
    deletion, insertion = config.null_costs
    loose = config.unfaithful_deletion_cost
    return replace(
        config,
        deletion_cost=deletion if source_matched else loose,
        insertion_cost=insertion if target_matched else loose,
    )


def _mostly_unmatched(steps: Sequence[Step], n: int, m: int, config: AlignConfig) -> bool:
    """True when more than ``config.unfaithful_share`` of the ``n + m`` sentences are in
    ``steps``' links without counterpart: the pair is no faithful translation."""
    return sum(s.a + s.b for s in steps if not (s.a and s.b)) > config.unfaithful_share * (n + m)


def _tables(scorer: LinkScorer) -> TableCost | None:
    """``scorer``'s whole tables of charged distances, for the searches, where it keeps them."""
    return scorer.charged if scorer.tabled else None


def charge(a: int, b: int, distance: float, config: AlignConfig) -> float:
    """What the search charges for an ``a``-``b`` link at ``distance`` (``a``, ``b`` >= 1)."""
    return (a + b) / 2.0 * distance + type_penalty(a, b, config)


def link_cost(scorer: LinkScorer, a: int, b: int, i: int, j: int) -> float:
    """What the search charges for the link ``src[i:i+a]`` - ``tgt[j:j+b]`` (``a``, ``b`` >= 1)."""
    return charge(a, b, scorer.link(a, b, i, j), scorer.config)


def _learn_translations(path: Path, src_texts: Sequence[str], tgt_texts: Sequence[str]) -> LinkScorer | None:
    """``path``'s scorer with a translation table trained on the path's confident links
    as one more lexical signal.

    Links scored at least :data:`LEARN_MIN_SCORE` are used, the most confident
    first, at most :data:`aligner.lexicon.MAX_PAIRS`; None when there are fewer
    than :data:`aligner.lexicon.MIN_PAIRS`.
    """
    scored = [
        (lk.score, " ".join(src_texts[i] for i in lk.src), " ".join(tgt_texts[j] for j in lk.tgt))
        for lk in link_scores(path.scorer, path.steps, path.boundary)
        if lk.src and lk.tgt and lk.score >= LEARN_MIN_SCORE
    ]
    if len(scored) < lexicon.MIN_PAIRS:
        return None
    scored.sort(key=lambda x: -x[0])
    table = lexicon.learn([(s, t) for _, s, t in scored[: lexicon.MAX_PAIRS]])
    src_vecs, tgt_vecs = lexicon.translation_vectors(table, src_texts, tgt_texts)
    return path.scorer.with_lexical(path.scorer.config.learned_weight, src_vecs, tgt_vecs)


def align_vectors(
    src_vecs: Vectors,
    tgt_vecs: Vectors,
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    config: AlignConfig,
    embed: Callable[[Sequence[str]], Vectors] | None = None,
    signals: Sequence[Signal] = (),
) -> list[Link]:
    """Align two documents given their sentence vectors and texts (``embed`` and
    ``signals`` as in :func:`search_path`).

    :returns: links in document order covering every sentence of both sides,
        each scored with the probability that it is right.
    """
    n, m = len(src_texts), len(tgt_texts)
    if n == 0 or m == 0:
        return [Link((i,), (), 1.0) for i in range(n)] + [Link((), (j,), 1.0) for j in range(m)]
    path = best_path(src_vecs, tgt_vecs, src_texts, tgt_texts, config, embed, signals)
    links = link_scores(path.scorer, path.steps, path.boundary)
    return [_untranslated(lk, src_texts, tgt_texts) for lk in links]


def best_path(
    src_vecs: Vectors,
    tgt_vecs: Vectors,
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    config: AlignConfig,
    embed: Callable[[Sequence[str]], Vectors] | None = None,
    signals: Sequence[Signal] = (),
) -> Path:
    """The monotone path (:func:`search_path`) with the links found out of order
    (:func:`find_moved`), then realigned in place (:func:`realign_moved`), when
    ``config.moved_at`` is set: the links :func:`align_vectors` scores."""
    path = search_path(src_vecs, tgt_vecs, src_texts, tgt_texts, config, embed, signals)
    return realign_moved(find_moved(path), config) if config.moved_at else path


def _runs(indices: Sequence[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive numbers in sorted ``indices``, as ``(first, end)``."""
    runs: list[tuple[int, int]] = []
    for k in indices:
        if runs and runs[-1][1] == k:
            runs[-1] = (runs[-1][0], k + 1)
        else:
            runs.append((k, k + 1))
    return runs


def find_moved(path: Path) -> Path:
    """Link the sentences a monotone path left without counterpart to each other, across
    the document: a paragraph the target moved elsewhere.

    The source sentences of null links form runs, and so do the target ones. A run
    pair is a candidate when some sentence pair in it is within
    ``AlignConfig.moved_at`` of each other (a distance that only translations reach)
    and the two runs are not side by side in the path (there the monotone search
    already chose not to link them). Each candidate is aligned alone with the same
    search (links up to the usual sizes, deletions, insertions), and its links are
    kept where each is within ``moved_at``; the candidate that saves most over leaving
    its sentences unmatched goes first, then the runs left over are tried again.
    Moved links replace the source sentences' null links in the path (their target
    sentences' null links go); :func:`aligner.calibrate.features` marks them.
    """
    scorer, config = path.scorer, path.scorer.config
    steps, boundary = _release(scorer, list(path.steps), list(path.boundary))
    found = False
    # Each run pair is aligned once: a pair whose runs are unchanged keeps its result.
    done: dict[tuple[tuple[int, int], tuple[int, int]], tuple[float, list[Step], list[float]] | None] = {}
    # The 1-1 distances of every unmatched source sentence to every unmatched target one,
    # once: later rounds only link some of them, and their runs' distances are read from it.
    close = _null_distances(scorer, steps)
    while True:
        # Where each unmatched sentence is in the path: runs side by side are not candidates.
        at_s = {s.i: k for k, s in enumerate(steps) if s.a == 1 and not s.b}
        at_t = {s.j: k for k, s in enumerate(steps) if s.b == 1 and not s.a}
        src_runs, tgt_runs = _runs(sorted(at_s)), _runs(sorted(at_t))
        if not src_runs or not tgt_runs:
            break
        best: tuple[float, list[Step], list[float]] | None = None
        # Run pairs with a sentence pair within moved_at, in the order of the source runs,
        # then of the target runs (the first of equal gains wins).
        for rs, rt in close.pairs_within(src_runs, tgt_runs, config.moved_at):
            if (rs, rt) not in done:
                side_by_side = _side_by_side(steps, at_s, at_t, rs, rt)
                done[rs, rt] = None if side_by_side else _align_runs(scorer, rs, rt)
            candidate = done[rs, rt]
            if candidate is not None and (best is None or candidate[0] > best[0]):
                best = candidate
        if best is None:
            break
        _, links, margins = best
        found = True
        used_s = {i for s in links for i in range(s.i, s.i + s.a)}
        used_t = {j for s in links for j in range(s.j, s.j + s.b)}
        # A moved link takes the place of its first source sentence's null link; the null
        # links of its other sentences go.
        firsts = {s.i: (s, m) for s, m in zip(links, margins, strict=True)}
        new_steps, new_boundary = [], []
        for s, margin in zip(steps, boundary, strict=True):
            if s.a == 1 and not s.b and s.i in firsts:
                link, link_margin = firsts[s.i]
                new_steps.append(link)
                new_boundary.append(link_margin)
            elif not ((s.a == 1 and not s.b and s.i in used_s) or (s.b == 1 and not s.a and s.j in used_t)):
                new_steps.append(s)
                new_boundary.append(margin)
        steps, boundary = new_steps, new_boundary
    if not found:
        return path
    return Path(scorer, steps, boundary)


class _NullDistances:
    """The 1-1 distances between the sentences a path left unmatched on the two sides
    (:func:`find_moved`): computed once, row by row, up to :data:`NULL_TABLE_CELLS`;
    beyond, the rows each round needs are computed again (no table held)."""

    def __init__(self, scorer: LinkScorer, src: Sequence[int], tgt: Sequence[int]) -> None:
        self.scorer = scorer
        self.src = np.asarray(src, dtype=np.int64)  # sorted
        self.tgt = np.asarray(tgt, dtype=np.int64)
        self.table = None
        if len(self.src) and len(self.tgt) and len(self.src) * len(self.tgt) <= NULL_TABLE_CELLS:
            self.table = np.stack([scorer.row(1, 1, int(i), self.tgt) for i in self.src])

    def pairs_within(
        self, src_runs: Sequence[tuple[int, int]], tgt_runs: Sequence[tuple[int, int]], bar: float
    ) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """The pairs of runs (of sentences in the table) with some sentence pair closer than
        ``bar``, source runs first, each with its target runs in order."""
        if not src_runs or not tgt_runs:
            return []
        starts_s = np.cumsum([0] + [b - a for a, b in src_runs[:-1]])
        starts_t = np.cumsum([0] + [b - a for a, b in tgt_runs[:-1]])
        if self.table is not None:
            rows = np.concatenate([np.arange(*np.searchsorted(self.src, r)) for r in src_runs])
            cols = np.concatenate([np.arange(*np.searchsorted(self.tgt, r)) for r in tgt_runs])
            by_row = np.minimum.reduceat(self.table[np.ix_(rows, cols)], starts_t, axis=1)
        else:
            tgt = np.concatenate([np.arange(*r) for r in tgt_runs])
            src = [i for r in src_runs for i in range(*r)]
            by_row = np.stack([np.minimum.reduceat(self.scorer.row(1, 1, i, tgt), starts_t) for i in src])
        nearest = np.minimum.reduceat(by_row, starts_s, axis=0)
        return [(src_runs[a], tgt_runs[b]) for a, b in np.argwhere(nearest < bar)]


def _null_distances(scorer: LinkScorer, steps: Sequence[Step]) -> _NullDistances:
    """The distances between ``steps``' unmatched sentences (:class:`_NullDistances`)."""
    src = sorted(s.i for s in steps if s.a == 1 and not s.b)
    tgt = sorted(s.j for s in steps if s.b == 1 and not s.a)
    return _NullDistances(scorer, src, tgt)


def _release(scorer: LinkScorer, steps: list[Step], boundary: list[float]) -> tuple[list[Step], list[float]]:
    """Free the sentences that the monotone path glued to a neighbour's link (the end of a
    1-2 link) where an unmatched sentence far away in the path is their translation: a
    moved paragraph's edge.

    For each unmatched sentence, closest first, its nearest sentence on the other side
    (within ``moved_at``) is released when it is the first or last sentence of a link's
    longer side and the link without it plus the new pair cost less than the link and
    the unmatched sentence did. A link is released from once; :func:`find_moved` then
    matches the runs of unmatched sentences, the released ones among them. (Whole 1-1
    links are never taken apart: on the stress variants that broke more right links in
    summaries than it mended in moved paragraphs.)
    """
    config = scorer.config
    if not scorer.n or not scorer.m:
        return steps, boundary
    wanted: list[tuple[float, int, bool, int]] = []  # distance, step, source side?, partner
    for k, s in enumerate(steps):
        if s.a + s.b != 1:
            continue
        if s.a:
            distances = scorer.row(1, 1, s.i, np.arange(scorer.m))
        else:
            distances = scorer.column(1, 1, np.arange(scorer.n), s.j)
        best = int(np.argmin(distances))
        if distances[best] < config.moved_at:
            wanted.append((float(distances[best]), k, bool(s.a), best))
    holder_s = {i: k for k, s in enumerate(steps) if s.b for i in range(s.i, s.i + s.a)}
    holder_t = {j: k for k, s in enumerate(steps) if s.a for j in range(s.j, s.j + s.b)}
    replaced: dict[int, list[Step]] = {}
    for _, k, from_source, other in sorted(wanted):
        h = (holder_t if from_source else holder_s).get(other)
        if h is None or h in replaced or _adjacent(steps, k, h):
            continue
        link = steps[h]
        if from_source and link.b > 1 and other in (link.j, link.j + link.b - 1):
            first = other == link.j
            kept = Step(link.i, link.a, link.j + first, link.b - 1)
            rest = [Step(link.i, 0, other, 1), kept] if first else [kept, Step(link.i + link.a, 0, other, 1)]
        elif not from_source and link.a > 1 and other in (link.i, link.i + link.a - 1):
            first = other == link.i
            kept = Step(link.i + first, link.a - 1, link.j, link.b)
            rest = [Step(other, 1, link.j, 0), kept] if first else [kept, Step(other, 1, link.j + link.b, 0)]
        else:
            continue
        pair = (steps[k].i, other) if from_source else (other, steps[k].j)
        # What the path pays for the link and the unmatched sentence, less what it would pay
        # for the new pair and what is left of the link.
        gain = link_cost(scorer, link.a, link.b, link.i, link.j) + config.null_cost(steps[k].a, steps[k].b)
        gain -= link_cost(scorer, 1, 1, *pair)
        gain -= link_cost(scorer, kept.a, kept.b, kept.i, kept.j)
        if gain > 0:
            replaced[h] = rest
    new_steps, new_boundary = [], []
    for k, (s, margin) in enumerate(zip(steps, boundary, strict=True)):
        for part in replaced.get(k, [s]):
            new_steps.append(part)
            new_boundary.append(margin)
    return new_steps, new_boundary


def _adjacent(steps: Sequence[Step], k: int, h: int) -> bool:
    """True when no link with sentences on both sides lies between steps ``k`` and ``h``."""
    lo, hi = min(k, h), max(k, h)
    return not any(steps[x].a and steps[x].b for x in range(lo + 1, hi))


def _side_by_side(
    steps: Sequence[Step],
    at_s: dict[int, int],
    at_t: dict[int, int],
    rs: tuple[int, int],
    rt: tuple[int, int],
) -> bool:
    """True when no link with sentences on both sides separates the two runs in the path."""
    ks = [at_s[i] for i in range(*rs)] + [at_t[j] for j in range(*rt)]
    return _adjacent(steps, min(ks), max(ks))  # the ends are the runs' own null links


def moved_reach(config: AlignConfig) -> float:
    """The distance below which a link next to a moved link is kept with it (:data:`MOVED_REACH`,
    never tighter than ``config.moved_at``)."""
    return max(config.moved_at, MOVED_REACH)


def _align_runs(
    scorer: LinkScorer, rs: tuple[int, int], rt: tuple[int, int]
) -> tuple[float, list[Step], list[float]] | None:
    """The search on source run ``rs`` against target run ``rt`` alone: what it saves over
    leaving them unmatched, its links within ``moved_at`` and those within
    :data:`MOVED_REACH` next to them (as moved steps in document positions), and their
    boundary margins; None if it keeps no link."""
    config = scorer.config
    reach = moved_reach(config)
    (i0, i1), (j0, j1) = rs, rt
    n, m = i1 - i0, j1 - j0

    def row(a: int, b: int, i: int, js: Ints) -> npt.NDArray[np.float64]:
        # Only links that could be kept are links here: in two runs that each hold two moved
        # paragraphs (swapped), a diagonal of poor links would otherwise beat the good ones.
        distances = scorer.row(a, b, i0 + i, j0 + js)
        return np.where(distances < reach, distances, FORBIDDEN)

    def table(a: int, b: int) -> npt.NDArray[np.float64]:  # what the search charges: see TableCost
        distances = scorer.table(a, b)[i0 : i1 - a + 1, j0 : j1 - b + 1]
        return (a + b) / 2.0 * np.where(distances < reach, distances, FORBIDDEN)

    # Links of one sentence on at least one side: two moved 1-1 links read as one 2-2 link
    # when nothing else is near to tell them apart.
    args = _search_args(n, m, *_full_windows(n, m), config, one_sided=True)
    tables = table if scorer.tabled else None
    forward, steps = search(row, *args, tables)
    margins = boundary_margins(row, forward, *args, steps, tables)
    links = [(s, margin) for s, margin in zip(steps, margins, strict=True) if s.a and s.b]
    distances = [scorer.link(s.a, s.b, i0 + s.i, j0 + s.j) for s, _ in links]
    keep = [d < config.moved_at for d in distances]

    # A link that continues a kept one on both sides (the next sentences of the same moved
    # paragraph) is kept within the looser reach.
    def touching(k: int) -> bool:
        return _continues(links[k - 1][0], links[k][0])

    for k in range(1, len(links)):
        keep[k] = keep[k] or (keep[k - 1] and touching(k) and distances[k] < reach)
    for k in range(len(links) - 2, -1, -1):
        keep[k] = keep[k] or (keep[k + 1] and touching(k + 1) and distances[k] < reach)
    kept, kept_margins, saved = [], [], 0.0
    for (s, margin), ok, distance in zip(links, keep, distances, strict=True):
        if ok:
            saved += config.null_cost(s.a, s.b) - charge(s.a, s.b, distance, config)
            kept.append(Step(i0 + s.i, s.a, j0 + s.j, s.b, moved=True))
            kept_margins.append(margin)
    return (saved, kept, kept_margins) if kept else None


@dataclass(frozen=True)
class Block:
    """A run of target sentences ``tgt`` read as moved to where the source run ``src``
    stands: just before target position ``at`` of the path."""

    at: int
    src: tuple[int, int]
    tgt: tuple[int, int]


def realign_moved(path: Path, config: AlignConfig) -> Path:
    """Search the pair again with each moved paragraph put back in place, so that its links
    are found as the monotone search finds any other: with their neighbours, every link
    size, the usual costs (:func:`find_moved` aligns two runs alone, and only sees
    sentences the monotone path left without counterpart).

    The candidate blocks (:func:`moved_blocks`) are runs of target sentences the path
    holds loosely (without counterpart, moved, or in a link no closer than
    ``config.moved_at``) with a link of up to two sentences a side within ``moved_at``
    to a loosely held source run elsewhere in the path. The target is reordered with a
    set of blocks moved to their source runs, and searched with no link across a block's edge
    (:func:`_reordered_search`); the set that saves most over ``path``, counting
    :data:`MOVED_BLOCK_COST` per block on both sides, is kept, its links in a moved
    block marked moved. Each block's target run is then tried a sentence longer or
    shorter at either end, while that saves more (:data:`EDGE_PASSES` passes): a block's
    edges come from single sentences' distances, which miss a short sentence the English
    split off the paragraph's first or last one (a dateline). A pair searched as
    unfaithful (``path``'s scorer) is searched faithfully (``config``'s deletion cost)
    once the reordered path leaves no more than ``config.unfaithful_share`` of its
    sentences unmatched: what made it look unfaithful was the move, and comparisons are
    then made at the faithful costs.
    """
    scorer = path.scorer
    if (scorer.n + 1) * (scorer.m + 1) > FULL_TABLE_CELLS:
        return path
    blocks = moved_blocks(scorer, path.steps)
    if not blocks:
        return path
    # Each search with what ``path`` costs under it: gains are measured against that.
    as_given = (scorer, path_cost(scorer, path.steps))
    faithful = None
    if scorer.unfaithful:
        faithful_scorer = scorer.with_config(config)
        faithful = (faithful_scorer, path_cost(faithful_scorer, path.steps))
    if len(blocks) <= MOVED_SUBSETS:
        subsets = [list(c) for r in range(1, len(blocks) + 1) for c in itertools.combinations(blocks, r)]
    else:
        subsets = [blocks, *([b] for b in blocks)]

    def tried(chosen: Sequence[Block], by: tuple[LinkScorer, float]) -> tuple[float, Path]:
        search_scorer, base = by
        steps, margins = _reordered_search(search_scorer, chosen)
        return base - path_cost(search_scorer, steps), Path(search_scorer, steps, margins)

    # The set that saves most, even if nothing (find_moved may have linked its blocks
    # already): its edges are tried next, and a path is kept only if it saves something.
    best_gain, best, best_by = -np.inf, path, as_given
    best_blocks: list[Block] = []
    for chosen in subsets:
        by = as_given
        gain, found = tried(chosen, by)
        if faithful is not None and not _mostly_unmatched(found.steps, scorer.n, scorer.m, config):
            by = faithful
            gain, found = tried(chosen, by)
        if gain > best_gain:
            best_gain, best, best_blocks, best_by = gain, found, chosen, by
    # A block's edges come from one distance each; a sentence more or less at either end
    # of its target run is tried, while that saves more (a sentence split off a paragraph's
    # first or last one is often the one the threshold misses, or takes one too many).
    seen = {tuple(best_blocks)}
    for _ in range(EDGE_PASSES):
        changed = False
        for k in range(len(best_blocks)):  # each block takes at most one change a pass
            better = _better_edge(k, best_blocks, best_gain, seen, lambda c: tried(c, best_by), scorer.m)
            if better is not None:
                best_gain, best, best_blocks = better
                changed = True
        if not changed:
            break
    return best if best_gain > 0 else path


def _better_edge(
    k: int,
    blocks: list[Block],
    to_beat: float,
    seen: set[tuple[Block, ...]],
    tried: Callable[[list[Block]], tuple[float, Path]],
    m: int,
) -> tuple[float, Path, list[Block]] | None:
    """The first of ``blocks[k]``'s edge moves (:func:`_edge_moves`) not tried before
    (``seen``, which it extends) whose search (``tried``) saves more than ``to_beat``:
    its gain, path and blocks; None if none does."""
    block = blocks[k]
    for tgt in _edge_moves(block, blocks, m):
        chosen = [*blocks[:k], Block(block.at, block.src, tgt), *blocks[k + 1 :]]
        if tuple(chosen) in seen:
            continue
        seen.add(tuple(chosen))
        gain, found = tried(chosen)
        if gain > to_beat + 1e-9:
            return gain, found, chosen
    return None


def _edge_moves(block: Block, blocks: Sequence[Block], m: int) -> list[tuple[int, int]]:
    """``block``'s target run with one sentence more or less at either end: the runs that
    stay non-empty, inside the document, clear of the other blocks and of the block's own
    place."""
    lo, hi = block.tgt
    taken = {j for other in blocks if other is not block for j in range(*other.tgt)}
    # Each run with the sentence it adds (None when it drops one).
    runs = (((lo - 1, hi), lo - 1), ((lo, hi + 1), hi), ((lo + 1, hi), None), ((lo, hi - 1), None))
    return [
        (a, b) for (a, b), added in runs if 0 <= a < b <= m and added not in taken and not a < block.at < b
    ]


def path_cost(scorer: LinkScorer, steps: Sequence[Step]) -> float:
    """What ``steps`` cost as the search counts it, plus :data:`MOVED_BLOCK_COST` for each
    block of moved links (a moved link not continuing the one before on both sides)."""
    config = scorer.config
    cost = sum(
        link_cost(scorer, s.a, s.b, s.i, s.j) if s.a and s.b else config.null_cost(s.a, s.b) for s in steps
    )
    moved = sorted((s for s in steps if s.moved), key=lambda s: s.i)
    blocks = sum(1 for k, s in enumerate(moved) if not (k and _continues(moved[k - 1], s)))
    return cost + MOVED_BLOCK_COST * blocks


def _continues(before: Step, after: Step) -> bool:
    """True when ``after`` starts where ``before`` ends, on both sides (the next sentences
    of the same paragraph)."""
    return after.i == before.i + before.a and after.j == before.j + before.b


def moved_blocks(scorer: LinkScorer, steps: Sequence[Step]) -> list[Block]:
    """The candidate moved blocks of a path (see :func:`realign_moved`), closest first.

    A link is firm when it is not moved and its distance is below ``moved_at``; every
    other sentence is loosely held. Loose source and target runs are paired when they
    are not side by side (between the same two firm links) and some link of theirs of up
    to two sentences a side (1-1, or one of :data:`JOINED_SIZES` where no 1-1 link is) is
    within ``moved_at``, the closest pairs first, each run once. A block is
    the target run trimmed to its sentences within :func:`moved_reach` of the source
    run (and the source run likewise), with the sentences of the joined link that made
    the pair a candidate, put before the firm link after the source run (or after the one before it,
    whichever is nearer).
    """
    config = scorer.config
    reach = moved_reach(config)
    loose_s: set[int] = set()
    loose_t: set[int] = set()
    firm: list[Step] = []
    for s in steps:
        if s.a and s.b and not s.moved and scorer.link(s.a, s.b, s.i, s.j) < config.moved_at:
            firm.append(s)
        else:
            loose_s.update(range(s.i, s.i + s.a))
            loose_t.update(range(s.j, s.j + s.b))
    firm.sort(key=lambda s: s.i)
    firm_i = np.array([s.i for s in firm], dtype=np.int64)
    firm_j = np.array([s.j for s in firm], dtype=np.int64)
    held_s, held_t = np.array(sorted(loose_s), dtype=np.int64), np.array(sorted(loose_t), dtype=np.int64)
    if not len(held_s) or not len(held_t):
        return []
    # The 1-1 distances of every loose source sentence to every loose target one, at once.
    close = np.stack([scorer.row(1, 1, int(i), held_t) for i in held_s])
    candidates = []
    for rs in _runs(held_s.tolist()):
        gap = int(np.searchsorted(firm_i, rs[0]))
        src_rows = slice(*np.searchsorted(held_s, rs))
        for rt in _runs(held_t.tolist()):
            if gap == int(np.searchsorted(firm_j, rt[0])):
                continue
            d = close[src_rows, slice(*np.searchsorted(held_t, rt))]
            nearest, joined = float(d.min()), None
            if nearest >= config.moved_at:
                nearest, joined = _joined_nearest(scorer, rs, rt)
            if nearest < config.moved_at:
                candidates.append((nearest, rs, rt, d, joined))
    candidates.sort(key=lambda c: c[0])
    used_s: set[tuple[int, int]] = set()
    used_t: set[tuple[int, int]] = set()
    blocks = []
    for _, rs, rt, d, joined in candidates:
        if rs in used_s or rt in used_t:
            continue
        used_s.add(rs)
        used_t.add(rt)
        # The sentences within reach of the other run, and those of the joined link that
        # made the pair a candidate (its sentences alone may be farther than reach).
        cols = rt[0] + np.flatnonzero(d.min(axis=0) < reach)
        rows = rs[0] + np.flatnonzero(d.min(axis=1) < reach)
        if joined is not None:
            cols = np.concatenate([cols, [joined.j, joined.j + joined.b - 1]])
            rows = np.concatenate([rows, [joined.i, joined.i + joined.a - 1]])
        tgt = (int(cols.min()), int(cols.max()) + 1)
        src = (int(rows.min()), int(rows.max()) + 1)
        g = int(np.searchsorted(firm_i, src[0]))
        s_lo, t_lo = (firm[g - 1].i + firm[g - 1].a, firm[g - 1].j + firm[g - 1].b) if g else (0, 0)
        s_hi, t_hi = (firm[g].i, firm[g].j) if g < len(firm) else (scorer.n, scorer.m)
        blocks.append(Block(t_lo if src[0] - s_lo <= s_hi - src[1] else t_hi, src, tgt))
    return blocks


def _joined_nearest(
    scorer: LinkScorer, rs: tuple[int, int], rt: tuple[int, int]
) -> tuple[float, Step | None]:
    """The closest link of :data:`JOINED_SIZES` inside source run ``rs`` and target run
    ``rt``, and its distance (infinite, and None, when the runs are too short for any)."""
    (i0, i1), (j0, j1) = rs, rt
    best, link = np.inf, None
    for a, b in JOINED_SIZES:
        if i1 - i0 < a or j1 - j0 < b:
            continue
        js = np.arange(j0, j1 - b + 1)
        for i in range(i0, i1 - a + 1):
            row = scorer.row(a, b, i, js)
            k = int(np.argmin(row))
            if row[k] < best:
                best, link = float(row[k]), Step(i, a, int(js[k]), b)
    return best, link


def _reordered_search(scorer: LinkScorer, blocks: Sequence[Block]) -> tuple[list[Step], list[float]]:
    """The monotone search of the pair with the target reordered, each block's sentences
    just before its ``at``, and no link across a block's edge (nor across the gap a block
    leaves); the steps in document positions (those in a block's links marked moved),
    with their boundary margins."""
    n, m, config = scorer.n, scorer.m, scorer.config
    in_block = {j for block in blocks for j in range(*block.tgt)}
    order = sorted(
        [(block.at, 0, block.src[0], j) for block in blocks for j in range(*block.tgt)]
        + [(j, 1, 0, j) for j in range(m) if j not in in_block]
    )
    perm = np.array([key[3] for key in order], dtype=np.int64)
    max_t = min(config.max_tgt, m)
    # Per target size, where each reordered span starts in the document, and whether its
    # sentences follow each other there (a span that does not is no link).
    starts: dict[int, Ints] = {}
    whole: dict[int, npt.NDArray[np.bool_]] = {}
    for b in range(1, max_t + 1):
        span = m - b + 1
        whole[b] = np.ones(span, dtype=bool)
        for k in range(1, b):
            whole[b] &= perm[k : k + span] == perm[:span] + k
        starts[b] = np.minimum(perm[:span], m - b)
    tables: TableCost | None = None
    if n * m <= REALIGN_TABLE_CELLS:
        distances: dict[tuple[int, int], npt.NDArray[np.float64]] = {}
        charged: dict[tuple[int, int], npt.NDArray[np.float64]] = {}

        def table_of(a: int, b: int) -> npt.NDArray[np.float64]:
            if (a, b) not in distances:
                found = scorer.table(a, b)[:, starts[b]]
                distances[a, b] = np.where(whole[b], found, FORBIDDEN)
            return distances[a, b]

        def row(a: int, b: int, i: int, js: Ints) -> npt.NDArray[np.float64]:
            found: npt.NDArray[np.float64] = table_of(a, b)[i, js]
            return found

        def charged_table(a: int, b: int) -> npt.NDArray[np.float64]:
            if (a, b) not in charged:
                charged[a, b] = (a + b) / 2.0 * table_of(a, b)
            return charged[a, b]

        tables = charged_table
    else:

        def row(a: int, b: int, i: int, js: Ints) -> npt.NDArray[np.float64]:
            return np.where(whole[b][js], scorer.row(a, b, i, starts[b][js]), FORBIDDEN)

    args = _search_args(n, m, *_full_windows(n, m), config)
    forward, steps = search(row, *args, tables)
    margins = boundary_margins(row, forward, *args, steps, tables)
    placed = []
    for s in steps:
        j = int(perm[s.j]) if s.j < m else m
        placed.append(Step(s.i, s.a, j, s.b, moved=bool(s.a and s.b) and j in in_block))
    return _strays_in_place(placed, margins, in_block)


def _strays_in_place(
    steps: list[Step], margins: list[float], in_block: set[int]
) -> tuple[list[Step], list[float]]:
    """``steps`` with the target sentences of a block that no source sentence took (its
    0-1 links, found where the block was put) moved back among the links in place, in
    their document order: they were not moved, only left without counterpart."""
    strays = [k for k, s in enumerate(steps) if not s.a and s.j in in_block]
    if not strays:
        return steps, margins
    stray_set = set(strays)
    keep = [k for k in range(len(steps)) if k not in stray_set]
    out, out_margins = [steps[k] for k in keep], [margins[k] for k in keep]
    for k in strays:
        s = steps[k]
        at = next(
            (p for p, t in enumerate(out) if t.b and not t.moved and t.j > s.j),
            len(out),
        )
        out.insert(at, s)
        out_margins.insert(at, margins[k])
    return out, out_margins


def _untranslated(link: Link, src_texts: Sequence[str], tgt_texts: Sequence[str]) -> Link:
    """``link``, scored at most :data:`UNTRANSLATED_SCORE` if its sides are the same text
    (:func:`aligner.score.untranslated`): a copy is no translation to learn from or reuse."""
    if link.is_null or link.score <= UNTRANSLATED_SCORE:
        return link
    src = " ".join(src_texts[i] for i in link.src)
    tgt = " ".join(tgt_texts[j] for j in link.tgt)
    return replace(link, score=UNTRANSLATED_SCORE) if untranslated(src, tgt) else link


def align(
    source: Sequence[Sentence],
    target: Sequence[Sentence],
    encoder: CachedEncoder,
    config: AlignConfig,
    info: PairInfo,
    bilingual: Dictionary | None = None,
) -> Alignment:
    """Align two lists of sentences with ``encoder``'s vectors, lexical overlap and lengths
    (and the bilingual dictionary ``bilingual`` as one more signal, weighted by
    ``config.dictionary_weight``, when both are given: see :func:`aligner.dictionary.load`).

    Reads no file. ``info`` (languages, documents, date, signature) is recorded in the result.
    """
    src_texts = [s.text for s in source]
    tgt_texts = [s.text for s in target]
    signals: list[Signal] = []
    if config.dictionary_weight and bilingual is not None:
        src_dict, tgt_dict = dictionary.dictionary_vectors(bilingual, src_texts, tgt_texts)
        signals.append((config.dictionary_weight, src_dict, tgt_dict))
    src_vecs, tgt_vecs = encoder.encode(src_texts), encoder.encode(tgt_texts)
    links = align_vectors(src_vecs, tgt_vecs, src_texts, tgt_texts, config, encoder.encode, signals)
    return Alignment.of(source, target, links, info)


def _moved_places(links: Sequence[Link]) -> int:
    """How many runs of moved links ``links`` holds: a moved link that does not continue the
    one before it (by source position) on both sides starts a run."""
    moved = sorted((lk for lk in links if lk.moved and lk.src and lk.tgt), key=lambda lk: lk.src[0])
    return sum(
        1
        for k, lk in enumerate(moved)
        if not (k and lk.src[0] == moved[k - 1].src[-1] + 1 and lk.tgt[0] == moved[k - 1].tgt[-1] + 1)
    )


def fidelity_warnings(alignment: Alignment) -> list[str]:
    """What in ``alignment`` suggests that one document is not a faithful translation of
    the other, as sentences for a warning: many sentences without counterpart on a
    side (more than :data:`UNMATCHED_WARNING`) or, where sentences are out of order in
    more places than :data:`MOVED_SUBSETS`, as many out of order or without counterpart;
    many units whose sides are the same
    text (as many), or sizes far apart (a factor of more than :data:`SIZE_WARNING` in
    sentences). Empty for a faithful pair."""
    n, m = len(alignment.source), len(alignment.target)
    if not n or not m:
        return []
    src_null = sum(1 for lk in alignment.links if lk.src and not lk.tgt)
    tgt_null = sum(1 for lk in alignment.links if lk.tgt and not lk.src)
    out = []
    if src_null > UNMATCHED_WARNING * n or tgt_null > UNMATCHED_WARNING * m:
        out.append(
            f"{src_null} of {n} source sentences ({100 * src_null / n:.0f} %) and {tgt_null} of {m} "
            f"target sentences ({100 * tgt_null / m:.0f} %) have no counterpart: one text may be "
            "abridged, extended or partly another text; check the pair before using its units"
        )
    elif _moved_places(alignment.links) > MOVED_SUBSETS:
        # Sentences out of order in more places than the search for moved paragraphs tries
        # in every combination count with those left out: a translation whose sections are
        # reordered is aligned less surely (sentences left without counterpart that have one
        # elsewhere, links across a section's edge), however well each moved link scores.
        src_off = src_null + sum(len(lk.src) for lk in alignment.links if lk.moved)
        tgt_off = tgt_null + sum(len(lk.tgt) for lk in alignment.links if lk.moved)
        if src_off > UNMATCHED_WARNING * n or tgt_off > UNMATCHED_WARNING * m:
            out.append(
                f"{src_off} of {n} source sentences ({100 * src_off / n:.0f} %) and {tgt_off} of {m} "
                f"target sentences ({100 * tgt_off / m:.0f} %) are out of order, in "
                f"{_moved_places(alignment.links)} places, or have no counterpart: the translation may "
                "be reordered by sections; check the pair before using its units"
            )
    copies = sum(1 for lk in alignment.links if not lk.is_null and lk.score <= UNTRANSLATED_SCORE)
    real = sum(1 for lk in alignment.links if not lk.is_null)
    if real and copies > UNMATCHED_WARNING * real:
        out.append(
            f"{copies} of {real} units have the same text on both sides: the target is not a translation "
            "(the same file twice?); such units are scored 0.05 and left out of training data"
        )
    if max(n, m) > SIZE_WARNING * min(n, m):
        out.append(
            f"the documents differ much in size ({n} source and {m} target sentences): "
            "one may hold only part of the other's text"
        )
    return out
