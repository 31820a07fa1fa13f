"""The copies benchmark: its table rests on each folder being one story filed many times."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import copies as bench


def test_the_folder_holds_the_seed_pair_under_other_names(tmp_path: Path) -> None:
    bench.make_copies(tmp_path / "f", 5)
    files = sorted((tmp_path / "f").iterdir())
    assert [p.name for p in files[:2]] == ["story000_en.txt", "story000_it.txt"]
    assert len(files) == 10
    assert {p.read_bytes() for p in files} == {bench.IT_SEED.read_bytes(), bench.EN_SEED.read_bytes()}


def test_each_row_is_one_pair_and_the_other_copies_set_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main(["--copies", "2,4", "--work", str(tmp_path / "work")]) == 0
    rows = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith("| ") and "story" in line
    ]
    assert [row.split(" | ")[:5] for row in rows] == [
        ["| 2", "4", "1", "story000_it.txt + story000_en.txt", "2"],
        ["| 4", "8", "1", "story000_it.txt + story000_en.txt", "6"],
    ]
