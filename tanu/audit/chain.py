"""The hash chain: each entry's HMAC covers its content and the previous entry's hash.

The chain key is derived from ``SECRET_KEY`` (it always was: changing it would break every
existing entry). The free-text reason is covered by a keyed digest of it, not by its text, so
that retention and erasure can clear the (encrypted) text without breaking the chain. The
anchors written by `tanu audit anchor` use another key, ``TANU_AUDIT_KEY`` (see
:mod:`tanu.audit.anchors`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from django.conf import settings

GENESIS = "0" * 64


def _key() -> bytes:
    return hashlib.sha256(b"tanu-audit-chain:" + settings.SECRET_KEY.encode()).digest()


def reason_digest(reason: str) -> str:
    """A keyed digest of an audit reason ("" for no reason). Keyed, so that a short reason cannot
    be guessed back from its digest by someone who can only read the database."""
    if not reason:
        return ""
    message = b"tanu-audit-reason:" + reason.encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


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
    reason_digest: str,
    region_id: int | None,
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
        "reason_digest": reason_digest,
        "region": region_id,
        "address": address,
        "flagged": flagged,
        "prev": prev_hash,
    }
    message = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()
