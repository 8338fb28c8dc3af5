from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from tanu.accounts import actions
from tanu.accounts.middleware import SEEN, STARTED
from tanu.accounts.models import ApiToken
from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas

pytestmark = pytest.mark.django_db


def _signed_in(personas: Personas) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/accounts/login/", {"username": "screener", "password": TEST_PASSWORD})
    assert client.get("/").status_code == 200
    return client


def _age_session(client: Client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_a_session_ends_after_thirty_idle_minutes(personas: Personas) -> None:
    client = _signed_in(personas)
    _age_session(client, SEEN, 29 * 60)
    assert client.get("/").status_code == 200
    _age_session(client, SEEN, 31 * 60)
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get("/").status_code == 302


def test_a_session_ends_twelve_hours_after_sign_in_even_when_active(personas: Personas) -> None:
    client = _signed_in(personas)
    _age_session(client, STARTED, 12 * 3600 + 60)
    assert client.get("/").status_code == 302


def test_disabling_a_user_ends_their_sessions_and_api_tokens_at_once(personas: Personas) -> None:
    client = _signed_in(personas)
    api = Client(HTTP_ACCEPT_LANGUAGE="en")
    token = api.post(
        "/api/v1/auth/token/",
        {"username": "screener", "password": TEST_PASSWORD},
        content_type="application/json",
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert api.get("/api/v1/me/", **auth).status_code == 200
    sessions_before = Session.objects.count()

    actions.do_disable_user(personas.screener, actor=personas.admin)

    assert Session.objects.count() < sessions_before
    assert not ApiToken.objects.filter(user=personas.screener).exists()
    assert client.get("/").status_code == 302
    assert api.get("/api/v1/me/", **auth).status_code == 401
    relogin = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/accounts/login/", {"username": "screener", "password": TEST_PASSWORD}
    )
    assert relogin.status_code == 400
