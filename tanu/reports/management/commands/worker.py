"""`tanu worker`: run the task queue (exports, statistics, reminders, retention, audit anchors).

The database queue's worker (django-tasks-db's ``db_worker``) under tanu's name, with every
option of it (``--batch`` runs what waits and stops; ``--interval``; ``--max-tasks``). Run one
or more beside the web server (``make run`` does; in production a systemd unit, see the
README). With TANU_TASKS_BACKEND=rq the queue lives in Redis and RQ's workers run it instead."""

from __future__ import annotations

from argparse import ArgumentParser

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker


class Command(DatabaseWorker):
    help = (
        "Runs the background tasks waiting in the database queue: exports, statistics, "
        "reminders, retention, audit anchors (`--batch`: run what waits, then stop)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # A stopped worker must stop: no reloading child left behind (even with TANU_DEBUG).
        parser.set_defaults(reload=False)
