"""Reading a referral: the shared personal values are masked, revealed by the receiving agency
with a reason (one audit entry naming the fields), and only while the referral is open and the
consent (or recorded exception) behind it is in force."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, Alert, AuditEntry
from tanu.cases import actions as case_actions
from tanu.cases.models import Case, Note
from tanu.cases.tests.helpers import open_case, signed_in
from tanu.referrals import actions
from tanu.referrals.models import Referral
from tanu.referrals.tests.test_referrals import consent, shelter_service

pytestmark = pytest.mark.django_db

SHARED = ["sex", "name", "documents", "contacts"]
SECRETS = ("Канарьева", "N12345678", "+7 701 000 0000")


def api(username: str) -> tuple[Client, dict[str, str]]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    token = client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": TEST_PASSWORD},
        content_type="application/json",
    ).json()["token"]
    return client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def refer_with_personal_data(case: Case, personas: Personas, **extra: Any) -> Referral:
    kwargs: dict[str, Any] = {
        "service": shelter_service(personas),
        "purpose": "Safe accommodation",
        "urgency": "urgent",
        "shared_fields": SHARED,
        "consent": consent(case, personas),
    }
    kwargs["consent"].shared_fields = [*SHARED, "case_number"]
    kwargs["consent"].save()
    kwargs.update(extra)
    return actions.do_send_referral(case, actor=personas.screener, **kwargs)


def reveal(client: Client, referral: Referral, reason: str = "placing her in the shelter") -> None:
    client.post(f"/referrals/{referral.pk}/reveal/", {"reason": reason})


def shows_secrets(body: str) -> list[str]:
    return [secret for secret in SECRETS if secret in body]


# --- 1. Reading a referral ------------------------------------------------------------------


def test_referral_lists_and_details_in_the_api_carry_no_personal_value(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    referral = refer_with_personal_data(case, personas)
    for username in ("screener", "caseworker", "coordinator"):
        client, auth = api(username)
        listing = client.get("/api/v1/referrals/", **auth)
        detail = client.get(f"/api/v1/referrals/{referral.pk}/", **auth)
        assert listing.status_code == detail.status_code == 200
        assert shows_secrets(listing.content.decode()) == []
        assert shows_secrets(detail.content.decode()) == []
        data = detail.json()
        assert "shared" not in data
        assert data["case_number"] == case.number
        assert data["purpose"] == "Safe accommodation"
        assert set(data["shared_fields"]) == {*SHARED, "case_number"}
        assert data["sharing_ended_reason"] is None
    reads = AuditEntry.objects.filter(action=Action.READ, object_type="referral")
    assert reads.count() == 3
    assert not AuditEntry.objects.filter(
        object_type="person", action__in=["read", "reveal"]
    ).exists()


def test_the_recipient_reads_the_shared_values_only_after_revealing_them_with_a_reason(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    referral = refer_with_personal_data(case, personas)
    shelter = signed_in("caseworker")
    masked = shelter.get(f"/referrals/{referral.pk}/").content.decode()
    assert shows_secrets(masked) == []
    assert 'data-testid="reveal"' in masked
    assert case.number in masked and "female" in masked
    reveal(shelter, referral, reason="")
    assert not AuditEntry.objects.filter(action=Action.REVEAL).exists()
    assert shows_secrets(shelter.get(f"/referrals/{referral.pk}/").content.decode()) == []

    reveal(shelter, referral)
    entry = AuditEntry.objects.get(action=Action.REVEAL)
    assert entry.actor == personas.caseworker
    assert (entry.object_type, entry.object_id) == ("person", str(case.person_id))
    assert entry.fields == ["contacts", "documents", "name"]
    shown = shelter.get(f"/referrals/{referral.pk}/").content.decode()
    assert shows_secrets(shown) == list(SECRETS)
    # Document types and contact channels read as words, never as codes.
    assert "identity card N12345678" in shown and "id_card" not in shown


def test_the_sender_and_the_coordinator_see_the_masked_summary_and_a_link_to_the_case(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    referral = refer_with_personal_data(case, personas)
    for username in ("screener", "coordinator"):
        client = signed_in(username)
        page = client.get(f"/referrals/{referral.pk}/").content.decode()
        assert shows_secrets(page) == []
        assert f'href="/cases/{case.pk}/"' in page
        assert 'data-testid="reveal"' not in page
        assert (
            client.post(
                f"/referrals/{referral.pk}/reveal/", {"reason": "curious about it"}
            ).status_code
            == 404
        )
        assert shows_secrets(client.get(f"/referrals/{referral.pk}/").content.decode()) == []
    assert not AuditEntry.objects.filter(action=Action.REVEAL).exists()


def test_the_referral_person_api_needs_a_reason_and_answers_only_the_shared_fields(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    referral = refer_with_personal_data(case, personas)
    client, auth = api("caseworker")
    url = f"/api/v1/referrals/{referral.pk}/person/"
    refused = client.get(url, HTTP_X_TANU_REASON="why", HTTP_ACCEPT_LANGUAGE="ru", **auth)
    assert refused.status_code == 400
    assert "X-Tanu-Reason" in refused.json()["detail"]
    assert "Укажите" in refused.json()["detail"]
    assert not AuditEntry.objects.filter(action=Action.REVEAL).exists()

    response = client.get(url, HTTP_X_TANU_REASON="placing her in the shelter", **auth)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert set(data) == {*SHARED, "case_number"}
    assert data["name"] == "Канарьева Жанар"
    assert data["documents"][0]["number"] == "N12345678"
    entry = AuditEntry.objects.get(action=Action.REVEAL)
    assert (entry.object_type, entry.object_id) == ("person", str(case.person_id))
    assert entry.fields == sorted({*SHARED, "case_number"})


def test_the_referral_person_api_is_404_for_everyone_but_the_recipient(
    personas: Personas,
) -> None:
    referral = refer_with_personal_data(open_case(personas.screener), personas)
    url = f"/api/v1/referrals/{referral.pk}/person/"
    for username in ("caseworker", "screener", "coordinator", "outsider", "analyst"):
        client, auth = api(username)
        response = client.get(url, HTTP_X_TANU_REASON="a good reason", **auth)
        expected = 200 if username == "caseworker" else 404
        assert response.status_code == expected, username
        assert bool(shows_secrets(response.content.decode())) is (username == "caseworker")


@override_settings(TANU_ALERT_PERSON_RECORDS=1, TANU_ALERT_WINDOW_MINUTES=10)
def test_reads_through_the_referral_api_count_towards_the_unusual_access_alert(
    personas: Personas,
) -> None:
    referrals = [refer_with_personal_data(open_case(personas.screener), personas) for _ in range(2)]
    client, auth = api("caseworker")
    for referral in referrals:
        response = client.get(
            f"/api/v1/referrals/{referral.pk}/person/",
            HTTP_X_TANU_REASON="placing her in the shelter",
            **auth,
        )
        assert response.status_code == 200
    alert = Alert.objects.get(kind=Alert.Kind.UNUSUAL_PERSON_ACCESS)
    assert alert.actor == personas.caseworker


# --- 2. Sharing ends with the referral -------------------------------------------------------


def _end(referral: Referral, personas: Personas, how: str) -> None:
    if how == "declined":
        actions.do_change_referral_status(
            referral, actor=personas.caseworker, status="declined", reason="No places left"
        )
    elif how == "withdrawn":
        actions.do_change_referral_status(referral, actor=personas.screener, status="withdrawn")
    elif how == "completed":
        actions.do_change_referral_status(referral, actor=personas.caseworker, status="completed")
    else:
        assert referral.consent is not None
        case_actions.do_withdraw_consent(referral.consent, actor=personas.screener)


ENDINGS = {
    "declined": "The referral was declined",
    "withdrawn": "The referral was withdrawn",
    "completed": "The referral was completed",
    "consent withdrawn": "The person withdrew the consent",
}


@pytest.mark.parametrize("how", list(ENDINGS))
def test_the_shared_values_are_gone_once_the_referral_ends_but_the_recipients_records_stay(
    personas: Personas, how: str
) -> None:
    case = open_case(personas.screener)
    referral = refer_with_personal_data(case, personas)
    if how == "completed":
        actions.do_change_referral_status(referral, actor=personas.caseworker, status="accepted")
    shelter = signed_in("caseworker")
    shelter.post(f"/referrals/{referral.pk}/notes/", {"text": "Shelter note: bed 4 kept"})
    reveal(shelter, referral)  # a reveal granted in the session before the end ...
    assert shows_secrets(shelter.get(f"/referrals/{referral.pk}/").content.decode())
    _end(Referral.objects.get(pk=referral.pk), personas, how)

    page = shelter.get(f"/referrals/{referral.pk}/").content.decode()
    assert shows_secrets(page) == []  # ... does not outlive it
    assert "female" not in page
    assert ENDINGS[how] in page and "no longer available" in page
    assert case.number in page and "Shelter note: bed 4 kept" in page
    shared_table = page.split('data-testid="shared"', 1)[1].split("</table>", 1)[0]
    assert case.number in shared_table  # the case number stays in the shared information
    assert 'data-testid="reveal"' not in page
    reveal(shelter, referral)
    assert shows_secrets(shelter.get(f"/referrals/{referral.pk}/").content.decode()) == []

    client, auth = api("caseworker")
    person = client.get(
        f"/api/v1/referrals/{referral.pk}/person/", HTTP_X_TANU_REASON="a good reason", **auth
    )
    assert person.status_code == 404
    detail = client.get(f"/api/v1/referrals/{referral.pk}/", **auth).json()
    assert ENDINGS[how] in detail["sharing_ended_reason"]
    assert Note.objects.filter(agency=personas.shelter).count() == 1


def test_a_referral_under_a_recorded_exception_shares_while_it_is_open(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    referral = actions.do_send_referral(
        case,
        actor=personas.screener,
        service=shelter_service(personas),
        purpose="Emergency shelter",
        urgency="emergency",
        shared_fields=["name"],
        consent=None,
        consent_exception="risk_to_life",
        exception_reason="Threats from the employer tonight; no time to explain consent.",
    )
    shelter = signed_in("caseworker")
    assert "Канарьева" not in shelter.get(f"/referrals/{referral.pk}/").content.decode()
    reveal(shelter, referral)
    assert "Канарьева" in shelter.get(f"/referrals/{referral.pk}/").content.decode()
