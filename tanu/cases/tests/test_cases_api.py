from __future__ import annotations

import pytest
from django.test import Client

from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import finalised_screening, open_case

pytestmark = pytest.mark.django_db


def api(username: str) -> tuple[Client, dict[str, str]]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    token = client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": TEST_PASSWORD},
        content_type="application/json",
    ).json()["token"]
    return client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_case_opens_through_the_api_from_a_finalised_screening(personas: Personas) -> None:
    screening = finalised_screening(personas.screener)
    client, auth = api("screener")
    response = client.post(
        "/api/v1/cases/",
        {"screening": screening.pk, "person": {"given_name": "Aigerim", "sex": "female"}},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201
    assert response.json()["number"].startswith("ALM-")
    assert "Aigerim" not in response.content.decode()


def test_the_person_is_read_only_with_a_reason_and_that_is_audited(personas: Personas) -> None:
    case = open_case(personas.screener)
    client, auth = api("caseworker")
    assert client.get(f"/api/v1/cases/{case.pk}/person/", **auth).status_code == 404  # not its case
    client, auth = api("screener")
    assert client.get(f"/api/v1/cases/{case.pk}/person/", **auth).status_code == 400
    person = client.get(
        f"/api/v1/cases/{case.pk}/person/", HTTP_X_TANU_REASON="referral to shelter", **auth
    )
    assert person.status_code == 200
    assert person.json()["family_name"] == "Канарьева"
    from tanu.audit.chain import reason_digest
    from tanu.audit.models import AuditEntry

    assert AuditEntry.objects.filter(
        action="reveal", reason_digest=reason_digest("referral to shelter")
    ).exists()


def test_a_stale_if_match_gets_412_and_the_case_keeps_the_first_change(personas: Personas) -> None:
    case = open_case(personas.screener)
    client, auth = api("screener")
    etag = client.get(f"/api/v1/cases/{case.pk}/", **auth)["ETag"]
    first = client.patch(
        f"/api/v1/cases/{case.pk}/",
        {"status": "referred"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **auth,
    )
    assert first.status_code == 200
    second = client.patch(
        f"/api/v1/cases/{case.pk}/",
        {"status": "closed", "closure_reason": "other"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **auth,
    )
    assert second.status_code == 412
    case.refresh_from_db()
    assert case.status == "referred"


def test_outsiders_and_non_case_roles_get_404_over_the_api(personas: Personas) -> None:
    case = open_case(personas.screener)
    for username in ("outsider", "trainer", "analyst", "admin", "outsider_coordinator"):
        client, auth = api(username)
        assert client.get(f"/api/v1/cases/{case.pk}/", **auth).status_code == 404, username
        assert (
            client.get(
                f"/api/v1/cases/{case.pk}/person/", HTTP_X_TANU_REASON="curious about it", **auth
            ).status_code
            == 404
        )
    client, auth = api("coordinator")
    assert client.get(f"/api/v1/cases/{case.pk}/", **auth).status_code == 200
