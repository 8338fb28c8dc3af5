"""Indexes for what changed since the statistics cube was built (tanu.reports.cube): screenings
finalised after a moment, and screenings superseded after a moment; and the screening date of
the screenings that belong to a case (time from screening to referral). Partial indexes,
small. Raw SQL in this app, as the screening model belongs to another app."""

from django.db import migrations

FINALISED = "reports_screening_finalised_idx"
SUPERSEDED = "reports_screening_superseded_idx"
CASE = "reports_screening_case_day_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor not in ("postgresql", "sqlite"):
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {FINALISED} ON identification_screening (finalised_at) "
        "WHERE status = 'final'"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {SUPERSEDED} ON identification_screening (updated_at) "
        "WHERE status = 'superseded'"
    )
    if schema_editor.connection.vendor == "postgresql":
        columns = "(case_id) INCLUDE (screened_on, status)"
    else:
        columns = "(case_id, screened_on, status)"
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {CASE} ON identification_screening {columns} "
        "WHERE case_id IS NOT NULL"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {FINALISED}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {SUPERSEDED}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {CASE}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_screening_statistics_index"),
        ("identification", "0002_screening_belongs_to_case"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
