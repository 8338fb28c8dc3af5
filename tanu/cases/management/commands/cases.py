"""`tanu cases remind`: email reminders of reflection periods about to end (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tanu.cases.reminders import reminder_days, send_reflection_reminders


class Command(BaseCommand):
    help = (
        "Case tools: `tanu cases remind` emails the agency owning a case when its reflection "
        "period ends within TANU_REFLECTION_REMINDER_DAYS days (at most once a day per case)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("remind", help="send the reflection-period reminders due today")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "remind":
            self.stdout.write(
                f"reminding of reflection periods ending within {reminder_days()} days"
            )
            run = send_reflection_reminders(progress=self.stdout.write)
            summary = f"{len(run.sent)} cases reminded, {run.emails} emails sent"
            if run.failed:
                raise CommandError(
                    f"{summary}; sending failed for {len(run.failed)} cases "
                    f"({', '.join(run.failed)}): they are tried again on the next run"
                )
            self.stdout.write(self.style.SUCCESS(summary))
