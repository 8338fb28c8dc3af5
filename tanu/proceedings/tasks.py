"""The proceedings' named tasks (cron: ``tanu tasks run NAME``; tanu.lib.tasks)."""

from __future__ import annotations

from django_tasks import task

from tanu.lib.tasks import scheduled
from tanu.proceedings.reminders import send_hearing_reminders


@scheduled(
    "hearings-remind",
    when="daily",
    summary="emails the case workers of cases with a court hearing soon",
)
@task
def remind_hearings() -> dict[str, int]:
    run = send_hearing_reminders()
    return {"hearings": len(run.sent), "emails": run.emails, "failed": len(run.failed)}
