"""Shared fixtures: the seed folder and the (session-wide) encoder."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from aligner.encode import CachedEncoder, get_encoder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
IT_SEED = SEEDS / "000_4f42991440b6f2b5.txt"
EN_SEED = SEEDS / "001_2311b19d4785c162.txt"
DTD = Path(__file__).resolve().parent / "data" / "tmx14.dtd"


def aligner_script() -> str:
    """The installed ``aligner`` console script next to this Python."""
    exe = shutil.which("aligner", path=str(Path(sys.executable).parent))
    assert exe is not None, "pip install -e . should install the 'aligner' script"
    return exe


@pytest.fixture(scope="session")
def encoder() -> CachedEncoder:
    return get_encoder()


@pytest.fixture()
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def pristine_seed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed pair (000, 001) run once per session; copy it before writing into it."""
    from .reviewdata import seed_run

    return seed_run(tmp_path_factory.mktemp("seedrun"))
