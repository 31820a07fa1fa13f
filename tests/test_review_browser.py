"""The review workspace driven as a translator would: a real headless Chromium.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them;
without them these tests skip). The server is the real ``aligner review``
command, stopped with Ctrl+C and started again. Screenshots at 1280x800 go to
``output/screenshots/`` (ignored by git) to be looked at.
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from .conftest import DTD, ROOT, Ran, aligner_script, copy_run
from .reviewdata import hostile_run

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SHOTS = ROOT / "output" / "screenshots"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
        reason="Debian's chromium and chromium-driver are not installed (.ci/run installs them)",
    ),
]

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


class Server:
    """``aligner review`` in a subprocess, on a free port."""

    def __init__(self, target: Path, reviewer: str = "ann") -> None:
        self.target = target
        self.reviewer = reviewer
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self) -> Server:
        cmd = [
            aligner_script(),
            "review",
            str(self.target),
            "--no-open",
            "--port",
            "0",
            "--reviewer",
            self.reviewer,
        ]
        self.proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
        assert self.proc.stderr is not None
        deadline = time.monotonic() + 60
        lines = []
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            lines.append(line)
            m = re.search(r"Reviewing as \S+ at (http://\S+)", line)
            if m:
                self.url = m.group(1)
                break
            if not line and self.proc.poll() is not None:
                break
        assert self.url, f"the server did not start: {''.join(lines)}"
        for _ in range(100):  # wait until it answers
            try:
                urllib.request.urlopen(self.base + "/static/review.css", timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"the server at {self.base} printed its address but does not answer")

    @property
    def base(self) -> str:
        return re.sub(r"(https?://[^/]+).*", r"\1", self.url)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # Ctrl+C
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None and self.proc.stderr is not None:
            self.proc.stderr.close()


def make_driver() -> Any:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
    )
    return driver


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    d = make_driver()
    yield d
    d.quit()


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory, seed_run: Ran) -> Path:
    return copy_run(seed_run, tmp_path_factory.mktemp("browser"))  # this module writes a review into it


@pytest.fixture(scope="module")
def server(run_folder: Path) -> Iterator[Server]:
    s = Server(run_folder).start()
    yield s
    s.stop()


# --- helpers ---------------------------------------------------------------------------------


def shot(driver: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def _ready(driver: Any) -> None:
    """Wait until the page's script has selected a link."""
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#links .link.current"))


def open_page(driver: Any, url: str) -> None:
    driver.get(url)
    _ready(driver)


def reload_page(driver: Any) -> None:
    driver.refresh()
    _ready(driver)


def submit_comment(driver: Any) -> None:
    """Save the comment dialog with Ctrl+Enter and wait for the server's answer."""
    before = revision(driver)
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    WebDriverWait(driver, 10).until(lambda d: revision(d) != before)


def revision(driver: Any) -> int:
    return int(driver.find_element(By.ID, "workspace").get_attribute("data-revision"))


def press(driver: Any, *keys: str, changes: bool = True) -> None:
    """Press ``keys`` on the page; wait for the server's answer if the key changes the pair."""
    before = revision(driver)
    ActionChains(driver).send_keys(*keys).perform()
    if changes:
        WebDriverWait(driver, 10).until(lambda d: revision(d) != before)


def shift(driver: Any, key: str) -> None:
    before = revision(driver)
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(key).key_up(Keys.SHIFT).perform()
    WebDriverWait(driver, 10).until(lambda d: revision(d) != before)


def rows(driver: Any) -> list[dict[str, str]]:
    script = """return Array.from(document.querySelectorAll('#links .link')).map(r => ({
        pos: r.dataset.pos, score: r.dataset.score, status: r.dataset.status, kind: r.dataset.kind,
        current: r.classList.contains('current'), text: r.innerText}));"""
    return list(driver.execute_script(script))


def current(driver: Any) -> int:
    (pos,) = [int(r["pos"]) for r in rows(driver) if r["current"]]
    return pos


def go_to(driver: Any, position: int) -> None:
    driver.find_element(By.CSS_SELECTOR, f"#link-{position} .num").click()
    assert current(driver) == position


def progress_text(driver: Any) -> str:
    return str(driver.find_element(By.ID, "progress-text").text)


def project_links(run_folder: Path) -> list[tuple[list[int], list[int], str]]:
    with sqlite3.connect(run_folder / "review.sqlite") as db:
        return [
            (json.loads(s), json.loads(t), status)
            for s, t, status in db.execute("SELECT src, tgt, status FROM links ORDER BY position")
        ]


# --- the review --------------------------------------------------------------------------------


def test_a_translator_reviews_the_seed_pair(driver: Any, server: Server, run_folder: Path) -> None:
    open_page(driver, server.url)
    start = rows(driver)
    assert len(start) == 10 and progress_text(driver) == "0 of 10 links reviewed"
    assert driver.find_elements(By.CSS_SELECTOR, ".sent.para-start")  # paragraph breaks are visible
    assert "next doubtful link" in driver.find_element(By.CSS_SELECTOR, "aside.keys").text
    shot(driver, "01-opened")

    # The doubtful walk: lowest score first, then the next one up.
    by_score = sorted(start, key=lambda r: (float(r["score"]), int(r["pos"])))
    press(driver, "n", changes=False)
    assert current(driver) == int(by_score[0]["pos"])
    press(driver, "n", changes=False)
    assert current(driver) == int(by_score[1]["pos"])
    press(driver, "n", changes=False)
    doubtful = current(driver)
    assert doubtful == int(by_score[2]["pos"])

    # Merge with the next link, look, undo.
    last = doubtful == 9
    press(driver, "M" if last else "m")
    merged = rows(driver)
    assert len(merged) == 9 and "edited" in merged[doubtful - 1 if last else doubtful]["text"]
    shot(driver, "02-merged")
    press(driver, "z")
    assert [(r["kind"], r["score"]) for r in rows(driver)] == [(r["kind"], r["score"]) for r in start]
    press(driver, "y")  # redo, and undo again: the redo stack works from the keyboard
    assert len(rows(driver)) == 9
    press(driver, "z")
    assert len(rows(driver)) == 10

    # Approve link 1 (approving moves on to the next link).
    go_to(driver, 0)
    press(driver, "a")
    assert rows(driver)[0]["status"] == "approved" and current(driver) == 1
    assert progress_text(driver) == "1 of 10 links reviewed"

    # Merge links 2 and 3, then split the result back into sentences.
    go_to(driver, 1)
    press(driver, "m")
    assert rows(driver)[1]["kind"] == "2-2"
    press(driver, "s")
    assert [r["kind"] for r in rows(driver)[1:3]] == ["1-1", "1-1"]

    # Move link 4's last source sentence into link 5, then back up.
    go_to(driver, 3)
    press(driver, "h", changes=False)
    shift(driver, Keys.ARROW_DOWN)
    after_move = rows(driver)
    assert [r["kind"] for r in after_move[3:5]] == ["0-1", "2-1"]
    go_to(driver, 4)
    shift(driver, Keys.ARROW_UP)
    assert [r["kind"] for r in rows(driver)[3:5]] == ["1-1", "1-1"]

    # Mark link 6's target sentence as having no counterpart (clicking selects it).
    driver.find_element(By.CSS_SELECTOR, "#link-5 .side.tgt .sent").click()
    press(driver, "x")
    assert [r["kind"] for r in rows(driver)[5:7]] == ["1-0", "0-1"]

    # Comment on link 8, reject link 9.
    go_to(driver, 7)
    press(driver, "c", changes=False)
    box = driver.find_element(By.ID, "comment-text")
    WebDriverWait(driver, 5).until(lambda d: box.is_displayed())
    box.send_keys("Check the <b>figures</b> & the date")
    submit_comment(driver)
    comment = driver.find_element(By.CSS_SELECTOR, "#link-7 .comment").text
    assert "Check the <b>figures</b> & the date" in comment  # shown as typed, not as markup
    go_to(driver, 8)
    press(driver, "r")
    assert rows(driver)[8]["status"] == "rejected"
    shot(driver, "03-edited")

    # Every edit is in the project file, with its reviewer.
    with sqlite3.connect(run_folder / "review.sqlite") as db:
        actions = [a for (a,) in db.execute("SELECT action FROM edits ORDER BY id")]
        reviewers = {r for (r,) in db.execute("SELECT reviewer FROM edits")}
    assert actions == [
        "merge_next" if not last else "merge_previous",
        "undo",
        "redo",
        "undo",
        "approve",
        "merge_next",
        "split",
        "move",
        "move",
        "detach",
        "comment",
        "reject",
    ]
    assert reviewers == {"ann"}

    # Reload: the state is kept.
    state = rows(driver)
    reload_page(driver)
    assert [(r["kind"], r["status"], r["text"]) for r in rows(driver)] == [
        (r["kind"], r["status"], r["text"]) for r in state
    ]
    assert progress_text(driver) == "2 of 11 links reviewed"


def test_the_exported_tmx_holds_exactly_the_approved_units(
    driver: Any, server: Server, run_folder: Path
) -> None:
    driver.get(server.url)
    href = driver.find_element(By.ID, "export-tmx").get_attribute("href")
    with urllib.request.urlopen(href, timeout=10) as response:
        data = response.read()
    doc = etree.fromstring(data)
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(doc), dtd.error_log
    approved = [lk for lk in project_links(run_folder) if lk[2] == "approved"]
    tus = doc.findall(".//tu")
    assert len(tus) == len(approved) == 1
    sentences = [tu.find("prop[@type='x-source-sentences']").text for tu in tus]  # type: ignore[union-attr]
    assert sentences == [",".join(map(str, lk[0])) for lk in approved]
    assert tus[0].get("changeid") == "ann" and re.fullmatch(r"\d{8}T\d{6}Z", tus[0].get("changedate", ""))


def test_restarting_the_server_loses_nothing(driver: Any, server: Server, run_folder: Path) -> None:
    open_page(driver, server.url)
    before = rows(driver)
    server.stop()
    server.start()
    open_page(driver, server.url)
    assert [(r["kind"], r["status"], r["text"]) for r in rows(driver)] == [
        (r["kind"], r["status"], r["text"]) for r in before
    ]
    press(driver, "z")  # the undo history survived the restart too: the rejection is undone
    assert rows(driver)[8]["status"] == "pending"
    press(driver, "y")
    assert rows(driver)[8]["status"] == "rejected"


def test_two_tabs_never_lose_an_edit(driver: Any, server: Server, run_folder: Path) -> None:
    open_page(driver, server.url)
    tab_a = driver.current_window_handle
    driver.switch_to.new_window("tab")
    tab_b = driver.current_window_handle
    open_page(driver, server.url)
    go_to(driver, 2)
    press(driver, "a")  # tab B approves link 3
    driver.switch_to.window(tab_a)
    go_to(driver, 3)
    stale = revision(driver)
    press(driver, "a")  # tab A, still showing the old state, approves link 4: refused
    message = driver.find_element(By.ID, "message")
    assert message.is_displayed() and "changed in another tab" in message.text
    assert "approve by ann" in message.text
    assert revision(driver) == stale + 1  # tab A now shows tab B's state
    assert rows(driver)[2]["status"] == "approved"
    links = project_links(run_folder)
    assert links[2][2] == "approved" and links[3][2] == "pending"  # B's edit kept, A's not applied
    shot(driver, "04-stale-write")
    press(driver, "a")  # made again on the fresh state, it goes through
    assert project_links(run_folder)[3][2] == "approved"
    driver.switch_to.window(tab_b)
    driver.close()
    driver.switch_to.window(tab_a)


@pytest.fixture()
def hostile(driver: Any, tmp_path: Path) -> Iterator[Server]:
    """A fresh project of the hostile dispatch, served and open in the browser."""
    from aligner.review.store import Project

    project = Project.create(tmp_path / "hostile.sqlite", hostile_run(tmp_path))
    server = Server(project.path).start()
    open_page(driver, server.url)
    yield server
    server.stop()


def test_hostile_text_renders_as_text(driver: Any, hostile: Server) -> None:
    assert driver.execute_script("return window.__pwned === undefined")
    assert not driver.find_elements(By.CSS_SELECTOR, "#links img, #links script")
    text = driver.find_element(By.ID, "links").text
    assert "<script>window.__pwned = 1</script>" in text
    assert '<img src="x" onerror="window.__pwned = 2">' in text
    press(driver, "n", changes=False)
    press(driver, "c", changes=False)
    driver.find_element(By.ID, "comment-text").send_keys('<img src=x onerror="window.__pwned=3">')
    submit_comment(driver)
    reload_page(driver)
    assert driver.execute_script("return window.__pwned === undefined")
    assert not driver.find_elements(By.CSS_SELECTOR, "#links img")
    shot(driver, "05-hostile")


def test_keys_pressed_faster_than_the_server_answers_all_count(driver: Any, hostile: Server) -> None:
    ActionChains(driver).send_keys("a", "r", "a").perform()  # one burst: approve, reject, approve
    WebDriverWait(driver, 10).until(lambda d: revision(d) == 3)
    assert [r["status"] for r in rows(driver)] == ["approved", "rejected", "approved"]
    assert progress_text(driver) == "3 of 3 links reviewed"


def test_the_filter_and_the_search_narrow_the_rows(driver: Any, hostile: Server) -> None:
    from selenium.webdriver.support.ui import Select

    def shown() -> list[int]:
        return [
            int(r.get_attribute("data-pos"))
            for r in driver.find_elements(By.CSS_SELECTOR, "#links .link")
            if r.is_displayed()
        ]

    assert shown() == [0, 1, 2]
    Select(driver.find_element(By.ID, "filter")).select_by_value("low")  # score below 0.5
    assert shown() == [1]
    Select(driver.find_element(By.ID, "filter")).select_by_value("uncertain")  # below 0.8
    assert shown() == [1, 2]
    driver.find_element(By.ID, "search").send_keys("publisher")
    assert shown() == [2]
    Select(driver.find_element(By.ID, "filter")).select_by_value("all")
    driver.find_element(By.ID, "search").clear()
    driver.find_element(By.ID, "search").send_keys(" ")  # an input event after clear()
    assert shown() == [0, 1, 2]


def test_the_report_opens_without_a_server(driver: Any, run_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = subprocess.run(
        [aligner_script(), "report", str(run_folder), "-o", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    driver.get(out.as_uri())
    links = driver.find_elements(By.CSS_SELECTOR, ".link")
    assert len(links) == len(project_links(run_folder))
    assert driver.find_elements(By.CSS_SELECTOR, ".link.st-approved")  # the review's state is shown
    shot(driver, "06-report")


# --- a memory another tool made ----------------------------------------------------------------

OTHER_TOOL_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="SDL Language Platform" creationtoolversion="8.1" segtype="sentence"
      o-tmf="SDL TM8 Format" adminlang="en-US" srclang="de-DE" datatype="xml"/>
  <body>
    <tu creationdate="20240105T101500Z" creationid="MUELLER">
      <prop type="x-Project:SingleString">Gipfel</prop>
      <tuv xml:lang="de-DE"><seg>Der Gipfel wurde am <ph x="1">&lt;date/&gt;</ph>12. Juni erreicht.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Le sommet fut atteint le <ph x="1">&lt;date/&gt;</ph>12 juin.</seg></tuv>
    </tu>
    <tu creationdate="20240105T101600Z" creationid="MUELLER">
      <tuv xml:lang="de-DE"><seg>Das Lager lag auf <bpt i="1">&lt;b&gt;</bpt>4500 m<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Le camp était à <bpt i="1">&lt;b&gt;</bpt>4500 m<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="de-DE"><seg>Zwei Tage lang wurden Gräben gezogen.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Pendant deux jours on creusa des tranchées.</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_a_memory_of_another_tool_is_reviewed_in_the_browser_and_exported_valid(
    driver: Any, tmp_path: Path
) -> None:
    memory = tmp_path / "gipfel.tmx"
    memory.write_text(OTHER_TOOL_TMX, encoding="utf-8")
    server = Server(memory).start()
    try:
        open_page(driver, server.base + "/pair/1")
        shown = rows(driver)
        assert len(shown) == 3
        assert "Der Gipfel wurde am 12. Juni erreicht." in shown[0]["text"]  # the code is gone, the text kept
        assert "<date/>" not in shown[0]["text"] and "4500 m." in shown[1]["text"]
        press(driver, "a")  # approve the first unit
        shot(driver, "20-other-tools-memory")
    finally:
        server.stop()
    out = tmp_path / "reviewed"
    done = subprocess.run(
        [aligner_script(), "review-export", str(memory), "--out", str(out), "--format", "tmx"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    doc = etree.parse(str(out / "gipfel.tmx"))
    dtd = etree.DTD(str(DTD))
    assert dtd.validate(doc), dtd.error_log
    tus = doc.findall(".//tu")
    assert len(tus) == 3 and doc.find("header").get("srclang") == "de-DE"  # type: ignore[union-attr]
    assert [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tus[0].iter("tuv")] == [
        "de-DE",
        "fr-FR",
    ]
    assert tus[0].findtext("prop[@type='x-review-status']") == "approved" and tus[0].get("changeid") == "ann"
