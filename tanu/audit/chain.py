"""The hash chain: each entry's HMAC covers its content and the previous entry's hash."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from django.conf import settings

GENESIS = "0" * 64


def _key() -> bytes:
    secret = getattr(settings, "TANU_AUDIT_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(b"tanu-audit-chain:" + secret.encode()).digest()


def entry_digest(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    fields: list[str],
    reason: str,
    address: str | None,
    flagged: bool,
    prev_hash: str,
) -> str:
    payload: dict[str, Any] = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_username": actor_username,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "fields": list(fields),
        "reason": reason,
        "address": address,
        "flagged": flagged,
        "prev": prev_hash,
    }
    message = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()
