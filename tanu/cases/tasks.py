"""The cases' named tasks (cron: ``tanu tasks run NAME``; tanu.lib.tasks)."""

from __future__ import annotations

from django_tasks import task

from tanu.cases.reminders import send_reflection_reminders
from tanu.cases.retention import apply_retention
from tanu.lib.tasks import scheduled


@scheduled(
    "cases-remind",
    when="daily",
    summary="emails the owners of cases whose reflection period ends soon",
)
@task
def remind_reflection_periods() -> dict[str, int]:
    run = send_reflection_reminders()
    return {"cases": len(run.sent), "emails": run.emails, "failed": len(run.failed)}


@scheduled(
    "retention-apply",
    when="daily",
    summary="anonymises closed cases past their retention period, deletes old drafts",
)
@task
def apply_retention_periods() -> dict[str, int]:
    result = apply_retention()
    return {"cases": len(result.cases), "screenings": len(result.screenings)}
