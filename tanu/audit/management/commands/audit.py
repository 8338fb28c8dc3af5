from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tanu.audit.actions import verify_chain
from tanu.audit.models import AuditEntry


class Command(BaseCommand):
    help = "Audit trail tools: `tanu audit verify` checks the hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="check that no entry was edited, deleted or reordered")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            total = AuditEntry.objects.count()
            problem = verify_chain()
            if problem is not None:
                raise CommandError(f"audit chain broken at entry {problem.seq}: {problem.message}")
            self.stdout.write(f"audit chain intact: {total} entries")
