"""A referral's shared values are revealed only within a signed-in session: a call without a
request, or with a request that has no session (a task, an API call), never counts as revealed."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from tanu.accounts.tests.personas import Personas
from tanu.referrals.access import is_revealed
from tanu.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_nothing_is_revealed_without_a_request_or_without_a_session(personas: Personas) -> None:
    referral = Referral(pk=1)
    sessionless = RequestFactory().get("/")
    assert not hasattr(sessionless, "session")

    assert is_revealed(None, personas.caseworker, referral) is False
    assert is_revealed(sessionless, personas.caseworker, referral) is False
