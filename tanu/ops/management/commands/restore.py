"""`tanu restore FILE`: load an encrypted backup into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tanu.audit.actions import verify_chain
from tanu.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `tanu backup` into an empty, freshly migrated database "
        "(refused otherwise: a restore never overwrites data)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_backup(options["file"], progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for label, count in sorted(manifest.models.items()):
            if count:
                self.stdout.write(f"  {label}: {count}")
        restored = (
            f"restored {sum(manifest.models.values())} rows and "
            f"{len(manifest.documents)} documents from {options['file']}"
        )
        problem = verify_chain()
        if problem is not None:
            raise CommandError(
                f"{restored}, but the audit chain does not verify (entry {problem.seq}: "
                f"{problem.message}). Are TANU_AUDIT_KEY and TANU_AUDIT_RETIRED_KEYS the same as "
                "where the backup was made?"
            )
        self.stdout.write("audit chain intact")
        self.stdout.write(self.style.SUCCESS(restored))
