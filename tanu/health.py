"""What ``/healthz`` reports: the database, the task queue and the newest audit anchor.

Cheap (one ``SELECT 1``, one indexed query for the oldest waiting task, two small file reads)
and free of personal data: states, times and ages in seconds, never a name, a query or an
error's text (which may carry a host or an account). The answer is 200 while the database
answers, 503 when it does not: a load balancer takes a web server out only when it cannot serve.
A late worker or an old anchor is told in the body (``"status": "degraded"``) for monitoring.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from tanu.audit.anchors import anchor_file
from tanu.lib import heartbeat

#: A waiting task older than this many seconds means the queue does not move.
TASK_STALE_AFTER = 15 * 60
#: `tanu audit anchor` runs hourly: an anchor older than this means it stopped.
ANCHOR_STALE_AFTER = 2 * 60 * 60

OK = "ok"
STALE = "stale"
UNKNOWN = "unknown"
FAILED = "fail"


def _age(since: datetime | None) -> int | None:
    if since is None:
        return None
    return max(0, int((timezone.now() - since).total_seconds()))


def database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return {"status": FAILED, "error": type(exc).__name__}
    return {"status": OK}


def _oldest_waiting_task() -> datetime | None:
    from django_tasks_db.models import DBTaskResult, get_date_max

    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", "run_after")
        .first()
    )
    if oldest is None:
        return None
    enqueued_at, run_after = oldest
    return enqueued_at if run_after == get_date_max() else max(enqueued_at, run_after)


def task_queue() -> dict[str, Any]:
    """The database queue's worker heartbeat and oldest waiting task; other backends (RQ, or
    tasks run where they are asked for) are named only."""
    backend = getattr(settings, "TANU_TASKS_BACKEND", "database")
    if backend != "database":
        return {"status": UNKNOWN, "backend": backend}
    from django_tasks_db.models import DBTaskResult

    beat_age = heartbeat.age_seconds()
    oldest_age = _age(_oldest_waiting_task())
    # A worker busy with a long task does not beat until it is done: an old heartbeat counts
    # only while no task runs. A worker killed in a task leaves it "running"; the waiting tasks
    # that pile up behind it then tell.
    running = DBTaskResult.objects.running().count()
    stale = (
        beat_age is None
        or (beat_age > heartbeat.STALE_AFTER and not running)
        or (oldest_age is not None and oldest_age > TASK_STALE_AFTER)
    )
    return {
        "status": STALE if stale else OK,
        "backend": backend,
        "worker_heartbeat_age_seconds": None if beat_age is None else int(beat_age),
        "running_tasks": running,
        "oldest_waiting_task_age_seconds": oldest_age,
    }


def _last_line(path: os.PathLike[str], tail: int = 4096) -> str:
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - tail))
        lines = handle.read().decode("ascii", "replace").splitlines()
    return next((line.strip() for line in reversed(lines) if line.strip()), "")


def audit_anchor() -> dict[str, Any]:
    """The time of the anchor file's last line (not its HMAC: `tanu audit verify` checks that)."""
    try:
        line = _last_line(anchor_file())
    except FileNotFoundError:
        return {"status": UNKNOWN, "newest_at": None, "age_seconds": None}
    except OSError:
        return {"status": FAILED, "error": "unreadable"}
    parts = line.split(" ")
    try:
        at = datetime.fromisoformat(parts[3]) if len(parts) == 5 else None
    except ValueError:
        at = None
    if at is None:
        return {"status": FAILED, "error": "malformed"}
    age = _age(at)
    return {
        "status": STALE if age is not None and age > ANCHOR_STALE_AFTER else OK,
        "newest_at": at.astimezone(UTC).isoformat(timespec="seconds"),
        "age_seconds": age,
    }


def report() -> tuple[dict[str, Any], int]:
    """The health report and its HTTP status (503 when the database does not answer)."""
    checks: dict[str, Any] = {"database": database()}
    if checks["database"]["status"] != OK:
        checks["task_queue"] = {"status": UNKNOWN}
    else:
        try:
            checks["task_queue"] = task_queue()
        except DatabaseError as exc:
            checks["task_queue"] = {"status": FAILED, "error": type(exc).__name__}
    checks["audit_anchor"] = audit_anchor()
    if checks["database"]["status"] != OK:
        overall, status = FAILED, 503
    elif any(check["status"] in (STALE, FAILED) for check in checks.values()):
        overall, status = "degraded", 200
    else:
        overall, status = OK, 200
    failed = [name for name, check in checks.items() if check["status"] == FAILED]
    return {"status": overall, "failed": failed, "checks": checks}, status
