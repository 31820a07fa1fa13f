"""Runs as operations: stopped at known points (kill -9, Ctrl-C, a dead worker), one run
at a time per output folder, progress a log can show.

The runs are stopped by ``tests/stop_at.py``, which runs the real command and stops it
when a document is stored, a pair is complete, or a file is about to be renamed into
place; nothing here depends on timing.
"""

from __future__ import annotations

import json
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aligner_cli.common import INTERRUPTED, LOCKED, SKIPPED, STOPPED
from aligner_cli.run import LineProgress

from .conftest import DISPATCHES, Ran, aligner_script, copy_run, invoke_run, output_files

STOP_AT = Path(__file__).with_name("stop_at.py")


def _outputs(folder: Path) -> dict[str, bytes]:
    """The output files and pair markers (the stored documents are the work folder's own)."""
    files = output_files(folder)
    for marker in (folder / ".aligner" / "pairs").glob("[!.]*"):
        files[f"pairs/{marker.name}"] = marker.read_bytes()
    return files


def _temporaries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.tmp"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three pairs of the test corpus and a binary file (the runs here are stopped and rerun:
    the smaller the corpus, the faster)."""
    folder = tmp_path_factory.mktemp("small") / "in"
    folder.mkdir()
    for name in ("a1", "b7", "c3", "d9", "e2", "f5"):
        shutil.copy(DISPATCHES / f"{name}.txt", folder)
    (folder / "zz_binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(200))
    return folder


@pytest.fixture(scope="module")
def unstopped(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Ran:
    """The run that nothing stops."""
    ran = invoke_run(corpus, tmp_path_factory.mktemp("small") / "out")
    assert ran.exit_code == SKIPPED, ran.output
    return ran


@pytest.fixture(scope="module")
def reference(unstopped: Ran) -> dict[str, bytes]:
    """The output files and markers of the run that nothing stops."""
    return _outputs(unstopped.out)


def _seeded(unstopped: Ran, out: Path) -> Path:
    """``out`` holding the documents ``unstopped`` stored (and nothing else): a run into it
    reads none again, so the tests that stop it while it aligns need not wait for the model."""
    shutil.copytree(unstopped.out / ".aligner" / "docs", out / ".aligner" / "docs")
    return out


def _error_line(stderr: str) -> str:
    """The error a stopped run ends with (progress lines may come before it on a slow machine:
    stderr is not a terminal here)."""
    [line] = [line for line in stderr.splitlines() if line.startswith("error: ")]
    return line


def _stop_at(action: str, point: str, n: int, marker: Path, *args: str) -> list[str]:
    return [sys.executable, str(STOP_AT), action, point, str(n), str(marker), *args]


def _started(cmd: list[str], marker: Path) -> subprocess.Popen[str]:
    """Start ``cmd`` (a ``stop_at.py wait`` command) and return once it waits at its point."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the run ended before its point: {proc.communicate()}")
        assert time.monotonic() < deadline, "the run never reached its point"
        time.sleep(0.02)
    return proc


def _rerun(command: str) -> subprocess.CompletedProcess[str]:
    """Run a command line the aligner printed (``aligner run ...``) with the installed script."""
    words = shlex.split(command)
    assert words[0] == "aligner"
    return subprocess.run([aligner_script(), *words[1:]], capture_output=True, text=True)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("point", "n", "stored", "complete"),
    [
        ("reading", 3, 3, 0),  # three documents stored, then killed
        ("aligning", 1, 6, 1),  # one pair complete
        ("writing", 2, 6, 1),  # the second pair's TSV written to its temporary file, not yet renamed
    ],
)
def test_kill_9_at_a_known_point_leaves_whole_files_and_the_rerun_resumes(
    point: str,
    n: int,
    stored: int,
    complete: int,
    corpus: Path,
    unstopped: Ran,
    reference: dict[str, bytes],
    tmp_path: Path,
) -> None:
    out, marker = tmp_path / "out", tmp_path / "stopped"
    if point != "reading":
        _seeded(unstopped, out)
    proc = _started(_stop_at("wait", point, n, marker, "run", str(corpus), "--out", str(out)), marker)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert not (out / "manifest.json").exists()
    assert len(list((out / ".aligner" / "docs").glob("*.npy"))) == stored
    assert len(list((out / ".aligner" / "pairs").glob("*.json"))) == complete
    # Whatever was written is whole: each visible file is byte for byte the reference's.
    for name, data in _outputs(out).items():
        assert data == reference[name], name
    left = _temporaries(out)
    if point == "writing":  # the write cut short is a hidden temporary, never a visible file
        [tmp] = left
        assert tmp.name.startswith(".c3__d9.tsv.") and tmp.read_bytes() == reference["c3__d9.tsv"]
        assert not (out / "c3__d9.tsv").exists()
    done = subprocess.run(
        [aligner_script(), "run", str(corpus), "--out", str(out)], capture_output=True, text=True
    )
    assert done.returncode == SKIPPED, done.stderr
    assert (
        f"({complete} already complete, skipped)" in done.stdout
        if complete
        else "3 pair(s) aligned" in done.stdout
    )
    assert _outputs(out) == reference
    assert _temporaries(out) == []  # the rerun removed those the kill left


@pytest.mark.slow
@pytest.mark.parametrize(
    ("point", "n", "saved"),
    [
        # Ctrl-C comes as the third document is stored, before the run counts it: the message
        # counts what the run had counted (the third is stored too, and reused on resuming).
        ("reading", 3, "2 of 7 document(s) read; no pair aligned yet"),
        ("aligning", 2, "1 of 3 pair(s) aligned and written (all 7 document(s) read)"),
    ],
)
def test_ctrl_c_says_what_is_saved_and_the_command_that_resumes(
    point: str, n: int, saved: str, corpus: Path, unstopped: Ran, reference: dict[str, bytes], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    if point != "reading":
        _seeded(unstopped, out)
    args = ["run", str(corpus), "--out", str(out), "--force", "--format", "tmx", "--format", "tsv"]
    args += ["--format", "links", "--pair-threshold", "0.5", "--quiet"]
    done = subprocess.run(
        _stop_at("interrupt", point, n, tmp_path / "x", *args), capture_output=True, text=True
    )
    assert done.returncode == INTERRUPTED, done.stderr
    assert "Traceback" not in done.stderr
    message, resume = _error_line(done.stderr).split(" Resume with: ")
    assert message == f"error: interrupted: {saved} in {out}/ (no file is half-written)."
    # --force would redo everything; options at their defaults (--pair-threshold 0.5) are left out.
    formats = ["--format", "tmx", "--format", "tsv", "--format", "links"]
    assert resume == shlex.join(["aligner", "run", str(corpus), "--out", str(out), *formats, "--quiet"])
    again = _rerun(resume)
    assert again.returncode == SKIPPED, again.stderr
    assert _outputs(out) == reference
    if point == "aligning":
        assert (out / ".aligner" / "pairs").exists()


@pytest.mark.slow
def test_ctrl_c_with_workers_lets_the_tasks_under_way_finish_and_counts_them(
    corpus: Path, reference: dict[str, bytes], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    # The first worker to store its second document sends the main process SIGINT.
    args = ["run", str(corpus), "--out", str(out), "--workers", "2"]
    done = subprocess.run(
        _stop_at("interrupt", "reading", 2, tmp_path / "x", *args), capture_output=True, text=True
    )
    assert done.returncode == INTERRUPTED, done.stderr
    assert "Traceback" not in done.stderr
    stored = len(list((out / ".aligner" / "docs").glob("*.npy")))
    message, resume = _error_line(done.stderr).split(" Resume with: ")
    assert message.endswith(
        f" of 7 document(s) read; no pair aligned yet in {out}/ (no file is half-written)."
    )
    # Every document the message counts is stored (the binary file, read and refused, is not).
    read = int(message.removeprefix("error: interrupted: ").split()[0])
    assert 2 <= stored <= read <= stored + 1
    again = _rerun(resume)
    assert again.returncode == SKIPPED, again.stderr
    assert _outputs(out) == reference


@pytest.mark.slow
def test_a_dead_worker_is_a_clear_error_and_the_rerun_resumes(
    corpus: Path, unstopped: Ran, reference: dict[str, bytes], tmp_path: Path
) -> None:
    out = _seeded(unstopped, tmp_path / "out")
    args = ["run", str(corpus), "--out", str(out), "--workers", "2"]
    # Each worker process kills itself (SIGKILL, as the out-of-memory killer does) after its first pair.
    done = subprocess.run(
        _stop_at("die", "aligning", 1, tmp_path / "x", *args), capture_output=True, text=True
    )
    assert done.returncode == STOPPED, done.stderr
    assert "Traceback" not in done.stderr and "BrokenProcessPool" in done.stderr
    assert "error: a worker process died" in done.stderr and "perhaps for lack of memory" in done.stderr
    assert f"of 3 pair(s) aligned and written (all 7 document(s) read) in {out}/" in done.stderr
    resume = _error_line(done.stderr).split(" Resume with: ")[1]
    assert resume == shlex.join(["aligner", "run", str(corpus), "--out", str(out), "--workers", "2"])
    again = _rerun(resume)
    assert again.returncode == SKIPPED, again.stderr
    assert "already complete, skipped" in again.stdout
    assert _outputs(out) == reference


@pytest.mark.slow
def test_one_run_at_a_time_writes_into_a_folder_and_a_killed_runs_lock_is_taken_over(
    corpus: Path, unstopped: Ran, reference: dict[str, bytes], tmp_path: Path
) -> None:
    out, marker = _seeded(unstopped, tmp_path / "out"), tmp_path / "stopped"
    first = _started(_stop_at("wait", "reading", 1, marker, "run", str(corpus), "--out", str(out)), marker)
    try:
        second = subprocess.run(
            [aligner_script(), "run", str(corpus), "--out", str(out)], capture_output=True, text=True
        )
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate()
    assert second.returncode == LOCKED, second.stderr
    assert f"error: {out}: another run is writing into it (process {first.pid} on " in second.stderr
    assert f"aligner run {corpus} --out {out})" in second.stderr  # the first run's command
    assert "--force" not in second.stderr  # no lock is broken by force
    # The kernel let go of the killed run's lock: the next run takes it over and resumes.
    third = subprocess.run(
        [aligner_script(), "run", str(corpus), "--out", str(out)], capture_output=True, text=True
    )
    assert third.returncode == SKIPPED, third.stderr
    assert (
        f"took over the lock left by a run that is no longer running (process {first.pid} on " in third.stderr
    )
    assert _outputs(out) == reference
    assert (out / ".aligner" / "lock").read_text() == ""  # released when the run ended


def test_a_locked_folder_names_its_holder(tmp_path: Path) -> None:
    """The lock taken in this process (as a library user's run would), then asked for again."""
    from aligner.workdir import LockedError, RunFolder

    folder = RunFolder(tmp_path / "out")
    with folder.lock("aligner run in --out out") as held:
        assert held.took_over is None
        record = json.loads(folder.lock_path.read_text())
        assert record["command"] == "aligner run in --out out" and record["started"].endswith("Z")
        with pytest.raises(LockedError) as err, folder.lock("another"):
            pass
        assert f"process {record['pid']} on {record['host']}, started {record['started']}" in str(err.value)
    with folder.lock("again") as held:
        assert held.took_over is None  # released properly: nothing to take over


@pytest.mark.parametrize(
    ("interval", "calls", "expected"),
    [
        # A short run prints nothing.
        (5.0, [(0.0, 0, 10), (1.0, 5, 10), (2.0, 10, 10)], []),
        # A line every 5 s at most, then one at the end.
        (
            5.0,
            [
                (0.0, 0, 100),
                (1.0, 10, 100),
                (6.0, 30, 100),
                (7.0, 40, 100),
                (12.0, 60, 100),
                (20.0, 100, 100),
            ],
            [
                "reading: 30/100 documents (30 %), 5.0/s, 0:00:06 elapsed, about 0:00:14 left",
                "reading: 60/100 documents (60 %), 5.0/s, 0:00:12 elapsed, about 0:00:08 left",
                "reading: all 100 documents done in 0:00:20, 5.0/s",
            ],
        ),
        # Interval 0: a line for each item.
        (
            0.0,
            [(0.0, 0, 2), (1.0, 1, 2), (2.0, 2, 2)],
            [
                "reading: 1/2 documents (50 %), 1.0/s, 0:00:01 elapsed, about 0:00:01 left",
                "reading: all 2 documents done in 0:00:02, 1.0/s",
            ],
        ),
    ],
)
def test_progress_lines(interval: float, calls: list[tuple[float, int, int]], expected: list[str]) -> None:
    lines: list[str] = []
    now = [0.0]
    progress = LineProgress(interval, lines.append, clock=lambda: now[0])
    for at, done, total in calls:
        now[0] = at
        progress("reading", done, total)
    assert lines == expected


def test_a_run_logs_progress_lines_when_stderr_is_not_a_terminal(seed_run: Ran, tmp_path: Path) -> None:
    # Again, on a copy: the stored documents are reused, the pair aligned again.
    ran = invoke_run(seed_run.input, copy_run(seed_run, tmp_path), "--progress-interval", "0", "--force")
    assert ran.exit_code == 0, ran.output
    lines = [line for line in ran.stderr.splitlines() if line.startswith(("reading", "aligning"))]
    assert lines[0].startswith("reading: 1/5 documents (20 %), ") and " elapsed, about " in lines[0]
    assert lines[-2].startswith("reading: all 5 documents done in ")
    assert lines[-1].startswith("aligning: all 1 pairs done in ")
