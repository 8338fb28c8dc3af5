"""Administrators manage users on tanu's own pages (/accounts/users/), through the audited
named actions and the second-approval rule (issue 19, section 5)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tanu.accounts.models import (
    AuthenticatorDevice,
    RecoveryCodeDevice,
    Role,
    RoleChangeRequest,
    User,
)
from tanu.accounts.tests.factories import UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry, ObjectType

pytestmark = pytest.mark.django_db


def _client(user: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _second_admin(personas: Personas) -> User:
    return UserFactory(
        username="admin2",
        role=Role.ADMINISTRATOR,
        agency=personas.ministry,
        is_staff=True,
        is_superuser=True,
    )


def _entries(object_type: ObjectType, object_id: object, action: Action) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id), action=action)
    )


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_an_administrator_sees_the_users_as_cards_in_each_language(
    personas: Personas, language: str
) -> None:
    page = _client(personas.admin, language).get("/accounts/users/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'class="cards-on-phone"' in body
    assert "screener" in body and "caseworker" in body
    assert f'lang="{language}"' in body


def test_the_user_list_is_searched_by_username_name_or_email(personas: Personas) -> None:
    UserFactory(username="zhanar", first_name="Жанар", email="zh@example.org")
    client = _client(personas.admin)
    body = client.get("/accounts/users/", {"q": "жанар"}).content.decode()
    assert "zhanar" in body and ">screener</a>" not in body
    body = client.get("/accounts/users/", {"q": "zh@example"}).content.decode()
    assert "zhanar" in body


@pytest.mark.parametrize("who", ["screener", "coordinator", "analyst", "trainer"])
def test_anyone_but_an_administrator_gets_an_audited_404(personas: Personas, who: str) -> None:
    official = getattr(personas, who)
    client = _client(official)
    for url in (
        "/accounts/users/",
        "/accounts/users/new/",
        f"/accounts/users/{personas.colleague.pk}/",
        "/accounts/agencies/",
        f"/accounts/agencies/{personas.police.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/accounts/users/{personas.colleague.pk}/disable/").status_code == 404
    personas.colleague.refresh_from_db()
    assert personas.colleague.is_active
    assert AuditEntry.objects.filter(actor=official, action=Action.DENIED).count() >= 5


def test_an_administrator_creates_a_user_and_the_invitation_is_emailed(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/accounts/users/new/",
            {
                "username": "aigerim",
                "first_name": "Айгерим",
                "last_name": "Сапарова",
                "email": "aigerim@example.org",
                "agency": personas.ministry.pk,
                "role": Role.ANALYST,
            },
            follow=True,
        )
    assert answer.status_code == 200
    official = User.objects.get(username="aigerim")
    assert official.role == Role.ANALYST  # sees no personal data: no approval needed
    assert official.agency == personas.ministry
    assert not official.has_usable_password()
    assert "the invitation was sent to aigerim@example.org" in answer.content.decode()
    # One message, the invitation (in the default language: the official chose none yet).
    (invitation,) = [m for m in mail.outbox if m.to == ["aigerim@example.org"]]
    link = re.search(r"/accounts/password/[^/\s]+/[^/\s]+/", invitation.body)
    assert link is not None
    assert _entries(ObjectType.USER, official.pk, Action.CREATE)
    assert AuditEntry.objects.filter(
        object_type=ObjectType.USER, object_id=str(official.pk), fields=["invitation"]
    ).exists()
    # The link lets the official set their own password.
    anonymous = Client()
    form = anonymous.get(link.group(0), follow=True)
    assert form.status_code == 200 and "aigerim" in form.content.decode()


def test_a_new_user_with_a_role_that_sees_personal_data_waits_for_a_second_administrator(
    personas: Personas,
) -> None:
    client = _client(personas.admin)
    client.post(
        "/accounts/users/new/",
        {"username": "dana", "email": "dana@example.org", "role": Role.CASE_WORKER},
    )
    official = User.objects.get(username="dana")
    assert official.role == ""
    request_row = RoleChangeRequest.objects.get(user=official)
    assert request_row.status == RoleChangeRequest.Status.PENDING
    assert "dana" in client.get("/accounts/users/").content.decode()


def test_a_taken_username_or_a_bad_email_is_refused_with_a_message_and_nothing_made(
    personas: Personas,
) -> None:
    client = _client(personas.admin, "ru")
    answer = client.post("/accounts/users/new/", {"username": "SCREENER", "email": "x@example.org"})
    assert answer.status_code == 400
    assert "занято" in answer.content.decode() or "занят" in answer.content.decode()
    answer = client.post("/accounts/users/new/", {"username": "newbie", "email": "not-an-email"})
    assert answer.status_code == 400
    assert not User.objects.filter(username="newbie").exists()
    assert mail.outbox == []


def test_a_role_that_sees_personal_data_takes_effect_only_when_another_administrator_approves(
    personas: Personas,
) -> None:
    second = _second_admin(personas)
    first_client = _client(personas.admin)
    analyst = personas.analyst
    answer = first_client.post(
        f"/accounts/users/{analyst.pk}/role/", {"role": Role.CASE_WORKER}, follow=True
    )
    assert "waiting for a second administrator" in answer.content.decode()
    analyst.refresh_from_db()
    assert analyst.role == Role.ANALYST
    request_row = RoleChangeRequest.objects.get(user=analyst)
    # The administrator who asked cannot approve it.
    first_client.post(f"/accounts/users/requests/{request_row.pk}/approve/")
    analyst.refresh_from_db()
    assert analyst.role == Role.ANALYST
    listing = _client(second).get("/accounts/users/").content.decode()
    assert f"/accounts/users/requests/{request_row.pk}/approve/" in listing
    _client(second).post(f"/accounts/users/requests/{request_row.pk}/approve/")
    analyst.refresh_from_db()
    assert analyst.role == Role.CASE_WORKER
    request_row.refresh_from_db()
    assert request_row.status == RoleChangeRequest.Status.APPROVED
    assert request_row.decided_by == second


def test_another_administrator_can_reject_a_role_request(personas: Personas) -> None:
    second = _second_admin(personas)
    _client(personas.admin).post(
        f"/accounts/users/{personas.analyst.pk}/role/", {"role": Role.MONITOR}
    )
    request_row = RoleChangeRequest.objects.get(user=personas.analyst)
    _client(second).post(f"/accounts/users/requests/{request_row.pk}/reject/")
    request_row.refresh_from_db()
    personas.analyst.refresh_from_db()
    assert request_row.status == RoleChangeRequest.Status.REJECTED
    assert personas.analyst.role == Role.ANALYST


def test_a_role_without_personal_data_and_an_agency_change_take_effect_at_once_audited(
    personas: Personas,
) -> None:
    client = _client(personas.admin)
    screener = personas.screener
    client.post(f"/accounts/users/{screener.pk}/role/", {"role": Role.ANALYST})
    client.post(f"/accounts/users/{screener.pk}/agency/", {"agency": personas.shelter.pk})
    screener.refresh_from_db()
    assert screener.role == Role.ANALYST
    assert screener.agency == personas.shelter
    fields = [e.fields for e in _entries(ObjectType.USER, screener.pk, Action.UPDATE)]
    assert ["role"] in fields and ["agency"] in fields


def test_nobody_changes_their_own_role_agency_or_account(personas: Personas) -> None:
    me = personas.admin
    client = _client(me)
    page = client.get(f"/accounts/users/{me.pk}/").content.decode()
    assert f"/accounts/users/{me.pk}/role/" not in page
    for url, data in (
        ("role/", {"role": Role.ANALYST}),
        ("agency/", {"agency": personas.police.pk}),
        ("disable/", {}),
        ("reset-mfa/", {}),
    ):
        answer = client.post(f"/accounts/users/{me.pk}/{url}", data)
        assert answer.status_code == 400, url
    me.refresh_from_db()
    assert me.role == Role.ADMINISTRATOR and me.agency == personas.ministry and me.is_active


def test_a_wrong_role_or_agency_gets_a_message_and_changes_nothing(personas: Personas) -> None:
    client = _client(personas.admin, "ru")
    answer = client.post(f"/accounts/users/{personas.screener.pk}/role/", {"role": "king"})
    assert answer.status_code == 400
    answer = client.post(f"/accounts/users/{personas.screener.pk}/agency/", {"agency": "999999"})
    assert answer.status_code == 400
    answer = client.post(f"/accounts/users/{personas.screener.pk}/role/", {"role": "screener"})
    assert answer.status_code == 400
    personas.screener.refresh_from_db()
    assert personas.screener.role == Role.SCREENER
    assert personas.screener.agency == personas.police


def test_disable_and_enable_through_the_audited_actions(personas: Personas) -> None:
    client = _client(personas.admin)
    official = personas.caseworker
    client.post(f"/accounts/users/{official.pk}/disable/")
    official.refresh_from_db()
    assert not official.is_active and official.disabled_at is not None
    assert _entries(ObjectType.USER, official.pk, Action.DISABLE)
    client.post(f"/accounts/users/{official.pk}/enable/")
    official.refresh_from_db()
    assert official.is_active and official.disabled_at is None


def test_resetting_the_second_factor_removes_the_devices_audited(personas: Personas) -> None:
    official = personas.monitor
    AuthenticatorDevice.objects.create(user=official, name="authenticator", confirmed=True)
    RecoveryCodeDevice.objects.create(user=official, name="recovery", confirmed=True)
    client = _client(personas.admin)
    assert "set up" in client.get(f"/accounts/users/{official.pk}/").content.decode()
    client.post(f"/accounts/users/{official.pk}/reset-mfa/")
    assert not AuthenticatorDevice.objects.filter(user=official).exists()
    assert not RecoveryCodeDevice.objects.filter(user=official).exists()
    assert any(e.fields == ["mfa"] for e in _entries(ObjectType.USER, official.pk, Action.UPDATE))


def test_the_invitation_can_be_sent_again(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    official = UserFactory(username="late", email="late@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _client(personas.admin).post(f"/accounts/users/{official.pk}/invite/")
    assert [m.to for m in mail.outbox] == [["late@example.org"]]


def test_the_administrators_home_page_links_to_user_management(personas: Personas) -> None:
    body = _client(personas.admin).get("/").content.decode()
    assert 'href="/accounts/users/"' in body
    assert 'href="/accounts/users/"' not in _client(personas.screener).get("/").content.decode()
