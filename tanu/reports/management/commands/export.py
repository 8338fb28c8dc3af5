"""`tanu export anonymised --k 11 --output FILE.csv`: the k-anonymous microdata and its
`FILE.csv.meta.json`. The exports asked for on the statistics pages run as tasks
(tanu.reports.jobs; `tanu worker`)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tanu.accounts.models import Region
from tanu.audit.actions import record
from tanu.audit.models import Action, ObjectType
from tanu.reports import anonymise


class Command(BaseCommand):
    help = (
        "Exports: `tanu export anonymised --k 11 --output FILE.csv` writes k-anonymous microdata "
        "(HTCDS v2 field names; k at least 11) and FILE.csv.meta.json (with the l-diversity of "
        "the outcome in each class)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        anon = sub.add_parser("anonymised", help="write k-anonymous microdata as CSV")
        anon.add_argument("--k", type=int, default=anonymise.DEFAULT_K)
        anon.add_argument("--output", required=True, help="the CSV file to write")
        anon.add_argument(
            "--max-suppression",
            type=float,
            default=anonymise.DEFAULT_MAX_SUPPRESSION,
            help="share of rows that may be left out before generalising further (default 0.05)",
        )
        anon.add_argument("--region", default="", help="ISO 3166-2 code of one region")

    def handle(self, *args: Any, **options: Any) -> None:
        self._anonymised(options)

    def _anonymised(self, options: dict[str, Any]) -> None:
        k = options["k"]
        if k < anonymise.MIN_K:
            raise CommandError(
                _(
                    "k must be at least %(min)s: smaller groups could single out a person. "
                    "Nothing was exported."
                )
                % {"min": anonymise.MIN_K}
            )
        if k > 1000:
            raise CommandError(_("k must be at most %(max)s.") % {"max": 1000})
        if not 0 <= options["max_suppression"] <= 1:
            raise CommandError("--max-suppression must be between 0 and 1")
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"no region {options['region']!r}")
        output = Path(options["output"])
        meta_path = output.with_name(output.name + ".meta.json")
        last = {"line": ""}

        def progress(stage: str, done: int, expected: int) -> None:
            line = f"{stage}: {done} of {expected} rows"
            if line != last["line"]:
                last["line"] = line
                self.stdout.write(line)

        output.parent.mkdir(parents=True, exist_ok=True)
        # Write next to the target, then rename: a half-written file never looks finished.
        handle, temporary = tempfile.mkstemp(
            dir=output.parent, prefix=".tanu-export-", suffix=".csv"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                result = anonymise.export(
                    stream,
                    k=k,
                    max_suppression=options["max_suppression"],
                    region_id=region.pk if region else None,
                    scope=region.code if region else "KZ",
                    progress=progress,
                )
            os.chmod(temporary, 0o600)
            os.replace(temporary, output)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        meta_path.write_text(json.dumps(result.meta, ensure_ascii=False, indent=2) + "\n")
        os.chmod(meta_path, 0o600)
        record(
            Action.EXPORT,
            actor=None,
            actor_username="cli",
            object_type=ObjectType.EXPORT,
            object_id="anonymised",
            fields=list(anonymise.COLUMNS),
            reason=f"tanu export anonymised --k {k} ({result.written} rows)",
        )
        plan = result.plan
        levels = ", ".join(f"{name}={plan.levels[name]}" for name in anonymise.QUASI_IDENTIFIERS)
        self.stdout.write(
            self.style.SUCCESS(
                f"wrote {result.written} rows to {output} (k={k}; {plan.rows_suppressed} of "
                f"{plan.input_rows} rows suppressed; levels {levels}); metadata in {meta_path}"
            )
        )
        if result.written == 0:
            sys.stderr.write(
                "warning: no row has k or more like it; the file holds only the header\n"
            )
