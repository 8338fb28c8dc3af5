"""Retention never touches an open case, however old, nor a case reopened while it runs."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.cases import actions as case_actions
from tanu.cases import retention
from tanu.cases.models import Case, Note, Person, PersonIndex
from tanu.cases.tests.helpers import open_case

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(days=3650)


@pytest.fixture(autouse=True)
def retention_periods(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.TANU_RETENTION_DAYS = {"closed_case": 365, "draft_screening": 90}


def case_with_note(personas: Personas) -> Case:
    case = open_case(personas.screener)
    case_actions.do_add_note(case, actor=personas.screener, text="Meets at the bus station")
    return case


def old_open_case(personas: Personas) -> Case:
    """An open case created, changed and last touched ten years ago."""
    case = case_with_note(personas)
    old = timezone.now() - LONG_AGO
    Case.objects.filter(pk=case.pk).update(created_at=old, updated_at=old)
    Person.objects.filter(pk=case.person_id).update(created_at=old, updated_at=old)
    return Case.objects.get(pk=case.pk)


def close(case: Case, actor: Any, days_ago: int) -> Case:
    case = case_actions.do_change_case_status(
        case,
        actor=actor,
        status=Case.Status.CLOSED,
        closure_reason=Case.ClosureReason.ASSISTANCE_COMPLETED,
        expected_revision=None,
    )
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))
    return Case.objects.get(pk=case.pk)


def reopen(case: Case, actor: Any) -> Case:
    return case_actions.do_change_case_status(
        case, actor=actor, status=Case.Status.OPEN, expected_revision=None
    )


def assert_untouched(case: Case) -> None:
    case.refresh_from_db()
    person = Person.objects.get(pk=case.person_id)
    assert case.anonymised_at is None
    assert person.anonymised_at is None
    assert person.family_name == "Канарьева"
    assert person.documents == [{"type": "id_card", "number": "N12345678"}]
    assert PersonIndex.objects.filter(person=person).exists()
    assert Note.objects.filter(case=case).exists()


def test_an_open_case_created_long_before_the_cutoff_is_kept_by_tanu_retention_apply(
    personas: Personas,
) -> None:
    kept = old_open_case(personas)
    due = close(case_with_note(personas), personas.screener, days_ago=400)
    out = StringIO()

    call_command("retention", "apply", stdout=out)

    assert f"anonymised case {due.number} (1/1)" in out.getvalue()
    assert kept.number not in out.getvalue()
    assert_untouched(kept)
    assert Case.objects.get(pk=due.pk).anonymised_at is not None


def test_a_case_closed_long_ago_and_reopened_since_is_kept(personas: Personas) -> None:
    case = close(old_open_case(personas), personas.screener, days_ago=3000)
    reopened = reopen(case, personas.screener)
    Case.objects.filter(pk=reopened.pk).update(created_at=timezone.now() - LONG_AGO)

    result = retention.apply_retention()

    assert result.cases == []
    assert_untouched(reopened)


def test_a_dry_run_does_not_list_an_old_open_case(personas: Personas) -> None:
    kept = old_open_case(personas)

    result = retention.apply_retention(dry_run=True)

    assert kept.number not in result.cases


def test_a_case_reopened_after_retention_selected_it_is_left_alone(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The racing case comes first (closed earlier): the one after it must still be anonymised.
    racing = close(case_with_note(personas), personas.screener, days_ago=500)
    due = close(case_with_note(personas), personas.screener, days_ago=400)
    real_expired_cases = retention.expired_cases
    calls = {"n": 0}

    def select_then_reopen(now: Any = None) -> Any:
        calls["n"] += 1
        if calls["n"] > 1:
            return real_expired_cases(now)
        # The selection is read, then an official reopens the case before it is anonymised.
        selected = list(real_expired_cases(now))
        assert {c.pk for c in selected} == {racing.pk, due.pk}
        reopen(racing, personas.screener)
        return selected

    monkeypatch.setattr(retention, "expired_cases", select_then_reopen)

    result = retention.apply_retention()

    assert result.cases == [due.number]
    assert_untouched(racing)
    assert Case.objects.get(pk=racing.pk).status == Case.Status.OPEN
    assert Case.objects.get(pk=due.pk).anonymised_at is not None


def test_anonymising_a_stale_selection_of_a_reopened_case_does_nothing(
    personas: Personas,
) -> None:
    stale = close(case_with_note(personas), personas.screener, days_ago=400)
    reopen(stale, personas.screener)

    assert retention._anonymise(stale, timezone.now()) is False

    assert_untouched(stale)
