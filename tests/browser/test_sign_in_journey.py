"""Sign-in with two-factor authentication, as production requires, in Kazakh."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp.oath import totp

from tanu.accounts.models import AuthenticatorDevice
from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas

pytestmark = pytest.mark.browser


def _code(device: AuthenticatorDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db(transaction=True)
@override_settings(TANU_REQUIRE_MFA=True)
def test_a_screener_enrols_in_totp_and_signs_in_with_a_code(
    live_server: Any, phone: Any, shot: Any, personas: Personas
) -> None:
    base = live_server.url
    with translation.override("kk"):
        welcome = _("Welcome, %(name)s") % {"name": "screener"}
        recovery = _("Recovery codes")
    phone.goto(f"{base}/accounts/login/")
    with phone.expect_navigation():
        phone.select_option("#lang-select", "kk")
    phone.fill("#id_username", "screener")
    phone.fill("#id_password", TEST_PASSWORD)
    phone.locator("form.stack button[type=submit]").click()
    phone.wait_for_url(f"{base}/accounts/otp/setup/")
    shot(phone, "signin-1-enrol-kk")
    device = AuthenticatorDevice.objects.get(user=personas.screener)
    phone.fill("#id_token", _code(device))
    phone.locator("form.stack button[type=submit]").click()
    phone.wait_for_load_state()
    assert recovery in phone.locator("h1").inner_text()
    shot(phone, "signin-2-recovery-codes-kk")
    phone.goto(f"{base}/")
    assert welcome in phone.locator("h1").inner_text()

    # Next time: password, then the code.
    phone.context.clear_cookies()
    phone.goto(f"{base}/accounts/login/")
    phone.fill("#id_username", "screener")
    phone.fill("#id_password", TEST_PASSWORD)
    phone.locator("form.stack button[type=submit]").click()
    phone.wait_for_url(f"{base}/accounts/otp/")
    assert phone.locator("html").get_attribute("lang") == "kk"  # remembered for the user
    device.refresh_from_db()
    device.throttle_reset()
    phone.fill("#id_token", "000000")
    phone.locator("form.stack button[type=submit]").click()
    assert phone.locator(".error").is_visible()
    device.refresh_from_db()
    device.throttle_reset()
    device.last_t = -1
    device.save()
    phone.fill("#id_token", _code(device))
    phone.locator("form.stack button[type=submit]").click()
    phone.wait_for_url(f"{base}/")
    assert welcome in phone.locator("h1").inner_text()
    shot(phone, "signin-3-home-kk")
