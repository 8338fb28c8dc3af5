"""Background exports: asked for, run with progress, downloaded once by the requester only,
audited, stored encrypted, then deleted."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from tanu.accounts.models import Role
from tanu.accounts.tests.factories import UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry
from tanu.reports import jobs
from tanu.reports.access import Scope
from tanu.reports.models import ExportJob
from tanu.reports.tests.helpers import add_screenings, signed_in

pytestmark = pytest.mark.django_db

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _ask(client, k: int = 11) -> ExportJob:  # type: ignore[no-untyped-def]
    response = client.post("/reports/exports/", {"k": str(k)})
    assert response.status_code == 302
    return ExportJob.objects.latest("created_at")


def test_an_analyst_asks_for_an_export_and_downloads_it_once(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    add_screenings(personas.police, personas.screener, 30)
    client = signed_in(personas.analyst)
    job = _ask(client)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.progress == 100
    assert job.requested_by == personas.analyst
    stored = Path(settings.DATA_DIR) / "exports" / job.storage_name
    assert stored.read_text().startswith("v2.")  # encrypted on disk
    assert b"year_of_registration" not in stored.read_bytes()
    page = client.get(reverse("reports:export", args=[job.pk])).content.decode()
    assert "Download (once)" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert names[0].endswith(".csv") and names[1].endswith(".csv.meta.json")
    meta = json.loads(archive.read(names[1]))
    assert meta["k"] == 11 and meta["input_rows"] == 30
    assert meta["l_diversity"]["column"] == "identification_outcome"
    assert not stored.exists()
    job.refresh_from_db()
    assert job.downloaded_at is not None
    entry = AuditEntry.objects.filter(action=Action.EXPORT, object_type="export").get()
    assert entry.actor == personas.analyst and entry.object_id == str(job.pk)
    assert AuditEntry.objects.filter(action=Action.CREATE, object_type="export").exists()
    again = client.post(reverse("reports:export_download", args=[job.pk]))
    assert again.status_code == 302  # back to the page, with a message; no file
    assert AuditEntry.objects.filter(action=Action.EXPORT, object_type="export").count() == 1


def test_nobody_else_sees_or_downloads_an_export(personas: Personas) -> None:
    add_screenings(personas.police, personas.screener, 12)
    job = _ask(signed_in(personas.analyst))
    other_analyst = UserFactory(username="analyst2", role=Role.ANALYST, agency=personas.ministry)
    for user in (other_analyst, personas.coordinator, personas.screener, personas.admin):
        client = signed_in(user)
        for url in (
            reverse("reports:export", args=[job.pk]),
            reverse("reports:export_progress", args=[job.pk]),
        ):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("reports:export_download", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.downloaded_at is None


def test_progress_is_polled_while_the_export_runs(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = QUEUE
    client = signed_in(personas.analyst)
    job = _ask(client)
    assert job.status == ExportJob.Status.QUEUED
    fragment = client.get(reverse("reports:export_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert jobs.run_job(job.pk) is not None  # what the task does
    fragment = client.get(reverse("reports:export_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in fragment
    assert "100%" in fragment


def test_one_export_at_a_time_and_k_within_bounds(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = QUEUE
    client = signed_in(personas.analyst)
    _ask(client)
    client.post("/reports/exports/", {"k": "12"})
    assert ExportJob.objects.count() == 1
    scope = Scope(role="analyst", region_id=None)
    with pytest.raises(jobs.ExportError):
        jobs.do_request_export(actor=personas.coordinator, scope=scope, k=1)
    response = client.post("/reports/exports/", {"k": "abc"})
    assert response.status_code == 302


def test_a_coordinator_exports_their_region_only(personas: Personas) -> None:
    add_screenings(personas.police, personas.screener, 20)
    add_screenings(personas.aktau_police, personas.outsider, 25)
    job = _ask(signed_in(personas.coordinator))
    job.refresh_from_db()
    assert job.params["region_id"] == personas.police.region_id
    assert job.summary["input_rows"] == 20
    assert job.summary["scope"] == "KZ-75"


@pytest.mark.django_db(transaction=True)
def test_an_export_runs_on_the_database_queue_in_the_worker(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = QUEUE
    add_screenings(personas.police, personas.screener, 15)
    scope = Scope(role="analyst", region_id=None)
    job = jobs.do_request_export(actor=personas.analyst, scope=scope, k=11)
    jobs.start(job)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.QUEUED
    call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.message
    assert job.summary["input_rows"] == 15


def test_files_not_downloaded_in_time_are_deleted(personas: Personas) -> None:
    from datetime import timedelta

    from django.utils import timezone

    job = _ask(signed_in(personas.analyst))
    job.refresh_from_db()
    stored = Path(settings.DATA_DIR) / "exports" / job.storage_name
    assert stored.exists()
    assert jobs.purge_expired(timezone.now() + timedelta(days=jobs.KEEP_DAYS + 1)) == 1
    assert not stored.exists()


@pytest.mark.parametrize("k", ["10", "2", "0", "-5"])
def test_the_export_page_refuses_k_below_11_and_asks_for_nothing(
    personas: Personas, k: str
) -> None:
    add_screenings(personas.police, personas.screener, 30)
    client = signed_in(personas.analyst)
    before = AuditEntry.objects.count()
    response = client.post("/reports/exports/", {"k": k}, follow=True)
    assert response.status_code == 200
    assert "k must be at least 11" in response.content.decode()
    assert not ExportJob.objects.exists()
    assert AuditEntry.objects.count() == before
    with pytest.raises(jobs.ExportError, match="at least 11"):
        jobs.do_request_export(
            actor=personas.analyst, scope=Scope(role="analyst", region_id=None), k=10
        )
    assert not ExportJob.objects.exists()
