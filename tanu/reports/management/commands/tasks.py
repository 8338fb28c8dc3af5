"""`tanu tasks list`: the named tasks and how often to run them; `tanu tasks run NAME`: put one
on the task queue (what cron does), or with `--here` run it in this process."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import TaskResultStatus

from tanu.lib.tasks import named_tasks


class Command(BaseCommand):
    help = (
        "Named background tasks: `tanu tasks list` names them with how often to run them; "
        "`tanu tasks run NAME` puts one on the task queue (run it from cron), `--here` runs it "
        "in this process."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="the named tasks and how often to run each")
        run = sub.add_parser("run", help="put a named task on the queue (or run it --here)")
        run.add_argument("name", help="the task's name, as `tanu tasks list` gives it")
        run.add_argument(
            "--here", action="store_true", help="run it in this process, not on the queue"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        named = named_tasks()
        if options["action"] == "list":
            width = max(len(name) for name in named)
            for each in named.values():
                self.stdout.write(f"{each.name:<{width}}  {each.when:<6}  {each.summary}")
            return
        entry = named.get(options["name"])
        if entry is None:
            raise CommandError(
                f"no task named {options['name']!r}; the named tasks: {', '.join(named)}"
            )
        if options["here"]:
            value = entry.task.call()
            self.stdout.write(f"{entry.name}: done: {json.dumps(value)}")
            return
        result = entry.task.enqueue()
        if result.status == TaskResultStatus.FAILED:
            raise CommandError(f"{entry.name}: failed (task {result.id})")
        if result.status == TaskResultStatus.SUCCESSFUL:
            self.stdout.write(f"{entry.name}: done: {json.dumps(result.return_value)}")
            return
        self.stdout.write(f"{entry.name}: on the queue as task {result.id}")
