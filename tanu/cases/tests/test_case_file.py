from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.cases import actions
from tanu.cases.models import AnonymousNotification, Case, Person
from tanu.cases.tests.helpers import POSSIBLE, finalised_screening, open_case, signed_in

pytestmark = pytest.mark.django_db


def test_a_case_opens_from_a_presumed_victim_with_a_pseudonymous_number(personas: Personas) -> None:
    case = open_case(personas.screener)
    year = timezone.localdate().year
    assert case.number == f"ALM-{year}-000001"
    assert "Канарьева" not in case.number and "Zhanar" not in case.number
    assert case.status == Case.Status.OPEN
    assert case.screenings.count() == 1
    assert case.reflection_ends == case.reflection_starts + timedelta(days=30)
    assert AuditEntry.objects.filter(
        object_type="case", object_id=str(case.pk), action="create"
    ).exists()


def test_a_possible_victim_gets_a_case_without_a_reflection_period(personas: Personas) -> None:
    case = open_case(personas.screener, codes=POSSIBLE)
    assert case.outcome == "possible_victim"
    assert case.reflection_ends is None


def test_no_case_is_opened_without_an_indication(personas: Personas) -> None:
    screening = finalised_screening(personas.screener, codes=[])
    with pytest.raises(actions.CaseError):
        actions.do_open_case(screening, actor=personas.screener, person_data={})
    assert not Case.objects.exists()


def test_an_adult_who_declines_is_counted_anonymously_and_nothing_else(personas: Personas) -> None:
    client = signed_in("screener")
    screening = finalised_screening(personas.screener)
    response = client.post(
        f"/screenings/{screening.pk}/case/",
        {"declined": "1", "decline-sex": "female", "decline-citizenship": "UZ"},
    )
    assert response.status_code == 302
    notification = AnonymousNotification.objects.get()
    assert (notification.sex, notification.age_band, notification.citizenship) == (
        "female",
        "18-24",
        "UZ",
    )
    assert notification.region.code == "KZ-75"
    assert not Person.objects.exists() and not Case.objects.exists()


def test_a_child_cannot_decline_protection(personas: Personas) -> None:
    screening = finalised_screening(
        personas.screener,
        age_group="child",
        age_years=15,
        codes=["CL-DR-01", "CL-DR-02", "CL-EC-01", "CL-EC-02"],
    )
    with pytest.raises(actions.CaseError):
        actions.do_record_decline(screening, actor=personas.screener, sex="male", citizenship="KZ")


def test_closing_a_case_needs_a_reason(personas: Personas) -> None:
    case = open_case(personas.screener)
    client = signed_in("screener")
    refused = client.post(
        f"/cases/{case.pk}/status/", {"status": "closed", "revision": case.revision}, follow=True
    )
    assert "Choose the reason for closing the case." in refused.content.decode()
    case.refresh_from_db()
    assert case.status == "open"
    client.post(
        f"/cases/{case.pk}/status/",
        {"status": "closed", "closure_reason": "assistance_completed", "revision": case.revision},
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_reason == "assistance_completed"


def test_a_concurrent_edit_is_refused_with_a_clear_message_and_loses_nothing(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    stale = case.revision
    actions.do_change_case_status(
        case, actor=personas.screener, status="referred", expected_revision=stale
    )
    client = signed_in("colleague")
    response = client.post(
        f"/cases/{case.pk}/status/",
        {"status": "closed", "closure_reason": "other", "revision": stale},
        follow=True,
    )
    assert "Someone else changed this case" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "referred"


def test_the_case_shows_the_end_of_the_reflection_period(personas: Personas) -> None:
    case = open_case(personas.screener)
    page = signed_in("screener").get(f"/cases/{case.pk}/").content.decode()
    assert "Recovery and reflection period until" in page
    assert "30 days left." in page
