from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tanu.audit.actions import verify_chain
from tanu.audit.anchors import AnchorError, anchor_file, read_anchors, write_anchor
from tanu.audit.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Audit trail tools: `tanu audit verify` checks the hash chain (against the newest anchor, "
        "if any); `tanu audit anchor` writes the chain's head to the anchor file (run it hourly)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "verify",
            help="check that no entry was edited, deleted or reordered, nor any anchored one cut",
        )
        sub.add_parser(
            "anchor",
            help="append the chain's head, with an HMAC under TANU_AUDIT_KEY, to the anchor file",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            self.anchor()
        else:
            self.verify()

    def anchor(self) -> None:
        try:
            anchor = write_anchor()
        except AnchorError as exc:
            raise CommandError(f"Refused: {exc}") from None
        except OSError as exc:
            raise CommandError(f"cannot write the anchor file {anchor_file()}: {exc}") from None
        self.stdout.write(f"anchored entry {anchor.seq} in {anchor_file()}")

    def verify(self) -> None:
        try:
            anchors = read_anchors()
        except AnchorError as exc:
            raise CommandError(f"audit anchors not trusted: {exc}") from None
        total = AuditEntry.objects.count()
        problem = verify_chain(anchors=anchors or ())
        if problem is not None:
            raise CommandError(f"audit chain broken at entry {problem.seq}: {problem.message}")
        self.stdout.write(f"audit chain intact: {total} entries")
        if anchors:
            newest = anchors[-1]
            self.stdout.write(
                f"checked against {len(anchors)} anchors; the newest covers entry {newest.seq} "
                f"({newest.at.isoformat(timespec='seconds')})"
            )
        else:
            self.stdout.write(f"no anchor found ({anchor_file()}): checked the chain alone")
