"""The review workspace: a Starlette application over a :class:`~aligner.review.store.Project`.

Pages are rendered on the server with Jinja (autoescaping on: every document
text is escaped); a small script (``static/review.js``) sends edits as JSON and
swaps in the rows the server renders back.

Security:

- mutating requests need the per-session token (header ``X-Review-Token``),
  which only the served page carries, so another site cannot post edits, and
  an ``Origin`` header (every browser sends one with a POST) must be the
  server's own (:class:`SameOrigin`);
- only the hosts the server was started for are answered (no DNS rebinding);
- request bodies are limited to :data:`MAX_BODY` bytes (:class:`BodyLimit`),
  and numbers out of range (a pair id of 2^63, a revision of 1e400) are
  answered 4xx like any other bad request: the server never answers 500 to
  what a client sends;
- the Content-Security-Policy forbids inline and foreign scripts, so even a
  text that escaped escaping could not run;
- no route takes a file name: pairs are numbers, and the static route serves
  two named files of the package.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..export import render_alignment
from .edits import EditError
from .export import reviewed_alignment
from .store import ACTIONS, PairView, Project, StaleError
from .view import environment, rows, static_text

#: Keyboard shortcuts, as listed on the page (static/review.js implements them).
SHORTCUTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("j", "↓"), "next link"),
    (("k", "↑"), "previous link"),
    (("h", "←"), "select the source side"),
    (("l", "→"), "select the target side"),
    (("n",), "next doubtful link (lowest score first)"),
    (("a",), "approve the link"),
    (("r",), "reject the link"),
    (("c",), "comment on the link"),
    (("m",), "merge with the next link"),
    (("Shift+M",), "merge with the previous link"),
    (("s",), "split the link into its sentences"),
    (("Shift+↓", "Shift+J"), "move the side's last sentence into the next link"),
    (("Shift+↑", "Shift+K"), "move the side's first sentence into the previous link"),
    (("x",), "mark the sentence as having no counterpart"),
    (("z", "Ctrl+Z"), "undo"),
    (("y", "Ctrl+Y"), "redo"),
    (("f",), "filter the links"),
    (("/",), "find text"),
)

STATIC = {"review.css": "text/css; charset=utf-8", "review.js": "text/javascript; charset=utf-8"}
EXPORT_TYPES = {
    "tmx": "application/x-tmx+xml; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "links": "text/plain; charset=utf-8",
}

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class Settings:
    project: Project
    reviewer: str
    token: str
    name: str  # what the page calls the project (the run folder's name)


#: The largest request body taken (an edit is well under a kilobyte, with a long comment a few).
MAX_BODY = 64 * 1024
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def _refuse(send: Send, status: int, message: str) -> None:
    response = JSONResponse({"error": message}, status_code=status)
    await response({"type": "http"}, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


class BodyLimit:
    """Answers 413 to a request whose body is larger than ``limit`` bytes; the app sees
    the body only once it is known to fit (it is read here first)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        too_big = f"The request body is larger than {self.limit:,} bytes."
        length = dict(scope["headers"]).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > self.limit:
            await _refuse(send, 413, too_big)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await _refuse(send, 413, too_big)
                return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


class SameOrigin:
    """Answers 403 to a change (any method but GET, HEAD, OPTIONS) sent from another
    origin: its ``Origin`` header, when there is one, must name this server as the
    request's ``Host`` does. A browser sends ``Origin`` with every POST; a client
    without one (a script) still needs the page's token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in _SAFE_METHODS:
            headers = dict(scope["headers"])
            origin = headers.get(b"origin")
            own = f"{scope.get('scheme', 'http')}://".encode() + headers.get(b"host", b"")
            if origin is not None and origin != own:
                await _refuse(
                    send, 403, "Changes are taken only from this workspace's own pages (the Origin differs)."
                )
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Adds the Content-Security-Policy and friends to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"cache-control", b"no-store"),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def busy(request: Request, err: Exception) -> Response:
    """The answer when SQLite cannot use the project file: another program holds it locked
    for longer than the busy timeout, or the disk refuses it. Nothing was changed."""
    locked = "locked" in str(err) or "busy" in str(err)
    message = (
        "The project file is busy: another program is writing to it. "
        "Nothing was changed; try again in a moment."
        if locked
        else f"The project file cannot be used ({err}). Nothing was changed."
    )
    return JSONResponse({"error": message}, status_code=503, headers={"retry-after": "5"} if locked else None)


def create_app(
    project: Project,
    reviewer: str,
    name: str = "",
    hosts: tuple[str, ...] = ("127.0.0.1", "localhost"),
    token: str | None = None,
) -> Starlette:
    """The workspace for ``project``; edits are made in ``reviewer``'s name."""
    settings = Settings(project, reviewer, token or secrets.token_urlsafe(32), name or project.path.stem)
    env = environment()

    def page(template: str, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(template).render(reviewer=settings.reviewer, **context))

    def load(request: Request) -> PairView:
        try:
            return project.pair(int(request.path_params["pair"]))  # out of range: KeyError too
        except KeyError:
            raise HTTPException(404, "No such pair in this project.") from None

    def state(view: PairView, at: int | None = None) -> dict[str, Any]:
        can_undo, can_redo = project.can_undo(view.id)
        return {
            "revision": view.revision,
            "html": env.get_template("_rows.html").render(rows=rows(view)),
            "progress": view.progress(),
            "can_undo": can_undo,
            "can_redo": can_redo,
            "at": at,
        }

    # The handlers that read or write the project are plain functions, which Starlette runs
    # in its thread pool: a project file that another program holds locked then keeps
    # only that request waiting (SQLite's busy timeout), not every page and file.
    def index(request: Request) -> Response:
        pairs = project.pairs()
        if len(pairs) == 1:
            return RedirectResponse(f"/pair/{pairs[0].id}", status_code=303)
        return page("index.html", name=settings.name, pairs=pairs)

    def pair_page(request: Request) -> Response:
        view = load(request)
        can_undo, can_redo = project.can_undo(view.id)
        return page(
            "pair.html",
            view=view,
            rows=rows(view),
            progress=view.progress(),
            token=settings.token,
            shortcuts=SHORTCUTS,
            can_undo=can_undo,
            can_redo=can_redo,
        )

    async def edit(request: Request) -> Response:
        if not secrets.compare_digest(request.headers.get("x-review-token", ""), settings.token):
            return JSONResponse(
                {
                    "error": "This page's session token is missing or out of date "
                    "(was the server restarted?). Reload the page."
                },
                status_code=403,
            )
        try:
            body = await request.json()
            if not isinstance(body, dict):
                raise TypeError("the body must be an object")
            action = str(body["action"])
            revision = body["revision"]
            if isinstance(revision, bool) or not isinstance(revision, int) or revision < 0:
                raise ValueError(f"revision must be a whole number, not {json.dumps(revision)[:40]}")
            detail = body.get("detail") or {}
            if not isinstance(detail, dict):
                raise TypeError("detail must be an object")
        except (ValueError, KeyError, TypeError) as err:
            return JSONResponse(
                {"error": f"Bad request ({err}): send JSON with action and revision."}, status_code=400
            )
        except RecursionError:
            return JSONResponse(
                {"error": "Bad request (JSON nested too deeply): send JSON with action and revision."},
                status_code=400,
            )
        if action not in ACTIONS:
            return JSONResponse({"error": f"Unknown action {action!r}."}, status_code=400)
        return await run_in_threadpool(apply, request, action, revision, detail)

    def apply(request: Request, action: str, revision: int, detail: dict[str, Any]) -> Response:
        view = load(request)
        try:
            done = project.edit(view.id, revision, settings.reviewer, action, detail)
        except StaleError as err:
            return JSONResponse({"error": str(err), **state(project.pair(view.id))}, status_code=409)
        except EditError as err:
            return JSONResponse({"error": f"{str(err)[:1].upper()}{str(err)[1:]}."}, status_code=422)
        return JSONResponse(state(done.view, done.at))

    def history(request: Request) -> Response:
        view = load(request)
        return page("history.html", view=view, history=project.history(view.id))

    def export(request: Request) -> Response:
        view = load(request)
        fmt = request.path_params["fmt"]
        if fmt not in EXPORT_TYPES:
            return PlainTextResponse("No such format.", status_code=404)
        approved_only = request.query_params.get("approved_only", "1") != "0"
        al = reviewed_alignment(view, project.meta().get("signature", ""), approved_only)
        name = f"{view.stem}{'.approved' if approved_only else '.reviewed'}.{fmt}"
        return Response(
            render_alignment(al, fmt),
            media_type=EXPORT_TYPES[fmt],
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("Not found.", status_code=404)
        return Response(static_text(name), media_type=STATIC[name])

    routes = [
        Route("/", index),
        Route("/pair/{pair:int}", pair_page),
        Route("/pair/{pair:int}/edit", edit, methods=["POST"]),
        Route("/pair/{pair:int}/history", history),
        Route("/pair/{pair:int}/export.{fmt}", export),
        Route("/static/{name}", static),
    ]
    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts)),
        Middleware(SecurityHeaders),
        Middleware(SameOrigin),
        Middleware(BodyLimit),
    ]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={sqlite3.OperationalError: busy})
    app.state.settings = settings
    return app
