"""Link scores: the probability that a link is right, from the link's features.

Each link of the search path is described by a few numbers (:func:`features`):

- ``distance``: its cost per sentence from :class:`~aligner.score.LinkScorer`,
  and ``far``, how far it lies beyond :data:`FAR` (links between unrelated
  sentences: a separate slope, as the search rarely produces them);
- ``margin``: how much worse the best alternative placement of the same source
  span would be (another target span of the same size in the search window); a
  link that wins by a wide margin is rarely wrong;
- ``boundary``: how much more the best path would cost if it cut the link
  differently at either end (another boundary within a few sentences:
  :func:`aligner.align.boundary_margins`); most wrong links are right but for
  one sentence too many or too few, which this margin sees and ``margin``
  does not;
- ``many``: 1 for links other than 1-1 (their boundaries are harder to get
  exactly right), ``null``: 1 for deletions and insertions;
- ``moved``: 1 for a link found out of order (:func:`aligner.align.find_moved`,
  :func:`aligner.align.realign_moved`);
- ``unfaithful``: 1 when the pair was searched as no faithful translation
  (:func:`aligner.align.search_path`), and ``unfaithful_null`` for its null
  links: there, sentences without counterpart are expected;
- ``null_anywhere``: for a null link, how much closer than a deletion the
  sentence's best match anywhere in the other document is (a sentence with a
  good match far away may belong to a paragraph moved and not found);
- ``moved_margin``: for a moved link, how much worse the source side's second
  best match in the whole other document is (legal and repetitive texts have
  near-copies of a sentence in many places);
- ``typical``: the median distance of the pair's links (:func:`path_features`):
  two documents with little or nothing in common are aligned link by link
  between unrelated sentences, and no link of theirs is to be trusted much;
- ``null_join``: for a null link, how close its neighbour link on the path
  would stay with the null link's sentence in it (:data:`JOIN_REACH`,
  :func:`path_features`): a
  sentence split off a genuine 2-1 or 3-1 link, as the search for unfaithful
  translations does when deletions are cheap, is no untranslated sentence.

A logistic model maps them to a probability. Its coefficients, one set per
encoder (``calibration.json`` beside this module, with the search settings
chosen for that encoder), were fitted by ``benchmarks/fit_calibration.py`` on
dev data only (Text+Berg dev, and the stress variants of it and of ParTUT's
legal documents), with "equals a gold link" as the label (the strict
correctness that strict precision counts); the benchmark reports how well they
hold on the test sets (expected calibration error, precision of links scored
0.9 or more). An encoder's entry may hold a second set, ``faithful_coefficients``,
for the links of pairs searched as faithful translations (``unfaithful`` 0),
fitted on those links alone: what tells a right link from a wrong one there is
not what does in an abridged or extended text, and one set for both is too sure
of itself on faithful documents it has not seen.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from .model import AlignConfig, Link, Step
from .score import LinkScorer

FEATURES = (
    "bias", "distance", "far", "margin", "boundary", "many", "null", "moved", "unfaithful", "unfaithful_null",
    "null_anywhere", "moved_margin", "typical", "null_join",
)  # fmt: skip
#: A joined link up to this much farther than the link beside a null link still counts
#: towards ``null_join`` (linearly: 0 at this much farther, 0.9 when as close). A joined
#: link's distance is normalised against larger spans, so it is rarely closer even when
#: right: on the fit's stress variants (dev data), null links whose neighbour would be
#: less than 0.2 farther with them were 29 % wrong, the other null links 1.3 %. Of 0.3,
#: 0.6 and 0.9, 0.9 gave the stress table (another draw) the best precision of links
#: scored 0.9 or more. The same gain seen from the neighbour (a link one sentence short)
#: was tried as a feature too: it raised the other links' baseline, and links between
#: unrelated dispatches came to score above 0.5.
JOIN_REACH = 0.9
#: Distance beyond which a link is between unrelated sentences (the ``far`` feature).
FAR = 0.9


#: The encoder whose calibration an encoder without its own (``st:MODEL``) borrows.
BORROWED_FROM = "e5"


@functools.cache
def _calibrations() -> dict[str, dict[str, Any]]:
    text = resources.files("aligner").joinpath("calibration.json").read_text("utf-8")
    data: dict[str, dict[str, Any]] = json.loads(text)["encoders"]
    return data


def calibrated(encoder_key: str) -> bool:
    """True when the encoder ``encoder_key`` has a calibration fitted for it (``e5``, ``use``)."""
    return encoder_key in _calibrations()


def _entry(encoder_key: str) -> dict[str, Any]:
    return _calibrations().get(encoder_key) or _calibrations()[BORROWED_FROM]


def coefficients(encoder_key: str = "e5", faithful: bool = False) -> dict[str, float]:
    """The logistic coefficients per feature for links of ``encoder_key``'s vectors
    (another encoder's, :data:`BORROWED_FROM`, when it has none); ``faithful``: for a pair
    searched as a faithful translation (the entry's ``faithful_coefficients``, where it
    has them)."""
    entry = _entry(encoder_key)
    data = entry.get("faithful_coefficients", entry["coefficients"]) if faithful else entry["coefficients"]
    return {k: float(data.get(k, 0.0)) for k in FEATURES}


def search_settings(encoder_key: str = "e5") -> dict[str, float]:
    """The :class:`~aligner.model.AlignConfig` settings chosen for ``encoder_key`` on dev
    data (the search costs depend on how the encoder spreads its distances)."""
    return dict(_entry(encoder_key).get("search", {}))


def config_for(encoder_key: str, **settings: Any) -> AlignConfig:
    """An :class:`AlignConfig` for the encoder ``encoder_key``: its own search settings
    (:func:`search_settings`), then ``settings`` over them."""
    return AlignConfig(**{**search_settings(encoder_key), **settings, "encoder": encoder_key})


#: Margin given when no alternative exists (a one-sentence document side).
NO_ALTERNATIVE = 1.0
#: How far (in sentences) alternatives to a link are looked for.
NEIGHBOURHOOD = 10


def features(
    scorer: LinkScorer, i: int, a: int, j: int, b: int, boundary: float, moved: bool = False
) -> dict[str, float]:
    """The features of the link ``src[i:i+a]`` - ``tgt[j:j+b]`` (see the module docstring);
    ``boundary`` is its margin from :func:`aligner.align.boundary_margins`.

    Alternatives are looked for within :data:`NEIGHBOURHOOD` positions, so a
    score does not depend on how wide the search was.
    """
    if a and b:
        dist = scorer.link(a, b, i, j)
        js = _around(j, scorer.m - b)
        js = js[js != j]
        alt = float(scorer.row(a, b, i, js).min()) if len(js) else dist + NO_ALTERNATIVE
        moved_margin = 0.0
        if moved:
            everywhere = scorer.row(a, b, i, np.arange(scorer.m - b + 1))
            everywhere[j] = np.inf
            moved_margin = min(1.0, float(everywhere.min()) - dist) if len(everywhere) > 1 else 1.0
        return {
            "bias": 1.0,
            "distance": dist,
            "far": max(0.0, dist - FAR),
            "margin": alt - dist,
            "boundary": boundary,
            "many": float(a + b > 2),
            "null": 0.0,
            "moved": float(moved),
            "unfaithful": float(scorer.unfaithful),
            "unfaithful_null": 0.0,
            "null_anywhere": 0.0,
            "moved_margin": moved_margin,
            "typical": 0.0,  # set by path_features
            "null_join": 0.0,
        }
    # A null link is as good as the sentence's best 1-1 match nearby is bad.
    cost = scorer.config.null_cost(min(a, 1), min(b, 1))  # one sentence's
    if a:
        best = float(scorer.row(1, 1, i, _around(j, scorer.m - 1)).min()) if scorer.m else NO_ALTERNATIVE
        anywhere = float(scorer.row(1, 1, i, np.arange(scorer.m)).min()) if scorer.m else NO_ALTERNATIVE
    else:
        best = float(scorer.column(1, 1, _around(i, scorer.n - 1), j).min()) if scorer.n else NO_ALTERNATIVE
        anywhere = float(scorer.column(1, 1, np.arange(scorer.n), j).min()) if scorer.n else NO_ALTERNATIVE
    return {
        "bias": 1.0,
        "distance": cost,
        "far": 0.0,
        "margin": best - cost,
        "boundary": boundary,
        "many": 0.0,
        "null": 1.0,
        "moved": 0.0,
        "unfaithful": float(scorer.unfaithful),
        "unfaithful_null": float(scorer.unfaithful),
        "null_anywhere": max(0.0, cost - anywhere),
        "moved_margin": 0.0,
        "typical": 0.0,  # set by path_features
        "null_join": 0.0,  # set by path_features
    }


def _around(centre: int, last: int) -> npt.NDArray[np.int64]:
    """Positions within NEIGHBOURHOOD of ``centre``, clipped to ``0..last``."""
    return np.arange(max(0, centre - NEIGHBOURHOOD), max(0, min(last, centre + NEIGHBOURHOOD)) + 1)


def calibration_id(encoder_key: str = "e5") -> str:
    """A short, stable name of the coefficients ``encoder_key``'s links are scored with,
    for signatures (the faithful pairs' set after ``+faithful:`` where there is one)."""

    def logit(coef: dict[str, float]) -> str:
        return "logit(" + ",".join(f"{coef[k]:g}" for k in FEATURES) + ")"

    name = logit(coefficients(encoder_key))
    if "faithful_coefficients" in _entry(encoder_key):
        name += "+faithful:" + logit(coefficients(encoder_key, faithful=True))
    return name


def probability(feats: dict[str, float], coef: dict[str, float]) -> float:
    """Logistic probability from features and coefficients."""
    z = sum(coef[k] * feats[k] for k in FEATURES)
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def path_features(
    scorer: LinkScorer, steps: Sequence[Step], boundary: Sequence[float]
) -> list[dict[str, float]]:
    """The features of every link of a search path, ``typical`` included (the median
    distance of its links with sentences on both sides; 1.0, unrelated, when it has none)."""
    feats = [features(scorer, s.i, s.a, s.j, s.b, m, s.moved) for s, m in zip(steps, boundary, strict=True)]
    real = [f["distance"] for f, s in zip(feats, steps, strict=True) if s.a and s.b]
    typical = float(np.median(real)) if real else 1.0
    for f in feats:
        f["typical"] = typical
    for k, s in enumerate(steps):
        if s.a and s.b:
            continue
        for n in (k - 1, k + 1):
            gain = _join_gain(scorer, s, steps[n]) if 0 <= n < len(steps) else None
            if gain is not None and gain > -JOIN_REACH:
                feats[k]["null_join"] = max(feats[k]["null_join"], min(1.0, gain + JOIN_REACH))
    return feats


def _join_gain(scorer: LinkScorer, null: Step, other: Step) -> float | None:
    """How much closer (distance) the link ``other`` would be with the null link's sentence
    in it, when ``other`` is a link with both sides right next to it (None otherwise, or
    when the joined link would be larger than the search's largest)."""
    if not (other.a and other.b) or other.moved:
        return None
    config = scorer.config
    if null.a:  # a source sentence without counterpart
        if other.a + 1 > config.max_src or not (other.i + other.a == null.i or null.i + 1 == other.i):
            return None
        joined = scorer.link(other.a + 1, other.b, min(other.i, null.i), other.j)
    else:
        if other.b + 1 > config.max_tgt or not (other.j + other.b == null.j or null.j + 1 == other.j):
            return None
        joined = scorer.link(other.a, other.b + 1, other.i, min(other.j, null.j))
    return scorer.link(other.a, other.b, other.i, other.j) - joined


def link_scores(scorer: LinkScorer, steps: Sequence[Step], boundary: Sequence[float]) -> list[Link]:
    """Turn a search path (and its steps' boundary margins) into links scored
    with the calibrated probability."""
    links = []
    coef = coefficients(scorer.config.encoder, faithful=not scorer.unfaithful)
    for s, f in zip(steps, path_features(scorer, steps, boundary), strict=True):
        src, tgt = tuple(range(s.i, s.i + s.a)), tuple(range(s.j, s.j + s.b))
        links.append(Link(src, tgt, round(probability(f, coef), 4), moved=s.moved))
    return links
