"""System checks of the keys ops uses (run by `tanu check --deploy`)."""

from __future__ import annotations

import os
from typing import Any

from django.core.checks import CheckMessage, Warning

from tanu.lib import crypto
from tanu.ops.backup import ENV_BACKUP_KEY

KEY_COMMAND = "python -c 'from tanu.lib.crypto import generate_key; print(generate_key())'"


def keys_are_set_on_their_own(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The blind-index key (tanu.W010) and the backup key (tanu.W011) are set, not derived.

    Derived, the blind-index key follows the first field key (removing that key after a rotation
    would break every search), and the backup key follows the active field key (a backup made
    before a rotation needs the old field key to be read)."""
    warnings: list[CheckMessage] = []
    if not crypto.blind_index_key_is_set():
        warnings.append(
            Warning(
                f"{crypto.ENV_BLIND} is not set: the blind-index key (search by name and "
                "document number) is derived from the first field key, so that key can never "
                "be removed.",
                hint=f"Set {crypto.ENV_BLIND} to a key of its own ({KEY_COMMAND}) before the "
                "first record is stored, and keep it (see README, Production).",
                id="tanu.W010",
            )
        )
    if not os.environ.get(ENV_BACKUP_KEY, "").strip():
        warnings.append(
            Warning(
                f"{ENV_BACKUP_KEY} is not set: backups are encrypted under a key derived from "
                "the active field key, and a backup made before a key rotation needs the old "
                "field key to be restored.",
                hint=f"Set {ENV_BACKUP_KEY} to a key of its own ({KEY_COMMAND}), kept apart "
                "from the backups (see README, Production).",
                id="tanu.W011",
            )
        )
    return warnings
