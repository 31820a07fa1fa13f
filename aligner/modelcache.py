"""Uncompressed copies of bundled model files, kept in the user's cache folder.

Some packages ship their model compressed (py3langid's is LZMA: 4.5 MB that
take about 0.7 s to unpack; the ``use`` encoder's weights a compressed
``.npz``, 0.4 s), and every worker process of a run loads them again at its
start, as does every ``aligner align``. The first load writes the unpacked arrays to
``$XDG_CACHE_HOME/aligner/`` (``~/.cache/aligner/`` by default) as an
uncompressed ``.npz``; later ones read that in a few hundredths of a second.

The copy is named by what it was made from (the package's version and the
compressed file's size), so an upgraded package makes a new one. It is only a
copy: a folder that cannot be written to, or a copy that cannot be read, means
unpacking the original as before, never an error. Deleting the folder is safe.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Arrays by name (NumPy's, imported where they are read: not with this module).
Arrays = dict[str, Any]


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/aligner``, or ``~/.cache/aligner`` where it is not set."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "aligner"


def _copy_path(name: str, source: Path) -> Path:
    """Where the copy of ``source`` goes: named by ``name`` and ``source``'s size."""
    return cache_dir() / f"{name}-{source.stat().st_size}.npz"


def cached_arrays(name: str, source: Path, unpack: Callable[[], Arrays]) -> Arrays:
    """The arrays ``unpack()`` gives from ``source``, from the cache when a copy of them is
    there (:func:`_copy_path`), else unpacked and copied there."""
    import numpy as np

    path = _copy_path(name, source)
    try:
        with path.open("rb") as fh, np.load(fh, allow_pickle=False) as stored:
            return {key: stored[key] for key in stored.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        pass  # no copy yet, or a broken one: unpack the original
    arrays = unpack()
    _store(path, arrays)
    return arrays


def cached_copy(name: str, source: Path) -> Path:
    """An uncompressed copy of the ``.npz`` file ``source`` (the same arrays), made on first
    use: its path, or ``source``'s where none can be made. A reader that finds the copy
    broken calls :func:`drop` and reads ``source``."""
    path = _copy_path(name, source)
    if not path.exists():
        import numpy as np

        with source.open("rb") as fh, np.load(fh, allow_pickle=False) as packed:
            _store(path, {key: packed[key] for key in packed.files})
    return path if path.exists() else source


def drop(path: Path) -> None:
    """Remove a broken copy (the next use makes it again)."""
    path.unlink(missing_ok=True)


def _store(path: Path, arrays: Arrays) -> None:
    """Write ``arrays`` to ``path`` whole (a temporary file, then a rename), or not at all."""
    import numpy as np

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return  # nowhere to write: the next start unpacks again
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
