"""`tanu worker`: run the task queue (exports, statistics, reminders, retention, audit anchors).

The database queue's worker (django-tasks-db's ``db_worker``) under tanu's name, with every
option of it (``--batch`` runs what waits and stops; ``--interval``; ``--max-tasks``). Run one
or more beside the web server (``make run`` does; in production a systemd unit, see the
README). With TANU_TASKS_BACKEND=rq the queue lives in Redis and RQ's workers run it instead."""

from __future__ import annotations

import contextlib
import os
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tanu.lib import heartbeat


class BeatingWorker(Worker):
    """django-tasks-db's worker, touching the heartbeat file (tanu.lib.heartbeat) at each turn of
    its loop, at most every ``heartbeat.INTERVAL`` seconds, and before each task. The loop asks
    ``running`` at the top of every turn, whether it waits or works: that read beats."""

    _last_beat = float("-inf")

    def _beat(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last_beat >= heartbeat.INTERVAL:
            self._last_beat = now
            # A full or read-only disk shows in /healthz as an old heartbeat.
            with contextlib.suppress(OSError):
                heartbeat.beat()

    @property  # type: ignore[override]
    def running(self) -> bool:
        self._beat()
        return self._running

    @running.setter
    def running(self, value: bool) -> None:
        self._running = value

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self._beat(force=True)
        super().run_task(db_task_result)


class Command(DatabaseWorker):
    help = (
        "Runs the background tasks waiting in the database queue: exports, statistics, "
        "reminders, retention, audit anchors (`--batch`: run what waits, then stop)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # A stopped worker must stop: no reloading child left behind (even with TANU_DEBUG).
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        """db_worker's own handle, with the worker that beats."""
        self.configure_logging(options["verbosity"])
        batch: bool = options["batch"]
        reload: bool = options["reload"] and not batch
        queue_names = options["queue_name"].split(",")
        exclude = options["exclude_queues"]
        excluded_queue_names = exclude.split(",") if exclude else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = BeatingWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
