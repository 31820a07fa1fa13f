"""``aligner evaluate`` and ``calibration()`` on small files worked out by hand.

The main example (one document, four predicted links):

    gold                pred
    [0]:[0]             [0]:[0]:0.95      right
    [1, 2]:[1]          [1, 2]:[1]:0.55   right
    [3]:[]              [3, 4]:[2]:0.90   wrong (lax-right: shares 4-2 with [4]:[2])
    [4]:[2]             []:[3]:0.15       wrong (no such insertion in the gold)

Strict P = 2/4, R = 2/3 (gold links without nulls: [0]:[0], [1, 2]:[1], [4]:[2]),
F1 = 4/7. Lax P = 3/4, R = 3/3, F1 = 6/7.
Calibration, 10 bins: bin [0.9, 1.0] holds 0.95 and 0.90 (mean 0.925, accuracy
1/2), bin [0.5, 0.6) holds 0.55 (accuracy 1), bin [0.1, 0.2) holds 0.15
(accuracy 0). ECE = 2/4 * 0.425 + 1/4 * 0.45 + 1/4 * 0.15 = 0.3625.
Links scored >= 0.9: 2, precision 1/2.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aligner_cli.common import BAD_INPUT, OK, USAGE
from aligner_cli.main import app
from typer.testing import CliRunner

from aligner.evaluate import calibration, evaluate
from aligner.model import Link

from .test_evaluate import G

runner = CliRunner()

GOLD_A = "[0]:[0]\n[1, 2]:[1]\n[3]:[]\n[4]:[2]\n"
PRED_A = "[0]:[0]:0.95\n[1, 2]:[1]:0.55\n[3, 4]:[2]:0.90\n[]:[3]:0.15\n"
# A second document: [1]:[1, 2] is strict-wrong, lax-right (it shares 1-2 with [1]:[2]).
GOLD_B = "[0]:[0]\n[]:[1]\n[1]:[2]\n"
PRED_B = "[0]:[0]:0.97\n[1]:[1, 2]:0.40\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _invoke(*args: str | Path):
    return runner.invoke(app, ["evaluate", *(str(a) for a in args)])


# --- the command -----------------------------------------------------------------


def test_text_report_one_document(tmp_path: Path) -> None:
    g, p = _write(tmp_path, "a.gold", GOLD_A), _write(tmp_path, "a.links", PRED_A)
    res = _invoke("--gold", g, "--pred", p)
    assert res.exit_code == OK, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == "1 file pair(s): 4 gold link(s) (3 not null), 4 predicted link(s)"
    assert lines[3].split() == ["strict", "0.5000", "0.6667", "0.5714"]
    assert lines[4].split() == ["lax", "0.7500", "1.0000", "0.8571"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[7:12]}
    assert lines[7].split()[0] == "type"
    # type: gold pred, strict P R F1, lax P R F1 (recall and F1 undefined for null links)
    assert rows["0-1"] == ["0", "1", "0.0000", "-", "-", "0.0000", "-", "-"]
    assert rows["1-0"] == ["1", "0", "0.0000", "-", "-", "0.0000", "-", "-"]
    assert rows["1-1"] == ["2", "1", "1.0000", "0.5000", "0.6667", "1.0000", "1.0000", "1.0000"]
    assert rows["2-1"] == ["1", "2", "0.5000", "1.0000", "0.6667", "1.0000", "1.0000", "1.0000"]
    text = res.stdout
    assert "expected calibration error (ECE): 0.3625 over 4 link(s)" in text
    assert "links scored >= 0.90: 2, precision 0.5000" in text
    bins = {
        line.split(")")[0] + ")": line.split(")")[1].split()
        for line in lines
        if line.startswith("[") and ")" in line
    }
    assert bins["[0.1, 0.2)"] == ["1", "0.1500", "0.0000"]
    assert bins["[0.5, 0.6)"] == ["1", "0.5500", "1.0000"]
    assert bins["[0.3, 0.4)"] == ["0", "-", "-"]
    assert any(
        line.startswith("[0.9, 1.0]") and line.split()[2:] == ["2", "0.9250", "0.5000"] for line in lines
    )


def test_pooled_over_two_documents(tmp_path: Path) -> None:
    files = [
        _write(tmp_path, "a.gold", GOLD_A),
        _write(tmp_path, "a.links", PRED_A),
        _write(tmp_path, "b.gold", GOLD_B),
        _write(tmp_path, "b.links", PRED_B),
    ]
    res = _invoke("--gold", files[0], "--pred", files[1], "--gold", files[2], "--pred", files[3], "--json")
    assert res.exit_code == OK, res.output
    rep = json.loads(res.stdout)
    # pooled counts: strict 3/6 and 3/5, lax 5/6 and 5/5 (averaging F1 would give (4/7 + 1/2) / 2)
    assert rep["gold_links"] == 7 and rep["gold_links_non_null"] == 5 and rep["predicted_links"] == 6
    assert rep["strict"] == pytest.approx({"precision": 0.5, "recall": 0.6, "f1": 6 / 11})
    assert rep["lax"] == pytest.approx({"precision": 5 / 6, "recall": 1.0, "f1": 10 / 11})
    assert {k: (v["gold"], v["predicted"]) for k, v in rep["by_type"].items()} == {
        "0-1": (1, 1),
        "1-0": (1, 0),
        "1-1": (4, 2),
        "1-2": (0, 1),
        "2-1": (1, 2),
    }
    # bin 9: 0.95 right, 0.90 wrong, 0.97 right; 0.55 right; 0.40 wrong; 0.15 wrong
    cal = rep["calibration"]
    ece = 3 / 6 * abs(2 / 3 - 0.94) + 1 / 6 * 0.45 + 1 / 6 * 0.40 + 1 / 6 * 0.15
    assert cal["ece"] == pytest.approx(ece)
    assert (cal["links"], cal["high_count"]) == (6, 3)
    assert cal["high_precision"] == pytest.approx(2 / 3)
    assert [b["links"] for b in cal["per_bin"]] == [0, 1, 0, 0, 1, 1, 0, 0, 0, 3]


def test_json_output(tmp_path: Path) -> None:
    g, p = _write(tmp_path, "a.gold", GOLD_A), _write(tmp_path, "a.links", PRED_A)
    res = _invoke("--gold", g, "--pred", p, "--json")
    assert res.exit_code == OK, res.output
    rep = json.loads(res.stdout)  # stdout holds the JSON and nothing else
    assert rep["files"] == [{"gold": str(g), "pred": str(p)}]
    assert rep["strict"] == pytest.approx({"precision": 0.5, "recall": 2 / 3, "f1": 4 / 7})
    assert rep["lax"] == pytest.approx({"precision": 0.75, "recall": 1.0, "f1": 6 / 7})
    assert rep["by_type"]["1-0"] == {
        "gold": 1,
        "predicted": 0,
        "strict": {"precision": 0.0, "recall": None, "f1": None},
        "lax": {"precision": 0.0, "recall": None, "f1": None},
    }
    assert rep["by_type"]["2-1"]["strict"] == pytest.approx({"precision": 0.5, "recall": 1.0, "f1": 2 / 3})
    cal = rep["calibration"]
    assert cal["ece"] == pytest.approx(0.3625)
    assert (cal["bins"], cal["links"], cal["high_threshold"], cal["high_count"]) == (10, 4, 0.9, 2)
    assert cal["high_precision"] == pytest.approx(0.5)
    assert cal["per_bin"][9] == pytest.approx(
        {"lower": 0.9, "upper": 1.0, "links": 2, "mean_score": 0.925, "accuracy": 0.5}
    )


def test_no_scores_no_calibration(tmp_path: Path) -> None:
    g = _write(tmp_path, "a.gold", GOLD_A)
    res = _invoke("--gold", g, "--pred", g)
    assert res.exit_code == OK, res.output
    assert "calibration" not in res.output
    assert "strict     1.0000  1.0000  1.0000" in res.stdout
    rep = json.loads(_invoke("--gold", g, "--pred", g, "--json").stdout)
    assert rep["calibration"] is None
    assert rep["strict"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_some_links_without_score_leave_calibration_out_with_a_warning(tmp_path: Path) -> None:
    g = _write(tmp_path, "a.gold", GOLD_A)
    p = _write(tmp_path, "a.links", "[0]:[0]:0.95\n[1, 2]:[1]\n")
    res = _invoke("--gold", g, "--pred", p)
    assert res.exit_code == OK, res.output
    assert "ECE" not in res.stdout
    assert f"warning: {p}, line 2: the link has no score, so calibration was left out" in res.output


def test_empty_prediction_scores_zero(tmp_path: Path) -> None:
    g, p = _write(tmp_path, "a.gold", GOLD_A), _write(tmp_path, "a.links", "")
    rep = json.loads(_invoke("--gold", g, "--pred", p, "--json").stdout)
    assert rep["predicted_links"] == 0 and rep["strict"]["recall"] == 0.0
    assert rep["calibration"] is None  # no score was given


@pytest.mark.parametrize(
    ("pred", "ends"),
    [
        ("[0]:[0]:0.9\n[1, 2]:[1]:0.8\n[3]:[]:0.5\n[4]:[2]:0.9\n", None),  # the same sentences: no warning
        ("[0, 1, 2, 3, 4]:[0, 1, 2]:0.9\n", None),  # one big link still ends where the gold does
        ("[0]:[0]:0.9\n[1, 2]:[1]:0.8\n", "the prediction's 2 and 1"),  # cut short (or --min-score)
        (PRED_A, "the prediction's 4 and 3"),  # a target sentence the gold does not have
        ("", "the prediction's none and none"),
    ],
)
def test_gold_and_prediction_ending_apart_are_warned_of(tmp_path: Path, pred: str, ends: str | None) -> None:
    g, p = _write(tmp_path, "a.gold", GOLD_A), _write(tmp_path, "a.links", pred)
    res = _invoke("--gold", g, "--pred", p)
    assert res.exit_code == OK, res.output
    if ends is None:
        assert "warning" not in res.stderr
    else:
        assert (
            f"warning: {g} and {p}: the gold's last sentences are 4 (source) and 2 (target), {ends}"
            in res.stderr
        )
        assert "same document" in res.stderr


# --- bad input ---------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    g = _write(tmp_path, "a.gold", GOLD_A)
    res = _invoke("--gold", g, "--pred", tmp_path / "missing.links")
    assert res.exit_code == BAD_INPUT
    assert f"error: {tmp_path / 'missing.links'}: does not exist" in res.output
    assert "precision" not in res.output  # nothing is scored


def test_folder_instead_of_file(tmp_path: Path) -> None:
    g = _write(tmp_path, "a.gold", GOLD_A)
    res = _invoke("--gold", tmp_path, "--pred", g)
    assert res.exit_code == BAD_INPUT
    assert f"{tmp_path}: is a folder, not a link file" in res.output


@pytest.mark.parametrize(
    ("n_gold", "n_pred", "named", "flag"), [(2, 1, "b.gold", "--gold"), (1, 2, "b.links", "--pred")]
)
def test_mismatched_counts(tmp_path: Path, n_gold: int, n_pred: int, named: str, flag: str) -> None:
    gold = [_write(tmp_path, f"{x}.gold", GOLD_A) for x in "ab"[:n_gold]]
    pred = [_write(tmp_path, f"{x}.links", PRED_A) for x in "ab"[:n_pred]]
    args = [a for g in gold for a in ("--gold", g)] + [a for p in pred for a in ("--pred", p)]
    res = _invoke(*args)
    assert res.exit_code == BAD_INPUT
    assert f"error: {tmp_path / named}: given with {flag} has no" in res.output
    assert f"({n_gold} --gold file(s), {n_pred} --pred file(s))" in res.output


def test_bad_line_names_file_and_line(tmp_path: Path) -> None:
    g = _write(tmp_path, "a.gold", GOLD_A)
    p = _write(tmp_path, "a.links", "[0]:[0]:0.9\n\n[1]:[one]:0.5\n")  # blank lines count
    res = _invoke("--gold", g, "--pred", p)
    assert res.exit_code == BAD_INPUT
    assert f"error: {p}, line 3: '[1]:[one]:0.5' is not a link line" in res.output
    bad_gold = _write(tmp_path, "b.gold", "[0]:[0]\n[1] [1]\n")
    res = _invoke("--gold", bad_gold, "--pred", p)
    assert res.exit_code == BAD_INPUT and f"{bad_gold}, line 2: '[1] [1]' is not a link line" in res.output


def test_not_utf8(tmp_path: Path) -> None:
    g = _write(tmp_path, "a.gold", GOLD_A)
    p = tmp_path / "a.links"
    p.write_bytes(b"[0]:[0]\n[1]:[1] \xe9\n")
    res = _invoke("--gold", g, "--pred", p)
    assert res.exit_code == BAD_INPUT and f"{p}, line 2: is not UTF-8 (byte 0xe9)" in res.output


@pytest.mark.parametrize(
    ("line", "score"),
    [
        ("[1, 2]:[1]:1.2.3", "1.2.3"),  # two decimal points
        ("[1, 2]:[1]:1e999", "1e999"),  # float() takes it as infinity
        ("[1, 2]:[1]:--5", "--5"),
        ("[1, 2]:[1]:e", "e"),
    ],
)
def test_a_score_that_is_not_a_number_names_file_and_line(tmp_path: Path, line: str, score: str) -> None:
    g = _write(tmp_path, "a.gold", GOLD_A)
    p = _write(tmp_path, "a.links", f"[0]:[0]:0.9\n{line}\n")
    res = _invoke("--gold", g, "--pred", p)
    if res.exit_code != BAD_INPUT:  # the line must not match as a link without score either
        pytest.fail(f"exit {res.exit_code}: {res.output}")
    assert f"error: {p}, line 2: '{line}': the score '{score}' is not a number" in res.output
    assert "Give the score as a decimal number" in res.output
    assert "Traceback" not in res.output and "precision" not in res.output


def test_a_score_outside_0_1_is_warned_of_and_leaves_calibration_out(tmp_path: Path) -> None:
    # Vecalign's own output gives an alignment cost (0.0-2.0 or more) in the third field.
    g = _write(tmp_path, "a.gold", GOLD_A)
    p = _write(tmp_path, "a.links", "[0]:[0]:0.95\n[1, 2]:[1]:1.7\n[3, 4]:[2]:0.9\n")
    res = _invoke("--gold", g, "--pred", p)
    assert res.exit_code == OK, res.output
    assert f"warning: {p}, line 2: the score 1.7 is not a probability (it is outside 0-1" in res.stderr
    assert "ECE" not in res.stdout and "no score" not in res.stderr
    assert "strict" in res.stdout  # the links are still scored
    rep = json.loads(_invoke("--gold", g, "--pred", p, "--json").stdout)
    assert rep["calibration"] is None
    negative = _write(tmp_path, "b.links", "[0]:[0]:-0.2\n")
    assert (
        f"{negative}, line 1: the score -0.2 is not a probability"
        in _invoke("--gold", g, "--pred", negative).stderr
    )


@pytest.mark.parametrize(
    ("gold", "warned"),
    [
        (GOLD_A, None),
        ("[0]:[0]\n[1, 2]:[1]\n[2]:[]\n[4]:[2]\n", "line 3: source sentence 2 is also in the link of line 2"),
        ("[0]:[0]\n[1, 2]:[1]\n[3]:[]\n[4]:[1]\n", "line 4: target sentence 1 is also in the link of line 2"),
        # Text+Berg's test1.defr has one, line 197 [227, 218]:[198] after line 190's 218
        (
            "[0]:[0]\n\n[1, 2]:[1]\n[3]:[]\n[0, 4]:[2]\n",
            "line 5: source sentence 0 is also in the link of line 1",
        ),
    ],
)
def test_a_sentence_in_two_links_is_warned_of(tmp_path: Path, gold: str, warned: str | None) -> None:
    g, p = _write(tmp_path, "a.gold", gold), _write(tmp_path, "a.links", PRED_A)
    res = _invoke("--gold", g, "--pred", p)
    assert res.exit_code == OK, res.output
    if warned is None:
        assert "also in the link" not in res.stderr
    else:
        assert f"warning: {g}, {warned}; a sentence belongs to one link" in res.stderr


def test_usage_and_help() -> None:
    assert _invoke("--gold", "a.gold").exit_code == USAGE  # --pred is required
    res = _invoke("--help")
    assert res.exit_code == OK and "Exit codes" in res.output and "--json" in res.output


# --- calibration() -----------------------------------------------------------------


def test_calibration_by_hand() -> None:
    pred = [Link((0,), (0,), 0.95), Link((1, 2), (1,), 0.55), Link((3, 4), (2,), 0.90), Link((), (3,), 0.15)]
    cal = calibration([G], [pred])
    assert cal.ece == pytest.approx(0.3625)
    assert (cal.n_links, cal.high_threshold, cal.high_count, cal.high_precision) == (4, 0.9, 2, 0.5)
    assert len(cal.bins) == 10
    assert [b.count for b in cal.bins] == [0, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    last = cal.bins[9]
    assert (last.lower, last.upper, last.mean_score, last.accuracy) == pytest.approx((0.9, 1.0, 0.925, 0.5))
    assert (cal.bins[3].mean_score, cal.bins[3].accuracy) == (0.0, 0.0)  # empty bin


def test_calibration_perfect_and_worst() -> None:
    # half right at 0.5, and a right link at exactly 1.0 (last bin): calibrated
    pred = [Link((0,), (0,), 0.5), Link((1,), (1,), 0.5), Link((4,), (2,), 1.0)]
    cal = calibration([G], [pred])
    assert cal.ece == pytest.approx(0.0)
    assert [b.count for b in cal.bins][5] == 2 and cal.bins[9].count == 1
    # sure and always wrong
    wrong = [Link((0,), (1,), 1.0), Link((1,), (2,), 1.0)]
    assert calibration([G], [wrong]).ece == pytest.approx(1.0)
    # unsure and always right
    right = [Link((0,), (0,), 0.0), Link((3,), (), 0.0)]
    cal = calibration([G], [right])
    assert cal.ece == pytest.approx(1.0) and cal.bins[0].count == 2 and cal.high_count == 0


def test_calibration_null_links_and_bin_edges() -> None:
    # [3]:[] is in the gold (right), [4]:[] is not (wrong); [] : [] is ignored
    pred = [
        Link((3,), (), 0.1),
        Link((4,), (), 0.3),
        Link((), (), 0.99),
        Link((0,), (0,), -0.2),
        Link((4,), (2,), 1.7),
    ]
    cal = calibration([G], [pred])
    assert cal.n_links == 4
    counts = [b.count for b in cal.bins]
    assert counts == [1, 1, 0, 1, 0, 0, 0, 0, 0, 1]  # 0.1 in bin 1; -0.2 clipped to bin 0; 1.7 to bin 9
    assert cal.bins[1].accuracy == 1.0 and cal.bins[3].accuracy == 0.0
    assert (cal.high_count, cal.high_precision) == (1, 1.0)


def test_calibration_options_and_empty() -> None:
    pred = [Link((0,), (0,), 0.2), Link((1,), (1,), 0.6)]
    one = calibration([G], [pred], bins=1)
    assert one.ece == pytest.approx(abs(0.5 - 0.4)) and len(one.bins) == 1
    assert (one.bins[0].lower, one.bins[0].upper) == (0.0, 1.0)
    low = calibration([G], [pred], high_threshold=0.5)
    assert (low.high_threshold, low.high_count, low.high_precision) == (0.5, 1, 0.0)
    empty = calibration([G], [[]])
    assert (empty.ece, empty.n_links, empty.high_count, empty.high_precision) == (0.0, 0, 0, 0.0)
    with pytest.raises(ValueError, match="bins must be at least 1"):
        calibration([G], [pred], bins=0)
    with pytest.raises(ValueError):  # one prediction list per gold document
        calibration([G, G], [pred])


def test_high_precision_at_zero_is_strict_precision() -> None:
    docs_gold = [G, [((0,), (0,)), ((), (1,)), ((1,), (2,))]]
    docs_pred = [
        [Link((0,), (0,), 0.95), Link((1, 2), (1,), 0.55), Link((3, 4), (2,), 0.90), Link((), (3,), 0.15)],
        [Link((0,), (0,), 0.97), Link((1,), (1, 2), 0.40)],
    ]
    cal = calibration(docs_gold, docs_pred, high_threshold=0.0)
    assert cal.high_count == 6
    assert cal.high_precision == pytest.approx(evaluate(docs_gold, docs_pred).strict_precision)
