"""The workspace's HTTP side: escaping, the session token, stale writes, what it serves."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from starlette.testclient import TestClient

from aligner.review.app import MAX_BODY, SHORTCUTS, create_app
from aligner.review.store import ACTIONS, Project

from .reviewdata import hand_run, hostile_run

TOKEN = "test-token"


@pytest.fixture()
def project(tmp_path: Path) -> Project:
    return Project.create(tmp_path / "review.sqlite", hostile_run(tmp_path))


@pytest.fixture()
def client(project: Project) -> TestClient:
    return TestClient(create_app(project, "ann", token=TOKEN), base_url="http://127.0.0.1")


def post(client: TestClient, body: dict[str, object], token: str | None = TOKEN):  # type: ignore[no-untyped-def]
    headers = {"X-Review-Token": token} if token is not None else {}
    return client.post("/pair/1/edit", json=body, headers=headers)


def test_document_text_is_escaped_in_the_page_and_in_edit_answers(client: TestClient) -> None:
    page = client.get("/pair/1").text
    for hostile in ("<script>window.__pwned", '<img src="x" onerror', "</div></main>."):
        assert hostile not in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "&lt;img src=&#34;x&#34; onerror=&#34;window.__pwned = 2&#34;&gt;" in page
    answer = post(
        client,
        {"action": "comment", "revision": 0, "detail": {"position": 0, "text": "<script>alert(1)</script>"}},
    ).json()
    assert "<script>alert" not in answer["html"] and "&lt;script&gt;alert(1)&lt;/script&gt;" in answer["html"]
    history = client.get("/pair/1/history").text
    assert "<script>alert" not in history


def test_pages_forbid_inline_and_foreign_scripts(client: TestClient) -> None:
    response = client.get("/pair/1")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text  # the page's own script is a file, not inline


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_a_change_without_the_session_token_is_refused(
    client: TestClient, project: Project, token: str | None
) -> None:
    response = post(client, {"action": "approve", "revision": 0, "detail": {"position": 0}}, token)
    assert response.status_code == 403 and "Reload the page" in response.json()["error"]
    assert project.pair(1).revision == 0 and project.history() == []


def test_the_token_is_in_the_page_and_differs_per_session(project: Project) -> None:
    tokens = set()
    for _ in range(2):
        with TestClient(create_app(project, "ann"), base_url="http://127.0.0.1") as c:
            page = c.get("/pair/1").text
            token = page.split('name="review-token" content="', 1)[1].split('"', 1)[0]
            assert len(token) >= 32
            tokens.add(token)
    assert len(tokens) == 2


def test_a_stale_write_is_refused_with_the_latest_state(client: TestClient, project: Project) -> None:
    first = post(client, {"action": "merge_next", "revision": 0, "detail": {"position": 0}})  # tab A
    assert first.status_code == 200 and first.json()["revision"] == 1
    stale = post(client, {"action": "approve", "revision": 0, "detail": {"position": 2}})  # tab B
    assert stale.status_code == 409
    body = stale.json()
    assert "changed in another tab" in body["error"] and "merge_next by ann" in body["error"]
    assert body["revision"] == 1 and body["html"].count('class="link ') == 2  # B gets A's state back
    view = project.pair(1)
    assert [lk.status for lk in view.links] == ["pending", "pending"]  # B's approval was not applied
    assert len(view.links) == 2  # A's merge was kept


def test_edit_errors_and_bad_requests_are_explained(client: TestClient) -> None:
    too_far = post(client, {"action": "merge_next", "revision": 0, "detail": {"position": 2}})
    assert too_far.status_code == 422 and "merge with the previous one" in too_far.json()["error"]
    assert post(client, {"action": "rm -rf", "revision": 0}).status_code == 400
    assert post(client, {"revision": 0}).status_code == 400
    assert (
        client.post("/pair/1/edit", content=b"not json", headers={"X-Review-Token": TOKEN}).status_code == 400
    )
    assert post(client, {"action": "approve", "revision": 0, "detail": "x"}).status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd",
        "/static/..%2f..%2f..%2fetc%2fpasswd",
        "/static/review.py",
        "/static/%2e%2e/app.py",
        "/pair/1/export.py",
        "/pair/1/export.../../etc/passwd",
        "/pair/9/history",
        "/etc/passwd",
        "/pair/..%2f..%2fetc%2fpasswd",
    ],
)
def test_no_route_reads_a_file_outside_the_project(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "root:" not in response.text and "import" not in response.text


def test_only_the_local_host_names_are_answered(client: TestClient) -> None:
    assert client.get("/pair/1", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/pair/1", headers={"host": "localhost:8765"}).status_code == 200


def test_the_static_files_are_served(client: TestClient) -> None:
    js = client.get("/static/review.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert client.get("/static/review.css").headers["content-type"].startswith("text/css")


def test_every_listed_shortcut_is_handled_by_the_script(client: TestClient) -> None:
    page = client.get("/pair/1").text
    js = client.get("/static/review.js").text
    for keys, what in SHORTCUTS:
        assert str(escape(what)) in page
        for key in keys:
            plain = key.replace("Shift+", "").replace("Ctrl+", "")
            name = {"↓": "ArrowDown", "↑": "ArrowUp", "←": "ArrowLeft", "→": "ArrowRight"}.get(plain, plain)
            if "Ctrl+" in key:
                name = name.lower()
            assert f'"{name}"' in js, f"{key} ({what}) is listed but review.js does not handle {name!r}"


def test_export_downloads_only_the_approved_units(client: TestClient) -> None:
    post(client, {"action": "approve", "revision": 0, "detail": {"position": 2}})
    tmx = client.get("/pair/1/export.tmx")
    assert tmx.status_code == 200 and "attachment" in tmx.headers["content-disposition"]
    assert tmx.text.count("<tu ") == 1 and "The editor &amp; the publisher" in tmx.text
    everything = client.get("/pair/1/export.tsv?approved_only=0").text
    assert len(everything.splitlines()) == 3


def test_the_pair_list_shows_progress(tmp_path: Path) -> None:
    run = hand_run(tmp_path, ["Uno."], ["One."], [([0], [0], 0.9)], "x__y")
    project = Project.create(tmp_path / "two.sqlite", run)
    project.add_pairs(hostile_run(tmp_path).pairs)
    with TestClient(create_app(project, "ann", token=TOKEN), base_url="http://127.0.0.1") as c:
        page = c.get("/").text
    assert page.count("<tr>") == 3 and "0 of 3" in page and "0 of 1" in page


# --- what a client sends cannot make the server fail ------------------------------------------


def _client(project: Project) -> TestClient:
    """A client that gets the server's answer even to a request that made it fail."""
    app = create_app(project, "ann", token=TOKEN)
    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


@pytest.mark.parametrize(
    "path",
    [
        "/pair/9223372036854775808",  # 2^63: past SQLite's integers
        "/pair/9223372036854775807/history",
        "/pair/99999999999999999999999999/export.tmx",
        "/pair/0",
    ],
)
def test_a_pair_number_out_of_range_is_not_found(project: Project, path: str) -> None:
    assert _client(project).get(path).status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (
            '{"action": "approve", "revision": 1e400, "detail": {"position": 0}}',
            400,
            "revision must be a whole number, not Infinity",
        ),
        (
            '{"action": "approve", "revision": 0.5, "detail": {"position": 0}}',
            400,
            "revision must be a whole number, not 0.5",
        ),
        (
            '{"action": "approve", "revision": true, "detail": {"position": 0}}',
            400,
            "revision must be a whole number, not true",
        ),
        (
            '{"action": "approve", "revision": -1, "detail": {"position": 0}}',
            400,
            "revision must be a whole number, not -1",
        ),
        (
            '{"action": "approve", "revision": 9223372036854775808, "detail": {"position": 0}}',
            409,
            "changed in another tab",
        ),
        (
            '{"action": "approve", "revision": 0, "detail": {"position": 1e400}}',
            422,
            "Position must be a whole number, not Infinity",
        ),
        (
            '{"action": "approve", "revision": 0, "detail": {"position": 0.5}}',
            422,
            "Position must be a whole number, not 0.5",
        ),
        (
            '{"action": "approve", "revision": 0, "detail": {"position": 9223372036854775808}}',
            422,
            "There is no link",
        ),
        (
            '{"action": "detach", "revision": 0, "detail": {"position": 0, "side": "src", "sentence": 1e400}}',
            422,
            "Sentence must be a whole number",
        ),
        (
            '{"action": "comment", "revision": 0, "detail": {"position": 0, "text": null}}',
            422,
            "Text must be a string, not null",
        ),
        (
            '{"action": "comment", "revision": 0, "detail": {"position": 0, "text": "a\\ud800b"}}',
            422,
            "Text holds \\ud800, half of a surrogate pair",
        ),
        (
            '{"action": "move", "revision": 0, "detail": {"position": 0, "side": "up", "direction": "next"}}',
            422,
            'Side must be src or tgt, not "up"',
        ),
        ("[" * 30_000 + "]" * 30_000, 400, "nested too deeply"),
        ("[1, 2]", 400, "the body must be an object"),
        ("null", 400, "the body must be an object"),
        ("{", 400, "Bad request"),
    ],
)
def test_bad_numbers_and_bodies_are_client_errors(
    project: Project, body: str, status: int, message: str
) -> None:
    response = _client(project).post(
        "/pair/1/edit", content=body, headers={"X-Review-Token": TOKEN, "content-type": "application/json"}
    )
    assert (response.status_code, message in response.json()["error"]) == (status, True), response.text
    assert project.pair(1).revision == 0  # nothing changed


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["a\ud800b", "\udfff"]),  # lone surrogates: JSON may hold them
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
_NUMBERS = st.integers(min_value=-(2**70), max_value=2**70) | st.floats()
_BODIES = (
    st.fixed_dictionaries(
        {},
        optional={
            "action": st.sampled_from([*ACTIONS, "bogus"]) | _JSON,
            "revision": st.sampled_from([0, 1]) | _NUMBERS | _JSON,
            "detail": st.fixed_dictionaries(
                {},
                optional={
                    "position": st.sampled_from([0, 1, 2]) | _NUMBERS | _JSON,
                    "sentence": st.integers(min_value=-3, max_value=10) | _NUMBERS | _JSON,
                    "side": st.sampled_from(["src", "tgt"]) | _JSON,
                    "direction": st.sampled_from(["next", "previous"]) | _JSON,
                    "text": _JSON,
                },
            )
            | _JSON,
        },
    )
    | _JSON
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_BODIES, pair=st.just(1) | st.integers(min_value=-(2**70), max_value=2**70))
def test_no_request_body_gets_a_server_error(project: Project, body: object, pair: int) -> None:
    """Any JSON at all, with the token, to any pair number: the answer is 2xx or 4xx."""
    response = _client(project).post(
        f"/pair/{pair}/edit",
        content=json.dumps(body),
        headers={"X-Review-Token": TOKEN, "content-type": "application/json"},
    )
    assert response.status_code < 500, (body, response.text)
    assert project.pair(1).links  # the pair still covers its sentences (checked on every edit)
    assert _client(project).get("/pair/1/history").status_code == 200  # whatever was logged shows


@pytest.mark.parametrize(
    ("action", "detail", "shown"),
    [
        ("approve", {"position": 1, "sentence": "abc", "note": "x"}, "link 2"),
        ("comment", {"position": 0, "text": "ok", "position2": 5}, "text ok"),
        ("undo", {"position": "0"}, "edit #1"),
    ],
)
def test_only_an_edits_own_arguments_are_logged(
    project: Project, action: str, detail: dict[str, object], shown: str
) -> None:
    """Keys an action does not take are not kept, so the history page shows what was done."""
    client = _client(project)
    if action == "undo":
        assert (
            post(client, {"action": "approve", "revision": 0, "detail": {"position": 0}}).status_code == 200
        )
    revision = project.pair(1).revision
    assert post(client, {"action": action, "revision": revision, "detail": detail}).status_code == 200
    logged = project.history(1)[-1]["detail"]
    assert set(logged) <= {"position", "text"} and "sentence" not in logged
    page = client.get("/pair/1/history")
    assert page.status_code == 200 and shown in page.text


def test_the_history_shows_a_logged_detail_of_any_shape(project: Project) -> None:
    """An edit logged before arguments were checked (a string where a number goes) still shows."""
    post(_client(project), {"action": "approve", "revision": 0, "detail": {"position": 0}})
    with sqlite3.connect(project.path) as db:
        db.execute("""UPDATE edits SET detail = '{"position": "0", "sentence": null}'""")
    page = _client(project).get("/pair/1/history")
    assert page.status_code == 200 and "position 0" in page.text and "sentence None" in page.text


def test_a_project_another_program_holds_locked_is_busy_not_an_error(project: Project) -> None:
    """The edit waits for the lock, then gets 503 and a message; reading pages goes on."""
    project.busy_timeout = 0.2
    client = _client(project)
    with closing(sqlite3.connect(project.path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")
        response = post(client, {"action": "approve", "revision": 0, "detail": {"position": 0}})
        assert response.status_code == 503 and "busy" in response.json()["error"]
        assert client.get("/pair/1").status_code == 200
        other.execute("ROLLBACK")
    assert post(client, {"action": "approve", "revision": 0, "detail": {"position": 0}}).status_code == 200


def test_a_request_body_over_the_limit_is_refused(project: Project) -> None:
    client = _client(project)
    headers = {"X-Review-Token": TOKEN, "content-type": "application/json"}
    text = "x" * (MAX_BODY + 1)
    body = json.dumps({"action": "comment", "revision": 0, "detail": {"position": 0, "text": text}})
    big = client.post("/pair/1/edit", content=body, headers=headers)
    assert big.status_code == 413 and f"larger than {MAX_BODY:,} bytes" in big.json()["error"]

    def chunks():  # no Content-Length: the body is counted as it comes
        yield body[: len(body) // 2].encode()
        yield body[len(body) // 2 :].encode()

    assert client.post("/pair/1/edit", content=chunks(), headers=headers).status_code == 413
    assert project.pair(1).revision == 0
    fits = json.dumps({"action": "comment", "revision": 0, "detail": {"position": 0, "text": "x" * 1000}})
    assert client.post("/pair/1/edit", content=fits, headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("origin", "status"),
    [
        ("http://evil.example", 403),
        ("http://127.0.0.1:9999", 403),  # another port is another origin
        ("https://127.0.0.1", 403),
        ("null", 403),  # a sandboxed page or a file
        ("http://127.0.0.1", 200),  # the workspace's own page
        (None, 200),  # not a browser: the token alone decides
    ],
)
def test_a_change_from_another_origin_is_refused(project: Project, origin: str | None, status: int) -> None:
    headers = {"X-Review-Token": TOKEN} | ({"Origin": origin} if origin is not None else {})
    response = _client(project).post(
        "/pair/1/edit", json={"action": "approve", "revision": 0, "detail": {"position": 0}}, headers=headers
    )
    assert response.status_code == status, response.text
    assert project.pair(1).revision == (1 if status == 200 else 0)
    if status == 403:
        assert "Origin" in response.json()["error"]
