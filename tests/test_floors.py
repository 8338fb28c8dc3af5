"""The floors hold at run time too: no app looks another app's model up by name (which
import-linter cannot see), and the plug-in points are filled by the apps above."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "tanu"


def test_no_app_looks_another_apps_model_up_by_name() -> None:
    """``apps.get_model`` hides an upward import from the contracts; only ops (the top floor,
    which may reach every app) walks the models, for backup, keys and synthetic data."""
    pattern = re.compile(r"apps\.get_model\(")
    found = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts
        and "tests" not in path.parts
        and path.parts[len(ROOT.parts)] != "ops"
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.django_db
def test_the_apps_above_plug_into_cases_accounts_and_audit() -> None:
    from tanu.accounts.extensions import INBOXES
    from tanu.audit.actions import _REGION_PATHS
    from tanu.audit.models import ObjectType
    from tanu.cases.actions import ANONYMISE_HOOKS
    from tanu.cases.extensions import SHARING_SERVICES, TIMELINE_SOURCES

    assert INBOXES and SHARING_SERVICES and TIMELINE_SOURCES and ANONYMISE_HOOKS
    assert {
        ObjectType.CASE,
        ObjectType.PERSON,
        ObjectType.SCREENING,
        ObjectType.REFERRAL,
        ObjectType.SERVICE_RECORD,
        ObjectType.IDENTIFICATION_DECISION,
    } <= set(_REGION_PATHS)
