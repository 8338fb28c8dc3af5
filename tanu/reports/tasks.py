"""The statistics' and exports' named tasks (cron: ``tanu tasks run NAME``). The tasks the
pages start live beside what they run: :data:`tanu.reports.jobs.run_export`,
:data:`tanu.reports.cube.rebuild_task`, :data:`tanu.reports.snapshots.refresh_task`."""

from __future__ import annotations

import logging

from django_tasks import task

from tanu.lib.tasks import scheduled
from tanu.reports import cube, jobs, snapshots

log = logging.getLogger(__name__)


@scheduled(
    "stats-refresh",
    when="hourly",
    summary="rebuilds the statistics cube and computes the dashboard's main views again",
)
@task
def refresh_statistics() -> dict[str, int]:
    state = cube.rebuild()
    views = snapshots.refresh_main_views() if snapshots.max_age() > 0 else 0
    log.info("statistics refreshed: cube of %s rows, %s main views", state.rows, views)
    return {"cube_rows": state.rows, "screenings": state.screenings, "main_views": views}


@scheduled(
    "exports-purge",
    when="hourly",
    summary="deletes exports not downloaded in 7 days; fails exports no worker finished",
)
@task
def purge_exports() -> int:
    return jobs.purge_expired()
