"""Failed sign-ins, failed codes and lockouts reach the audit trail; password spraying is
throttled; the API's lockouts are JSON (issue 14, sections 6 and 8)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp

from tanu.accounts.models import AuthenticatorDevice
from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def _web(username: str, password: str, addr: str = "10.1.0.1", lang: str = "en") -> Any:
    return Client(HTTP_ACCEPT_LANGUAGE=lang).post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=addr
    )


def _api(body: dict[str, str], addr: str = "10.1.0.1") -> Any:
    return Client(HTTP_ACCEPT_LANGUAGE="en").post(
        TOKEN_URL, body, content_type="application/json", REMOTE_ADDR=addr
    )


def _failures(object_type: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=Action.LOGIN_FAILED, object_type=object_type))


def test_a_failed_sign_in_is_audited_with_the_username_tried(personas: Personas) -> None:
    _web("screener", "wrong-password")
    _api({"username": "nobody-here", "password": "wrong-password"})
    tried = {(e.object_id, tuple(e.fields), e.address) for e in _failures("username")}
    assert tried == {("screener", ("web",), "10.1.0.1"), ("nobody-here", ("api",), "10.1.0.1")}
    assert all(e.reason == "" for e in _failures("username"))


def test_a_failed_second_factor_code_is_audited_on_the_web_and_in_the_api(
    personas: Personas, settings: Any
) -> None:
    settings.TANU_REQUIRE_MFA = True
    AuthenticatorDevice.objects.create(user=personas.screener, name="phone")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/accounts/login/", {"username": "screener", "password": TEST_PASSWORD})
    assert client.post("/accounts/otp/", {"token": "000000"}).status_code == 400
    refused = _api({"username": "screener", "password": TEST_PASSWORD, "otp": "000000"})
    assert refused.status_code == 400
    entries = _failures("otp")
    assert sorted(tuple(e.fields) for e in entries) == [("api",), ("web",)]
    assert {e.actor_id for e in entries} == {personas.screener.pk}


def test_a_lockout_is_audited(personas: Personas) -> None:
    for _i in range(5):
        _web("screener", "wrong-password")
    locked = _web("screener", TEST_PASSWORD)
    assert locked.status_code == 429
    lockouts = _failures("lockout")
    assert lockouts
    assert {(e.object_id, tuple(e.fields)) for e in lockouts} == {("screener", ("account",))}


def test_the_api_answers_a_lockout_with_json_429(personas: Personas) -> None:
    for _i in range(5):
        _api({"username": "screener", "password": "wrong-password"})
    locked = _api({"username": "screener", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert "Too many failed attempts" in locked.json()["detail"]
    assert _failures("lockout")


def test_many_usernames_from_one_address_are_throttled_on_the_web_and_in_the_api(
    personas: Personas, settings: Any
) -> None:
    settings.TANU_LOGIN_SPRAY_LIMIT = 3
    for name in ("screener", "caseworker", "monitor"):
        assert _web(name, "Summer2026!", addr="10.9.9.9").status_code == 400
    # Even the right password is refused from that address for a while.
    web = _web("coordinator", TEST_PASSWORD, addr="10.9.9.9")
    assert web.status_code == 429
    assert "Too many failed sign-ins from this address" in web.content.decode()
    api = _api({"username": "coordinator", "password": TEST_PASSWORD}, addr="10.9.9.9")
    assert api.status_code == 429
    assert "Too many failed sign-ins from this address" in api.json()["detail"]
    assert {tuple(e.fields) for e in _failures("lockout")} == {("address",)}
    # Another address is not affected.
    assert _web("coordinator", TEST_PASSWORD, addr="10.9.9.10").status_code == 302


def test_the_spraying_throttle_ends_after_the_window(personas: Personas, settings: Any) -> None:
    from tanu.accounts.models import SignInFailure

    settings.TANU_LOGIN_SPRAY_LIMIT = 2
    for name in ("screener", "caseworker"):
        _web(name, "wrong-password", addr="10.9.9.8")
    assert _web("coordinator", TEST_PASSWORD, addr="10.9.9.8").status_code == 429
    past = timezone.now() - timezone.timedelta(minutes=settings.TANU_LOGIN_SPRAY_MINUTES + 1)
    SignInFailure.objects.update(at=past)
    assert _web("coordinator", TEST_PASSWORD, addr="10.9.9.8").status_code == 302


def test_the_same_username_failing_repeatedly_is_not_spraying(
    personas: Personas, settings: Any
) -> None:
    settings.TANU_LOGIN_SPRAY_LIMIT = 2
    settings.AXES_FAILURE_LIMIT = 10
    for _i in range(4):
        _web("screener", "wrong-password", addr="10.9.9.7")
    assert _web("screener", TEST_PASSWORD, addr="10.9.9.7").status_code == 302


def _code(device: AuthenticatorDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_the_right_code_still_opens_the_api(personas: Personas, settings: Any) -> None:
    settings.TANU_REQUIRE_MFA = True
    device = AuthenticatorDevice.objects.create(user=personas.analyst, name="phone")
    granted = _api({"username": "analyst", "password": TEST_PASSWORD, "otp": _code(device)})
    assert granted.status_code == 200
    assert not _failures("otp")
