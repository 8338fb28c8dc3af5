"""`tanu drill [--backup FILE]`: the monthly recovery drill, as one command.

It takes a backup (by default the newest in ``TANU_BACKUP_DIR``), reads it back whole (as
`tanu backup verify` does), then restores it into a scratch database, never the installation's:
by default a new SQLite file in a temporary folder, or the empty database named by
``--database-url``. The restore runs in a child process (`tanu drill --in-scratch`) whose
``TANU_DATABASE_URL`` and ``TANU_DATA_DIR`` point at the scratch database and a temporary folder,
with the installation's keys, so it goes through exactly the code of `tanu restore`. In the
scratch copy it then compares every model's row count with the manifest, verifies the audit chain
(`tanu audit verify`), and decrypts every stored value in its own row and field (`tanu keys
verify`) and every document. It prints a one-screen report and exits 0 when all is well, 1
otherwise. The scratch folder is removed afterwards; the installation is not touched.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tanu.ops.backup import BackupError, verify_backup

BACKUP_SUFFIX = ".tanu"
STALE_AFTER_HOURS = 48
RESULT_PREFIX = "DRILL-RESULT "


def newest_backup(folder: Path) -> Path:
    """The most recently written backup (``*.tanu``) in ``folder`` or its subfolders."""
    candidates = [
        path
        for path in Path(folder).rglob(f"*{BACKUP_SUFFIX}")
        if path.is_file() and not path.name.startswith(".")
    ]
    if not candidates:
        raise CommandError(
            f"No backup (*{BACKUP_SUFFIX}) in {folder} (TANU_BACKUP_DIR); name one with --backup."
        )
    return max(candidates, key=lambda path: (path.stat().st_mtime, path.name))


def _scratch_checks(path: Path) -> dict[str, Any]:
    """Inside the child process: migrate the scratch database, restore, check. Never raises."""
    from tanu.audit.actions import verify_chain
    from tanu.audit.models import AuditEntry
    from tanu.cases import documents
    from tanu.lib import crypto
    from tanu.ops.backup import restore_backup
    from tanu.ops.management.commands.keys import undecryptable_values

    result: dict[str, Any] = {"error": None}
    try:
        call_command("migrate", interactive=False, verbosity=0)
        from django.db import connection

        result["vendor"] = connection.vendor
        started = time.monotonic()
        manifest = restore_backup(path)
        result["restore_seconds"] = round(time.monotonic() - started, 1)
    except BackupError as exc:
        result["error"] = str(exc)
        return result
    from django.apps import apps

    # The restore writes one audit entry of its own ("restored the backup of ..."), after the
    # rows of the backup: it is not in the manifest.
    added_by_restore = {AuditEntry._meta.label: 1}
    mismatches = []
    for label, expected in sorted(manifest.models.items()):
        actual = apps.get_model(label)._base_manager.count()  # type: ignore[union-attr]
        actual -= added_by_restore.get(label, 0)
        if actual != expected:
            mismatches.append(f"{label}: {actual} restored, {expected} in the manifest")
    result["rows"] = sum(manifest.models.values())
    result["models"] = len(manifest.models)
    result["count_mismatches"] = mismatches
    problem = verify_chain()
    result["audit_entries"] = AuditEntry.objects.count()
    result["chain_problem"] = None if problem is None else f"entry {problem.seq}: {problem.message}"
    result["value_failures"] = [failure.where for failure in undecryptable_values()]
    document_failures = []
    for name in sorted(manifest.documents):
        try:
            documents.read(name)
        except (OSError, UnicodeDecodeError, crypto.DecryptionError):
            document_failures.append(name)
    result["documents"] = len(manifest.documents)
    result["document_failures"] = document_failures
    return result


class Command(BaseCommand):
    help = (
        "The recovery drill: restore a backup (default: the newest in TANU_BACKUP_DIR) into a "
        "scratch database, compare row counts with its manifest, verify the audit chain and "
        "decrypt every value and document; one-screen report, exit 0 when all is well."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backup", type=Path, help="the backup to drill (default: newest)")
        parser.add_argument(
            "--database-url",
            default="",
            help="an empty scratch database to restore into (default: a temporary SQLite file); "
            "never the installation's",
        )
        parser.add_argument("--in-scratch", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["in_scratch"]:
            result = _scratch_checks(options["backup"])
            self.stdout.write(RESULT_PREFIX + json.dumps(result))
            return
        path: Path = options["backup"] or newest_backup(Path(settings.TANU_BACKUP_DIR))
        url: str = options["database_url"]
        if url and url == os.environ.get("TANU_DATABASE_URL", ""):
            raise CommandError(
                "--database-url names the installation's database; give a scratch one."
            )
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        failures: list[str] = []
        write = self.stdout.write
        write(f"tanu drill: recovery check of {path}")
        age_hours = (time.time() - path.stat().st_mtime) / 3600
        checked = verify_backup(path)
        manifest = checked.manifest
        if manifest is not None:
            write(
                f"  backup       made {manifest.created_at[:19]}Z by tanu {manifest.tanu_version} "
                f"on {manifest.database_vendor}, {checked.size / 1e6:.1f} MB, "
                f"{age_hours / 24:.1f} days old"
            )
        if age_hours > STALE_AFTER_HOURS:
            write(
                f"  warning      the newest backup is older than {STALE_AFTER_HOURS} hours: "
                "is the backup timer running?"
            )
        if not checked.ok:
            failures.append(f"the backup does not read back: {checked.problem}")
        else:
            write("  read back    decrypted whole; data and documents match the manifest's hashes")
            result = self._restore_in_scratch(path, url)
            failures.extend(self._report(result, url))
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        if failures:
            for failure in failures:
                self.stderr.write(self.style.ERROR(f"  FAILED       {failure}"))
            self.stderr.write(
                self.style.ERROR(f"drill failed ({stamp}): this backup is not a recovery")
            )
            raise SystemExit(1)
        write(self.style.SUCCESS(f"drill passed ({stamp}): this backup restores whole"))

    def _restore_in_scratch(self, path: Path, url: str) -> dict[str, Any]:
        with tempfile.TemporaryDirectory(prefix="tanu-drill-") as scratch:
            folder = Path(scratch)
            env = dict(os.environ)
            env.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE or "tanu.settings")
            env["TANU_DATA_DIR"] = str(folder / "data")
            env["TANU_DATABASE_URL"] = url or f"sqlite:///{folder / 'drill.sqlite3'}"
            env["TANU_AUDIT_ANCHOR_FILE"] = str(folder / "data" / "audit-anchors.log")
            env["TANU_BACKUP_DIR"] = str(folder / "backups")
            (folder / "data").mkdir()
            completed = subprocess.run(  # noqa: S603 (our own interpreter and command)
                [sys.executable, "-m", "tanu", "drill", "--in-scratch", "--backup", str(path)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        for line in completed.stdout.splitlines():
            if line.startswith(RESULT_PREFIX):
                parsed: dict[str, Any] = json.loads(line.removeprefix(RESULT_PREFIX))
                return parsed
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-3:]
        return {"error": "the scratch restore stopped: " + " / ".join(tail)}

    def _report(self, result: dict[str, Any], url: str) -> list[str]:
        write = self.stdout.write
        if result.get("error"):
            return [f"restore into the scratch database: {result['error']}"]
        failures = []
        where = "the scratch database" if url else "a scratch SQLite database"
        write(
            f"  restore      into {where} ({result.get('vendor')}): {result['rows']} rows of "
            f"{result['models']} models, {result['documents']} documents, "
            f"{result.get('restore_seconds')} s"
        )
        if result["count_mismatches"]:
            failures.append("row counts differ: " + "; ".join(result["count_mismatches"][:5]))
        else:
            write(f"  row counts   all {result['models']} models match the manifest")
        if result["chain_problem"]:
            failures.append(f"the audit chain does not verify ({result['chain_problem']})")
        else:
            write(f"  audit chain  intact ({result['audit_entries']} entries)")
        values, docs = result["value_failures"], result["document_failures"]
        if values:
            failures.append(
                f"{len(values)} stored values do not decrypt (first: {', '.join(values[:3])})"
            )
        if docs:
            failures.append(f"{len(docs)} documents do not decrypt (first: {', '.join(docs[:3])})")
        if not values and not docs:
            write(
                f"  decryption   every stored value and all {result['documents']} documents "
                "decrypt with the keys of this installation"
            )
        return failures
