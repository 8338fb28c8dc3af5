from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str, addr: str = "10.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=addr,
    )


def test_a_screener_signs_in_with_the_right_password(client: Client, personas: Personas) -> None:
    response = _login(client, "screener", TEST_PASSWORD)
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "Welcome, screener" in home.content.decode()
    assert AuditEntry.objects.filter(action=Action.LOGIN, actor=personas.screener).exists()


def test_a_wrong_password_is_refused_with_a_clear_message(
    client: Client, personas: Personas
) -> None:
    response = _login(client, "screener", "not-the-password")
    assert response.status_code == 400
    assert "The username or password is not right." in response.content.decode()
    assert client.get("/").status_code == 302


def test_anonymous_visitors_are_sent_to_the_login_page(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_passwords_are_hashed_with_argon2(personas: Personas) -> None:
    assert personas.screener.password.startswith("argon2")


def test_five_failures_lock_the_account_for_that_address_until_the_cool_off(
    client: Client, personas: Personas
) -> None:
    for _ in range(5):
        _login(client, "screener", "wrong-password")
    locked = _login(client, "screener", TEST_PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()

    # The same user from another address is not locked out: nobody can lock a user out for good.
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert _login(other, "screener", TEST_PASSWORD, addr="10.0.0.2").status_code == 302

    # After the cool-off the lock is released.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    released = _login(client, "screener", TEST_PASSWORD)
    assert released.status_code == 302


def test_the_login_page_is_served_in_three_languages(client: Client) -> None:
    from django.utils import translation

    seen = set()
    for lang in ("en", "ru", "kk"):
        with translation.override(lang):
            word = translation.gettext("Sign in")
        page = Client(HTTP_ACCEPT_LANGUAGE=lang).get(reverse("accounts:login"))
        assert page.status_code == 200
        body = page.content.decode()
        assert f'<html lang="{lang}">' in body
        assert f"<h1>{word}</h1>" in body
        seen.add(word)
    assert len(seen) == 3  # really translated, not the English fallback
