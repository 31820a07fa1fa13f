"""Batch runs: workers, a Dask cluster, resume, kill -9, bad documents.

Every variant must write the same bytes as the plain single-process run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from aligner_cli.common import SKIPPED
from aligner_cli.main import app
from typer.testing import CliRunner

from .conftest import ITALIAN_ONLY, Ran, aligner_script

PAIRS = {"a1": "b7", "c3": "d9", "e2": "f5", "g4": "h8", "i6": "j1", "k2": "l0", "m3": "n4"}
runner = CliRunner()


def _outputs(folder: Path) -> dict[str, bytes]:
    """The output files and pair markers, without temporaries (``.<name>.<random>.tmp``) and
    stored documents (``.npz`` files carry zip time stamps)."""
    files = {p.name: p.read_bytes() for p in folder.glob("[!.]*") if p.is_file()}
    for marker in (folder / ".aligner" / "pairs").glob("[!.]*"):
        files[f"pairs/{marker.name}"] = marker.read_bytes()
    return files


def _temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.tmp")]


@pytest.fixture(scope="module")
def reference(corpus_run: Ran) -> dict[str, bytes]:
    """The output files and pair markers of the plain single-process run."""
    assert corpus_run.exit_code == SKIPPED, corpus_run.output  # the binary file is skipped
    return _outputs(corpus_run.out)


def test_reference_run_pairs_all_seven_and_reports_the_bad_file(reference: dict[str, bytes]) -> None:
    manifest = json.loads(reference["manifest.json"])
    assert {Path(p["source"]).stem: Path(p["target"]).stem for p in manifest["pairs"]} == PAIRS
    assert sorted(u["file"] for u in manifest["unpaired"]) == list(ITALIAN_ONLY)
    [bad] = [d for d in manifest["documents"] if d["status"] == "skipped"]
    assert bad["file"] == "zz_binary.txt"
    assert any(p["file"] == "zz_binary.txt" and "binary" in p["message"] for p in manifest["problems"])
    assert len([n for n in reference if n.startswith("pairs/")]) == 7
    assert len([n for n in reference if n.endswith(".tmx")]) == 7


def test_two_workers_write_the_same_bytes(corpus: Path, reference: dict[str, bytes], tmp_path: Path) -> None:
    res = runner.invoke(app, ["run", str(corpus), "--out", str(tmp_path / "out"), "--workers", "2"])
    assert res.exit_code == SKIPPED, res.output
    assert _outputs(tmp_path / "out") == reference


def test_dask_cluster_writes_the_same_bytes(
    corpus: Path, reference: dict[str, bytes], tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        res = runner.invoke(
            app,
            ["run", str(corpus), "--out", str(tmp_path / "out"), "--scheduler", cluster.scheduler_address],
        )
    assert res.exit_code == SKIPPED, res.output
    assert _outputs(tmp_path / "out") == reference


def test_unreachable_scheduler_is_a_clear_error(corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    res = runner.invoke(
        app, ["run", str(corpus), "--out", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert res.exit_code == 3
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in res.output


def _kill_when(cmd: list[str], ready, timeout: float = 120.0) -> None:
    """Start ``cmd``, wait until ``ready()`` is true, then kill -9 it."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while not ready() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert proc.poll() is None, "the run ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()


@pytest.mark.parametrize("phase", ["reading", "aligning"])
def test_kill_9_leaves_whole_files_and_the_rerun_resumes(
    phase: str, corpus: Path, reference: dict[str, bytes], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    work = out / ".aligner"
    cmd = [aligner_script(), "run", str(corpus), "--out", str(out)]
    if phase == "reading":
        _kill_when(cmd, lambda: len(list((work / "docs").glob("*.npz"))) >= 3)
    else:
        # The seven pairs align in well under a second: stop right after the first one.
        _kill_when(cmd, lambda: any((work / "pairs").glob("*.json")))
    assert not (out / "manifest.json").exists()
    # Whatever was written is whole: each visible file is byte for byte the reference's.
    for name, data in _outputs(out).items():
        assert data == reference[name], name
    left = _temporaries(out)  # a write cut short stays a hidden temporary, never a visible file
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == SKIPPED, done.stderr
    assert "7 pair(s)" in done.stdout or "already complete" in done.stdout
    if phase == "aligning":
        assert "already complete, skipped" in done.stdout
    assert _outputs(out) == reference
    assert _temporaries(out) == []  # the rerun removed any the kill left
    assert phase == "reading" or len(left) <= 1


def test_new_pairing_settings_reuse_the_stored_documents(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        runner.invoke(app, ["run", str(corpus), "--out", str(out), "--format", "links"]).exit_code == SKIPPED
    )
    def stored() -> dict[str, int]:  # name -> inode: a document embedded again is a new file
        return {p.name: p.stat().st_ino for p in (out / ".aligner" / "docs").glob("*.npz")}

    before = stored()
    assert len(before) == 17  # every readable document, the binary one excepted
    res = runner.invoke(
        app,
        ["run", str(corpus), "--out", str(out), "--format", "links", "--pair-threshold", "0.9", "--force"],
    )
    assert res.exit_code == SKIPPED, res.output
    assert sorted(stored()) == sorted(before)
    assert stored() == before  # not one document was read, split and embedded again
