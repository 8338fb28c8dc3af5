"""The home worklists: a possible duplicate waits for the agency's officials and the region's
coordinator; a contact request for the coordinator, then for the holding agency. Case numbers
and states only; a case merged into another leaves the worklists (it is followed on the kept
one)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.cases.models import Case
from tanu.cases.tests.helpers import open_case
from tanu.linkage import actions
from tanu.linkage.tests.helpers import pair_of, signed_in, two_cases_of_one_agency

pytestmark = pytest.mark.django_db


def test_a_duplicate_to_review_is_on_the_home_of_the_agency_and_its_coordinator(
    personas: Personas,
) -> None:
    older, newer = two_cases_of_one_agency(personas.screener, personas.colleague)
    pair = pair_of(older, newer)
    for username in ("screener", "coordinator"):
        home = signed_in(username).get("/").content.decode()
        assert f"/linkage/pairs/{pair.pk}/" in home, username
        assert f"Cases {older.number} and {newer.number}" in home
        assert "Канарьева" not in home
    for username in ("caseworker", "outsider_coordinator"):
        assert f"/linkage/pairs/{pair.pk}/" not in signed_in(username).get("/").content.decode()


def test_a_contact_request_waits_on_the_coordinators_home_then_the_holders(
    personas: Personas,
) -> None:
    asking = open_case(personas.caseworker)
    holding = open_case(personas.screener)
    contact = actions.do_request_contact(
        pair_of(asking, holding), asking, actor=personas.caseworker, reason="her sister asks"
    )
    url = f"/linkage/contact-requests/{contact.pk}/"
    assert url in signed_in("coordinator").get("/").content.decode()
    assert url not in signed_in("screener").get("/").content.decode()

    actions.do_forward_contact_request(contact, actor=personas.coordinator)

    assert url not in signed_in("coordinator").get("/").content.decode()
    assert url in signed_in("screener").get("/").content.decode()
    assert url not in signed_in("caseworker").get("/").content.decode()  # it asked


def test_a_case_merged_into_another_leaves_the_reflection_worklist(personas: Personas) -> None:
    older, newer = two_cases_of_one_agency(personas.screener, personas.colleague)
    ends = timezone.localdate() + timedelta(days=2)
    Case.objects.filter(pk__in=[older.pk, newer.pk]).update(reflection_ends=ends)
    home = signed_in("screener").get("/").content.decode()
    assert f"/cases/{newer.pk}/" in home and f"/cases/{older.pk}/" in home

    actions.do_merge_persons(pair_of(older, newer), actor=personas.screener, reason="same person")

    home = signed_in("screener").get("/").content.decode()
    assert f"/cases/{newer.pk}/" not in home and f"/cases/{older.pk}/" in home
