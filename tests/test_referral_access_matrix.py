"""Referrals in every state, crossed with every role and every shared personal field: the status
each role gets from the referral page, the referral API and the referral person API, and whether
each personal value appears in what it reads (before and after asking to reveal it)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from tanu.accounts.tests.personas import Personas
from tanu.cases import actions as case_actions
from tanu.cases.models import Consent
from tanu.cases.presentation import local_date
from tanu.cases.tests.helpers import CANARY, open_case
from tanu.referrals import actions
from tanu.referrals.models import IDENTIFYING_FIELDS, Referral, Service
from tests.test_access_matrix import ROLES, _api_client, _page_client

# Each identifying field the referral shares, and the value of it that must not leak.
VALUES = {
    "name": "Канарьева",
    "date_of_birth": "1998-03-14",
    "documents": "N12345678",
    "contacts": "+7 701 000 0000",
    "address": "Примерная 1",
}
assert set(VALUES) == set(IDENTIFYING_FIELDS)
STATES = [
    "sent",
    "accepted",
    "in_progress",
    "declined",
    "withdrawn",
    "completed",
    "consent_withdrawn",
]
OPEN = {"sent", "accepted", "in_progress"}
# The owning agency and the region's coordinator see the referral (and read the person in the
# case file); the receiving shelter sees the referral and, while sharing is in force, reveals.
SEES_REFERRAL = {"screener", "colleague", "coordinator", "caseworker"}
RECIPIENT = "caseworker"


def _referral_in(state: str, personas: Personas) -> Referral:
    case = open_case(personas.screener, person={**CANARY, "date_of_birth": "1998-03-14"})
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
        shared_fields=["case_number", "sex", *VALUES],
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
        shared_fields=["sex", *VALUES],
        consent=consent,
    )
    shelter, sender = personas.caseworker, personas.screener
    steps = {
        "sent": [],
        "accepted": [(shelter, "accepted")],
        "in_progress": [(shelter, "accepted"), (shelter, "in_progress")],
        "declined": [(shelter, "declined")],
        "withdrawn": [(sender, "withdrawn")],
        "completed": [(shelter, "accepted"), (shelter, "completed")],
        "consent_withdrawn": [(shelter, "accepted")],
    }[state]
    for actor, status in steps:
        actions.do_change_referral_status(
            Referral.objects.get(pk=referral.pk), actor=actor, status=status, reason="No places"
        )
    if state == "consent_withdrawn":
        case_actions.do_withdraw_consent(consent, actor=sender)
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.status == (state if state != "consent_withdrawn" else "accepted")
    return referral


def _spellings(field: str, value: str) -> set[str]:
    """The value as an API (ISO) or a page in any language (the reader's date format) shows it."""
    if field != "date_of_birth":
        return {value}
    day = date.fromisoformat(value)
    shown = {value}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            shown.add(local_date(day))
    return shown


def _leaks(body: bytes) -> set[str]:
    text = body.decode()
    return {
        field
        for field, value in VALUES.items()
        if any(spelling in text for spelling in _spellings(field, value))
    }


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("username", ROLES)
def test_each_role_reads_of_a_referral_exactly_what_its_state_allows(
    personas: Personas, username: str, state: str
) -> None:
    referral = _referral_in(state, personas)
    page = _page_client(username)
    api, auth = _api_client(username)  # with an X-Tanu-Reason header
    url = f"/referrals/{referral.pk}/"
    before = page.get(url)
    page.post(f"{url}reveal/", {"reason": "matrix test"})
    after = page.get(url)
    detail = api.get(f"/api/v1/referrals/{referral.pk}/", **auth)
    listing = api.get("/api/v1/referrals/", **auth)
    person = api.get(f"/api/v1/referrals/{referral.pk}/person/", **auth)
    observed = {
        "referral page": (before.status_code, _leaks(before.content)),
        "referral page after a reveal": (after.status_code, _leaks(after.content)),
        "referral api": (detail.status_code, _leaks(detail.content)),
        "referral list api": _leaks(listing.content),
        "referral person api": (person.status_code, _leaks(person.content)),
    }
    sees = username in SEES_REFERRAL
    reveals = username == RECIPIENT and state in OPEN
    seen = 200 if sees else 404
    expected = {
        "referral page": (seen, set()),
        "referral page after a reveal": (seen, set(VALUES) if reveals else set()),
        "referral api": (seen, set()),
        "referral list api": set(),
        "referral person api": (200, set(VALUES)) if reveals else (404, set()),
    }
    assert observed == expected
