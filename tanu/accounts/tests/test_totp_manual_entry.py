"""The key shown for typing into an authenticator app by hand is base32 (RFC 4648, no padding) in
groups of four, the same key as in the QR code, and a code an app computes from it (RFC 6238,
written out here rather than taken from the library under test) confirms the authenticator."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, override_settings

from tanu.accounts.models import AuthenticatorDevice
from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas

pytestmark = pytest.mark.django_db


def rfc6238_code(base32_key: str, at: float | None = None, digits: int = 6, step: int = 30) -> str:
    """A TOTP code as an authenticator app computes it from a key typed in by hand."""
    key = base64.b32decode(base32_key.upper() + "=" * (-len(base32_key) % 8))
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**digits:0{digits}d}"


def _shown_key(html: str) -> str:
    match = re.search(r'data-testid="otp-secret">([^<]*)<', html)
    assert match is not None
    return match.group(1)


def test_the_code_of_this_test_matches_the_rfc_6238_reference_values() -> None:
    seed = base64.b32encode(b"12345678901234567890").decode()
    assert rfc6238_code(seed, at=59, digits=8) == "94287082"
    assert rfc6238_code(seed, at=1111111109, digits=8) == "07081804"


@override_settings(TANU_REQUIRE_MFA=True)
def test_the_key_to_type_by_hand_is_grouped_base32_of_the_seed_and_its_code_confirms_the_app(
    personas: Personas,
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/accounts/login/", {"username": "screener", "password": TEST_PASSWORD})
    page = client.get("/accounts/otp/setup/")
    assert page.status_code == 200
    shown = _shown_key(page.content.decode())
    device = AuthenticatorDevice.objects.get(user=personas.screener)

    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})*", shown), shown
    typed = shown.replace(" ", "")
    assert base64.b32decode(typed + "=" * (-len(typed) % 8)) == device.bin_key
    # The QR code carries the same key.
    query = parse_qs(urlsplit(page.context["config_url"]).query)
    assert query["secret"] == [typed]

    confirmed = client.post("/accounts/otp/setup/", {"token": rfc6238_code(typed)})
    assert confirmed.status_code == 200
    assert "accounts/recovery_codes.html" in [t.name for t in confirmed.templates]
    device.refresh_from_db()
    assert device.confirmed


def test_a_seed_whose_length_is_not_a_multiple_of_five_bytes_is_shown_and_sent_without_padding(
    personas: Personas,
) -> None:
    device = AuthenticatorDevice.objects.create(
        user=personas.screener, name="authenticator", confirmed=False, key="ab" * 16
    )
    assert "=" not in device.grouped_base32_key
    assert len(device.base32_key) == 26
    assert device.grouped_base32_key.split(" ")[-1] == device.base32_key[24:]
    assert "%3D" not in device.config_url and "secret=" + device.base32_key in device.config_url
