"""The calibration fit's pieces (benchmarks/fit_calibration.py), on made-up documents:
no gold set is read, so these run anywhere."""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import fit_calibration as fit
from stress import Case, Source, Unit, build_cases

from aligner.calibrate import FEATURES, config_for
from aligner.encode import CachedEncoder

DIM = 32


class _MeaningEncoder:
    """A fake encoder: a sentence's vector is its meaning's (the number in it) plus a little
    of its own, so a sentence and its translation are close and two meanings are not."""

    key = "fake"
    name = "fake"
    dim = DIM
    languages = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = []
        for text in texts:
            meaning = int(text.split()[1])
            own = np.random.default_rng(sum(map(ord, text))).normal(size=DIM)
            rows.append(np.random.default_rng(meaning).normal(size=DIM) + 0.3 * own)
        out = np.array(rows, dtype=np.float32).reshape(len(texts), DIM)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _source(name: str, langs: tuple[str, str], first: int, units: int, seed: int) -> Source:
    """A document of ``units`` one-sentence units (some 1-2) whose meanings start at ``first``."""
    rng = random.Random(seed)
    out = []
    for k in range(first, first + units):
        words = " ".join(rng.choice(["alpha", "beta", "gamma", "delta"]) for _ in range(rng.randint(4, 12)))
        src = (f"{langs[0]} {k} {words}.",)
        if rng.random() < 0.15:  # a sentence the translation splits in two
            out.append(Unit(src, (f"{langs[1]} {k} {words}.", f"{langs[1]} {k} {words[::-1]}.")))
        else:
            out.append(Unit(src, (f"{langs[1]} {k} {words}.",)))
    return Source(name, *langs, tuple(out))


@pytest.fixture(scope="module")
def cases() -> list[tuple[Case, fit.Aligned]]:
    sources = [
        _source("textberg-dev-a", ("de", "fr"), 0, 40, 1),
        _source("textberg-dev-b", ("de", "fr"), 1000, 40, 2),
        _source("partut-X", ("it", "en"), 2000, 40, 3),
        _source("partut-Y", ("it", "en"), 3000, 40, 4),
    ]
    encoder = fit.VectorCache(CachedEncoder(_MeaningEncoder()), None)
    config = config_for("e5")
    return [
        (case, fit.align_for_fit(encoder, case.src, case.tgt, {(lk.src, lk.tgt) for lk in case.gold}, config))
        for case in build_cases(sources, ("faithful", "summary", "moved", "unrelated"), 1, 5)
    ]


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["1-1", "1-1", "other", "null"], [1.78, 1.78, 0.4, 0.04]),
        (["1-1", "other"], [0.89 / 0.99 * 2, 0.10 / 0.99 * 2]),  # no null link: the two shares scaled up
        (["1-1", "1-1"], [1.0, 1.0]),
    ],
)
def test_link_types_are_weighted_to_their_published_shares(kinds: list[str], expected: list[float]) -> None:
    assert fit.type_weights(kinds).tolist() == pytest.approx(expected)


def test_each_predicted_link_is_an_example_labelled_by_the_gold(
    cases: list[tuple[Case, fit.Aligned]],
) -> None:
    for _, al in cases:
        ex = al.examples
        assert len(ex.rows) == len(ex.labels) == len(ex.kinds) == len(al.path.steps)
        assert all(len(row) == len(FEATURES) for row in ex.rows)
        right = [
            (tuple(range(s.i, s.i + s.a)), tuple(range(s.j, s.j + s.b))) in al.gold for s in al.path.steps
        ]
        assert ex.labels == [float(r) for r in right]
    faithful = [al for case, al in cases if case.variant == "faithful"]
    # the made-up translations are faithful and clear: the search finds nearly every link
    assert np.mean([v for al in faithful for v in al.examples.labels]) > 0.9


def test_random_wrong_links_are_far_from_the_gold(cases: list[tuple[Case, fit.Aligned]]) -> None:
    dev = next(al for case, al in cases if case.variant == "faithful")
    rows = fit.random_wrong(dev, 30, 1)
    assert len(rows) == 30
    typical = FEATURES.index("typical")
    assert {row[typical] for row in rows} == {dev.examples.rows[0][typical]}
    assert rows == fit.random_wrong(dev, 30, 1)  # seeded


def _pooled(cases: list[tuple[Case, fit.Aligned]]) -> tuple[fit.Examples, fit.Examples, list[fit.Aligned]]:
    """The fit's examples as ``--write`` pools them: the Text+Berg faithful links as dev,
    every case's links as stress; and the Text+Berg faithful alignments."""
    dev, stress = fit.Examples(), fit.Examples()
    devs = [al for case, al in cases if case.variant == "faithful" and case.source.startswith("textberg")]
    for al in devs:
        dev.extend(al.examples)
    for _, al in cases:
        stress.extend(al.examples)
    return dev, stress, devs


def test_the_fitted_scores_tell_right_links_from_wrong(cases: list[tuple[Case, fit.Aligned]]) -> None:
    dev, stress, devs = _pooled(cases)
    wrong = fit.random_wrong(devs[0], 50, 2)
    coef = fit.fit_coefficients(dev, stress, wrong, fit.L2, fit.STRESS_WEIGHT)
    assert set(coef) == set(FEATURES)
    scores = fit.scored(coef, stress)
    right = [s for s, ok in scores if ok]
    wrong_scores = [s for s, ok in scores if not ok]
    assert np.mean(right) > np.mean(wrong_scores) + 0.3
    # in-sample, the fit is calibrated: the mean score is near the share of right links
    assert np.mean([s for s, _ in scores]) == pytest.approx(np.mean(stress.labels), abs=0.05)


def test_a_second_set_is_fitted_on_the_pairs_searched_as_faithful_only(
    cases: list[tuple[Case, fit.Aligned]], monkeypatch: pytest.MonkeyPatch
) -> None:
    dev, stress, devs = _pooled(cases)
    flag = FEATURES.index("unfaithful")
    assert {row[flag] for row in stress.rows} == {0.0, 1.0}  # the made-up variants have both kinds
    wrong = fit.random_wrong(devs[0], 50, 2)
    assert fit.fit_sets(dev, stress, wrong, fit.L2, None, fit.STRESS_WEIGHT)[1] is None
    seen: list[tuple[float, set[float], tuple[str, ...]]] = []
    real_fit = fit.fit_coefficients

    def recording(
        dev: fit.Examples,
        stress: fit.Examples,
        wrong: list[list[float]],
        l2: float,
        sw: float,
        light: tuple[str, ...] = (),
        dev_count: int | None = None,
    ) -> dict[str, float]:
        seen.append((l2, {row[flag] for row in dev.rows + stress.rows}, tuple(light), dev_count))
        return real_fit(dev, stress, wrong, l2, sw, light, dev_count)

    monkeypatch.setattr(fit, "fit_coefficients", recording)
    coef, faithful = fit.fit_sets(dev, stress, wrong, fit.L2, 3.0, fit.STRESS_WEIGHT)
    # the second set's stress links weigh as much against all dev links as the first's
    assert seen == [(fit.L2, {0.0, 1.0}, (), None), (3.0, {0.0}, fit.FAITHFUL_LIGHT, len(dev.rows))]
    assert faithful is not None and faithful != coef
    # each example is scored by its pair's set
    mixed = fit.scored(coef, stress, faithful)
    for row, got, alone, own in zip(
        stress.rows, mixed, fit.scored(coef, stress), fit.scored(faithful, stress), strict=True
    ):
        assert got == (alone if row[flag] else own)


def test_a_dev_document_searched_as_unfaithful_leaves_the_second_set_to_the_stress_links(
    cases: list[tuple[Case, fit.Aligned]],
) -> None:
    """A fold whose Text+Berg links were all searched as unfaithful (``use`` leaves one
    half so): the second set is fitted on the stress links of faithful pairs alone,
    weighing in all what they weigh against the whole dev document in the first set."""
    flag = FEATURES.index("unfaithful")
    dev = next(
        al.examples for case, al in cases if case.variant == "summary" and case.source.startswith("textberg")
    )
    assert dev.rows and all(row[flag] for row in dev.rows)
    _, stress, devs = _pooled(cases)
    wrong = fit.random_wrong(devs[0], 50, 2)
    coef, faithful = fit.fit_sets(dev, stress, wrong, fit.L2, 3.0, fit.STRESS_WEIGHT)
    alone = fit.fit_coefficients(
        fit.Examples(),
        fit.searched_faithful(stress),
        wrong,
        3.0,
        fit.STRESS_WEIGHT * len(dev.rows) / 7,
        fit.FAITHFUL_LIGHT,
        dev_count=7,
    )
    assert faithful == alone  # the same total weight, however it is spelled
    assert faithful != coef
    assert all(np.isfinite(v) for v in faithful.values())


def test_the_cross_validation_table_has_a_row_per_penalty(cases: list[tuple[Case, fit.Aligned]]) -> None:
    lines = fit.cross_validate(cases, ((0.1, None), (3.0, None), (0.1, 3.0)), fit.STRESS_WEIGHT)
    head = [c.strip() for c in lines[0].strip("|").split("|")]
    assert head == [
        "L2",
        "Text+Berg faithful, left out",
        "faithful",
        "summary",
        "moved",
        "unrelated: mean score of its links (all wrong)",
    ]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in lines[2:]]
    assert [row[0] for row in rows] == ["0.1", "3", "0.1; faithful pairs 3 (distance, margin 0.1)"]
    for row in rows:
        assert all(0.0 <= float(cell) <= 1.0 for cell in row[1:])
    confident = fit.cross_validate(cases, ((0.1, None), (0.1, 3.0)), fit.STRESS_WEIGHT, precision=True)
    assert [c.strip() for c in confident[0].strip("|").split("|")] == head[:-1]  # no unrelated column
    for line in confident[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")][1:]
        assert all(cell == "nan" or 0.0 <= float(cell) <= 1.0 for cell in cells)


def test_each_fold_fits_on_the_other_sources_only(
    cases: list[tuple[Case, fit.Aligned]], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[set[int]] = []
    real_fit = fit.fit_coefficients

    def recording(dev: fit.Examples, stress: fit.Examples, *args: object) -> dict[str, float]:
        seen.append({id(row) for row in dev.rows + stress.rows})
        return real_fit(dev, stress, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(fit, "fit_coefficients", recording)
    fit.cross_validate(cases, ((0.1, None),), fit.STRESS_WEIGHT)
    sources = sorted({case.source for case, _ in cases})
    assert len(seen) == len(sources)  # one fit per source left out
    for left_out, rows in zip(sources, seen, strict=True):
        for case, al in cases:
            ids = {id(row) for row in al.examples.rows}
            assert (ids <= rows) == (case.source != left_out)
            assert not (case.source == left_out and ids & rows)


def test_the_light_features_keep_the_small_penalty(cases: list[tuple[Case, fit.Aligned]]) -> None:
    """A strong penalty shrinks every slope but those of ``light``: fitted at 100 with
    ``distance`` light, its slope stays more than twice what it is with every feature held
    back, and ``margin``'s, not light, shrinks."""
    dev, stress, devs = _pooled(cases)
    wrong = fit.random_wrong(devs[0], 50, 2)
    small = fit.fit_coefficients(dev, stress, wrong, fit.L2, fit.STRESS_WEIGHT)
    strong = fit.fit_coefficients(dev, stress, wrong, 100.0, fit.STRESS_WEIGHT)
    light = fit.fit_coefficients(dev, stress, wrong, 100.0, fit.STRESS_WEIGHT, ("distance",))
    assert abs(strong["distance"]) < abs(small["distance"]) / 2
    assert abs(light["distance"]) > abs(strong["distance"]) * 2
    assert abs(light["margin"]) < abs(small["margin"]) / 2  # not light: shrunk


def test_both_cross_validation_tables_come_from_one_fit_per_fold(
    cases: list[tuple[Case, fit.Aligned]], monkeypatch: pytest.MonkeyPatch
) -> None:
    penalties = ((0.1, None), (0.1, 3.0))
    ece, confident = (fit.cross_validate(cases, penalties, fit.STRESS_WEIGHT, p) for p in (False, True))
    calls = 0
    real_fit_sets = fit.fit_sets

    def counting(*args: Any) -> tuple[dict[str, float], dict[str, float] | None]:
        nonlocal calls
        calls += 1
        return real_fit_sets(*args)

    monkeypatch.setattr(fit, "fit_sets", counting)
    results = fit.left_out_outcomes(cases, penalties, fit.STRESS_WEIGHT)
    assert (fit.cv_table(results), fit.cv_table(results, precision=True)) == (ece, confident)
    assert calls == len(penalties) * len({case.source for case, _ in cases})
