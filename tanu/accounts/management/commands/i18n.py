from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def catalogues() -> list[Path]:
    return sorted(Path(settings.BASE_DIR / "locale").glob("*/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = (
        "Translations: `tanu i18n compile` builds the .mo files from the committed .po files; "
        "`tanu i18n check` fails on untranslated or fuzzy entries."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("compile", help="compile every .po catalogue to .mo")
        sub.add_parser("check", help="report untranslated and fuzzy entries")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "compile":
            for po_path in catalogues():
                po = polib.pofile(str(po_path))
                po.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"compiled {po_path.parent.parent.name}: {len(po)} entries")
            return
        problems = 0
        for po_path in catalogues():
            po = polib.pofile(str(po_path))
            lang = po_path.parent.parent.name
            for entry in po.untranslated_entries():
                problems += 1
                self.stdout.write(f"{lang}: untranslated: {entry.msgid[:70]!r}")
            for entry in po.fuzzy_entries():
                problems += 1
                self.stdout.write(f"{lang}: fuzzy: {entry.msgid[:70]!r}")
        if problems:
            raise CommandError(f"{problems} untranslated or fuzzy entries")
        self.stdout.write("all catalogues complete")
