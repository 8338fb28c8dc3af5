"""Every role against every kind of record, over pages and API alike: exactly the access DESIGN
gives, and 404 (never 403) otherwise."""

from __future__ import annotations

import pytest
from django.test import Client

from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import open_case

ROLES = [
    "screener",
    "colleague",
    "caseworker",
    "coordinator",
    "monitor",
    "trainer",
    "analyst",
    "admin",
    "outsider",
    "outsider_coordinator",
    "national_admin",
]
# Who may open the Almaty police's screening and case (the owner agency and the region's
# coordinator). A shelter case worker sees a case only through a referral.
FULL = {"screener", "colleague", "coordinator"}


def _page_client(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    return client


def _api_client(username: str) -> tuple[Client, dict[str, str]]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    token = client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": TEST_PASSWORD},
        content_type="application/json",
    ).json()["token"]
    return client, {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_X_TANU_REASON": "matrix test"}


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_each_role_gets_exactly_the_access_design_gives(personas: Personas, username: str) -> None:
    case = open_case(personas.screener)
    screening = case.screenings.get()
    expected = 200 if username in FULL else 404
    page = _page_client(username)
    api, auth = _api_client(username)
    observed = {
        "screening page": page.get(f"/screenings/{screening.pk}/").status_code,
        "screening print": page.get(f"/screenings/{screening.pk}/print/").status_code,
        "case page": page.get(f"/cases/{case.pk}/").status_code,
        "screening api": api.get(f"/api/v1/screenings/{screening.pk}/", **auth).status_code,
        "case api": api.get(f"/api/v1/cases/{case.pk}/", **auth).status_code,
        "person api": api.get(f"/api/v1/cases/{case.pk}/person/", **auth).status_code,
    }
    assert observed == dict.fromkeys(observed, expected)
    # Writes: only the owning agency may change the screening; the coordinator reads.
    can_write = username in {"screener", "colleague"}
    write = page.post(f"/screenings/{screening.pk}/correct/")
    assert (write.status_code == 302) is can_write, write.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_a_referral_opens_only_its_part_to_the_receiving_agency(
    personas: Personas, username: str
) -> None:
    from tanu.cases.models import Consent
    from tanu.referrals import actions
    from tanu.referrals.models import Service

    case = open_case(personas.screener)
    service = Service.objects.create(
        kind="shelter",
        region=personas.shelter.region,
        agency=personas.shelter,
        name_en="Shelter",
        name_ru="Приют",
        name_kk="Баспана",
    )
    consent = Consent.objects.create(
        case=case,
        purpose="referral",
        service=service,
        given=True,
        basis="person",
        language="ru",
        recorded_by=personas.screener,
    )
    referral = actions.do_send_referral(
        case,
        actor=personas.screener,
        service=service,
        purpose="Shelter",
        urgency="routine",
        shared_fields=["sex"],
        consent=consent,
    )
    page = _page_client(username)
    api, auth = _api_client(username)
    sees_referral = username in FULL | {"caseworker"}
    sees_case = username in FULL
    observed = {
        "referral page": page.get(f"/referrals/{referral.pk}/").status_code,
        "referral api": api.get(f"/api/v1/referrals/{referral.pk}/", **auth).status_code,
        "case page": page.get(f"/cases/{case.pk}/").status_code,
        "person api": api.get(f"/api/v1/cases/{case.pk}/person/", **auth).status_code,
    }
    expected = {
        "referral page": 200 if sees_referral else 404,
        "referral api": 200 if sees_referral else 404,
        "case page": 200 if sees_case else 404,
        "person api": 200 if sees_case else 404,
    }
    assert observed == expected
