"""The seed run and the seven-pair corpus give, byte for byte, the files that the code
before the run folder's restructure wrote (``tests/data/golden``, see its README)."""

from __future__ import annotations

from .conftest import ITALIAN_ONLY, Ran, golden_differences


def test_the_seed_run_writes_the_golden_files(seed_run: Ran) -> None:
    assert seed_run.exit_code == 0, seed_run.output
    assert golden_differences(seed_run.out, "seeds") == []


def test_the_corpus_run_writes_the_golden_files(corpus_run: Ran) -> None:
    assert corpus_run.exit_code == 1, corpus_run.output  # the binary file is skipped
    assert golden_differences(corpus_run.out, "corpus") == []
    for name in ITALIAN_ONLY:
        assert f"{name}: not paired" in corpus_run.stderr
