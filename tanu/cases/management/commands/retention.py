"""`tanu retention apply [--dry-run]`: anonymise closed cases and delete abandoned draft
screenings whose retention period is over (settings.TANU_RETENTION_DAYS)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tanu.cases.retention import apply_retention, retention_days


class Command(BaseCommand):
    help = (
        "Retention: `tanu retention apply` anonymises closed cases and deletes abandoned draft "
        "screenings past their retention period; --dry-run only lists them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        apply = sub.add_parser("apply", help="apply the retention periods")
        apply.add_argument(
            "--dry-run", action="store_true", help="say what would be done, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        self.stdout.write(
            f"retention: closed cases {retention_days('closed_case')} days after closing, "
            f"draft screenings {retention_days('draft_screening')} days after the last change"
            + (" (dry run: nothing will change)" if dry_run else "")
        )
        result = apply_retention(dry_run=dry_run, progress=self.stdout.write)
        if result.dry_run:
            self.stdout.write(
                f"dry run: {len(result.cases)} cases would be anonymised and "
                f"{len(result.screenings)} draft screenings deleted; nothing was changed"
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(result.cases)} cases anonymised, "
                f"{len(result.screenings)} draft screenings deleted"
            )
        )
        if result.kept_screenings:
            self.stdout.write(
                f"{len(result.kept_screenings)} draft screenings kept because other records "
                f"use them: {', '.join(result.kept_screenings)}"
            )
