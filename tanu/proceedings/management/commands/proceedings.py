from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tanu.proceedings.reminders import send_hearing_reminders


class Command(BaseCommand):
    help = (
        "Criminal proceedings: `tanu proceedings remind` emails the case workers of cases with a "
        "court hearing in the next TANU_HEARING_REMINDER_DAYS days (once per hearing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("remind", help="send the hearing reminders (run daily)")

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_hearing_reminders(progress=lambda line: self.stdout.write(line))
        self.stdout.write(
            f"{len(run.sent)} hearings announced, {run.emails} emails sent, "
            f"{len(run.failed)} failed"
        )
