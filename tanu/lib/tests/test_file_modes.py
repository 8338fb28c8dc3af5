"""Files that tanu creates (the SQLite database, documents, backups, audit anchors) are readable
by the account that runs it only: 0600 for files, 0700 for folders."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from django.test import override_settings

from tanu.accounts.tests.personas import Personas
from tanu.cases import actions as case_actions
from tanu.cases.tests.helpers import open_case
from tanu.ops.backup import create_backup


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_database_and_its_journal_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "var"
    folder.mkdir()
    db = folder / "tanu.sqlite3"
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("INSERT INTO t VALUES (1)")
    connection.commit()
    assert mode(folder) == 0o700
    assert mode(db) == 0o600
    assert mode(Path(f"{db}-wal")) == 0o600
    connection.close()


@pytest.mark.django_db
def test_documents_and_backups_are_readable_by_their_owner_only(
    personas: Personas, tmp_path: Path
) -> None:
    with override_settings(DATA_DIR=tmp_path / "data"):
        case = open_case(personas.caseworker)
        document = case_actions.do_add_document(
            case,
            actor=personas.caseworker,
            title="passport copy",
            content=b"%PDF-1.4 scan",
            content_type="application/pdf",
        )
        folder = tmp_path / "data" / "documents"
        assert mode(folder) == 0o700
        assert mode(folder / document.storage_name) == 0o600
        backups = tmp_path / "backups"
        backups.mkdir()
        create_backup(backups / "tanu.backup")
    assert mode(backups) == 0o700
    assert mode(backups / "tanu.backup") == 0o600
