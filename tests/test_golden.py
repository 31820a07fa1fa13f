"""The seed run and the seven-pair corpus give, byte for byte, the files that the code
before the run folder's restructure wrote (``tests/data/golden``, see its README)."""

from __future__ import annotations

import pytest

from .conftest import ITALIAN_ONLY, Ran, golden_differences, same_but_for_float_noise


def test_the_seed_run_writes_the_golden_files(seed_run: Ran) -> None:
    assert seed_run.exit_code == 0, seed_run.output
    assert golden_differences(seed_run.out, "seeds") == []


def test_the_corpus_run_writes_the_golden_files(corpus_run: Ran) -> None:
    assert corpus_run.exit_code == 1, corpus_run.output  # the binary file is skipped
    assert golden_differences(corpus_run.out, "corpus") == []
    for name in ITALIAN_ONLY:
        assert f"{name}: not paired" in corpus_run.stderr


@pytest.mark.parametrize(
    ("made", "same"),
    [
        (b"[0]:[0]:0.9901\n[1, 2]:[1]:0.9800\n", True),
        (b"[0]:[0]:0.9902\n[1, 2]:[1]:0.9801\n", True),  # another CPU's last digit
        (b"[0]:[0]:0.9951\n[1, 2]:[1]:0.9800\n", False),  # a score that moved
        (b"[0]:[0]:0.9901\n[1]:[1]:0.9800\n", False),  # a link that changed
        (b"[0]:[1]:0.9901\n[1, 2]:[1]:0.9800\n", False),
        (b"[0]:[0]:0.9901\n[1, 2]:[1]:0.9800\n[]:[2]:0.5000\n", False),  # a link more
        (b"[0]:[0]:0.9901\n[1, 2]:[1]:0.98\n", True),  # a number's digits
    ],
)
def test_golden_files_allow_float_noise_only(made: bytes, same: bool) -> None:
    assert same_but_for_float_noise(b"[0]:[0]:0.9901\n[1, 2]:[1]:0.9800\n", made) is same
