"""A real CAT tool reads our memories: OmegaT (Debian's ``omegat``, 3.6) in console mode.

A test builds an OmegaT project (the Italian seed dispatch as its source document,
our TMX in ``tm/auto/``), runs ``omegat PROJECT --mode=console-translate``, and counts
the segments OmegaT filled from the memory: those whose English text is in the
translated document. OmegaT fills a segment from ``tm/auto`` only on an exact match,
so a unit counts only when OmegaT segments the sentence as the aligner did.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import IT_SEED, Ran

OMEGAT = shutil.which("omegat")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(OMEGAT is None, reason="needs Debian's omegat (.ci/run installs it)"),
]

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>source</source_dir>
    <source_dir_excludes><mask>**/.svn/**</mask></source_dir_excludes>
    <target_dir>target</target_dir>
    <tm_dir>tm</tm_dir>
    <glossary_dir>glossary</glossary_dir>
    <glossary_file>glossary/glossary.txt</glossary_file>
    <dictionary_dir>dictionary</dictionary_dir>
    <source_lang>{src}</source_lang>
    <target_lang>{tgt}</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneItalianTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def source_document() -> str:
    """The Italian seed as a translator has it: its paragraphs, without our ``date`` token."""
    text = IT_SEED.read_text(encoding="utf-8").strip()
    if text.startswith("date "):
        text = text.split(" ", 2)[2]
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip()) + "\n"


def omegat_translate(folder: Path, tmx: str, src: str = "it", tgt: str = "en") -> str:
    """The target document OmegaT writes for the seed with ``tmx`` in ``tm/auto/``."""
    project = folder / "project"
    for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / sub).mkdir(parents=True, exist_ok=True)
    (project / "omegat.project").write_text(PROJECT.format(src=src, tgt=tgt), encoding="utf-8")
    (project / "source" / "dispatch.txt").write_text(source_document(), encoding="utf-8")
    (project / "tm" / "auto" / "memory.tmx").write_text(tmx, encoding="utf-8")
    assert OMEGAT is not None
    done = subprocess.run(
        [OMEGAT, str(project), "--mode=console-translate", f"--config-dir={folder / 'config'}", "--no-team"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return (project / "target" / "dispatch.txt").read_text(encoding="utf-8")


def units(tmx: str) -> list[tuple[str, str]]:
    """The (source, target) texts of a TMX's units, the header's srclang first."""
    root = ET.fromstring(tmx)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    out = []
    for tu in root.iter("tu"):
        segs = [tuv.findtext("seg") or "" for tuv in tu.iter("tuv")]
        langs = [tuv.get(lang) for tuv in tu.iter("tuv")]
        out.append(
            (segs[0], segs[1]) if langs[0] == root.find("header").get("srclang") else (segs[1], segs[0])
        )  # type: ignore[union-attr]
    return out


def filled(target: str, tmx: str) -> list[str]:
    """The units of ``tmx`` whose translation OmegaT put in the target document."""
    return [src for src, tgt in units(tmx) if tgt in target]


def seed_tmx(seed_run: Ran) -> str:
    (path,) = seed_run.out.glob("*.tmx")
    return path.read_text(encoding="utf-8")


def test_omegat_fills_nine_of_the_seeds_ten_segments_from_our_tmx(tmp_path: Path, seed_run: Ran) -> None:
    tmx = seed_tmx(seed_run)
    target = omegat_translate(tmp_path, tmx)
    got = filled(target, tmx)
    assert len(units(tmx)) == 10
    # OmegaT's own Italian rules cut "Milano, 25 nov." after "nov.": that segment never matches.
    assert len(got) == 9, got
    assert not any(src.startswith("Milano, 25 nov.") for src in got)


def _aligned_tmx(folder: Path, *options: str) -> str:
    """The seed pair's TMX, as `aligner align` writes it with ``options``."""
    from aligner_cli.main import app
    from typer.testing import CliRunner

    from .conftest import EN_SEED

    out = folder / "memory.tmx"
    res = CliRunner().invoke(app, ["align", str(IT_SEED), str(EN_SEED), "-o", str(out), *options])
    assert res.exit_code == 0, res.output
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("profile", ["generic", "omegat", "trados", "memoq", "phrase"])
def test_omegat_fills_nine_segments_from_every_profiles_tmx(tmp_path: Path, profile: str) -> None:
    tmx = _aligned_tmx(tmp_path, "--tmx-profile", profile)
    assert len(filled(omegat_translate(tmp_path, tmx), tmx)) == 9


def test_omegat_takes_a_memory_with_locales_in_a_project_of_languages(tmp_path: Path) -> None:
    tmx = _aligned_tmx(tmp_path, "--tmx-profile", "omegat", "--src-locale", "it-IT", "--tgt-locale", "en-GB")
    assert 'srclang="it-IT"' in tmx and 'xml:lang="en-GB"' in tmx
    assert len(filled(omegat_translate(tmp_path, tmx, "it", "en"), tmx)) == 9
    assert len(filled(omegat_translate(tmp_path / "regional", tmx, "it-IT", "en-GB"), tmx)) == 9


def test_omegat_fills_all_ten_segments_when_the_project_segments_as_the_aligner(
    tmp_path: Path, seed_run: Ran
) -> None:
    """With `aligner srx --format omegat` as the project's segmentation file, OmegaT cuts the
    seed as the aligner did ("Milano, 25 nov." is no sentence end) and fills every segment."""
    from aligner_cli.main import app
    from typer.testing import CliRunner

    conf = tmp_path / "project" / "omegat" / "segmentation.conf"
    conf.parent.mkdir(parents=True)
    res = CliRunner().invoke(app, ["srx", "--lang", "it", "--format", "omegat", "-o", str(conf)])
    assert res.exit_code == 0, res.output
    tmx = seed_tmx(seed_run)
    target = omegat_translate(tmp_path, tmx)
    assert len(filled(target, tmx)) == 10
    logs = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "config" / "logs").glob("*.log"))
    assert "CORE_SRX_EXC" not in logs and "SRX.loadSRX" not in logs  # our rules were loaded
