"""Batch runs: workers, a Dask cluster, stored documents reused, bad documents (stopped runs: test_operations).

Every variant must write the same bytes as the plain single-process run.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from aligner_cli.common import SKIPPED
from aligner_cli.main import app
from typer.testing import CliRunner

from aligner.pipeline import TASK_ITEMS, run_tasks

from .conftest import ITALIAN_ONLY, Ran, copy_run, golden_differences

PAIRS = {"a1": "b7", "c3": "d9", "e2": "f5", "g4": "h8", "i6": "j1", "k2": "l0", "m3": "n4"}
runner = CliRunner()


def _outputs(folder: Path) -> dict[str, bytes]:
    """The output files and pair markers, without temporaries (``.<name>.<random>.tmp``) and
    stored documents (the work folder's own)."""
    files = {p.name: p.read_bytes() for p in folder.glob("[!.]*") if p.is_file()}
    for marker in (folder / ".aligner" / "pairs").glob("[!.]*"):
        files[f"pairs/{marker.name}"] = marker.read_bytes()
    return files


@contextmanager
def _held(port: int) -> Iterator[None]:
    """Listen on ``port`` (all addresses) for the block, unless something already does."""
    sock = socket.socket()
    try:
        sock.bind(("", port))
        sock.listen()
    except OSError:
        pass  # taken already: all the better
    try:
        yield
    finally:
        sock.close()


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


@pytest.mark.slow
def test_two_workers_write_the_same_bytes(corpus: Path, reference: dict[str, bytes], tmp_path: Path) -> None:
    res = runner.invoke(app, ["run", str(corpus), "--out", str(tmp_path / "out"), "--workers", "2"])
    assert res.exit_code == SKIPPED, res.output
    assert _outputs(tmp_path / "out") == reference
    assert golden_differences(tmp_path / "out", "corpus") == []  # as main wrote it before the restructure


@pytest.mark.slow
def test_dask_cluster_writes_the_same_bytes(
    corpus: Path, reference: dict[str, bytes], tmp_path: Path
) -> None:
    """On free ports only: Dask's default ones (8786 for the scheduler, 8787 for its
    dashboard) are held by this test, as another program may hold them on a user's machine."""
    distributed = pytest.importorskip("distributed")
    with (
        _held(8786),
        _held(8787),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0"
        ) as cluster,
    ):
        res = runner.invoke(
            app,
            ["run", str(corpus), "--out", str(tmp_path / "out"), "--scheduler", cluster.scheduler_address],
        )
    assert res.exit_code == SKIPPED, res.output
    assert _outputs(tmp_path / "out") == reference
    assert golden_differences(tmp_path / "out", "corpus") == []  # as main wrote it before the restructure


def test_unreachable_scheduler_is_a_clear_error(corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    with socket.socket() as sock:  # a port nothing listens on: bound, then let go
        sock.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{sock.getsockname()[1]}"
    args = ["run", str(corpus), "--out", str(tmp_path / "out"), "--scheduler", address]
    res = runner.invoke(app, [*args, "--scheduler-timeout", "0.5"])
    assert res.exit_code == 3
    assert f"cannot reach the Dask scheduler at {address}" in res.output


def test_new_pairing_settings_reuse_the_stored_documents(
    corpus: Path, corpus_run: Ran, tmp_path: Path
) -> None:
    out = copy_run(corpus_run, tmp_path)

    def stored() -> dict[str, int]:  # name -> inode: a document embedded again is a new file
        return {p.name: p.stat().st_ino for p in (out / ".aligner" / "docs").glob("*.npy")}

    before = stored()
    assert len(before) == 17  # every readable document, the binary one excepted
    res = runner.invoke(
        app,
        ["run", str(corpus), "--out", str(out), "--format", "links", "--pair-threshold", "0.9", "--force"],
    )
    assert res.exit_code == SKIPPED, res.output
    assert sorted(stored()) == sorted(before)
    assert stored() == before  # not one document was read, split and embedded again


def test_a_marker_a_crash_cut_short_makes_its_pair_redone(
    corpus: Path, corpus_run: Ran, reference: dict[str, bytes], tmp_path: Path
) -> None:
    """Markers are written last and not flushed to disk: after a crash one may be empty or
    cut short. A rerun cannot read it and redoes that pair; the others are skipped."""
    out = copy_run(corpus_run, tmp_path)
    markers = sorted((out / ".aligner" / "pairs").glob("*.json"))
    markers[0].write_text("")
    markers[1].write_bytes(markers[1].read_bytes()[:40])
    res = runner.invoke(app, ["run", str(corpus), "--out", str(out)])
    assert res.exit_code == SKIPPED, res.output
    assert "(5 already complete, skipped)" in res.stdout
    assert _outputs(out) == reference


@pytest.mark.parametrize("damage", ["empty", "cut short"])
def test_a_pair_file_a_crash_left_empty_or_cut_short_makes_its_pair_redone(
    corpus: Path, corpus_run: Ran, reference: dict[str, bytes], tmp_path: Path, damage: str
) -> None:
    """A pair's files are not flushed to disk one by one either: after a system crash one
    may be there with its marker but empty or cut short. Its size is not the one the
    marker records, so a rerun redoes that pair alone."""
    out = copy_run(corpus_run, tmp_path)
    tmx = sorted(out.glob("*.tmx"))[2]
    tmx.write_bytes(b"" if damage == "empty" else tmx.read_bytes()[:-10])
    res = runner.invoke(app, ["run", str(corpus), "--out", str(out)])
    assert res.exit_code == SKIPPED, res.output
    assert "(6 already complete, skipped)" in res.stdout
    assert _outputs(out) == reference


def _square(x: int) -> int:
    return x * x


@pytest.mark.parametrize(
    ("items", "chunk", "window"),
    [(0, 1, 64), (1, TASK_ITEMS, 64), (7, 3, 4), (100, TASK_ITEMS, 64), (1000, TASK_ITEMS, 2), (65, 64, 64)],
)
def test_tasks_of_several_items_give_every_result_once(items: int, chunk: int, window: int) -> None:
    """Items go to the workers several to a task; each result comes back once, whatever the
    order the tasks finish in."""
    with ThreadPoolExecutor(3) as pool:
        got = list(run_tasks(_square, range(items), pool, window=window, chunk=chunk))
    assert sorted(got) == [x * x for x in range(items)]


def _first_slow(x: int) -> int:
    """Every fourth item takes a while, so that later ones finish before it."""
    time.sleep(0.03 if x % 4 == 0 else 0.0)
    return x * x


@pytest.mark.parametrize(
    ("items", "chunk", "window"), [(0, 1, 4), (1, 1, 4), (9, 1, 4), (20, 3, 6), (30, 1, 2), (13, 4, 64)]
)
def test_ordered_tasks_give_the_results_in_the_items_order(items: int, chunk: int, window: int) -> None:
    """``ordered``: the results come out in the items' order (what ``aligner align --pairs``
    reports by), though later items finish first."""
    with ThreadPoolExecutor(3) as pool:
        got = list(run_tasks(_first_slow, range(items), pool, window=window, chunk=chunk, ordered=True))
    assert got == [x * x for x in range(items)]


def test_tasks_closed_early_finish_those_under_way_into_settled_and_drop_the_rest() -> None:
    """A caller that stops reading (bad input at one pair) closes the results: the tasks
    under way finish and their results go to ``settled``, in order; those not started
    never run. No result is lost and none is given twice."""
    ran: list[int] = []

    def slow(x: int) -> int:
        ran.append(x)
        time.sleep(0.05)
        return x * x

    settled: list[int] = []
    with ThreadPoolExecutor(2) as pool:
        results = run_tasks(slow, range(100), pool, window=6, ordered=True, settled=settled)
        first = [next(results) for _ in range(3)]
        results.close()
        ran_when_closed = sorted(ran)
    assert first == [0, 1, 4]
    assert settled, "two items were under way when the results were closed"
    assert settled == [x * x for x in ran_when_closed if x >= 3]
    assert max(ran_when_closed) < 3 + 6  # no more than the window was ever started
    assert sorted(ran) == ran_when_closed  # nothing started after the close


def test_pairing_with_no_vectors_held_in_memory_pairs_the_same(
    corpus: Path, reference: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pairing reads the vectors the scan sent back, up to a budget, and the work folder's
    beyond it: with no budget at all, every read goes to the folder, and nothing changes."""
    monkeypatch.setattr("aligner.pipeline.PAIRING_CACHE_BYTES", 0)
    res = runner.invoke(app, ["run", str(corpus), "--out", str(tmp_path / "out")])
    assert res.exit_code == SKIPPED, res.output
    assert _outputs(tmp_path / "out") == reference
