"""Background work: tasks of django-tasks (the interface Django 6 builds in), one queue for all.

Each app keeps its tasks in ``tasks.py`` (or beside the code they run, for the ones the pages
start: exports, the statistics cube, the statistics snapshots). Which backend runs them is a
setting (``TANU_TASKS_BACKEND``): the database by default, run by ``tanu worker``.

Work that runs at fixed times is a *named* task (:func:`scheduled`): cron runs it with
``tanu tasks run NAME``, which puts it on the queue (``tanu tasks list`` names them all and says
how often to run each)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks import TaskResultStatus, task
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task
from django_tasks.utils import normalize_json
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

#: Finished task results kept in the database queue this long (for an administrator's eyes).
KEEP_RESULTS = timedelta(days=7)


@dataclass(frozen=True)
class Named:
    """A task run at fixed times: its name for ``tanu tasks run``, how often, and what it does."""

    name: str
    task: Task[..., Any]
    when: str
    summary: str


_NAMED: dict[str, Named] = {}


def scheduled(name: str, *, when: str, summary: str) -> Callable[[Task[..., Any]], Task[..., Any]]:
    """Register a task (taking no arguments) under a name cron can run."""

    def register(registered: Task[..., Any]) -> Task[..., Any]:
        _NAMED[name] = Named(name=name, task=registered, when=when, summary=summary)
        return registered

    return register


def named_tasks() -> dict[str, Named]:
    """Every named task of every app, by name."""
    autodiscover_modules("tasks")
    return dict(sorted(_NAMED.items()))


def enqueue_once(job: Task[..., Any], *args: Any, within: timedelta) -> bool:
    """Put the task on the queue unless the same task with the same arguments already waits or
    runs there (one enqueued longer than ``within`` ago is taken to be lost). True when this
    call enqueued it.

    The database queue is asked directly; other queues (Redis) are guarded by the cache for
    ``within``. Two processes asking in the same instant may both enqueue it: the tasks that use
    this are safe to run twice."""
    backend = job.get_backend()
    if isinstance(backend, DatabaseBackend):
        wanted = normalize_json({"args": list(args), "kwargs": {}})
        pending = DBTaskResult.objects.filter(
            task_path=job.module_path,
            backend_name=backend.alias,
            status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING),
            enqueued_at__gte=timezone.now() - within,
        ).values_list("args_kwargs", flat=True)
        if any(found == wanted for found in pending):
            return False
    elif not isinstance(backend, ImmediateBackend):
        text = json.dumps([job.module_path, normalize_json(list(args))], sort_keys=True)
        key = "tanu-task:" + hashlib.sha256(text.encode()).hexdigest()
        if not cache.add(key, 1, timeout=int(within.total_seconds())):
            return False
    job.enqueue(*args)
    return True


@scheduled(
    "tasks-prune",
    when="daily",
    summary="forgets the finished tasks of the database queue older than 7 days",
)
@task
def prune_task_results() -> int:
    """Forget finished results of the database queue older than :data:`KEEP_RESULTS`."""
    deleted, _by_model = (
        DBTaskResult.objects.finished()
        .filter(finished_at__lt=timezone.now() - KEEP_RESULTS)
        .delete()
    )
    return int(deleted)
