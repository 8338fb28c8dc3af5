"""The hash chain: each entry's HMAC covers its content and the previous entry's hash.

The chain key is derived from ``TANU_AUDIT_KEY`` (in development, tests and demo mode a fixed,
public development key stands in when it is unset; in production an unset key is refused, and
`tanu check --deploy` reports ``tanu.E020``). Each key has a short public id (a fingerprint).
The key in force is named on the chain's head (``AuditHead.key_id``); `tanu keys rotate-audit`
hands the chain over to a new key with a *key-change entry* (action ``key_change``, object type
``audit_key``, object id: the new key's id), written under the old key, and every entry after it
is written under the new key. Verification follows the same sequence, so older entries verify
with the old keys, kept for verification only in ``TANU_AUDIT_RETIRED_KEYS``.

Entries written before the chain had its own key were keyed by ``SECRET_KEY``: that key is the
first retired key (head ``key_id`` ``""``), and the first entry written after the upgrade hands
the chain over to ``TANU_AUDIT_KEY``. The free-text reason is covered by a keyed digest of it,
not by its text, so that retention and erasure can clear the (encrypted) text without breaking
the chain. The anchors written by `tanu audit anchor` use a key derived differently from the
same ``TANU_AUDIT_KEY`` (see :mod:`tanu.audit.anchors`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tanu.lib.crypto import development_keys_allowed

GENESIS = "0" * 64
# The head's key_id while the chain is still under the key derived from SECRET_KEY.
LEGACY_KEY_ID = ""
# Public on purpose: it protects nothing and is only used in development, tests and demo mode.
_DEV_SECRET = "tanu development audit chain key: public, never for real data"


@dataclass(frozen=True)
class ChainKey:
    key_id: str
    key: bytes = field(repr=False)


def derive_key(secret: str) -> bytes:
    """The chain key of a secret (TANU_AUDIT_KEY, a retired one, or the old SECRET_KEY)."""
    return hashlib.sha256(b"tanu-audit-chain:" + secret.encode()).digest()


def key_id_of(key: bytes) -> str:
    """A short public fingerprint of a chain key (not the key)."""
    return hashlib.sha256(b"tanu-audit-key-id:" + key).hexdigest()[:16]


def _chain_key(secret: str) -> ChainKey:
    key = derive_key(secret)
    return ChainKey(key_id_of(key), key)


def current_key() -> ChainKey:
    """The key new entries are written under; ImproperlyConfigured in production when unset."""
    secret = getattr(settings, "TANU_AUDIT_KEY", "")
    if secret:
        return _chain_key(secret)
    if development_keys_allowed():
        return _chain_key(_DEV_SECRET)
    raise ImproperlyConfigured(
        "TANU_AUDIT_KEY is not set: the audit trail cannot be written or verified. Set it to a "
        "long random value kept outside the database (see README, Production)."
    )


def legacy_key() -> ChainKey:
    """The key of entries written before the chain had its own key (derived from SECRET_KEY)."""
    return _chain_key(settings.SECRET_KEY)


def known_keys() -> dict[str, bytes]:
    """Every chain key this installation can verify with, by id: TANU_AUDIT_KEY, the retired
    keys (TANU_AUDIT_RETIRED_KEYS), the key derived from SECRET_KEY and, in development, tests
    and demo mode only, the public development key."""
    current = current_key()
    keys = {current.key_id: current.key}
    secrets: list[str] = [*getattr(settings, "TANU_AUDIT_RETIRED_KEYS", []), settings.SECRET_KEY]
    if development_keys_allowed():
        secrets.append(_DEV_SECRET)
    for secret in secrets:
        if secret:
            retired = _chain_key(secret)
            keys.setdefault(retired.key_id, retired.key)
    return keys


def reason_digest(reason: str, key: bytes | None = None) -> str:
    """A keyed digest of an audit reason ("" for no reason). Keyed, so that a short reason cannot
    be guessed back from its digest by someone who can only read the database. ``key``: the
    chain key the entry is written under (default: the current one)."""
    if not reason:
        return ""
    message = b"tanu-audit-reason:" + reason.encode()
    return hmac.new(key or current_key().key, message, hashlib.sha256).hexdigest()


def entry_digest(
    *,
    key: bytes | None = None,
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
    return hmac.new(key or current_key().key, message, hashlib.sha256).hexdigest()
