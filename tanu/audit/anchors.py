"""Anchors: the head of the audit chain, written outside the database.

`tanu audit anchor` appends one line to ``TANU_AUDIT_ANCHOR_FILE`` (default
``<data dir>/audit-anchors.log``)::

    v1 <sequence> <entry hash> <time, ISO 8601 UTC> <HMAC-SHA256 of the first four fields>

The HMAC key is derived from ``TANU_AUDIT_KEY`` (which also keys the chain itself, derived
differently: see :mod:`tanu.audit.chain`); it lives in the environment and never in the database.
In development, tests and demo mode a fixed, public development key stands in when it is unset.

`tanu audit verify` then checks the chain against every anchor in the file: each anchored entry
must still be there with the same hash. Deleting the tail of the trail (and moving the head back),
or changing any entry that an anchor covers, is noticed, even by someone who can write to the
database; forging or changing an anchor line needs ``TANU_AUDIT_KEY``, so anchors copied off the
machine (or kept in an append-only file) hold even against someone who has it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tanu.audit.chain import GENESIS
from tanu.audit.models import AuditHead
from tanu.lib.crypto import development_keys_allowed

FORMAT = "v1"
# Public on purpose: it protects nothing and is only used in development, tests and demo mode.
_DEV_KEY = b"tanu development audit anchor key: public, never for real data"


class AnchorError(Exception):
    """No key to sign or check anchors with, or an anchor file that cannot be read or trusted."""


@dataclass(frozen=True)
class Anchor:
    line_number: int
    seq: int
    entry_hash: str
    at: datetime


def anchor_file() -> Path:
    configured = getattr(settings, "TANU_AUDIT_ANCHOR_FILE", "")
    if configured:
        return Path(configured)
    return Path(settings.DATA_DIR) / "audit-anchors.log"


def anchor_key() -> bytes:
    """The HMAC key of anchor lines; raises AnchorError when none is configured in production."""
    secret = getattr(settings, "TANU_AUDIT_KEY", "")
    if secret:
        return hashlib.sha256(b"tanu-audit-anchor:" + secret.encode()).digest()
    if development_keys_allowed():
        return hashlib.sha256(b"tanu-audit-anchor:" + _DEV_KEY).digest()
    raise AnchorError(
        "TANU_AUDIT_KEY is not set: anchors cannot be signed or checked. Set it to a long random "
        "value kept outside the database (see README, Audit trail)."
    )


def _mac(key: bytes, seq: int, entry_hash: str, at: str) -> str:
    message = f"{FORMAT} {seq} {entry_hash} {at}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def format_line(seq: int, entry_hash: str, at: datetime, key: bytes) -> str:
    stamp = at.astimezone(UTC).isoformat(timespec="microseconds")
    return f"{FORMAT} {seq} {entry_hash} {stamp} {_mac(key, seq, entry_hash, stamp)}\n"


def write_anchor(path: Path | None = None) -> Anchor:
    """Append the current head of the chain to the anchor file and return it.

    Refuses (AnchorError) when the anchor file is not authentic, or when the chain does not
    verify since the newest anchor (the whole chain, for the first anchor): an anchor must never
    vouch for a chain that was already cut or changed. The head stays locked while the new
    entries are checked, so that the anchor names exactly the head that was checked."""
    from tanu.audit.actions import verify_chain

    key = anchor_key()
    target = path or anchor_file()
    previous = read_anchors(target) or []
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(id=1).first()
        seq, last_hash = (head.seq, head.last_hash) if head is not None else (0, GENESIS)
        problem = verify_chain(since=previous[-1] if previous else None)
    if problem is not None:
        raise AnchorError(
            f"the audit chain is broken at entry {problem.seq} ({problem.message}); nothing was "
            "anchored. Run `tanu audit verify` and find out what happened."
        )
    at = timezone.now()
    line = format_line(seq, last_hash, at, key)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return Anchor(line_number=len(previous) + 1, seq=seq, entry_hash=last_hash, at=at)


def read_anchors(path: Path | None = None) -> list[Anchor] | None:
    """Every anchor in the file, oldest first, each checked against its HMAC; None when there is
    no anchor file. Raises AnchorError on a line that is malformed or not authentic."""
    source = path or anchor_file()
    try:
        text = source.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise AnchorError(f"cannot read the anchor file {source}: {exc}") from None
    key = anchor_key()
    anchors: list[Anchor] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = line.split(" ")
        if len(parts) != 5 or parts[0] != FORMAT:
            raise AnchorError(f"anchor line {number} is malformed")
        _, seq_text, entry_hash, stamp, mac = parts
        try:
            seq = int(seq_text)
            at = datetime.fromisoformat(stamp)
        except ValueError:
            raise AnchorError(f"anchor line {number} is malformed") from None
        if seq < 0 or not hmac.compare_digest(mac, _mac(key, seq, entry_hash, stamp)):
            raise AnchorError(
                f"anchor line {number} is not authentic (its HMAC does not match: the line was "
                "changed, or TANU_AUDIT_KEY differs from the key that wrote it)"
            )
        anchors.append(Anchor(line_number=number, seq=seq, entry_hash=entry_hash, at=at))
    return anchors
