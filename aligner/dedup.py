"""Duplicate dispatches: the same story filed twice (or a thousand times) under other names.

Each document gets a :class:`Fingerprint` when it is scanned: a digest of its
normalised text (exact copies) and a MinHash signature of its word shingles
(near copies: a corrected typo, a changed byline, a sentence added). Before
pairing, the documents of each language are grouped by
:func:`group_duplicates` and only the first of each group (by name) is paired;
the others are reported with the document they copy and how similar they are.

Grouping is linear in the number of documents: signatures are bucketed by
bands (locality-sensitive hashing), and each document is compared only with
the first document of each bucket it falls in, never with every other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .score import WORD

#: Words per shingle.
SHINGLE = 5
#: MinHash functions, in bands of :data:`ROWS` (16 bands of 4: documents with
#: Jaccard similarity 0.8 share a band with probability 0.9999, 0.3 with 0.12).
PERMUTATIONS = 64
ROWS = 4
#: Estimated Jaccard similarity of shingles from which two documents are near duplicates.
NEAR = 0.8

#: The hash functions are ``(a * h + b) mod p`` on 32-bit shingle hashes ``h``, with
#: ``a`` and ``b`` drawn below the prime ``p`` < 2^32, so that the sum stays below 2^64 in
#: numpy's unsigned integers and each function orders the shingles at random. (A prime far
#: above the products, such as 2^61 - 1, leaves most functions ordering the shingles by
#: ``h`` alone: every function then picks the same few shingles, and two dispatches
#: that share one sentence of five came out 86 % similar.)
_PRIME = 4_294_967_291  # the largest prime below 2^32
_RNG = np.random.default_rng(20251125)
_A = _RNG.integers(1, _PRIME, PERMUTATIONS, dtype=np.uint64)
_B = _RNG.integers(0, _PRIME, PERMUTATIONS, dtype=np.uint64)


@dataclass(frozen=True)
class Fingerprint:
    """A document's exact digest and MinHash signature."""

    digest: str
    minhash: tuple[int, ...]

    def similarity(self, other: Fingerprint) -> float:
        """1.0 for the same text; otherwise the estimated Jaccard similarity of the
        shingles, at most 0.99 (a few words changed in a long text can leave every
        MinHash value the same: the text is still not the same)."""
        if self.digest == other.digest:
            return 1.0
        same = sum(a == b for a, b in zip(self.minhash, other.minhash, strict=True))
        return min(0.99, same / PERMUTATIONS)


def fingerprint(texts: Iterable[str]) -> Fingerprint:
    """The fingerprint of a document's text (its sentences or lines), case and spacing ignored."""
    words = [w.casefold() for text in texts for w in WORD.findall(text)]
    digest = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:32]
    shingles = {" ".join(words[k : k + SHINGLE]) for k in range(max(1, len(words) - SHINGLE + 1))}
    hashes = np.array(
        [int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=4).digest(), "big") for s in shingles],
        dtype=np.uint64,
    ) % np.uint64(_PRIME)
    # (a * h + b) mod p: below 2^64 as a, b, h < p < 2^32.
    values = (_A[:, None] * hashes[None, :] + _B[:, None]) % np.uint64(_PRIME)
    return Fingerprint(digest, tuple(int(v) for v in values.min(axis=1)))


@dataclass(frozen=True)
class Duplicate:
    """A document set aside as a copy of another (the one of its group that is kept)."""

    file: str
    of: str
    similarity: float


def set_aside_note(copies: Sequence[Duplicate]) -> str:
    """The warning for the document that one group's ``copies`` copy: how many they are,
    how similar (exact copies, similarity 1.0, are said to be such), and that they were set aside."""
    lowest = min(d.similarity for d in copies)
    if lowest >= 1.0:
        how = "have the same words as it (case, spacing and punctuation aside)"
    else:
        how = f"are copies of it or near copies (similarity {lowest:.2f} or more)"
    return (
        f"{len(copies)} other document(s) {how}, such as {copies[0].file}, and were set aside: "
        "only this one is paired; manifest.json lists them under duplicates"
    )


def group_duplicates(docs: Sequence[tuple[str, Fingerprint]], near: float = NEAR) -> list[Duplicate]:
    """The documents of ``docs`` (one language, ``(name, fingerprint)``) that copy another.

    Documents are grouped when exactly the same text or with estimated similarity
    of at least ``near`` (transitively); each group keeps its first document by
    name, and the others are returned, each with that document and its
    similarity to it, sorted by name.
    """
    order = sorted(range(len(docs)), key=lambda k: docs[k][0])
    parent = list(range(len(docs)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:  # the root is the group's first document by name
            first, second = (ra, rb) if docs[ra][0] < docs[rb][0] else (rb, ra)
            parent[second] = first

    first_of: dict[tuple[object, ...], int] = {}
    for k in order:
        fp = docs[k][1]
        keys: list[tuple[object, ...]] = [("digest", fp.digest)]
        keys += [("band", b, fp.minhash[b * ROWS : (b + 1) * ROWS]) for b in range(PERMUTATIONS // ROWS)]
        for key in keys:
            seen = first_of.setdefault(key, k)
            # Documents already in one group are not compared again (copies meet in every band).
            if seen != k and root(seen) != root(k) and docs[seen][1].similarity(fp) >= near:
                union(seen, k)
    out = []
    for k in order:
        r = root(k)
        if r != k:
            out.append(Duplicate(docs[k][0], docs[r][0], round(docs[k][1].similarity(docs[r][1]), 4)))
    return out
