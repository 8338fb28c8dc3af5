from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tanu.referrals.actions import do_send_overdue_alerts


class Command(BaseCommand):
    help = "Referral follow-up: `tanu referrals remind` alerts both agencies of overdue referrals."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("remind", help="send the overdue alerts (run daily)")

    def handle(self, *args: Any, **options: Any) -> None:
        sent = do_send_overdue_alerts()
        self.stdout.write(f"overdue alerts sent for {sent} referrals")
