"""Background exports: ask (audited), run with progress, download once (audited), then gone.

How jobs run: the request that asks for an export puts :data:`run_export` on the task queue
(tanu.lib.tasks); the worker (``tanu worker``) runs it and writes its progress on the job's row,
which the export page polls. A job the worker never finished (the worker was stopped) is marked
failed after :data:`INTERRUPTED_AFTER` by the named task ``exports-purge``, and can be asked for
again.

The file is a ZIP of ``<name>.csv`` and ``<name>.csv.meta.json``, encrypted (AES-256-GCM,
``tanu.lib.crypto``) under ``DATA_DIR/exports/``. Only the requester may download it, once; the
download is audited and deletes the file. Files not downloaded within
:data:`KEEP_DAYS` days are deleted by ``exports-purge`` (tanu.reports.tasks)."""

from __future__ import annotations

import io
import json
import logging
import secrets
import tempfile
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from tanu.accounts.models import Region, User
from tanu.audit.actions import record
from tanu.audit.models import Action, ObjectType
from tanu.lib import crypto
from tanu.reports import anonymise
from tanu.reports.access import Scope, scope_or_none
from tanu.reports.models import ExportJob

log = logging.getLogger(__name__)

KEEP_DAYS = 7
INTERRUPTED_AFTER = timedelta(hours=2)
MIN_K = anonymise.MIN_K
MAX_K = 100


class ExportError(Exception):
    """An export cannot be asked for or downloaded; the message is for the user."""


def too_small_k_message() -> str:
    return _(
        "k must be at least %(min)s: smaller groups could single out a person. Nothing was "
        "exported."
    ) % {"min": MIN_K}


def exports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_context(storage_name: str) -> str:
    return f"reports.ExportJob.file.{storage_name}"


def get_job_for_user(user: User, pk: int | str) -> ExportJob:
    """The user's own job, or 404 (also for users who no longer see statistics)."""
    if scope_or_none(user) is None:
        raise Http404
    try:
        return ExportJob.objects.get(pk=int(pk), requested_by=user)
    except (ExportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def do_request_export(
    *,
    actor: User,
    scope: Scope,
    k: int,
    max_suppression: float = anonymise.DEFAULT_MAX_SUPPRESSION,
    request: HttpRequest | None = None,
) -> ExportJob:
    if k < MIN_K:
        raise ExportError(too_small_k_message())
    if not MIN_K <= k <= MAX_K:
        raise ExportError(
            _("k must be between %(min)s and %(max)s.") % {"min": MIN_K, "max": MAX_K}
        )
    if not 0 <= max_suppression <= 0.5:
        raise ExportError(_("The share of rows that may be left out must be between 0 and 0.5."))
    if ExportJob.objects.filter(
        requested_by=actor, status__in=(ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)
    ).exists():
        raise ExportError(_("Your previous export is still running; wait until it is ready."))
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=actor,
            kind=ExportJob.Kind.ANONYMISED,
            params={"k": k, "region_id": scope.region_id, "max_suppression": max_suppression},
        )
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.EXPORT,
            object_id=job.pk,
            fields=["kind", "k", "region"],
            request=request,
        )
    return job


def start(job: ExportJob) -> None:
    """Put the (committed) job on the task queue."""
    run_export.enqueue(job.pk)


@task
def run_export(job_id: int) -> str:
    """The export as a task: runs the job and says how it ended."""
    job = run_job(job_id)
    return job.status if job is not None else "not waiting"


def _begin(job_id: int) -> bool:
    """Waiting → running; False if the job is not waiting (a task delivered twice runs once)."""
    return bool(
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
            status=ExportJob.Status.RUNNING, started_at=timezone.now(), progress=1
        )
    )


STAGES = {"read": (1, 70), "plan": (70, 75), "write": (75, 95)}


def _progress_writer(job_id: int) -> Callable[[str, int, int], None]:
    last = {"percent": -1}

    def progress(stage: str, done: int, expected: int) -> None:
        low, high = STAGES.get(stage, (0, 100))
        fraction = (done / expected) if expected else 1.0
        percent = int(low + (high - low) * min(1.0, fraction))
        if percent != last["percent"]:
            last["percent"] = percent
            ExportJob.objects.filter(pk=job_id).update(progress=percent)

    return progress


def run_job(job_id: int) -> ExportJob | None:
    """Run one waiting job to the end. Returns the job, or None if it was not waiting."""
    if not _begin(job_id):
        return None
    job = ExportJob.objects.get(pk=job_id)
    try:
        params = job.params or {}
        k = int(params.get("k", anonymise.DEFAULT_K))
        region_id = params.get("region_id")
        region = Region.objects.filter(pk=region_id).first() if region_id else None
        stem = f"tanu-anonymised-k{k}-{timezone.localdate():%Y%m%d}"
        archive = io.BytesIO()
        # The CSV goes to a temporary file (a million rows need not sit in memory); only the
        # compressed archive is held, to be encrypted.
        with tempfile.TemporaryDirectory(prefix="tmp-", dir=exports_dir()) as scratch:
            csv_path = Path(scratch) / f"{stem}.csv"
            with csv_path.open("w", encoding="utf-8", newline="") as stream:
                result = anonymise.export(
                    stream,
                    k=k,
                    max_suppression=float(
                        params.get("max_suppression", anonymise.DEFAULT_MAX_SUPPRESSION)
                    ),
                    region_id=region.pk if region else None,
                    scope=region.code if region else "KZ",
                    progress=_progress_writer(job_id),
                )
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.write(csv_path, arcname=f"{stem}.csv")
                zf.writestr(
                    f"{stem}.csv.meta.json", json.dumps(result.meta, ensure_ascii=False, indent=2)
                )
        content = archive.getvalue()
        storage_name = secrets.token_hex(16)
        (exports_dir() / storage_name).write_text(
            crypto.encrypt(content, context=file_context(storage_name))
        )
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.DONE,
            progress=100,
            finished_at=timezone.now(),
            storage_name=storage_name,
            filename=f"{stem}.zip",
            size=len(content),
            summary=result.meta,
            message="",
        )
    except Exception as exc:  # the job must end in a state the requester can see
        log.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED,
            finished_at=timezone.now(),
            message=type(exc).__name__[:300],
        )
    return ExportJob.objects.get(pk=job_id)


def do_download_export(
    job: ExportJob, *, actor: User, request: HttpRequest | None = None
) -> tuple[str, bytes]:
    """The file, for its requester, once: then the file is deleted. Audited."""
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().get(pk=job.pk)
        if locked.requested_by_id != actor.pk:
            raise Http404
        if not locked.can_download:
            raise ExportError(_("This export was already downloaded, or is not ready."))
        path = exports_dir() / locked.storage_name
        try:
            token = path.read_text()
        except OSError as exc:
            raise ExportError(_("The file of this export is gone; ask for a new export.")) from exc
        content = crypto.decrypt_bytes(token, context=file_context(locked.storage_name))
        locked.downloaded_at = timezone.now()
        locked.status = ExportJob.Status.DOWNLOADED
        locked.save(update_fields=["downloaded_at", "status"])
        record(
            Action.EXPORT,
            actor=actor,
            object_type=ObjectType.EXPORT,
            object_id=locked.pk,
            fields=list(anonymise.COLUMNS),
            reason=f"anonymised microdata, k={locked.params.get('k')}",
            request=request,
        )
        transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return locked.filename or "export.zip", content


def purge_expired(now: object | None = None) -> int:
    """Delete files not downloaded within KEEP_DAYS; mark failed the jobs no worker finished
    (or began) within INTERRUPTED_AFTER, so that their requesters may ask again."""
    moment = now or timezone.now()
    ExportJob.objects.filter(
        status=ExportJob.Status.RUNNING,
        started_at__lt=moment - INTERRUPTED_AFTER,  # type: ignore[operator]
    ).update(status=ExportJob.Status.FAILED, message="interrupted", finished_at=moment)
    ExportJob.objects.filter(
        status=ExportJob.Status.QUEUED,
        created_at__lt=moment - INTERRUPTED_AFTER,  # type: ignore[operator]
    ).update(status=ExportJob.Status.FAILED, message="not run", finished_at=moment)
    expired = ExportJob.objects.filter(
        status=ExportJob.Status.DONE,
        finished_at__lt=moment - timedelta(days=KEEP_DAYS),  # type: ignore[operator]
    )
    count = 0
    for job in expired:
        if job.storage_name:
            (exports_dir() / job.storage_name).unlink(missing_ok=True)
        job.status = ExportJob.Status.FAILED
        job.message = "expired"
        job.save(update_fields=["status", "message"])
        count += 1
    return count
