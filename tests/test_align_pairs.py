"""``aligner align --pairs FILE``: many pairs in one call, each written as a single call writes it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import aligner_cli.align
import pytest
from aligner_cli.common import BAD_INPUT, EXISTS, INTERRUPTED, OK, STOPPED, USAGE
from aligner_cli.main import app
from typer.testing import CliRunner

from .conftest import EN_SEED, IT_SEED, SEEDS

runner = CliRunner()
STOP_AT = Path(__file__).with_name("stop_at.py")
IT_ONLY = SEEDS / "002_abf4a547a46e6000.txt"  # an Italian dispatch with no English version
OTHER_IT = SEEDS / "003_9f66fee8583b8b08.txt"
PRESPLIT = {
    "de1.txt": "Der Berg ist hoch .\nWir stiegen am Morgen auf .\nDas Wetter war gut .\n",
    "fr1.txt": "La montagne est haute .\nNous sommes montés le matin .\nLe temps était beau .\n",
    "de2.txt": "Der Zug kam spät an .\nWir warteten eine Stunde .\n",
    "fr2.txt": "Le train est arrivé en retard .\nNous avons attendu une heure .\n",
}
DE_FR = ("--presplit", "--src-lang", "de", "--tgt-lang", "fr")


def _invoke(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning: ")]


def _presplit_docs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in PRESPLIT.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_three_pairs_give_the_bytes_of_three_single_calls(tmp_path: Path) -> None:
    """Two pairs with OUT (one in a subfolder), one without (named from its files, in -o's
    folder, created); paths relative to the pairs file's folder. Outputs and warnings are
    those of one `aligner align` per pair."""
    lists = tmp_path / "lists"
    (lists / "docs").mkdir(parents=True)
    for seed in (IT_SEED, EN_SEED, IT_ONLY, OTHER_IT):
        shutil.copy(seed, lists / "docs")
    pairs = [
        (IT_SEED.name, EN_SEED.name, "mine.tmx"),
        (IT_ONLY.name, EN_SEED.name, "sub/unfaithful.tmx"),  # not a translation: fidelity warnings
        (IT_SEED.name, OTHER_IT.name, None),
    ]
    lines = ["# source<TAB>target<TAB>output", ""]
    lines += ["\t".join([f"docs/{s}", f"docs/{t}", *([o] if o else [])]) for s, t, o in pairs]
    (lists / "pairs.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"

    res = _invoke("align", "--pairs", lists / "pairs.txt", "-o", out)

    assert res.exit_code == OK, res.output
    assert res.stdout == ""
    assert res.stderr.splitlines()[-1] == "aligned 3 pair(s), wrote 3 file(s) in 3 folders"
    default_name = f"{IT_SEED.stem}__{OTHER_IT.stem}.tmx"
    written = {
        "mine.tmx": lists / "mine.tmx",
        "sub/unfaithful.tmx": lists / "sub" / "unfaithful.tmx",
        None: out / default_name,
    }
    assert sorted(p.name for p in out.iterdir()) == [default_name]
    single_warnings = []
    for s, t, o in pairs:
        single = tmp_path / "single" / (o or default_name)
        one = _invoke("align", lists / "docs" / s, lists / "docs" / t, "-o", single)
        assert one.exit_code == OK, one.output
        assert written[o].read_bytes() == single.read_bytes(), (s, t)
        single_warnings += _warnings(one.stderr)
    assert any(IT_ONLY.name in w for w in single_warnings)
    assert _warnings(res.stderr) == single_warnings  # the same warnings, naming the same files
    assert not list(tmp_path.rglob(".*.tmp"))


def test_presplit_pairs_relative_to_the_pairs_file_default_output_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = _presplit_docs(tmp_path / "docs")
    (docs / "pairs.txt").write_text("de1.txt\tfr1.txt\nde2.txt\tfr2.txt\n", encoding="utf-8")
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)  # relative paths are the pairs file's folder's, not the current one's

    res = _invoke("align", "--pairs", docs / "pairs.txt", *DE_FR, "--format", "links")

    assert res.exit_code == OK, res.output
    assert res.stderr.splitlines()[-1] == "aligned 2 pair(s), wrote 2 file(s) to ."
    assert sorted(p.name for p in here.iterdir()) == ["de1__fr1.links", "de2__fr2.links"]
    for n, size in ((1, 3), (2, 2)):
        links = (here / f"de{n}__fr{n}.links").read_text(encoding="utf-8")
        assert [line.rsplit(":", 1)[0] for line in links.splitlines()] == [
            f"[{i}]:[{i}]" for i in range(size)
        ]
        single = _invoke("align", docs / f"de{n}.txt", docs / f"fr{n}.txt", *DE_FR, "--format", "links")
        assert single.stdout == links


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "error: SRC and TGT missing: give SRC and TGT (one pair) or --pairs FILE (many)"),
        (["{de1}"], "error: TGT missing: give SRC and TGT (one pair) or --pairs FILE (many)"),
        (["{de1}", "{fr1}", "--pairs", "{pairs}"], "error: give SRC and TGT (one pair) or --pairs FILE"),
        (
            ["{de1}", "--pairs", "{pairs}"],
            "error: give SRC and TGT (one pair) or --pairs FILE (many), not both",
        ),
        (["--pairs", "{pairs}", "-o", "{de1}"], "error: {de1}: is a file; with --pairs, -o/--output names"),
    ],
)
def test_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    docs = _presplit_docs(tmp_path / "docs")
    (docs / "pairs.txt").write_text("de1.txt\tfr1.txt\n", encoding="utf-8")
    names = {"de1": docs / "de1.txt", "fr1": docs / "fr1.txt", "pairs": docs / "pairs.txt"}
    before = _files(tmp_path)
    res = _invoke("align", *(a.format(**names) for a in args), *DE_FR)
    assert res.exit_code == USAGE, res.output
    assert message.format(**names) in res.stderr
    assert _files(tmp_path) == before


def test_an_output_file_with_every_pair_named_needs_no_folder(tmp_path: Path) -> None:
    docs = _presplit_docs(tmp_path / "docs")
    (docs / "pairs.txt").write_text("de1.txt\tfr1.txt\tone.links\n", encoding="utf-8")
    res = _invoke("align", "--pairs", docs / "pairs.txt", "-o", docs / "de1.txt", *DE_FR, "--format", "links")
    assert res.exit_code == OK, res.output
    assert (docs / "one.links").is_file()


#: (pairs file, its line at fault or None, the message after "pairs.txt[, line N]: ")
BAD_PAIRS = [
    (
        "de1.txt\tfr1.txt\nde2.txt\n",
        2,
        "has no tab: 'de2.txt'. Write one pair per line, SRC<TAB>TGT or SRC<TAB>TGT<TAB>OUT, "
        "the fields separated by a tab (not spaces).",
    ),
    ("de1.txt fr1.txt\n", 1, "has no tab: 'de1.txt fr1.txt'. Write one pair per line"),
    (
        "# a comment\n\nde1.txt\tfr1.txt\ta.links\textra\n",
        3,
        "has 4 tab-separated fields: 'de1.txt\\tfr1.txt\\ta.links\\textra'. Give 2 or 3 fields, "
        "SRC<TAB>TGT or SRC<TAB>TGT<TAB>OUT; a path cannot hold a tab.",
    ),
    (
        "de1.txt\t\ta.links\n",
        1,
        "its TGT field is empty: 'de1.txt\\t\\ta.links'. Give a path in each field, "
        "SRC<TAB>TGT or SRC<TAB>TGT<TAB>OUT, and no tab at the end of the line.",
    ),
    ("de1.txt\tfr1.txt\t\n", 1, "its OUT field is empty: 'de1.txt\\tfr1.txt\\t'."),
    (
        "de1.txt\tfr1.txt\nde2.txt\tfr9.txt\n",
        2,
        "names the target file {docs}/fr9.txt, which does not exist. Fix the path; "
        "a relative path is read from the pairs file's folder ({docs}).",
    ),
    ("sub\tfr1.txt\n", 1, "names the source file {docs}/sub, which is a folder."),
    (
        "de1.txt\tfr1.txt\tsame.links\nde2.txt\tfr2.txt\tsame.links\n",
        2,
        "writes {docs}/same.links, as line 1 does. Give one of them another OUT (the third field).",
    ),
    (
        "de1.txt\tfr1.txt\n\nde1.txt\tfr1.txt\n",
        3,
        "writes {out}/de1__fr1.links, as line 1 does. Give one of them another OUT (the third field); "
        "a pair without OUT is written to <SRC stem>__<TGT stem>.links in --output's folder.",
    ),
    (
        "de1.txt\tfr1.txt\nde2.txt\tfr2.txt\tfr1.txt\n",
        2,
        "writes {docs}/fr1.txt, which line 1 reads. Give this pair another OUT: the inputs are never "
        "overwritten.",
    ),
    (
        "de1.txt\tfr1.txt\tsub\n",
        1,
        "writes {docs}/sub, which is a folder. Give the pair an OUT that names a file",
    ),
    (
        "# nothing yet\n\n",
        None,
        "holds no pair (only blank lines and # comments). Write one pair per line: "
        "SRC<TAB>TGT or SRC<TAB>TGT<TAB>OUT.",
    ),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD_PAIRS)
def test_a_bad_pairs_file_stops_before_any_work(
    tmp_path: Path, text: str, line: int | None, message: str
) -> None:
    docs = _presplit_docs(tmp_path / "docs")
    (docs / "sub").mkdir()
    pairs = docs / "pairs.txt"
    pairs.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    before = _files(tmp_path)
    res = _invoke("align", "--pairs", pairs, "-o", out, *DE_FR, "--format", "links")
    assert res.exit_code == BAD_INPUT, res.output
    where = f"{pairs}" if line is None else f"{pairs}, line {line}"
    assert f"error: {where}: {message.format(docs=docs, out=out)}" in res.stderr
    assert _files(tmp_path) == before and not out.exists()  # the whole file is checked first


def test_a_missing_pairs_file(tmp_path: Path) -> None:
    res = _invoke("align", "--pairs", tmp_path / "pairs.txt")
    assert res.exit_code == BAD_INPUT
    assert f"error: {tmp_path / 'pairs.txt'}: does not exist. Check the path of the pairs file." in res.stderr


def test_existing_outputs_need_force(tmp_path: Path) -> None:
    docs = _presplit_docs(tmp_path / "docs")
    pairs = docs / "pairs.txt"
    pairs.write_text("de1.txt\tfr1.txt\tone.links\nde2.txt\tfr2.txt\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    taken = out / "de2__fr2.links"
    taken.write_text("mine\n", encoding="utf-8")

    res = _invoke("align", "--pairs", pairs, "-o", out, *DE_FR, "--format", "links")

    assert res.exit_code == EXISTS, res.output
    assert (
        f"error: {taken}: already exists (the output of line 2 of {pairs}) and was left untouched. "
        "Pass --force" in res.stderr
    )
    assert not (docs / "one.links").exists()  # checked before the first pair is aligned
    assert taken.read_text(encoding="utf-8") == "mine\n"

    res = _invoke("align", "--pairs", pairs, "-o", out, *DE_FR, "--format", "links", "--force")
    assert res.exit_code == OK, res.output
    single = _invoke("align", docs / "de2.txt", docs / "fr2.txt", *DE_FR, "--format", "links")
    assert taken.read_text(encoding="utf-8") == single.stdout
    assert (docs / "one.links").is_file()


def test_a_pair_that_fails_stops_the_run_and_keeps_what_was_written(tmp_path: Path) -> None:
    docs = _presplit_docs(tmp_path / "docs")
    (docs / "empty.txt").write_text("", encoding="utf-8")
    pairs = docs / "pairs.txt"
    pairs.write_text(
        "de1.txt\tfr1.txt\n# the next one cannot be read\nempty.txt\tfr2.txt\nde2.txt\tfr2.txt\n"
    )
    out = tmp_path / "out"

    res = _invoke("align", "--pairs", pairs, "-o", out, *DE_FR, "--format", "links")

    assert res.exit_code == BAD_INPUT, res.output
    assert (
        f"error: {pairs}, line 3: {docs / 'empty.txt'}: is empty. Give a file with one sentence per line."
        in res.stderr
    )
    assert (
        "stopped at pair 2 of 3: 1 pair(s) aligned and written before it (left in place), 2 not aligned."
        in res.stderr
    )
    assert sorted(p.name for p in out.iterdir()) == ["de1__fr1.links"]


@pytest.mark.parametrize(
    ("name", "options", "starts"),
    [
        ("a.tsv", (), "Der Berg ist hoch .\tLa montagne est haute .\t"),
        ("a.links", (), "[0]:[0]:"),
        ("a.TMX", (), '<?xml version="1.0" encoding="UTF-8"?>\n<tmx '),
        ("a.xlf", (), '<?xml version="1.0" encoding="UTF-8"?>\n<xliff '),
        ("a.txt", (), '<?xml version="1.0" encoding="UTF-8"?>\n<tmx '),  # no format of its own: TMX
        ("a.tsv", ("--format", "links"), "[0]:[0]:"),  # --format wins
    ],
)
def test_the_output_files_extension_names_its_format(
    tmp_path: Path, name: str, options: tuple[str, ...], starts: str
) -> None:
    docs = _presplit_docs(tmp_path / "docs")
    out = tmp_path / name
    res = _invoke("align", docs / "de1.txt", docs / "fr1.txt", "-o", out, *DE_FR, *options)
    assert res.exit_code == OK, res.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith(starts)


@pytest.mark.parametrize("force", [False, True])
def test_a_pair_cannot_write_over_the_pairs_file(tmp_path: Path, force: bool) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(f"{IT_SEED}\t{EN_SEED}\tpairs.tsv\n", encoding="utf-8")
    before = pairs.read_bytes()
    res = _invoke("align", "--pairs", pairs, *(["--force"] if force else []))
    assert (
        res.exit_code == BAD_INPUT
        and "line 1: writes" in res.output
        and "which is this pairs file" in res.output
    )
    assert pairs.read_bytes() == before


@pytest.mark.parametrize(
    ("out", "starts"), [("a.tsv", "Milano, 25 nov."), ("a.links", "[0]:[0]:"), ("a.tmx", "<?xml")]
)
def test_each_outs_extension_chooses_its_format_as_o_does(tmp_path: Path, out: str, starts: str) -> None:
    (tmp_path / "pairs.txt").write_text(f"{IT_SEED}\t{EN_SEED}\t{out}\n", encoding="utf-8")
    assert _invoke("align", "--pairs", tmp_path / "pairs.txt").exit_code == OK
    assert _invoke("align", IT_SEED, EN_SEED, "-o", tmp_path / f"single-{out}").exit_code == OK
    written = (tmp_path / out).read_text(encoding="utf-8")
    assert written.startswith(starts) and written == (tmp_path / f"single-{out}").read_text(encoding="utf-8")


def _fail_on_der_berg(monkeypatch: pytest.MonkeyPatch, message: str) -> None:
    """Make the aligner raise IndexError(``message``) on the pair whose source starts with
    "Der Berg" (de1.txt): a fault of ours, as moved_blocks once had."""
    import aligner_cli.align as cli_align

    real = cli_align.align

    def faulty(source, target, *args, **kwargs):  # type: ignore[no-untyped-def]
        if source[0].text.startswith("Der Berg"):
            raise IndexError(message)
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(cli_align, "align", faulty)


def test_a_pair_our_code_fails_on_is_reported_and_the_others_are_aligned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault of ours in one pair (here made to happen: the aligner raises IndexError on
    de1.txt, as moved_blocks once did) is reported with its line and "please report it",
    the other pairs are aligned and written, and the exit code says not all were (before,
    a Python traceback, and the pairs after it were not aligned)."""
    docs = _presplit_docs(tmp_path / "docs")
    pairs = docs / "pairs.txt"
    pairs.write_text("de1.txt\tfr1.txt\nde2.txt\tfr2.txt\n")
    out = tmp_path / "out"
    _fail_on_der_berg(monkeypatch, "index 0 is out of bounds for axis 0 with size 0")
    res = _invoke("align", "--pairs", pairs, "-o", out, *DE_FR, "--format", "links")

    assert res.exit_code == 1, res.output
    assert (
        f"error: {pairs}, line 1: aligning {docs / 'de1.txt'} with {docs / 'fr1.txt'} failed (IndexError: "
        "index 0 is out of bounds for axis 0 with size 0); nothing was written for it; please report it"
    ) in res.stderr
    assert "aligned 1 pair(s), wrote 1 file(s)" in res.stderr
    assert "1 pair(s) failed (above) and were not written" in res.stderr
    assert sorted(p.name for p in out.iterdir()) == ["de2__fr2.links"]


def test_workers_write_the_bytes_and_messages_of_one_process(tmp_path: Path) -> None:
    """--workers 2 (a real pool of spawned processes) writes every output byte for byte as
    one process does, and prints the same warnings in the pairs file's order."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for seed in (IT_SEED, EN_SEED, IT_ONLY, OTHER_IT):
        shutil.copy(seed, docs)
    pairs = docs / "pairs.txt"
    listed = [
        (IT_SEED, EN_SEED),
        (IT_ONLY, EN_SEED),
        (IT_SEED, OTHER_IT),
        (OTHER_IT, EN_SEED),
        (IT_ONLY, IT_SEED),
    ]
    pairs.write_text("".join(f"{s.name}\t{t.name}\n" for s, t in listed), encoding="utf-8")

    results = {}
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        res = _invoke("align", "--pairs", pairs, "-o", out, "--encoder", "use", "--workers", workers)
        assert res.exit_code == OK, res.output
        last = res.stderr.splitlines()[-1].replace(str(out), "OUT")
        results[workers] = (_files(out), _warnings(res.stderr), last)

    assert len(results["1"][0]) == len(listed)
    assert results["1"][1], "the pairs that are no translations are warned of"
    assert results["1"][2] == "aligned 5 pair(s), wrote 5 file(s) to OUT"
    assert results["2"] == results["1"]


def test_with_workers_bad_input_stops_at_its_line_and_counts_what_was_written(tmp_path: Path) -> None:
    """The pairs after a bad one may be under way in other workers: they finish, and the
    message counts them among those written (left in place); the rest are not aligned."""
    docs = _presplit_docs(tmp_path / "docs")
    (docs / "empty.txt").write_text("", encoding="utf-8")
    lines = ["de1.txt\tfr1.txt\tp1.links", "de2.txt\tfr2.txt\tp2.links", "empty.txt\tfr2.txt\tp3.links"]
    lines += [f"de{k % 2 + 1}.txt\tfr{k % 2 + 1}.txt\tp{k}.links" for k in range(4, 12)]
    pairs = docs / "pairs.txt"
    pairs.write_text("\n".join(lines) + "\n", encoding="utf-8")

    res = _invoke("align", "--pairs", pairs, *DE_FR, "--encoder", "use", "--workers", "2")

    assert res.exit_code == BAD_INPUT, res.output
    assert f"error: {pairs}, line 3: {docs / 'empty.txt'}: is empty." in res.stderr
    found = re.search(
        r"stopped at pair 3 of 11: 2 pair\(s\) aligned and written before it"
        r"(?: and (\d+) after it \(under way in other workers\))? \(left in place\), (\d+) not aligned\.",
        res.stderr,
    )
    assert found, res.stderr
    after, not_aligned = int(found.group(1) or 0), int(found.group(2))
    assert after + not_aligned == 9
    written = {p.name for p in docs.glob("p*.links")}
    assert {"p1.links", "p2.links"} <= written
    assert "p3.links" not in written
    assert len(written) == 2 + after


def _stopped_pairs(
    tmp_path: Path, action: str, after: int, count: int, workers: str
) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    """``align --pairs`` of ``count`` presplit pairs (``p0.links``...) with ``use`` and
    ``--workers``, stopped by ``tests/stop_at.py`` (``action``) at the ``after``-th pair
    written in a process: the documents' folder, the pairs file and the finished command."""
    docs = _presplit_docs(tmp_path / "docs")
    lines = [f"de{k % 2 + 1}.txt\tfr{k % 2 + 1}.txt\tp{k}.links" for k in range(count)]
    pairs = docs / "pairs.txt"
    pairs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["align", "--pairs", str(pairs), *DE_FR, "--encoder", "use", "--workers", workers]
    stop = [sys.executable, str(STOP_AT), action, "listed", str(after), str(tmp_path / "x")]
    return docs, pairs, subprocess.run([*stop, *args], capture_output=True, text=True)


@pytest.mark.slow
def test_with_workers_a_dead_worker_is_a_clear_error_and_the_pairs_written_are_whole(tmp_path: Path) -> None:
    """A worker killed (SIGKILL, as the out-of-memory killer does) after its first pair: the
    command stops with its own exit code and says what happened and what to do; every file
    it wrote is the one a call without workers writes."""
    docs, pairs, done = _stopped_pairs(tmp_path, "die", 1, 8, "2")

    assert done.returncode == STOPPED, done.stderr
    assert "Traceback" not in done.stderr
    assert f"error: {pairs}: a worker process died (BrokenProcessPool" in done.stderr
    assert (
        "perhaps for lack of memory. The pairs written are whole: run again without their lines"
        in done.stderr
    )
    written = {p.name: p.read_bytes() for p in docs.glob("p*.links")}
    assert len(written) < 8
    assert not list(docs.glob(".*.tmp"))
    reference = tmp_path / "reference"
    shutil.copytree(docs, reference, ignore=shutil.ignore_patterns("p*.links"))
    again = _invoke("align", "--pairs", reference / "pairs.txt", *DE_FR, "--encoder", "use")
    assert again.exit_code == OK, again.output
    for name, data in written.items():
        assert data == (reference / name).read_bytes(), name


@pytest.mark.slow
@pytest.mark.parametrize(
    ("workers", "under_way"),
    [
        ("2", ""),  # the pairs under way in the workers finish and are counted
        ("1", ", and perhaps the one under way"),  # here, it may be renamed into place or not
    ],
)
def test_ctrl_c_says_how_many_pairs_were_written_and_leaves_them_whole(
    workers: str, under_way: str, tmp_path: Path
) -> None:
    """Ctrl-C (SIGINT to the main process, after the third pair written somewhere): exit
    130, and a message that counts the pairs written, each file whole."""
    docs, pairs, done = _stopped_pairs(tmp_path, "interrupt", 3, 40, workers)

    assert done.returncode == INTERRUPTED, done.stderr
    assert "Traceback" not in done.stderr
    found = re.search(
        rf"error: {re.escape(str(pairs))}: interrupted: (\d+) of 40 pair\(s\) aligned and written"
        rf"{re.escape(under_way)} \(no file is half-written\)\. Run again without their lines, or with "
        r"--force to redo them\.",
        done.stderr,
    )
    assert found, done.stderr
    counted = int(found.group(1))
    written = {p.name: p.read_bytes() for p in docs.glob("p*.links")}
    assert 2 <= counted < 40
    assert len(written) == counted if not under_way else counted <= len(written) <= counted + 1
    assert not list(docs.glob(".*.tmp"))
    first = _invoke(
        "align", docs / "de1.txt", docs / "fr1.txt", *DE_FR, "--encoder", "use", "--format", "links"
    )
    second = _invoke(
        "align", docs / "de2.txt", docs / "fr2.txt", *DE_FR, "--encoder", "use", "--format", "links"
    )
    for name, data in written.items():
        assert data.decode() == (first if int(name[1:-6]) % 2 == 0 else second).stdout, name


@pytest.mark.parametrize(
    ("requested", "encoder", "sizes", "expected"),
    [
        (None, "use", [100_000, 100_000, 5_000, 5_000], 3),  # 210 KB: a worker per core, at most one a pair
        (None, "use", [40_000] * 8, 4),
        (None, "use", [30_000] * 6, 1),  # 180 KB: starting workers would cost more than they gain
        (None, "e5", [100_000] * 6, 1),  # e5 uses every core in one process
        (2, "use", [1_000] * 6, 2),  # --workers is taken as given
        (8, "e5", [1_000] * 6, 4),  # ... but never more than the pairs
        (1, "use", [100_000] * 6, 1),
    ],
)
def test_pairs_take_workers_by_the_size_of_their_documents(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    requested: int | None,
    encoder: str,
    sizes: list[int],
    expected: int,
) -> None:
    """Without --workers, --pairs takes one worker per core with use (as `aligner run` does)
    once its documents hold 192 KB or more in all (each file counted once); a worker's start
    costs about a second, more than a short list takes in one process. The pairs are those
    of consecutive files, and the first pair once more."""
    from aligner_cli.align import PairJob, pairs_workers

    monkeypatch.setattr("os.cpu_count", lambda: 4)
    files = []
    for k, size in enumerate(sizes):
        path = tmp_path / f"d{k}.txt"
        path.write_bytes(b"x" * size)
        files.append(path)
    jobs = [PairJob(files[k], files[k + 1], tmp_path / f"o{k}") for k in range(0, len(files), 2)]
    jobs += [PairJob(files[0], files[1], tmp_path / "again")]  # the same files again count once

    assert pairs_workers(requested, encoder, jobs) == expected


def test_a_pair_that_failed_is_not_counted_among_those_written_when_a_later_one_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = _presplit_docs(tmp_path / "docs")
    (docs / "empty.txt").write_text("", encoding="utf-8")
    pairs = docs / "pairs.txt"
    pairs.write_text("de1.txt\tfr1.txt\nde2.txt\tfr2.txt\nempty.txt\tfr2.txt\n")
    out = tmp_path / "out"
    _fail_on_der_berg(monkeypatch, "made to fail")
    res = _invoke("align", "--pairs", pairs, "-o", out, *DE_FR, "--format", "links")

    assert res.exit_code == BAD_INPUT, res.output
    assert "line 1: aligning" in res.stderr
    assert (
        "stopped at pair 3 of 3: 1 pair(s) aligned and written before it (left in place), 1 not aligned."
        in res.stderr
    )
    assert sorted(p.name for p in out.iterdir()) == ["de2__fr2.links"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("point", "output", "said"),
    [
        ("aligned", None, "its alignment was not printed, or not all of it. Run the command again"),
        ("aligned", "out.tsv", "nothing was written to {out}. Run the command again"),
        ("writing", "out.tsv", "nothing was written to {out}. Run the command again"),  # at the rename
    ],
    ids=["printing", "before-writing", "at-the-rename"],
)
def test_ctrl_c_on_one_pair_says_what_was_written(
    point: str, output: str | None, said: str, tmp_path: Path
) -> None:
    """Ctrl-C during ``aligner align SRC TGT``: exit 130, a line that names the pair and
    says what became of its output, no traceback, nothing half-written."""
    out = tmp_path / "out.tsv"
    args = ["align", str(IT_SEED), str(EN_SEED), *(["-o", str(out)] if output else [])]
    stop = [sys.executable, str(STOP_AT), "interrupt", point, "1", str(tmp_path / "x")]
    done = subprocess.run([*stop, *args], capture_output=True, text=True)

    assert done.returncode == INTERRUPTED, done.stderr
    assert "Traceback" not in done.stderr
    assert f"error: {IT_SEED} and {EN_SEED}: interrupted: {said.format(out=out)}" in done.stderr
    assert done.stdout == ""
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["x"]  # the marker alone: no temporary file left


@pytest.mark.parametrize(
    ("output", "exists", "force", "said"),
    [
        (
            None,
            False,
            False,
            "its alignment was not printed, or not all of it. Run the command again to align them.",
        ),
        ("out.tsv", False, True, "nothing was written to {out}. Run the command again to align them."),
        ("out.tsv", True, False, "{out} was written whole before it. Nothing is missing."),
        (
            "out.tsv",
            True,
            True,
            "{out} is as it was before the command, or written whole (never half-written). "
            "Run the command again to align them.",
        ),
    ],
    ids=["printed", "not-written", "written", "forced"],
)
def test_what_ctrl_c_left_of_one_pair(
    output: str | None, exists: bool, force: bool, said: str, tmp_path: Path
) -> None:
    """Without --force an output that exists after the interrupt was written by the command
    (it refuses to start over one); with --force it may be the old one."""
    out = tmp_path / "out.tsv"
    if exists:
        out.write_text("1\t1\n", encoding="utf-8")
    job = aligner_cli.align.PairJob(IT_SEED, EN_SEED, out if output else None)
    expected = f"{IT_SEED} and {EN_SEED}: interrupted: {said.format(out=out)}"
    assert aligner_cli.align._interrupted(job, force) == expected
