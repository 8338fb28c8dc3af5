"""System checks that keep a production installation safe."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Tags, register
from django.core.files.storage import storages

from tanu.lib.crypto import check_field_keys

register(check_field_keys, Tags.security, deploy=True)


@register(Tags.security, deploy=True)
def demo_mode_is_off(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    if settings.DEMO:
        errors.append(
            Error(
                "Demo mode is on (TANU_DEMO=1).",
                hint="Unset TANU_DEMO in production: demo accounts have a published password.",
                id="tanu.E001",
            )
        )
    if not settings.TANU_REQUIRE_MFA:
        errors.append(
            Error(
                "Two-factor authentication is not required (TANU_REQUIRE_MFA=0).",
                hint="Production requires two-factor authentication for roles that see personal data.",
                id="tanu.E002",
            )
        )
    return errors


@register(Tags.staticfiles, deploy=True)
def static_files_are_collected(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Without DEBUG, pages name their static files through the manifest that `tanu collectstatic`
    writes; without it every page fails. tanu.wsgi refuses to start on this error."""
    storage = storages["staticfiles"]
    if settings.DEBUG or not isinstance(storage, ManifestFilesMixin):
        return []
    if storage.read_manifest() is not None:
        return []
    return [
        Error(
            "The static files are not collected: without their manifest every page fails.",
            hint="Run `tanu collectstatic --no-input` (again after each upgrade), then start tanu.",
            id="tanu.E003",
        )
    ]
