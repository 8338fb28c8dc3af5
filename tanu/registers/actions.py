"""Named writes of register imports. Each runs in a transaction; the import's audit entry is
written by the cases action that opens the cases (tanu.cases.actions.do_open_imported_cases), in
the same transaction."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tanu.accounts.models import Agency, User
from tanu.cases import actions as case_actions
from tanu.lib import crypto
from tanu.registers import access
from tanu.registers.imports import CheckedFile, RegisterFileError, check_file
from tanu.registers.models import ImportBatch, ImportedRecord

#: A checked file waits this long for its confirmation; then the hourly purge forgets it.
KEEP_CHECKED = timedelta(hours=1)
#: A confirmed import no worker finished within this time is marked failed.
INTERRUPTED_AFTER = timedelta(hours=2)

log = logging.getLogger(__name__)


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
    actor: User | None,
    batch: ImportBatch | None = None,
    request: HttpRequest | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportBatch:
    """Import the rows of a checked file, all or none: a person and a case for each new row,
    and the record of its external id. Rows whose external id the agency imported before are
    left as they are. Audited as one entry (tanu.cases.actions.do_open_imported_cases).

    ``actor`` is None only for the operator's command on the server, which names no official."""
    if actor is not None:
        _refuse_outsiders(agency, actor)
    if not checked.ok:
        raise RegisterError(_("The file has problems; nothing was imported."))
    try:
        with transaction.atomic():
            if batch is None:
                batch = ImportBatch.objects.create(agency=agency, by=actor, digest=checked.digest)
            else:
                batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
                if batch.status != ImportBatch.Status.RUNNING:
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


def do_confirm_import(batch: ImportBatch, *, actor: User) -> ImportBatch:
    """The uploader confirms the import of a file kept by :func:`do_keep_checked_file`: it is
    put on the task queue (:func:`tanu.registers.tasks.run_import`) once the transaction ends."""
    from tanu.registers.tasks import run_import

    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.by_id != actor.pk:
            raise RegisterError(_("Only the official who uploaded the file confirms its import."))
        if locked.status != ImportBatch.Status.CHECKED or not locked.content:
            raise RegisterError(
                _("This file was imported already, or waited too long: upload it again.")
            )
        locked.status = ImportBatch.Status.QUEUED
        locked.at = timezone.now()
        locked.save(update_fields=["status", "at"])
        transaction.on_commit(lambda: run_import.enqueue(locked.pk))
    return locked


def run_batch(batch_id: int) -> ImportBatch | None:
    """Run one confirmed import to its end (the background task). The file is checked again,
    since another import may have brought in some of its ids meanwhile; the rows checked are
    written on the batch as they go. Any failure leaves nothing imported and the reason on the
    batch, in the uploader's language. None if the batch was not waiting (a task delivered
    twice runs once)."""
    if not ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).update(
        status=ImportBatch.Status.RUNNING, progress=0
    ):
        return None
    batch = ImportBatch.objects.select_related("agency__region", "by").get(pk=batch_id)

    def checking(done: int) -> None:  # outside the import's transaction: the page sees it
        ImportBatch.objects.filter(pk=batch_id).update(progress=done)

    language = batch.by.language if batch.by is not None else ""
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            checked = check_file(
                base64.b64decode(batch.content),
                batch.agency,
                progress=checking,
            )
            if not checked.ok:
                raise RegisterError(
                    _("The file has problems now (%(n)s); nothing was imported. Upload it again.")
                    % {"n": len(checked.problems)}
                )
            return do_import_register(checked, agency=batch.agency, actor=batch.by, batch=batch)
        except (RegisterError, RegisterFileError) as exc:
            message = str(exc)
        except Exception:  # the import must end in a state its uploader can see
            log.exception("register import %s failed", batch_id)
            message = _("The import failed; nothing was imported. Tell your administrator.")
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportBatch.Status.FAILED, message=message[:500], content=""
    )
    return ImportBatch.objects.get(pk=batch_id)


def purge_checked(now: datetime | None = None) -> int:
    """Forget the checked files nobody confirmed within :data:`KEEP_CHECKED`, and mark failed
    (their file forgotten) the imports no worker finished within :data:`INTERRUPTED_AFTER`:
    their transaction was rolled back, nothing of them was imported."""
    moment = now or timezone.now()
    ImportBatch.objects.filter(
        status__in=(ImportBatch.Status.QUEUED, ImportBatch.Status.RUNNING),
        at__lt=moment - INTERRUPTED_AFTER,
    ).update(status=ImportBatch.Status.FAILED, message="interrupted", content="")
    deleted, _by_model = ImportBatch.objects.filter(
        status=ImportBatch.Status.CHECKED, at__lt=moment - KEEP_CHECKED
    ).delete()
    return int(deleted)
