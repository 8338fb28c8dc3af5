from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

# Each app's demo loader, in the order of the data flow. Each returns the lines it wants printed.
DEMO_LOADERS = [
    "tanu.accounts.demo.load",
    "tanu.referrals.demo.load",
    "tanu.identification.demo.load",
    "tanu.cases.demo.load",
]


class Command(BaseCommand):
    help = (
        "Demo data: `tanu demo load` creates the demo agencies, users and records (demo mode only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="create or refresh the demo data (idempotent)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("Refused: demo data can only be loaded in demo mode (TANU_DEMO=1).")
        if options["action"] == "load":
            usernames: list[str] = []
            for dotted in DEMO_LOADERS:
                app = dotted.split(".")[1]
                self.stdout.write(f"loading {app} ...")
                result = list(import_string(dotted)())
                if app == "accounts":
                    usernames = result
                else:
                    for line in result:
                        self.stdout.write(f"  {line}")
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
            self.stdout.write("Demo logins (password for all: tanu-demo):")
            for name in usernames:
                self.stdout.write(f"  {name}")
