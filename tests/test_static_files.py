"""Without `tanu collectstatic` a production installation refuses to start, and its error pages
still render (they need no static files when the manifest is missing)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory, override_settings
from django.utils import translation

from tanu.accounts.checks import static_files_are_collected
from tanu.views import bad_request, not_found, server_error

STATIC_FILES_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"
MANIFEST_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


@pytest.fixture
def no_manifest(tmp_path: Path) -> Iterator[Path]:
    """Production static files (the manifest storage) before `tanu collectstatic` ran."""
    with override_settings(
        DEBUG=False, STORAGES=MANIFEST_STORAGES, STATIC_ROOT=tmp_path, WHITENOISE_USE_FINDERS=False
    ):
        yield tmp_path


def test_the_500_page_renders_in_the_users_language_without_the_static_manifest(
    no_manifest: Path,
) -> None:
    with translation.override("ru"):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Произошла ошибка" in page
    assert "/static/" not in page


def test_the_400_and_404_pages_render_without_the_static_manifest(no_manifest: Path) -> None:
    request = RequestFactory().get("/")
    with translation.override("en"):
        missing = not_found(request)
        bad = bad_request(request)
    assert (missing.status_code, bad.status_code) == (404, 400)
    assert "There is nothing here" in missing.content.decode()
    assert "could not be understood" in bad.content.decode()


@pytest.mark.django_db
def test_a_missing_page_answers_404_not_500_without_the_static_manifest(
    no_manifest: Path, client: Client
) -> None:
    response = client.get("/no-such-page/", secure=True)
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


def test_the_error_pages_keep_the_sites_layout_when_the_static_files_are_there() -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "/static/tanu/tanu.css" in response.content.decode()


def test_the_deploy_check_names_collectstatic_when_the_manifest_is_missing(
    no_manifest: Path,
) -> None:
    [error] = static_files_are_collected(None)
    assert error.id == "tanu.E003"
    assert "tanu collectstatic" in (error.hint or "")


def test_the_deploy_check_passes_once_the_static_files_are_collected(no_manifest: Path) -> None:
    (no_manifest / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
    assert static_files_are_collected(None) == []


def test_the_deploy_check_is_silent_in_debug_and_in_tests(no_manifest: Path) -> None:
    with override_settings(DEBUG=True):
        assert static_files_are_collected(None) == []
    plain = {**MANIFEST_STORAGES, "staticfiles": {"BACKEND": STATIC_FILES_STORAGE}}
    with override_settings(DEBUG=False, STORAGES=plain):
        assert static_files_are_collected(None) == []


def test_the_server_refuses_to_start_without_the_static_files(no_manifest: Path) -> None:
    sys.modules.pop("tanu.wsgi", None)
    with pytest.raises(ImproperlyConfigured, match="tanu collectstatic"):
        importlib.import_module("tanu.wsgi")
    sys.modules.pop("tanu.wsgi", None)


def test_the_server_refuses_to_start_in_production_without_the_audit_key(
    tmp_path: Path,
) -> None:
    """Every audited write needs TANU_AUDIT_KEY: gunicorn does not start without it, instead
    of failing at the first write."""
    with override_settings(DEBUG=False, DEMO=False, TESTING=False, TANU_AUDIT_KEY=""):
        sys.modules.pop("tanu.wsgi", None)
        try:
            with pytest.raises(ImproperlyConfigured, match="TANU_AUDIT_KEY"):
                from tanu.wsgi import _refuse_without_audit_key

                _refuse_without_audit_key()
        finally:
            sys.modules.pop("tanu.wsgi", None)
