"""`tanu backup FILE`: one encrypted file with the whole database and the documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tanu.ops.backup import ENV_BACKUP_KEY, BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write an encrypted backup (database and documents) to FILE. The key is "
        f"{ENV_BACKUP_KEY} when set, else derived from the active field key; see tanu.ops.backup."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file to create (must not exist)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = create_backup(options["file"], progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{sum(manifest.models.values())} rows of {len(manifest.models)} models and "
            f"{len(manifest.documents)} documents"
        )
        if manifest.missing_documents:
            self.stderr.write(
                f"{len(manifest.missing_documents)} documents listed in the database had no file: "
                + ", ".join(manifest.missing_documents)
            )
        self.stdout.write(self.style.SUCCESS(f"backup written to {options['file']}"))
