"""The command line, as a user runs it: happy paths, every bad input, exit codes."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import typer
import typer.main
from aligner_cli.common import BAD_INPUT, EXISTS, OK, SKIPPED, USAGE
from aligner_cli.main import COMMANDS, app
from lxml import etree
from typer.testing import CliRunner

from aligner import __version__

from .conftest import DTD, EN_SEED, IT_SEED, SEEDS, Ran, aligner_script, copy_run, output_files

runner = CliRunner()
PAIR = "000_4f42991440b6f2b5__001_2311b19d4785c162"
GERMAN = (
    "Der russische Präsident Wladimir Putin ist am Mittwoch zu einem zweitägigen Besuch in "
    "Kasachstan eingetroffen. Dabei geht es vor allem um Energieprojekte in dem zentralasiatischen "
    "Land. Die Regierung in Astana wahrt im Krieg gegen die Ukraine ein Gleichgewicht.\n"
)


def _invoke(*args: str):
    return runner.invoke(app, list(args))


def test_version_and_help() -> None:
    assert _invoke("--version").output.strip() == f"aligner {__version__}"
    for cmd in ([], ["run"], ["align"], ["split"], ["evaluate"], ["export"]):
        res = _invoke(*cmd, "--help")
        assert res.exit_code == 0, res.output
        assert "Exit codes" in res.output


@pytest.mark.parametrize("name", list(COMMANDS))
def test_help_shows_each_paragraph_as_prose(name: str) -> None:
    """A docstring's line breaks are not the help's: each paragraph reads as one line on a
    wide terminal (typer's default "rich" mode kept them, leaving "are" alone on a line)."""
    entry = COMMANDS[name]
    callback = getattr(importlib.import_module(f"aligner_cli.{entry.module}"), entry.function)
    paragraphs = [
        " ".join(p.replace("`", "").split()) for p in (inspect.getdoc(callback) or "").split("\n\n")
    ]
    assert len(paragraphs) >= 2  # a summary line and more
    done = subprocess.run(
        [aligner_script(), name, "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TERMINAL_WIDTH": "400"},
    )
    lines = {" ".join(line.split()) for line in done.stdout.splitlines()}
    assert [p for p in paragraphs if p not in lines] == []


def test_installed_console_script_runs() -> None:
    done = subprocess.run([aligner_script(), "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"aligner {__version__}"


def test_run_on_seeds_pairs_and_reports(seed_run: Ran) -> None:
    out, output = seed_run.out, seed_run.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{PAIR}.tmx", f"{PAIR}.tsv", f"{PAIR}.links", "manifest.json", ".aligner"]
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert [(p["source"], p["target"]) for p in manifest["pairs"]] == [
        ("000_4f42991440b6f2b5.txt", "001_2311b19d4785c162.txt")
    ]
    pair = manifest["pairs"][0]
    assert pair["links"] == {"1-1": 10}
    assert pair["files"] == {"tmx": f"{PAIR}.tmx", "tsv": f"{PAIR}.tsv", "links": f"{PAIR}.links"}
    assert 0.0 < pair["mean_score"] <= 1.0
    unpaired = {u["file"]: u for u in manifest["unpaired"]}
    assert sorted(unpaired) == [
        "002_abf4a547a46e6000.txt",
        "003_9f66fee8583b8b08.txt",
        "004_949a5f54501a7c62.txt",
    ]
    for u in unpaired.values():
        assert "no en version found" in u["reason"] and u["best_score"] < 0.5
    docs = {d["file"]: d for d in manifest["documents"]}
    assert docs["000_4f42991440b6f2b5.txt"]["date"] == "2025-11-25"
    assert docs["004_949a5f54501a7c62.txt"]["date"] == "2022-07"
    assert [d["language"] for d in docs.values()] == ["it", "en", "it", "it", "it"]
    assert len(docs["003_9f66fee8583b8b08.txt"]["boilerplate_lines"]) >= 30
    assert manifest["signature"].startswith(f"aligner:{__version__}|read:txt(rules2)+docx-")
    assert "|split:punkt" in manifest["signature"]
    assert manifest["exit_code"] == 0
    assert "1 pair(s) aligned, 3 document(s) unpaired" in output


def test_seed_tmx_has_the_ten_units(seed_run: Ran) -> None:
    out = seed_run.out
    path = out / f"{PAIR}.tmx"
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(etree.parse(str(path))), dtd.error_log.filter_from_errors()
    root = ET.parse(path).getroot()
    tus = root.findall("body/tu")
    assert len(tus) == 10
    segs = [[s.text or "" for s in tu.iter("seg")] for tu in tus]
    assert segs[0][0].startswith("Milano, 25 nov. (askanews) – Vladimir Putin")  # no date, no split
    assert segs[0][1].startswith("Milan, November 25 (askanews) – Vladimir Putin")
    assert segs[9][0].startswith("Peraltro proprio Zhaparov") and segs[9][1].startswith("Moreover, after")
    assert all(not it.endswith("nov.") for it, _ in segs)
    assert root.find("header").get("creationdate") is None  # no SOURCE_DATE_EPOCH: no file date
    assert {tu.findtext("prop[@type='x-document-date']") for tu in tus} == {"2025-11-25"}
    assert all(tu.findtext("prop[@type='x-link-type']") == "1-1" for tu in tus)
    assert len({tu.get("tuid") for tu in tus}) == 10 and tus[0].get("tuid") == f"{PAIR}:0:0"


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (work folder included): relative name -> bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_rerun_resumes_other_settings_refuse_then_force_gives_identical_bytes(
    seed_run: Ran, tmp_path: Path
) -> None:
    out = copy_run(seed_run, tmp_path)
    before = _files(out)
    # The same job again: everything is complete, nothing is rewritten.
    res = _invoke("run", str(SEEDS), "--out", str(out))
    assert res.exit_code == OK, res.output
    assert "0 pair(s) aligned (1 already complete, skipped)" in res.output and "wrote 0 file(s)" in res.output
    assert _files(out) == before
    # Other settings: refused, untouched.
    res = _invoke("run", str(SEEDS), "--out", str(out), "--pair-threshold", "0.6")
    assert res.exit_code == EXISTS
    assert "manifest.json: already exists (it holds the output of a run with other settings)" in res.output
    assert "--force" in res.output
    assert _files(out) == before
    # --force with the first settings again rewrites everything, byte for byte.
    res = _invoke("run", str(SEEDS), "--out", str(out), "--force")
    assert res.exit_code == OK, res.output
    assert "1 pair(s) aligned, 3 document(s) unpaired" in res.output
    assert _files(out) == before


def test_a_file_in_the_way_of_a_pair_is_not_overwritten(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(IT_SEED, src)
    shutil.copy(EN_SEED, src)
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{PAIR}.tsv").write_text("mine\n")
    res = _invoke("run", str(src), "--out", str(out))
    assert res.exit_code == EXISTS and f"{PAIR}.tsv: already exists" in res.output
    assert (out / f"{PAIR}.tsv").read_text() == "mine\n"
    assert not (out / "manifest.json").exists()


def test_bad_documents_are_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(IT_SEED, src)
    shutil.copy(EN_SEED, src)
    shutil.copy(SEEDS / "002_abf4a547a46e6000.txt", src)  # Italian with no English version
    (src / "empty.txt").write_bytes(b"")
    (src / "latin1.txt").write_bytes("Città più bella, è così.\n".encode("latin-1"))
    (src / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(300))
    (src / "tedesco.txt").write_text(GERMAN, encoding="utf-8")
    (src / "oneline.txt").write_text("parola " * 3000, encoding="utf-8")
    (src / "baddate.txt").write_text("date 2025-13-45\n" + GERMAN, encoding="utf-8")
    out = tmp_path / "out"
    res = _invoke("run", str(src), "--out", str(out))
    assert res.exit_code == SKIPPED, res.output
    text = res.output
    assert f"{src / 'empty.txt'}: is empty" in text
    assert f"{src / 'latin1.txt'}, line 1: is not UTF-8" in text and "iconv -f" in text
    assert f"{src / 'binary.txt'}: looks like a binary file" in text
    assert f"{src / 'tedesco.txt'}: language is de, neither it nor en" in text
    assert f"{src / '002_abf4a547a46e6000.txt'}: not paired: no en version found" in text
    assert (
        f"{src / 'oneline.txt'}, line 1: a line of 21,000 characters with no sentence-ending punctuation"
        in text
    )
    assert (
        f"{src / 'baddate.txt'}, line 1: the date token gives 2025-13-45, which is not a calendar date "
        "(there is no month 13), so the document is treated as undated; write it as date YYYY-MM-DD"
    ) in text
    manifest = json.loads((out / "manifest.json").read_text())
    status = {d["file"]: d["status"] for d in manifest["documents"]}
    assert status["empty.txt"] == status["latin1.txt"] == status["binary.txt"] == "skipped"
    assert status["tedesco.txt"] == status["oneline.txt"] == status["baddate.txt"] == "read"
    assert next(d["date"] for d in manifest["documents"] if d["file"] == "baddate.txt") is None
    assert len(manifest["pairs"]) == 1 and manifest["exit_code"] == SKIPPED
    errors = {p["file"] for p in manifest["problems"] if p["severity"] == "error"}
    assert errors == {"empty.txt", "latin1.txt", "binary.txt"}
    assert (out / f"{PAIR}.tmx").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_in_the_folder_is_reported_not_read(tmp_path: Path) -> None:
    """A named pipe called pipe.txt was left out without a word; reading it would have
    waited for ever for a writer. A pipe named on the command line is still read."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(IT_SEED, src)
    shutil.copy(EN_SEED, src)
    os.mkfifo(src / "pipe.txt")
    out = tmp_path / "out"
    res = _invoke("run", str(src), "--out", str(out))
    assert res.exit_code == SKIPPED, res.output
    assert f"{src / 'pipe.txt'}: is a named pipe, not a file. Move it out of the folder." in res.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert {d["file"]: d["status"] for d in manifest["documents"]}["pipe.txt"] == "skipped"
    assert len(manifest["pairs"]) == 1


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing", "does not exist"),
        (lambda p: p, "holds no documents (.txt, .docx"),  # an empty folder
        (lambda p: IT_SEED, "is not a folder"),
    ],
)
def test_unusable_input_folder(tmp_path: Path, make, message: str) -> None:
    res = _invoke("run", str(make(tmp_path)), "--out", str(tmp_path / "out"))
    assert res.exit_code == BAD_INPUT
    assert message in res.output
    assert not (tmp_path / "out").exists()


def test_align_warns_of_an_impossible_date_and_leaves_it_out(tmp_path: Path) -> None:
    src = tmp_path / "it.txt"
    text = IT_SEED.read_text(encoding="utf-8")
    src.write_text(text.replace("2025-11-25", "2025-11-31", 1), encoding="utf-8")
    res = _invoke("align", str(src), str(EN_SEED), "--format", "tmx")
    assert res.exit_code == OK, res.output
    warning = f"warning: {src}, line 1: the date token gives 2025-11-31, which is not a calendar date"
    assert warning in res.output
    # the English seed has no date either: the TMX has no creationdate rather than an invalid one
    assert "creationdate" not in res.output and "<tu " in res.output


def test_align_repairs_a_scraped_copy_to_the_same_alignment(tmp_path: Path) -> None:
    """The Italian seed as a careless scraper saves it (HTML entities and tags,
    UTF-8 read as Windows-1252) aligns exactly as the seed itself, with warnings."""
    lines = IT_SEED.read_text(encoding="utf-8").split("\n")
    lines[0] = lines[0].replace("–", "&ndash;")
    lines[2] = lines[2].encode("utf-8").decode("cp1252")  # "è" -> "Ã¨", "’" -> "â€™"
    lines[4] = "<p>" + lines[4].replace("à", "&agrave;") + "</p>"
    lines[6] = lines[6].encode("utf-8").decode("cp1252")
    scraped = tmp_path / "scraped.txt"
    scraped.write_text("\n".join(lines), encoding="utf-8")
    clean = _invoke("align", str(IT_SEED), str(EN_SEED), "--format", "tsv")
    repaired = _invoke("align", str(scraped), str(EN_SEED), "--format", "tsv")
    assert repaired.exit_code == OK, repaired.output
    assert repaired.stdout == clean.stdout
    assert (
        f"warning: {scraped}, line 1: HTML markup removed on 2 lines, the first this one" in repaired.stderr
    )
    assert f"warning: {scraped}, line 3: mojibake repaired on 2 lines, the first this one" in repaired.stderr


def test_run_lists_repairs_as_warnings(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "it.txt").write_text(
        "<p>" + IT_SEED.read_text(encoding="utf-8").replace("à", "&agrave;") + "</p>", encoding="utf-8"
    )
    shutil.copy(EN_SEED, src / "en.txt")
    res = _invoke("run", str(src), "--out", str(tmp_path / "out"))
    assert res.exit_code == OK, res.output
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert [(p["file"], p["line"], p["severity"], p["message"][:20]) for p in manifest["problems"]] == [
        ("it.txt", 1, "warning", "HTML markup removed ")
    ]
    assert len(manifest["pairs"]) == 1


def test_run_recursive_reads_a_corpus_kept_in_subfolders(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "2025-11" / "it").mkdir(parents=True)
    (src / "2025-11" / "en").mkdir(parents=True)
    shutil.copy(IT_SEED, src / "2025-11" / "it" / IT_SEED.name)
    shutil.copy(EN_SEED, src / "2025-11" / "en" / EN_SEED.name)
    out = src / "out"  # an output folder inside the input folder is not read as input
    flat = _invoke("run", str(src), "--out", str(out))
    assert flat.exit_code == BAD_INPUT and "Pass --recursive" in flat.output
    for _ in range(2):  # the second run resumes
        res = _invoke("run", str(src), "--recursive", "--out", str(out))
        assert res.exit_code == OK, res.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert [d["file"] for d in manifest["documents"]] == [
        f"2025-11/en/{EN_SEED.name}",
        f"2025-11/it/{IT_SEED.name}",
    ]
    assert [(p["source"], p["target"]) for p in manifest["pairs"]] == [
        (f"2025-11/it/{IT_SEED.name}", f"2025-11/en/{EN_SEED.name}")
    ]
    assert (out / f"{PAIR}.tmx").exists() and "already complete" in res.output


def test_split_warns_of_an_impossible_date_and_of_repairs(tmp_path: Path) -> None:
    src = tmp_path / "it.txt"
    src.write_text(
        "date 2025-02-30\nIl governo ha approvato la legge sulla citt&agrave;.\n", encoding="utf-8"
    )
    res = _invoke("split", str(src))
    assert res.exit_code == OK, res.output
    assert res.stdout == "Il governo ha approvato la legge sulla città.\n"
    assert f"warning: {src}, line 1: the date token gives 2025-02-30" in res.stderr
    assert f"warning: {src}, line 2: HTML markup removed on this line" in res.stderr


def test_align_links_format_and_output_file(tmp_path: Path) -> None:
    res = _invoke("align", str(IT_SEED), str(EN_SEED), "--format", "links")
    assert res.exit_code == OK, res.output
    assert res.output.splitlines()[0].startswith("[0]:[0]:0.")
    assert len(res.output.splitlines()) == 10
    target = tmp_path / "pair.tsv"
    assert _invoke("align", str(IT_SEED), str(EN_SEED), "--format", "tsv", "-o", str(target)).exit_code == OK
    assert all(len(line.split("\t")) == 4 for line in target.read_text().splitlines())
    res = _invoke("align", str(IT_SEED), str(EN_SEED), "-o", str(target))
    assert res.exit_code == EXISTS and "pair.tsv: already exists" in res.output
    assert not list(tmp_path.glob(".*.tmp"))


def test_align_presplit_any_language_pair(tmp_path: Path) -> None:
    de = tmp_path / "de.txt"
    fr = tmp_path / "fr.txt"
    de.write_text(
        "Der Berg ist hoch .\nWir stiegen am Morgen auf .\nDas Wetter war gut .\n", encoding="utf-8"
    )
    fr.write_text(
        "La montagne est haute .\nNous sommes montés le matin .\nLe temps était beau .\n", encoding="utf-8"
    )
    res = _invoke(
        "align", str(de), str(fr), "--presplit", "--src-lang", "de", "--tgt-lang", "fr", "--format", "links"
    )
    assert res.exit_code == OK, res.output
    assert [line.rsplit(":", 1)[0] for line in res.output.splitlines()] == ["[0]:[0]", "[1]:[1]", "[2]:[2]"]
    res = _invoke("align", str(de), str(fr), "--presplit", "--src-lang", "de", "--tgt-lang", "fr")
    root = ET.fromstring(res.output)
    assert root.find("header").get("srclang") == "de"
    assert [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")][:2] == [
        "de",
        "fr",
    ]


@pytest.mark.parametrize(("option", "part"), [("--learned-weight", "learned"), ("--lexical-weight", "lex")])
def test_align_signal_weights_are_in_the_signature(option: str, part: str) -> None:
    res = _invoke("align", str(IT_SEED), str(EN_SEED), option, "0.5")
    assert res.exit_code == OK, res.output
    sig = ET.fromstring(res.output).find("header/prop[@type='x-signature']")
    assert sig is not None and f"|{part}:0.5|" in (sig.text or "")
    assert _invoke("align", str(IT_SEED), str(EN_SEED), option, "-1").exit_code != OK


def test_align_bad_input(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    res = _invoke("align", str(empty), str(EN_SEED))
    assert res.exit_code == BAD_INPUT and "empty.txt: is empty" in res.output


def test_split_prints_one_sentence_per_line() -> None:
    res = _invoke("split", str(IT_SEED), "--lang", "it")
    assert res.exit_code == OK
    lines = res.output.splitlines()
    assert len(lines) == 10 and lines[0].startswith("Milano, 25 nov. (askanews) –")
    res = _invoke("split", str(SEEDS / "003_9f66fee8583b8b08.txt"), "--offsets")
    assert "boilerplate line(s) left out" in res.output
    start, end, text = res.output.splitlines()[1].split("\t")
    assert int(end) - int(start) == len(text)


def test_quiet_run_prints_nothing_but_writes_everything(seed_run: Ran, tmp_path: Path) -> None:
    out = copy_run(seed_run, tmp_path)  # its stored documents are reused
    for path in out.glob("[!.]*"):
        path.unlink()
    res = _invoke("run", str(SEEDS), "--out", str(out), "--quiet", "--force", "--progress-interval", "0")
    assert res.exit_code == OK
    assert res.output == ""  # no progress, no warnings, no summary
    assert output_files(out) == output_files(seed_run.out)


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("src.txt", "src.txt: is the source document; the output would overwrite it (even with --force)"),
        ("tgt.txt", "tgt.txt: is the target document"),
        ("folder", "folder: is a folder; -o names the output file"),
    ],
)
@pytest.mark.parametrize("force", [False, True])
def test_align_never_writes_over_an_input_nor_onto_a_folder(
    tmp_path: Path, output: str, message: str, force: bool
) -> None:
    shutil.copy(IT_SEED, tmp_path / "src.txt")
    shutil.copy(EN_SEED, tmp_path / "tgt.txt")
    (tmp_path / "folder").mkdir()
    before = _files_below(tmp_path)
    args = ["align", str(tmp_path / "src.txt"), str(tmp_path / "tgt.txt"), "-o", str(tmp_path / output)]
    res = _invoke(*args, *(["--force"] if force else []))
    assert res.exit_code == BAD_INPUT and message in res.output, res.output
    assert _files_below(tmp_path) == before


def _files_below(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_align_to_a_dash_prints_the_alignment() -> None:
    res = _invoke("align", str(IT_SEED), str(EN_SEED), "-o", "-", "--format", "links")
    assert res.exit_code == OK and res.stdout.startswith("[0]:[0]:") and not Path("-").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--src-lang", "it", "--tgt-lang", "IT"], "--src-lang and --tgt-lang are both it"),
        (["--src-lang", "ita_IT"], "'ita_IT' is not an ISO 639-1 language code"),
        (["--scheduler", "tcp://127.0.0.1", "--scheduler-timeout", "1"], "missing port number"),
        (["--scheduler", "garbage", "--scheduler-timeout", "1"], "not an address of a Dask scheduler"),
    ],
)
def test_run_refuses_unusable_options_before_any_work(tmp_path: Path, args: list[str], message: str) -> None:
    pytest.importorskip("distributed") if "--scheduler" in args else None
    res = _invoke("run", str(SEEDS), "--out", str(tmp_path / "out"), *args)
    assert res.exit_code == USAGE and message in res.output, res.output
    assert not (tmp_path / "out").exists()


def test_language_codes_are_read_in_any_case() -> None:
    """`IT` is `it`: the encoder covers it (the message said it did not, listing it)."""
    upper = _invoke(
        "align", str(IT_SEED), str(EN_SEED), "--src-lang", "IT", "--tgt-lang", "En", "--format", "tsv"
    )
    lower = _invoke("align", str(IT_SEED), str(EN_SEED), "--format", "tsv")
    assert upper.exit_code == OK and upper.stdout == lower.stdout


def test_two_pairs_that_would_share_their_files_stop_the_run_before_any_is_aligned(tmp_path: Path) -> None:
    """a__b.txt + c.txt and a.txt + b__c.txt are both a__b__c.*: the second overwrote the first."""
    folder = tmp_path / "in"
    folder.mkdir()
    it = [line for line in IT_SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    en = [line for line in EN_SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    half = len(it) // 2  # the two halves of the seed pair: each half aligns with its own
    (folder / "a__b.txt").write_text("\n".join(it[:half]) + "\n", encoding="utf-8")
    (folder / "c.txt").write_text("\n".join(en[:half]) + "\n", encoding="utf-8")
    (folder / "a.txt").write_text("\n".join(it[half:]) + "\n", encoding="utf-8")
    (folder / "b__c.txt").write_text("\n".join(en[half:]) + "\n", encoding="utf-8")
    res = _invoke("run", str(folder), "--out", str(tmp_path / "out"))
    assert res.exit_code == BAD_INPUT, res.output
    assert "both pairs would be written as a__b__c.*" in res.output
    assert [p.name for p in (tmp_path / "out").glob("[!.]*")] == []


def test_a_link_to_nothing_is_reported_as_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(IT_SEED, folder)
    shutil.copy(EN_SEED, folder)
    (folder / "broken.txt").symlink_to(tmp_path / "gone.txt")
    res = _invoke("run", str(folder), "--out", str(tmp_path / "out"), "-q")
    assert res.exit_code == SKIPPED, res.output
    assert f"broken.txt: is a link to {tmp_path / 'gone.txt'}, which does not exist" in res.output
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert [d["status"] for d in manifest["documents"] if d["file"] == "broken.txt"] == ["skipped"]


@pytest.mark.parametrize("brief_name", ["a_brief_en.txt", "z_brief_en.txt"])
def test_the_full_translation_wins_over_an_abridged_one_whatever_the_names(
    tmp_path: Path, brief_name: str
) -> None:
    """Both score 1.00 once rounded: the unrounded score decides, not the name sorted first."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(IT_SEED, folder / "story_it.txt")
    shutil.copy(EN_SEED, folder / "m_full_en.txt")
    lines = EN_SEED.read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / brief_name).write_text("".join(lines[:2]), encoding="utf-8")
    res = _invoke("run", str(folder), "--out", str(tmp_path / "out"))
    assert res.exit_code == OK, res.output
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert [(p["source"], p["target"]) for p in manifest["pairs"]] == [("story_it.txt", "m_full_en.txt")]
    assert (
        f"{brief_name}: not paired: its best candidate, story_it.txt (score 1.00), was paired with "
        in res.output
    )
    assert "m_full_en.txt, which scored higher before rounding" in res.output


def test_every_command_that_writes_takes_both_o_and_out() -> None:
    """`run` and `export` took only --out, `align` and `srx` only -o/--output: a user
    who wrote `aligner align A B --out x.tsv` got "No such option: --out"."""
    group = typer.main.get_command(app)
    writers = {}
    for name in COMMANDS:
        command = group.get_command(None, name)  # type: ignore[attr-defined]
        for param in command.params:
            if param.name in ("out", "output"):
                writers[name] = set(param.opts)
    assert set(writers) == {"run", "align", "srx", "export", "review-export", "report"}
    for name, opts in writers.items():
        assert {"-o", "--out"} <= opts, (name, opts)


def test_align_writes_with_out(tmp_path: Path) -> None:
    out = tmp_path / "seed.tsv"
    res = _invoke("align", str(IT_SEED), str(EN_SEED), "--out", str(out))
    assert res.exit_code == OK, res.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 10


@pytest.mark.parametrize(("window", "paired"), [(None, False), ("3", False), ("4", True), ("30", True)])
def test_a_translation_filed_days_later_pairs_within_the_date_window(
    tmp_path: Path, window: str | None, paired: bool
) -> None:
    """The Italian seed is dated 2025-11-25; its English, dated four days later, was left
    unpaired with no way to widen the two days documents may be apart."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(IT_SEED, folder / "a.txt")
    (folder / "b.txt").write_text("date 2025-11-29 " + EN_SEED.read_text(encoding="utf-8"), encoding="utf-8")
    args = ["run", str(folder), "--out", str(tmp_path / "out"), "--format", "links"]
    res = _invoke(*args, *(["--date-window", window] if window else []))
    assert res.exit_code == OK, res.output
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [(p["source"], p["target"]) for p in manifest["pairs"]] == ([("a.txt", "b.txt")] if paired else [])
    assert f"d{window or 2}," in manifest["signature"]
    if not paired:
        days = window or "2"
        assert f"a.txt: not paired: no en document dated within {days} day(s) of 2025-11-25" in res.stderr
        assert "--date-window DAYS compares documents dated further apart" in res.stderr


def test_a_negative_date_window_is_a_usage_error() -> None:
    res = _invoke("run", str(SEEDS), "--date-window", "-1")
    assert res.exit_code == USAGE and "--date-window" in res.output


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        ("a" * 200 + "_it.txt", "a" * 200 + "_en.txt"),  # each name fits, the pair's does not
        ("città_" * 35 + ".txt", "city_" * 45 + ".txt"),  # several bytes a character (249 of them)
    ],
)
def test_a_pair_of_long_file_names_is_written_under_a_shortened_name(
    tmp_path: Path, src: str, tgt: str
) -> None:
    """Each file name may be 255 bytes; a pair's file joins two of them. That was an
    OSError traceback ('File name too long') after the pair was aligned."""
    from aligner.workdir import MAX_STEM_BYTES, pair_stem

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(IT_SEED, folder / src)
    shutil.copy(EN_SEED, folder / tgt)
    out = tmp_path / "out"
    res = _invoke("run", str(folder), "--out", str(out))
    assert res.exit_code == OK, res.output
    stem = pair_stem(src, tgt)
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        [f"{stem}.links", f"{stem}.tmx", f"{stem}.tsv", "manifest.json"]
    )
    again = _invoke("run", str(folder), "--out", str(out))  # the same name: the rerun resumes
    assert again.exit_code == OK and "1 already complete" in again.output
    assert _invoke("export", str(out)).exit_code == OK


def test_pair_stems_stay_readable_and_apart() -> None:
    from aligner.workdir import MAX_STEM_BYTES, file_stem, pair_stem

    assert pair_stem("000_it.txt", "001_en.docx") == "000_it__001_en"  # short names as before
    long_a, long_b = (
        pair_stem("x" * 150 + "1.txt", "y" * 150 + ".txt"),
        pair_stem("x" * 150 + "2.txt", "y" * 150 + ".txt"),
    )
    assert long_a != long_b  # names that differ only past the cut stay apart
    assert long_a.startswith("x" * 90) and "__" + "y" * 90 in long_a
    assert long_a == pair_stem("x" * 150 + "1.txt", "y" * 150 + ".txt")  # the same each time
    cut = pair_stem("è" * 120 + ".txt", "é" * 120 + ".txt")
    assert "\ufffd" not in cut and cut.encode("utf-8").decode("utf-8") == cut  # whole characters
    assert file_stem("dispaccio") == "dispaccio"
    one = file_stem("à" * 120)  # a document's own name, for its stored text
    assert (
        len(one.encode("utf-8")) <= MAX_STEM_BYTES
        and one.startswith("à" * 90)
        and one != file_stem("à" * 121)
    )


def test_a_name_the_file_system_refuses_is_an_error_naming_it(tmp_path: Path) -> None:
    """An output name over 255 bytes was an OSError traceback."""
    long_name = tmp_path / ("c" * 300 + ".tsv")
    res = _invoke("align", str(IT_SEED), str(EN_SEED), "-o", str(long_name))
    assert res.exit_code == BAD_INPUT
    assert f"{long_name}: the file system refuses this name (304 bytes; most take at most 255)" in res.output
    assert "Traceback" not in res.output
    res = _invoke("run", str(SEEDS), "--out", str(tmp_path / ("d" * 300)))
    assert res.exit_code == BAD_INPUT and "the file system refuses this name (300 bytes" in res.output


def test_a_system_error_on_a_path_is_a_message_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    from aligner_cli.common import handle_errors

    @handle_errors
    def refused() -> None:
        raise PermissionError(13, "Permission denied", "/srv/corpus/out.tsv")

    with pytest.raises(typer.Exit) as stopped:
        refused()
    assert stopped.value.exit_code == BAD_INPUT
    assert (
        "error: /srv/corpus/out.tsv: Permission denied. Check the path, its permissions"
        in capsys.readouterr().err
    )

    @handle_errors
    def no_path() -> None:
        raise OSError(5, "Input/output error")

    with pytest.raises(OSError, match="Input/output error"):  # no path to name: a bug, shown as one
        no_path()


def _links(text: str) -> list[str]:
    """The links of a links file, scores left out."""
    return [":".join(line.split(":")[:2]) for line in text.splitlines()]


def test_encoding_reads_an_archive_saved_as_cp1252(tmp_path: Path) -> None:
    """A folder of an old Windows archive: its Italian dispatch in cp1252 was skipped
    (converting it meant a command per file); with --encoding the rerun reads it, pairs
    it and aligns it as it aligns the UTF-8 seed, and the manifest says how it was read."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "it.txt").write_bytes(IT_SEED.read_text(encoding="utf-8").encode("cp1252"))
    shutil.copy(EN_SEED, folder / "en.txt")
    out = tmp_path / "out"
    res = _invoke("run", str(folder), "--out", str(out), "--format", "links")
    assert res.exit_code == SKIPPED
    assert (
        f"{folder / 'it.txt'}, line 1: is not UTF-8 (byte 0x96); it looks like cp1252. Pass --encoding "
        "cp1252 to read every document that is not UTF-8 as cp1252, or convert it with: iconv -f cp1252"
    ) in res.stderr
    res = _invoke("run", str(folder), "--out", str(out), "--format", "links", "--encoding", "cp1252")
    assert res.exit_code == OK, res.output
    assert _links((out / "it__en.links").read_text()) == _links((SEEDS / "000-001.gold").read_text())
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {d["file"]: d.get("encoding") for d in manifest["documents"]} == {
        "en.txt": None,
        "it.txt": "cp1252",
    }
    # Another encoding reads the file otherwise: the document is read and its pair aligned again.
    res = _invoke("run", str(folder), "--out", str(out), "--format", "links", "--encoding", "latin-1")
    assert res.exit_code == OK and "1 pair(s) aligned," in res.stdout, res.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {d["file"]: d.get("encoding") for d in manifest["documents"]}["it.txt"] == "iso8859-1"


@pytest.mark.parametrize(
    "command",
    [
        ["split", "{it}"],
        ["align", "{it}", "{en}", "--format", "links"],
        ["align", "{it_lines}", "{en_lines}", "--presplit", "--format", "links"],
    ],
)
def test_split_and_align_take_encoding(tmp_path: Path, command: list[str]) -> None:
    it_text = IT_SEED.read_text(encoding="utf-8")
    files = {
        "it": it_text.encode("cp1252"),
        "en": EN_SEED.read_bytes(),
        "it_lines": "Il governo ha deciso così.\nÈ già così – dice.\n".encode("cp1252"),
        "en_lines": b"The government decided so.\nIt is so already, he says.\n",
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_bytes(data)
    args = [word.format(**{k: str(v) for k, v in paths.items()}) for word in command]
    refused = _invoke(*args)
    assert refused.exit_code == BAD_INPUT and "Pass --encoding cp1252" in refused.stderr
    res = _invoke(*args, "--encoding", "cp1252")
    assert res.exit_code == OK, res.output
    links = _links(res.stdout)
    if command[0] == "split":
        assert (
            "l’influenza russa in Asia centrale" in res.stdout
            and "Il grande gioco è di equilibri" in res.stdout
        )
    elif "--presplit" in command:
        assert links == ["[0]:[0]", "[1]:[1]"]
    else:
        assert links == _links((SEEDS / "000-001.gold").read_text())


@pytest.mark.parametrize("command", ["run", "align", "split"])
@pytest.mark.parametrize("name", ["klingon", "base64"])
def test_an_unknown_encoding_is_a_usage_error(command: str, name: str) -> None:
    args = {"run": [str(SEEDS)], "align": [str(IT_SEED), str(EN_SEED)], "split": [str(IT_SEED)]}[command]
    res = _invoke(command, *args, "--encoding", name)
    shown = " ".join(res.output.replace("│", " ").split())  # the message as typer boxes it
    assert res.exit_code == USAGE and f"'{name}' is not a text encoding Python knows" in shown, shown


@pytest.mark.parametrize("presplit", [True, False])
def test_align_warns_of_a_file_mixing_utf8_and_the_encoding(tmp_path: Path, presplit: bool) -> None:
    src, tgt = tmp_path / "it.txt", tmp_path / "en.txt"
    # a Windows apostrophe (0x92) pasted into UTF-8 text, whose closing quote cp1252 cannot read
    src.write_bytes(b"Il governo ha deciso.\nL" + b"\x92" + "uomo dice: “basta”.\n".encode())
    tgt.write_text("The government decided.\nThe man says: enough.\n", encoding="utf-8")
    args = ["align", str(src), str(tgt), "--encoding", "cp1252", "--format", "tsv"]
    res = _invoke(*args, *(["--presplit"] if presplit else []))
    assert res.exit_code == OK, res.output
    assert res.stdout.splitlines()[1].startswith("L’uomo dice: “basta”.\tThe man says: enough.\t")
    assert f"{src}, line 2: mixes UTF-8 and cp1252: 1 byte(s) that are not UTF-8" in res.stderr
