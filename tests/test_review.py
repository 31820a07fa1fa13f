"""The review's edits, project file, export and report (no server, no browser)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from aligner.errors import AlignerError, InputError, OutputExistsError
from aligner.review import PROJECT_FILE, open_project
from aligner.review import edits as E
from aligner.review.edits import EditError, ReviewLink, Stamp
from aligner.review.export import export_review, reviewed_alignment
from aligner.review.report import report_of_project, report_of_run
from aligner.review.source import read_run
from aligner.review.store import Project, StaleError

from .conftest import DTD, Ran, aligner_script, copy_run
from .reviewdata import hand_run, hostile_run, links

STAMP = Stamp("ann", "2026-11-21T10:00:00Z")


def shape(ls: list[ReviewLink] | tuple[ReviewLink, ...]) -> list[tuple[list[int], list[int]]]:
    return [(list(lk.src), list(lk.tgt)) for lk in ls]


# --- edits: a table of small cases ---------------------------------------------------------

TWO = links(([0], [0], 0.9), ([1], [1], 0.8))
#: Source 1-2's translation moved to the end of the target: two moved links.
MOVED = (
    ReviewLink((0,), (0,), 0.9),
    ReviewLink((1,), (2,), 0.8, moved=True),
    ReviewLink((2,), (3,), 0.8, moved=True),
    ReviewLink((3,), (1,), 0.9),
)
TWO_ONE = links(([0, 1], [0], 0.6), ([2], [1], 0.9))
ONE_TWO = links(([0], [0], 0.9), ([1], [1, 2], 0.5))

CASES = [
    # (links, edit, expected shape)
    (TWO, lambda ls: E.merge_next(ls, 0, STAMP), [([0, 1], [0, 1])]),
    (TWO, lambda ls: E.merge_previous(ls, 1, STAMP), [([0, 1], [0, 1])]),
    (TWO_ONE, lambda ls: E.split(ls, 0, STAMP), [([0], [0]), ([1], []), ([2], [1])]),
    (links(([0, 1], [0, 1], 0.7)), lambda ls: E.split(ls, 0, STAMP), [([0], [0]), ([1], [1])]),
    (TWO_ONE, lambda ls: E.move(ls, 0, "src", "next", STAMP), [([0], [0]), ([1, 2], [1])]),
    (ONE_TWO, lambda ls: E.move(ls, 1, "tgt", "previous", STAMP), [([0], [0, 1]), ([1], [2])]),
    # a link left with nothing on either side disappears
    (links(([0], [], 0.5), ([1], [0], 0.9)), lambda ls: E.move(ls, 0, "src", "next", STAMP), [([0, 1], [0])]),
    (TWO_ONE, lambda ls: E.detach(ls, 0, "src", 0, STAMP), [([0], []), ([1], [0]), ([2], [1])]),
    (TWO_ONE, lambda ls: E.detach(ls, 0, "src", 1, STAMP), [([0], [0]), ([1], []), ([2], [1])]),
    (TWO, lambda ls: E.detach(ls, 1, "tgt", 1, STAMP), [([0], [0]), ([1], []), ([], [1])]),
    (TWO, lambda ls: E.set_status(ls, 0, "approved", STAMP), [([0], [0]), ([1], [1])]),
    (
        MOVED,
        lambda ls: E.set_status(ls, 1, "rejected", STAMP),
        [([0], [0]), ([1], [2]), ([2], [3]), ([3], [1])],
    ),
    # detaching from a moved link: the target sentence goes back to its place in the target's order
    (
        MOVED,
        lambda ls: E.detach(ls, 1, "tgt", 2, STAMP),
        [([0], [0]), ([1], []), ([2], [3]), ([3], [1]), ([], [2])],
    ),
    (
        MOVED,
        lambda ls: E.detach(ls, 2, "src", 2, STAMP),
        [([0], [0]), ([1], [2]), ([2], []), ([3], [1]), ([], [3])],
    ),
    (
        (ReviewLink((0,), (1,), 0.8, moved=True), ReviewLink((1,), (0,), 0.9)),
        lambda ls: E.detach(ls, 0, "src", 0, STAMP),
        [([0], []), ([1], [0]), ([], [1])],
    ),
]


@pytest.mark.parametrize(("before", "edit", "after"), CASES)
def test_edit_table(before: tuple[ReviewLink, ...], edit, after) -> None:  # type: ignore[no-untyped-def]
    change = edit(before)
    result = E.apply(before, change)
    assert shape(result) == after
    n_src = max(i for lk in before for i in lk.src) + 1
    n_tgt = max(j for lk in before for j in lk.tgt) + 1
    E.check_cover(result, n_src, n_tgt)
    assert E.apply(tuple(result), E.revert(change)) == list(before)


@pytest.mark.parametrize(
    ("before", "edit", "message"),
    [
        (TWO, lambda ls: E.merge_next(ls, 1, STAMP), "no next link"),
        (TWO, lambda ls: E.merge_previous(ls, 0, STAMP), "no previous link"),
        (TWO, lambda ls: E.split(ls, 0, STAMP), "only a link with two or more"),
        (TWO, lambda ls: E.move(ls, 1, "src", "next", STAMP), "no next link"),
        (
            links(([], [0], 0.5), ([0], [1], 0.9)),
            lambda ls: E.move(ls, 0, "src", "next", STAMP),
            "no source sentence",
        ),
        (links(([0, 1, 2], [0], 0.5)), lambda ls: E.detach(ls, 0, "src", 1, STAMP), "split the link first"),
        (
            links(([0], [], 0.5), ([], [0], 0.5)),
            lambda ls: E.detach(ls, 0, "src", 0, STAMP),
            "already has no counterpart",
        ),
        (TWO, lambda ls: E.detach(ls, 0, "src", 1, STAMP), "not in link 1"),
        (TWO, lambda ls: E.set_status(ls, 5, "approved", STAMP), "no link 6"),
        (TWO, lambda ls: E.set_status(ls, 0, "done", STAMP), "unknown status"),
        (MOVED, lambda ls: E.merge_next(ls, 0, STAMP), "link 2 was linked out of order"),
        (MOVED, lambda ls: E.merge_previous(ls, 3, STAMP), "link 3 was linked out of order"),
        (MOVED, lambda ls: E.move(ls, 1, "src", "next", STAMP), "out of order"),
        (MOVED, lambda ls: E.move(ls, 0, "tgt", "next", STAMP), "out of order"),
    ],
)
def test_edits_that_cannot_be_made_say_why(before, edit, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EditError, match=message):
        edit(before)


def test_edited_links_have_no_aligner_score_and_carry_the_reviewer() -> None:
    (merged,) = E.apply(TWO, E.merge_next(TWO, 0, STAMP))
    assert merged.score is None and merged.status == "pending"
    assert (merged.changed_by, merged.changed_at) == ("ann", "2026-11-21T10:00:00Z")
    approved = E.apply(TWO, E.set_status(TWO, 1, "approved", STAMP))[1]
    assert approved.score == 0.8  # approving keeps the aligner's score


@st.composite
def edit_sequences(draw: st.DrawFn) -> tuple[tuple[ReviewLink, ...], list[tuple[str, int, str, int]]]:
    n = draw(st.integers(1, 6))
    start = links(*[([i], [i], 0.5) for i in range(n)])
    if n >= 3 and draw(st.booleans()):  # a block whose translation the target moved to its end
        p = draw(st.integers(0, n - 2))
        q = draw(st.integers(p + 1, n - 1))
        rest = [i for i in range(n) if not p <= i < q]
        where = {i: k for k, i in enumerate([*rest, *range(p, q)])}
        start = tuple(ReviewLink((i,), (where[i],), 0.5, moved=p <= i < q) for i in range(n))
    ops = draw(
        st.lists(
            st.tuples(
                st.sampled_from(
                    [
                        "merge_next",
                        "merge_previous",
                        "split",
                        "move_next",
                        "move_previous",
                        "detach",
                        "approve",
                    ]
                ),
                st.integers(0, 8),
                st.sampled_from(["src", "tgt"]),
                st.integers(0, 8),
            ),
            max_size=12,
        )
    )
    return start, ops


@settings(max_examples=200, deadline=None)
@given(edit_sequences())
def test_any_sequence_of_edits_keeps_every_sentence_once_in_order(case) -> None:  # type: ignore[no-untyped-def]
    start, ops = case
    n = len(start)
    current = list(start)
    history = []
    for name, pos, side, sentence in ops:
        try:
            if name == "merge_next":
                change = E.merge_next(current, pos, STAMP)
            elif name == "merge_previous":
                change = E.merge_previous(current, pos, STAMP)
            elif name == "split":
                change = E.split(current, pos, STAMP)
            elif name == "move_next":
                change = E.move(current, pos, side, "next", STAMP)  # type: ignore[arg-type]
            elif name == "move_previous":
                change = E.move(current, pos, side, "previous", STAMP)  # type: ignore[arg-type]
            elif name == "detach":
                change = E.detach(current, pos, side, sentence, STAMP)  # type: ignore[arg-type]
            else:
                change = E.set_status(current, pos, "approved", STAMP)
        except EditError:
            continue
        history.append((list(current), change))
        current = E.apply(current, change)
        E.check_cover(current, n, n)
    for before, change in reversed(history):  # undoing everything gives back each earlier state
        current = E.apply(current, E.revert(change))
        assert current == before
    assert current == list(start)


# --- the project file ----------------------------------------------------------------------


@pytest.fixture()
def project(tmp_path: Path) -> Project:
    run = hand_run(
        tmp_path,
        ["Uno.", "Due.", "Tre."],
        ["One.", "Two.", "Three."],
        [([0], [0], 0.9), ([1], [1], 0.3), ([2], [2], 0.7)],
    )
    return Project.create(tmp_path / PROJECT_FILE, run, clock=lambda: "2026-11-21T10:00:00Z")


def test_edit_undo_redo_and_a_new_edit_drops_the_redo(project: Project) -> None:
    assert shape(project.edit(1, 0, "ann", "merge_next", {"position": 0}).view.links) == [
        ([0, 1], [0, 1]),
        ([2], [2]),
    ]
    assert project.can_undo(1) == (True, False)
    undone = project.edit(1, 1, "ann", "undo")
    assert shape(undone.view.links) == [([0], [0]), ([1], [1]), ([2], [2])]
    assert project.can_undo(1) == (False, True)
    redone = project.edit(1, 2, "ann", "redo")
    assert shape(redone.view.links) == [([0, 1], [0, 1]), ([2], [2])]
    project.edit(1, 3, "ann", "undo")
    project.edit(1, 4, "bob", "approve", {"position": 2})
    assert project.can_undo(1) == (True, False)  # the merge can no longer be redone
    with pytest.raises(EditError, match="nothing to redo"):
        project.edit(1, 5, "bob", "redo")
    assert [(h["action"], h["state"], h["reviewer"]) for h in project.history(1)] == [
        ("merge_next", "dropped", "ann"),
        ("undo", "log", "ann"),
        ("redo", "log", "ann"),
        ("undo", "log", "ann"),
        ("approve", "applied", "bob"),
    ]


def test_a_stale_write_is_refused_and_changes_nothing(project: Project) -> None:
    project.edit(1, 0, "ann", "approve", {"position": 0})  # tab A
    with pytest.raises(StaleError, match=r"changed in another tab.*approve by ann"):
        project.edit(1, 0, "ann", "merge_next", {"position": 1})  # tab B, still at revision 0
    view = project.pair(1)
    assert view.revision == 1
    assert shape(view.links) == [([0], [0]), ([1], [1]), ([2], [2])]
    assert view.links[0].status == "approved"
    assert [h["action"] for h in project.history(1)] == ["approve"]


def test_a_failed_edit_leaves_the_revision_alone(project: Project) -> None:
    with pytest.raises(EditError):
        project.edit(1, 0, "ann", "merge_next", {"position": 2})
    with pytest.raises(EditError, match="move needs side"):
        project.edit(1, 0, "ann", "move", {"position": 0})
    with pytest.raises(EditError, match="unknown action"):
        project.edit(1, 0, "ann", "delete_everything", {"position": 0})
    assert project.pair(1).revision == 0 and project.history(1) == []


def test_reopening_the_file_loses_nothing_and_keeps_the_aligner_links(
    project: Project, tmp_path: Path
) -> None:
    project.edit(1, 0, "ann", "merge_next", {"position": 1})
    project.edit(1, 1, "ann", "comment", {"position": 1, "text": "  controllare  "})
    again = Project.open(tmp_path / PROJECT_FILE)
    view = again.pair(1)
    assert shape(view.links) == [([0], [0]), ([1, 2], [1, 2])]
    assert view.links[1].comment == "controllare"
    assert shape(again.aligner_links(1)) == [([0], [0]), ([1], [1]), ([2], [2])]
    with sqlite3.connect(tmp_path / PROJECT_FILE) as db:  # the history is plain SQL
        assert db.execute("SELECT action, reviewer, at FROM edits ORDER BY id").fetchall() == [
            ("merge_next", "ann", "2026-11-21T10:00:00Z"),
            ("comment", "ann", "2026-11-21T10:00:00Z"),
        ]


def test_an_edit_survives_a_kill_9_right_after_it(project: Project, tmp_path: Path) -> None:
    code = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from aligner.review.store import Project\n"
        "p = Project.open(Path(sys.argv[1]))\n"
        "p.edit(1, 0, 'ann', 'approve', {'position': 1})\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(project.path)], capture_output=True)
    assert done.returncode == -signal.SIGKILL
    assert project.pair(1).links[1].status == "approved"


def test_a_file_that_is_not_a_project_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.sqlite"
    bad.write_text("not a database")
    with pytest.raises(InputError, match=r"notes\.sqlite: is not a review project"):
        Project.open(bad)


# --- a real run, opened for review -----------------------------------------------------------


@pytest.fixture()
def run_folder(seed_run: Ran) -> Path:
    """The seed run; the tests below read it and write elsewhere (projects, reports)."""
    return seed_run.out


def test_a_run_opens_as_a_project_with_its_sentences_and_links(run_folder: Path, tmp_path: Path) -> None:
    run = read_run(run_folder)
    (pair,) = run.pairs
    opened = open_project(run_folder, tmp_path / "p.sqlite")
    view = opened.project.pair(1)
    assert view.links == pair.links and view.source.sentences == pair.source.sentences
    manifest_links = (run_folder / f"{pair.stem}.links").read_text().splitlines()
    assert len(view.links) == len(manifest_links)
    # opened again: the same project, nothing added
    assert open_project(run_folder, tmp_path / "p.sqlite").added == 0


def test_a_pair_file_opens_on_that_pair(run_folder: Path, tmp_path: Path) -> None:
    (pair,) = read_run(run_folder).pairs
    opened = open_project(run_folder / f"{pair.stem}.tmx", tmp_path / "p.sqlite")
    assert opened.start == pair.stem


@pytest.mark.parametrize("command", ["report", "review-export"])
def test_a_pair_file_names_that_pair_only_once_the_run_has_a_project(
    corpus_run: Ran, tmp_path: Path, command: str
) -> None:
    out = copy_run(corpus_run, tmp_path)
    stems = [p.stem for p in read_run(out).pairs]
    assert len(stems) > 1
    open_project(out)  # the review project of every pair, in the run folder
    target = tmp_path / "one"
    args = ["-o", str(target / "page.html")] if command == "report" else ["--out", str(target)]
    done = subprocess.run(
        [aligner_script(), command, str(out / f"{stems[1]}.tmx"), *args], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    if command == "report":
        html = (target / "page.html").read_text()
        assert "1 pair(s) · reviewed" in html
    else:
        assert sorted(p.stem for p in target.glob("*.tmx")) == [stems[1]]
        assert [p["files"]["tmx"] for p in json.loads((target / "manifest.json").read_text())["pairs"]] == [
            f"{stems[1]}.tmx"
        ]


def test_a_review_export_is_read_as_tmx_files_not_as_a_run(run_folder: Path, tmp_path: Path) -> None:
    """Its manifest says it is an export: the folder is refused with what to open instead,
    and its TMX opens as a file of its own (it holds no run's sentences to read back)."""
    opened = open_project(run_folder, tmp_path / "p.sqlite")
    exported = tmp_path / "reviewed"
    export_review(opened.project, exported, ["tmx", "tsv"])
    with pytest.raises(InputError, match=r"is a review's export \(written by `aligner review-export` from "):
        open_project(exported)
    (tmx,) = exported.glob("*.tmx")
    again = open_project(tmx)
    assert again.bilingual is not None and again.project.path == tmx.with_name(f"{tmx.stem}.review.sqlite")
    assert len(again.project.pair(1).links) == len(
        [lk for lk in opened.project.pair(1).links if not lk.is_null]
    )


def test_a_run_made_with_min_score_cannot_be_reviewed(run_folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run_folder, copy)
    (pair,) = read_run(copy).pairs
    links_file = copy / f"{pair.stem}.links"
    links_file.write_text("".join(links_file.read_text().splitlines(keepends=True)[1:]))
    with pytest.raises(
        InputError, match=r"\.links: the links do not cover every sentence.*without --min-score"
    ):
        read_run(copy)


def test_a_folder_that_is_not_a_run_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"has no manifest\.json"):
        open_project(tmp_path)


# --- export ------------------------------------------------------------------------------------


def _reviewed(project: Project) -> None:
    project.edit(1, 0, "ann", "approve", {"position": 0})
    project.edit(1, 1, "ann", "reject", {"position": 1})
    project.edit(1, 2, "bob", "comment", {"position": 2, "text": "«verificare» <data> & fonte"})
    project.edit(1, 3, "bob", "approve", {"position": 2})


def test_approved_only_tmx_validates_and_holds_exactly_the_approved_units(
    project: Project, tmp_path: Path
) -> None:
    _reviewed(project)
    out = tmp_path / "reviewed"
    summary = export_review(project, out, ["tmx", "tsv", "links"], approved_only=True)
    assert summary.units == 2
    tmx = out / "a__b.tmx"
    doc = etree.parse(str(tmx))
    assert etree.DTD(str(DTD)).validate(doc), etree.DTD(str(DTD)).error_log
    tus = doc.findall(".//tu")
    assert [[seg.text for seg in tu.iter("seg")] for tu in tus] == [["Uno.", "One."], ["Tre.", "Three."]]
    assert [(tu.get("changeid"), tu.get("changedate")) for tu in tus] == [
        ("ann", "20261121T100000Z"),
        ("bob", "20261121T100000Z"),
    ]
    assert [tu.findtext("note") for tu in tus] == [None, "«verificare» <data> & fonte"]
    assert "&lt;data&gt; &amp; fonte" in tmx.read_text()
    status = [tu.find("prop[@type='x-review-status']").text for tu in tus]  # type: ignore[union-attr]
    assert status == ["approved", "approved"]
    assert (out / "a__b.tsv").read_text().splitlines() == [
        "Uno.\tOne.\t0.9000\t1-1",
        "Tre.\tThree.\t0.7000\t1-1",
    ]


def test_without_approved_only_rejected_links_are_still_left_out(project: Project, tmp_path: Path) -> None:
    _reviewed(project)
    project.edit(1, 4, "ann", "merge_previous", {"position": 1})  # reviewer-made link: score 1.0
    al = reviewed_alignment(project.pair(1))
    assert [(lk.src, lk.score, lk.review.status if lk.review else None) for lk in al.links] == [
        ((0, 1), 1.0, "pending"),
        ((2,), 0.7, "approved"),
    ]


def test_export_refuses_to_overwrite_and_aligner_export_reads_its_folder(
    project: Project, tmp_path: Path
) -> None:
    _reviewed(project)
    out = tmp_path / "reviewed"
    export_review(project, out, ["tmx", "tsv", "links"], approved_only=True)
    before = (out / "a__b.tmx").read_bytes()
    with pytest.raises(OutputExistsError):
        export_review(project, out, ["tmx", "tsv", "links"])
    assert (out / "a__b.tmx").read_bytes() == before
    done = subprocess.run(
        [aligner_script(), "export", str(out), "--no-dedup", "--no-lang-check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (out / "corpus" / "corpus.it").read_text().splitlines() == ["Uno.", "Tre."]


@pytest.mark.parametrize("in_the_way", ["a__b.tsv", "manifest.json"])
def test_review_export_writes_nothing_when_a_folder_is_in_the_way(
    project: Project, tmp_path: Path, in_the_way: str
) -> None:
    """All or none, --force or not: a folder where a file goes stops the export before any file."""
    _reviewed(project)
    out = tmp_path / "reviewed"
    (out / in_the_way).mkdir(parents=True)
    with pytest.raises(AlignerError, match=f"{in_the_way}: is a folder"):
        export_review(project, out, ["tmx", "tsv", "links"], force=True)
    assert sorted(p.name for p in out.iterdir()) == [in_the_way]


def test_review_export_command(project: Project, tmp_path: Path) -> None:
    _reviewed(project)
    cmd = [aligner_script(), "review-export", str(project.path), "--approved-only", "--format", "tmx"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "1 pair(s), 2 approved unit(s)" in done.stdout
    assert (
        json.loads((tmp_path / "reviewed" / "manifest.json").read_text())["review"]["approved_only"] is True
    )
    again = subprocess.run(cmd, capture_output=True, text=True)
    assert again.returncode == 4 and "--force" in again.stderr
    none = subprocess.run(
        [aligner_script(), "review-export", str(tmp_path / "missing.sqlite")], capture_output=True, text=True
    )
    assert none.returncode == 3 and "missing.sqlite: does not exist" in none.stderr


# --- the report ----------------------------------------------------------------------------------


def test_the_report_escapes_every_text_and_runs_no_script(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "h.sqlite", hostile_run(tmp_path))
    html = report_of_project(project, "hostile")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "&lt;img src=&#34;x&#34; onerror=&#34;window.__pwned = 2&#34;&gt;" in html
    assert "script-src" not in html and "default-src 'none'" in html  # the CSP forbids any script
    assert 'href="http' not in html and 'src="' not in html  # self-contained


def test_report_command_writes_one_page_and_refuses_to_overwrite(run_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = subprocess.run(
        [aligner_script(), "report", str(run_folder), "-o", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    html = out.read_text()
    (pair,) = read_run(run_folder).pairs
    assert html.count('class="link ') == len(pair.links)
    assert "Milano, 25 nov." in html and "<style>" in html
    again = subprocess.run(
        [aligner_script(), "report", str(run_folder), "-o", str(out)], capture_output=True, text=True
    )
    assert again.returncode == 4 and "--force" in again.stderr
    assert out.read_text() == html


def test_report_of_a_run_shows_paragraph_breaks(run_folder: Path) -> None:
    run = read_run(run_folder)
    html = report_of_run(run)
    (pair,) = run.pairs
    breaks = sum(
        s.paragraph != pair.source.sentences[i - 1].paragraph
        for i, s in enumerate(pair.source.sentences)
        if i
    )
    assert breaks > 0
    assert html.count('data-side="src" data-sentence') == len(pair.source.sentences)
    assert html.count("para-start") >= breaks


# --- the commands' errors ------------------------------------------------------------------------


def test_review_of_a_folder_that_is_not_a_run_exits_3_and_says_why(tmp_path: Path) -> None:
    done = subprocess.run(
        [aligner_script(), "review", str(tmp_path), "--no-open"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 3
    assert (
        f"{tmp_path}: has no manifest.json" in done.stderr and "aligner run INPUT --out FOLDER" in done.stderr
    )
    assert not (tmp_path / PROJECT_FILE).exists()


def test_review_on_a_port_in_use_exits_3_and_names_the_fix(project: Project) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        done = subprocess.run(
            [aligner_script(), "review", str(project.path), "--no-open", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 3
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "--port 0" in done.stderr


def test_history_page_numbers_links_from_one(project: Project) -> None:
    from starlette.testclient import TestClient

    from aligner.review.app import create_app

    project.edit(1, 0, "ann", "detach", {"position": 1, "side": "tgt", "sentence": 1})
    with TestClient(create_app(project, "ann"), base_url="http://127.0.0.1") as client:
        page = client.get("/pair/1/history").text
    assert "link 2, side tgt, sentence 2" in page and "ann" in page


def test_a_project_file_of_schema_1_opens_and_gains_moved_links(project: Project) -> None:
    """Project files made before moved links existed are brought up to date on opening."""
    with sqlite3.connect(project.path) as db:
        db.execute("ALTER TABLE links DROP COLUMN moved")
        db.execute("ALTER TABLE aligner_links DROP COLUMN moved")
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    reopened = Project.open(project.path)
    view = reopened.pair(1)
    assert [lk.moved for lk in view.links] == [False, False, False]
    assert [lk.moved for lk in reopened.aligner_links(1)] == [False, False, False]
    assert reopened.edit(1, 0, "ann", "approve", {"position": 0}).view.links[0].status == "approved"
    with sqlite3.connect(project.path) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == ("2",)


def test_review_export_writes_a_cat_tools_profile_in_its_locales(project: Project, tmp_path: Path) -> None:
    _reviewed(project)
    out = tmp_path / "trados"
    cmd = [aligner_script(), "review-export", str(project.path), "--out", str(out), "--format", "tmx"]
    cmd += ["--format", "xliff", "--tmx-profile", "trados", "--src-locale", "it-IT", "--tgt-locale", "en-GB"]
    done = subprocess.run(
        cmd, capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1764061200"}
    )
    assert done.returncode == 0, done.stderr
    tmx = (out / "a__b.tmx").read_text(encoding="utf-8")
    assert 'srclang="it-IT"' in tmx and 'xml:lang="en-GB"' in tmx and 'creationdate="20251125T090000Z"' in tmx
    assert '<prop type="x-ReviewStatus:SingleString">approved</prop>' in tmx
    xliff = (out / "a__b.xliff").read_text(encoding="utf-8")
    assert 'srcLang="it-IT" trgLang="en-GB"' in xliff and 'state="reviewed"' in xliff
    bad = subprocess.run([*cmd[:-4], "--src-locale", "italiano", "--force"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--src-locale 'italiano' is not a locale" in bad.stderr
