"""The statistics queries name their indexes (SQLite: INDEXED BY), so the indexes must survive
every migration of the screening table."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from tanu.reports.queries import STATS_INDEX

INDEXES = (
    STATS_INDEX,
    "reports_screening_finalised_idx",
    "reports_screening_superseded_idx",
    "reports_screening_case_day_idx",
)


@pytest.mark.django_db
def test_the_statistics_indexes_exist_after_all_migrations() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        else:
            cursor.execute("SELECT indexname FROM pg_indexes")
        names = {row[0] for row in cursor.fetchall()}
    assert set(INDEXES) <= names


def _index_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        else:
            cursor.execute("SELECT indexname FROM pg_indexes")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_statistics_indexes_survive_the_upgrade_that_encrypts_screening_notes() -> None:
    # An installation that had the indexes, then upgrades: on SQLite the screening table is
    # rebuilt when its notes become encrypted, which drops indexes made in raw SQL.
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("identification", "0004_screening_lists_newest_first_indexes")])
    # The installation before the upgrade had its indexes (going back rebuilt the table too).
    for name in ("0002_screening_statistics_index", "0003_screening_change_indexes"):
        module = importlib.import_module(f"tanu.reports.migrations.{name}")
        with connection.schema_editor() as editor:
            module.create(None, editor)
    assert set(INDEXES) <= _index_names()
    MigrationExecutor(connection).migrate(leaves)
    assert set(INDEXES) <= _index_names()
