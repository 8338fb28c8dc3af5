"""The `tanu` console script: Django's manage.py with the project's settings preset."""

from __future__ import annotations

import os
import sys

# Commands that only build files from the source tree: they sign nothing and serve nothing, so
# they may run without production secrets (a developer's `tanu makemigrations --check`).
BUILD_COMMANDS = frozenset({"makemigrations", "makemessages", "i18n"})


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tanu.settings")
    if args and args[0] in BUILD_COMMANDS:
        os.environ["TANU_BUILD_COMMAND"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tanu", *args])


if __name__ == "__main__":
    main()
