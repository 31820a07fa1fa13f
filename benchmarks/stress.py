"""Stress benchmark: alignment when the translation is not faithful.

Usage::

    python benchmarks/stress.py [--eval-dir ../shared/eval] [--copies 2] [--seed 11]
        [--variants faithful,summary,...] [--config KEY=VALUE ...] [--vectors FILE.npz]
        [--by-source] [--misses] [--ceiling] [--out docs/stress.md]

Each variant is built from faithful documents with known gold links, so its
gold is known too:

- ``faithful``: the document as it is (the baseline);
- ``summary``: the target keeps 50-80 % of the source's translated units; the
  source sentences of the others have no counterpart (1-0 links);
- ``additions``: the target gains 20-40 % more sentences, in runs of 1-4 taken
  from an unrelated document of the same language (0-1 links);
- ``moved``: two runs of 2-5 units have their target side moved elsewhere in
  the target (at least five units away); the moved links are still gold links;
- ``inside``: a piece of 8-15 units is aligned against a target about ten
  times as long that holds its translation (the rest of the document's target
  side, and other documents' if needed: 0-1 links);
- ``abridged``: 10-30 % of the units lose their source side and as many others
  their target side.

A unit is one gold link with its sentences; units are reassembled in order, so
a gold link's sentences are contiguous in every variant.

Sources (dev data only, read from ``--eval-dir`` at run time, never copied):
Text+Berg dev (de→fr), cut into two halves where no gold link crosses, and an
Italian-English dev set made of ParTUT's legal documents only: the Creative
Commons licence, the Facebook terms, the JRC-Acquis document and the UDHR. Their
1:1 sentence pairs (ParTUT's ``Aligned`` files) are assigned to a document by
finding the Italian sentence in that document's CoNLL file; pairs of the other
documents (Project Syndicate, Europarl, Wikipedia, TED) match none of the four
and are dropped unread. The treebank's tokens are joined back into running
text (``benchmarks/splitting.py``'s detokeniser).

For each variant the table gives strict precision, recall and F1 (pooled over
its cases, FACTS.md section 2), the precision of links scored 0.9 or more, the
expected calibration error over all predicted links (null links included), and
for ``moved`` the share of moved source sentences whose predicted link is their
gold link, overall and among those whose gold link the faithful text's
alignment gets right (there the move is what can go wrong; the rest are links
the aligner misses wherever they stand). ``--ceiling`` adds the strict F1 the variant would have if every
wrong link between sentences that all have no counterpart (two untranslated
sentences linked to each other) were split into null links: how far a perfect
cure of that error alone would go. Alignment runs in this process on presplit
sentences (:func:`aligner.align.align_vectors`), as ``aligner align --presplit`` does.
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import random
import sys
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from alignment import DEFAULT_EVAL_DIR, _md, _textberg, log, read_gold, read_lines
from splitting import detokenize

from aligner import __version__
from aligner.align import align_vectors
from aligner.calibrate import config_for
from aligner.encode import CachedEncoder, Vectors, get_encoder
from aligner.evaluate import Counts, calibration, count, pooled_counts, scores
from aligner.model import AlignConfig, Link

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("faithful", "summary", "additions", "moved", "inside", "abridged")
#: Units of each document in an ``unrelated`` case.
UNRELATED_UNITS = 60
#: ParTUT's legal documents: the only ones read (see the module docstring).
PARTUT_LEGAL = ("CC", "FB", "JRCAcquis", "UDHR")


# --- material ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One gold link with its sentences; an empty side is a deletion or insertion."""

    src: tuple[str, ...]
    tgt: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """A faithful document pair as a sequence of units."""

    name: str
    src_lang: str
    tgt_lang: str
    units: tuple[Unit, ...]


def textberg_sources(eval_dir: Path) -> list[Source]:
    """Text+Berg dev, cut into two halves at a unit boundary."""
    (doc,) = _textberg(eval_dir, ["dev"])
    src, tgt, gold = read_lines(doc.src), read_lines(doc.tgt), read_gold(doc.gold)
    units = [Unit(tuple(src[i] for i in lk.src), tuple(tgt[j] for j in lk.tgt)) for lk in gold]
    mid = len(units) // 2
    return [
        Source("textberg-dev-a", "de", "fr", tuple(units[:mid])),
        Source("textberg-dev-b", "de", "fr", tuple(units[mid:])),
    ]


def _conll(data: bytes) -> list[list[tuple[str, str]]]:
    """The sentences of a CoNLL file as (form, relation) tokens; a word the treebank
    splits and repeats for its two parts (Italian "allo") is kept once."""
    sentences: list[list[tuple[str, str]]] = []
    words: list[tuple[str, str]] = []
    for line in data.decode("utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 8:
            continue
        if cols[0] == "1" and words:
            sentences.append(words)
            words = []
        if not (words and words[-1][0] == cols[1]):
            words.append((cols[1], cols[7]))
    if words:
        sentences.append(words)
    return sentences


def partut_sources(eval_dir: Path) -> list[Source]:
    """ParTUT's legal documents as Italian-English sources of 1-1 units."""
    root = eval_dir / "partut-it-en-fr"
    doc_of: dict[str, str] = {}
    with zipfile.ZipFile(root / "It.zip") as z:
        for name in PARTUT_LEGAL:
            for words in _conll(z.read(f"It/TUT-CoNLL/{name}_It.conl")):
                doc_of.setdefault(" ".join(w for w, _ in words), name)
    with zipfile.ZipFile(root / "Aligned.zip") as z:
        it = _conll(z.read("Aligned/en-it/CoNLL/partut-it-aligned.conll"))
        en = _conll(z.read("Aligned/en-it/CoNLL/partut-en-aligned.conll"))
    if len(it) != len(en):
        raise SystemExit(f"error: {root}/Aligned.zip: {len(it)} Italian but {len(en)} English sentences")
    units: dict[str, list[Unit]] = {name: [] for name in PARTUT_LEGAL}
    for it_words, en_words in zip(it, en, strict=True):
        found = doc_of.get(" ".join(w for w, _ in it_words))
        if found is not None:
            units[found].append(Unit((detokenize(it_words),), (detokenize(en_words),)))
    return [Source(f"partut-{name}", "it", "en", tuple(units[name])) for name in PARTUT_LEGAL]


# --- variants ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A document pair to align, with its gold links (``moved``: those a variant moved)."""

    source: str
    variant: str
    src: tuple[str, ...]
    tgt: tuple[str, ...]
    gold: tuple[Link, ...]
    moved: frozenset[tuple[tuple[int, ...], tuple[int, ...]]] = frozenset()


def assemble(
    source: str,
    variant: str,
    units: Sequence[Unit],
    tgt_order: Sequence[int] | None = None,
    moved: Sequence[int] = (),
) -> Case:
    """A case of ``units``: source sides in order, target sides in ``tgt_order`` (default: in order).

    A null unit of several sentences gives one null link per sentence.
    """
    order = list(range(len(units))) if tgt_order is None else list(tgt_order)
    src: list[str] = []
    src_at: list[tuple[int, ...]] = []
    for u in units:
        src_at.append(tuple(range(len(src), len(src) + len(u.src))))
        src.extend(u.src)
    tgt: list[str] = []
    tgt_at: dict[int, tuple[int, ...]] = {}
    for k in order:
        tgt_at[k] = tuple(range(len(tgt), len(tgt) + len(units[k].tgt)))
        tgt.extend(units[k].tgt)
    gold: list[Link] = []
    moved_links = set()
    for k in range(len(units)):
        s, t = src_at[k], tgt_at.get(k, ())
        if s and t:
            gold.append(Link(s, t, 1.0))
            if k in moved:
                moved_links.add((s, t))
        else:
            gold.extend(Link((i,), (), 1.0) for i in s)
            gold.extend(Link((), (j,), 1.0) for j in t)
    return Case(source, variant, tuple(src), tuple(tgt), tuple(gold), frozenset(moved_links))


def _translated(u: Unit) -> bool:
    return bool(u.src and u.tgt)


def faithful(src: Source, others: Sequence[Source], rng: random.Random) -> list[Case]:
    return [assemble(src.name, "faithful", src.units)]


def summary(src: Source, others: Sequence[Source], rng: random.Random) -> list[Case]:
    keep = rng.uniform(0.5, 0.8)
    units: list[Unit] = []
    for u in src.units:
        if rng.random() < keep:
            units.append(u)
        elif u.src:
            units.append(Unit(u.src, ()))
    return [assemble(src.name, "summary", units)]


def _filler(others: Sequence[Source], rng: random.Random) -> list[str]:
    """Target sentences of an unrelated document, from a random place on."""
    other = rng.choice(list(others))
    sentences = [t for u in other.units for t in u.tgt]
    start = rng.randrange(len(sentences))
    return sentences[start:] + sentences[:start]


def additions(src: Source, others: Sequence[Source], rng: random.Random) -> list[Case]:
    filler = iter(_filler(others, rng))
    n_tgt = sum(len(u.tgt) for u in src.units)
    extra = round(n_tgt * rng.uniform(0.2, 0.4))
    units = list(src.units)
    while extra > 0:
        run = min(extra, rng.randint(1, 4))
        at = rng.randrange(len(units) + 1)
        units[at:at] = [Unit((), (next(filler),)) for _ in range(run)]
        extra -= run
    return [assemble(src.name, "additions", units)]


def moved(src: Source, others: Sequence[Source], rng: random.Random) -> list[Case]:
    units = list(src.units)
    order = list(range(len(units)))
    moved_units: list[int] = []
    for _ in range(2):
        for _attempt in range(100):
            length = rng.randint(2, 5)
            start = rng.randrange(0, len(order) - length)
            run = order[start : start + length]
            if any(k in moved_units or not _translated(units[k]) for k in run):
                continue
            rest = order[:start] + order[start + length :]
            choices = [p for p in range(len(rest) + 1) if abs(p - start) >= 5]
            if not choices:
                continue
            at = rng.choice(choices)
            order = rest[:at] + run + rest[at:]
            moved_units.extend(run)
            break
    return [assemble(src.name, "moved", units, order, moved_units)]


def inside(src: Source, others: Sequence[Source], rng: random.Random) -> list[Case]:
    cases = []
    for _ in range(2):
        size = rng.randint(8, 15)
        start = rng.randrange(0, max(1, len(src.units) - size))
        piece = list(src.units[start : start + size])
        need = 9 * sum(len(u.tgt) for u in piece)  # the rest of a target ten times the piece's
        # The rest of the document's target side, then an unrelated document's if that is short.
        surround = [t for u in src.units[:start] + src.units[start + size :] for t in u.tgt]
        filler = _filler(others, rng)
        surround += filler[: max(0, need - len(surround))]
        begin = rng.randint(0, len(surround) - need)
        window = surround[begin : begin + need]
        cut = rng.randint(0, need)  # the piece sits anywhere in it
        units = [Unit((), (t,)) for t in window[:cut]] + piece + [Unit((), (t,)) for t in window[cut:]]
        cases.append(assemble(src.name, "inside", units))
    return cases


def abridged(src: Source, others: Sequence[Source], rng: random.Random) -> list[Case]:
    drop_src, drop_tgt = rng.uniform(0.1, 0.3), rng.uniform(0.1, 0.3)
    units: list[Unit] = []
    for u in src.units:
        r = rng.random()
        if r < drop_src and u.tgt:
            units.append(Unit((), u.tgt))
        elif r < drop_src + drop_tgt and u.src:
            units.append(Unit(u.src, ()))
        else:
            units.append(u)
    return [assemble(src.name, "abridged", units)]


def unrelated(src: Source, others: Sequence[Source], rng: random.Random) -> list[Case]:
    """The source side against another document's target side (up to :data:`UNRELATED_UNITS`
    units of each): no sentence has a counterpart. Not in the table (its gold has no link);
    ``benchmarks/fit_calibration.py`` fits on it, so that links the search is forced into
    between unrelated texts score low."""
    other = rng.choice(list(others))
    a = [Unit(u.src, ()) for u in src.units[:UNRELATED_UNITS] if u.src]
    b = [Unit((), u.tgt) for u in other.units[:UNRELATED_UNITS] if u.tgt]
    return [assemble(src.name, "unrelated", a + b)]


BUILDERS: dict[str, Callable[[Source, Sequence[Source], random.Random], list[Case]]] = {
    "faithful": faithful,
    "summary": summary,
    "additions": additions,
    "moved": moved,
    "inside": inside,
    "abridged": abridged,
    "unrelated": unrelated,
}


def build_cases(sources: Sequence[Source], variants: Sequence[str], copies: int, seed: int) -> list[Case]:
    """Every variant of every source, ``copies`` times with other random choices (one for faithful)."""
    cases = []
    for k, src in enumerate(sources):
        others = [o for o in sources if o.name != src.name and o.src_lang == src.src_lang]
        for v, name in enumerate(variants):
            for c in range(1 if name == "faithful" else copies):
                rng = random.Random(seed * 1_000_003 + k * 1_009 + v * 101 + c)
                cases.extend(BUILDERS[name](src, others, rng))
    return cases


# --- measuring ---------------------------------------------------------------------------


class VectorCache:
    """The encoder's vectors, kept in a file between runs when one is given (tuning is faster)."""

    def __init__(self, encoder: CachedEncoder, path: Path | None) -> None:
        self.encoder = encoder
        self.path = path
        if path is not None and path.exists():
            with np.load(path, allow_pickle=False) as npz:
                texts = [str(t) for t in npz["texts"]]
                encoder.seed(texts, np.asarray(npz["vectors"], dtype=np.float32))
        self.known = len(encoder._cache)

    def encode(self, texts: Sequence[str]) -> Vectors:
        return self.encoder.encode(texts)

    def save(self) -> None:
        if self.path is None or len(self.encoder._cache) == self.known:
            return
        texts = sorted(self.encoder._cache)
        vectors = np.stack([self.encoder._cache[t] for t in texts])
        with self.path.open("wb") as fh:
            np.savez(fh, texts=np.array(texts), vectors=vectors)


@dataclass
class Tally:
    """Pooled results of one variant."""

    cases: int = 0
    sentences: int = 0
    counts: Counts = field(default_factory=Counts)
    gold: list[list[Link]] = field(default_factory=list)
    pred: list[list[Link]] = field(default_factory=list)
    moved: int = 0
    moved_right: int = 0
    #: Moved sentences whose gold link the faithful text's alignment gets right (in place).
    in_place: int = 0
    in_place_right: int = 0
    seconds: float = 0.0


#: A gold link's sides, as source and target sentence numbers.
LinkKey = tuple[tuple[int, ...], tuple[int, ...]]


def moved_counts(
    moved: Iterable[LinkKey], predicted: set[LinkKey], right_in_place: set[tuple[int, ...]]
) -> tuple[int, int, int, int]:
    """The sentences of the ``moved`` gold links (counted on the source side), those of them
    ``predicted``, and the same two counts for the moved links whose source sentences the
    faithful text's alignment links right (``right_in_place``: the source sides of its right
    links; a moved variant moves target sentences only, so a source side names the same
    gold link in both). The second pair tells what the move costs from what the link costs
    wherever it stands."""
    total = right = in_place = in_place_right = 0
    for link in moved:
        size, hit = len(link[0]), link in predicted
        total += size
        right += size if hit else 0
        if link[0] in right_in_place:
            in_place += size
            in_place_right += size if hit else 0
    return total, right, in_place, in_place_right


def measure(
    cases: Sequence[Case],
    config: AlignConfig,
    vectors: VectorCache,
    misses: list[str] | None = None,
    in_place: dict[str, Case] | None = None,
) -> dict[str, Tally]:
    """Align every case and pool the results per variant; the moved links missed go to
    ``misses`` when it is given (one Markdown table row each). ``in_place``: each source's
    faithful case, aligned once for the moved cases' in-place counts (:func:`moved_counts`)."""
    out: dict[str, Tally] = {}
    right_in_place: dict[str, set[tuple[int, ...]]] = {}

    def aligned(case: Case) -> list[Link]:
        src_vecs, tgt_vecs = vectors.encode(case.src), vectors.encode(case.tgt)
        return align_vectors(src_vecs, tgt_vecs, case.src, case.tgt, config, vectors.encode)

    def right_links(case: Case, pred: Sequence[Link]) -> set[tuple[int, ...]]:
        predicted = {(lk.src, lk.tgt) for lk in pred}
        return {g.src for g in case.gold if g.src and g.tgt and (g.src, g.tgt) in predicted}

    for n, case in enumerate(cases, 1):
        if n % 10 == 0:
            log(f"  {n}/{len(cases)} cases")
        src_vecs, tgt_vecs = vectors.encode(case.src), vectors.encode(case.tgt)
        start = time.perf_counter()
        pred = align_vectors(src_vecs, tgt_vecs, case.src, case.tgt, config, vectors.encode)
        if case.variant == "faithful":
            right_in_place[case.source] = right_links(case, pred)
        tally = out.setdefault(case.variant, Tally())
        tally.seconds += time.perf_counter() - start
        tally.cases += 1
        tally.sentences += len(case.src) + len(case.tgt)
        tally.counts = tally.counts + count(case.gold, pred)
        tally.gold.append(list(case.gold))
        tally.pred.append(pred)
        predicted = {(lk.src, lk.tgt) for lk in pred}
        if case.moved and in_place is not None and case.source not in right_in_place:
            faithful = in_place[case.source]
            right_in_place[case.source] = right_links(faithful, aligned(faithful))
        counts = moved_counts(case.moved, predicted, right_in_place.get(case.source, set()))
        tally.moved += counts[0]
        tally.moved_right += counts[1]
        tally.in_place += counts[2]
        tally.in_place_right += counts[3]
        for link in case.moved:
            if link not in predicted and misses is not None:
                misses.append(_miss(case, link, pred, src_vecs, tgt_vecs))
    return out


def _cell(text: str) -> str:
    """A sentence's start as a Markdown table cell."""
    return text[:60].replace("|", "\\|")


def _miss(
    case: Case,
    link: tuple[tuple[int, ...], tuple[int, ...]],
    pred: Sequence[Link],
    src_vecs: Vectors,
    tgt_vecs: Vectors,
) -> str:
    """A moved gold link the alignment missed: what was predicted for its first source
    sentence, and how close (cosine) its two sides are, against the best other target."""
    s, t = src_vecs[list(link[0])].sum(0), tgt_vecs[list(link[1])].sum(0)
    cos = float(s @ t / (np.linalg.norm(s) * np.linalg.norm(t)))
    others = [j for j in range(len(case.tgt)) if j not in link[1]]
    best = float((tgt_vecs[others] @ src_vecs[link[0][0]]).max()) if others else 0.0
    got = next((lk for lk in pred if link[0][0] in lk.src), None)
    shown = "-" if got is None else f"{list(got.src)}:{list(got.tgt)}{' moved' if got.moved else ''}"
    return (
        f"| {case.source} | {list(link[0])}:{list(link[1])} | {shown} | {cos:.3f} | {best:.3f} | "
        f"{_cell(case.src[link[0][0]])} | {_cell(case.tgt[link[1][0]])} |"
    )


def split_unmatched(gold: Sequence[Link], pred: Sequence[Link]) -> list[Link]:
    """``pred`` with every wrong link whose sentences all have no counterpart in ``gold`` split
    into one null link per sentence: what a perfect cure of "two untranslated sentences
    linked to each other" would give, a ceiling for any such cure (``--ceiling``)."""
    right = {(lk.src, lk.tgt) for lk in gold}
    alone_src = {lk.src[0] for lk in gold if lk.src and not lk.tgt}
    alone_tgt = {lk.tgt[0] for lk in gold if lk.tgt and not lk.src}
    out: list[Link] = []
    for lk in pred:
        unmatched = all(i in alone_src for i in lk.src) and all(j in alone_tgt for j in lk.tgt)
        if lk.src and lk.tgt and (lk.src, lk.tgt) not in right and unmatched:
            out += [Link((i,), (), lk.score) for i in lk.src] + [Link((), (j,), lk.score) for j in lk.tgt]
        else:
            out.append(lk)
    return out


def table(results: dict[str, Tally], variants: Sequence[str], ceiling: bool = False) -> list[str]:
    header = [
        "variant",
        "cases",
        "sentences",
        "strict P",
        "strict R",
        "strict F1",
        "P of links ≥ 0.9 (count)",
    ]
    header += [
        "ECE",
        "moved sentences linked right",
        "of them, where the faithful text's link is right",
        "align time (s)",
    ]
    if ceiling:
        header.append("strict F1, untranslated sentences' links split (ceiling)")
    rows = []
    for name in variants:
        t = results.get(name)
        if t is None:
            continue
        s = scores(t.counts)
        cal = calibration(t.gold, t.pred)
        moved_cell = f"{t.moved_right / t.moved:.3f} ({t.moved_right}/{t.moved})" if t.moved else "-"
        in_place = t.in_place_right, t.in_place
        in_place_cell = (
            f"{in_place[0] / in_place[1]:.3f} ({in_place[0]}/{in_place[1]})" if in_place[1] else "-"
        )
        rows.append(
            [
                name,
                str(t.cases),
                f"{t.sentences:,}",
                f"{s.strict_precision:.3f}",
                f"{s.strict_recall:.3f}",
                f"**{s.strict_f1:.3f}**",
                f"{cal.high_precision:.3f} ({cal.high_count})",
                f"{cal.ece:.3f}",
                moved_cell,
                in_place_cell,
                f"{t.seconds:.1f}",
            ]
        )
        if ceiling:
            split = [split_unmatched(g, p) for g, p in zip(t.gold, t.pred, strict=True)]
            rows[-1].append(f"{scores(pooled_counts(t.gold, split)).strict_f1:.3f}")
    return _md(header, rows)


def _config(pairs: Sequence[str], encoder: str) -> AlignConfig:
    """The encoder's AlignConfig with ``KEY=VALUE`` overrides (numbers as numbers)."""
    fields = {f.name: f for f in dataclasses.fields(AlignConfig)}
    values: dict[str, object] = {}
    for pair in pairs:
        key, _, raw = pair.partition("=")
        if key not in fields:
            raise SystemExit(f"error: --config {pair}: AlignConfig has no field {key!r}")
        default = getattr(AlignConfig(), key)
        values[key] = float(raw) if default is None else type(default)(raw)  # None: a cost not set
    return config_for(encoder, **values)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--copies", type=int, default=3, help="random variants per source and variant")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--config", action="append", default=[], help="AlignConfig override KEY=VALUE")
    parser.add_argument("--encoder", default="e5", help="the sentence encoder (default e5)")
    parser.add_argument("--vectors", type=Path, help="keep the sentence vectors in this .npz between runs")
    parser.add_argument("--by-source", action="store_true", help="also one table per source")
    parser.add_argument("--out", type=Path, help="also write the tables to this Markdown file")
    parser.add_argument("--misses", action="store_true", help="also list the moved links missed")
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="also the strict F1 with every wrong link between sentences that have no counterpart split",
    )
    args = parser.parse_args(argv)
    variants = [v for v in args.variants.split(",") if v]
    unknown = [v for v in variants if v not in BUILDERS]
    if unknown:
        raise SystemExit(f"error: unknown variant(s) {', '.join(unknown)}; choose from {', '.join(VARIANTS)}")
    if not args.eval_dir.is_dir():
        raise SystemExit(f"error: {args.eval_dir}: no such folder; give --eval-dir (../shared/eval)")
    config = _config(args.config, args.encoder)
    sources = textberg_sources(args.eval_dir) + partut_sources(args.eval_dir)
    for s in sources:
        log(f"{s.name}: {len(s.units)} units, {sum(len(u.src) for u in s.units)} source sentences")
    cases = build_cases(sources, variants, args.copies, args.seed)
    vectors = VectorCache(get_encoder(config.encoder), args.vectors)
    log(f"embedding {len({t for c in cases for t in c.src + c.tgt})} distinct sentences")
    misses: list[str] = []
    # Each source's faithful text, for the moved variant's in-place counts (aligned once, and
    # only where the faithful variant is not in the table).
    in_place = {c.source: c for c in build_cases(sources, ["faithful"], 1, args.seed)}
    results = measure(cases, config, vectors, misses, in_place)
    vectors.save()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"aligner {__version__}, Python {platform.python_version()}, {stamp}; {len(sources)} sources "
        f"(Text+Berg dev in two halves, ParTUT legal: {', '.join(PARTUT_LEGAL)}), {args.copies} random "
        f"copies of each variant (seed {args.seed}); encoder {vectors.encoder.name}; "
        f"settings: {', '.join(args.config) or 'default'}",
        "",
        *table(results, variants, args.ceiling),
    ]
    if args.misses:
        head = "| source | gold | predicted (first source sentence) | cosine | best other | source | target |"
        lines += [
            "",
            "Moved links missed (cosine of the gold link's sides, and of its first source sentence",
            "with the nearest other target sentence):",
            "",
            head,
            "| --- | --- | --- | ---: | ---: | --- | --- |",
            *misses,
        ]
    if args.by_source:
        for s in sources:
            mine = measure([c for c in cases if c.source == s.name], config, vectors, in_place=in_place)
            lines += ["", f"{s.name} ({s.src_lang}→{s.tgt_lang})", "", *table(mine, variants)]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
