"""Named writes of register imports. Each runs in a transaction; the import's audit entry is
written by the cases action that opens the cases (tanu.cases.actions.do_open_imported_cases), in
the same transaction."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tanu.accounts.models import Agency, User
from tanu.cases import actions as case_actions
from tanu.lib import crypto
from tanu.registers import access
from tanu.registers.imports import CheckedFile, RegisterFileError, check_file
from tanu.registers.models import ImportBatch, ImportedRecord

#: A checked file waits this long for its confirmation; then the hourly purge forgets it.
KEEP_CHECKED = timedelta(hours=1)


class RegisterError(Exception):
    """An import that cannot be done; the message is for the user, in their language."""


def _refuse_outsiders(agency: Agency, actor: User) -> None:
    if not access.may_import(actor, agency):
        raise RegisterError(
            _("Only the agency's case workers and coordinators import its registers.")
        )


def do_keep_checked_file(
    data: bytes, checked: CheckedFile, *, agency: Agency, actor: User
) -> ImportBatch:
    """Keep a file that passed the check, encrypted, until its uploader confirms the import
    (at most :data:`KEEP_CHECKED`). Nothing is imported yet, so nothing is audited."""
    _refuse_outsiders(agency, actor)
    if not checked.ok:
        raise RegisterError(_("The file has problems; nothing was imported."))
    with transaction.atomic():
        ImportBatch.objects.filter(
            by=actor, status=ImportBatch.Status.CHECKED
        ).delete()  # one file waits per official: the newest
        return ImportBatch.objects.create(
            agency=agency,
            by=actor,
            digest=checked.digest,
            rows=checked.total,
            created=len(checked.rows),
            already_imported=checked.already_imported,
            content=base64.b64encode(data).decode("ascii"),
        )


def do_import_register(
    checked: CheckedFile,
    *,
    agency: Agency,
    actor: User,
    batch: ImportBatch | None = None,
    request: HttpRequest | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportBatch:
    """Import the rows of a checked file, all or none: a person and a case for each new row,
    and the record of its external id. Rows whose external id the agency imported before are
    left as they are. Audited as one entry (tanu.cases.actions.do_open_imported_cases)."""
    _refuse_outsiders(agency, actor)
    if not checked.ok:
        raise RegisterError(_("The file has problems; nothing was imported."))
    try:
        with transaction.atomic():
            if batch is None:
                batch = ImportBatch.objects.create(agency=agency, by=actor, digest=checked.digest)
            else:
                batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
                if batch.status != ImportBatch.Status.CHECKED:
                    raise RegisterError(_("This file was imported already."))
            cases = case_actions.do_open_imported_cases(
                [row.person for row in checked.rows],
                agency=agency,
                actor=actor,
                import_id=batch.pk,
                skipped=checked.already_imported,
                request=request,
                progress=progress,
            )
            crypto.bulk_create(
                ImportedRecord,
                [
                    ImportedRecord(
                        agency=agency,
                        batch=batch,
                        person_id=case.person_id,
                        external_id=row.external_id,
                        digest=row.digest,
                        region_id=row.region_id,
                    )
                    for row, case in zip(checked.rows, cases, strict=True)
                ],
                batch_size=case_actions.IMPORT_BATCH_SIZE,
            )
            batch.status = ImportBatch.Status.IMPORTED
            batch.rows = checked.total
            batch.created = len(cases)
            batch.already_imported = checked.already_imported
            batch.imported_at = timezone.now()
            batch.content = ""
            batch.save()
    except IntegrityError as exc:  # the same external id imported at the same moment
        raise RegisterError(
            _("Another import of the same register ran at the same time. Nothing was imported.")
        ) from exc
    except case_actions.CaseError as exc:
        raise RegisterError(str(exc)) from exc
    return batch


def do_import_checked_batch(
    batch: ImportBatch, *, actor: User, request: HttpRequest | None = None
) -> tuple[ImportBatch, CheckedFile]:
    """Confirm the import of a file kept by :func:`do_keep_checked_file`. The file is checked
    again (another import may have brought in some of its ids meanwhile)."""
    if batch.status != ImportBatch.Status.CHECKED or not batch.content:
        raise RegisterError(
            _("This file was imported already, or waited too long: upload it again.")
        )
    data = base64.b64decode(batch.content)
    try:
        checked = check_file(data, batch.agency)
    except RegisterFileError as exc:
        raise RegisterError(str(exc)) from exc
    if not checked.ok:
        return batch, checked
    done = do_import_register(
        checked, agency=batch.agency, actor=actor, batch=batch, request=request
    )
    return done, checked


def purge_checked(now: object | None = None) -> int:
    """Forget the checked files nobody confirmed within :data:`KEEP_CHECKED`."""
    moment = now or timezone.now()
    deleted, _by_model = ImportBatch.objects.filter(
        status=ImportBatch.Status.CHECKED,
        at__lt=moment - KEEP_CHECKED,  # type: ignore[operator]
    ).delete()
    return int(deleted)
