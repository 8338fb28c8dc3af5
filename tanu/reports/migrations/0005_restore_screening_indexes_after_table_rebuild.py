"""SQLite rebuilds a table when one of its columns changes type (identification 0005 made the
screening notes encrypted), and the rebuilt table loses the indexes this app made on it in raw
SQL. They are made again here (IF NOT EXISTS: PostgreSQL kept them). A later change of the
screening table must depend on a migration like this one too; tanu.reports.tests.
test_statistics_indexes checks that the indexes exist after every migration."""

import importlib

from django.db import migrations

STATS = importlib.import_module("tanu.reports.migrations.0002_screening_statistics_index")
CHANGES = importlib.import_module("tanu.reports.migrations.0003_screening_change_indexes")


def create(apps, schema_editor):
    STATS.create(apps, schema_editor)
    CHANGES.create(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_statistics_snapshots"),
        ("identification", "0006_reassess_draft_screenings"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop, elidable=False)]
