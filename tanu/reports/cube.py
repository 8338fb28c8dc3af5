"""The statistics cube: finalised screenings counted by month, region, agency type, place, form,
age group and outcome, so that the dashboard reads tens of thousands of cube rows instead of a
million screenings.

Figures stay exact between rebuilds. A rebuild at time ``built_at`` counts the screenings
finalised up to ``cutoff`` (a minute earlier, so that no transaction still open at the rebuild
is missed). The dashboard then adds the screenings finalised after ``cutoff`` and takes away
those the cube counted that were corrected (superseded) after ``built_at``. Finalised
screenings never change otherwise; a rebuild also picks up what changed outside the named
actions (an agency's type changed by an administrator, say). Only a correction committed in
the very instant of a rebuild can be off by one until the next rebuild.

Rebuilds: the named task ``stats-refresh`` (cron: ``tanu tasks run stats-refresh``, hourly),
and, on PostgreSQL, :data:`rebuild_task` that the dashboard puts on the task queue once more than
:data:`REBUILD_AFTER_ROWS` screenings changed since the last rebuild, or it is older than
:data:`REBUILD_AFTER` (once: not while one waits or runs). The filter by
sex reads the screenings themselves (sex is recorded on cases), as does everything before the
first rebuild.

On top of the cube, the dashboard keeps each set of filters' figures for a few minutes
(tanu.reports.snapshots): the cube keeps computing them cheap, the snapshots keep the pages
fast."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from tanu.lib.tasks import enqueue_once
from tanu.reports import queries
from tanu.reports.models import CubeState, ScreeningCube

log = logging.getLogger(__name__)

CUTOFF_MARGIN = timedelta(minutes=1)
REBUILD_AFTER_ROWS = 20_000
REBUILD_AFTER = timedelta(hours=6)
#: A rebuild enqueued longer ago than this and not finished is taken to be lost.
STALE_BUILD = timedelta(hours=1)


def auto_rebuild_enabled() -> bool:
    """Rebuilds asked for by the dashboard: on PostgreSQL (never in the test suite, whose
    tasks run in the request)."""
    return connection.vendor == "postgresql" and not getattr(settings, "TESTING", False)


def rebuild() -> CubeState:
    """Count every finalised screening into the cube again (one INSERT ... SELECT)."""
    started = time.perf_counter()
    built_at = timezone.now()
    cutoff = built_at - CUTOFF_MARGIN
    month = queries.month_start_sql("s.screened_on")
    with queries.reading():
        state, _created = CubeState.objects.select_for_update().get_or_create(pk=1)
        ScreeningCube.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {queries.CUBE} "  # noqa: S608 (fixed names only)
                "(month, region_id, agency_kind, place, form, age_group, outcome, n, id_sum) "
                f"SELECT {month}, s.region_id, a.kind, s.place, s.form, s.age_group, s.outcome, "
                f"COUNT(*), SUM(s.id) FROM {queries.SCREENING} s "
                f"JOIN {queries.AGENCY} a ON a.id = s.agency_id "
                "WHERE s.status = 'final' AND (s.finalised_at IS NULL OR s.finalised_at <= %s) "
                f"GROUP BY {month}, s.region_id, a.kind, s.place, s.form, s.age_group, s.outcome",
                [connection.ops.adapt_datetimefield_value(cutoff)],
            )
            rows = cursor.rowcount
            cursor.execute(f"SELECT COALESCE(SUM(n), 0) FROM {queries.CUBE}")  # noqa: S608
            counted = int(cursor.fetchone()[0])
            # Fresh planner statistics, or the first queries may pick a poor plan.
            cursor.execute(f"ANALYZE {queries.CUBE}")
        state.built_at = built_at
        state.cutoff = cutoff
        state.rows = max(0, rows)
        state.screenings = counted
        state.duration_ms = round((time.perf_counter() - started) * 1000)
        state.save()
    return state


def drop() -> None:
    """Forget the cube: the statistics read the screenings until the next rebuild."""
    with transaction.atomic():
        ScreeningCube.objects.all().delete()
        CubeState.objects.filter(pk=1).delete()


def needs_rebuild(state: CubeState | None, changed_rows: int) -> bool:
    if state is None or state.built_at is None:
        return True
    return changed_rows > REBUILD_AFTER_ROWS or timezone.now() - state.built_at > REBUILD_AFTER


@task
def rebuild_task() -> dict[str, int]:
    """The rebuild as a task (counts only)."""
    state = rebuild()
    log.info("statistics cube rebuilt: %s rows in %s ms", state.rows, state.duration_ms)
    return {"rows": state.rows, "screenings": state.screenings, "duration_ms": state.duration_ms}


def rebuild_in_background() -> bool:
    """Put one rebuild on the task queue, unless one already waits or runs there. True when
    this call enqueued it."""
    return enqueue_once(rebuild_task, within=STALE_BUILD)
