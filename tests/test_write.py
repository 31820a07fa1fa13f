"""Atomic writes: nothing half-written, nothing overwritten without force."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aligner.errors import AlignerError, OutputExistsError
from aligner.write import atomic_path, check_free, write_text_atomic


def test_writes_and_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "a.tmx"
    write_text_atomic(path, "uno\n")
    assert path.read_text() == "uno\n"
    with pytest.raises(OutputExistsError, match=r"a\.tmx: already exists.*--force"):
        write_text_atomic(path, "due\n")
    assert path.read_text() == "uno\n"
    write_text_atomic(path, "due\n", force=True)
    assert path.read_text() == "due\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.tmx"]


def test_failure_midway_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "a.tsv"
    path.write_text("old\n")

    def crash(src: str, dst: str) -> None:
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C just before the rename

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(path, "new\n", force=True)
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.tsv"]


def test_check_free_names_the_first_existing(tmp_path: Path) -> None:
    (tmp_path / "b").write_text("x")
    with pytest.raises(OutputExistsError, match="b: already exists"):
        check_free([tmp_path / "a", tmp_path / "b"], force=False)
    check_free([tmp_path / "b"], force=True)


def test_line_ends_are_lf(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    write_text_atomic(path, "a\tb\n")
    assert path.read_bytes() == b"a\tb\n"


def test_written_files_get_the_permissions_open_would_give(tmp_path: Path) -> None:
    # mkstemp makes private (0600) files; outputs are meant to be shared like any other file.
    (tmp_path / "plain.txt").write_text("x")
    expected = (tmp_path / "plain.txt").stat().st_mode & 0o777
    write_text_atomic(tmp_path / "a.tmx", "x")
    with atomic_path(tmp_path / "b.parquet") as tmp:
        tmp.write_bytes(b"x")
    assert (tmp_path / "a.tmx").stat().st_mode & 0o777 == expected
    assert (tmp_path / "b.parquet").stat().st_mode & 0o777 == expected


@pytest.mark.parametrize("force", [False, True])
def test_a_folder_where_a_file_goes_is_refused_even_with_force(tmp_path: Path, force: bool) -> None:
    (tmp_path / "out.tmx").mkdir()
    with pytest.raises(AlignerError, match=r"out\.tmx: is a folder.*never folders"):
        check_free([tmp_path / "free.tsv", tmp_path / "out.tmx"], force)
    with pytest.raises(AlignerError, match="is a folder"):
        write_text_atomic(tmp_path / "out.tmx", "text", force=force)
    assert (tmp_path / "out.tmx").is_dir() and not list((tmp_path / "out.tmx").iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.tmx"]
