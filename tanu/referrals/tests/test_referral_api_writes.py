"""The referral API writes: POST /api/v1/referrals/ sends a referral covered by a consent naming
the service; POST /api/v1/referrals/<id>/status/ moves it as the form does, by the right agency."""

from __future__ import annotations

from typing import Any

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry
from tanu.cases.models import Case
from tanu.cases.tests.helpers import open_case
from tanu.referrals.models import Referral, ReferralEvent
from tanu.referrals.tests.test_referral_consent import post_referral, record_consent
from tanu.referrals.tests.test_referral_sharing import api
from tanu.referrals.tests.test_referrals import shelter_service

pytestmark = pytest.mark.django_db


def sent(personas: Personas) -> tuple[Case, Referral]:
    case = open_case(personas.screener)
    service = shelter_service(personas)
    consent = record_consent(case, personas, service=service, shared_fields=["name"])
    response = post_referral(case, service, consent, ["name", "sex"])
    assert response.status_code == 201, response.content
    return case, Referral.objects.get(pk=response.json()["id"])


def post_status(username: str, referral: Referral, status: str, **extra: Any) -> Any:
    client, auth = api(username)
    return client.post(
        f"/api/v1/referrals/{referral.pk}/status/",
        {"status": status, **extra},
        content_type="application/json",
        **auth,
    )


def test_a_referral_created_through_the_api_is_sent_to_the_service_and_audited(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    service = shelter_service(personas)
    consent = record_consent(case, personas, service=service, shared_fields=["name"])

    response = post_referral(case, service, consent, ["name", "sex"])

    assert response.status_code == 201
    body = response.json()
    referral = Referral.objects.get()
    assert body["id"] == referral.pk
    assert body["case_number"] == case.number
    assert body["status"] == "sent" and body["urgency"] == "urgent"
    assert body["shared_fields"] == ["case_number", "name", "sex"]
    assert "Канарьева" not in response.content.decode()
    assert referral.to_agency_id == personas.shelter.pk
    assert referral.from_agency_id == personas.police.pk
    assert referral.consent_id == consent.pk
    assert Case.objects.get(pk=case.pk).status == Case.Status.REFERRED
    entry = AuditEntry.objects.get(object_type="referral", action=Action.CREATE)
    assert entry.object_id == str(referral.pk) and entry.actor_id == personas.screener.pk
    assert entry.fields == ["case_number", "name", "sex"]


def test_a_referral_without_consent_or_exception_is_refused_and_nothing_is_sent(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    client, auth = api("screener")

    response = client.post(
        "/api/v1/referrals/",
        {"case": case.pk, "service": shelter_service(personas).pk, "purpose": "Shelter"},
        content_type="application/json",
        **auth,
    )

    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Referral.objects.exists()
    assert Case.objects.get(pk=case.pk).status == Case.Status.OPEN


def test_the_consent_of_another_case_does_not_cover_a_referral(personas: Personas) -> None:
    case = open_case(personas.screener)
    other = open_case(personas.screener)
    service = shelter_service(personas)
    consent = record_consent(other, personas, service=service, shared_fields=["name"])

    response = post_referral(case, service, consent, ["name"])

    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_an_official_of_another_region_cannot_refer_the_case(personas: Personas) -> None:
    case = open_case(personas.screener)
    client, auth = api("outsider")

    response = client.post(
        "/api/v1/referrals/",
        {
            "case": case.pk,
            "service": shelter_service(personas).pk,
            "purpose": "Shelter",
            "consent_exception": "risk_to_life",
            "exception_reason": "threatened tonight",
        },
        content_type="application/json",
        **auth,
    )

    assert response.status_code == 404
    assert not Referral.objects.exists()


def test_the_receiving_service_accepts_through_the_api_and_the_case_is_in_assistance(
    personas: Personas,
) -> None:
    case, referral = sent(personas)

    response = post_status("caseworker", referral, "accepted")

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert referral.revision == 2
    assert Case.objects.get(pk=case.pk).status == Case.Status.IN_ASSISTANCE
    event = ReferralEvent.objects.filter(referral=referral).order_by("pk").last()
    assert event is not None and event.status == "accepted"
    assert event.actor_id == personas.caseworker.pk
    entry = AuditEntry.objects.get(object_type="referral", action=Action.UPDATE)
    assert entry.object_id == str(referral.pk) and entry.fields == ["status"]
    assert entry.actor_id == personas.caseworker.pk


def test_the_sending_agency_cannot_accept_its_own_referral_but_can_withdraw_it(
    personas: Personas,
) -> None:
    _case, referral = sent(personas)

    refused = post_status("screener", referral, "accepted")

    assert refused.status_code == 400
    assert refused.json()["detail"] == "Only the receiving service can do this."
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.SENT
    withdrawn = post_status("screener", referral, "withdrawn")
    assert withdrawn.status_code == 200
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.WITHDRAWN


def test_declining_needs_a_reason_which_is_kept(personas: Personas) -> None:
    _case, referral = sent(personas)

    without = post_status("caseworker", referral, "declined")

    assert without.status_code == 400
    assert without.json()["detail"] == "Give the reason for declining."
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.SENT
    declined = post_status("caseworker", referral, "declined", reason="no beds until Monday")
    assert declined.status_code == 200
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DECLINED
    assert referral.decline_reason == "no beds until Monday"


def test_a_move_the_referral_cannot_make_is_refused_and_changes_nothing(
    personas: Personas,
) -> None:
    _case, referral = sent(personas)

    completed = post_status("caseworker", referral, "completed")
    unknown = post_status("caseworker", referral, "lost")

    assert completed.status_code == 400
    assert completed.json()["detail"] == "A referral that is sent cannot become completed."
    assert unknown.status_code == 400
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT and referral.revision == 1
    assert not AuditEntry.objects.filter(object_type="referral", action=Action.UPDATE).exists()


@pytest.mark.parametrize("username", ["outsider", "monitor", "outsider_coordinator"])
def test_an_agency_that_neither_sent_nor_receives_it_gets_404(
    personas: Personas, username: str
) -> None:
    _case, referral = sent(personas)

    response = post_status(username, referral, "accepted")

    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.SENT
