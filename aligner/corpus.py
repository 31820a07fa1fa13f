"""Training corpora from aligned dispatches: filters, deduplication, summaries.

What ML pipelines take in (../shared/FACTS.md section 7): sentence pairs, each
with its score and the document pair it came from. A corpus is built in
steps, each a stream of pairs (:class:`CorpusBuilder` chains them):

1. :func:`run_pairs` reads the run's TSV files, one at a time, into
   :class:`TrainingPair` records (null links are not in them), or
   :func:`read_bilingual_pairs` a TMX or XLIFF file's units (:mod:`aligner.bilingual`);
2. :class:`FilterChain` scores every pair with each filter and drops those a
   filter rejects, counting per filter (OpusFilter's "score, then decide"); a
   filter may also measure the pair (the language filter: each side's
   language probability, which the records carry);
3. :class:`Deduplicator` drops exact duplicates (same text after white space
   normalisation) and near duplicates (same text once case, accents,
   punctuation, digits and white space are ignored), keeping the first
   occurrence. It keeps 8-byte digests, not texts, so memory stays small.

The writers live in :mod:`aligner.export.training`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .bilingual import UNSCORED, BilingualFile, language_code, read_bilingual
from .errors import InputError
from .langid import assess, known
from .score import untranslated
from .workdir import RunFolder


@dataclass(frozen=True)
class TrainingPair:
    """One sentence pair of a training corpus."""

    src: str
    tgt: str
    score: float
    doc: str  # the document pair, "<source file>|<target file>"
    kind: str = "1-1"
    src_sentences: tuple[int, ...] = ()  # the link's sentences in each document (0-based), where known
    tgt_sentences: tuple[int, ...] = ()
    date: str | None = None  # the dispatch's date, where known
    # Its place among its document pair's units as read (all of them, before any filter):
    unit: str = ""  # "<pair stem>:<k>", k from 1: unique in the run, the same whatever the filters
    before: str = ""  # the source of the unit read before it and after it (context), if any
    after: str = ""
    # Each side's probability of being in its language, once measured (:func:`measure_language`).
    src_lid: float | None = None
    tgt_lid: float | None = None

    def to_tuple(self) -> tuple[Any, ...]:
        """The fields in order (for a compact spool: ``TrainingPair(*pair.to_tuple())``)."""
        return (
            self.src,
            self.tgt,
            self.score,
            self.doc,
            self.kind,
            self.src_sentences,
            self.tgt_sentences,
            self.date,
            self.unit,
            self.before,
            self.after,
            self.src_lid,
            self.tgt_lid,
        )


def placed(pairs: Iterable[TrainingPair]) -> Iterator[TrainingPair]:
    """``pairs`` (a document pair's together, in order) each with its place
    (:attr:`TrainingPair.unit`) and context: the source texts of its neighbours in the
    same document pair. Reads one pair ahead."""
    it = iter(pairs)
    current = next(it, None)
    doc, count, before = "", 0, ""
    while current is not None:
        following = next(it, None)
        if current.doc != doc:
            doc, count, before = current.doc, 0, ""
        count += 1
        after = following.src if following is not None and following.doc == doc else ""
        source, _, target = doc.partition("|")
        stem = f"{Path(source).stem}__{Path(target).stem}" if target else Path(source).stem
        c = current  # built whole: dataclasses.replace() is several times slower
        yield TrainingPair(
            c.src,
            c.tgt,
            c.score,
            c.doc,
            c.kind,
            c.src_sentences,
            c.tgt_sentences,
            c.date,
            f"{stem}:{count}",
            before,
            after,
        )
        before = current.src
        current = following


# ---- filters: name -> predicate factory -------------------------------------------


Predicate = Callable[[TrainingPair], bool]
#: A filter: a predicate, or a measure that also gives the pair with what it measured.
Filter = Callable[[TrainingPair], "bool | tuple[bool, TrainingPair]"]


def translated() -> Predicate:
    """Keep pairs whose two sides are not the same text (:func:`aligner.score.untranslated`)."""
    return lambda p: not untranslated(p.src, p.tgt)


def min_score(threshold: float) -> Predicate:
    """Keep pairs whose link score is at least ``threshold``."""
    return lambda p: p.score >= threshold


def length_ratio(maximum: float) -> Predicate:
    """Keep pairs whose longer side has at most ``maximum`` times the characters of the shorter."""
    return lambda p: max(len(p.src), len(p.tgt)) <= maximum * max(1, min(len(p.src), len(p.tgt)))


def max_length(words: int) -> Predicate:
    """Keep pairs with at most ``words`` words on each side."""
    return lambda p: len(p.src.split()) <= words and len(p.tgt.split()) <= words


def language(src_lang: str, tgt_lang: str, min_confidence: float = 0.5) -> Predicate:
    """Keep pairs whose sides are identified as ``src_lang`` and ``tgt_lang`` (a locale,
    ``it-IT``, is its language, ``it``).

    A side whose language cannot be told (too short: identification below
    ``min_confidence``) is given the benefit of the doubt, since a bare name or
    number is the same in both languages; so is a side in a language the
    identifier does not know (it would never name it).
    """
    measure = measure_language(src_lang, tgt_lang, min_confidence)
    return lambda p: measure(p)[0]


def measure_language(
    src_lang: str, tgt_lang: str, min_confidence: float = 0.5
) -> Callable[[TrainingPair], tuple[bool, TrainingPair]]:
    """What :func:`language` decides of a pair, and the pair with each side's probability of
    being in its language (:attr:`TrainingPair.src_lid`, what a record carries), from one
    pass of the identifier per side."""

    def side(lang: str) -> Callable[[str], tuple[bool, float]]:
        expected = language_code(lang)
        knows = known(expected)

        def judge(text: str) -> tuple[bool, float]:
            guess, prob = assess(text, expected)
            return not knows or guess.lang == expected or guess.confidence < min_confidence, prob

        return judge

    src_side, tgt_side = side(src_lang), side(tgt_lang)

    def measure(pair: TrainingPair) -> tuple[bool, TrainingPair]:
        (src_ok, src_lid), (tgt_ok, tgt_lid) = src_side(pair.src), tgt_side(pair.tgt)
        p = pair
        measured = TrainingPair(
            p.src,
            p.tgt,
            p.score,
            p.doc,
            p.kind,
            p.src_sentences,
            p.tgt_sentences,
            p.date,
            p.unit,
            p.before,
            p.after,
            round(src_lid, 4),
            round(tgt_lid, 4),
        )
        return src_ok and tgt_ok, measured

    return measure


@dataclass
class FilterChain:
    """Filters applied in order; counts how many pairs each one dropped. A filter that
    measures (:data:`Filter`) passes the measured pair on."""

    filters: list[tuple[str, Filter]]
    dropped: Counter[str] = field(default_factory=Counter)
    seen: int = 0
    samples: dict[str, list[TrainingPair]] = field(default_factory=dict)  # the first dropped, per filter

    def __call__(self, pairs: Iterable[TrainingPair]) -> Iterator[TrainingPair]:
        for pair in pairs:
            self.seen += 1
            for name, check in self.filters:
                verdict = check(pair)
                keep, measured = verdict if isinstance(verdict, tuple) else (verdict, pair)
                if not keep:
                    self.dropped[name] += 1
                    _sample(self.samples, name, pair)
                    break
                pair = measured
            else:
                yield pair


#: How many dropped pairs of each filter are kept for a preview (the first ones, in run order).
SAMPLE = 20


def _sample(samples: dict[str, list[TrainingPair]], name: str, pair: TrainingPair) -> None:
    kept = samples.setdefault(name, [])
    if len(kept) < SAMPLE:
        kept.append(pair)


_NON_WORD = re.compile(r"[\W\d_]+", re.UNICODE)


def exact_key(pair: TrainingPair) -> tuple[str, str]:
    """The pair's texts with white space normalised."""
    return (" ".join(pair.src.split()), " ".join(pair.tgt.split()))


def near_key(pair: TrainingPair) -> tuple[str, str]:
    """The pair's texts with case, accents, punctuation, digits and white space ignored."""

    def norm(text: str) -> str:
        # accents come apart as combining marks (NFKD), which are not word characters
        return _NON_WORD.sub("", unicodedata.normalize("NFKD", text.casefold()))

    return (norm(pair.src), norm(pair.tgt))


def _digest(key: tuple[str, str]) -> bytes:
    return hashlib.blake2b("\t".join(key).encode("utf-8"), digest_size=8).digest()


@dataclass
class Deduplicator:
    """Drops pairs seen before, exactly or nearly; counts each kind."""

    near: bool = True
    dropped: Counter[str] = field(default_factory=Counter)
    samples: dict[str, list[TrainingPair]] = field(default_factory=dict)  # the first dropped, per kind
    _exact: set[bytes] = field(default_factory=set)
    _near: set[bytes] = field(default_factory=set)

    def __call__(self, pairs: Iterable[TrainingPair]) -> Iterator[TrainingPair]:
        for pair in pairs:
            key = _digest(exact_key(pair))
            if key in self._exact:
                self.dropped["exact_duplicate"] += 1
                _sample(self.samples, "exact_duplicate", pair)
                continue
            self._exact.add(key)
            if self.near:
                nkey = _digest(near_key(pair))
                if nkey in self._near:
                    self.dropped["near_duplicate"] += 1
                    _sample(self.samples, "near_duplicate", pair)
                    continue
                self._near.add(nkey)
            yield pair


@dataclass(frozen=True)
class CorpusConfig:
    """The filter settings of a training corpus."""

    min_score: float = 0.5
    max_ratio: float = 3.0
    max_words: int = 250
    lang_check: bool = True
    dedup: bool = True
    drop_untranslated: bool = True


@dataclass(frozen=True)
class CorpusSummary:
    """How a corpus was built: pairs read, dropped by each filter (in order), kept."""

    languages: tuple[str, str]
    input_pairs: int
    dropped: dict[str, int]
    kept: int
    settings: CorpusConfig
    #: The first dropped pairs of each filter (:data:`SAMPLE` at most), for a preview.
    samples: dict[str, list[TrainingPair]] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (``export-summary.json``)."""
        return {
            "languages": list(self.languages),
            "input_pairs": self.input_pairs,
            "dropped": self.dropped,
            "kept": self.kept,
            "settings": asdict(self.settings),
        }


class CorpusBuilder:
    """The filters and the deduplication of a corpus, as a stream: call it with the pairs
    (an iterable, read as it goes) and it yields the kept ones; :meth:`summary` then says
    how many each filter dropped. Memory holds the duplicate digests and the previews, not
    the pairs."""

    def __init__(self, config: CorpusConfig, src_lang: str, tgt_lang: str) -> None:
        self.config = config
        self.languages = (src_lang, tgt_lang)
        filters: list[tuple[str, Filter]] = (
            [("untranslated", translated())] if config.drop_untranslated else []
        )
        filters += [
            ("min_score", min_score(config.min_score)),
            ("length_ratio", length_ratio(config.max_ratio)),
            ("max_length", max_length(config.max_words)),
        ]
        if config.lang_check:
            # It also measures what each record carries: each side's language probability
            # (one pass of the identifier per side, not two).
            filters.append(("language", measure_language(src_lang, tgt_lang)))
        self.chain = FilterChain(filters)
        self.dedupe = Deduplicator()
        self.kept = 0

    def __call__(self, pairs: Iterable[TrainingPair]) -> Iterator[TrainingPair]:
        filtered = self.chain(pairs)
        for pair in self.dedupe(filtered) if self.config.dedup else filtered:
            self.kept += 1
            yield pair

    def summary(self) -> CorpusSummary:
        """What the pairs read so far came to."""
        dropped = {name: self.chain.dropped[name] for name, _ in self.chain.filters}
        samples = dict(self.chain.samples)
        if self.config.dedup:
            dropped |= {k: self.dedupe.dropped[k] for k in ("exact_duplicate", "near_duplicate")}
            samples |= self.dedupe.samples
        return CorpusSummary(self.languages, self.chain.seen, dropped, self.kept, self.config, samples)


@dataclass(frozen=True)
class RunPairs:
    """The sentence pairs of an ``aligner run`` (or ``review-export``) output folder, read
    one pair's TSV file at a time as they are iterated (:func:`run_pairs`)."""

    folder: Path
    languages: tuple[str, str]
    #: Each pair's documents, ``"<source>|<target>"``, in run order.
    documents: tuple[str, ...]
    _files: tuple[tuple[str, str | None], ...]  # each pair's TSV and links files
    _dates: tuple[str | None, ...]

    def __iter__(self) -> Iterator[TrainingPair]:
        run = RunFolder(self.folder)
        for doc, (name, links_name), date in zip(self.documents, self._files, self._dates, strict=True):
            links = _link_sentences(run, links_name)
            path = run.output_path(name)
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as err:
                raise InputError(path, f"cannot be read ({err.strerror})", "Rerun `aligner run`.") from None
            for number, line in enumerate(text.splitlines(), start=1):
                fields = line.split("\t")
                if len(fields) != 4:
                    raise InputError(
                        path,
                        f"expected 4 tab-separated fields, found {len(fields)}",
                        "The file is not an `aligner run` TSV; rerun the alignment.",
                        line=number,
                    )
                try:
                    score = float(fields[2])
                except ValueError:
                    raise InputError(
                        path, f"score {fields[2]!r} is not a number", "Rerun `aligner run`.", number
                    ) from None
                sides = _next_link(links, fields[2])
                yield TrainingPair(fields[0], fields[1], score, doc, fields[3], *sides, date)


def run_pairs(folder: Path) -> RunPairs:
    """The pairs of the run in ``folder``: the TSV file of every pair its manifest lists,
    read when iterated.

    :raises InputError: the manifest cannot be read, or a pair has no TSV file, naming it;
        a file that is missing or not what the run wrote, naming it (and the line), when
        the pairs are read.
    """
    run = RunFolder(folder)
    manifest = run.read_manifest()
    src_lang, tgt_lang = manifest.languages
    dates = {d.file: d.date for d in manifest.documents if d.date}
    documents, files, pair_dates = [], [], []
    for entry in manifest.pairs:
        name = entry.files.get("tsv")
        if name is None:
            raise InputError(
                run.manifest_path,
                f"the pair {entry.source} + {entry.target} has no TSV file",
                f"Rerun `aligner run` on its input with --out {folder} --force and tsv among its "
                "--format (the default formats include it), then export again; the documents "
                "the run stored in its work folder are not embedded again.",
            )
        documents.append(f"{entry.source}|{entry.target}")
        files.append((name, entry.files.get("links")))
        pair_dates.append(dates.get(entry.source) or dates.get(entry.target))
    languages = corpus_languages(src_lang or "it", tgt_lang or "en")
    return RunPairs(folder, languages, tuple(documents), tuple(files), tuple(pair_dates))


def _link_sentences(
    run: RunFolder, name: str | None
) -> Iterator[tuple[str, tuple[int, ...], tuple[int, ...]]]:
    """The links of a pair's links file with both sides, in order: (score as the TSV
    writes it, source sentences, target sentences); none when there is no such file."""
    from .export.links import read_links

    if name is None or not run.output_path(name).is_file():
        return iter(())
    path = run.output_path(name)
    links = read_links(path.read_text(encoding="utf-8").splitlines(), str(path))
    return iter([(f"{lk.score:.4f}", tuple(lk.src), tuple(lk.tgt)) for lk in links if lk.src and lk.tgt])


def _next_link(
    links: Iterator[tuple[str, tuple[int, ...], tuple[int, ...]]], score: str
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The sentences of the next link scored ``score`` (the TSV's units are the links file's
    units with both sides, in order, less those below a run's --min-score)."""
    for shown, src, tgt in links:
        if shown == score:
            return src, tgt
    return (), ()


def corpus_languages(src: str, tgt: str) -> tuple[str, str]:
    """The languages a corpus names its sides by (``corpus.<lang>``, the JSON Lines keys): the
    languages of the two locales (``it-IT`` -> ``it``), or the locales themselves where both
    are of one language (``en-US`` and ``en-GB``), so the two sides keep apart."""
    codes = language_code(src), language_code(tgt)
    return codes if codes[0] != codes[1] else (src, tgt)


def read_bilingual_pairs(
    path: Path, src_lang: str | None = None, tgt_lang: str | None = None
) -> tuple[BilingualFile, list[TrainingPair]]:
    """The units of the TMX or XLIFF file ``path`` as sentence pairs
    (:func:`aligner.bilingual.read_bilingual`; ``src_lang`` and ``tgt_lang`` choose a TMX's
    languages), each with the file's name as its document and its own score, or
    :data:`UNSCORED` when it has none.

    :raises InputError: the file cannot be used, naming it (and the line).
    """
    file = read_bilingual(path, src_lang, tgt_lang)
    pairs = [
        TrainingPair(u.source, u.target, UNSCORED if u.score is None else u.score, path.name)
        for u in file.units
    ]
    return file, pairs
