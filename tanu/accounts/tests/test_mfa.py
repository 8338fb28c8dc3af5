from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp

from tanu.accounts.models import AuthenticatorDevice, RecoveryCode, RecoveryCodeDevice
from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas

pytestmark = pytest.mark.django_db


def _code(device: AuthenticatorDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _sign_in(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    return client


@override_settings(TANU_REQUIRE_MFA=True)
def test_production_requires_a_second_factor_before_any_page(personas: Personas) -> None:
    client = _sign_in("screener")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/otp/setup/"
    assert client.get("/api/v1/me/").status_code == 401


@override_settings(TANU_REQUIRE_MFA=True)
def test_a_screener_sets_up_totp_and_gets_recovery_codes(personas: Personas) -> None:
    client = _sign_in("screener")
    setup = client.get("/accounts/otp/setup/")
    assert setup.status_code == 200
    device = AuthenticatorDevice.objects.get(user=personas.screener)
    wrong = client.post("/accounts/otp/setup/", {"token": "000000"})
    assert wrong.status_code == 400
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    done = client.post("/accounts/otp/setup/", {"token": _code(device)})
    assert done.status_code == 200
    assert "Recovery codes" in done.content.decode()
    assert RecoveryCode.objects.filter(device__user=personas.screener).count() == 10
    assert personas.screener.notifications.filter(kind="account").count() == 1
    assert client.get("/").status_code == 200


@override_settings(TANU_REQUIRE_MFA=True)
def test_a_user_with_totp_must_enter_a_code_after_the_password(personas: Personas) -> None:
    device = AuthenticatorDevice.objects.create(
        user=personas.screener, name="phone", confirmed=True
    )
    client = _sign_in("screener")
    assert client.get("/")["Location"] == "/accounts/otp/"
    assert client.post("/accounts/otp/", {"token": "123456"}).status_code == 400
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    assert client.post("/accounts/otp/", {"token": _code(device)}).status_code == 302
    assert client.get("/").status_code == 200


@override_settings(TANU_REQUIRE_MFA=True)
def test_a_recovery_code_works_once(personas: Personas) -> None:
    AuthenticatorDevice.objects.create(user=personas.screener, name="phone", confirmed=True)
    static = RecoveryCodeDevice.objects.create(user=personas.screener, name="recovery")
    code = static.replace_codes()[0]
    first = _sign_in("screener")
    assert first.post("/accounts/otp/", {"token": code}).status_code == 302
    second = _sign_in("screener")
    assert second.post("/accounts/otp/", {"token": code}).status_code == 400


@override_settings(TANU_REQUIRE_MFA=True)
def test_analysts_and_administrators_must_enrol_too(personas: Personas) -> None:
    for username in ("analyst", "admin"):
        response = _sign_in(username).get("/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/otp/setup/"


@override_settings(TANU_REQUIRE_MFA=True)
def test_the_api_token_needs_a_code_where_mfa_is_required(personas: Personas) -> None:
    device = AuthenticatorDevice.objects.create(
        user=personas.screener, name="phone", confirmed=True
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = "/api/v1/auth/token/"
    body = {"username": "screener", "password": TEST_PASSWORD}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["otp_required"] is True
    granted = client.post(url, {**body, "otp": _code(device)}, content_type="application/json")
    assert granted.status_code == 200
    assert granted.json()["token"]
