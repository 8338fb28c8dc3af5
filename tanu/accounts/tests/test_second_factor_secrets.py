"""TOTP seeds are stored encrypted and recovery codes hashed; neither is shown after enrolment."""

from __future__ import annotations

from importlib import import_module
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from tanu.accounts.models import AuthenticatorDevice, RecoveryCodeDevice
from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas

pytestmark = pytest.mark.django_db


def _raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return repr(cursor.fetchall())


def test_the_raw_rows_hold_neither_the_seed_nor_a_recovery_code(personas: Personas) -> None:
    device = AuthenticatorDevice.objects.create(user=personas.screener, name="phone")
    seed = AuthenticatorDevice.objects.get(pk=device.pk).key
    assert len(seed) == 40
    codes = RecoveryCodeDevice.objects.create(user=personas.screener, name="r").replace_codes()
    rows = _raw_rows("accounts_authenticatordevice") + _raw_rows("accounts_recoverycode")
    assert seed not in rows and seed.upper() not in rows
    for code in codes:
        assert code not in rows
        assert code.replace("-", "") not in rows


def test_the_enrolment_page_shows_the_key_only_until_it_is_confirmed(
    personas: Personas, settings: Any
) -> None:
    settings.TANU_REQUIRE_MFA = True
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/accounts/login/", {"username": "screener", "password": TEST_PASSWORD})
    assert 'data-testid="otp-secret"' in client.get("/accounts/otp/setup/").content.decode()
    AuthenticatorDevice.objects.filter(user=personas.screener).update(confirmed=True)
    again = client.get("/accounts/otp/setup/")
    assert again.status_code == 302
    assert again["Location"] == "/accounts/otp/"


def test_the_migration_moves_plaintext_devices_and_empties_the_old_tables(
    personas: Personas,
) -> None:
    seed = "3132333435363738393031323334353637383930"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE otp_totp_totpdevice (id integer primary key, user_id integer, "
            "name varchar(64), confirmed bool, key varchar(80), step integer, t0 integer, "
            "digits integer, tolerance integer, drift integer, last_t integer)"
        )
        cursor.execute(
            "CREATE TABLE otp_static_staticdevice (id integer primary key, user_id integer, "
            "name varchar(64), confirmed bool)"
        )
        cursor.execute(
            "CREATE TABLE otp_static_statictoken (id integer primary key, device_id integer, "
            "token varchar(16))"
        )
        cursor.execute(
            "INSERT INTO otp_totp_totpdevice VALUES (1, %s, 'phone', %s, %s, 30, 0, 6, 1, 0, -1)",
            [personas.caseworker.pk, True, seed],
        )
        cursor.execute(
            "INSERT INTO otp_static_staticdevice VALUES (1, %s, 'backup', %s)",
            [personas.caseworker.pk, True],
        )
        cursor.execute("INSERT INTO otp_static_statictoken VALUES (1, 1, 'abcdefgh')")
    migration = import_module("tanu.accounts.migrations.0005_move_plaintext_otp_devices")
    migration.move_devices(apps, SimpleNamespace(connection=connection))
    device = AuthenticatorDevice.objects.get(user=personas.caseworker)
    assert device.key == seed and device.confirmed
    assert seed not in _raw_rows("accounts_authenticatordevice")
    recovery = RecoveryCodeDevice.objects.get(user=personas.caseworker)
    assert "abcdefgh" not in _raw_rows("accounts_recoverycode")
    assert recovery.verify_token("abcdefgh")
    for table in ("otp_totp_totpdevice", "otp_static_staticdevice", "otp_static_statictoken"):
        assert _raw_rows(table) == "[]"
