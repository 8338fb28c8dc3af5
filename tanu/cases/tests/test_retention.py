"""`tanu retention apply`: anonymise closed cases and delete abandoned drafts when their time is up."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.audit.actions import verify_chain
from tanu.audit.models import AuditEntry
from tanu.cases import actions as case_actions
from tanu.cases import documents
from tanu.cases import retention as retention_module
from tanu.cases.models import Case, Document, Note, Person, PersonIndex
from tanu.cases.retention import apply_retention
from tanu.cases.tests.helpers import finalised_screening, open_case
from tanu.identification import actions as screening_actions
from tanu.identification.models import Screening

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def retention_periods(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.TANU_RETENTION_DAYS = {"closed_case": 365, "draft_screening": 90}


def closed_case(personas: Personas, days_ago: int) -> Case:
    case = open_case(personas.screener)
    case_actions.do_add_note(case, actor=personas.screener, text="Meets at the bus station")
    case_actions.do_add_document(
        case,
        actor=personas.screener,
        title="passport copy",
        content=b"N12345678",
        content_type="text/plain",
    )
    case = case_actions.do_change_case_status(
        case,
        actor=personas.screener,
        status=Case.Status.CLOSED,
        closure_reason=Case.ClosureReason.ASSISTANCE_COMPLETED,
        expected_revision=None,
    )
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))
    return Case.objects.get(pk=case.pk)


def draft_screening(personas: Personas, days_ago: int) -> Screening:
    screening = screening_actions.do_start_screening(
        actor=personas.monitor,
        context={
            "place": "patrol",
            "interview_language": "ru",
            "age_group": "adult",
            "age_years": 30,
            "form": "labour",
        },
        answers={"AL-DR-01": "observed"},
    )
    old = timezone.now() - timedelta(days=days_ago)
    Screening.objects.filter(pk=screening.pk).update(created_at=old, updated_at=old)
    return screening


def retention(*args: str) -> str:
    out = StringIO()
    call_command("retention", "apply", *args, stdout=out)
    return out.getvalue()


def raw_state() -> str:
    rows: list[str] = []
    with connection.cursor() as cursor:
        for table in ("cases_person", "cases_case", "cases_note", "cases_document"):
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")
            rows.extend(str(row) for row in cursor.fetchall())
    return "\n".join(rows)


def test_a_dry_run_reports_what_is_due_and_changes_nothing(personas: Personas) -> None:
    due = closed_case(personas, days_ago=400)
    closed_case(personas, days_ago=1)
    old_draft = draft_screening(personas, days_ago=100)
    before, entries = raw_state(), AuditEntry.objects.count()

    output = retention("--dry-run")

    assert f"would anonymise case {due.number} (1/1)" in output
    assert f"would delete draft screening {old_draft.reference}" in output
    assert "dry run: 1 cases would be anonymised and 1 draft screenings deleted" in output
    assert raw_state() == before
    assert AuditEntry.objects.count() == entries
    assert Screening.objects.filter(pk=old_draft.pk).exists()
    assert Person.objects.get(pk=due.person_id).family_name == "Канарьева"


def test_only_cases_past_their_retention_period_are_anonymised(personas: Personas) -> None:
    old = closed_case(personas, days_ago=400)
    recent = closed_case(personas, days_ago=1)
    still_open = open_case(personas.screener)
    old_document = Document.objects.get(case=old)

    output = retention()

    assert f"anonymised case {old.number} (1/1)" in output
    assert "1 cases anonymised" in output
    person = Person.objects.get(pk=old.person_id)
    for name in ("given_name", "family_name", "patronymic", "other_names", "date_of_birth"):
        assert getattr(person, name) == ""
    assert person.address == "" and person.documents == [] and person.contacts == []
    assert person.anonymised_at is not None
    assert not PersonIndex.objects.filter(person=person).exists()
    assert not Note.objects.filter(case=old).exists()
    assert not Document.objects.filter(case=old).exists()
    assert not (documents.documents_dir() / old_document.storage_name).exists()
    # The case number and the anonymous statistics remain.
    kept = Case.objects.get(pk=old.pk)
    assert kept.number == old.number and kept.anonymised_at is not None
    assert (kept.region_id, kept.form, kept.outcome, kept.status) == (
        old.region_id,
        "labour",
        "presumed_victim",
        Case.Status.CLOSED,
    )
    assert (person.sex, person.age_band, person.citizenship) == ("female", "18-24", "KZ")
    # The others are untouched.
    for case in (recent, still_open):
        assert Case.objects.get(pk=case.pk).anonymised_at is None
        assert Person.objects.get(pk=case.person_id).family_name == "Канарьева"
        assert PersonIndex.objects.filter(person_id=case.person_id).exists()
    entry = AuditEntry.objects.get(action="delete", object_type="person", object_id=person.pk)
    assert entry.actor_id is None and entry.actor_username == "retention"
    assert verify_chain() is None


def test_a_second_run_finds_nothing_more_to_do(personas: Personas) -> None:
    closed_case(personas, days_ago=400)
    retention()
    entries = AuditEntry.objects.count()

    output = retention()

    assert "0 cases anonymised, 0 draft screenings deleted" in output
    assert AuditEntry.objects.count() == entries


def test_only_abandoned_drafts_without_a_case_are_deleted(personas: Personas) -> None:
    abandoned = draft_screening(personas, days_ago=100)
    recent = draft_screening(personas, days_ago=5)
    finalised = finalised_screening(personas.screener)
    old = timezone.now() - timedelta(days=400)
    Screening.objects.filter(pk=finalised.pk).update(created_at=old, updated_at=old)
    with_case = open_case(personas.screener).screenings.get()
    Screening.objects.filter(pk=with_case.pk).update(updated_at=old)

    output = retention()

    assert f"deleted draft screening {abandoned.reference} (1/1)" in output
    assert not Screening.objects.filter(pk=abandoned.pk).exists()
    assert Screening.objects.filter(pk__in=[recent.pk, finalised.pk, with_case.pk]).count() == 3
    entry = AuditEntry.objects.get(action="delete", object_type="screening")
    assert entry.object_id == str(abandoned.pk) and entry.actor_username == "retention"


def test_a_run_counts_the_periods_from_the_moment_it_is_given(personas: Personas) -> None:
    case = closed_case(personas, days_ago=10)
    draft = draft_screening(personas, days_ago=10)
    a_year_on = timezone.now() + timedelta(days=400)

    assert apply_retention(dry_run=True).cases == []  # not due today
    result = apply_retention(now=a_year_on)

    assert result.cases == [case.number]
    assert result.screenings == [draft.reference]
    assert Case.objects.get(pk=case.pk).anonymised_at is not None
    assert not Screening.objects.filter(pk=draft.pk).exists()


def test_cases_go_in_the_order_they_were_closed_and_drafts_in_the_order_they_were_left(
    personas: Personas,
) -> None:
    closed_later = closed_case(personas, days_ago=400)  # opened first
    closed_earlier = closed_case(personas, days_ago=500)
    left_later = draft_screening(personas, days_ago=100)
    left_earlier = draft_screening(personas, days_ago=200)

    result = apply_retention(dry_run=True)

    assert result.cases == [closed_earlier.number, closed_later.number]
    assert result.screenings == [left_earlier.reference, left_later.reference]


def test_a_draft_finalised_while_retention_runs_is_kept_and_the_next_is_still_deleted(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    racing = draft_screening(personas, days_ago=200)
    due = draft_screening(personas, days_ago=100)
    real = retention_module.expired_draft_screenings

    def select_then_finalise(now: object = None) -> list[Screening]:
        selected = list(real(now))  # type: ignore[arg-type]
        # The screener comes back to the draft and finalises it before retention reaches it.
        Screening.objects.filter(pk=racing.pk).update(status=Screening.Status.FINAL)
        return selected

    monkeypatch.setattr(retention_module, "expired_draft_screenings", select_then_finalise)

    result = apply_retention()

    assert result.screenings == [due.reference]
    assert result.kept_screenings == []
    assert Screening.objects.filter(pk=racing.pk, status=Screening.Status.FINAL).exists()
    assert not Screening.objects.filter(pk=due.pk).exists()
    entry = AuditEntry.objects.get(action="delete", object_type="screening")
    assert entry.object_id == str(due.pk)
    assert entry.reason == "retention period over"


def test_a_draft_another_record_refers_to_is_kept_and_named_and_the_next_is_still_deleted(
    personas: Personas,
) -> None:
    referred = draft_screening(personas, days_ago=300)
    referring = draft_screening(personas, days_ago=200)
    due = draft_screening(personas, days_ago=100)
    Screening.objects.filter(pk=referring.pk).update(supersedes=referred)

    output = retention()

    assert f"kept draft screening {referred.reference}: other records use it" in output
    assert f"deleted draft screening {referring.reference} (2/3)" in output
    assert f"deleted draft screening {due.reference} (3/3)" in output
    assert "0 cases anonymised, 2 draft screenings deleted" in output
    assert f"1 draft screenings kept because other records use them: {referred.reference}" in output
    assert Screening.objects.filter(pk=referred.pk).exists()
    assert not Screening.objects.filter(pk__in=[referring.pk, due.pk]).exists()
