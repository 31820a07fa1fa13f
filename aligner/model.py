"""The records passed between pipeline stages: small, frozen, typed."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field


def date_fault(date: str) -> str | None:
    """Why ``date`` (``YYYY-MM-DD`` or ``YYYY-MM``, digits) names no real day or month, or None.

    >>> date_fault("2025-11-25") is None, date_fault("2025-13-45"), date_fault("2023-02-29")
    (True, 'there is no month 13', '2023-02 has no day 29')
    """
    year, month, *day = (int(part) for part in date.split("-"))
    if year < 1:
        return "there is no year 0000"
    if not 1 <= month <= 12:
        return f"there is no month {month:02d}"
    if day and not 1 <= day[0] <= calendar.monthrange(year, month)[1]:
        return f"{year}-{month:02d} has no day {day[0]:02d}"
    return None


@dataclass(frozen=True)
class Line:
    """One line of a document, with the verdict of the boilerplate detector.

    ``start``/``end`` are character offsets into :attr:`Document.text`.
    """

    number: int  # 1-based line number in the file
    start: int
    end: int
    boilerplate: str | None = None  # the reason, or None for content


@dataclass(frozen=True)
class Repair:
    """Damage repaired in a document's text on loading (see :mod:`aligner.repair`)."""

    kind: str  # "mojibake" or "markup"
    lines: int  # how many lines had it
    first_line: int  # the first of them (1-based line number in the file)


@dataclass(frozen=True)
class Document:
    """A loaded dispatch.

    ``text`` is the file's text (for a format other than plain text, the text
    extracted from it, one paragraph per line) with line ends normalised to ``\\n``, a
    leading ``date YYYY-MM-DD`` (or ``YYYY-MM``) token lifted into :attr:`date`,
    as written (:func:`date_fault` tells whether it names a real day or month),
    and each line repaired (:mod:`aligner.repair`; what changed the wording is
    in :attr:`repairs`). Each of :attr:`lines` keeps its line number in the file.
    """

    id: str
    text: str
    date: str | None = None
    lines: tuple[Line, ...] = ()
    lang: str | None = None
    lang_confidence: float = 0.0
    repairs: tuple[Repair, ...] = ()
    #: The file's format (``txt``, ``docx``, ``odt``, ``html``, ``pdf``: see
    #: :mod:`aligner.formats`), the extractor that read it, and what extraction did.
    format: str = "txt"
    extractor: str = "text"
    extraction: tuple[tuple[str, int], ...] = ()
    #: The line the date token was on: the text's first line that is not blank.
    date_line: int = 1
    #: The encoding a ``.txt`` file was read as (``utf-8``; ``utf-16`` or ``utf-32`` as its
    #: byte-order mark declares; else the one the caller named). Other formats' extractors
    #: decode their files themselves: ``utf-8``.
    encoding: str = "utf-8"
    #: What reading the file found to tell, as ``(line, message)``: a file that mixes UTF-8
    #: with the encoding the caller named.
    decoding_notes: tuple[tuple[int, str], ...] = ()

    @property
    def content_lines(self) -> tuple[Line, ...]:
        """The non-empty lines that are not boilerplate."""
        return tuple(
            ln for ln in self.lines if ln.boilerplate is None and self.text[ln.start : ln.end].strip()
        )

    @property
    def content_text(self) -> str:
        """The content lines joined by newlines (what language identification reads)."""
        return "\n".join(self.text[ln.start : ln.end] for ln in self.content_lines)

    @property
    def boilerplate_lines(self) -> tuple[Line, ...]:
        """The lines flagged as boilerplate, in document order."""
        return tuple(ln for ln in self.lines if ln.boilerplate is not None)


@dataclass(frozen=True)
class Sentence:
    """A sentence with its place in the document.

    Invariant: ``document.text[start:end] == text``.
    """

    index: int  # 0-based position among the document's sentences
    text: str
    start: int
    end: int
    paragraph: int = 0  # 0-based index of the content line it comes from


@dataclass(frozen=True)
class Review:
    """A reviewer's verdict on a link (see :mod:`aligner.review`)."""

    status: str  # pending | approved | rejected
    changed_at: str | None = None  # ISO 8601 UTC, e.g. 2026-11-21T10:04:05Z
    changed_by: str | None = None
    comment: str = ""


def link_kind(src: tuple[int, ...] | list[int], tgt: tuple[int, ...] | list[int]) -> str:
    """The type of a link with sides ``src`` and ``tgt``, as ``"a-b"`` (``"2-1"``, ``"1-0"``)."""
    return f"{len(src)}-{len(tgt)}"


def is_null_kind(kind: str) -> bool:
    """True for the type of a deletion or insertion (``"1-0"``, ``"0-2"``)."""
    return kind.startswith("0-") or kind.endswith("-0")


class Sides:
    """What a link's two sides tell: its type, and whether one side is empty."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    moved: bool = False  # linked across the document, out of order (aligner.align.find_moved, realign_moved)

    @property
    def kind(self) -> str:
        """The link type as ``"a-b"``, e.g. ``"1-1"``, ``"2-1"``, ``"1-0"``."""
        return link_kind(self.src, self.tgt)

    @property
    def is_null(self) -> bool:
        """True for a deletion or insertion (one side empty)."""
        return not self.src or not self.tgt

    @property
    def label(self) -> str:
        """The type, and whether it was moved: ``"1-1"``, ``"2-1 moved"``."""
        return f"{self.kind} moved" if self.moved else self.kind


@dataclass(frozen=True)
class Link(Sides):
    """A link between source and target sentence indices; ``()`` is an empty side.

    ``review`` is set on links read from a review project; it takes no part in
    comparisons, so a reviewed link equals the aligner's link it came from.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float
    review: Review | None = field(default=None, compare=False)
    moved: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class PairInfo:
    """What an alignment records of its pair besides sentences and links."""

    src_lang: str
    tgt_lang: str
    src_doc: str = ""  # the documents' names
    tgt_doc: str = ""
    date: str | None = None  # the dispatch date (a real day or month), if known
    signature: str = ""  # the settings and versions that made it (aligner.signature)


@dataclass(frozen=True)
class Alignment:
    """The sentences of a document pair and the links between them."""

    source: tuple[Sentence, ...]
    target: tuple[Sentence, ...]
    links: tuple[Link, ...]
    src_lang: str
    tgt_lang: str
    signature: str = ""
    src_doc: str = ""
    tgt_doc: str = ""
    date: str | None = None

    @classmethod
    def of(
        cls, source: Sequence[Sentence], target: Sequence[Sentence], links: Sequence[Link], info: PairInfo
    ) -> Alignment:
        """The alignment of ``source`` and ``target`` by ``links``, recording ``info``."""
        return cls(
            tuple(source),
            tuple(target),
            tuple(links),
            info.src_lang,
            info.tgt_lang,
            info.signature,
            info.src_doc,
            info.tgt_doc,
            info.date,
        )

    def kind_counts(self) -> dict[str, int]:
        """How many links of each type ("1-1", "2-1", "1-0", "1-1 moved"...), sorted by type."""
        counts: dict[str, int] = {}
        for link in self.links:
            counts[link.label] = counts.get(link.label, 0) + 1
        return dict(sorted(counts.items()))

    def source_text(self, link: Link) -> str:
        """The source side of ``link`` as one string (sentences joined by a space)."""
        return " ".join(self.source[i].text for i in link.src)

    def target_text(self, link: Link) -> str:
        """The target side of ``link`` as one string (sentences joined by a space)."""
        return " ".join(self.target[j].text for j in link.tgt)


@dataclass(frozen=True)
class Step:
    """One link of a search path: ``src[i:i+a]`` with ``tgt[j:j+b]``; ``moved``: found
    across the document, out of the path's order."""

    i: int
    a: int
    j: int
    b: int
    moved: bool = False


@dataclass(frozen=True)
class AlignConfig:
    """Every knob of the sentence aligner. The signature is built from it."""

    max_src: int = 4  # largest number of source sentences in one link
    max_tgt: int = 4
    deletion_cost: float = 0.7  # cost of leaving one sentence without counterpart
    insertion_cost: float | None = None  # the same for a target sentence (None: deletion_cost)
    length_weight: float = 0.6  # weight of the length model against the embedding cost
    lexical_weight: float = 0.0  # weight of the lexical (character n-gram) overlap
    joined_weight: float = 0.0  # share of the joined-text embedding in multi-sentence spans
    learned_weight: float = 0.0  # weight of word translations learned from a first pass (aligner.lexicon)
    dictionary_weight: float = 0.0  # weight of a bilingual dictionary's translations (aligner.dictionary)
    dictionary_dir: str = "/usr/share/dictd"  # where the FreeDict dictd files are (Debian's dict-freedict-*)
    type_weight: float = 0.06  # weight of the link-type prior (see aligner.align)
    # A pair whose path with this deletion cost leaves more than unfaithful_share of its
    # sentences unmatched is no faithful translation, and is aligned with it (0 = never).
    unfaithful_share: float = 0.1
    unfaithful_deletion_cost: float = 0.5
    # ...on the sides of such a pair with more than this share of their sentences unmatched;
    # a side with fewer (the source of a text with additions) keeps deletion_cost.
    unfaithful_side_share: float = 0.04
    moved_at: float = 0.6  # links found out of order, across the document, are closer than this (0 = none)
    band: int = 0  # search band half-width in sentences; 0 = chosen from the lengths
    encoder: str = "e5"  # aligner.encode.ENCODERS, or st:MODEL

    @property
    def null_costs(self) -> tuple[float, float]:
        """What a source and what a target sentence without counterpart cost."""
        return self.deletion_cost, self.deletion_cost if self.insertion_cost is None else self.insertion_cost

    def null_cost(self, a: int, b: int) -> float:
        """What leaving ``a`` source and ``b`` target sentences without counterpart costs."""
        deletion, insertion = self.null_costs
        return deletion * a + insertion * b


@dataclass(frozen=True)
class PairConfig:
    """Knobs of document pairing."""

    threshold: float = 0.5  # minimum pairing score to accept a pair
    candidates: int = 8  # nearest neighbours (and shared-key matches) scored per document
    date_window: int = 2  # documents dated further apart (days) are never compared
    src_lang: str = "it"
    tgt_lang: str = "en"


@dataclass(frozen=True)
class DocPair:
    """A paired source and target document with the evidence that paired them."""

    src: str
    tgt: str
    score: float
    evidence: dict[str, float] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Unpaired:
    """A document left without counterpart, and why."""

    doc: str
    reason: str
    best_candidate: str | None = None
    best_score: float | None = None
