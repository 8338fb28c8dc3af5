"""The edges of who sees a referral: a deactivated account, a denied look that names the referral
it tried, a reveal that ends on the second its time is up, and lists that never load the persons
they do not show."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry
from tanu.cases import access as case_access
from tanu.cases.models import Person
from tanu.cases.tests.helpers import signed_in
from tanu.referrals import access
from tests.test_referral_access_matrix import _referral_in

pytestmark = pytest.mark.django_db


def test_a_deactivated_account_sees_no_referral_of_its_agency(personas: Personas) -> None:
    referral = _referral_in("accepted", personas)
    for user in (personas.screener, personas.caseworker):
        assert list(access.visible_referrals(user)) == [referral]
        user.is_active = False
        assert list(access.visible_referrals(user)) == []


def test_a_referral_denied_to_an_outsider_is_audited_with_the_referral_it_asked_for(
    personas: Personas,
) -> None:
    referral = _referral_in("sent", personas)

    assert signed_in("outsider").get(f"/referrals/{referral.pk}/").status_code == 404
    [entry] = AuditEntry.objects.filter(action=Action.DENIED, actor=personas.outsider)
    assert (entry.object_type, entry.object_id) == ("referral", str(referral.pk))


def test_a_revealed_referral_is_hidden_again_exactly_when_its_time_is_up(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    referral = _referral_in("accepted", personas)
    request = RequestFactory().get("/")
    request.session = SessionStore()
    clock = {"now": 1_000_000.0}
    monkeypatch.setattr(access.time, "time", lambda: clock["now"])
    access.grant_reveal(request, referral.pk)

    clock["now"] += case_access.REVEAL_SECONDS - 0.001
    assert access.is_revealed(request, personas.caseworker, referral)
    clock["now"] += 0.001
    assert not access.is_revealed(request, personas.caseworker, referral)


def test_referral_lists_never_load_the_persons_they_do_not_show(personas: Personas) -> None:
    _referral_in("accepted", personas)
    person_table = Person._meta.db_table
    for user, username in ((personas.caseworker, "caseworker"), (personas.screener, "screener")):
        with CaptureQueriesContext(connection) as listed:
            assert len(list(access.visible_referrals(user))) == 1
            response = signed_in(username).get("/api/v1/referrals/")
        assert response.status_code == 200 and response.json()["count"] == 1
        assert not [q["sql"] for q in listed.captured_queries if person_table in q["sql"]]
