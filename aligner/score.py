"""Pure scoring of candidate links: embeddings, lexical overlap and a length model.

For a candidate link of ``a`` source and ``b`` target sentences:

- each side is represented by the L2-normalised sum of its sentence vectors
  (as good as embedding the joined text, at a fraction of the cost:
  ../shared/FACTS.md section 4b);
- the embedding distance ``1 - cos`` is divided by the sides' typical distance
  to unrelated spans of the same sizes in the other document, so that "how much
  better than chance" is measured, not raw cosine (Vecalign's normalisation; it
  removes the hubness of sentences that are close to everything);
- lexical overlap is measured the same way on hashed character n-gram vectors
  of the words that cross languages unchanged or nearly so: numbers, names,
  cognates (see :func:`lexical_vectors`), and, when asked, with word
  translations learned from the document's own confident links
  (:mod:`aligner.lexicon`, added by :meth:`LinkScorer.with_lexical`);
- the length model penalises the squared log ratio of the sides' character
  lengths, centred on the document pair's own ratio (Italian runs longer than
  English; German shorter than French), as Gale and Church's model does with a
  normal distribution of length differences; where one document is much
  longer than the other, on its anchors' ratio (:func:`anchor_ratio`).

All costs are computed for one source span against a whole row window of
target spans at once (:meth:`LinkScorer.row`), so the search never holds the
full n-by-m table.
"""

from __future__ import annotations

import copy
import functools
import operator
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from .model import AlignConfig

Matrix = npt.NDArray[np.float64]
Vectors = npt.NDArray[np.float32]

#: Spans of the other side sampled to estimate a span's chance distance.
BASELINE_SAMPLE = 256
#: Characters added to both lengths so that short sentences do not swing the ratio.
LENGTH_SMOOTHING = 20.0
#: Source sentences tried as anchors for the length model's centre (see :func:`anchor_ratio`).
ANCHOR_SAMPLE = 400
#: How much closer an anchor's nearest neighbour must be than the next (cosine).
ANCHOR_MARGIN = 0.02
#: Anchors needed to trust their ratio.
MIN_ANCHORS = 5
#: The anchors' ratio replaces the documents' when the two differ by more than this (log).
ANCHOR_TRUST = 0.2
#: Documents whose lengths differ by more than this factor (log 2) are not centred on their ratio.
SIZES_APART = 0.7
#: Documents with at most this many sentence pairs (source times target sentences) have
#: the distances of all their links of a size computed at once, on first use
#: (:meth:`LinkScorer.table`): a dispatch's search, margins and features then only look
#: them up, instead of paying numpy's per-call cost for every row of every search.
TABLE_CELLS = 40_000
#: Dimension of the hashed character n-gram vectors.
LEXICAL_DIM = 512
#: Character n-gram size of the lexical vectors.
NGRAM = 4

#: A word: what both lexical signals count.
WORD = re.compile(r"\w+", re.UNICODE)


#: Two sides this similar in characters (chrF, 0-100) are the same text, not a translation...
UNTRANSLATED_CHRF = 90.0
#: ...when they are long enough to need translating (a name or a number is the same in both).
UNTRANSLATED_WORDS = 5
_LETTERS = re.compile(r"[^\W\d_]{2,}")


#: sacreBLEU's chrF defaults, which :func:`chrf_bound` relies on.
CHRF_ORDER = 6
CHRF_BETA = 2


@functools.cache
def _chrf() -> Any:
    from sacrebleu.metrics.chrf import CHRF

    chrf = CHRF(char_order=CHRF_ORDER, word_order=0, beta=CHRF_BETA)
    assert not chrf.whitespace and not chrf.lowercase, "chrf_bound assumes both off"
    return chrf


def untranslated(src: str, tgt: str) -> bool:
    """True when ``src`` and ``tgt`` are the same text, or nearly, rather than a
    translation: chrF (sacreBLEU's, the character n-gram F-score machine
    translation is scored with) of at least :data:`UNTRANSLATED_CHRF`, on sides of
    at least :data:`UNTRANSLATED_WORDS` words. Names, bylines and numbers, the same
    in both languages, are shorter.

    >>> same = "The board met on Monday to discuss the budget."
    >>> untranslated(same, same), untranslated(same, "Il consiglio si è riunito lunedì sul bilancio.")
    (True, False)
    >>> untranslated("Vladimir Putin", "Vladimir Putin")
    False
    """
    if min(len(_LETTERS.findall(src)), len(_LETTERS.findall(tgt))) < UNTRANSLATED_WORDS:
        return False
    if chrf_bound(src, tgt) < UNTRANSLATED_CHRF:
        return False  # most links: a translation shares too few character pairs to come near
    return float(_chrf().sentence_score(src, [tgt]).score) >= UNTRANSLATED_CHRF


def chrf_bound(hyp: str, ref: str) -> float:
    """An upper bound of sacreBLEU's chrF of ``hyp`` against ``ref`` (its defaults: character
    n-grams of orders 1 to 6, whitespace removed, beta 2), from character pairs alone, at
    a tenth of its cost.

    An n-gram (n >= 2) that both sides share starts with a pair of characters both share, so
    the n-gram matches of any order are at most the pair matches ``M``: order n's precision
    is at most ``min(1, M / (hyp n-grams))`` and its recall ``min(1, M / (ref n-grams))``
    (order 1's at most 1), and chrF, the F-score of the mean precision and recall, rises
    with both. A translation shares fewer than two pairs in three; a copy nearly all.
    """
    h, r = "".join(hyp.split()), "".join(ref.split())
    if len(h) < CHRF_ORDER or len(r) < CHRF_ORDER:
        return 100.0  # an order without n-grams: the bound does not hold, chrF decides
    matches = sum((Counter(_pairs(h)) & Counter(_pairs(r))).values())
    prec = (1.0 + sum(min(1.0, matches / (len(h) - n + 1)) for n in range(2, CHRF_ORDER + 1))) / CHRF_ORDER
    rec = (1.0 + sum(min(1.0, matches / (len(r) - n + 1)) for n in range(2, CHRF_ORDER + 1))) / CHRF_ORDER
    beta2 = CHRF_BETA**2
    return 100.0 * (1 + beta2) * prec * rec / (beta2 * prec + rec)


def _pairs(text: str) -> Iterator[str]:
    return map(operator.add, text, text[1:])


def hashed_slot(key: str, dim: int = LEXICAL_DIM) -> int:
    """The slot of ``key`` in a hashed vector of ``dim`` dimensions.

    crc32 rather than hash(): stable across processes (PYTHONHASHSEED).
    """
    return zlib.crc32(key.encode("utf-8")) % dim


def lexical_vectors(texts: Sequence[str]) -> Vectors:
    """Hashed character n-gram vectors of the words likely to cross languages.

    Numbers count whole; other words count by their ``NGRAM``-grams (with word
    boundaries), and only words of at least five letters or capitalised words
    do, so that short function words, which differ across languages and match
    by chance, stay out. Rows are L2-normalised (zero rows stay zero).
    """
    out = np.zeros((len(texts), LEXICAL_DIM), dtype=np.float32)
    for row, text in enumerate(texts):
        for tok in WORD.findall(text):
            if tok.isdigit():
                out[row, hashed_slot("#" + tok)] += 2.0
            elif len(tok) >= 5 or (tok[:1].isupper() and len(tok) >= 3):
                w = f"<{tok.lower()}>"
                for k in range(len(w) - NGRAM + 1):
                    out[row, hashed_slot(w[k : k + NGRAM])] += 1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.asarray(out / np.maximum(norms, 1e-9), dtype=np.float32)


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


def anchor_ratio(
    src_vecs: Vectors, tgt_vecs: Vectors, len_s: npt.NDArray[np.float64], len_t: npt.NDArray[np.float64]
) -> float | None:
    """The median log length ratio of anchors: sentence pairs that are each other's
    nearest neighbour by a clear margin (Bertalign's first pass finds its anchors the
    same way). Up to :data:`ANCHOR_SAMPLE` source sentences, evenly spread, are
    tried; None when fewer than :data:`MIN_ANCHORS` are found.

    A short document inside a much longer one (or a summary beside its full
    text) skews the documents' length ratio, not its anchors' ratio.
    """
    n, m = len(src_vecs), len(tgt_vecs)
    if n < MIN_ANCHORS or m < MIN_ANCHORS:
        return None
    rows = np.unique(np.linspace(0, n - 1, min(n, ANCHOR_SAMPLE)).astype(np.int64))
    sims = src_vecs[rows] @ tgt_vecs.T  # (k, m)
    best = sims.argmax(axis=1)
    top2 = np.partition(sims, -2, axis=1)[:, -2:] if m > 1 else np.stack([sims[:, 0], sims[:, 0]], axis=1)
    clear = (top2[:, 1] - top2[:, 0]) >= ANCHOR_MARGIN
    back = (tgt_vecs[best] @ src_vecs.T).argmax(axis=1)  # each best target's nearest source
    mutual = back == rows
    keep = clear & mutual
    if keep.sum() < MIN_ANCHORS:
        return None
    i_s, j_s = rows[keep], best[keep]
    ratios = np.log((len_t[j_s] + LENGTH_SMOOTHING) / (len_s[i_s] + LENGTH_SMOOTHING))
    return float(np.median(ratios))


def chance_distance(vecs: Vectors, other: Vectors) -> npt.NDArray[np.float64]:
    """Mean ``1 - cos`` of each row of ``vecs`` to an even sample of ``other``'s rows."""
    if len(other) == 0 or len(vecs) == 0:
        return np.ones(len(vecs))
    step = max(1, len(other) // BASELINE_SAMPLE)
    sample = other[::step][:BASELINE_SAMPLE]
    # np.mean's sum and division, in the same precision, without its checks: a scorer
    # takes 32 of these, and most pairs are a few sentences.
    mean = np.add.reduce(vecs @ sample.T, axis=1) / len(sample)
    return np.asarray(1.0 - mean, dtype=np.float64)


def _mix_joined(
    spans: dict[int, Vectors], texts: Sequence[str], embed: Callable[[Sequence[str]], Vectors], weight: float
) -> None:
    """Mix into each multi-sentence span vector the embedding of its joined text.

    Vecalign embeds the concatenation of neighbouring sentences; a cached
    encoder embeds each distinct text once however many candidates share it.
    """
    for size, vecs in spans.items():
        if size < 2 or len(vecs) == 0:
            continue
        joined = embed([" ".join(texts[k : k + size]) for k in range(len(texts) - size + 1)])
        mixed = (1.0 - weight) * vecs + weight * joined
        spans[size] = np.asarray(
            mixed / np.maximum(np.linalg.norm(mixed, axis=1, keepdims=True), 1e-9), np.float32
        )


class LinkScorer:
    """Costs of candidate links between two documents' sentences.

    :param src_vecs: (n, d) sentence vectors of the source.
    :param tgt_vecs: (m, d) sentence vectors of the target.
    :param src_texts: the source sentences (for the lexical and length signals).
    :param tgt_texts: the target sentences.
    """

    def __init__(
        self,
        src_vecs: Vectors,
        tgt_vecs: Vectors,
        src_texts: Sequence[str],
        tgt_texts: Sequence[str],
        config: AlignConfig,
        embed: Callable[[Sequence[str]], Vectors] | None = None,
    ) -> None:
        self.config = config
        self.n, self.m = len(src_texts), len(tgt_texts)
        #: Scoring a pair that is no faithful translation (see aligner.align.search_path).
        self.unfaithful = False
        sizes_s = range(1, config.max_src + 1)
        sizes_t = range(1, config.max_tgt + 1)
        self.emb_s = {a: span_vectors(src_vecs, a) for a in sizes_s}
        self.emb_t = {b: span_vectors(tgt_vecs, b) for b in sizes_t}
        if config.joined_weight and embed is not None:
            _mix_joined(self.emb_s, src_texts, embed, config.joined_weight)
            _mix_joined(self.emb_t, tgt_texts, embed, config.joined_weight)
        #: Lexical signals: (weight, source span vectors, target span vectors by size).
        self.lexical: list[tuple[float, dict[int, Vectors], dict[int, Vectors]]] = []
        if config.lexical_weight:
            self.lexical.append(
                self._spans(config.lexical_weight, lexical_vectors(src_texts), lexical_vectors(tgt_texts))
            )
        self.len_s = {a: span_sums(np.array([len(t) for t in src_texts], float), a) for a in sizes_s}
        self.len_t = {b: span_sums(np.array([len(t) for t in tgt_texts], float), b) for b in sizes_t}
        total_s = sum(len(t) for t in src_texts) + LENGTH_SMOOTHING
        total_t = sum(len(t) for t in tgt_texts) + LENGTH_SMOOTHING
        #: Where the length model is centred: the documents' length ratio, unless the
        #: confident 1-1 matches say otherwise (one document holds much more than the other),
        #: or, with too few of them, equal lengths when the documents' sizes are far apart.
        self.log_ratio = float(np.log(total_t / total_s))
        anchored = anchor_ratio(src_vecs, tgt_vecs, self.len_s[1], self.len_t[1])
        if anchored is not None and abs(anchored - self.log_ratio) > ANCHOR_TRUST:
            self.log_ratio = anchored
        elif anchored is None and abs(self.log_ratio) > SIZES_APART:
            self.log_ratio = 0.0
        # Chance distances of every span against same-size spans of the other side.
        self.chance_s: dict[tuple[int, int], npt.NDArray[np.float64]] = {}
        self.chance_t: dict[tuple[int, int], npt.NDArray[np.float64]] = {}
        for a in sizes_s:
            for b in sizes_t:
                self.chance_s[a, b] = chance_distance(self.emb_s[a], self.emb_t[b])
                self.chance_t[a, b] = chance_distance(self.emb_t[b], self.emb_s[a])
        #: Whole distance tables by link size (:meth:`table`), for what they were computed
        #: with, and what the search charges for them (:meth:`charged`).
        self._tables: dict[tuple[int, int], Matrix] = {}
        self._charged: dict[tuple[int, int], Matrix] = {}

    def _forget_tables(self) -> None:
        """Drop the tables (:meth:`table`, :meth:`charged`): this scorer's settings changed."""
        self._tables, self._charged = {}, {}

    def _spans(
        self, weight: float, src: Vectors, tgt: Vectors
    ) -> tuple[float, dict[int, Vectors], dict[int, Vectors]]:
        return (
            weight,
            {a: span_vectors(src, a) for a in self.emb_s},
            {b: span_vectors(tgt, b) for b in self.emb_t},
        )

    def with_lexical(self, weight: float, src: Vectors, tgt: Vectors) -> LinkScorer:
        """This scorer with one more lexical signal: sentence vectors of both sides
        whose span cosine, times ``weight``, is taken off the distance.

        A new scorer sharing this one's arrays; this one is left as it is.
        """
        new = copy.copy(self)
        new.lexical = [*self.lexical, self._spans(weight, src, tgt)]
        new._forget_tables()
        return new

    def with_config(self, config: AlignConfig, unfaithful: bool = False) -> LinkScorer:
        """This scorer with other settings (of those it reads as it scores: not the spans'
        sizes nor the signals); a new scorer sharing this one's arrays. ``unfaithful``:
        the settings are those for a pair that is no faithful translation."""
        new = copy.copy(self)
        new.config = config
        new.unfaithful = unfaithful
        if config.length_weight != self.config.length_weight:
            new._forget_tables()
        return new

    def centred(self, log_ratio: float) -> LinkScorer:
        """This scorer with the length model centred on ``log_ratio`` (a new scorer sharing its arrays)."""
        new = copy.copy(self)
        new.log_ratio = log_ratio
        new._forget_tables()
        return new

    def row(self, a: int, b: int, i: int, js: npt.NDArray[np.int64]) -> Matrix:
        """Distances of the links ``src[i:i+a]`` - ``tgt[j:j+b]`` for every ``j`` in ``js``.

        About 0.2-0.4 for a translation, 1 or more for unrelated text.
        """
        if self.tabled:
            found: Matrix = self.table(a, b)[i, js]
            return found
        lex = [w * (lt[b][js] @ ls[a][i]).astype(np.float64) for w, ls, lt in self.lexical]
        return self._combine(a, b, i, js, self.emb_t[b][js] @ self.emb_s[a][i], lex)

    @property
    def tabled(self) -> bool:
        """True when the documents are small enough for whole tables (:meth:`table`):
        at most :data:`TABLE_CELLS` sentence pairs. Larger ones are scored a band of rows
        at a time, never whole."""
        return self.n * self.m <= TABLE_CELLS

    def table(self, a: int, b: int) -> Matrix:
        """The distances of every link ``src[i:i+a]`` - ``tgt[j:j+b]``, as an array indexed
        ``[i, j]``, computed on first use and kept (only for :attr:`tabled` scorers)."""
        table = self._tables.get((a, b))
        if table is None:
            src, tgt = self.emb_s[a], self.emb_t[b]
            i = np.arange(len(src))[:, None]
            j = np.arange(len(tgt))[None, :]
            lex = [w * (ls[a] @ lt[b].T).astype(np.float64) for w, ls, lt in self.lexical]
            table = self._tables[a, b] = self._combine(a, b, i, j, src @ tgt.T, lex)
        return table

    def charged(self, a: int, b: int) -> Matrix:
        """:meth:`table` times ``(a + b) / 2``, what the search charges for each link's
        distance, computed on first use and kept: each search of a pair reads it."""
        table = self._charged.get((a, b))
        if table is None:
            table = self._charged[a, b] = (a + b) / 2.0 * self.table(a, b)
        return table

    def ratio_of(self, pairs: Sequence[tuple[int, int]]) -> float | None:
        """Median log length ratio of the 1-1 links ``pairs``; None if there are fewer than 5."""
        if len(pairs) < 5:
            return None
        i_s = np.array([i for i, _ in pairs])
        j_s = np.array([j for _, j in pairs])
        ratios = np.log((self.len_t[1][j_s] + LENGTH_SMOOTHING) / (self.len_s[1][i_s] + LENGTH_SMOOTHING))
        return float(np.median(ratios))

    def column(self, a: int, b: int, i_s: npt.NDArray[np.int64], j: int) -> Matrix:
        """Distances of the links ``src[i:i+a]`` - ``tgt[j:j+b]`` for every ``i`` in ``i_s``."""
        if self.tabled:
            found: Matrix = self.table(a, b)[i_s, j]
            return found
        lex = [w * (ls[a][i_s] @ lt[b][j]).astype(np.float64) for w, ls, lt in self.lexical]
        return self._combine(a, b, i_s, j, self.emb_s[a][i_s] @ self.emb_t[b][j], lex)

    def _combine(
        self,
        a: int,
        b: int,
        i: int | npt.NDArray[np.int64],
        j: int | npt.NDArray[np.int64],
        cos: Vectors,
        lexical: Sequence[Matrix],
    ) -> Matrix:
        """The distance from the cosines of spans ``i`` and ``j``, less their weighted lexical overlaps."""
        chance = (self.chance_s[a, b][i] + self.chance_t[a, b][j]) / 2.0
        dist = (1.0 - cos.astype(np.float64)) / np.maximum(chance, 0.05)
        for overlap in lexical:
            dist = dist - overlap
        ls = self.len_s[a][i] + LENGTH_SMOOTHING
        lt = self.len_t[b][j] + LENGTH_SMOOTHING
        dist = dist + self.config.length_weight * (np.log(lt / ls) - self.log_ratio) ** 2
        return np.asarray(dist, dtype=np.float64)

    def link(self, a: int, b: int, i: int, j: int) -> float:
        """Distance of the single link ``src[i:i+a]`` - ``tgt[j:j+b]``."""
        return float(self.row(a, b, i, np.array([j]))[0])
