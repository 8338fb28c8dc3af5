"""Setting up a second factor goes through named actions: one pending authenticator per official,
confirmed once, in a transaction with its audit entries."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings
from django_otp.oath import totp

from tanu.accounts import actions
from tanu.accounts.models import AuthenticatorDevice, RecoveryCode
from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _code(device: AuthenticatorDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _request() -> HttpRequest:
    request = RequestFactory().post("/accounts/otp/setup/")
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    return request


def _mfa_entries(username: str) -> list[list[str]]:
    return [
        entry.fields
        for entry in AuditEntry.objects.filter(
            object_type="user", actor_username=username, action="update"
        ).order_by("seq")
    ]


@override_settings(TANU_REQUIRE_MFA=True)
def test_two_setup_pages_share_one_pending_authenticator_and_its_creation_is_audited(
    personas: Personas,
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/accounts/login/", {"username": "screener", "password": TEST_PASSWORD})
    assert client.get("/accounts/otp/setup/").status_code == 200
    assert client.get("/accounts/otp/setup/").status_code == 200
    assert AuthenticatorDevice.objects.filter(user=personas.screener).count() == 1
    assert _mfa_entries("screener") == [["mfa_pending"]]


def test_an_authenticator_is_confirmed_once_and_its_recovery_codes_are_not_replaced(
    personas: Personas,
) -> None:
    device = actions.do_start_mfa_enrolment(personas.screener)
    codes = actions.do_confirm_authenticator(
        device, actor=personas.screener, token=_code(device), request=_request()
    )
    assert codes is not None and len(codes) == 10
    kept = set(RecoveryCode.objects.values_list("pk", flat=True))
    # A second submission of the same page (another tab, a double click) is refused.
    with pytest.raises(actions.AccountError):
        actions.do_confirm_authenticator(
            device, actor=personas.screener, token=_code(device), request=_request()
        )
    assert set(RecoveryCode.objects.values_list("pk", flat=True)) == kept
    assert _mfa_entries("screener") == [["mfa_pending"], ["mfa"]]


def test_a_wrong_code_at_setup_is_audited_and_leaves_the_authenticator_pending(
    personas: Personas,
) -> None:
    device = actions.do_start_mfa_enrolment(personas.screener)
    wrong = "000000" if _code(device) != "000000" else "111111"
    assert (
        actions.do_confirm_authenticator(
            device, actor=personas.screener, token=wrong, request=_request()
        )
        is None
    )
    device.refresh_from_db()
    assert not device.confirmed
    assert device.throttling_failure_count == 1  # further guesses are slowed down
    assert AuditEntry.objects.filter(
        object_type="otp", action="login_failed", actor_username="screener"
    ).exists()
    assert not RecoveryCode.objects.filter(device__user=personas.screener).exists()


def test_an_authenticator_of_another_official_is_not_confirmed(personas: Personas) -> None:
    device = actions.do_start_mfa_enrolment(personas.colleague)
    with pytest.raises(actions.AccountError):
        actions.do_confirm_authenticator(
            device, actor=personas.screener, token=_code(device), request=_request()
        )
    device.refresh_from_db()
    assert not device.confirmed
