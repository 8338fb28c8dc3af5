"""One task queue (django-tasks) runs all background work: the exports, the statistics cube and
the snapshots the pages start, and the named tasks cron starts; `tanu worker` runs the database
queue, and no thread of tanu's own is left."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

import tanu
from tanu.accounts.tests.personas import Personas
from tanu.reports import cube, jobs, snapshots
from tanu.reports.filters import Filters
from tanu.reports.models import CubeState, ExportJob, StatsSnapshot
from tanu.reports.tests.helpers import add_screenings, signed_in

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NAMED = {
    "audit-anchor",
    "cases-remind",
    "exports-purge",
    "referrals-remind",
    "registers-purge",
    "hearings-remind",
    "linkage-nightly",
    "retention-apply",
    "stats-refresh",
    "tasks-prune",
}


@pytest.fixture
def database_queue(settings: Any) -> None:
    """Tasks wait in the database queue (the production default) instead of running at once."""
    settings.TASKS = DATABASE_QUEUE


def _run_queue() -> int:
    """What `tanu worker --batch` does, inside the test's transaction: run every waiting task."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    for result in list(DBTaskResult.objects.ready()):
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


def test_no_thread_is_left_in_the_package() -> None:
    root = Path(tanu.__file__).parent
    pattern = re.compile(r"import threading|threading\.|Thread\(")
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path != Path(__file__) and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_an_export_waits_in_the_queue_with_its_progress_until_the_worker_runs_it(
    personas: Personas, database_queue: None
) -> None:
    add_screenings(personas.police, personas.screener, 15)
    client = signed_in(personas.analyst)
    client.post("/reports/exports/", {"k": "11"})
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.QUEUED
    waiting = DBTaskResult.objects.get()
    assert waiting.task_path == "tanu.reports.jobs.run_export"
    assert waiting.args_kwargs == {"args": [job.pk], "kwargs": {}}
    fragment = client.get(reverse("reports:export_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "0%" in fragment
    assert _run_queue() == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.progress == 100
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    fragment = client.get(reverse("reports:export_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in fragment and "100%" in fragment


def test_the_export_page_says_when_no_worker_took_the_export(
    personas: Personas, database_queue: None
) -> None:
    client = signed_in(personas.analyst)
    client.post("/reports/exports/", {"k": "11"})
    job = ExportJob.objects.get()
    page = client.get(reverse("reports:export", args=[job.pk])).content.decode()
    assert "No background worker has taken this export yet" not in page
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    page = client.get(reverse("reports:export", args=[job.pk])).content.decode()
    assert "No background worker has taken this export yet" in page


def test_an_export_task_delivered_twice_runs_once(personas: Personas, database_queue: None) -> None:
    client = signed_in(personas.analyst)
    client.post("/reports/exports/", {"k": "11"})
    job = ExportJob.objects.get()
    jobs.run_export.enqueue(job.pk)  # the same job once more (an at-least-once queue)
    assert _run_queue() == 2
    assert sorted(r.return_value for r in DBTaskResult.objects.all()) == ["done", "not waiting"]


def test_an_export_no_worker_ran_fails_after_a_while_so_it_can_be_asked_again(
    personas: Personas, database_queue: None
) -> None:
    client = signed_in(personas.analyst)
    client.post("/reports/exports/", {"k": "11"})
    job = ExportJob.objects.get()
    jobs.purge_expired(timezone.now() + jobs.INTERRUPTED_AFTER + timedelta(minutes=1))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.message == "not run"
    client.post("/reports/exports/", {"k": "11"})
    assert ExportJob.objects.count() == 2


def test_the_cube_rebuild_is_enqueued_once_and_the_worker_builds_it(
    personas: Personas, database_queue: None
) -> None:
    add_screenings(personas.police, personas.screener, 12)
    assert cube.rebuild_in_background() is True
    assert cube.rebuild_in_background() is False  # one waits already
    assert DBTaskResult.objects.count() == 1
    assert not CubeState.objects.exists()
    assert _run_queue() == 1
    assert CubeState.objects.get().screenings == 12
    assert cube.rebuild_in_background() is True  # the last one is done: a new one may wait


def test_the_dashboard_enqueues_a_rebuild_when_the_cube_is_due(
    personas: Personas, database_queue: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cube, "auto_rebuild_enabled", lambda: True)
    add_screenings(personas.police, personas.screener, 12)
    signed_in(personas.analyst).get("/reports/")
    signed_in(personas.analyst).get("/reports/")
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "tanu.reports.cube.rebuild_task"
    ]


def test_a_lost_rebuild_does_not_block_the_next_one(
    personas: Personas, database_queue: None
) -> None:
    assert cube.rebuild_in_background() is True
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING,  # its worker was killed
        enqueued_at=timezone.now() - cube.STALE_BUILD - timedelta(minutes=1),
    )
    assert cube.rebuild_in_background() is True


def test_a_snapshot_refresh_is_enqueued_once_per_filters_and_the_worker_stores_it(
    personas: Personas, database_queue: None, settings: Any
) -> None:
    settings.TANU_STATS_MAX_AGE = 300
    add_screenings(personas.police, personas.screener, 12)
    region = Filters(region_id=personas.police.region_id, region_code="KZ-75")
    assert snapshots.refresh_in_background(Filters()) is True
    assert snapshots.refresh_in_background(Filters()) is False
    assert snapshots.refresh_in_background(region) is True
    assert snapshots.refresh_in_background(Filters(), snapshots.INDICATORS) is True
    assert DBTaskResult.objects.count() == 3
    assert _run_queue() == 3
    assert set(StatsSnapshot.objects.values_list("key", flat=True)) == {
        snapshots.key_for(Filters()),
        snapshots.key_for(region),
        snapshots.key_for(Filters(), snapshots.INDICATORS),
    }


@pytest.mark.django_db(transaction=True)  # the worker commits as it goes, like in production
def test_the_worker_command_runs_what_waits(personas: Personas, database_queue: None) -> None:
    add_screenings(personas.police, personas.screener, 12)
    call_command("tasks", "run", "stats-refresh", stdout=io.StringIO())
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    result = DBTaskResult.objects.get()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.traceback
    assert result.return_value["screenings"] == 12
    assert CubeState.objects.get().screenings == 12


def test_the_worker_refuses_a_queue_it_cannot_run(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with pytest.raises(CommandError, match="not a database backend"):
        call_command("worker", "--batch")


def test_tasks_list_names_every_scheduled_task() -> None:
    out = io.StringIO()
    call_command("tasks", "list", stdout=out)
    names = {line.split()[0] for line in out.getvalue().splitlines()}
    assert names == NAMED
    assert "hourly" in out.getvalue() and "daily" in out.getvalue()


def test_every_named_task_runs_on_the_immediate_backend(
    personas: Personas, tmp_path: Path, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.TANU_AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.log")
    settings.TANU_AUDIT_KEY = "a test anchor key"
    add_screenings(personas.police, personas.screener, 12)
    for name in sorted(NAMED):
        out = io.StringIO()
        call_command("tasks", "run", name, stdout=out)
        assert out.getvalue().startswith(f"{name}: done"), out.getvalue()
    assert CubeState.objects.get().screenings == 12
    assert (tmp_path / "anchors.log").read_text().startswith("v1 ")


def test_tasks_run_here_runs_in_this_process_and_an_unknown_name_is_refused(
    personas: Personas, database_queue: None
) -> None:
    add_screenings(personas.police, personas.screener, 12)
    out = io.StringIO()
    call_command("tasks", "run", "stats-refresh", "--here", stdout=out)
    assert '"screenings": 12' in out.getvalue()
    assert not DBTaskResult.objects.exists()
    with pytest.raises(CommandError, match="no task named 'nonsense'"):
        call_command("tasks", "run", "nonsense")


def test_other_queues_are_guarded_by_the_cache(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert snapshots.refresh_in_background(Filters(year=2031)) is True
    assert snapshots.refresh_in_background(Filters(year=2031)) is False
    assert snapshots.refresh_in_background(Filters(year=2032)) is True


def test_backups_leave_out_the_task_queue() -> None:
    from tanu.ops import backup

    labels = {model._meta.label_lower for model in backup.backed_up_models()}
    assert "django_tasks_db.dbtaskresult" not in labels
    assert "reports.exportjob" in labels
