"""`tanu createadmin`: an administrator from the server's shell, without a terminal."""

from __future__ import annotations

import getpass
import sys
from typing import Any, TextIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from tanu.accounts import actions
from tanu.accounts.access import password_link


class Command(BaseCommand):
    help = (
        "Create an administrator (the first one, or one more). The password is read from "
        "standard input with --password-stdin (one line); without it, a one-time link to set "
        "the password is printed. The administrator sets up two-factor authentication at the "
        "first sign-in. Refused if the username exists."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True, help="the administrator's username")
        parser.add_argument("--email", required=True, help="the administrator's email address")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Messages in one language (English, as Django's own commands), whatever TANU_DEFAULT_LANGUAGE.
        with translation.override(None):
            password = self._password(options) if options["password_stdin"] else None
            try:
                user = actions.do_create_administrator(
                    options["username"], options["email"], password=password
                )
            except actions.AccountError as exc:
                raise CommandError(str(exc)) from exc
            except ValidationError as exc:  # the password validators
                raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Administrator {user.get_username()} created.")
        if password is None:
            link = settings.TANU_SITE_URL.rstrip("/") + password_link(user)
            days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
            self.stdout.write(
                "The account has no password yet. Give this link to its holder; it sets the "
                f"password once, within {days} days, and is not shown again:\n{link}"
            )
        self.stdout.write(
            "At the first sign-in the administrator sets up two-factor authentication."
        )

    def _password(self, options: dict[str, Any]) -> str:
        stdin: TextIO = options.get("stdin") or sys.stdin
        if stdin.isatty():
            password = getpass.getpass("Password: ")
        else:
            password = stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("--password-stdin: standard input gave no password.")
        return password
