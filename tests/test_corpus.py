"""Training corpora: filters, deduplication, and every format read back by its users' library."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pyarrow.json as pa_json
import pyarrow.parquet as pq
import pytest
from aligner_cli.common import BAD_INPUT, EXISTS, OK
from aligner_cli.main import app
from typer.testing import CliRunner

from aligner.corpus import (
    Deduplicator,
    FilterChain,
    TrainingPair,
    language,
    length_ratio,
    max_length,
    min_score,
)
from aligner.workdir import DocumentRecord, Manifest, PairRecord, RunFolder

from .conftest import SEEDS, Ran

runner = CliRunner()
IT = "Il governo ha approvato la riforma delle pensioni."
EN = "The government approved the pension reform."


def _pair(src: str = IT, tgt: str = EN, score: float = 0.9) -> TrainingPair:
    return TrainingPair(src, tgt, score, "a.txt|b.txt")


@pytest.mark.parametrize(
    ("keep", "pair", "expected"),
    [
        (min_score(0.5), _pair(score=0.5), True),  # the threshold itself is kept
        (min_score(0.5), _pair(score=0.49), False),
        (length_ratio(3.0), _pair(tgt="Reform."), False),  # 50 chars against 7
        (length_ratio(3.0), _pair(), True),
        (max_length(5), _pair(), False),  # 8 Italian words
        (max_length(8), _pair(), True),
        (language("it", "en"), _pair(), True),
        # an English sentence on the Italian side
        (language("it", "en"), _pair(src="The pension reform was approved by the government today."), False),
        # sides swapped
        (language("it", "en"), _pair(src=EN, tgt=IT), False),
        # a bare name cannot be told apart: benefit of the doubt
        (language("it", "en"), _pair(src="Putin", tgt="Putin"), True),
    ],
)
def test_filters(keep, pair: TrainingPair, expected: bool) -> None:
    assert keep(pair) is expected


def test_filter_chain_counts_the_first_filter_that_drops() -> None:
    chain = FilterChain([("min_score", min_score(0.5)), ("max_length", max_length(5))])
    pairs = [_pair(score=0.1), _pair(), _pair(src="Sì.", tgt="Yes.")]
    kept = list(chain(pairs))
    assert kept == [pairs[2]]
    assert chain.seen == 3
    assert chain.dropped == {"min_score": 1, "max_length": 1}


@pytest.mark.parametrize(
    ("first", "second", "dropped_as"),
    [
        (_pair(), _pair(score=0.3), "exact_duplicate"),  # same texts, other score
        (_pair(), _pair(src=IT.replace(" ", "  ")), "exact_duplicate"),  # white space only
        (_pair(), _pair(src=IT.upper()), "near_duplicate"),  # case
        (_pair(), _pair(src=IT.rstrip(".") + "!"), "near_duplicate"),  # punctuation
        (_pair(src="È il 2025."), _pair(src="E il 2026."), "near_duplicate"),  # accents and digits
        (_pair(), _pair(src="Il governo ha respinto la riforma delle pensioni."), None),  # a real difference
    ],
)
def test_deduplication(first: TrainingPair, second: TrainingPair, dropped_as: str | None) -> None:
    dedupe = Deduplicator()
    kept = list(dedupe([first, second]))
    if dropped_as is None:
        assert kept == [first, second] and not dedupe.dropped
    else:
        assert kept == [first] and dedupe.dropped == {dropped_as: 1}


def _fake_run(folder: Path, rows: list[str]) -> Path:
    """A run output folder with one pair whose TSV holds ``rows``."""
    folder.mkdir()
    (folder / "a__b.tsv").write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    manifest = Manifest(
        "test-signature",
        "in",
        (DocumentRecord("a.txt", language="it"), DocumentRecord("b.txt", language="en")),
        (PairRecord("a.txt", "b.txt", 0.97, {"tsv": "a__b.tsv"}, {"1-1": len(rows)}, None),),
    )
    RunFolder(folder).write_manifest(manifest)
    return folder


def test_export_summary_counts_each_filter(tmp_path: Path) -> None:
    run = _fake_run(
        tmp_path / "run",
        [
            f"{IT}\t{EN}\t0.9500\t1-1",
            f"{IT}\t{EN}\t0.9100\t1-1",  # exact duplicate
            f"{IT.upper()}\t{EN}\t0.9000\t1-1",  # near duplicate
            "Il presidente è arrivato a Mosca ieri sera.\tThe president arrived in Moscow last night.\t0.2000\t1-1",
            "Sì, certo, è proprio così, lo confermo a tutti voi oggi.\tYes.\t0.9000\t2-1",  # length ratio
            "The pension reform was approved by the government today.\tThe reform passed today in parliament.\t0.9000\t1-1",
            "La Camera ha votato la fiducia al governo.\tThe Chamber voted confidence in the government.\t0.8000\t1-1",
            # an English quote left in English on both sides: the same text, no translation
            "He said the agreement was a historic step forward.\tHe said the agreement was a historic step forward.\t0.9500\t1-1",
            "Vladimir Putin\tVladimir Putin\t0.9000\t1-1",  # a name is the same in both: kept
        ],
    )
    out = tmp_path / "corpus"
    res = runner.invoke(app, ["export", str(run), "--out", str(out)])
    assert res.exit_code == OK, res.output
    summary = json.loads((out / "export-summary.json").read_text())
    assert summary["input_pairs"] == 9
    assert summary["dropped"] == {
        "untranslated": 1,
        "min_score": 1,
        "length_ratio": 1,
        "max_length": 0,
        "language": 1,
        "exact_duplicate": 1,
        "near_duplicate": 1,
    }
    assert summary["kept"] == 3
    assert "dropped by untranslated: 1" in res.output
    kept = runner.invoke(app, ["export", str(run), "--out", str(tmp_path / "all"), "--keep-untranslated"])
    assert (
        kept.exit_code == OK
        and "untranslated"
        not in json.loads((tmp_path / "all" / "export-summary.json").read_text())["dropped"]
    )
    assert "dropped by language: 1" in res.output


@pytest.fixture(scope="module")
def seed_corpus(seed_run: Ran, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed run exported (into a folder of its own: the run is shared)."""
    out = tmp_path_factory.mktemp("corpus") / "corpus"
    res = runner.invoke(app, ["export", str(seed_run.out), "--out", str(out)])
    assert res.exit_code == OK, res.output
    return out


def test_formats_read_back_by_their_users_libraries(seed_corpus: Path) -> None:
    it_lines = (seed_corpus / "corpus.it").read_text(encoding="utf-8").splitlines()
    en_lines = (seed_corpus / "corpus.en").read_text(encoding="utf-8").splitlines()
    assert len(it_lines) == len(en_lines) == 10
    assert it_lines[0].startswith("Milano, 25 nov.") and en_lines[0].startswith("Milan, November 25")
    # JSON Lines, as pyarrow (and so Hugging Face datasets) reads it
    table = pa_json.read_json(seed_corpus / "corpus.jsonl")
    rows = table.to_pylist()
    assert [r["translation"]["it"] for r in rows] == it_lines
    assert [r["translation"]["en"] for r in rows] == en_lines
    assert all(0.5 <= r["score"] <= 1.0 for r in rows)
    assert rows[0]["doc"] == "000_4f42991440b6f2b5.txt|001_2311b19d4785c162.txt"
    # Provenance, as NLLB's mined-bitext records give it
    first = rows[0]
    assert (first["src_doc"], first["tgt_doc"], first["link_type"]) == (
        "000_4f42991440b6f2b5.txt",
        "001_2311b19d4785c162.txt",
        "1-1",
    )
    assert (
        [r["src_sentences"] for r in rows] == [[k] for k in range(10)] == [r["tgt_sentences"] for r in rows]
    )
    assert all(r["src_lid"] > 0.8 and r["tgt_lid"] > 0.8 for r in rows)  # one English side: 0.896
    # Parquet: the same records (pyarrow's JSON reader takes the date for a timestamp)
    parquet = pq.read_table(seed_corpus / "corpus.parquet").to_pylist()
    assert {r["date"] for r in parquet} == {"2025-11-25"} and {str(r["date"])[:10] for r in rows} == {
        "2025-11-25"
    }
    assert [{k: v for k, v in r.items() if k != "date"} for r in parquet] == [
        {k: v for k, v in r.items() if k != "date"} for r in rows
    ]
    # TSV: three fields, the score last
    tsv = [line.split("\t") for line in (seed_corpus / "corpus.tsv").read_text(encoding="utf-8").splitlines()]
    assert all(len(r) == 3 for r in tsv)
    assert [r[0] for r in tsv] == it_lines and [float(r[2]) for r in tsv] == [r["score"] for r in rows]


def test_export_refuses_to_overwrite_and_names_bad_input(
    seed_run: Ran, seed_corpus: Path, tmp_path: Path
) -> None:
    run = seed_run.out
    res = runner.invoke(app, ["export", str(run), "--out", str(seed_corpus)])
    assert res.exit_code == EXISTS and "already exists" in res.output
    res = runner.invoke(app, ["export", str(tmp_path)])
    assert res.exit_code == BAD_INPUT and "manifest.json: cannot be read" in res.output
    broken = _fake_run(tmp_path / "broken", ["only\ttwo"])
    res = runner.invoke(app, ["export", str(broken)])
    assert (
        res.exit_code == BAD_INPUT
        and "a__b.tsv, line 1: expected 4 tab-separated fields, found 2" in res.output
    )


def test_a_run_without_tsv_files_is_refused_with_the_rerun_that_fixes_it(tmp_path: Path) -> None:
    """A links-only run (as the throughput benchmark makes) has no TSV to export; the
    message gives the rerun that works (a rerun with other formats needs --force)."""
    out = tmp_path / "run"
    assert (
        runner.invoke(app, ["run", str(SEEDS), "--out", str(out), "--format", "links", "-q"]).exit_code == OK
    )
    res = runner.invoke(app, ["export", str(out)])
    assert res.exit_code == BAD_INPUT
    assert "has no TSV file" in res.output and f"--out {out} --force and tsv among its --format" in res.output
    rerun = runner.invoke(app, ["run", str(SEEDS), "--out", str(out), "--force", "-q"])
    assert rerun.exit_code == OK, rerun.output
    res = runner.invoke(app, ["export", str(out)])
    assert res.exit_code == OK, res.output
    assert len((out / "corpus" / "corpus.tsv").read_text(encoding="utf-8").splitlines()) == 10


def test_an_output_folder_that_cannot_be_made_is_named(seed_run: Ran, tmp_path: Path) -> None:
    """--out under a file (or on a read-only place) was a NotADirectoryError traceback."""
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    res = runner.invoke(app, ["export", str(seed_run.out), "--out", str(tmp_path / "a-file" / "corpus")])
    assert res.exit_code == BAD_INPUT
    assert (
        f"{tmp_path / 'a-file' / 'corpus'}: cannot write there (Not a directory). Choose another folder."
        in (res.output)
    )


def test_an_export_that_fails_midway_leaves_nothing_behind(tmp_path: Path) -> None:
    """The pairs stream: a bad TSV line is found after earlier pairs were spooled, and
    then no file (nor temporary, nor the folder made for it) is left, and a file already
    there is untouched."""
    run = _fake_run(tmp_path / "run", [f"{IT}\t{EN}\t0.9500\t1-1"])
    RunFolder(run).work.mkdir()  # a run's work folder, without which --format xces is refused
    (run / "c__d.tsv").write_text(f"{IT}\t{EN}\t0.9500\t1-1\nonly\ttwo\n", encoding="utf-8")
    folder = RunFolder(run)
    manifest = folder.read_manifest()
    second = PairRecord("c.txt", "d.txt", 0.97, {"tsv": "c__d.tsv"}, {"1-1": 2}, None)
    folder.write_manifest(replace(manifest, pairs=(*manifest.pairs, second)))
    fresh = tmp_path / "fresh"
    res = runner.invoke(app, ["export", str(run), "--out", str(fresh), "--format", "tmx", "--format", "xces"])
    assert res.exit_code == BAD_INPUT and "c__d.tsv, line 2: expected 4" in res.output
    assert not fresh.exists()
    kept = tmp_path / "kept"
    kept.mkdir()
    (kept / "corpus.tsv").write_text("mine\n", encoding="utf-8")
    res = runner.invoke(app, ["export", str(run), "--out", str(kept), "--force"])
    assert res.exit_code == BAD_INPUT
    assert [f.name for f in kept.rglob("*")] == ["corpus.tsv"]
    assert (kept / "corpus.tsv").read_text(encoding="utf-8") == "mine\n"


def test_one_memory_of_every_pair_with_the_same_filters(corpus_run: Ran, tmp_path: Path) -> None:
    """`aligner export RUN --format tmx` writes one TMX of the whole run: every pair's kept
    units (the same filters and counts as the other formats), ids unique and stable."""
    import xml.etree.ElementTree as ET

    from lxml import etree

    from .conftest import DTD

    out = tmp_path / "memory"
    args = ["export", str(corpus_run.out), "--out", str(out), "--format", "tmx", "--format", "tsv"]
    res = CliRunner().invoke(app, [*args, "--tmx-profile", "memoq", "--src-locale", "it-IT"])
    assert res.exit_code == OK, res.output
    tmx = (out / "corpus.tmx").read_text(encoding="utf-8")
    assert etree.DTD(str(DTD)).validate(etree.fromstring(tmx.encode("utf-8")))
    tus = ET.fromstring(tmx).findall("body/tu")
    summary = json.loads((out / "export-summary.json").read_text(encoding="utf-8"))
    assert len(tus) == summary["kept"] == len((out / "corpus.tsv").read_text(encoding="utf-8").splitlines())
    manifest = RunFolder(corpus_run.out).read_manifest()
    docs = {f"{p.source}" for p in manifest.pairs}
    assert {tu.findtext("prop[@type='x-document']") for tu in tus} == docs  # every pair is in it
    ids = [tu.get("tuid") for tu in tus]
    assert len(set(ids)) == len(ids)
    assert {tu.get("srclang") for tu in tus} == {"it-IT"}
    assert "corpus.tmx" in summary["files"]
    again = tmp_path / "again"
    res = CliRunner().invoke(
        app, [*args[:3], str(again), *args[4:], "--tmx-profile", "memoq", "--src-locale", "it-IT"]
    )
    assert res.exit_code == OK and (again / "corpus.tmx").read_text(encoding="utf-8") == tmx  # same bytes
    default = CliRunner().invoke(app, ["export", str(corpus_run.out), "--out", str(tmp_path / "ml")])
    assert default.exit_code == OK and not (tmp_path / "ml" / "corpus.tmx").exists()  # on request only


def test_the_cards_tsv_config_reads_quotes_and_na_as_text(tmp_path: Path) -> None:
    """The dataset card's TSV keys (pandas.read_csv's, which Hugging Face's CsvConfig passes
    on), applied to Python's csv reader, give every row its three fields and its texts: with
    the default quoting a text starting with '"' took the tab after it for text (bug hunt
    r3), and pandas' default missing values read a text "NA" or "null" as missing."""
    import csv

    import yaml

    rows = [
        (
            '"Siamo pronti a trattare", ha detto il ministro.',
            '"We are ready to negotiate", the minister said.',
        ),
        ('Ha detto: "no".', 'He said: "no".'),  # a quote that ends the text
        ("Il dato è NA.", "The figure is NA."),
        ("NA", "NA"),  # pandas' default missing values: NA, N/A, null, NaN...
        ("null", "null"),
        ('Un " solo.', 'A single ".'),  # a quote left open
    ]
    run = _fake_run(tmp_path / "run", [f"{src}\t{tgt}\t0.9000\t1-1" for src, tgt in rows])
    out = tmp_path / "corpus"
    res = runner.invoke(
        app, ["export", str(run), "--out", str(out), "--format", "tsv", "--no-lang-check", "--no-dedup"]
    )
    assert res.exit_code == OK, res.output
    header = yaml.safe_load((out / "README.md").read_text(encoding="utf-8").split("---\n")[1])
    (config,) = [c for c in header["configs"] if c["config_name"] == "tsv"]
    assert config["quoting"] == csv.QUOTE_NONE and config["keep_default_na"] is False
    assert config["header"] is None and config["column_names"] == ["source", "target", "score"]
    with (out / config["data_files"][0]["path"]).open(encoding="utf-8", newline="") as fh:
        read = list(csv.reader(fh, delimiter=config["sep"], quoting=config["quoting"]))
    assert [tuple(r[:2]) for r in read] == rows and all(len(r) == 3 for r in read)


TMX = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="x" '
    'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="it" '
    'datatype="plaintext"/><body>\n'
    '<tu><tuv xml:lang="it"><seg>Il governo ha approvato la legge sul bilancio dello stato.</seg></tuv>'
    '<tuv xml:lang="en"><seg>The government approved the state budget law.</seg></tuv></tu>\n'
    "</body></tmx>\n"
)
XLIFF = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
    '<file original="a.txt" source-language="it" target-language="en" datatype="plaintext"><body>'
    '<trans-unit id="1"><source>Il ministro ha firmato il decreto sulle scuole oggi.</source>'
    "<target>The minister signed the decree on schools today.</target></trans-unit>"
    "</body></file></xliff>\n"
)


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("mem.tmx", TMX, "a TMX or XLIFF file has only its units"),  # bug hunt r4: an empty <cesAlign>
        ("doc.xlf", XLIFF, "a TMX or XLIFF file has only its units"),
        ("reviewed", None, "a review's export"),  # a run's output without its .aligner/ folder
    ],
)
def test_xces_is_refused_for_an_input_without_stored_documents(
    tmp_path: Path, name: str, text: str | None, says: str
) -> None:
    """XCES's sentence files come from a run's stored documents: from a file or a review's
    export it wrote an empty alignment file, listed as a corpus file, and said nothing."""
    from aligner_cli.common import USAGE

    source = tmp_path / name
    if text is None:
        _fake_run(source, [f"{IT}\t{EN}\t0.9500\t1-1"])
    else:
        source.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    res = runner.invoke(
        app, ["export", str(source), "--out", str(out), "--format", "xces", "--format", "tsv"]
    )
    assert res.exit_code == USAGE and "--format xces needs the documents a run stored" in res.output
    assert says in res.output and not out.exists()
    res = runner.invoke(app, ["export", str(source), "--out", str(out), "--format", "tsv", "--no-lang-check"])
    assert res.exit_code == OK and (out / "corpus.tsv").read_text(encoding="utf-8").count("\n") == 1


def _long_memory(path: Path) -> Path:
    """A TMX file of a unit over 2,000 characters a side and a short one."""
    li = "Il ministro ha detto che " + ", ".join(f"la regione numero {k} riceverà fondi" for k in range(70))
    le = "The minister said that " + ", ".join(f"region number {k} will receive funds" for k in range(70))
    units = (
        f'<tu><tuv xml:lang="it"><seg>{li}.</seg></tuv><tuv xml:lang="en"><seg>{le}.</seg></tuv></tu>'
        f'<tu><tuv xml:lang="it"><seg>{IT}</seg></tuv><tuv xml:lang="en"><seg>{EN}</seg></tuv></tu>'
    )
    path.write_text(
        TMX.replace(TMX[TMX.index("<tu>") : TMX.index("</body>")], units + "\n"), encoding="utf-8"
    )
    return path


@pytest.mark.parametrize(
    ("profile", "in_tmx", "left_out"),
    [
        ("trados", 1, 1),  # bug hunt r6: the long unit was counted as kept, noted in the TMX header only
        ("generic", 2, None),  # no length limit: every kept pair is in the TMX
        ("memoq", 2, None),
    ],
)
def test_the_summary_counts_what_a_tmx_profile_leaves_out(
    tmp_path: Path, profile: str, in_tmx: int, left_out: int | None
) -> None:
    import xml.etree.ElementTree as ET

    memory = _long_memory(tmp_path / "long.tmx")
    out = tmp_path / "out"
    args = [
        "export",
        str(memory),
        "--out",
        str(out),
        "--format",
        "tmx",
        "--format",
        "tsv",
        "--max-words",
        "1000",
    ]
    res = runner.invoke(app, [*args, "--tmx-profile", profile])
    assert res.exit_code == OK, res.output
    summary = json.loads((out / "export-summary.json").read_text(encoding="utf-8"))
    assert summary["kept"] == 2 == len((out / "corpus.tsv").read_text(encoding="utf-8").splitlines())
    assert len(ET.parse(out / "corpus.tmx").getroot().findall("body/tu")) == in_tmx
    if left_out is None:
        assert "tmx_left_out" not in summary and "left out of the TMX" not in res.output
    else:
        assert (
            summary["tmx_left_out"]["pairs"] == left_out
            and "2,000 characters" in summary["tmx_left_out"]["why"]
        )
        assert f"left out of the TMX only: {left_out} (longer than 2,000 characters" in res.output
