"""The splitting benchmark's reading of treebank files: its numbers rest on it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "splitting.py"
_spec = importlib.util.spec_from_file_location("splitting_benchmark", _PATH)
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench  # dataclasses look their module up there
_spec.loader.exec_module(bench)

TUT = """\
************** Frase ITALIAN_TEST-1 **************
1 L' (IL ART DEF F SING) [2;DET+DEF-ARG]
2 Italia (ITALIA NOUN PROPER) [0;TOP-NOUN]
3 ( (#\\( PUNCT) [2;OPEN+PARENTHETICAL]
4 sic (SIC ADV) [2;ADVB-RMOD]
5 ) (#\\) PUNCT) [2;CLOSE+PARENTHETICAL]
5.1 t [2p] (ITALIA NOUN PROPER) [5;VERB-SUBJ]
6 . (#\\. PUNCT) [2;END]

************** FRASE ITALIAN_TEST-2 **************
1 Disse (DIRE VERB MAIN) [0;TOP-VERB]
2 : (#\\: PUNCT) [1;SEPARATOR]
3 " (#\\" PUNCT) [4;OPEN+QUOTES]
4 basta (BASTA ADV) [1;VERB-OBJ]
5 " (#\\" PUNCT) [4;CLOSE+QUOTES]
6 . (#\\. PUNCT) [1;END]
"""


def test_read_tut_keeps_words_and_skips_parts_and_traces() -> None:
    sentences = bench.read_tut(TUT)
    assert [[form for form, _ in s] for s in sentences] == [
        ["L'", "Italia", "(", "sic", ")", "."],
        ["Disse", ":", '"', "basta", '"', "."],
    ]


@pytest.mark.parametrize(
    ("words", "text"),
    [
        ([("L'", ""), ("Italia", ""), ("(", ""), ("sic", ""), (")", ""), (".", "END")], "L'Italia (sic)."),
        (
            [("Disse", ""), (":", ""), ('"', "OPEN+QUOTES"), ("basta", ""), ('"', "CLOSE+QUOTES"), (".", "")],
            'Disse: "basta".',
        ),
        (
            [("John", ""), ("'s", ""), ("car", ""), ("does", ""), ("n't", ""), ("start", ""), ("!", "")],
            "John's car doesn't start!",
        ),
        ([("«", ""), ("Sì", ""), ("»", ""), (",", ""), ("ha", ""), ("detto", "")], "«Sì», ha detto"),
    ],
)
def test_detokenize(words: list[tuple[str, str]], text: str) -> None:
    assert bench.detokenize(words) == text


def test_boundaries_after_semicolons_count_neither_way() -> None:
    doc = bench.Doc("it", "t", "Primo punto; secondo punto. Terzo.", (0, 28), (13,))
    count, predicted, _ = bench.score(doc, lambda text: [0, 13, 28])
    assert predicted == {28}  # the break at the semicolon is dropped
    assert (count.right, count.predicted, count.gold) == (1, 1, 1)
    count, _, _ = bench.score(doc, lambda text: [0])
    assert (count.right, count.predicted, count.gold) == (0, 0, 1)
