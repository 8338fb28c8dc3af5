"""`tanu backup FILE`: one encrypted file with the whole database and the documents.

`tanu backup verify FILE` reads a backup back as a restore would, writing nothing: it decrypts
it, unpacks the whole archive, checks the data and every document against the manifest's hashes
and the rows against its counts, prints a short report and exits 0 (good) or 1 (unusable)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tanu.ops.backup import ENV_BACKUP_KEY, BackupError, create_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Write an encrypted backup (database and documents) to FILE. The key is "
        f"{ENV_BACKUP_KEY} when set, else derived from the active field key; see tanu.ops.backup. "
        "`tanu backup verify FILE` reads a backup back and checks it (exit 0 or 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="+",
            metavar="FILE | verify FILE",
            help="the backup file to create (must not exist), or `verify` and a backup to check",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        words: list[str] = options["file"]
        if len(words) == 2 and words[0] == "verify":
            self._verify(Path(words[1]))
            return
        if len(words) != 1:
            raise CommandError("Usage: tanu backup FILE, or tanu backup verify FILE.")
        target = Path(words[0])
        try:
            manifest = create_backup(target, progress=self.stdout.write)
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
        self.stdout.write(self.style.SUCCESS(f"backup written to {target}"))

    def _verify(self, path: Path) -> None:
        result = verify_backup(path)
        self.stdout.write(f"backup {path} ({result.size / 1e6:.1f} MB)")
        manifest = result.manifest
        if manifest is not None:
            self.stdout.write(
                f"  made {manifest.created_at} by tanu {manifest.tanu_version} on "
                f"{manifest.database_vendor}, {len(manifest.migrations)} migrations"
            )
        if result.problem is not None:
            self.stderr.write(self.style.ERROR(f"  NOT USABLE: {result.problem}"))
            raise SystemExit(1)
        assert manifest is not None
        self.stdout.write(
            f"  decrypted, archive read whole, data and {len(manifest.documents)} documents "
            f"match their hashes; {result.rows} rows of {len(manifest.models)} models match "
            "the manifest"
        )
        if manifest.missing_documents:
            self.stdout.write(
                f"  note: {len(manifest.missing_documents)} documents had no file when it was made"
            )
        self.stdout.write(self.style.SUCCESS("backup verified"))
