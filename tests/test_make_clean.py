"""`make clean` removes build outputs only, never the data (the database, documents, backups)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def clean_commands() -> list[list[str]]:
    """The commands `make clean` would run, split into words (make -n runs nothing)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "clean"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [shlex.split(line) for line in done.stdout.splitlines() if line.strip()]


def touches(word: str, data: Path) -> bool:
    """Whether a word of a command names the data folder, something inside it, or a parent."""
    path = (ROOT / word).resolve()
    return path == data or path.is_relative_to(data) or data.is_relative_to(path)


def test_make_clean_never_touches_the_data_folders() -> None:
    commands = clean_commands()
    assert commands, "make clean runs nothing"
    data_folders = {(ROOT / "var").resolve(), Path(settings.DATA_DIR).resolve()}
    for command in commands:
        for word in command[1:]:
            if word.startswith("-"):
                continue
            for data in data_folders:
                assert not touches(word, data), f"`{shlex.join(command)}` touches {data}"


def test_make_clean_still_removes_the_build_outputs() -> None:
    words = {word for command in clean_commands() for word in command}
    assert {".venv", ".cache", "mutants", "__pycache__"} <= words
