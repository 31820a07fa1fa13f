"""Loading: date lifting, boilerplate flags, and every kind of bad input file."""

from __future__ import annotations

import codecs
import shutil
import subprocess
from pathlib import Path

import pytest
from charset_normalizer.constant import IANA_SUPPORTED

from aligner.boilerplate import flag_lines, looks_like_code
from aligner.errors import InputError
from aligner.load import (
    conversion_command,
    date_problem,
    document_id,
    list_documents,
    load_document,
    loading_notes,
    parse,
    read_text,
    text_encoding,
)
from aligner.split import split

from .conftest import IT_SEED, SEEDS


def test_a_date_token_after_blank_lines_keeps_the_file_s_line_numbers_and_offsets() -> None:
    doc = parse("\n \ndate 2025-11-25 Roma, 25 nov. Il governo ha deciso.\nÈ una novità.\n", "x.txt")
    assert doc.date == "2025-11-25"
    assert [(ln.number, doc.text[ln.start : ln.end]) for ln in doc.lines if ln.end > ln.start] == [
        (2, " "),
        (3, "Roma, 25 nov. Il governo ha deciso."),
        (4, "È una novità."),
    ]
    sentences = split(doc, "it")
    assert [s.text for s in sentences] == ["Roma, 25 nov. Il governo ha deciso.", "È una novità."]
    assert all(doc.text[s.start : s.end] == s.text for s in sentences)


@pytest.mark.parametrize(
    ("raw", "date", "text_start"),
    [
        # the seed's form: a leading space, then the token, then the dateline
        (" date 2025-11-25 Milano, 25 nov. (askanews) –", "2025-11-25", "Milano, 25 nov."),
        # month-only dates (seed 004) are kept as given
        (" date 2022-07 L’invasione dell’Ucraina", "2022-07", "L’invasione"),
        # the token alone on the first line
        ("date 2024-01-05\nRoma, 5 gen.", "2024-01-05", "\nRoma"),
        # after blank lines, as in a Word or OpenDocument file: not lifted before
        ("\n\ndate 2025-11-25 Roma, 25 nov.", "2025-11-25", "\n\nRoma, 25 nov."),
        (" \t\n\r\n date 2024-01-05\nRoma, 5 gen.", "2024-01-05", " \t\n\n\nRoma"),
        # no token: nothing lifted
        ("Milan, November 25 (askanews)", None, "Milan"),
        ("\n\nMilan, November 25 (askanews)", None, "\n\nMilan"),
        # "date" as an ordinary word is not a token
        ("date importanti per il 2025", None, "date importanti"),
        # a date later in the text stays in the text
        ("Roma. date 2025-11-25 dopo", None, "Roma."),
    ],
)
def test_date_token_is_lifted(raw: str, date: str | None, text_start: str) -> None:
    doc = parse(raw, "x.txt")
    assert doc.date == date
    assert doc.text.startswith(text_start)
    assert "date 20" not in doc.text[:20] or date is None


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("date 2025-11-25 Roma.", None),
        ("date 2024-02-29 Roma.", None),  # a leap day
        ("date 2022-07 Roma.", None),  # a month
        ("Roma.", None),  # no date at all
        ("date 2025-13-45 Roma.", "(there is no month 13)"),
        ("date 2023-02-29 Roma.", "(2023-02 has no day 29)"),
        ("date 2025-04-31 Roma.", "(2025-04 has no day 31)"),
        ("date 2025-01-00 Roma.", "(2025-01 has no day 00)"),
        ("date 2022-00 Roma.", "(there is no month 00)"),
        ("date 0000-01-05 Roma.", "(there is no year 0000)"),
    ],
)
def test_impossible_dates_are_lifted_and_reported(raw: str, problem: str | None) -> None:
    doc = parse(raw, "x.txt")
    assert doc.text == "Roma."  # the token is lifted, possible or not
    found = date_problem(doc)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found and "date YYYY-MM-DD" in found


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        ("date 2025-13-45 Roma.", 1),
        ("\n\ndate 2025-13-45\nRoma.", 3),  # blank lines before it: line 1 was reported
        ("  \n\t\r\ndate 2025-13-45 Roma.", 3),
        ("\n\nRoma.", None),  # no token, nothing to report
    ],
)
def test_an_impossible_date_is_reported_on_its_own_line(raw: str, line: int | None) -> None:
    notes = loading_notes(parse(raw, "x.txt"))
    if line is None:
        assert notes == []
    else:
        assert [n for n, _ in notes] == [line] and "no month 13" in notes[0][1]


def test_crlf_is_normalised_and_lines_keep_their_numbers() -> None:
    doc = parse("Uno.\r\n\r\nDue.\rTre.", "x.txt")
    assert doc.text == "Uno.\n\nDue.\nTre."
    assert [ln.number for ln in doc.content_lines] == [1, 3, 4]


def test_seed_003_footer_is_flagged_and_body_kept() -> None:
    doc = load_document(SEEDS / "003_9f66fee8583b8b08.txt")
    flagged = {doc.text[ln.start : ln.end] for ln in doc.boilerplate_lines}
    content = [doc.text[ln.start : ln.end] for ln in doc.content_lines]
    # footer: byline, colophon, appeal, donation, related headlines, newsletter
    for line in [
        "La Redazione de l'AntiDiplomatico",
        "ATTENZIONE!",
        "Rivendica una vera informazione pluralista.",
        "oppure effettua una donazione",
        "Potrebbe anche interessarti",
        "Sui fatti di Torino Sui fatti di Torino",
        "Sui fatti di Torino",
        "Registrati alla nostra newsletter",
        "1678",
    ]:
        assert line in flagged, line
    # the headline is content once; its duplicate is boilerplate
    assert content[0] == "Kazakistan e Russia stringono un'alleanza strategica"
    assert content.count(content[0]) == 1
    assert any(c.startswith("Nel cuore geopolitico dell'Eurasia") for c in content)
    assert content[-1].startswith("La visita, che include anche")


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt") if not p.name.startswith("003")))
def test_clean_seeds_have_no_boilerplate(name: str) -> None:
    assert load_document(SEEDS / name).boilerplate_lines == ()


@pytest.mark.parametrize(
    ("lines", "flags"),
    [
        # newsletter prompt and "read more" list heading, English
        (
            ["A real sentence of the article body that is long enough.", "Subscribe to our newsletter"],
            [None, "prompt or colophon"],
        ),
        # words prompts share with news flag a short line only, never a sentence of news
        (
            [
                "Roma, 3 ott. (askanews) – Il governo ha deciso di ridurre il canone di abbonamento alla Rai.",
                "L'opposizione ha criticato la scelta e chiede un'informativa urgente del ministro.",
                "Intanto la campagna per la donazione di sangue ha raccolto 12.000 nuove adesioni.",
                "Meanwhile, the blood donation campaign asked people to sign up at the town hall.",
                "Abbonamento digitale a 1 euro",
                "Questo sito utilizza cookie tecnici e di profilazione. Continuando la navigazione accetti.",
            ],
            [None, None, None, None, "prompt or colophon", "prompt or colophon"],
        ),
        # a related headline scraped twice on one line
        (
            ["Body text here.", "Il vertice di Mosca di Mario Rossi Il vertice di Mosca"],
            [None, "headline repeated (related-article list)"],
        ),
        # a view counter
        (["Body text here.", "1678"], [None, "number only"]),
        # an ordinary short line is content
        (["Bilanciamento", "Il Kazakistan mantiene un equilibrio."], [None, None]),
        # a horizontal menu and breadcrumbs; "5 > 3 | 2" in a sentence is not one
        (
            [
                "Home | Politica | Economia | Esteri",
                "Politics > Europe > Italy",
                "News › World › Europe",
                "Il prezzo è salito, 5 > 3 | 2 per cento.",
            ],
            ["menu or navigation label"] * 3 + [None],
        ),
        # navigation and sharing labels alone on a line, a tag list; a sentence naming them is content
        (
            [
                "Il governo ha approvato la legge.",
                "Torna su",
                "Tweet",
                "Commenti (12)",
                "Tag: governo, manovra",
                "In un tweet il ministro ha risposto ai commenti.",
            ],
            [
                None,
                "menu or navigation label",
                "menu or navigation label",
                "menu or navigation label",
                "tag list",
                None,
            ],
        ),
        # French "Comment !" is a sentence, not the label "Comments"
        (["Il a crié.", "--Comment !"], [None, None]),
        # a vertical menu at the head (labels among flagged ones), then the title and the body
        (
            [
                "Home",
                "Politica",
                "Economia",
                "Esteri",
                "Cerca",
                "Il governo approva la manovra",
                "Roma, 25 nov. – Il governo ha approvato la legge.",
            ],
            ["menu or navigation label"]
            + ["menu (short labels at the head)"] * 3
            + ["menu or navigation label", None, None],
        ),
        # a short title before a sharing bar stays content
        (
            [
                "Manovra approvata",
                "Condividi su Facebook",
                "Tweet",
                "Stampa",
                "Il governo ha approvato la legge.",
            ],
            [None, "prompt or colophon", "menu or navigation label", "menu or navigation label", None],
        ),
        # place, byline and label at the head are not a menu (three lines, one with digits)
        (
            ["Roma", "di Mario Rossi", "25 novembre", "Il governo ha approvato la legge."],
            [None, None, None, None],
        ),
    ],
)
def test_flag_lines_table(lines: list[str], flags: list[str | None]) -> None:
    assert flag_lines(lines) == flags


# ---- bad input: each gets an InputError naming the file and the fix ----


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_empty_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "vuoto.txt", b"  \n\n")
    with pytest.raises(InputError, match=r"vuoto\.txt: is empty\. Remove it"):
        load_document(path)


@pytest.mark.parametrize(
    ("text", "encoding", "line", "guess", "command"),
    [
        # a short Windows-1252 dispatch: the first bad byte is on line 2
        (
            "Roma, 3 gen.\nIl governo ha deciso così: è una novità, però già attesa.\n",
            "cp1252",
            2,
            "cp1252",
            "iconv -f cp1252 -t utf-8",
        ),
        # a whole seed saved as Latin-1 by an old editor (’ « » – made ASCII first)
        (
            (SEEDS / "004_949a5f54501a7c62.txt").read_text().translate(str.maketrans("’«»–", '\'""-')),
            "latin-1",
            1,
            "cp1252",
            "iconv -f cp1252 -t utf-8",
        ),
        # UTF-16 without one, as some Windows tools write it
        (
            "Roma – Il governo ha deciso così.\r\nÈ una novità.\r\n",
            "utf-16-le",
            1,
            "utf-16-le without a byte-order mark",
            "iconv -f UTF-16LE -t utf-8",
        ),
        (
            "Il grande gioco è di equilibri.\n",
            "utf-16-be",
            1,
            "utf-16-be without a byte-order mark",
            "iconv -f UTF-16BE",
        ),
        # an old Mac editor: charset-normalizer alone says Central European Mac,
        # whose "città" is "cittą" (and iconv calls neither by Python's name)
        (
            "date 2025-11-25\nRoma – Il governo ha approvato la legge “sulla città” però.\nÈ una novità.\n",
            "mac_roman",
            2,
            "mac-roman",
            "iconv -f MACINTOSH -t utf-8",
        ),
        # an encoding iconv has no converter for: Python converts it
        (
            "Αθήνα, 25 Νοεμβρίου. Η κυβέρνηση ενέκρινε τον νόμο για τον προϋπολογισμό.\n",
            "mac_greek",
            1,
            "mac-greek",
            "python3 -c",
        ),
    ],
)
def test_not_utf8_names_encoding_line_and_conversion(
    tmp_path: Path, text: str, encoding: str, line: int, guess: str, command: str
) -> None:
    path = _write(tmp_path, "legacy.txt", text.encode(encoding))
    with pytest.raises(InputError) as info:
        load_document(path)
    msg = str(info.value)
    assert f"legacy.txt, line {line}: is not UTF-8" in msg
    assert f"it looks like {guess}." in msg
    # the option that reads it as it is, then the command that converts it
    option = guess.split()[0]
    assert f"Pass --encoding {option} to read every document that is not UTF-8 as {option}" in msg
    assert f"convert it with: {command}" in msg
    assert info.value.line == line
    # the option, given, reads the text
    assert load_document(path, text_encoding(option)).content_text == parse(text, "x").content_text
    # the command in the message, run as given, writes the text as UTF-8
    shell_command = msg.split("convert it with: ", 1)[1]
    if shell_command.startswith("iconv") and shutil.which("iconv") is None:
        pytest.skip("no iconv on this machine")
    subprocess.run(shell_command, shell=True, cwd=tmp_path, check=True)
    assert (tmp_path / "converted.txt").read_bytes().decode("utf-8") == text


@pytest.mark.skipif(shutil.which("iconv") is None, reason="no iconv on this machine")
@pytest.mark.parametrize("codec", sorted(IANA_SUPPORTED))
def test_conversion_command_works_for_every_encoding_guessed(tmp_path: Path, codec: str) -> None:
    """Whatever charset-normalizer can name, the command we print converts it (iconv
    spells many encodings otherwise than Python, and has none for a few)."""
    text = "Roma, 25 novembre 2025. Il governo ha deciso.\n"
    (tmp_path / "in file's.txt").write_bytes(text.encode(codec))
    command = conversion_command(codec, "in file's.txt")
    subprocess.run(command, shell=True, cwd=tmp_path, check=True, capture_output=True)
    assert (tmp_path / "converted.txt").read_bytes().decode("utf-8") == text


@pytest.mark.parametrize(
    "encoding",
    [
        "utf-8-sig",  # UTF-8 with a byte-order mark
        "utf-16",  # as Windows Notepad saves "Unicode" (little-endian, with its mark)
        "utf-32",
    ],
)
def test_a_byte_order_mark_declares_the_encoding(tmp_path: Path, encoding: str) -> None:
    """The mark leaves no doubt, so the file is read, not refused with a conversion to
    do by hand (UTF-16 with its mark was refused before)."""
    text = IT_SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = _write(tmp_path, "unicode.txt", text.encode(encoding))
    doc, seed = load_document(path), load_document(IT_SEED)
    assert doc.text == seed.text and doc.date == seed.date == "2025-11-25"
    assert [s.text for s in split(doc, "it")] == [s.text for s in split(seed, "it")]


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        # cut short in the middle of a 2-byte code unit
        (
            "Ciao.\nA tutti.".encode("utf-16")[:-1],
            "is not valid utf-16 although its byte-order mark says so",
            2,
        ),
        # a high surrogate with no low one after it
        (codecs.BOM_UTF16_LE + "Ciao.\n".encode("utf-16-le") + b"\x00\xd8A\x00", "is not valid utf-16", 2),
        (codecs.BOM_UTF16_BE + "Ciao.".encode("utf-16-be") + b"\xd8\x00\x00A", "is not valid utf-16", 1),
        ("Ciao.".encode("utf-32") + b"\x00\x00\x11\x00", "is not valid utf-32", 1),  # past U+10FFFF
    ],
)
def test_a_damaged_file_behind_a_byte_order_mark_is_refused(
    tmp_path: Path, data: bytes, message: str, line: int
) -> None:
    path = _write(tmp_path, "damaged.txt", data)
    with pytest.raises(InputError) as info:
        load_document(path)
    assert f"damaged.txt, line {line}: {message}" in str(info.value)
    assert "save it again from the program that made it, as UTF-8" in str(info.value)


def test_binary_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError, match=r"image\.txt: looks like a binary file"):
        load_document(path)


def test_only_boilerplate(tmp_path: Path) -> None:
    path = _write(tmp_path, "menu.txt", b"Iscriviti alla newsletter\n")
    with pytest.raises(InputError, match="every line is blank or boilerplate"):
        load_document(path)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        list_documents(tmp_path / "nope")


def test_folder_without_txt(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("x")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")  # Word 97-2003: not read
    with pytest.raises(
        InputError, match=r"holds no documents \(\.txt, \.docx, \.odt, \.html, \.htm, \.pdf\)"
    ):
        list_documents(tmp_path)


def test_file_given_as_folder() -> None:
    with pytest.raises(InputError, match="is not a folder"):
        list_documents(IT_SEED)


def test_upper_case_extension_is_read_and_sorted_by_name(tmp_path: Path) -> None:
    for name in ["b.TXT", "a.txt", "c.Txt", "notes.md", "d.txt.bak"]:
        (tmp_path / name).write_text("Roma.")
    assert [p.name for p in list_documents(tmp_path)] == ["a.txt", "b.TXT", "c.Txt"]


def test_two_documents_whose_names_differ_only_in_the_extension_case(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Roma.")
    (tmp_path / "a.TXT").write_text("Rome.")
    with pytest.raises(InputError, match=r"a\.txt: has the same name as a\.TXT but for the case") as err:
        list_documents(tmp_path)
    assert "Rename one of them" in str(err.value)


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        _write(root, name, b"Roma.")


def test_recursive_reads_subfolders_but_hidden_ones_and_the_output(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        ["2025-12/b.txt", "2025-11/a/c.TXT", "top.txt", ".git/x.txt", "out/corpus.txt", "2025-11/notes.md"],
    )
    found = list_documents(tmp_path, recursive=True, skip=tmp_path / "out")
    assert [document_id(p, tmp_path) for p in found] == ["2025-11/a/c.TXT", "2025-12/b.txt", "top.txt"]
    assert [p.name for p in list_documents(tmp_path)] == ["top.txt"]


def test_documents_only_in_subfolders_need_recursive(tmp_path: Path) -> None:
    _tree(tmp_path, ["2025-11/a.txt", ".aligner/x.txt"])
    with pytest.raises(InputError) as err:
        list_documents(tmp_path)
    assert "itself, but its subfolders do (such as 2025-11/a.txt)" in str(err.value)
    assert "Pass --recursive" in str(err.value)
    # hidden folders alone are no reason to suggest it
    (tmp_path / "2025-11" / "a.txt").unlink()
    with pytest.raises(InputError, match=r"holds no documents \(\.txt, .*\)\. Put one"):
        list_documents(tmp_path)


def test_recursive_refuses_two_documents_of_the_same_name(tmp_path: Path) -> None:
    _tree(tmp_path, ["2025-11/a.txt", "2025-12/a.txt"])
    with pytest.raises(
        InputError, match=r"2025-12/a\.txt: has the same name as 2025-11/a\.txt in another folder"
    ):
        list_documents(tmp_path, recursive=True)


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("<script>alert(1)</script>", True),
        ('<script src="/js/app.js"></script>', True),
        ("<!-- Google Tag Manager -->", True),
        ('<iframe src="https://www.youtube.com/embed/x" width="560"></iframe>', True),
        ("body { color: red; margin: 0 }", True),
        (".article-body p a:hover {", True),
        ("@media (max-width: 600px) {", True),
        ("});", True),
        ('{"id": 12, "title": "Manovra", "tags": ["economia", "governo"]}', True),
        ('"datePublished": "2025-11-25T10:00:00Z",', True),
        ('var x = document.getElementById("a");', True),
        ("window.dataLayer = window.dataLayer || [];", True),
        ("function gtag(){dataLayer.push(arguments);}", True),
        ("if (a > b) { return; }", True),
        # prose, however much punctuation it carries
        ("Il governo (askanews) ha detto: «no».", False),
        ("L'articolo 5, comma 2; lettera b) del decreto n. 231/2001.", False),
        ("Il rapporto debito/Pil è salito al 137,3% [dati Istat].", False),
        ("If the vote fails, the government falls; the president said so.", False),
        ("5 > 3 e 2 < 4: la matematica non è un'opinione.", False),
        ("Return to the main page", False),
        ("Var, dipartimento francese, è stato colpito dall'alluvione.", False),
        ("Per informazioni: info@esempio.it | 06 1234567", False),
    ],
)
def test_code_and_markup_lines(line: str, code: bool) -> None:
    assert looks_like_code(line) is code


def test_code_in_a_dispatch_is_boilerplate_and_the_rest_stays(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "Roma, 3 dic. – Il governo ha approvato la manovra.\n<script>alert(1)</script>\n"
        "body { color: red; margin: 0 }\nIl ministro ha parlato.\n",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert [(ln.number, ln.boilerplate) for ln in doc.boilerplate_lines] == [
        (2, "code or markup"),
        (3, "code or markup"),
    ]
    assert [s.text for s in split(doc, "it")] == [
        "Roma, 3 dic. – Il governo ha approvato la manovra.",
        "Il ministro ha parlato.",
    ]


# --- --encoding: what a document that is not UTF-8 is read as --------------------------------

_LEGACY_IT = (
    "date 2025-11-25\nRoma – Il governo ha approvato “la legge sulla città”: costerà 3 €.\nÈ già così.\n"
)
# ISO-8859-15 has guillemets and the euro sign, not the dash or curly quotes
_LATIN9_IT = (
    "date 2025-11-25\nRoma - Il governo ha approvato «la legge sulla città»: costerà 3 €.\nÈ già così.\n"
)


@pytest.mark.parametrize(
    ("text", "written_as", "option", "read_as"),
    [
        # an archive saved by Windows (the en dash, curly quotes and euro sign are cp1252's own)
        (_LEGACY_IT, "cp1252", "cp1252", "cp1252"),
        (_LEGACY_IT, "cp1252", "Windows-1252", "cp1252"),  # any name Python gives the codec
        (_LATIN9_IT, "iso-8859-15", "ISO-8859-15", "iso8859-15"),  # its euro sign is 0xa4
        (_LEGACY_IT, "mac-roman", "mac_roman", "mac-roman"),  # an old Mac editor
        # UTF-16 without a byte-order mark, as some Windows tools write it
        (_LEGACY_IT, "utf-16-le", "utf-16-le", "utf-16-le"),
        # the option reads only what UTF-8 cannot: UTF-8, with a mark or without, and
        # UTF-16 with its mark are read as such whatever the option says
        (_LEGACY_IT, "utf-8", "cp1252", "utf-8"),
        (_LEGACY_IT, "utf-8-sig", "cp1252", "utf-8"),
        (_LEGACY_IT, "utf-16", "cp1252", "utf-16"),
    ],
)
def test_encoding_reads_a_document_that_is_not_utf8(
    tmp_path: Path, text: str, written_as: str, option: str, read_as: str
) -> None:
    path = _write(tmp_path, "archivio.txt", text.encode(written_as))
    doc = load_document(path, text_encoding(option))
    assert doc.encoding == read_as
    assert doc.date == "2025-11-25"
    assert doc.content_text == text.split("\n", 1)[1].rstrip("\n")
    assert [s.text for s in split(doc, "it")][-1] == "È già così."


@pytest.mark.parametrize(
    ("data", "option", "message"),
    [
        # 0x81 is no character of cp1252: the file is in another encoding
        (
            "Roma, 3 gen.\nCaffè".encode("cp1252") + b" \x81 e altro.\n",
            "cp1252",
            r"bad\.txt, line 2: is neither UTF-8 nor cp1252 \(--encoding\): byte 0x81 at offset 19 is not "
            r"cp1252; .*convert it with: ",
        ),
        # a one-byte encoding never reads a file of NUL bytes (UTF-16 without a mark) ...
        (
            "Roma – Il governo ha deciso così.\n".encode("utf-16-le"),
            "cp1252",
            r"bad\.txt, line 1: is not UTF-8; it looks like utf-16-le without a byte-order mark\. "
            r"Pass --encoding utf-16-le",
        ),
        # ... nor UTF-16 one without them, which would make Chinese of an Italian text
        (
            "Il governo ha deciso così.\n".encode("cp1252"),
            "utf-16-le",
            r"bad\.txt, line 1: is not UTF-8 \(byte 0xec\); it looks like cp1252\. Pass --encoding cp1252",
        ),
        # nor a binary file
        (b"\x7fELF\x02\x01\x01" + bytes(300), "cp1252", r"bad\.txt: looks like a binary file \(a NUL byte"),
    ],
)
def test_a_file_the_encoding_does_not_read_is_refused_with_the_fix(
    tmp_path: Path, data: bytes, option: str, message: str
) -> None:
    path = _write(tmp_path, "bad.txt", data)
    with pytest.raises(InputError, match=message):
        load_document(path, text_encoding(option))


@pytest.mark.parametrize(
    ("name", "canonical"),
    [("cp1252", "cp1252"), ("CP1252", "cp1252"), ("latin-1", "iso8859-1"), ("utf_16_le", "utf-16-le")],
)
def test_text_encoding_names_the_codec(name: str, canonical: str) -> None:
    assert text_encoding(name) == canonical


@pytest.mark.parametrize("name", ["nope", "base64", "rot13", "zlib", ""])
def test_text_encoding_refuses_what_is_no_text_encoding(name: str) -> None:
    with pytest.raises(ValueError, match="is not a text encoding Python knows; give one such as cp1252"):
        text_encoding(name)


def test_a_file_that_is_not_a_document_is_not_offered_the_option(tmp_path: Path) -> None:
    """A links or pairs file is read as UTF-8 only: its message gives the conversion alone."""
    path = _write(tmp_path, "a.links", "[0]:[0]:0.9 è\n".encode("cp1252"))
    with pytest.raises(InputError) as info:
        read_text(path, "link file")
    assert "--encoding" not in str(info.value) and "Convert it with: iconv -f" in str(info.value)


@pytest.mark.parametrize(
    ("data", "text", "line", "count"),
    [
        # a UTF-8 page whose editor pasted a Windows apostrophe (0x92); the UTF-8 closing
        # quote holds 0x9d, which cp1252 has no character for, so the file is not cp1252 whole
        (
            "Il governo ha deciso così.\nL".encode() + b"\x92" + "uomo dice: “basta”.\n".encode(),
            "Il governo ha deciso così.\nL’uomo dice: “basta”.",
            2,
            1,
        ),
        # two sources joined: a UTF-8 dispatch, then a paragraph saved as cp1252
        (
            "date 2025-11-25\nRoma – Il governo ha approvato “la legge”.\n".encode()
            + "È già così, però «non basta».\n".encode("cp1252"),
            "Roma – Il governo ha approvato “la legge”.\nÈ già così, però «non basta».",
            3,
            6,
        ),
    ],
)
def test_a_file_mixing_utf8_and_the_encoding_reads_each_part_as_its_own(
    tmp_path: Path, data: bytes, text: str, line: int, count: int
) -> None:
    path = _write(tmp_path, "misto.txt", data)
    doc = load_document(path, "cp1252")
    assert doc.content_text == text and doc.encoding == "utf-8+cp1252"
    assert loading_notes(doc)[0] == (
        line,
        f"mixes UTF-8 and cp1252: {count} byte(s) that are not UTF-8 were read as cp1252 (--encoding), "
        "the first on this line; the rest is UTF-8. Check those characters",
    )
