"""`tanu persons import FILE --agency ID [--dry-run]` and
`tanu persons duplicates [--threshold P] [--format csv|json] [--output FILE]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Import legacy registers of persons, and list likely duplicates."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        imports = commands.add_parser(
            "import", help="Import a register (.csv or .xlsx) into persons and cases of an agency."
        )
        imports.add_argument("file", help="the register, .csv or .xlsx")
        imports.add_argument("--agency", type=int, required=True, help="the agency's id")
        imports.add_argument(
            "--dry-run", action="store_true", help="check every row and write nothing"
        )
        imports.add_argument(
            "--by",
            default="",
            help="username of the agency's case worker or coordinator the import is recorded "
            "under (without it, the audit trail names this command)",
        )
        duplicates = commands.add_parser("duplicates", help="Write the likely duplicate pairs.")
        duplicates.add_argument(
            "--threshold", type=float, default=None, help="lowest match probability (0 to 1)"
        )
        duplicates.add_argument("--format", choices=("csv", "json"), default="csv")
        duplicates.add_argument("--output", default="-", help="a file, or - for the terminal")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "import":
            from tanu.registers.commands import run_import

            run_import(options, stdout=self.stdout, stderr=self.stderr)
        elif options["command"] == "duplicates":
            from tanu.linkage.commands import run_duplicates

            run_duplicates(options, stdout=self.stdout, stderr=self.stderr)
        else:  # pragma: no cover - argparse allows only the two
            raise CommandError(f"unknown command {options['command']}")
