"""Writing output files safely: temporary file first, then an atomic rename.

The only module besides :mod:`aligner.load` that touches the file system. An
existing file is never overwritten unless ``force`` is set, and a reader never
sees a half-written file: the text goes to a temporary file in the same folder,
is flushed to disk, and is renamed over the destination in one step.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .errors import AlignerError, OutputExistsError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Permissions of a written file: what open() would give (0666 less the umask),
#: not mkstemp's private 0600. Read once: os.umask cannot be read without setting it.
FILE_MODE = 0o666 & ~_umask()


def check_free(paths: Iterable[Path], force: bool) -> None:
    """Raise :class:`OutputExistsError` for the first path that exists, unless ``force``;
    :class:`AlignerError` for a folder where a file would go, even with ``force`` (a file
    cannot replace a folder, and ``--force`` never removes one)."""
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            raise AlignerError(
                f"{path}: is a folder, where this output file would go, and was left untouched "
                "(--force overwrites files, never folders). Move it away, or choose another "
                "output with --out/-o."
            )
        if not force and path.exists():
            raise OutputExistsError(path)


#: What a temporary file's name (:func:`_temporary`) adds to the name it stands for:
#: ``.<name>.`` and ``.tmp`` around mkstemp's 8 random characters.
TEMPORARY_EXTRA = len(".") + len(".") + 8 + len(".tmp")


def unwritable(folder: Path, err: OSError) -> AlignerError:
    """The error for a folder where nothing can be written (``err`` says why)."""
    return AlignerError(f"{folder}: cannot write there ({err.strerror}). Choose another folder.")


def _temporary(path: Path) -> tuple[int, Path]:
    """A new temporary file beside ``path`` (its folder made if missing), open, with the
    permissions :func:`open` would give: its descriptor and path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, FILE_MODE)
    return fd, Path(tmp)


def _writable_temporary(path: Path) -> tuple[int, Path]:
    """:func:`_temporary`, a folder that cannot be written to said as the user's to fix."""
    try:
        return _temporary(path)
    except OSError as err:
        raise unwritable(path.parent, err) from None


def write_text_atomic(path: Path, text: str, force: bool = False, durable: bool = True) -> int:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` atomically; the bytes written.

    ``durable``: flushed to disk before the rename (``fsync``), so that after a crash the
    file holds all of ``text`` if it is there at all. Without it a crash can leave it empty
    or cut short (never half of another write): for a file that is checked when read, such
    as a pair's marker, which a rerun then rewrites.
    """
    check_free([path], force)
    data = text.encode("utf-8")  # before the temporary: text that cannot be encoded leaves none
    fd, tmp = _writable_temporary(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(data)


@contextmanager
def atomic_path(path: Path, force: bool = False) -> Iterator[Path]:
    """A temporary path beside ``path`` for a writer that needs a file name
    (Parquet); renamed onto ``path`` when the block succeeds, removed if not."""
    check_free([path], force)
    fd, tmp = _temporary(path)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Staging:
    """Many files written at once, all or none: each to a temporary file beside its final
    name, renamed into place together by :meth:`commit` (after the check that none is in
    the way, unless ``force``); a block left without a commit removes them. A writer
    streams into its file, so nothing needs the whole output in memory.
    """

    def __init__(self, folder: Path, force: bool = False) -> None:
        self.folder = folder
        self.force = force
        self._temps: dict[str, Path] = {}

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    @property
    def names(self) -> list[str]:
        """The files staged so far, relative to the folder."""
        return list(self._temps)

    def path(self, name: str) -> Path:
        """The temporary path of the file ``name`` (relative to the folder), for a writer
        that needs a path (Parquet)."""
        if name in self._temps:
            raise ValueError(f"{name} is staged twice")
        fd, tmp = _writable_temporary(self.folder / name)
        os.close(fd)
        self._temps[name] = tmp
        return tmp

    def open(self, name: str) -> TextIO:
        """The temporary file of ``name``, open for writing text (UTF-8, ``\\n`` line ends)."""
        return self.path(name).open("w", encoding="utf-8", newline="\n")

    def write_text(self, name: str, text: str) -> None:
        """Stage ``name`` with the contents ``text``."""
        with self.open(name) as fh:
            fh.write(text)

    def commit(self) -> None:
        """Rename every staged file onto its name.

        :raises OutputExistsError: a file is in the way (nothing renamed).
        """
        check_free([self.folder / name for name in self._temps], self.force)
        for name, tmp in self._temps.items():
            os.replace(tmp, self.folder / name)
        self._temps.clear()

    def discard(self) -> None:
        """Remove every staged file not yet committed."""
        for tmp in self._temps.values():
            tmp.unlink(missing_ok=True)
        self._temps.clear()
