"""Existing bilingual files: TMX of any tool and XLIFF 1.2 and 2.x, read, reviewed, exported.

The files are small but shaped as their tools write them (OmegaT's project file
and level-2 export, Trados Studio's UTF-16 export with its x- properties, memoQ's
lower-case locales, an SDLXLIFF with segments, XLIFF 1.2 and 2.0 with inline
codes); each test writes the ones it needs into its own folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from aligner_cli.common import BAD_INPUT, OK, USAGE
from aligner_cli.main import app
from lxml import etree
from markupsafe import escape
from starlette.testclient import TestClient
from typer.testing import CliRunner

from aligner.bilingual import BilingualFile, language_code, read_bilingual
from aligner.corpus import TrainingPair, corpus_languages, language, read_bilingual_pairs
from aligner.errors import InputError
from aligner.review import is_bilingual_input, open_project, project_beside
from aligner.review.app import create_app

from .conftest import DTD, Ran

runner = CliRunner()
PAIR = "000_4f42991440b6f2b5__001_2311b19d4785c162"

# --- the files, as their tools write them ----------------------------------------------------

#: OmegaT's project_save.tmx: TMX 1.1, `lang` (not xml:lang), upper-case locales, a DOCTYPE
#: naming a DTD that is not there (it must not be fetched), a comment between units.
OMEGAT_PROJECT = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.1">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext" creationtoolversion="6.0.1_0_8d1d9a5" segtype="sentence" srclang="IT"/>
  <body>
<!-- Default translations -->
    <tu>
      <tuv lang="IT">
        <seg>Torino, 2 ott. (askanews) – La Fiat ha annunciato oggi un investimento di 450 milioni di euro.</seg>
      </tuv>
      <tuv lang="EN-GB" changeid="anna" changedate="20251002T101500Z" creationid="anna" creationdate="20251002T101500Z">
        <seg>Turin, October 2 (askanews) – Fiat today announced an investment of 450 million euros.</seg>
      </tuv>
    </tu>
    <tu>
      <tuv lang="IT">
        <seg>I sindacati hanno accolto la notizia
          con cautela.</seg>
      </tuv>
      <tuv lang="EN-GB" changeid="anna" changedate="20251002T101800Z" creationid="anna" creationdate="20251002T101800Z">
        <seg>The unions greeted the news with caution.</seg>
      </tuv>
    </tu>
  </body>
</tmx>
"""

#: OmegaT's level-2 export: TMX 1.4, OmegaT's tags as <bpt>/<ept>/<ph> holding their code.
OMEGAT_LEVEL2 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="xml" creationtoolversion="6.0.1" segtype="sentence" srclang="it"/>
  <body>
    <tu>
      <tuv xml:lang="it">
        <seg>Il piano prevede una nuova <bpt i="0" x="0">&lt;f0&gt;</bpt>city car<ept i="0">&lt;/f0&gt;</ept> elettrica.</seg>
      </tuv>
      <tuv xml:lang="en-GB">
        <seg>The plan provides for a new electric <bpt i="0" x="0">&lt;f0&gt;</bpt>city car<ept i="0">&lt;/f0&gt;</ept>.</seg>
      </tuv>
    </tu>
    <tu>
      <tuv xml:lang="it">
        <seg>Vedi la tabella<ph x="1">&lt;x1/&gt;</ph> qui sotto.</seg>
      </tuv>
      <tuv xml:lang="en-GB">
        <seg>See the table<ph x="1">&lt;x1/&gt;</ph> below.</seg>
      </tuv>
    </tu>
    <tu>
      <tuv xml:lang="it">
        <seg>La produzione partirà nel 2027.</seg>
      </tuv>
      <tuv xml:lang="en-GB">
        <seg>Production will start in 2027.</seg>
      </tuv>
    </tu>
  </body>
</tmx>
"""

#: Trados Studio's export: UTF-16, it-IT/en-GB, x- properties on the header and each unit,
#: empty <bpt/>/<ept/>/<ph/> codes, and a unit whose target is empty.
TRADOS = """<?xml version="1.0" encoding="utf-16"?>
<tmx version="1.4">
  <header creationtool="SDL Language Platform" creationtoolversion="8.1" o-tmf="SDL TM8 Format" datatype="xml" segtype="sentence" adminlang="en-GB" srclang="it-IT" creationdate="20240301T101500Z" creationid="STUDIO\\anna">
    <prop type="x-Recognizers">RecognizeAll</prop>
    <prop type="x-TMName">askanews-it-en</prop>
  </header>
  <body>
    <tu creationdate="20240301T101500Z" creationid="STUDIO\\anna" changedate="20240302T091000Z" changeid="STUDIO\\anna" lastusagedate="20240302T091000Z" usagecount="2">
      <prop type="x-LastUsedBy">STUDIO\\anna</prop>
      <prop type="x-Context">0, 0</prop>
      <prop type="x-Origin">TM</prop>
      <prop type="x-ConfirmationLevel">ApprovedSignOff</prop>
      <tuv xml:lang="it-IT">
        <seg>Milano, 25 nov. (askanews) – Vladimir Putin è arrivato in Kirghizistan per una visita di due giorni.</seg>
      </tuv>
      <tuv xml:lang="en-GB">
        <seg>Milan, November 25 (askanews) – Vladimir Putin arrived in Kyrgyzstan for a two-day visit.</seg>
      </tuv>
    </tu>
    <tu creationdate="20240301T101600Z" creationid="STUDIO\\anna">
      <prop type="x-Origin">TM</prop>
      <tuv xml:lang="it-IT">
        <seg>Il presidente <bpt i="1" type="1" x="1" />russo<ept i="1" /> incontrerà il suo omologo Zhaparov.</seg>
      </tuv>
      <tuv xml:lang="en-GB">
        <seg>The <bpt i="1" type="1" x="1" />Russian<ept i="1" /> president will meet his counterpart Zhaparov.</seg>
      </tuv>
    </tu>
    <tu creationdate="20240301T101700Z" creationid="STUDIO\\anna">
      <prop type="x-Origin">TM</prop>
      <tuv xml:lang="it-IT">
        <seg>Sul tavolo ci sono accordi<ph x="2" type="0" /> sull'energia e sui trasporti.</seg>
      </tuv>
      <tuv xml:lang="en-GB">
        <seg>On the table are agreements<ph x="2" type="0" /> on energy and transport.</seg>
      </tuv>
    </tu>
    <tu creationdate="20240301T101800Z" creationid="STUDIO\\anna">
      <prop type="x-Origin">TM</prop>
      <tuv xml:lang="it-IT">
        <seg>La visita si concluderà mercoledì.</seg>
      </tuv>
      <tuv xml:lang="en-GB">
        <seg />
      </tuv>
    </tu>
  </body>
</tmx>
"""

#: memoQ's export of a German-French memory: lower-case locales, its own properties,
#: an isolated <it> code.
MEMOQ = """<?xml version="1.0" encoding="utf-8"?>
<tmx version="1.4">
  <header creationtool="memoQ" creationtoolversion="9.12.8" segtype="sentence" o-tmf="memoQTM" adminlang="en-us" srclang="de-de" datatype="unknown">
    <prop type="defclient">Nachrichtenagentur</prop>
  </header>
  <body>
    <tu changedate="20240115T083000Z" creationdate="20240115T083000Z" creationid="jean" changeid="jean">
      <prop type="client">Nachrichtenagentur</prop>
      <tuv xml:lang="de-de"><seg>Der Bundestag hat den Haushalt verabschiedet.</seg></tuv>
      <tuv xml:lang="fr-fr"><seg>Le Bundestag a adopté le budget.</seg></tuv>
    </tu>
    <tu changedate="20240115T083500Z" creationdate="20240115T083500Z" creationid="jean" changeid="jean">
      <tuv xml:lang="de-de"><seg>Die Abstimmung fand am <it pos="begin" x="1">&lt;b&gt;</it>Donnerstag statt.</seg></tuv>
      <tuv xml:lang="fr-fr"><seg>Le vote a eu lieu <it pos="begin" x="1">&lt;b&gt;</it>jeudi.</seg></tuv>
    </tu>
  </body>
</tmx>
"""

#: Every TMX 1.4b inline element: codes (<bpt>, <ept>, <it>, <ph>, <ut>, a <sub> inside a code)
#: drop their content; <hi> keeps its text. Scores as our `x-score` and a plain `score`.
TMX_INLINE = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="test" adminlang="en" srclang="it" datatype="html"/>
  <body>
    <tu tuid="a"><prop type="x-score">0.8123</prop>
      <tuv xml:lang="it"><seg>Il <hi type="bold">Senato</hi> ha approvato<ut>&lt;br&gt;</ut> la legge.</seg></tuv>
      <tuv xml:lang="en"><seg>The <hi type="bold">Senate</hi> passed<ut>&lt;br&gt;</ut> the law.</seg></tuv>
    </tu>
    <tu tuid="b"><prop type="score">0.4</prop>
      <tuv xml:lang="it"><seg><bpt i="1">&lt;a title="<sub>Camera dei deputati</sub>"&gt;</bpt>La Camera<ept i="1">&lt;/a&gt;</ept> vota giovedì.</seg></tuv>
      <tuv xml:lang="en"><seg><bpt i="1">&lt;a title="<sub>Chamber of Deputies</sub>"&gt;</bpt>The Chamber<ept i="1">&lt;/a&gt;</ept> votes on Thursday.</seg></tuv>
    </tu>
    <tu tuid="c"><prop type="x-score">not a number</prop>
      <tuv xml:lang="it"><seg>Fine.</seg></tuv>
      <tuv xml:lang="en"><seg>End.</seg></tuv>
    </tu>
  </body>
</tmx>
"""

#: XLIFF 1.2 as a converter writes it: <g>, <x/>, <bx/>/<ex/> and <ph> (its content the
#: original code), units in a <group>, an untranslated unit.
XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="dispaccio.html" source-language="it-IT" target-language="en-US" datatype="html">
    <header><tool tool-id="okapi" tool-name="Okapi Rainbow"/></header>
    <body>
      <group id="p1">
        <trans-unit id="1" approved="yes">
          <source xml:lang="it-IT">La <g id="1">Camera</g> ha votato la fiducia al governo.</source>
          <target xml:lang="en-US" state="final">The <g id="1">Chamber</g> voted confidence in the government.</target>
        </trans-unit>
        <trans-unit id="2">
          <source>Il voto è previsto<x id="2"/> per giovedì.</source>
          <target state="translated">The vote is expected<x id="2"/> on Thursday.</target>
        </trans-unit>
        <trans-unit id="3">
          <source>Leggi <bx id="3"/>il testo<ex id="3"/> completo<ph id="4">&lt;br/&gt;</ph>.</source>
          <target>Read the full <bx id="3"/>text<ex id="3"/><ph id="4">&lt;br/&gt;</ph>.</target>
        </trans-unit>
        <trans-unit id="4">
          <source>Il presidente della Repubblica ha firmato il decreto.</source>
          <target>The President of the Republic signed the decree.</target>
          <note>checked by the desk</note>
        </trans-unit>
        <trans-unit id="5">
          <source>Questa frase non è ancora tradotta.</source>
        </trans-unit>
      </group>
    </body>
  </file>
</xliff>
"""

#: XLIFF 2.0: two segments in a unit (with an <ignorable> between), <pc>, <ph/>, <sc/>/<ec/>,
#: <mrk>, notes, states, an empty target.
XLIFF20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="it" trgLang="en">
  <file id="f1" original="dispaccio.docx">
    <unit id="u1">
      <notes><note category="desk">from the Rome office</note></notes>
      <originalData><data id="d1">&lt;br/&gt;</data></originalData>
      <segment id="s1" state="final">
        <source>Roma, 3 dic. – Il <pc id="1">Senato</pc> ha approvato la legge di bilancio.</source>
        <target>Rome, December 3 – The <pc id="1">Senate</pc> passed the budget law.</target>
      </segment>
      <ignorable><source> </source></ignorable>
      <segment id="s2" state="translated">
        <source>Il testo passa ora<ph id="2" dataRef="d1"/> alla Camera.</source>
        <target>The text now goes<ph id="2" dataRef="d1"/> to the Chamber.</target>
      </segment>
    </unit>
    <unit id="u2">
      <segment>
        <source>Il voto finale è atteso <sc id="3"/>entro Natale<ec startRef="3"/>.</source>
        <target>The final vote is expected <sc id="3"/>by Christmas<ec startRef="3"/>.</target>
      </segment>
    </unit>
    <unit id="u3">
      <segment>
        <source>L'opposizione ha annunciato <mrk id="m1" type="comment" value="verificare">battaglia</mrk>.</source>
        <target>The opposition announced a <mrk id="m1" type="comment" value="verificare">fight</mrk>.</target>
      </segment>
    </unit>
    <unit id="u4">
      <segment><source>La seduta è tolta.</source><target>The sitting is closed.</target></segment>
    </unit>
    <unit id="u5">
      <segment><source>Senza traduzione.</source><target></target></segment>
    </unit>
  </file>
</xliff>
"""

#: Trados' SDLXLIFF: a trans-unit split into <mrk mtype="seg"> segments by its <seg-source>,
#: the target's segments paired by mid; a segment left untranslated.
SDLXLIFF = """<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2" sdl:version="1.0">
  <file original="C:\\askanews\\dispaccio.docx" datatype="x-sdlfilterframework2" source-language="it-IT" target-language="en-GB">
    <body>
      <trans-unit id="7f1c">
        <source>Il governo ha approvato la riforma. I sindacati protestano.</source>
        <seg-source><mrk mtype="seg" mid="1">Il governo ha approvato la <g id="5">riforma</g>.</mrk> <mrk mtype="seg" mid="2">I sindacati protestano.</mrk></seg-source>
        <target><mrk mtype="seg" mid="1">The government approved the <g id="5">reform</g>.</mrk> <mrk mtype="seg" mid="2">The unions protest.</mrk></target>
        <sdl:seg-defs><sdl:seg id="1" conf="Translated"/><sdl:seg id="2" conf="Translated"/></sdl:seg-defs>
      </trans-unit>
      <trans-unit id="7f1d">
        <source>Lo sciopero è fissato per venerdì.</source>
        <seg-source><mrk mtype="seg" mid="3">Lo sciopero è fissato per venerdì.</mrk></seg-source>
        <target><mrk mtype="seg" mid="3"></mrk></target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_text(text, encoding=encoding)
    return path


# name, text, encoding -> format, source and target locale, tool, (source, target) of each unit,
# how many had inline codes, how many were skipped as empty
READ_CASES = [
    (
        "omegat-project.tmx",
        OMEGAT_PROJECT,
        "utf-8",
        ("TMX 1.1", "IT", "EN-GB", "OmegaT"),
        [
            (
                "Torino, 2 ott. (askanews) – La Fiat ha annunciato oggi un investimento di 450 milioni di euro.",
                "Turin, October 2 (askanews) – Fiat today announced an investment of 450 million euros.",
            ),
            (
                "I sindacati hanno accolto la notizia con cautela.",
                "The unions greeted the news with caution.",
            ),
        ],
        0,
        0,
    ),
    (
        "omegat-level2.tmx",
        OMEGAT_LEVEL2,
        "utf-8",
        ("TMX 1.4", "it", "en-GB", "OmegaT"),
        [
            (
                "Il piano prevede una nuova city car elettrica.",
                "The plan provides for a new electric city car.",
            ),
            ("Vedi la tabella qui sotto.", "See the table below."),
            ("La produzione partirà nel 2027.", "Production will start in 2027."),
        ],
        2,
        0,
    ),
    (
        "trados.tmx",
        TRADOS,
        "utf-16",
        ("TMX 1.4", "it-IT", "en-GB", "SDL Language Platform"),
        [
            (
                "Milano, 25 nov. (askanews) – Vladimir Putin è arrivato in Kirghizistan per una visita di due giorni.",
                "Milan, November 25 (askanews) – Vladimir Putin arrived in Kyrgyzstan for a two-day visit.",
            ),
            (
                "Il presidente russo incontrerà il suo omologo Zhaparov.",
                "The Russian president will meet his counterpart Zhaparov.",
            ),
            (
                "Sul tavolo ci sono accordi sull'energia e sui trasporti.",
                "On the table are agreements on energy and transport.",
            ),
        ],
        2,
        1,
    ),
    (
        "memoq.tmx",
        MEMOQ,
        "utf-8",
        ("TMX 1.4", "de-de", "fr-fr", "memoQ"),
        [
            ("Der Bundestag hat den Haushalt verabschiedet.", "Le Bundestag a adopté le budget."),
            ("Die Abstimmung fand am Donnerstag statt.", "Le vote a eu lieu jeudi."),
        ],
        1,
        0,
    ),
    (
        "inline.tmx",
        TMX_INLINE,
        "utf-8",
        ("TMX 1.4", "it", "en", "test"),
        [
            ("Il Senato ha approvato la legge.", "The Senate passed the law."),
            ("La Camera vota giovedì.", "The Chamber votes on Thursday."),
            ("Fine.", "End."),
        ],
        2,
        0,
    ),
    (
        "dispaccio.xlf",
        XLIFF12,
        "utf-8",
        ("XLIFF 1.2", "it-IT", "en-US", "Okapi Rainbow"),
        [
            ("La Camera ha votato la fiducia al governo.", "The Chamber voted confidence in the government."),
            ("Il voto è previsto per giovedì.", "The vote is expected on Thursday."),
            ("Leggi il testo completo.", "Read the full text."),
            (
                "Il presidente della Repubblica ha firmato il decreto.",
                "The President of the Republic signed the decree.",
            ),
        ],
        3,
        1,
    ),
    (
        "dispaccio.xliff",
        XLIFF20,
        "utf-8",
        ("XLIFF 2.0", "it", "en", ""),
        [
            (
                "Roma, 3 dic. – Il Senato ha approvato la legge di bilancio.",
                "Rome, December 3 – The Senate passed the budget law.",
            ),
            ("Il testo passa ora alla Camera.", "The text now goes to the Chamber."),
            ("Il voto finale è atteso entro Natale.", "The final vote is expected by Christmas."),
            ("L'opposizione ha annunciato battaglia.", "The opposition announced a fight."),
            ("La seduta è tolta.", "The sitting is closed."),
        ],
        4,
        1,
    ),
    (
        "dispaccio.sdlxliff",
        SDLXLIFF,
        "utf-8",
        ("XLIFF 1.2", "it-IT", "en-GB", ""),
        [
            ("Il governo ha approvato la riforma.", "The government approved the reform."),
            ("I sindacati protestano.", "The unions protest."),
        ],
        1,
        1,
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "encoding", "head", "pairs", "inline", "empty"),
    READ_CASES,
    ids=[case[0] for case in READ_CASES],
)
def test_each_tools_file_reads_as_its_units(
    tmp_path: Path,
    name: str,
    text: str,
    encoding: str,
    head: tuple[str, str, str, str],
    pairs: list[tuple[str, str]],
    inline: int,
    empty: int,
) -> None:
    file = read_bilingual(write(tmp_path, name, text, encoding))
    assert (file.format, file.src_locale, file.tgt_locale, file.tool) == head
    assert [(u.source, u.target) for u in file.units] == pairs
    assert (file.inline, file.empty) == (inline, empty)
    assert file.inline == sum(u.inline for u in file.units)
    assert file.notices == ()
    assert (file.src_lang, file.tgt_lang) == (language_code(head[1]), language_code(head[2]))


@pytest.mark.parametrize(
    ("seg", "text"),
    [
        # a break or a tab between two words leaves a space (both were glued before)
        ("riga<ph>&lt;br/&gt;</ph>due", "riga due"),
        ('Prezzo:<ph x="1">&lt;tab/&gt;</ph>10 euro', "Prezzo: 10 euro"),
        ('Prima<ph type="lb"/>dopo', "Prima dopo"),  # TMX's own kind of placeholder
        ("Prima<ut>&lt;w:br/&gt;</ut>dopo", "Prima dopo"),  # Word's
        ('Totale<ph>&lt;mq:ch val="&#9;" /&gt;</ph>100', "Totale 100"),  # memoQ's tab
        ("Totale<ph>&#9;</ph>100", "Totale 100"),  # the tab itself
        # no space next to one already there, before closing or after opening punctuation
        ("riga <ph>&lt;br/&gt;</ph>due", "riga due"),
        ("completo<ph>&lt;br/&gt;</ph>.", "completo."),
        ("(<ph>&lt;br/&gt;</ph>testo)", "(testo)"),
        ("<ph>&lt;br/&gt;</ph>Testo<ph>&lt;br/&gt;</ph>", "Testo"),
        ("uno<ph>&lt;br/&gt;</ph><ph>&lt;br/&gt;</ph>due", "uno due"),  # two breaks, one space
        # any other code leaves nothing, as before: it may sit inside a word
        ('P<bpt i="1">&lt;b&gt;</bpt>resid<ept i="1">&lt;/b&gt;</ept>ente', "Presidente"),
        ('Vedi<ph>&lt;img src="x.png"/&gt;</ph> sotto', "Vedi sotto"),
        ("Il <hi>Senato</hi> vota", "Il Senato vota"),
        ("Nota<ph>&lt;brand/&gt;</ph>bene", "Notabene"),  # not a <br>
    ],
)
def test_a_break_or_tab_code_leaves_a_space_between_words(tmp_path: Path, seg: str, text: str) -> None:
    tmx = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="it" '
        f'datatype="html"/><body><tu><tuv xml:lang="it"><seg>{seg}</seg></tuv>'
        '<tuv xml:lang="en"><seg>Text.</seg></tuv></tu></body></tmx>\n'
    )
    assert read_bilingual(write(tmp_path, "b.tmx", tmx)).units[0].source == text


@pytest.mark.parametrize(
    ("body", "version"),
    [
        ('<x id="1" ctype="lb"/>', "1.2"),  # XLIFF 1.2's line break
        ('<ph id="1" ctype="lb">&lt;br&gt;</ph>', "1.2"),
        ('<ph id="1" type="fmt" subType="xlf:lb"/>', "2.0"),  # XLIFF 2's
        ('<ph id="1" dataRef="d1"/>', "2.0"),  # its original data (below) is a <br/>
    ],
)
def test_an_xliff_line_break_leaves_a_space(tmp_path: Path, body: str, version: str) -> None:
    if version == "1.2":
        xlf = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
            'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" source-language="it" '
            'target-language="en" datatype="html"><body><trans-unit id="1">'
            f"<source>riga{body}due</source><target>line{body}two</target></trans-unit></body></file></xliff>\n"
        )
    else:
        xlf = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
            'version="2.0" srcLang="it" trgLang="en"><file id="f"><unit id="u">'
            '<originalData><data id="d1">&lt;br/&gt;</data><data id="d2">&lt;b&gt;</data></originalData><segment>'
            f"<source>riga{body}due</source><target>line{body}two</target></segment></unit></file></xliff>\n"
        )
    unit = read_bilingual(write(tmp_path, "b.xlf", xlf)).units[0]
    assert (unit.source, unit.target) == ("riga due", "line two")


def test_an_xliff2_placeholder_of_other_data_leaves_nothing(tmp_path: Path) -> None:
    xlf = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
        'version="2.0" srcLang="it" trgLang="en"><file id="f"><unit id="u"><originalData>'
        '<data id="d1">&lt;br/&gt;</data><data id="d2">&lt;img src="a.png"/&gt;</data></originalData>'
        '<segment><source>P<ph id="1" dataRef="d2"/>resid<ph id="2" dataRef="d1"/>ente</source>'
        '<target>Presid<ph id="2" dataRef="d1"/>ent</target></segment></unit></file></xliff>\n'
    )
    unit = read_bilingual(write(tmp_path, "c.xlf", xlf)).units[0]
    assert (unit.source, unit.target) == ("Presid ente", "Presid ent")  # only the <br/> parts


def test_units_keep_their_ids_notes_properties_and_scores(tmp_path: Path) -> None:
    trados = read_bilingual(write(tmp_path, "t.tmx", TRADOS, "utf-16"))
    first = trados.units[0]
    assert ("x-ConfirmationLevel", "ApprovedSignOff") in first.props and first.score is None
    assert first.line is not None and first.line > 1
    scored = read_bilingual(write(tmp_path, "s.tmx", TMX_INLINE))
    assert [(u.id, u.score) for u in scored.units] == [("a", 0.8123), ("b", 0.4), ("c", None)]
    assert scored.unscored == 1
    xliff = read_bilingual(write(tmp_path, "x.xlf", XLIFF12))
    assert [u.id for u in xliff.units] == ["1", "2", "3", "4"]
    assert xliff.units[0].props == (("state", "final"), ("approved", "yes"))
    assert xliff.units[3].note == "checked by the desk"
    x2 = read_bilingual(write(tmp_path, "x.xliff", XLIFF20))
    assert [u.id for u in x2.units] == ["u1/s1", "u1/s2", "u2/1", "u3/1", "u4/1"]
    assert x2.units[0].note == "from the Rome office" and x2.units[0].props == (("state", "final"),)
    sdl = read_bilingual(write(tmp_path, "d.sdlxliff", SDLXLIFF))
    assert [u.id for u in sdl.units] == ["7f1c/1", "7f1c/2"]


def test_xliff_texts_agree_with_translate_toolkit(tmp_path: Path) -> None:
    """translate-toolkit's own readers as the reference: the same texts for XLIFF 2.0, and for
    the XLIFF 1.2 units without a <ph> (whose original code translate-toolkit keeps as text)."""
    from translate.storage import xliff, xliff2

    def norm(text: str | None) -> str:
        return " ".join((text or "").split())

    path = write(tmp_path, "x2.xliff", XLIFF20)
    ours = [(u.source, u.target) for u in read_bilingual(path).units]
    store = xliff2.Xliff2File.parsefile(str(path))
    theirs = [(norm(u.source), norm(u.target)) for u in store.units if norm(u.target)]
    assert ours == theirs
    path = write(tmp_path, "x1.xlf", XLIFF12)
    ours = [(u.source, u.target) for u in read_bilingual(path).units if u.id != "3"]
    store1 = xliff.xlifffile.parsefile(str(path))
    theirs = [(norm(u.source), norm(u.target)) for u in store1.units if norm(u.target) and u.getid() != "3"]
    assert [t for t in theirs if "<" not in t[0]] == ours


def test_our_own_tmx_from_a_run_reads_with_its_scores(seed_run: Ran, tmp_path: Path) -> None:
    copy = tmp_path / "ours.tmx"
    shutil.copy(seed_run.out / f"{PAIR}.tmx", copy)
    file = read_bilingual(copy)
    rows = [line.split("\t") for line in (seed_run.out / f"{PAIR}.tsv").read_text().splitlines()]
    assert (file.format, file.src_locale, file.tgt_locale, file.tool) == ("TMX 1.4", "it", "en", "aligner")
    assert [(u.source, u.target, u.score) for u in file.units] == [(r[0], r[1], float(r[2])) for r in rows]
    assert len(file.units) == 10 and file.inline == 0 and file.empty == 0


@pytest.mark.parametrize("profile", ["generic", "omegat", "trados", "memoq", "phrase"])
def test_our_own_tmx_of_every_profile_reads_with_its_scores(tmp_path: Path, profile: str) -> None:
    from aligner.export import ExportOptions, render_alignment
    from aligner.model import Alignment, Link, Sentence

    al = Alignment(
        (Sentence(0, "Uno.", 0, 4), Sentence(1, "Due.", 5, 9)),
        (Sentence(0, "One.", 0, 4), Sentence(1, "Two.", 5, 9)),
        (Link((0,), (0,), 0.9134), Link((1,), (1,), 0.42)),
        "it",
        "en",
        "sig",
        "a.txt",
        "b.txt",
    )
    text = render_alignment(al, "tmx", options=ExportOptions(profile, "it-IT", "en-GB"))
    file = read_bilingual(write(tmp_path, "ours.tmx", text))
    assert [(u.source, u.target, u.score) for u in file.units] == [
        ("Uno.", "One.", 0.9134),
        ("Due.", "Two.", 0.42),
    ]
    assert (file.src_locale, file.tgt_locale) == ("it-IT", "en-GB")


def test_our_own_xliff_reads_with_its_scores_and_review_states(tmp_path: Path) -> None:
    """What ``--format xliff`` writes (aligner.export.xliff) reads back with each unit's score."""
    from aligner.export import render_alignment
    from aligner.model import Alignment, Link, Review, Sentence

    def sentences(texts: list[str]) -> tuple[Sentence, ...]:
        return tuple(Sentence(k, t, 0, len(t)) for k, t in enumerate(texts))

    al = Alignment(
        sentences(["Uno.", "Due.", "Tre."]),
        sentences(["One.", "Two."]),
        (
            Link((0,), (0,), 0.9134, Review("approved", "2026-11-21T10:00:00Z", "ann")),
            Link((1,), (), 0.5),
            Link((2,), (1,), 0.42),
        ),
        "it",
        "en",
        "sig",
        "a.txt",
        "b.txt",
    )
    file = read_bilingual(write(tmp_path, "ours.xliff", render_alignment(al, "xliff")))
    assert [(u.source, u.target, u.score) for u in file.units] == [
        ("Uno.", "One.", 0.9134),
        ("Tre.", "Two.", 0.42),
    ]
    assert dict(file.units[0].props)["subState"] == "aligner:approved"
    assert (file.src_locale, file.tgt_locale, file.unscored) == ("it", "en", 0)


# --- languages -------------------------------------------------------------------------------

THREE = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="test" adminlang="en" srclang="{src}" datatype="plaintext"/>
  <body>
    <tu>
      <tuv xml:lang="it-IT"><seg>Il governo ha approvato la riforma delle pensioni.</seg></tuv>
      <tuv xml:lang="en-GB"><seg>The government approved the pension reform.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Le gouvernement a approuvé la réforme des retraites.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="it-IT"><seg>La Camera ha votato la fiducia.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>La Chambre a voté la confiance.</seg></tuv>
    </tu>
  </body>
</tmx>
"""


@pytest.mark.parametrize(
    ("src", "options", "expected", "units", "empty", "notice"),
    [
        ("it-IT", {}, ("it-IT", "en-GB"), 1, 1, "took it-IT as the source and en-GB as the target"),
        ("it-IT", {"tgt_lang": "fr"}, ("it-IT", "fr-FR"), 2, 0, None),  # a language names its locale
        ("it-IT", {"src_lang": "FR-fr", "tgt_lang": "it"}, ("fr-FR", "it-IT"), 2, 0, None),
        ("*all*", {}, ("it-IT", "en-GB"), 1, 1, "has 3 languages (it-IT, en-GB, fr-FR)"),
        ("es-ES", {}, ("it-IT", "en-GB"), 1, 1, "source language es-ES is in none of its units"),
        ("it-IT", {}, ("it-IT", "en-GB"), 1, 1, "skipped, though they have text in fr-FR (1)"),
    ],
)
def test_a_tmx_of_three_languages_takes_two_and_says_which(
    tmp_path: Path,
    src: str,
    options: dict[str, str],
    expected: tuple[str, str],
    units: int,
    empty: int,
    notice: str | None,
) -> None:
    file = read_bilingual(write(tmp_path, "three.tmx", THREE.replace("{src}", src)), **options)
    assert (file.src_locale, file.tgt_locale) == expected
    assert (len(file.units), file.empty) == (units, empty)
    assert file.languages == ("it-IT", "en-GB", "fr-FR")
    if notice is None:
        assert file.notices == ()
    else:
        assert any(notice in n for n in file.notices), file.notices


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"src_lang": "en", "tgt_lang": "en"},
            "en, the target language asked for, is its source language too (en-GB); "
            "its other languages are it-IT, fr-FR",
        ),
        ({"tgt_lang": "it-CH"}, "is its source language too (it-IT)"),
        (
            {"tgt_lang": "de"},
            "has no units in de, the target language asked for; its languages besides the source",
        ),
        (
            {"src_lang": "de"},
            "has no units in de, the source language asked for; its languages are it-IT, en-GB",
        ),
    ],
)
def test_a_language_the_tmx_cannot_give_is_refused_with_its_languages(
    tmp_path: Path, options: dict[str, str], message: str
) -> None:
    with pytest.raises(InputError) as caught:
        read_bilingual(write(tmp_path, "three.tmx", THREE.replace("{src}", "it-IT")), **options)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("locale", "code"), [("it-IT", "it"), ("EN_us", "en"), ("zh-Hant-TW", "zh"), ("de", "de"), ("IT", "it")]
)
def test_language_code(locale: str, code: str) -> None:
    assert language_code(locale) == code


def test_corpus_sides_of_one_language_keep_their_locales() -> None:
    assert corpus_languages("it-IT", "en-GB") == ("it", "en")
    assert corpus_languages("en-US", "en-GB") == ("en-US", "en-GB")


def test_the_language_filter_reads_locales_and_passes_languages_it_does_not_know() -> None:
    it = TrainingPair("Il governo ha approvato la riforma delle pensioni.", "The reform.", 0.9, "x")
    assert language("it-IT", "en-GB")(it)
    assert not language("fr-FR", "en-GB")(it)
    assert language("xx-YY", "en")(it)  # no identifier knows "xx": it cannot tell, so it keeps


# --- bad input ---------------------------------------------------------------------------------

BROKEN = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="test" srclang="it" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext" creationtoolversion="1"/>
  <body>
    <tu>
      <tuv xml:lang="it"><seg>Il governo & la riforma.</seg></tuv>
    </tu>
  </body>
</tmx>
"""

UNTRANSLATED = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="a.txt" source-language="it" target-language="en" datatype="plaintext">
    <body>
      <trans-unit id="1"><source>Il governo ha approvato la riforma.</source></trans-unit>
      <trans-unit id="2"><source>I sindacati protestano.</source><target></target></trans-unit>
    </body>
  </file>
</xliff>
"""

UNTRANSLATED2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="it">
  <file id="f"><unit id="u"><segment><source>Il governo ha approvato la riforma.</source></segment></unit></file>
</xliff>
"""

ONE_LANGUAGE = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="it" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/>
<body><tu><tuv xml:lang="it"><seg>Solo italiano.</seg></tuv></tu><tu><tuv xml:lang="IT"><seg>Ancora.</seg></tuv></tu></body></tmx>
"""

NO_UNITS = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="it" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body/></tmx>
"""

NO_LANG = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="it" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="it"><seg>Uno.</seg></tuv>
<tuv><seg>One.</seg></tuv></tu></body></tmx>
"""

NO_TUV = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="it" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/>
<body><tu tuid="1"><prop type="x-score">0.9</prop></tu></body></tmx>
"""

ALL_EMPTY = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="it" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/>
<body><tu><tuv xml:lang="it"><seg>Uno.</seg></tuv><tuv xml:lang="en"><seg> </seg></tuv></tu></body></tmx>
"""

NO_TARGET_LANGUAGE = XLIFF12.replace(' target-language="en-US"', "").replace(' xml:lang="en-US"', "")

MIXED_FILES = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="a" source-language="it" target-language="en" datatype="plaintext"><body>
    <trans-unit id="1"><source>Uno.</source><target>One.</target></trans-unit></body></file>
  <file original="b" source-language="it" target-language="fr" datatype="plaintext"><body>
    <trans-unit id="1"><source>Uno.</source><target>Un.</target></trans-unit></body></file>
</xliff>
"""


@pytest.mark.parametrize(
    ("name", "text", "options", "line", "message"),
    [
        (
            "broken.tmx",
            BROKEN,
            {},
            6,
            r"broken\.tmx, line 6: is not well-formed XML: .*\(line 6, column \d+\)\. Repair the file",
        ),
        ("empty.tmx", "", {}, 1, r"empty\.tmx, line 1: is not well-formed XML: Document is empty"),
        (
            "page.xlf",
            "<html><body>Not a translation</body></html>",
            {},
            1,
            r"page\.xlf, line 1: is neither TMX nor XLIFF: its root element is <html>\. Give a TMX",
        ),
        (
            "todo.xlf",
            UNTRANSLATED,
            {},
            None,
            r"todo\.xlf: has no translations: none of its 2 <trans-unit> elements has a <target> with "
            r"text \(it is untranslated\)\. Translate it first",
        ),
        (
            "todo2.xliff",
            UNTRANSLATED2,
            {},
            None,
            r"todo2\.xliff: has no translations: none of its 1 segments",
        ),
        ("one.tmx", ONE_LANGUAGE, {}, None, r"one\.tmx: has one language only \(it\)"),
        ("none.tmx", NO_UNITS, {}, None, r"none\.tmx: has no translation units"),
        ("nolang.tmx", NO_LANG, {}, 5, r"nolang\.tmx, line 5: a <tuv> has no language"),
        ("notuv.tmx", NO_TUV, {}, None, r"notuv\.tmx: its units have no <tuv>"),
        ("blank.tmx", ALL_EMPTY, {}, None, r"blank\.tmx: has no unit with text in both it and en"),
        (
            "three.tmx",
            THREE.replace("{src}", "it"),
            {"tgt_lang": "de"},
            None,
            r"has no units in de, the target",
        ),
        ("notgt.xlf", NO_TARGET_LANGUAGE, {}, None, r"names no target language.*--tgt-lang"),
        (
            "other.xlf",
            XLIFF12,
            {"tgt_lang": "fr"},
            None,
            r"its target language is en-US \(target-language\), not fr",
        ),
        ("mixed.xlf", MIXED_FILES, {}, None, r"different languages \(it -> en, it -> fr\)"),
        ("missing.tmx", None, {}, None, r"missing\.tmx: cannot be read \(No such file or directory\)"),
    ],
)
def test_bad_files_are_clear_errors_naming_the_file(
    tmp_path: Path, name: str, text: str | None, options: dict[str, str], line: int | None, message: str
) -> None:
    path = tmp_path / name if text is None else write(tmp_path, name, text)
    with pytest.raises(InputError, match=message) as caught:
        read_bilingual(path, **options)
    assert caught.value.line == line and caught.value.path == str(path)


def test_an_xliff_without_target_language_takes_the_one_given(tmp_path: Path) -> None:
    file = read_bilingual(write(tmp_path, "notgt.xlf", NO_TARGET_LANGUAGE), tgt_lang="en-US")
    assert (file.src_locale, file.tgt_locale, len(file.units)) == ("it-IT", "en-US", 4)


ENTITIES = """<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY agency "askanews">{external}]>
<tmx version="1.4"><header srclang="it" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/>
<body><tu><tuv xml:lang="it"><seg>Roma (&agency;) &#8211; Uno{leak}.</seg></tuv><tuv xml:lang="en"><seg>Rome (&agency;) &#8211; One.</seg></tuv></tu></body></tmx>
"""


def test_the_files_own_entities_are_read_and_no_external_one(tmp_path: Path) -> None:
    file = read_bilingual(write(tmp_path, "own.tmx", ENTITIES.format(external="", leak="")))
    assert (file.units[0].source, file.units[0].target) == (
        "Roma (askanews) – Uno.",
        "Rome (askanews) – One.",
    )
    secret = write(tmp_path, "secret.txt", "top secret")
    xxe = ENTITIES.format(external=f'<!ENTITY leak SYSTEM "file://{secret}">', leak=" &leak;")
    with pytest.raises(InputError, match=r"xxe\.tmx, line 4: is not well-formed XML") as caught:
        read_bilingual(write(tmp_path, "xxe.tmx", xxe))
    assert "top secret" not in str(caught.value)


# --- aligner export FILE -----------------------------------------------------------------------

IT_EN_UNITS = [
    # (source, target, props) -> what the corpus does with it
    ("Il governo ha approvato la riforma delle pensioni.", "The government approved the pension reform.", ""),
    ("Il governo ha approvato la riforma delle pensioni.", "The government approved the pension reform.", ""),
    (
        "La Camera ha votato la <bpt i='1'>&lt;b&gt;</bpt>fiducia<ept i='1'>&lt;/b&gt;</ept> al governo.",
        "The Chamber voted <bpt i='1'>&lt;b&gt;</bpt>confidence<ept i='1'>&lt;/b&gt;</ept> in the government.",
        "",
    ),
    (
        "Il presidente è arrivato a Mosca ieri sera per una visita.",
        "The president arrived in Moscow last night for a visit.",
        '<prop type="x-score">0.2</prop>',
    ),
    (
        "He said the agreement was a historic step forward.",
        "He said the agreement was a historic step forward.",
        "",
    ),
    ("I sindacati chiedono un incontro al ministero.", "", ""),
    (
        "Secondo l'azienda, il progetto garantirà il lavoro a circa 2.300 dipendenti.",
        "According to the company, the project will secure the jobs of about 2,300 employees.",
        '<prop type="x-score">0.93</prop>',
    ),
]


def _news_tmx(folder: Path, name: str = "news.tmx") -> Path:
    units = "\n".join(
        f'<tu>{props}<tuv xml:lang="it-IT"><seg>{src}</seg></tuv><tuv xml:lang="en-GB"><seg>{tgt}</seg></tuv></tu>'
        for src, tgt, props in IT_EN_UNITS
    )
    return write(
        folder,
        name,
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="it-IT" '
        'creationtool="SDL Language Platform" creationtoolversion="8.1" segtype="sentence" o-tmf="SDL TM8 Format" '
        f'adminlang="en-GB" datatype="xml"/><body>\n{units}\n</body></tmx>\n',
    )


def test_export_of_a_tmx_writes_the_corpus_with_the_runs_filters_and_counts(tmp_path: Path) -> None:
    tmx = _news_tmx(tmp_path)
    out = tmp_path / "corpus"
    res = runner.invoke(app, ["export", str(tmx), "--out", str(out)])
    assert res.exit_code == OK, res.output
    summary = json.loads((out / "export-summary.json").read_text())
    assert summary["input"] == "news.tmx" and summary["format"] == "TMX 1.4"
    assert summary["locales"] == ["it-IT", "en-GB"] and summary["languages"] == ["it", "en"]
    assert summary["units"] == {"read": 6, "with_inline_codes": 1, "skipped_empty": 1, "unscored": 4}
    assert summary["input_pairs"] == 6
    assert summary["dropped"] == {
        "untranslated": 1,
        "min_score": 1,
        "length_ratio": 0,
        "max_length": 0,
        "language": 0,
        "exact_duplicate": 1,
        "near_duplicate": 0,
    }
    assert summary["kept"] == 3
    assert (out / "corpus.it").read_text().splitlines() == [
        "Il governo ha approvato la riforma delle pensioni.",
        "La Camera ha votato la fiducia al governo.",
        "Secondo l'azienda, il progetto garantirà il lavoro a circa 2.300 dipendenti.",
    ]
    records = [json.loads(line) for line in (out / "corpus.jsonl").read_text().splitlines()]
    assert [r["score"] for r in records] == [1.0, 1.0, 0.93]
    assert {r["doc"] for r in records} == {"news.tmx"} and set(records[0]["translation"]) == {"it", "en"}
    assert "6 unit(s) read from news.tmx (TMX 1.4, it-IT -> en-GB); 1 had inline codes" in res.output
    assert "1 skipped, missing their it-IT or en-GB text" in res.output and "kept 3" in res.output


def test_export_of_an_xliff_beside_it_by_default(tmp_path: Path) -> None:
    xlf = write(tmp_path, "dispaccio.xlf", XLIFF12)
    res = runner.invoke(app, ["export", str(xlf), "--no-dedup"])
    assert res.exit_code == OK, res.output
    out = tmp_path / "dispaccio.corpus"
    summary = json.loads((out / "export-summary.json").read_text())
    assert summary["units"] == {"read": 4, "with_inline_codes": 3, "skipped_empty": 1, "unscored": 4}
    assert summary["kept"] == 4 and (out / "corpus.en").read_text().splitlines()[2] == "Read the full text."
    pairs = read_bilingual_pairs(xlf)[1]
    assert [p.src for p in pairs] == (out / "corpus.it").read_text().splitlines()


def test_export_of_a_tmx_of_three_languages_warns_and_takes_the_one_asked(tmp_path: Path) -> None:
    tmx = write(tmp_path, "three.tmx", THREE.replace("{src}", "it-IT"))
    res = runner.invoke(app, ["export", str(tmx), "--out", str(tmp_path / "en"), "--no-lang-check"])
    assert res.exit_code == OK and "has 3 languages (it-IT, en-GB, fr-FR)" in res.stderr
    res = runner.invoke(app, ["export", str(tmx), "--out", str(tmp_path / "fr"), "--tgt-lang", "fr"])
    assert res.exit_code == OK, res.output
    assert (tmp_path / "fr" / "corpus.fr").read_text().splitlines()[1] == "La Chambre a voté la confiance."
    assert json.loads((tmp_path / "fr" / "export-summary.json").read_text())["locales"] == ["it-IT", "fr-FR"]


def test_export_language_options_are_for_files_only(seed_run: Ran, tmp_path: Path) -> None:
    res = runner.invoke(app, ["export", str(seed_run.out), "--out", str(tmp_path / "c"), "--src-lang", "it"])
    assert res.exit_code == USAGE and "--src-lang and --tgt-lang choose a TMX or XLIFF" in res.stderr


@pytest.mark.parametrize("command", ["export", "review"])
def test_a_tmx_that_is_not_well_formed_stops_the_command_with_line_and_column(
    tmp_path: Path, command: str
) -> None:
    path = write(tmp_path, "broken.tmx", BROKEN)
    res = runner.invoke(app, [command, str(path), *(["--no-open"] if command == "review" else [])])
    assert res.exit_code == BAD_INPUT
    assert f"{path}, line 6: is not well-formed XML" in res.stderr
    assert "(line 6, column " in res.stderr and "Repair the file" in res.stderr
    assert not project_beside(path).exists() and not (tmp_path / "broken.corpus").exists()


@pytest.mark.parametrize("command", ["export", "review"])
def test_an_xliff_with_no_targets_stops_the_command_saying_it_is_untranslated(
    tmp_path: Path, command: str
) -> None:
    path = write(tmp_path, "todo.xlf", UNTRANSLATED)
    res = runner.invoke(app, [command, str(path), *(["--no-open"] if command == "review" else [])])
    assert res.exit_code == BAD_INPUT
    assert f"{path}: has no translations" in res.stderr and "(it is untranslated)" in res.stderr
    assert "Translate it first" in res.stderr
    assert not project_beside(path).exists()


# --- review ------------------------------------------------------------------------------------


def test_a_tmx_with_a_long_name_gets_its_project_and_corpus_beside_it(tmp_path: Path) -> None:
    """A 252-byte file name (most file systems take 255): FILE.review.sqlite, and the
    temporary file and journal SQLite makes it from, were too long; the review stopped with
    an OSError traceback ('File name too long')."""
    tmx = write(tmp_path, "b" * 248 + ".tmx", TMX_INLINE)
    opened = open_project(tmx)
    assert opened.created and opened.project.path == project_beside(tmx)
    assert opened.project.path.name.startswith("b" * 150) and opened.project.path.name.endswith(
        ".review.sqlite"
    )
    assert len(opened.project.path.name.encode("utf-8")) <= 255 - len("..tmp-journal")
    assert open_project(tmx).project.path == opened.project.path  # the same project next time
    res = runner.invoke(app, ["export", str(tmx), "--format", "tsv"])
    assert res.exit_code == OK, res.output
    (corpus,) = [p for p in tmp_path.iterdir() if p.name.endswith(".corpus")]
    assert (corpus / "corpus.tsv").read_text(encoding="utf-8").count("\n") == 2  # the 0.4 unit dropped


def test_a_tmx_opens_for_review_as_one_pair_beside_it(tmp_path: Path) -> None:
    tmx = write(tmp_path, "trados.tmx", TRADOS, "utf-16")
    assert is_bilingual_input(tmx)
    opened = open_project(tmx)
    assert opened.created and opened.project.path == tmp_path / "trados.review.sqlite"
    assert isinstance(opened.bilingual, BilingualFile) and opened.bilingual.empty == 1
    (summary,) = opened.project.pairs()
    view = opened.project.pair(summary.id)
    assert view.stem == "trados"
    assert (view.source.name, view.source.lang) == ("trados.tmx (it-IT)", "it-IT")
    assert (view.target.name, view.target.lang) == ("trados.tmx (en-GB)", "en-GB")
    assert [s.text for s in view.source.sentences] == [u.source for u in opened.bilingual.units]
    assert [(lk.src, lk.tgt, lk.score, lk.status) for lk in view.links] == [
        ((k,), (k,), 1.0, "pending") for k in range(3)
    ]
    assert opened.project.meta()["source_format"] == "TMX 1.4"
    again = open_project(tmx)
    assert not again.created and again.notices == () and again.project.pair(1).revision == 0
    tmx.write_text(TRADOS.replace("visita di due giorni", "visita di tre giorni"), encoding="utf-16")
    changed = open_project(tmx)
    assert "changed since the review project" in changed.notices[0] and len(changed.project.pairs()) == 1


def test_languages_asked_for_an_existing_project_are_not_taken_silently(tmp_path: Path) -> None:
    tmx = write(tmp_path, "three.tmx", THREE.replace("{src}", "it-IT"))
    made = open_project(tmx)
    assert "took it-IT as the source and en-GB as the target" in made.notices[0]
    assert open_project(tmx, tgt_lang="en").notices == ()
    other = open_project(tmx, tgt_lang="fr")
    assert "reviews three.tmx in it-IT -> en-GB" in other.notices[0]
    assert other.project.pair(1).target.lang == "en-GB"


def test_a_tmx_project_page_lists_its_units(tmp_path: Path) -> None:
    opened = open_project(write(tmp_path, "level2.tmx", OMEGAT_LEVEL2))
    assert opened.bilingual is not None
    with TestClient(create_app(opened.project, "ann"), base_url="http://127.0.0.1") as client:
        page = client.get("/").text  # one pair: the index opens it
    assert "level2.tmx (it)" in page and "level2.tmx (en-GB)" in page
    for unit in opened.bilingual.units:
        assert str(escape(unit.source)) in page and str(escape(unit.target)) in page
    assert page.count('class="link ') == 3 and "&lt;f0&gt;" not in page


def test_review_export_of_a_tmx_project_round_trips(seed_run: Ran, tmp_path: Path) -> None:
    """Our own run's TMX, reviewed (one unit approved, one rejected, one commented) and
    exported: a valid TMX of the other units, in the file's languages, with their scores."""
    tmx = tmp_path / "ours.tmx"
    shutil.copy(seed_run.out / f"{PAIR}.tmx", tmx)
    before = read_bilingual(tmx)
    project = open_project(tmx).project
    project.edit(1, 0, "ann", "approve", {"position": 0})
    project.edit(1, 1, "ann", "reject", {"position": 1})
    project.edit(1, 2, "bob", "comment", {"position": 2, "text": "verificare la data"})
    out = tmp_path / "reviewed"
    res = runner.invoke(
        app, ["review-export", str(tmx), "--out", str(out), "--format", "tmx", "--format", "tsv"]
    )
    assert res.exit_code == OK, res.output
    assert "1 pair(s), 9 kept (not rejected) unit(s)" in res.output
    doc = etree.parse(str(out / "ours.tmx"))
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    after = read_bilingual(out / "ours.tmx")
    kept = [u for k, u in enumerate(before.units) if k != 1]
    assert [(u.source, u.target, u.score) for u in after.units] == [
        (u.source, u.target, u.score) for u in kept
    ]
    assert (after.src_locale, after.tgt_locale) == ("it", "en")
    assert dict(after.units[0].props)["x-review-status"] == "approved"
    assert after.units[1].note == "verificare la data"
    res = runner.invoke(app, ["export", str(out), "--out", str(tmp_path / "corpus"), "--no-dedup"])
    assert res.exit_code == OK, res.output


def test_review_export_keeps_the_tmx_locales(tmp_path: Path) -> None:
    tmx = write(tmp_path, "trados.tmx", TRADOS, "utf-16")
    project = open_project(tmx).project
    project.edit(1, 0, "ann", "approve", {"position": 2})
    res = runner.invoke(app, ["review-export", str(project.path), "--approved-only"])
    assert res.exit_code == OK, res.output
    written = tmp_path / "reviewed" / "trados.tmx"
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(etree.parse(str(written))), dtd.error_log.filter_from_errors()
    back = read_bilingual(written)
    assert (back.src_locale, back.tgt_locale) == ("it-IT", "en-GB")
    assert [u.source for u in back.units] == ["Sul tavolo ci sono accordi sull'energia e sui trasporti."]
    manifest = json.loads((tmp_path / "reviewed" / "manifest.json").read_text())
    assert [d["language"] for d in manifest["documents"]] == ["en-GB", "it-IT"]
    corpus = runner.invoke(app, ["export", str(tmp_path / "reviewed"), "--out", str(tmp_path / "c")])
    assert corpus.exit_code == OK, corpus.output
    assert (tmp_path / "c" / "corpus.it").read_text().splitlines() == [back.units[0].source]


def test_review_export_before_review_says_what_to_run(tmp_path: Path) -> None:
    tmx = write(tmp_path, "level2.tmx", OMEGAT_LEVEL2)
    res = runner.invoke(app, ["review-export", str(tmx)])
    assert res.exit_code == BAD_INPUT and "level2.review.sqlite: there is no review project yet" in res.stderr
    assert f"aligner review {tmx}" in res.stderr


def test_report_of_a_tmx_with_and_without_a_review(tmp_path: Path) -> None:
    tmx = write(tmp_path, "dispaccio.xliff", XLIFF20)
    res = runner.invoke(app, ["report", str(tmx)])
    assert res.exit_code == OK, res.output
    html = (tmp_path / "dispaccio.report.html").read_text()
    assert html.count('class="link ') == 5 and "La seduta è tolta." in html
    project = open_project(tmx).project
    project.edit(1, 0, "ann", "reject", {"position": 4})
    res = runner.invoke(app, ["report", str(tmx), "--force"])
    assert res.exit_code == OK, res.output
    assert "st-rejected" in (tmp_path / "dispaccio.report.html").read_text()


def test_a_tmx_in_a_run_folder_is_still_the_runs_pair(seed_run: Ran) -> None:
    assert not is_bilingual_input(seed_run.out / f"{PAIR}.tmx")
