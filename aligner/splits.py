"""Train, validation and test splits by document, so that no story is in two of them.

A pair's split is decided by a hash of its document's name (the source
document's stem): the same document lands in the same split on every machine and
whatever else the corpus holds, so a split stays stable as the corpus grows.
Documents that are near copies of each other (the same dispatch filed twice, a
sentence changed) share the split of the first of their group: a run's stored
documents carry a MinHash fingerprint (:mod:`aligner.dedup`), grouped here at a
looser similarity than the run's duplicate detection, since a test set must not
hold a story the model was trained on even in another edition.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .dedup import Fingerprint, group_duplicates
from .errors import ConfigError

#: Documents at least this similar (estimated Jaccard of their word shingles) share a split.
SPLIT_NEAR = 0.5
_NAME = re.compile(r"[a-z][a-z0-9_-]*")


@dataclass(frozen=True)
class Splits:
    """Named shares that sum to 1, in the order given: ``train=0.98,valid=0.01,test=0.01``."""

    shares: tuple[tuple[str, float], ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.shares)

    def of(self, key: str) -> str:
        """The split of the document ``key``: where its hash falls in the shares."""
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8, person=b"aligner-split").digest()
        point = int.from_bytes(digest, "big") / 2**64
        total = 0.0
        for name, share in self.shares:
            total += share
            if point < total:
                return name
        return self.shares[-1][0]

    def __str__(self) -> str:
        return ",".join(f"{name}={share:g}" for name, share in self.shares)


def parse_splits(spec: str) -> Splits:
    """``train=0.98,valid=0.01,test=0.01`` as :class:`Splits`.

    :raises ConfigError: a malformed part, a repeated or bad name, a share not in (0, 1],
        or shares that do not sum to 1.
    """
    shares: list[tuple[str, float]] = []
    for part in spec.split(","):
        name, sep, value = part.strip().partition("=")
        try:
            share = float(value)
        except ValueError:
            share = -1.0
        if not sep or not _NAME.fullmatch(name) or not 0 < share <= 1:
            raise ConfigError(
                f"--split {spec!r}: {part.strip()!r} is not NAME=SHARE with a lower-case name and a share "
                "in (0, 1]; write e.g. --split train=0.98,valid=0.01,test=0.01"
            )
        if name in dict(shares):
            raise ConfigError(f"--split {spec!r}: the split {name!r} is named twice")
        shares.append((name, share))
    total = sum(share for _, share in shares)
    if abs(total - 1.0) > 1e-6:
        raise ConfigError(f"--split {spec!r}: the shares sum to {total:g}, not 1; adjust them")
    return Splits(tuple(shares))


def document_keys(documents: Sequence[str], fingerprints: Mapping[str, Fingerprint]) -> dict[str, str]:
    """Each document's split key: its stem, or the stem of the first document of its
    group of near copies (``fingerprints`` where known; :data:`SPLIT_NEAR`)."""
    known = [(d, fingerprints[d]) for d in sorted(set(documents)) if d in fingerprints]
    first = {dup.file: dup.of for dup in group_duplicates(known, SPLIT_NEAR)}
    return {d: Path(first.get(d, d)).stem for d in documents}
