"""``tanu persons import FILE --agency ID [--dry-run] [--by USERNAME]``: a legacy register into
persons and cases of one agency, from the command line.

Every row is checked first (progress every thousand rows); the problems are printed with row,
column and reason, and then nothing is written. The operator's import names no official: the
cases have no creator and the audit entry names the command; ``--by`` records it under a case
worker or coordinator of the agency instead. The figures printed (rows checked, rows written,
rows per second) are for the operator; no personal value is printed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, OutputWrapper

from tanu.accounts.models import Agency, User
from tanu.registers import actions
from tanu.registers.imports import LIMITS, RegisterFileError, check_file, too_large

#: Problems printed at most; the count of the others follows.
SHOWN_PROBLEMS = 200


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > LIMITS.max_bytes:
            raise CommandError(too_large())
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc


def run_import(options: dict[str, Any], *, stdout: OutputWrapper, stderr: OutputWrapper) -> None:
    agency = Agency.objects.select_related("region").filter(pk=options["agency"]).first()
    if agency is None:
        raise CommandError(
            f"There is no agency with id {options['agency']}: see /api/v1/agencies/ for the ids."
        )
    if not agency.is_active:
        raise CommandError(f"Agency {agency.pk} is deactivated: nothing is imported into it.")
    actor: User | None = None
    username = options.get("by") or ""
    if username:
        actor = User.objects.filter(username=username).first()
        if actor is None or not actions.access.may_import(actor, agency):
            raise CommandError(
                f"--by names an official the import is recorded under: {username} is not an "
                f"active case worker or coordinator of agency {agency.pk}."
            )
    data = _read(Path(options["file"]))

    started = time.monotonic()

    def checking(done: int) -> None:
        stdout.write(f"checked {done} rows")

    try:
        checked = check_file(data, agency, progress=checking)
    except RegisterFileError as exc:
        raise CommandError(str(exc)) from exc
    if not checked.ok:
        for problem in checked.problems[:SHOWN_PROBLEMS]:
            stderr.write(f"row {problem.row}, {problem.column}: {problem.message}")
        if len(checked.problems) > SHOWN_PROBLEMS:
            stderr.write(f"… and {len(checked.problems) - SHOWN_PROBLEMS} more problems")
        raise CommandError(
            f"{len(checked.problems)} problems in {checked.total} rows. Nothing was imported."
        )
    if options["dry_run"]:
        stdout.write(
            f"Dry run: {checked.total} rows are correct; {len(checked.rows)} would be imported, "
            f"{checked.already_imported} already imported. Nothing was written."
        )
        return
    writing = time.monotonic()

    def written(done: int) -> None:
        stdout.write(f"written {done} of {len(checked.rows)} rows")

    try:
        batch = actions.do_import_register(checked, agency=agency, actor=actor, progress=written)
    except actions.RegisterError as exc:
        raise CommandError(str(exc)) from exc
    finished = time.monotonic()
    rate = batch.created / (finished - writing) if batch.created else 0.0
    stdout.write(
        f"Imported {batch.created} persons and cases into agency {agency.pk}; "
        f"{batch.already_imported} already imported (left unchanged). Import {batch.pk}, "
        f"{finished - started:.1f} s, {rate:.0f} rows/s written."
    )
