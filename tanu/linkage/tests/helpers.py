"""Shared scenes for the linkage tests: likely-duplicate pairs made directly (the engine that
finds them has its own tests), cases of one agency, and a record held by another agency whose
ids and values are easy to look for in a page."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tanu.accounts.models import User
from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.cases.models import Case, Person
from tanu.cases.tests.helpers import open_case
from tanu.linkage.models import MatchPair

#: The other agency's person: every value a leak would show.
ELSEWHERE = {
    "given_name": "Әйгерім",
    "family_name": "Сәрсенбаева",
    "date_of_birth": "1999-04-12",
    "documents": [{"type": "passport", "number": "N98765432"}],
}
ELSEWHERE_PERSON_ID = 880011
ELSEWHERE_CASE_ID = 770022
ELSEWHERE_NUMBER = "MN-2026-99977"


def pair_of(
    case_a: Case,
    case_b: Case,
    *,
    probability: float = 0.995,
    agreements: list[str] | None = None,
    status: str = MatchPair.Status.OPEN,
) -> MatchPair:
    """A likely-duplicate pair as the linkage run writes it (person_a has the lower id)."""
    first, second = sorted((case_a, case_b), key=lambda case: case.person_id)
    return MatchPair.objects.create(
        person_a_id=first.person_id,
        person_b_id=second.person_id,
        agency_a_id=first.agency_id,
        agency_b_id=second.agency_id,
        region_a_id=first.region_id,
        region_b_id=second.region_id,
        match_probability=probability,
        agreements=agreements if agreements is not None else ["family_name", "date_of_birth"],
        status=status,
    )


def two_cases_of_one_agency(first: User, second: User) -> tuple[Case, Case]:
    """Two case files of one agency for one person, spelt two ways (the first opened first)."""
    older = open_case(first)
    newer = open_case(
        second,
        person={
            "given_name": "Zhanar",
            "family_name": "Kanarieva",
            "sex": "female",
            "citizenship": "KZ",
        },
    )
    return older, newer


def held_elsewhere(holder: User, **person: Any) -> Case:
    """A case of the holder's agency with ids and values that a page must never show to
    another agency (made directly, with fixed ids, so that a leak can be searched for)."""
    assert holder.agency is not None
    values = {**ELSEWHERE, **person}
    person_row = Person.objects.create(pk=ELSEWHERE_PERSON_ID, sex="female", **values)
    return Case.objects.create(
        pk=ELSEWHERE_CASE_ID,
        number=ELSEWHERE_NUMBER,
        person=person_row,
        agency=holder.agency,
        region=holder.agency.region,
        created_by=holder,
        outcome="presumed_victim",
    )


def signed_in(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def api(username: str) -> tuple[Client, dict[str, str]]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    token = client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": TEST_PASSWORD},
        content_type="application/json",
    ).json()["token"]
    return client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}
