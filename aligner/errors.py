"""One exception family for the library; the CLI turns these into exit codes.

Every message quotes the bad value, says where it was (file and, where it helps,
line) and says how to fix it.
"""

from __future__ import annotations

from pathlib import Path


class AlignerError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(AlignerError):
    """A document or folder that cannot be used as input.

    :param path: the file or folder at fault.
    :param problem: what is wrong, quoting the bad value.
    :param fix: what the user can do about it.
    :param line: 1-based line number, when one helps.
    """

    def __init__(self, path: Path | str, problem: str, fix: str, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.fix = fix
        self.line = line
        where = self.path if line is None else f"{self.path}, line {line}"
        super().__init__(f"{where}: {problem}. {fix}")


class OutputExistsError(AlignerError):
    """An output file exists and overwriting was not asked for."""

    def __init__(self, path: Path | str, why: str = "") -> None:
        self.path = str(path)
        because = f" ({why})" if why else ""
        super().__init__(
            f"{self.path}: already exists{because} and was left untouched. "
            "Pass --force to overwrite it, or choose another output with --out/-o."
        )


class ConfigError(AlignerError):
    """A setting outside its allowed values."""


class WorkerDied(AlignerError):
    """A worker process died (killed, or out of memory) and the executor cannot go on."""
