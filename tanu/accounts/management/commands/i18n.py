from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tanu.lib.i18n_check import all_problems


def catalogues() -> list[Path]:
    return sorted(Path(settings.BASE_DIR / "locale").glob("*/LC_MESSAGES/*.po"))


# The texts kept beside the catalogues, as {"kk", "ru", "en"} objects in JSON files.
TEXT_FILES = (
    "identification/checklists/*.json",
    "training/data/*.json",
    "training/scenarios/*.json",
)


def text_files() -> list[Path]:
    """The checklists, the triage, the test questions and the training scenarios, read as data
    (accounts sits below identification and training in the floors: it imports neither)."""
    base = Path(settings.BASE_DIR)
    return sorted(path for pattern in TEXT_FILES for path in base.glob(pattern))


class Command(BaseCommand):
    help = (
        "Translations: `tanu i18n compile` builds the .mo files from the committed .po files; "
        "`tanu i18n check` fails on untranslated or fuzzy entries, a glossary term translated "
        "otherwise (docs/glossary.md), mixed scripts, placeholder mismatches and msgfmt -c errors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("compile", help="compile every .po catalogue to .mo")
        sub.add_parser("check", help="report every translation problem (see docs/glossary.md)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "compile":
            for po_path in catalogues():
                po = polib.pofile(str(po_path))
                po.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"compiled {po_path.parent.parent.name}: {len(po)} entries")
            return
        glossary = Path(settings.BASE_DIR).parent / "docs" / "glossary.md"
        if not glossary.exists():
            raise CommandError(f"no glossary at {glossary}: the check runs from a source checkout")
        problems = 0
        for problem in all_problems(catalogues(), text_files(), glossary):
            problems += 1
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{problems} translation problems (see docs/glossary.md)")
        self.stdout.write("all catalogues and checklists pass")
