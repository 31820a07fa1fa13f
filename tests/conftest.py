"""Shared fixtures: the seeds, the seven-pair corpus, their runs (once per session) and the encoder.

The session-wide runs are read by many tests; a test that writes into a run
folder works on a copy (:func:`copy_run`).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from aligner.encode import CachedEncoder, get_encoder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
IT_SEED = SEEDS / "000_4f42991440b6f2b5.txt"
EN_SEED = SEEDS / "001_2311b19d4785c162.txt"
DATA = Path(__file__).resolve().parent / "data"
DTD = DATA / "tmx14.dtd"
DISPATCHES = DATA / "dispatches"
#: The Italian seeds that have no English version.
ITALIAN_ONLY = ("002_abf4a547a46e6000.txt", "003_9f66fee8583b8b08.txt", "004_949a5f54501a7c62.txt")


def aligner_script() -> str:
    """The installed ``aligner`` console script next to this Python."""
    exe = shutil.which("aligner", path=str(Path(sys.executable).parent))
    assert exe is not None, "pip install -e . should install the 'aligner' script"
    return exe


@dataclass(frozen=True)
class Ran:
    """A finished ``aligner run``: its output folder and what it printed."""

    input: Path
    out: Path
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def invoke_run(input_dir: Path, out: Path, *options: str) -> Ran:
    """``aligner run INPUT --out OUT OPTIONS`` in this process."""
    from aligner_cli.main import app
    from typer.testing import CliRunner

    res = CliRunner().invoke(app, ["run", str(input_dir), "--out", str(out), *options])
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return Ran(input_dir, out, res.exit_code, res.stdout, res.stderr)


def copy_run(ran: Ran, folder: Path) -> Path:
    """A copy of ``ran``'s output folder at ``folder/out``, to write into."""
    out = folder / "out"
    shutil.copytree(ran.out, out)
    return out


def make_corpus(folder: Path) -> Path:
    """Seven pairs, the seeds' three Italian-only documents and one binary file, in ``folder``."""
    folder.mkdir(parents=True)
    for path in DISPATCHES.glob("*.txt"):
        shutil.copy(path, folder)
    for name in ITALIAN_ONLY:
        shutil.copy(SEEDS / name, folder)
    (folder / "zz_binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(200))
    return folder


@pytest.fixture(scope="session", autouse=True)
def _model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The unpacked model copies (aligner.modelcache) go to a folder of the session's, not
    to the user's cache: the tests write nothing outside their temporary folders."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture(scope="session")
def encoder() -> CachedEncoder:
    return get_encoder()


@pytest.fixture()
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> Ran:
    """``aligner run seeds/`` (the README's main job), once per session. Read only: see :func:`copy_run`."""
    return invoke_run(SEEDS, tmp_path_factory.mktemp("seedrun") / "out")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seven-pair corpus (:func:`make_corpus`) in a folder named ``in``."""
    return make_corpus(tmp_path_factory.mktemp("corpus") / "in")


@pytest.fixture(scope="session")
def corpus_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Ran:
    """``aligner run`` on the seven-pair corpus, once per session. Read only."""
    return invoke_run(corpus, tmp_path_factory.mktemp("corpusrun") / "out")


#: Output files written by the code before the run folder's restructure (see data/README.md).
GOLDEN = DATA / "golden"


def output_files(out: Path) -> dict[str, bytes]:
    """The visible output files of a run folder (not the work folder, nor temporaries)."""
    return {p.name: p.read_bytes() for p in sorted(out.glob("[!.]*")) if p.is_file()}


#: A decimal number in an output file (a score, or a mean of scores in the manifest).
_DECIMAL = re.compile(rb"\d+\.\d+")
#: How far a score may drift from the golden file's. e5's vectors differ in their last
#: bits from one CPU to another (its quantised kernels take the SIMD path the CPU has):
#: on an Intel Xeon 2.80 GHz machine with AVX-512 the seed's link scores came out 0.0001
#: from the golden files' (0.9902 for 0.9901), every link and every other byte the same.
GOLDEN_TOLERANCE = 0.002
#: The manifest's pairing numbers magnify that noise: the embedding evidence is a margin
#: of cosines divided by 0.07, and a document without counterpart reports its best
#: candidate's probability far down the logistic's tail (0.0001 there, 0.0536 on the
#: machine above, both "below the threshold 0.50"). Which documents pair, and with what,
#: must still be the same.
GOLDEN_MANIFEST_TOLERANCE = 0.1


def same_but_for_float_noise(golden: bytes, made: bytes, tolerance: float = GOLDEN_TOLERANCE) -> bool:
    """``golden`` and ``made`` are equal, but for decimal numbers at most ``tolerance`` apart."""
    if golden == made:
        return True
    if _DECIMAL.sub(b"#", golden) != _DECIMAL.sub(b"#", made):
        return False
    pairs = zip(_DECIMAL.findall(golden), _DECIMAL.findall(made), strict=True)
    return all(abs(float(a) - float(b)) <= tolerance for a, b in pairs)


def golden_differences(out: Path, name: str) -> list[str]:
    """The files of run folder ``out`` that differ from ``GOLDEN/name`` (missing and extra ones too).

    The signature names the installed versions of our dependencies; the golden
    files' signature is replaced by ``out``'s before the bytes are compared.
    Numbers may differ by float noise (:data:`GOLDEN_TOLERANCE`, and
    :data:`GOLDEN_MANIFEST_TOLERANCE` in the manifest); every other byte must be the same.
    """
    import json

    golden = output_files(GOLDEN / name)
    made = output_files(out)
    old = json.loads(golden["manifest.json"])["signature"].encode()
    new = json.loads(made["manifest.json"])["signature"].encode() if "manifest.json" in made else old
    return sorted(
        n
        for n in golden.keys() | made.keys()
        if n not in golden
        or n not in made
        or not same_but_for_float_noise(
            golden[n].replace(old, new),
            made[n],
            GOLDEN_MANIFEST_TOLERANCE if n == "manifest.json" else GOLDEN_TOLERANCE,
        )
    )
