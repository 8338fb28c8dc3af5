"""`tanu stats refresh`: rebuild the statistics cube and compute the dashboard's main views
again (run it from cron, nightly or hourly); `tanu stats drop`: forget the cube and the stored
figures (the statistics then read the screenings until the next rebuild)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tanu.reports import cube, snapshots
from tanu.reports.filters import Filters
from tanu.reports.models import StatsSnapshot


class Command(BaseCommand):
    help = (
        "Statistics: `tanu stats refresh` rebuilds the statistics cube the dashboard reads "
        "and computes the main views' figures again (figures stay exact between rebuilds; "
        "run it nightly or hourly from cron); `tanu stats drop` removes the cube and the "
        "stored figures."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("refresh", help="rebuild the statistics cube and the main views")
        sub.add_parser("drop", help="remove the statistics cube and the stored figures")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "drop":
            cube.drop()
            StatsSnapshot.objects.all().delete()
            self.stdout.write("statistics cube and stored figures removed")
            return
        self.stdout.write("rebuilding the statistics cube ...")
        state = cube.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"statistics cube: {state.screenings} screenings in {state.rows} rows, "
                f"{state.duration_ms} ms"
            )
        )

        if snapshots.max_age() == 0:
            self.stdout.write("stored figures are switched off (TANU_STATS_MAX_AGE=0)")
            return

        def progress(done: int, count: int, filters: Filters, ms: int) -> None:
            where = filters.region_code or "all regions"
            self.stdout.write(f"main view {done}/{count} ({where}): {ms} ms")

        views = snapshots.refresh_main_views(progress)
        self.stdout.write(self.style.SUCCESS(f"main views computed again: {views}"))
