"""`tanu stats refresh`: rebuild the statistics cube (run it from cron, nightly or hourly);
`tanu stats drop`: forget it (the statistics then read the screenings until the next rebuild)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tanu.reports import cube


class Command(BaseCommand):
    help = (
        "Statistics: `tanu stats refresh` rebuilds the statistics cube the dashboard reads "
        "(figures stay exact between rebuilds; run it nightly or hourly from cron); "
        "`tanu stats drop` removes it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("refresh", help="rebuild the statistics cube")
        sub.add_parser("drop", help="remove the statistics cube")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "drop":
            cube.drop()
            self.stdout.write("statistics cube removed")
            return
        self.stdout.write("rebuilding the statistics cube ...")
        state = cube.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"statistics cube: {state.screenings} screenings in {state.rows} rows, "
                f"{state.duration_ms} ms"
            )
        )
