"""The Django admin stays for superusers only, for technical repairs; it is titled as tanu's
(issue 19, section 5)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client

from tanu.accounts.models import Role, User
from tanu.accounts.tests.factories import UserFactory
from tanu.accounts.tests.personas import Personas

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_staff_who_are_not_superusers_find_no_admin(personas: Personas) -> None:
    staff = UserFactory(username="staffer", role=Role.ANALYST, is_staff=True, is_superuser=False)
    client = _client(staff)
    for url in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{staff.pk}/change/"):
        answer = client.get(url, follow=True)
        assert answer.status_code == 404, url


def test_an_official_who_is_not_staff_finds_no_admin(personas: Personas) -> None:
    assert _client(personas.screener).get("/admin/", follow=True).status_code == 404


def test_a_superuser_still_reaches_the_admin_for_technical_repairs(personas: Personas) -> None:
    answer = _client(personas.admin).get("/admin/")
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "Django administration" not in body
    assert "Django site admin" not in body
    assert "tanu: technical administration" in body


def test_the_admin_is_titled_as_tanus() -> None:
    assert str(admin.site.site_header) == "tanu: technical administration"
    assert str(admin.site.site_title) == "tanu: technical administration"
    assert admin.site.site_url == "/accounts/users/"


def test_signed_out_visitors_are_sent_to_tanus_sign_in_page() -> None:
    answer = Client().get("/admin/", follow=False)
    assert answer.status_code == 302
