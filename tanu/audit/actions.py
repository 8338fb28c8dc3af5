"""Writing and verifying the audit trail."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from tanu.audit.chain import GENESIS, entry_digest
from tanu.audit.models import AuditEntry, AuditHead


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    actor: object | None,
    object_type: str = "",
    object_id: object = "",
    fields: Iterable[str] = (),
    reason: str = "",
    request: HttpRequest | None = None,
    flagged: bool = False,
    actor_username: str | None = None,
) -> AuditEntry:
    """Append an entry to the chain, inside the caller's transaction (or a new one)."""
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    username = actor_username if actor_username is not None else getattr(actor, "username", "")
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        seq = head.seq + 1
        at = timezone.now()
        field_list = sorted(set(fields))
        address = client_address(request)
        digest = entry_digest(
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_username=username or "",
            action=str(action),
            object_type=object_type,
            object_id=str(object_id),
            fields=field_list,
            reason=reason[:500],
            address=address,
            flagged=flagged,
            prev_hash=head.last_hash,
        )
        entry = AuditEntry(
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_username=username or "",
            action=str(action),
            object_type=object_type,
            object_id=str(object_id),
            fields=field_list,
            reason=reason[:500],
            address=address,
            flagged=flagged,
            prev_hash=head.last_hash,
            entry_hash=digest,
        )
        entry.save()
        head.seq = seq
        head.last_hash = digest
        head.save(update_fields=["seq", "last_hash"])
    return entry


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    message: str


def verify_chain(entries: Iterator[AuditEntry] | None = None) -> ChainProblem | None:
    """Return the first problem in the chain, or None when it is intact."""
    prev = GENESIS
    expected_seq = 1
    rows = entries if entries is not None else AuditEntry.objects.order_by("seq").iterator(2000)
    for entry in rows:
        if entry.seq != expected_seq:
            return ChainProblem(expected_seq, f"entry {expected_seq} is missing or out of order")
        if entry.prev_hash != prev:
            return ChainProblem(
                entry.seq, f"entry {entry.seq} does not follow entry {entry.seq - 1}"
            )
        digest = entry_digest(
            seq=entry.seq,
            at=entry.at.astimezone(UTC),
            actor_id=entry.actor_id,
            actor_username=entry.actor_username,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            fields=list(entry.fields),
            reason=entry.reason,
            address=entry.address,
            flagged=entry.flagged,
            prev_hash=entry.prev_hash,
        )
        if digest != entry.entry_hash:
            return ChainProblem(entry.seq, f"entry {entry.seq} was changed")
        prev = entry.entry_hash
        expected_seq += 1
    head = AuditHead.objects.filter(id=1).first()
    last_seq = expected_seq - 1
    if head is not None and (head.seq != last_seq or head.last_hash != prev):
        return ChainProblem(last_seq + 1, f"entries after {last_seq} were deleted")
    return None
