"""Denied object access goes on the trail, and a coordinator's search finds every access to the
region's cases: by officials of other regions (referral recipients) and by officials who have
since moved, since the entry keeps the region of the object, not of the actor."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas
from tanu.audit.actions import record
from tanu.audit.models import Action, AuditEntry, ObjectType
from tanu.cases.models import Case
from tanu.cases.tests.helpers import CANARY, finalised_screening, open_case

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def bearer(username: str) -> dict[str, Any]:
    response = Client().post(
        "/api/v1/auth/token/",
        {"username": username, "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def denied(**filters: object) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=Action.DENIED, **filters))


def searched(username: str, **params: str) -> list[AuditEntry]:
    response = signed_in(username).get("/audit/", params)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_a_case_page_denied_to_an_outsider_is_audited_without_personal_data(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    assert signed_in("outsider").get(f"/cases/{case.pk}/").status_code == 404
    [entry] = denied(actor=personas.outsider)
    assert (entry.object_type, entry.object_id) == ("case", str(case.pk))
    assert entry.region_id == case.region_id
    assert entry.fields == [] and entry.reason == ""
    assert entry.address == "127.0.0.1"
    # Allowed access writes no denied entry.
    assert signed_in("screener").get(f"/cases/{case.pk}/").status_code == 200
    assert len(denied()) == 1


def test_an_api_read_denied_to_a_bearer_token_is_audited(personas: Personas) -> None:
    case = open_case(personas.screener)
    auth = bearer("outsider")
    assert Client().get(f"/api/v1/cases/{case.pk}/", **auth).status_code == 404
    [entry] = denied(actor=personas.outsider)
    assert (entry.object_type, entry.object_id) == ("case", str(case.pk))


def test_a_screening_denied_to_another_agency_is_audited(personas: Personas) -> None:
    screening = finalised_screening(personas.screener)
    assert signed_in("outsider").get(f"/screenings/{screening.pk}/").status_code == 404
    [entry] = denied(actor=personas.outsider, object_type="screening")
    assert entry.object_id == str(screening.pk)


def test_a_missing_object_is_audited_too_and_anonymous_requests_are_not(
    personas: Personas,
) -> None:
    assert signed_in("outsider").get("/cases/987654/").status_code == 404
    [entry] = denied(actor=personas.outsider)
    assert entry.object_id == "987654" and entry.region_id is None
    assert Client().get("/api/v1/cases/987654/").status_code in (401, 403)
    assert len(denied()) == 1


def test_a_coordinator_finds_reads_of_the_regions_case_by_an_official_of_another_region(
    personas: Personas,
) -> None:
    """A referral recipient in Mangystau reads the Almaty case's shared fields."""
    case = open_case(personas.screener)
    record(Action.REVEAL, actor=personas.outsider, object_type="case", object_id=case.pk)
    found = searched("coordinator", object_type="case", object_id=str(case.pk), action="reveal")
    assert [e.actor_username for e in found] == ["outsider"]
    # The coordinator of the reader's region sees their official's read too.
    assert searched("outsider_coordinator", action="reveal")


def test_a_coordinator_still_finds_reads_by_an_official_who_has_moved(
    personas: Personas,
) -> None:
    case = open_case(personas.screener, person=dict(CANARY))
    record(Action.REVEAL, actor=personas.screener, object_type="person", object_id=case.person_id)
    personas.screener.agency = personas.aktau_police
    personas.screener.save(update_fields=["agency"])
    found = searched(
        "coordinator", object_type="person", object_id=str(case.person_id), action="reveal"
    )
    assert [e.actor_username for e in found] == ["screener"]


def test_the_region_of_a_referral_or_person_is_its_cases(personas: Personas) -> None:
    case = open_case(personas.screener)
    entry = record(Action.READ, actor=None, object_type="person", object_id=case.person_id)
    assert entry.region_id == case.region_id
    other = Case.objects.get(pk=case.pk).region_id
    assert record(Action.READ, actor=None, object_type="case", object_id=case.pk).region_id == other
    # An object outside any case (a user account) has no region.
    user = personas.screener
    assert (
        record(Action.READ, actor=None, object_type=ObjectType.USER, object_id=user.pk).region_id
        is None
    )
