"""Reveals and broken glass are granted per case and per session, for a limited time: a new grant
keeps the earlier ones still running, and a grant whose time is over is gone."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from tanu.cases import access


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
