"""One helper keeps every revisioned row safe from lost updates (tanu.lib.revisions): lock, check
the revision the caller read, bump, ETag; and one conflict error for every app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.db import transaction

from tanu.accounts.tests.personas import Personas
from tanu.cases import actions
from tanu.cases.models import Case
from tanu.cases.tests.helpers import open_case
from tanu.identification import actions as screening_actions
from tanu.lib import revisions

pytestmark = pytest.mark.django_db

LIB = Path(revisions.__file__).parent


def test_a_stale_revision_is_refused_with_the_one_conflict_error(personas: Personas) -> None:
    case = open_case(personas.screener)
    with transaction.atomic():
        fresh = revisions.lock(Case.objects, case.pk, expected_revision=case.revision)
        assert fresh.revision == case.revision
        with pytest.raises(revisions.ConflictError, match="changed this record"):
            revisions.lock(Case.objects, case.pk, expected_revision=case.revision - 1)


def test_the_apps_own_rules_run_on_the_fresh_row_before_the_revision_is_compared(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    seen: list[int] = []

    def check(row: Case) -> None:
        seen.append(row.revision)
        raise actions.CaseError("refused")

    with transaction.atomic(), pytest.raises(actions.CaseError):
        revisions.lock(Case.objects, case.pk, expected_revision=0, check=check)
    assert seen == [case.revision]


def test_a_bump_saves_the_fields_with_the_next_revision_and_the_time(personas: Personas) -> None:
    case = open_case(personas.screener)
    before = case.updated_at
    with transaction.atomic():
        locked = revisions.lock(Case.objects, case.pk, expected_revision=case.revision)
        locked.status = Case.Status.REFERRED
        locked.number = "not saved"
        revisions.bump(locked, ["status"])
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.revision) == (Case.Status.REFERRED, case.revision + 1)
    assert stored.number == case.number  # only the named fields are written
    assert stored.updated_at > before


def test_the_etag_names_the_row_and_its_revision(personas: Personas) -> None:
    case = open_case(personas.screener)
    assert revisions.etag(case, "case") == f'"case-{case.pk}-{case.revision}"'
    assert revisions.etag(case) == f'"{case.pk}-{case.revision}"'


def test_cases_and_screenings_raise_the_same_conflict_error(personas: Personas) -> None:
    case = open_case(personas.screener)
    with pytest.raises(revisions.ConflictError):
        actions.do_change_case_status(
            case, actor=personas.screener, status="referred", expected_revision=case.revision + 1
        )
    screening = screening_actions.do_start_screening(
        actor=personas.screener,
        context={
            "place": "patrol",
            "interview_language": "ru",
            "age_group": "adult",
            "form": "labour",
        },
    )
    with pytest.raises(revisions.ConflictError):
        screening_actions.do_record_answers(
            screening,
            actor=personas.screener,
            answers={"AL-DR-01": "observed"},
            expected_revision=screening.revision + 1,
        )


def test_the_helpers_library_imports_no_tanu_app() -> None:
    offenders = []
    for path in sorted(LIB.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            offenders += [
                f"{path.name}: {name}"
                for name in names
                if name.startswith("tanu.") and not name.startswith("tanu.lib")
            ]
    assert offenders == []
