"""The referrals' named tasks (cron: ``tanu tasks run NAME``; tanu.lib.tasks)."""

from __future__ import annotations

from django_tasks import task

from tanu.lib.tasks import scheduled
from tanu.referrals.actions import do_send_overdue_alerts


@scheduled(
    "referrals-remind",
    when="daily",
    summary="alerts both agencies of referrals past their due date",
)
@task
def remind_overdue_referrals() -> int:
    return do_send_overdue_alerts()
