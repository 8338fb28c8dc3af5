"""Move the second factors out of django-otp's plaintext tables.

TOTP seeds are copied into AuthenticatorDevice, where they are stored encrypted; recovery codes are
copied into RecoveryCodeDevice as salted SHA-256 digests. The old rows are then deleted, so that no
database file or backup made after this migration holds a seed or a code in plaintext. The old
tables are read with plain SQL because the django-otp plugins are no longer installed apps.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import migrations

TOTP_TABLE = "otp_totp_totpdevice"
STATIC_DEVICE_TABLE = "otp_static_staticdevice"
STATIC_TOKEN_TABLE = "otp_static_statictoken"


def _normalise(raw: str) -> str:
    return "".join(ch for ch in raw.lower() if ch.isalnum())


def move_devices(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    tables = set(connection.introspection.table_names())
    authenticator = apps.get_model("accounts", "AuthenticatorDevice")
    recovery_device = apps.get_model("accounts", "RecoveryCodeDevice")
    recovery_code = apps.get_model("accounts", "RecoveryCode")
    with connection.cursor() as cursor:
        if TOTP_TABLE in tables:
            cursor.execute(
                f"SELECT user_id, name, confirmed, key, step, t0, digits, tolerance, drift, "
                f"last_t FROM {TOTP_TABLE}"
            )
            for user_id, name, confirmed, key, step, t0, digits, tolerance, drift, last_t in (
                cursor.fetchall()
            ):
                authenticator.objects.create(
                    user_id=user_id,
                    name=name,
                    confirmed=bool(confirmed),
                    key=key,
                    step=step,
                    t0=t0,
                    digits=digits,
                    tolerance=tolerance,
                    drift=drift,
                    last_t=last_t,
                )
            cursor.execute(f"DELETE FROM {TOTP_TABLE}")
        if STATIC_DEVICE_TABLE in tables and STATIC_TOKEN_TABLE in tables:
            cursor.execute(f"SELECT id, user_id, name, confirmed FROM {STATIC_DEVICE_TABLE}")
            for old_id, user_id, name, confirmed in cursor.fetchall():
                salt = secrets.token_hex(16)
                device = recovery_device.objects.create(
                    user_id=user_id, name=name, confirmed=bool(confirmed), salt=salt
                )
                cursor.execute(
                    f"SELECT token FROM {STATIC_TOKEN_TABLE} WHERE device_id = %s", [old_id]
                )
                recovery_code.objects.bulk_create(
                    recovery_code(
                        device=device,
                        code_hash=hashlib.sha256(
                            f"{salt}:{_normalise(token)}".encode()
                        ).hexdigest(),
                    )
                    for (token,) in cursor.fetchall()
                )
            cursor.execute(f"DELETE FROM {STATIC_TOKEN_TABLE}")
            cursor.execute(f"DELETE FROM {STATIC_DEVICE_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_encrypted_second_factors_role_requests_sign_in_failures")]

    operations = [migrations.RunPython(move_devices, migrations.RunPython.noop)]
