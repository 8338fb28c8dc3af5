"""When things fail: the 500 page needs no database and keeps its headers, the API answers its
errors in JSON, /healthz tells a load balancer and an operator what works, the worker beats, and
a browser's /favicon.ico is answered."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from tanu.accounts.models import User
from tanu.accounts.tests.factories import UserFactory
from tanu.audit.anchors import write_anchor
from tanu.lib import heartbeat

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def database_down() -> Any:
    """Every new query fails as it does when the database server is stopped."""
    return mock.patch.object(
        BaseDatabaseWrapper,
        "ensure_connection",
        side_effect=OperationalError("connection refused"),
    )


def signed_in(language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False)
    user = UserFactory(language="")
    assert isinstance(user, User)
    client.force_login(user)
    return client


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=3600)
def test_a_signed_in_user_gets_the_translated_500_page_with_its_headers_when_the_database_is_down() -> (
    None
):
    client = signed_in("ru")
    with database_down():
        response = client.get("/", secure=True)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Произошла ошибка" in page
    assert '<html lang="ru">' in page
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Strict-Transport-Security"].startswith("max-age=3600")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_the_500_page_shows_no_menu_of_the_signed_in_user() -> None:
    client = signed_in("en")
    with database_down():
        response = client.get("/", secure=True)
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "Sign out" not in page
    assert 'name="csrfmiddlewaretoken"' in page  # the language switch still works


@pytest.mark.django_db
def test_an_api_500_is_json_when_the_database_is_down() -> None:
    client = signed_in("en")
    with database_down():
        response = client.get("/api/v1/cases/", secure=True)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The error was recorded. Please try again later."}
    assert "Content-Security-Policy" in response


def test_an_api_400_is_json() -> None:
    client = Client(HTTP_HOST="elsewhere.example", HTTP_ACCEPT_LANGUAGE="en")
    response = client.get("/api/v1/cases/", secure=True)
    assert response.status_code == 400
    assert response.json() == {"detail": "The request is not valid."}


def test_a_page_400_stays_a_page() -> None:
    response = Client(HTTP_HOST="elsewhere.example", HTTP_ACCEPT_LANGUAGE="en").get("/")
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()


@pytest.fixture
def health_files(tmp_path: Path) -> Iterator[Path]:
    """A data directory and an anchor file of the test's own, and the database queue."""
    with override_settings(
        DATA_DIR=tmp_path,
        TANU_AUDIT_ANCHOR_FILE=str(tmp_path / "audit-anchors.log"),
        TANU_TASKS_BACKEND="database",
        TASKS=DATABASE_QUEUE,
    ):
        yield tmp_path


def waiting_task(minutes: int) -> None:
    result = DBTaskResult.objects.create(
        task_path="tanu.reports.tasks.refresh_statistics",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(pk=result.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=minutes)
    )


@pytest.mark.django_db
def test_healthz_reports_the_database_the_queue_and_the_newest_anchor(health_files: Path) -> None:
    heartbeat.beat()
    write_anchor()
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok", body
    assert body["failed"] == []
    checks = body["checks"]
    assert checks["database"] == {"status": "ok"}
    assert checks["task_queue"]["status"] == "ok"
    assert checks["task_queue"]["worker_heartbeat_age_seconds"] <= 5
    assert checks["task_queue"]["oldest_waiting_task_age_seconds"] is None
    assert checks["audit_anchor"]["status"] == "ok"
    assert checks["audit_anchor"]["age_seconds"] <= 5
    assert checks["audit_anchor"]["newest_at"].endswith("+00:00")
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_says_degraded_when_no_worker_beats_and_tasks_wait(health_files: Path) -> None:
    beat_file = heartbeat.heartbeat_file()
    heartbeat.beat()
    long_ago = time.time() - 600
    os.utime(beat_file, (long_ago, long_ago))
    waiting_task(minutes=20)
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    queue = body["checks"]["task_queue"]
    assert queue["status"] == "stale"
    assert queue["worker_heartbeat_age_seconds"] >= 600
    assert queue["oldest_waiting_task_age_seconds"] >= 20 * 60
    assert body["checks"]["audit_anchor"] == {
        "status": "unknown",
        "newest_at": None,
        "age_seconds": None,
    }


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_database_when_it_is_down(health_files: Path) -> None:
    with database_down():
        response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failed"] == ["database"]
    assert body["checks"]["database"] == {"status": "fail", "error": "OperationalError"}
    assert "connection refused" not in response.content.decode()


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_healthz_answers_plain_http_without_a_redirect_when_ssl_redirect_is_on() -> None:
    client = Client()
    assert client.get("/accessibility/").status_code == 301
    assert client.get("/healthz").status_code == 200
    assert client.head("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)  # the worker commits as it goes, like in production
def test_the_worker_touches_its_heartbeat(health_files: Path) -> None:
    assert heartbeat.age_seconds() is None
    call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    age = heartbeat.age_seconds()
    assert age is not None and age < 5
    assert (health_files / "worker-heartbeat").stat().st_mode & 0o077 == 0


def test_the_favicon_is_answered_not_404() -> None:
    response = Client().get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0].endswith("/static/tanu/favicon.svg")


def test_a_missing_favicon_is_no_longer_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="django.request"):
        Client().get("/favicon.ico")
    assert not [record for record in caplog.records if "favicon" in record.getMessage()]


def _log_in_a_fresh_process(tmp_path: Path, log_format: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANU_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tanu.settings",
            "TANU_DEBUG": "1",
            "TANU_DATA_DIR": str(tmp_path),
            "TANU_LOG_FORMAT": log_format,
        }
    )
    script = "import django, logging; django.setup(); logging.getLogger('tanu.t').warning('hi')"
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )


def test_tanu_log_format_json_writes_json_lines_in_utc(tmp_path: Path) -> None:
    result = _log_in_a_fresh_process(tmp_path, "json")
    assert result.returncode == 0, result.stderr[-2000:]
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert (line["level"], line["logger"], line["message"]) == ("WARNING", "tanu.t", "hi")
    assert line["time"].endswith("Z")


def test_the_default_log_format_is_text_in_utc(tmp_path: Path) -> None:
    result = _log_in_a_fresh_process(tmp_path, "text")
    assert result.returncode == 0, result.stderr[-2000:]
    stamp, rest = result.stderr.strip().splitlines()[-1].split(" ", 1)
    assert stamp.endswith("Z") and "T" in stamp
    assert rest == "WARNING tanu.t hi"


def test_an_unknown_log_format_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    result = _log_in_a_fresh_process(tmp_path, "xml")
    assert result.returncode != 0
    assert "TANU_LOG_FORMAT='xml' is not known: use 'text' (the default) or 'json'" in result.stderr
