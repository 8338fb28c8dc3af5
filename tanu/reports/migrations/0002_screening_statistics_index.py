"""A covering, partial index of finalised screenings for the statistics queries (tanu.reports
.queries): filtered by date and region, grouped by region, agency, place, form, age group and
outcome, with the case (sex filter) and the id (cell keys). On PostgreSQL the grouping columns
are INCLUDEd so that the dashboard reads the index alone (index-only scan); SQLite gets a
covering composite index (its id is the rowid), which the queries name with INDEXED BY. Kept in raw SQL in this app, as the screening model belongs to
another app."""

from django.db import migrations

NAME = "reports_screening_final_stats_idx"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON identification_screening (screened_on) "
            "INCLUDE (region_id, agency_id, place, form, age_group, outcome, case_id, id) "
            "WHERE status = 'final'"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON identification_screening (status, "
            "screened_on, region_id, agency_id, place, form, age_group, outcome, case_id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_export_jobs_and_statistics_cube"),
        ("identification", "0002_screening_belongs_to_case"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
