"""`tanu services import FILE` and `tanu services export [FILE]`: the service directory as CSV.

An import checks every row first; with any bad row nothing is imported, the problems are printed
one per line (row, column, message) and the command exits with status 1."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tanu.referrals import directory
from tanu.referrals.models import Service


class Command(BaseCommand):
    help = (
        "The service directory as CSV: `tanu services import FILE`, `tanu services export [FILE]`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="create or update services from a CSV file")
        imp.add_argument("file", help="the CSV file (UTF-8), or - for standard input")
        exp = sub.add_parser("export", help="write the directory as CSV")
        exp.add_argument("file", nargs="?", default="-", help="the file to write (default: stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self.do_import(options["file"])
        else:
            self.do_export(options["file"])

    def do_export(self, target: str) -> None:
        qs = Service.objects.select_related("region").order_by("region__code", "name_en")
        text = directory.export_services_csv(qs)
        if target == "-":
            self.stdout.write(text, ending="")
            return
        Path(target).write_text(text, encoding="utf-8", newline="")
        self.stderr.write(f"{qs.count()} services written to {target}")

    def do_import(self, source: str) -> None:
        try:
            if source == "-":
                data = sys.stdin.buffer.read(directory.MAX_BYTES + 1)
            else:
                with Path(source).open("rb") as handle:
                    data = handle.read(directory.MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"cannot read {source}: {exc.strerror}") from exc
        try:
            text = directory.decode_csv_bytes(data)
            result = directory.import_services_csv(
                text,
                actor=None,
                actor_username=directory.IMPORT_ACTOR_NAME,
                progress=self.stdout.write,
            )
        except directory.ServiceImportError as exc:
            raise CommandError(str(exc)) from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"row {error.row}, {error.column or '-'}: {error.message}")
            raise CommandError(
                f"{len(result.errors)} problem(s) in {source}: nothing was imported.", returncode=1
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} rows: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
        )
