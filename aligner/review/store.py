"""The review project: one SQLite file with the documents, the aligner's links,
the current links and every edit.

Tables (``SCHEMA``):

- ``documents`` and ``sentences``: the texts under review, copied from the run,
  so the project stands on its own;
- ``pairs``: each pair with its ``revision``, a counter that every change raises;
- ``aligner_links``: the links as the aligner made them, never changed;
- ``links``: the links as they are now, with status, comment, time and reviewer;
- ``edits``: every edit, undo and redo, with its time and reviewer. An edit row
  holds the change (``at``, ``before``, ``after``: JSON lists of links), so it
  can be undone and redone, and the history read back.

Undo and redo: an edit is ``applied``, ``undone`` or ``dropped`` (undone, then
superseded by a new edit, so it cannot be redone). Undo reverts the newest
applied edit of the pair; redo re-applies the oldest undone one. Undo and redo
are themselves logged (state ``log``, ``ref`` = the edit they act on).

Concurrency: a change names the revision it was made on. If the pair has moved
on (another tab or another reviewer changed it), the change is refused with
:class:`StaleError` and nothing is written. Each change runs in one
``BEGIN IMMEDIATE`` transaction; the file is in WAL mode with full sync, so a
crash loses at most the change that was being written, never part of one.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import AlignerError, InputError
from ..model import Sentence
from . import edits
from .edits import Change, EditError, ReviewLink, Stamp
from .source import DocumentData, PairData, RunData

SCHEMA_VERSION = "2"
#: What a project file of each earlier schema needs to become one of the next (the last
#: statement records the new schema); applied one after the other up to this schema.
MIGRATIONS = {
    "1": (  # moved links (linked out of order) came in schema 2
        "ALTER TABLE aligner_links ADD COLUMN moved INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE links ADD COLUMN moved INTEGER NOT NULL DEFAULT 0",
        "UPDATE meta SET value = '2' WHERE key = 'schema'",
    ),
}

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, lang TEXT NOT NULL, date TEXT,
    key TEXT NOT NULL UNIQUE  -- a digest of the name and sentences: a changed document is a new one
);
CREATE TABLE sentences (
    doc INTEGER NOT NULL REFERENCES documents(id), idx INTEGER NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, paragraph INTEGER NOT NULL,
    PRIMARY KEY (doc, idx)
);
CREATE TABLE pairs (
    id INTEGER PRIMARY KEY, stem TEXT NOT NULL UNIQUE,
    src INTEGER NOT NULL REFERENCES documents(id), tgt INTEGER NOT NULL REFERENCES documents(id),
    score REAL NOT NULL, revision INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE aligner_links (
    pair INTEGER NOT NULL REFERENCES pairs(id), position INTEGER NOT NULL,
    src TEXT NOT NULL, tgt TEXT NOT NULL, score REAL NOT NULL, moved INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (pair, position)
);
CREATE TABLE links (
    pair INTEGER NOT NULL REFERENCES pairs(id), position INTEGER NOT NULL,
    src TEXT NOT NULL, tgt TEXT NOT NULL, score REAL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    comment TEXT NOT NULL DEFAULT '', changed_at TEXT, changed_by TEXT, moved INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (pair, position)
);
CREATE TABLE edits (
    id INTEGER PRIMARY KEY AUTOINCREMENT, pair INTEGER NOT NULL REFERENCES pairs(id),
    revision INTEGER NOT NULL, at TEXT NOT NULL, reviewer TEXT NOT NULL, action TEXT NOT NULL,
    detail TEXT NOT NULL, position INTEGER NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('applied', 'undone', 'dropped', 'log')), ref INTEGER
);
CREATE INDEX edits_pair ON edits (pair, state, id);
"""

#: SQLite's largest integer: no id or revision is larger.
MAX_INTEGER = 2**63 - 1

#: The actions a reviewer can take, with the arguments each takes (see :meth:`Project.edit`);
#: any other key of an edit's detail is not kept.
ARGUMENTS: dict[str, tuple[str, ...]] = {
    "merge_next": ("position",),
    "merge_previous": ("position",),
    "split": ("position",),
    "move": ("position", "side", "direction"),
    "detach": ("position", "side", "sentence"),
    "approve": ("position",),
    "reject": ("position",),
    "reset": ("position",),
    "comment": ("position", "text"),
    "undo": (),
    "redo": (),
}
ACTIONS = tuple(ARGUMENTS)


class StaleError(AlignerError):
    """The pair changed since the page that sent the change was loaded."""

    def __init__(self, expected: int, actual: int, last: dict[str, Any] | None) -> None:
        self.expected = expected
        self.actual = actual
        who = f" ({last['action']} by {last['reviewer']} at {last['at']})" if last else ""
        super().__init__(
            f"This pair was changed in another tab or window{who}: it is at revision {actual}, "
            f"the page was at {expected}. Your change was not saved; the page now shows the latest "
            "state, so check it and make the change again if it is still needed."
        )


@dataclass(frozen=True)
class PairView:
    """A pair as the workspace shows it."""

    id: int
    stem: str
    source: DocumentData
    target: DocumentData
    score: float
    revision: int
    links: tuple[ReviewLink, ...]

    def progress(self) -> dict[str, int]:
        """How many links the pair has, and how many are reviewed, approved, rejected."""
        statuses = [lk.status for lk in self.links]
        return {
            "links": len(statuses),
            "reviewed": sum(s != "pending" for s in statuses),
            "approved": statuses.count("approved"),
            "rejected": statuses.count("rejected"),
        }


@dataclass(frozen=True)
class Edited:
    """The pair after a change, and the position of the first link the change touched."""

    view: PairView
    at: int


@dataclass(frozen=True)
class PairSummary:
    id: int
    stem: str
    source: str
    target: str
    links: int
    reviewed: int
    approved: int


def now() -> str:
    """The current UTC time as ``2026-11-21T10:04:05Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _dump(links: Sequence[ReviewLink]) -> str:
    return json.dumps([lk.as_dict() for lk in links], ensure_ascii=False)


def _load(text: str) -> tuple[ReviewLink, ...]:
    return tuple(ReviewLink.from_dict(d) for d in json.loads(text))


class Project:
    """A review project file. Open with :meth:`create` or :meth:`open`.

    Every method opens its own connection, so one :class:`Project` serves the
    threads of a web server.
    """

    #: Seconds a change waits for another program's lock on the file before giving up
    #: (``sqlite3.OperationalError``: the server answers 503).
    busy_timeout = 30.0

    def __init__(self, path: Path, clock: Callable[[], str] = now) -> None:
        self.path = path
        self.clock = clock

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        run: RunData,
        clock: Callable[[], str] = now,
        meta: Mapping[str, str] | None = None,
    ) -> Project:
        """Create the project file ``path`` from ``run`` (written whole, then renamed);
        ``meta`` adds entries to the ``meta`` table (what the run was read from)."""
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.unlink(missing_ok=True)
        try:
            with closing(sqlite3.connect(tmp)) as db, db:
                db.executescript(SCHEMA)
                db.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [
                        ("schema", SCHEMA_VERSION),
                        ("run", str(run.folder)),
                        ("signature", run.signature),
                        ("created", clock()),
                        *(meta or {}).items(),
                    ],
                )
                for pair in run.pairs:
                    _insert_pair(db, pair)
            tmp.replace(path)
        except sqlite3.Error as err:
            tmp.unlink(missing_ok=True)
            raise AlignerError(
                f"{path}: cannot create the review project ({err}). Choose another place with --project."
            ) from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return cls.open(path, clock)

    @classmethod
    def open(cls, path: Path, clock: Callable[[], str] = now) -> Project:
        """Open an existing project file, checking that it is one."""
        project = cls(path, clock)
        try:
            with project._connect() as db:
                row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.Error as err:
            raise InputError(
                path,
                f"is not a review project ({err})",
                "Give the project file `aligner review` made, or delete it to start afresh.",
            ) from None
        if row is not None and row[0] in MIGRATIONS:
            with project._transaction() as db:
                while row is not None and row[0] in MIGRATIONS:  # each step records its schema
                    for statement in MIGRATIONS[row[0]]:
                        db.execute(statement)
                    row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None or row[0] != SCHEMA_VERSION:
            raise InputError(
                path,
                f"is a review project of another version ({row[0] if row else '?'})",
                "Open it with the aligner version that made it.",
            )
        return project

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one ``BEGIN IMMEDIATE`` transaction: committed if the
        block succeeds, rolled back if it raises."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            yield db
        finally:
            db.close()

    # --- reading ------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        with self._connect() as db:
            return dict(db.execute("SELECT key, value FROM meta").fetchall())

    def pairs(self) -> list[PairSummary]:
        """Every pair with its review progress, in stem order."""
        with self._connect() as db:
            rows = db.execute(
                """SELECT p.id, p.stem, s.name, t.name,
                          (SELECT COUNT(*) FROM links l WHERE l.pair = p.id),
                          (SELECT COUNT(*) FROM links l WHERE l.pair = p.id AND l.status != 'pending'),
                          (SELECT COUNT(*) FROM links l WHERE l.pair = p.id AND l.status = 'approved')
                   FROM pairs p JOIN documents s ON s.id = p.src JOIN documents t ON t.id = p.tgt
                   ORDER BY p.stem"""
            ).fetchall()
        return [PairSummary(*row) for row in rows]

    def pair_id(self, stem: str) -> int | None:
        with self._connect() as db:
            row = db.execute("SELECT id FROM pairs WHERE stem = ?", (stem,)).fetchone()
        return None if row is None else int(row[0])

    def pair(self, pair_id: int) -> PairView:
        """The pair ``pair_id`` as it is now. Raises KeyError if there is none."""
        if not 0 <= pair_id <= MAX_INTEGER:
            raise KeyError(pair_id)
        with self._connect() as db:
            return _read_pair(db, pair_id)

    def aligner_links(self, pair_id: int) -> list[ReviewLink]:
        """The links as the aligner made them."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT src, tgt, score, moved FROM aligner_links WHERE pair = ? ORDER BY position",
                (pair_id,),
            ).fetchall()
        return [
            ReviewLink(tuple(json.loads(s)), tuple(json.loads(t)), score, moved=bool(moved))
            for s, t, score, moved in rows
        ]

    def history(self, pair_id: int | None = None) -> list[dict[str, Any]]:
        """Every edit, undo and redo (of one pair, or all), oldest first."""
        query = "SELECT id, pair, revision, at, reviewer, action, detail, state, ref FROM edits"
        args: tuple[Any, ...] = ()
        if pair_id is not None:
            query += " WHERE pair = ?"
            args = (pair_id,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY id", args).fetchall()
        keys = ("id", "pair", "revision", "at", "reviewer", "action", "detail", "state", "ref")
        out = []
        for row in rows:
            d = dict(zip(keys, row, strict=True))
            d["detail"] = json.loads(d["detail"])
            out.append(d)
        return out

    def can_undo(self, pair_id: int) -> tuple[bool, bool]:
        """Whether the pair has an edit to undo, and one to redo."""
        with self._connect() as db:
            undo = db.execute(
                "SELECT 1 FROM edits WHERE pair = ? AND state = 'applied' LIMIT 1", (pair_id,)
            ).fetchone()
            redo = db.execute(
                "SELECT 1 FROM edits WHERE pair = ? AND state = 'undone' LIMIT 1", (pair_id,)
            ).fetchone()
        return undo is not None, redo is not None

    # --- changing -----------------------------------------------------------------------

    def add_pairs(self, pairs: Sequence[PairData]) -> None:
        """Add pairs (of a later run) to the project, in one transaction."""
        with self._transaction() as db:
            for pair in pairs:
                _insert_pair(db, pair)

    def edit(
        self, pair_id: int, revision: int, reviewer: str, action: str, detail: dict[str, Any] | None = None
    ) -> Edited:
        """Make one change to pair ``pair_id``, seen at ``revision``, and return the new state.

        ``action`` is one of :data:`ACTIONS`; ``detail`` holds its arguments:
        ``position`` (0-based link) for all but undo/redo, ``side`` ("src"/"tgt")
        for move and detach, ``direction`` ("next"/"previous") for move,
        ``sentence`` for detach, ``text`` for comment.

        :raises StaleError: the pair is no longer at ``revision``; nothing changed.
        :raises EditError: the edit cannot be made; nothing changed.
        """
        if action not in ACTIONS:
            raise EditError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")
        reviewer = reviewer.strip()
        if not reviewer:
            raise EditError("a change needs a reviewer name")
        if not 0 <= pair_id <= MAX_INTEGER:
            raise EditError(f"there is no pair {pair_id}")
        detail = _arguments(action, detail or {})
        stamp = Stamp(reviewer, self.clock())
        with self._transaction() as db:
            row = db.execute("SELECT revision FROM pairs WHERE id = ?", (pair_id,)).fetchone()
            if row is None:
                raise EditError(f"there is no pair {pair_id}")
            if row[0] != revision:
                last = db.execute(
                    "SELECT action, reviewer, at FROM edits WHERE pair = ? ORDER BY id DESC LIMIT 1",
                    (pair_id,),
                ).fetchone()
                info = dict(zip(("action", "reviewer", "at"), last, strict=True)) if last else None
                raise StaleError(revision, row[0], info)
            links = list(_read_links(db, pair_id))
            if action in ("undo", "redo"):
                change, ref = _undo_redo(db, pair_id, action)
                state = "log"
            else:
                change = _change(links, action, detail, stamp)
                ref = None
                state = "applied"
                db.execute(
                    "UPDATE edits SET state = 'dropped' WHERE pair = ? AND state = 'undone'", (pair_id,)
                )
            new_links = edits.apply(links, change)
            _write_links(db, pair_id, new_links)
            db.execute("UPDATE pairs SET revision = revision + 1 WHERE id = ?", (pair_id,))
            db.execute(
                "INSERT INTO edits (pair, revision, at, reviewer, action, detail, position, before,"
                " after, state, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    pair_id,
                    revision + 1,
                    stamp.at,
                    reviewer,
                    action,
                    json.dumps(detail, ensure_ascii=False),
                    change.at,
                    _dump(change.before),
                    _dump(change.after),
                    state,
                    ref,
                ),
            )
            view = _read_pair(db, pair_id)
            edits.check_cover(view.links, len(view.source.sentences), len(view.target.sentences))
        return Edited(view, change.at)


_CHOICES = {"side": ("src", "tgt"), "direction": ("next", "previous")}


def _arguments(action: str, detail: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments of ``action`` in ``detail``, checked: whole numbers for ``position``
    and ``sentence``, one of :data:`_CHOICES` for ``side`` and ``direction``, a string
    for ``text``. Other keys are left out, so that the edit log (and the history page
    that shows it) holds only what the edit used. EditError names what is wrong."""
    checked: dict[str, Any] = {}
    for key in ARGUMENTS[action]:
        if key not in detail:
            raise EditError(f"{action} needs {key} in its detail")
        value = detail[key]
        if key in ("position", "sentence"):
            if isinstance(value, bool) or not isinstance(value, int):
                raise EditError(f"{key} must be a whole number, not {json.dumps(value)[:40]}")
        elif key in _CHOICES:
            if value not in _CHOICES[key]:
                raise EditError(f"{key} must be {' or '.join(_CHOICES[key])}, not {json.dumps(value)[:40]}")
        elif not isinstance(value, str):
            raise EditError(f"{key} must be a string, not {json.dumps(value)[:40]}")
        else:
            half = next((c for c in value if "\ud800" <= c <= "\udfff"), None)
            if half is not None:
                raise EditError(
                    f"{key} holds \\u{ord(half):04x}, half of a surrogate pair, which is no character"
                )
        checked[key] = value
    return checked


def _change(links: Sequence[ReviewLink], action: str, detail: dict[str, Any], stamp: Stamp) -> Change:
    """The change ``action`` makes to ``links``; ``detail`` holds its checked arguments."""
    position = detail["position"]
    if action == "merge_next":
        return edits.merge_next(links, position, stamp)
    if action == "merge_previous":
        return edits.merge_previous(links, position, stamp)
    if action == "split":
        return edits.split(links, position, stamp)
    if action == "move":
        return edits.move(links, position, detail["side"], detail["direction"], stamp)
    if action == "detach":
        return edits.detach(links, position, detail["side"], detail["sentence"], stamp)
    if action in ("approve", "reject", "reset"):
        status = {"approve": "approved", "reject": "rejected", "reset": "pending"}[action]
        return edits.set_status(links, position, status, stamp)
    return edits.comment(links, position, detail["text"], stamp)


def _undo_redo(db: sqlite3.Connection, pair_id: int, action: str) -> tuple[Change, int]:
    if action == "undo":
        row = db.execute(
            "SELECT id, position, before, after FROM edits WHERE pair = ? AND state = 'applied' "
            "ORDER BY id DESC LIMIT 1",
            (pair_id,),
        ).fetchone()
        if row is None:
            raise EditError("there is nothing to undo")
        db.execute("UPDATE edits SET state = 'undone' WHERE id = ?", (row[0],))
        return edits.revert(Change(row[1], _load(row[2]), _load(row[3]))), int(row[0])
    row = db.execute(
        "SELECT id, position, before, after FROM edits WHERE pair = ? AND state = 'undone' "
        "ORDER BY id LIMIT 1",
        (pair_id,),
    ).fetchone()
    if row is None:
        raise EditError("there is nothing to redo")
    db.execute("UPDATE edits SET state = 'applied' WHERE id = ?", (row[0],))
    return Change(row[1], _load(row[2]), _load(row[3])), int(row[0])


def _document_key(doc: DocumentData) -> str:
    digest = hashlib.sha256(doc.name.encode())
    for s in doc.sentences:
        digest.update(f"\0{s.start}\0{s.end}\0{s.paragraph}\0{s.text}".encode())
    return digest.hexdigest()[:32]


def _insert_document(db: sqlite3.Connection, doc: DocumentData) -> int:
    key = _document_key(doc)
    row = db.execute("SELECT id FROM documents WHERE key = ?", (key,)).fetchone()
    if row is not None:
        return int(row[0])
    cur = db.execute(
        "INSERT INTO documents (name, lang, date, key) VALUES (?, ?, ?, ?)",
        (doc.name, doc.lang, doc.date, key),
    )
    doc_id = int(cur.lastrowid or 0)
    db.executemany(
        'INSERT INTO sentences (doc, idx, text, start, "end", paragraph) VALUES (?, ?, ?, ?, ?, ?)',
        [(doc_id, s.index, s.text, s.start, s.end, s.paragraph) for s in doc.sentences],
    )
    return doc_id


def _insert_pair(db: sqlite3.Connection, pair: PairData) -> None:
    src = _insert_document(db, pair.source)
    tgt = _insert_document(db, pair.target)
    cur = db.execute(
        "INSERT INTO pairs (stem, src, tgt, score) VALUES (?, ?, ?, ?)", (pair.stem, src, tgt, pair.score)
    )
    pair_id = int(cur.lastrowid or 0)
    db.executemany(
        "INSERT INTO aligner_links (pair, position, src, tgt, score, moved) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (pair_id, k, json.dumps(lk.src), json.dumps(lk.tgt), lk.score, int(lk.moved))
            for k, lk in enumerate(pair.links)
        ],
    )
    _write_links(db, pair_id, pair.links)


def _write_links(db: sqlite3.Connection, pair_id: int, links: Sequence[ReviewLink]) -> None:
    db.execute("DELETE FROM links WHERE pair = ?", (pair_id,))
    db.executemany(
        "INSERT INTO links (pair, position, src, tgt, score, status, comment, changed_at, changed_by, moved)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                pair_id,
                k,
                json.dumps(lk.src),
                json.dumps(lk.tgt),
                lk.score,
                lk.status,
                lk.comment,
                lk.changed_at,
                lk.changed_by,
                int(lk.moved),
            )
            for k, lk in enumerate(links)
        ],
    )


def _read_links(db: sqlite3.Connection, pair_id: int) -> tuple[ReviewLink, ...]:
    rows = db.execute(
        "SELECT src, tgt, score, status, comment, changed_at, changed_by, moved FROM links WHERE pair = ?"
        " ORDER BY position",
        (pair_id,),
    ).fetchall()
    return tuple(
        ReviewLink(tuple(json.loads(s)), tuple(json.loads(t)), score, status, comment, at, by, bool(moved))
        for s, t, score, status, comment, at, by, moved in rows
    )


def _read_document(db: sqlite3.Connection, doc_id: int) -> DocumentData:
    name, lang, date = db.execute("SELECT name, lang, date FROM documents WHERE id = ?", (doc_id,)).fetchone()
    rows = db.execute(
        'SELECT idx, text, start, "end", paragraph FROM sentences WHERE doc = ? ORDER BY idx', (doc_id,)
    ).fetchall()
    return DocumentData(name, lang, date, tuple(Sentence(*row) for row in rows))


def _read_pair(db: sqlite3.Connection, pair_id: int) -> PairView:
    row = db.execute("SELECT stem, src, tgt, score, revision FROM pairs WHERE id = ?", (pair_id,)).fetchone()
    if row is None:
        raise KeyError(pair_id)
    stem, src, tgt, score, revision = row
    return PairView(
        pair_id,
        stem,
        _read_document(db, src),
        _read_document(db, tgt),
        score,
        revision,
        _read_links(db, pair_id),
    )
