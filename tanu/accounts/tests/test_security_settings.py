from __future__ import annotations

import base64
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.test import Client

from tanu.accounts.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[3]

PRODUCTION_ENV = {
    "TANU_SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-0123456789abcdef",
    "TANU_ALLOWED_HOSTS": "tanu.example.kz",
    "TANU_DATABASE_URL": "sqlite:////tmp/tanu-deploy-check.sqlite3",
    "TANU_FIELD_KEYS": "k2026:" + base64.urlsafe_b64encode(b"k" * 32).decode(),
    "TANU_AUDIT_KEY": "a-long-random-audit-anchor-key-0123456789abcdef",
    "TANU_BLIND_INDEX_KEY": base64.urlsafe_b64encode(b"b" * 32).decode(),
    "TANU_BACKUP_KEY": base64.urlsafe_b64encode(b"c" * 32).decode(),
    # Production names its data directory, outside the installation.
    "TANU_DATA_DIR": str(Path(tempfile.gettempdir()) / "tanu-deploy-check"),
}


def _tanu(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TANU_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(extra_env)
    env["DJANGO_SETTINGS_MODULE"] = "tanu.settings"
    return subprocess.run(
        [sys.executable, "-m", "tanu", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    # The static files are collected (their manifest is there): see tests/test_static_files.py.
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    env = {**PRODUCTION_ENV, "TANU_DATA_DIR": str(tmp_path)}
    result = _tanu("check", "--deploy", "--fail-level", "WARNING", extra_env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_demo_mode_is_left_on() -> None:
    env = {**PRODUCTION_ENV, "TANU_DEMO": "1", "TANU_ALLOWED_HOSTS": "localhost"}
    result = _tanu("check", "--deploy", extra_env=env)
    assert result.returncode != 0
    assert "tanu.E001" in result.stderr


def test_demo_mode_refuses_to_start_on_a_public_host() -> None:
    result = _tanu("check", extra_env={**PRODUCTION_ENV, "TANU_DEMO": "1"})
    assert result.returncode != 0
    assert "TANU_DEMO=1 is only allowed" in result.stderr


def test_check_deploy_fails_without_field_encryption_keys() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "TANU_FIELD_KEYS"}
    result = _tanu("check", "--deploy", extra_env=env)
    assert result.returncode != 0
    assert "tanu.E010" in result.stderr


def test_check_deploy_fails_without_an_audit_anchor_key() -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "TANU_AUDIT_KEY"}
    result = _tanu("check", "--deploy", extra_env=env)
    assert result.returncode != 0
    assert "tanu.E020" in result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _tanu("check", extra_env={"TANU_ALLOWED_HOSTS": "tanu.example.kz"})
    assert result.returncode != 0
    assert "TANU_SECRET_KEY is not set" in result.stderr


def test_build_commands_run_without_secrets_but_nothing_else_does() -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tanu.cli import main; main()",
            "makemigrations",
            "--check",
            "--dry-run",
        ],
        env={
            k: v
            for k, v in os.environ.items()
            if not k.startswith("TANU_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    assert "No changes detected" in build.stdout
    refused = _tanu("check", extra_env={"TANU_ALLOWED_HOSTS": "tanu.example.kz"})
    assert "TANU_SECRET_KEY is not set" in refused.stderr


def test_demo_load_is_refused_outside_demo_mode() -> None:
    result = _tanu("demo", "load", extra_env={"TANU_DEBUG": "1"})
    assert result.returncode != 0
    assert "demo mode" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script() -> None:
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


@pytest.mark.django_db
def test_common_passwords_are_refused() -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = UserFactory()
    with pytest.raises(ValidationError):
        validate_password("password123456", user)
    validate_password("violet-steppe-river-1938", user)


def test_no_page_loads_anything_from_another_site() -> None:
    templates = list((ROOT / "tanu").rglob("templates/**/*.html"))
    assert templates
    for template in templates:
        text = template.read_text()
        assert "https://" not in text and "http://" not in text, template
