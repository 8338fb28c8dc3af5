"""System checks of the audit trail (run by `tanu check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error


def audit_key_is_set(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if getattr(settings, "TANU_AUDIT_KEY", ""):
        return []
    return [
        Error(
            "TANU_AUDIT_KEY is not set: the audit trail cannot be written (its chain is keyed by "
            "TANU_AUDIT_KEY) nor anchored.",
            hint=(
                "Set TANU_AUDIT_KEY to a long random value kept outside the database, and run "
                "`tanu audit anchor` hourly (see README, Audit trail)."
            ),
            id="tanu.E020",
        )
    ]
