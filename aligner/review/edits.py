"""The reviewer's edits, as pure functions on a pair's list of links.

A pair's links cover its source sentences ``0..m-1`` and target sentences
``0..n-1`` exactly once each, in order (the links are monotonic and contiguous),
but for moved links (a paragraph the translation moved: their target sentences
are elsewhere); every edit keeps that invariant. A moved link can be approved,
rejected, commented, or taken apart with detach (its target sentences then go
back to their place in the target's order); merging and moving sentences across
it are refused. An edit returns a :class:`Change`: the links at
positions ``at .. at+len(before)-1`` are replaced by ``after``. Applying the
change the other way round (``after`` replaced by ``before``) undoes it; the
review store keeps both, which is how undo and redo work.

Links the reviewer made (by merging, splitting, moving or detaching) have no
aligner score (``score is None``) and start as ``pending``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from ..model import Sides

Side = Literal["src", "tgt"]
STATUSES = ("pending", "approved", "rejected")


class EditError(ValueError):
    """An edit that cannot be made here; the message says why and what to do instead."""


@dataclass(frozen=True)
class ReviewLink(Sides):
    """A link as the review holds it: the aligner's link plus the reviewer's verdict."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float | None  # the aligner's calibrated score; None for a link the reviewer made
    status: str = "pending"  # pending | approved | rejected
    comment: str = ""
    changed_at: str | None = None  # ISO 8601 UTC time of the reviewer's last change
    changed_by: str | None = None  # the reviewer who made it
    moved: bool = False  # the aligner linked it out of order (see the module docstring)

    def as_dict(self) -> dict[str, Any]:
        return {
            "src": list(self.src),
            "tgt": list(self.tgt),
            "score": self.score,
            "status": self.status,
            "comment": self.comment,
            "changed_at": self.changed_at,
            "changed_by": self.changed_by,
            "moved": self.moved,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ReviewLink:
        return cls(
            tuple(d["src"]),
            tuple(d["tgt"]),
            d["score"],
            d["status"],
            d["comment"],
            d["changed_at"],
            d["changed_by"],
            bool(d.get("moved", False)),
        )


@dataclass(frozen=True)
class Change:
    """Replace ``before`` (the links at positions ``at``...) by ``after``."""

    at: int
    before: tuple[ReviewLink, ...]
    after: tuple[ReviewLink, ...]


@dataclass(frozen=True)
class Stamp:
    """Who makes an edit, and when (ISO 8601 UTC)."""

    reviewer: str
    at: str


def apply(links: Sequence[ReviewLink], change: Change) -> list[ReviewLink]:
    """``links`` with ``change`` applied; raises if ``before`` is not where it says."""
    end = change.at + len(change.before)
    if tuple(links[change.at : end]) != change.before:
        raise EditError("the links changed since this edit was made")
    return [*links[: change.at], *change.after, *links[end:]]


def revert(change: Change) -> Change:
    """The change that undoes ``change``."""
    return Change(change.at, change.after, change.before)


def _check(links: Sequence[ReviewLink], position: int) -> ReviewLink:
    if not 0 <= position < len(links):
        raise EditError(f"there is no link {position + 1} (this pair has {len(links)})")
    return links[position]


def _new(src: Sequence[int], tgt: Sequence[int], stamp: Stamp, comment: str = "") -> ReviewLink:
    return ReviewLink(tuple(src), tuple(tgt), None, "pending", comment, stamp.at, stamp.reviewer)


def _comments(*links: ReviewLink) -> str:
    return " / ".join(lk.comment for lk in links if lk.comment)


def _not_moved(links: Sequence[ReviewLink], *positions: int) -> None:
    for k in positions:
        if links[k].moved:
            raise EditError(
                f"link {k + 1} was linked out of order (a moved paragraph): approve, reject or comment "
                "on it, or detach its sentences; it cannot be merged or have sentences moved across it"
            )


def merge_next(links: Sequence[ReviewLink], position: int, stamp: Stamp) -> Change:
    """Merge link ``position`` with the link after it."""
    first = _check(links, position)
    if position + 1 >= len(links):
        raise EditError("the last link has no next link to merge with; merge with the previous one")
    _not_moved(links, position, position + 1)
    second = links[position + 1]
    merged = _new(first.src + second.src, first.tgt + second.tgt, stamp, _comments(first, second))
    return Change(position, (first, second), (merged,))


def merge_previous(links: Sequence[ReviewLink], position: int, stamp: Stamp) -> Change:
    """Merge link ``position`` with the link before it."""
    _check(links, position)
    if position == 0:
        raise EditError("the first link has no previous link to merge with; merge with the next one")
    return merge_next(links, position - 1, stamp)


def split(links: Sequence[ReviewLink], position: int, stamp: Stamp) -> Change:
    """Split a multi-sentence link into its sentences, paired in order.

    ``[0, 1]:[0]`` becomes ``[0]:[0]`` and ``[1]:[]``; ``[0, 1]:[0, 1]`` becomes
    two 1-1 links. Merge or move afterwards to regroup them.
    """
    link = _check(links, position)
    if len(link.src) <= 1 and len(link.tgt) <= 1:
        raise EditError(f"link {position + 1} is {link.kind}: only a link with two or more sentences splits")
    _not_moved(links, position)
    pieces = []
    for k in range(max(len(link.src), len(link.tgt))):
        pieces.append(_new(link.src[k : k + 1], link.tgt[k : k + 1], stamp, link.comment if k == 0 else ""))
    return Change(position, (link,), tuple(pieces))


def move(
    links: Sequence[ReviewLink],
    position: int,
    side: Side,
    direction: Literal["next", "previous"],
    stamp: Stamp,
) -> Change:
    """Move one sentence of ``side`` across the boundary with the neighbouring link.

    ``next``: the last sentence of link ``position`` goes to the start of the next
    link. ``previous``: the first sentence goes to the end of the previous link.
    A link left with no sentence on either side disappears.
    """
    link = _check(links, position)
    sentences = getattr(link, side)
    if not sentences:
        name = "source" if side == "src" else "target"
        raise EditError(f"link {position + 1} has no {name} sentence to move")
    if direction == "next":
        if position + 1 >= len(links):
            raise EditError("the last link has no next link; a sentence can only move up from here")
        _not_moved(links, position, position + 1)
        other = links[position + 1]
        moved, kept = sentences[-1:], sentences[:-1]
        new_other = _new(*_sides(other, side, moved + getattr(other, side)), stamp, other.comment)
        new_link = _new(*_sides(link, side, kept), stamp, link.comment)
        pair = (new_link, new_other)
        start = position
    else:
        if position == 0:
            raise EditError("the first link has no previous link; a sentence can only move down from here")
        _not_moved(links, position - 1, position)
        other = links[position - 1]
        moved, kept = sentences[:1], sentences[1:]
        new_other = _new(*_sides(other, side, getattr(other, side) + moved), stamp, other.comment)
        new_link = _new(*_sides(link, side, kept), stamp, link.comment)
        pair = (new_other, new_link)
        start = position - 1
    after = tuple(lk for lk in pair if lk.src or lk.tgt)
    return Change(start, (links[start], links[start + 1]), after)


def _sides(
    link: ReviewLink, side: Side, sentences: tuple[int, ...]
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return (sentences, link.tgt) if side == "src" else (link.src, sentences)


def detach(links: Sequence[ReviewLink], position: int, side: Side, sentence: int, stamp: Stamp) -> Change:
    """Mark ``sentence`` (of ``side``, in link ``position``) as having no counterpart.

    The sentence becomes a link of its own (1-0 or 0-1), placed before the rest
    of the link if it was the first sentence of its side, after it if it was the
    last. A sentence in the middle of a link cannot leave it without breaking the
    order: split the link first.
    """
    link = _check(links, position)
    sentences: tuple[int, ...] = getattr(link, side)
    if sentence not in sentences:
        raise EditError(f"sentence {sentence + 1} is not in link {position + 1}")
    if link.is_null:
        raise EditError(f"link {position + 1} already has no counterpart")
    if link.moved:
        return _detach_moved(links, position, side, sentence, stamp)
    alone = _new((sentence,), (), stamp) if side == "src" else _new((), (sentence,), stamp)
    rest_sentences = tuple(s for s in sentences if s != sentence)
    rest = _new(*_sides(link, side, rest_sentences), stamp, link.comment)
    if len(sentences) == 1:  # a 1-1 link falls apart: the source side goes first, as in aligner output
        after = (alone, rest) if side == "src" else (rest, alone)
    elif sentence == sentences[0]:
        after = (alone, rest)
    elif sentence == sentences[-1]:
        after = (rest, alone)
    else:
        raise EditError(
            f"sentence {sentence + 1} is in the middle of link {position + 1}; split the link first"
        )
    return Change(position, (link,), after)


def _detach_moved(
    links: Sequence[ReviewLink], position: int, side: Side, sentence: int, stamp: Stamp
) -> Change:
    """Detach a sentence from a moved link: a source sentence stays where its link is (the
    links follow the source's order); a target sentence with no counterpart goes back to
    its place in the target's order, and so does the rest of the link if no source
    sentence is left in it. What keeps sentences on both sides stays a moved link."""
    link = links[position]
    src = tuple(i for i in link.src if not (side == "src" and i == sentence))
    tgt = tuple(j for j in link.tgt if not (side == "tgt" and j == sentence))
    here: list[ReviewLink] = []
    elsewhere: list[int] = []  # target sentences left without counterpart
    if side == "src":
        here.append(_new((sentence,), (), stamp))
    else:
        elsewhere.append(sentence)
    if src and tgt:
        here.append(replace(_new(src, tgt, stamp, link.comment), moved=True))
    else:
        here += [_new((i,), (), stamp) for i in src]
        elsewhere += tgt
    if side == "src":
        here.sort(key=lambda lk: lk.src[0])
    rest = [*links[:position], *here, *links[position + 1 :]]
    for j in sorted(elsewhere):
        # before the first link in the target's order whose target sentences come after j
        k = next(
            (k for k, lk in enumerate(rest) if lk.tgt and not lk.moved and lk.tgt[0] > j),
            len(rest),
        )
        rest.insert(k, _new((), (j,), stamp))
    lo = next(k for k in range(len(links)) if k >= len(rest) or links[k] is not rest[k])
    hi_old, hi_new = len(links), len(rest)
    while hi_old > lo and hi_new > lo and links[hi_old - 1] is rest[hi_new - 1]:
        hi_old, hi_new = hi_old - 1, hi_new - 1
    return Change(lo, tuple(links[lo:hi_old]), tuple(rest[lo:hi_new]))


def set_status(links: Sequence[ReviewLink], position: int, status: str, stamp: Stamp) -> Change:
    """Approve, reject, or reset (``pending``) link ``position``."""
    if status not in STATUSES:
        raise EditError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    link = _check(links, position)
    return Change(
        position, (link,), (replace(link, status=status, changed_at=stamp.at, changed_by=stamp.reviewer),)
    )


def comment(links: Sequence[ReviewLink], position: int, text: str, stamp: Stamp) -> Change:
    """Set the comment of link ``position`` (an empty text removes it)."""
    link = _check(links, position)
    return Change(
        position,
        (link,),
        (replace(link, comment=text.strip(), changed_at=stamp.at, changed_by=stamp.reviewer),),
    )


def check_cover(links: Sequence[ReviewLink], n_src: int, n_tgt: int) -> None:
    """Raise unless ``links`` cover sources ``0..n_src-1`` and targets ``0..n_tgt-1`` once
    each, in order (the target sentences of moved links aside, which may be anywhere)."""
    src = [i for lk in links for i in lk.src]
    in_order = [j for lk in links if not lk.moved for j in lk.tgt]
    every = sorted(j for lk in links for j in lk.tgt)
    if src != list(range(n_src)) or every != list(range(n_tgt)) or in_order != sorted(in_order):
        raise EditError("the links do not cover the sentences once each, in order")
    if any(not lk.src and not lk.tgt for lk in links):
        raise EditError("a link has no sentence on either side")
