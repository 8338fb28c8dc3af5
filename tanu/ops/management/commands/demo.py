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
    "tanu.referrals.demo.load_canary",
    "tanu.proceedings.demo.load",
    "tanu.monitoring.demo.load",
    "tanu.training.demo.load",
]


class Command(BaseCommand):
    help = (
        "Demo data: `tanu demo load` creates the demo agencies, users and records; "
        "`tanu demo synth --screenings N` adds N synthetic screenings with their cases, "
        "referrals, visits and criminal proceedings, for benchmarks (demo mode only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="create or refresh the demo data (idempotent)")
        synth = sub.add_parser(
            "synth",
            help="add synthetic screenings, cases, referrals and visits in bulk (see tanu.ops.synthetic)",
        )
        synth.add_argument("--screenings", type=int, required=True, help="how many screenings")
        synth.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
        synth.add_argument(
            "--batch", type=int, default=5000, help="screenings per transaction (default 5000)"
        )
        synth.add_argument(
            "--method",
            choices=["auto", "copy", "bulk"],
            default="auto",
            help="COPY (PostgreSQL) or bulk_create; auto picks COPY on PostgreSQL",
        )
        synth.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes generating batches (default: one per core on PostgreSQL from 20,000)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("Refused: demo data can only be loaded in demo mode (TANU_DEMO=1).")
        if options["action"] == "synth":
            self._synth(options)
            return
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

    def _synth(self, options: dict[str, Any]) -> None:
        from tanu.ops.synthetic.synth import synthesise

        if options["screenings"] < 1:
            raise CommandError("--screenings must be at least 1.")

        def out(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        try:
            report = synthesise(
                options["screenings"],
                seed=options["seed"],
                batch=options["batch"],
                method=options["method"],
                workers=options["workers"],
                out=out,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Synthetic data added: {report.rows_total:,} rows."))
