"""The export benchmark's generated corpus: its table rests on it being what it says."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from aligner.corpus import CorpusConfig, near_key, run_pairs
from aligner.export.training import export_corpus

from .conftest import Ran

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import export as bench


def test_made_up_names_differ_for_every_unit() -> None:
    names = [bench.name_of(n) for n in range(20_000)]
    assert len(set(names)) == len(names) and all(n.isalpha() for n in names)


def test_the_generated_run_has_the_units_asked_for_and_its_repeats_are_dropped(
    corpus_run: Ran, tmp_path: Path
) -> None:
    shutil.copytree(corpus_run.out, tmp_path / "base")
    base, units = bench.base_units(tmp_path)
    assert len(units) == sum(sum(p.links.values()) for p in base.pairs)
    run = tmp_path / "run"
    bench.generate(run, 250, 20, base, units)
    pairs = list(run_pairs(run))
    assert len(pairs) == 250 and len({p.doc for p in pairs}) == 13
    repeats = sum(1 for n in range(250) if n % 20 == 19 and n > 20)
    assert len({near_key(p) for p in pairs}) == 250 - repeats  # only the repeats are the same text
    done = export_corpus(run, tmp_path / "out", ["tsv"], CorpusConfig(min_score=0.0))
    assert done.summary.dropped["exact_duplicate"] == repeats
    assert done.summary.dropped["near_duplicate"] == 0
