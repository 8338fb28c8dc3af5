"""The audit trail's named tasks (cron: ``tanu tasks run NAME``; tanu.lib.tasks)."""

from __future__ import annotations

from django_tasks import task

from tanu.audit.anchors import write_anchor
from tanu.lib.tasks import scheduled


@scheduled(
    "audit-anchor",
    when="hourly",
    summary="appends the audit chain's head, signed, to the anchor file outside the database",
)
@task
def anchor_audit_chain() -> int:
    """Write an anchor; returns the sequence number anchored. Fails (the task's result says
    so) when the anchor file is not authentic or cannot be written."""
    return write_anchor().seq
