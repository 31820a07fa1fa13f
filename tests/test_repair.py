"""Repairing scraped-web text: small real cases, what is reported, and invariants."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aligner.load import load_document
from aligner.model import Repair
from aligner.repair import describe, repair_lines
from aligner.split import split

CASES = [
    # mojibake: UTF-8 read as Windows-1252 or Latin-1, C1 controls for cp1252 quotes
    (
        "la legge sulla cittÃ\xa0, perchÃ© Ã¨ importante",
        "la legge sulla città, perché è importante",
        {"mojibake"},
    ),
    ("lâ€™Italia e lâ€œEuropaâ€\x9d", "l’Italia e l“Europa”", {"mojibake"}),
    ("Il \x93governo\x94 ha detto", "Il “governo” ha detto", {"mojibake"}),
    ("Ãœber alles", "Über alles", {"mojibake"}),
    # HTML left by a scraper: block tags leave a space, inline tags none, entities decoded
    (
        "<p>Roma, 25 nov. &ndash; approvata la legge sulla citt&agrave;.</p>",
        " Roma, 25 nov. – approvata la legge sulla città. ",
        {"markup"},
    ),
    ('la <b>legge</b> di <a href="/bilancio">bilancio</a>', "la legge di bilancio", {"markup"}),
    (
        "Il ministro ha parlato.<br>Poi è uscito.<br/>Fine",
        "Il ministro ha parlato. Poi è uscito. Fine",
        {"markup"},
    ),
    ("l&#8217;Italia &#x201C;unita&#x201D;&nbsp;oggi", "l’Italia “unita”\u00a0oggi", {"markup"}),
    ("AT&amp;T", "AT&T", {"markup"}),
    # both on one line
    ("<p>cittÃ\xa0</p>", " città ", {"markup", "mojibake"}),
    # invisible characters, NFC and ligatures: repaired without a report
    ("il gover\u00adno ha appro\u200bvato la leg\u2060ge\ufeff", "il governo ha approvato la legge", set()),
    ("e\u0301 una novita\u0300", "é una novità", set()),
    ("la \ufb01nanza e il \ufb02usso", "la finanza e il flusso", set()),
    ("fine.\u2028Inizio\u2029altro", "fine. Inizio altro", set()),
    # left as written: typography, text that only looks like markup or mojibake
    ("“Virgolette” e «caporali» – 5\u00a0€ … ‘sì’", "“Virgolette” e «caporali» – 5\u00a0€ … ‘sì’", set()),
    ("Ｆｕｌｌ ｗｉｄｔｈ", "Ｆｕｌｌ ｗｉｄｔｈ", set()),
    ("SÃO PAULO é grande", "SÃO PAULO é grande", set()),
    ("5 < 7 e 8 > 3, la <Roma> di AT&T e R&D, &foo;", "5 < 7 e 8 > 3, la <Roma> di AT&T e R&D, &foo;", set()),
    ("naïve façade, ñandú", "naïve façade, ñandú", set()),
]


@pytest.mark.parametrize(("line", "repaired", "kinds"), CASES)
def test_repair_line(line: str, repaired: str, kinds: set[str]) -> None:
    out, repairs = repair_lines([line], first_number=7)
    assert out == [repaired]
    assert {r.kind for r in repairs} == kinds
    assert all(r.first_line == 7 and r.lines == 1 for r in repairs)


def test_repairs_count_lines_and_name_the_first() -> None:
    lines = ["ok", "<p>uno</p>", "cittÃ\xa0", "plain", "due<br>tre", "perchÃ©"]
    _, repairs = repair_lines(lines)
    assert repairs == (Repair("markup", 2, 2), Repair("mojibake", 2, 3))
    assert describe(repairs[0]).startswith("HTML markup removed on 2 lines, the first this one")
    assert describe(Repair("mojibake", 1, 3)).startswith("mojibake repaired on this line")


def test_document_text_is_repaired_and_line_numbers_kept(tmp_path: Path) -> None:
    path = tmp_path / "scraped.txt"
    path.write_text(
        "date 2025-11-25\n"
        "<h1>Il governo approva la legge</h1>\n"
        "Roma, 25 nov. &ndash; Il governo ha approvato la legge sulla cittÃ\xa0.\n"
        "Ãˆ una novitÃ\xa0 importante, ha detto il ministro.\n"
        "Iscriviti alla newsletter\n",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert doc.date == "2025-11-25"
    assert doc.repairs == (Repair("markup", 2, 2), Repair("mojibake", 2, 3))
    assert [ln.number for ln in doc.lines] == [1, 2, 3, 4, 5, 6]
    assert [s.text for s in split(doc, "it")] == [
        "Il governo approva la legge",
        "Roma, 25 nov. – Il governo ha approvato la legge sulla città.",
        "È una novità importante, ha detto il ministro.",
    ]
    assert all(doc.text[s.start : s.end] == s.text for s in split(doc, "it"))


@given(st.lists(st.text(max_size=60).filter(lambda t: "\n" not in t and "\r" not in t), max_size=8))
def test_repair_keeps_the_lines_and_leaves_no_invisible_characters(lines: list[str]) -> None:
    out, repairs = repair_lines(lines)
    assert len(out) == len(lines)
    assert not any(ch in line for line in out for ch in "\n\u00ad\u200b\u2060\ufeff\u2028\u2029")
    for before, after in zip(lines, out, strict=True):
        if before.isascii() and "&" not in before and "<" not in before:
            assert after == before
    numbers = sorted(r.first_line for r in repairs)
    assert all(1 <= n <= len(lines) for n in numbers)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\n\r&<"), max_size=60))
def test_repairing_twice_changes_nothing_more(line: str) -> None:
    once, _ = repair_lines([line])
    twice, repairs = repair_lines(once)
    assert twice == once and repairs == ()


@pytest.mark.parametrize(
    ("line", "repaired"),
    [
        ("l\xadâ€™Italia", "l’Italia"),  # a soft hyphen inside the mojibake of a quote
        ("\xadÂ\x80", "€"),  # found by the property above: the soft hyphen hid the mojibake
        ("cittÃ\u200b ", "città "),  # a zero-width space inside "à" read as Windows-1252
    ],
)
def test_mojibake_behind_an_invisible_character_is_repaired_at_once(line: str, repaired: str) -> None:
    once, repairs = repair_lines([line])
    assert once == [repaired]
    assert [r.kind for r in repairs] == ["mojibake"]
    assert repair_lines(once) == (once, ())
