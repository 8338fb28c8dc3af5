"""`tanu backup verify FILE` and the recovery drill `tanu drill`.

The drill tests run the real child process (a scratch SQLite database in a temporary folder), so
they take a few seconds each: a migrate and a restore.
"""

from __future__ import annotations

import base64
import io
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tanu.accounts.tests.personas import Personas
from tanu.lib import crypto
from tanu.ops import backup
from tanu.ops.management.commands.drill import newest_backup
from tanu.ops.tests.test_backup import demo_data, make_backup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development_keys_and_data_dir(
    monkeypatch: pytest.MonkeyPatch, settings, tmp_path: Path
) -> Iterator[None]:
    settings.DATA_DIR = tmp_path / "data"
    settings.TANU_BACKUP_DIR = tmp_path / "backups"
    for name in (
        crypto.ENV_KEYS,
        crypto.ENV_KEY_FILE,
        crypto.ENV_ACTIVE,
        crypto.ENV_BLIND,
        backup.ENV_BACKUP_KEY,
    ):
        monkeypatch.delenv(name, raising=False)
    crypto.reset_keyring()
    yield
    crypto.reset_keyring()


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def good_backup(personas: Personas, tmp_path: Path) -> Path:
    demo_data(personas)
    path = tmp_path / "good.tanu"
    make_backup(path)
    return path


def test_a_good_backup_verifies_with_exit_0(good_backup: Path) -> None:
    status, out, err = run("backup", "verify", str(good_backup))
    assert status == 0, err
    assert "1 documents match their hashes" in out
    assert "backup verified" in out


def test_a_truncated_backup_fails_verification_with_exit_1(
    good_backup: Path, tmp_path: Path
) -> None:
    cut = tmp_path / "cut.tanu"
    cut.write_bytes(good_backup.read_bytes()[:-100])
    status, out, err = run("backup", "verify", str(cut))
    assert status == 1
    assert "NOT USABLE" in err and "backup verified" not in out


def test_a_backup_with_one_flipped_byte_fails_verification_with_exit_1(
    good_backup: Path, tmp_path: Path
) -> None:
    raw = bytearray(good_backup.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    flipped = tmp_path / "flipped.tanu"
    flipped.write_bytes(bytes(raw))
    status, _, err = run("backup", "verify", str(flipped))
    assert status == 1
    assert "altered or damaged" in err


def test_plain_tanu_backup_file_still_writes_a_backup(personas: Personas, tmp_path: Path) -> None:
    assert "backup written" in make_backup(tmp_path / "verify")
    assert (tmp_path / "verify").read_bytes().startswith(backup.MAGIC)


def test_the_drill_takes_the_newest_backup_of_the_backup_folder(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    (folder / "daily").mkdir(parents=True)
    (folder / "weekly").mkdir()
    older, newer = folder / "weekly" / "tanu-2026-W48.tanu", folder / "daily" / "tanu-b.tanu"
    for age, path in ((7200, older), (60, newer)):
        path.write_bytes(b"x")
        os.utime(path, (time.time() - age, time.time() - age))
    (folder / "daily" / "tanu-c.tanu.failed").write_bytes(b"x")
    assert newest_backup(folder) == newer


def test_the_drill_without_any_backup_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No backup"):
        call_command("drill", stdout=io.StringIO())


def test_the_drill_restores_a_good_backup_into_a_scratch_database_and_passes(
    good_backup: Path, settings, tmp_path: Path
) -> None:
    settings.TANU_BACKUP_DIR = tmp_path  # good.tanu is the newest (and only) backup there
    status, out, err = run("drill")
    assert status == 0, out + err
    assert f"recovery check of {good_backup}" in out
    assert "restore      into a scratch SQLite database" in out
    assert "row counts   all" in out
    assert "audit chain  intact" in out
    assert "all 1 documents decrypt" in out
    assert "drill passed" in out


def test_the_drill_fails_a_damaged_backup_without_restoring_it(
    good_backup: Path, tmp_path: Path
) -> None:
    cut = tmp_path / "cut.tanu"
    cut.write_bytes(good_backup.read_bytes()[:-1])
    status, out, err = run("drill", "--backup", str(cut))
    assert status == 1
    assert "does not read back" in err
    assert "restore " not in out


def test_the_drill_fails_when_the_field_key_of_the_backup_left_the_keyring(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The backup itself reads back (it has its own backup key), but its documents and values are
    under a field key this installation no longer has: only the scratch restore shows it."""

    def key() -> str:
        return base64.urlsafe_b64encode(os.urandom(32)).decode()

    monkeypatch.setenv(backup.ENV_BACKUP_KEY, key())
    monkeypatch.setenv(crypto.ENV_KEYS, f"old:{key()}")
    crypto.reset_keyring()
    demo_data(personas)
    path = tmp_path / "old-keys.tanu"
    make_backup(path)
    monkeypatch.setenv(crypto.ENV_KEYS, f"new:{key()}")
    crypto.reset_keyring()
    status, out, err = run("drill", "--backup", str(path))
    assert status == 1
    assert "read back    decrypted whole" in out
    assert "field key 'old'" in err
    assert "drill passed" not in out
