"""Reveals and broken glass are granted per case and per session, for a limited time: a new grant
keeps the earlier ones still running, and a grant whose time is over is gone."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from tanu.accounts.models import Role
from tanu.accounts.tests.factories import UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.cases import access
from tanu.cases.tests.helpers import open_case


def request_with_session() -> Any:
    request = RequestFactory().get("/")
    request.session = SessionStore()
    return request


def case(pk: int) -> Any:
    return SimpleNamespace(pk=pk)


def test_revealing_a_second_case_keeps_the_first_one_revealed() -> None:
    request = request_with_session()

    access.grant_reveal(request, 1)
    access.grant_reveal(request, 2)

    assert access.is_revealed(request, case(1))
    assert access.is_revealed(request, case(2))
    assert not access.is_revealed(request, case(3))


def test_a_reveal_ends_after_its_time_and_is_dropped_at_the_next_grant(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request = request_with_session()
    clock = {"now": 1_000_000.0}
    monkeypatch.setattr(access.time, "time", lambda: clock["now"])
    access.grant_reveal(request, 1)

    clock["now"] += access.REVEAL_SECONDS - 1
    assert access.is_revealed(request, case(1))
    clock["now"] += 2
    assert not access.is_revealed(request, case(1))
    access.grant_reveal(request, 2)
    assert set(request.session[access._REVEALED]) == {"2"}


def test_revealing_the_data_does_not_break_the_glass() -> None:
    request = request_with_session()

    access.grant_reveal(request, 1)

    assert access._grants(request, access._GLASS) == set()
    assert access.is_revealed(request, case(1))


@pytest.mark.django_db
def test_only_the_screeners_case_workers_and_monitors_of_the_owning_agency_own_a_case(
    personas: Any,
) -> None:
    from tanu.accounts.models import Role
    from tanu.accounts.tests.factories import UserFactory
    from tanu.cases.tests.helpers import open_case

    case = open_case(personas.screener)
    same_agency_analyst = UserFactory(role=Role.ANALYST, agency=personas.police)

    assert access.owns(personas.screener, case)
    assert access.owns(personas.colleague, case)
    assert not access.owns(same_agency_analyst, case)
    assert not access.owns(personas.outsider, case)
    assert not access.owns(personas.caseworker, case)  # another agency, same role family
    assert not access.owns(personas.coordinator, case)


def test_a_grant_ends_exactly_when_its_time_is_up(monkeypatch: pytest.MonkeyPatch) -> None:
    request = request_with_session()
    clock = {"now": 1_000_000.0}
    monkeypatch.setattr(access.time, "time", lambda: clock["now"])
    access.grant_reveal(request, 1)

    clock["now"] += access.REVEAL_SECONDS
    assert not access.is_revealed(request, case(1))
    access.grant_reveal(request, 2)
    assert set(request.session[access._REVEALED]) == {"2"}


@pytest.mark.django_db
def test_a_break_glass_grant_adds_one_case_to_those_the_agency_already_sees(
    personas: Personas,
) -> None:
    own = open_case(personas.screener)
    elsewhere = open_case(personas.colleague)
    other_agency = open_case(UserFactory(role=Role.SCREENER, agency=personas.shelter))
    request = request_with_session()

    access.grant_break_glass(request, other_agency.pk)

    visible = set(access.visible_cases(personas.screener, request))
    assert visible == {own, elsewhere, other_agency}


@pytest.mark.django_db
def test_a_break_glass_grant_opens_nothing_to_an_inactive_account_or_a_role_without_it(
    personas: Personas,
) -> None:
    held = open_case(personas.caseworker)
    request = request_with_session()
    access.grant_break_glass(request, held.pk)  # left in the session, or forged

    personas.screener.is_active = False
    assert not access.visible_cases(personas.screener, request).exists()
    for user in (personas.trainer, personas.analyst, personas.admin):
        assert not access.visible_cases(user, request).exists()


@pytest.mark.django_db
def test_an_inactive_account_sees_no_case_and_a_request_without_a_session_grants_nothing(
    personas: Personas,
) -> None:
    own = open_case(personas.screener)
    sessionless = RequestFactory().get("/")

    assert list(access.visible_cases(personas.screener, sessionless)) == [own]
    personas.screener.is_active = False
    assert not access.visible_cases(personas.screener).exists()
