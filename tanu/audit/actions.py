"""Writing and verifying the audit trail."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tanu.audit.anchors import Anchor
from tanu.audit.chain import GENESIS, entry_digest, reason_digest
from tanu.audit.models import Action, Alert, AuditEntry, AuditHead, ObjectType
from tanu.lib.crypto import is_unreadable

# Actions that open a person's record; many of them in a short time raise an alert.
PERSON_ACCESS = (Action.READ, Action.REVEAL, Action.BREAK_GLASS)
DEFAULT_ALERT_WINDOW_MINUTES = 10
DEFAULT_ALERT_PERSON_RECORDS = 25


class AlertError(Exception):
    """An alert cannot be reviewed (already reviewed, or one's own)."""


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


# Where an object's region is found, by object type: its model, the field its audited id is
# matched on, and the path from the object to its region. Each app registers its own object
# types in its AppConfig.ready (audit sits below every app and imports none of them).
_REGION_PATHS: dict[ObjectType, tuple[type[Model], str, str]] = {}


def register_region_path(
    object_type: ObjectType, model: type[Model], region_field: str, *, id_field: str = "pk"
) -> None:
    """Entries about objects of this type carry the region found at ``region_field`` (a person
    is audited by their id and belongs to the region of their newest case: ``id_field``)."""
    _REGION_PATHS[object_type] = (model, id_field, region_field)


def region_of_object(object_type: ObjectType, object_id: object) -> int | None:
    """The region of the case an audited object belongs to, or None (no such object, or an
    object type outside any case)."""
    path = _REGION_PATHS.get(object_type)
    if path is None or object_id in ("", None):
        return None
    model, id_field, field = path
    try:
        qs = model._default_manager.filter(**{id_field: object_id}).order_by("-pk")
        value = qs.values_list(field, flat=True).first()
    except (ValueError, TypeError):  # an id that is not one (a denied probe of "abc")
        return None
    return int(value) if value is not None else None


def _digest_of(entry: AuditEntry) -> str:
    """The chain's digest of an entry, from what it stores: written by ``record``, checked by
    ``verify_chain``."""
    return entry_digest(
        seq=entry.seq,
        at=entry.at.astimezone(UTC),
        actor_id=entry.actor_id,
        actor_username=entry.actor_username,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        fields=list(entry.fields),
        reason_digest=entry.reason_digest,
        region_id=entry.region_id,
        address=entry.address,
        flagged=entry.flagged,
        prev_hash=entry.prev_hash,
    )


def record(
    action: Action,
    *,
    actor: object | None,
    object_type: ObjectType,
    object_id: object = "",
    fields: Iterable[str] = (),
    reason: str = "",
    request: HttpRequest | None = None,
    flagged: bool = False,
    actor_username: str | None = None,
    region_id: int | None = None,
) -> AuditEntry:
    """Append an entry to the chain, inside the caller's transaction (or a new one).

    ``region_id`` is the region of the object's case; when not given, it is looked up from the
    object type and id (see ``region_of_object``).

    ``action`` and ``object_type`` are members of the trail's vocabulary (:class:`Action`,
    :class:`ObjectType`); a string that is not one is refused (``ValueError``), so that every
    stored value is one the alerts and searches know. Reads go through :func:`record_read`."""
    action = Action(action)
    object_type = ObjectType(object_type)
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    username = actor_username if actor_username is not None else getattr(actor, "username", "")
    if region_id is None:
        region_id = region_of_object(object_type, object_id)
    reason = reason[:500]
    digest_of_reason = reason_digest(reason)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        seq = head.seq + 1
        entry = AuditEntry(
            seq=seq,
            at=timezone.now(),
            actor_id=actor_id,
            actor_username=username or "",
            action=action.value,
            object_type=object_type.value,
            object_id=str(object_id),
            fields=sorted(set(fields)),
            reason=reason,
            reason_digest=digest_of_reason,
            region_id=region_id,
            address=client_address(request),
            flagged=flagged,
            prev_hash=head.last_hash,
        )
        entry.entry_hash = _digest_of(entry)
        entry.save()
        head.seq = seq
        head.last_hash = entry.entry_hash
        head.save(update_fields=["seq", "last_hash"])
        # Still holding the head lock: concurrent writers cannot raise the same alert twice.
        raise_alerts(entry)
    return entry


def record_update(
    object_type: ObjectType,
    row: object,
    fields: Iterable[str],
    *,
    actor: object | None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """The entry for a change of ``fields`` of ``row`` (an object of ``object_type``)."""
    return record(
        Action.UPDATE,
        actor=actor,
        object_type=object_type,
        object_id=getattr(row, "pk", row),
        fields=fields,
        request=request,
    )


def record_read(
    object_type: ObjectType,
    object_id: object = "",
    *,
    actor: object,
    fields: Iterable[str] = (),
    request: HttpRequest | None = None,
    region_id: int | None = None,
) -> AuditEntry:
    """Audit a read: a page, an API answer, a printout or a file that shows audited data.

    The one way every read is written (action ``read``), whether web page or API. ``fields``
    names what was shown (never its values). A read of ``ObjectType.PERSON`` counts towards the
    unusual-access alert. Revealing with a reason and break-the-glass access are the named
    actions of their apps (``reveal``, ``break_glass``), not reads."""
    return record(
        Action.READ,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        fields=fields,
        request=request,
        region_id=region_id,
    )


def clear_reasons_for(object_type: ObjectType, ids: Iterable[object]) -> int:
    """Blank the (encrypted) reasons of the entries about these objects, keeping their digests,
    so that the chain still verifies. For retention and erasure; returns the entries cleared."""
    keys = [str(pk) for pk in ids]
    if not keys:
        return 0
    cleared = 0
    for start in range(0, len(keys), 500):
        batch = keys[start : start + 500]
        cleared += (
            AuditEntry.objects.filter(object_type=ObjectType(object_type), object_id__in=batch)
            .exclude(reason_digest="")
            .update(reason="")
        )
    return cleared


def alert_window_minutes() -> int:
    return int(getattr(settings, "TANU_ALERT_WINDOW_MINUTES", DEFAULT_ALERT_WINDOW_MINUTES))


def alert_person_records() -> int:
    return int(getattr(settings, "TANU_ALERT_PERSON_RECORDS", DEFAULT_ALERT_PERSON_RECORDS))


def raise_alerts(entry: AuditEntry) -> list[Alert]:
    """Raise the alerts a new entry calls for. Runs inside record()'s transaction."""
    if entry.actor_id is None:
        return []
    raised = []
    if entry.action == Action.BREAK_GLASS:
        raised.append(
            Alert.objects.create(
                kind=Alert.Kind.BREAK_GLASS,
                actor_id=entry.actor_id,
                entry=entry,
                created_at=entry.at,
                entry_count=1,
                window_minutes=0,
            )
        )
    if entry.action in PERSON_ACCESS and entry.object_type == ObjectType.PERSON:
        window = alert_window_minutes()
        since = entry.at - timedelta(minutes=window)
        persons = (
            AuditEntry.objects.filter(
                actor_id=entry.actor_id,
                at__gte=since,
                action__in=PERSON_ACCESS,
                object_type=ObjectType.PERSON,
            )
            .values("object_id")
            .distinct()
            .count()
        )
        if persons > alert_person_records():
            already = Alert.objects.filter(
                kind=Alert.Kind.UNUSUAL_PERSON_ACCESS,
                actor_id=entry.actor_id,
                reviewed_at__isnull=True,
                created_at__gte=since,
            ).exists()
            if not already:
                raised.append(
                    Alert.objects.create(
                        kind=Alert.Kind.UNUSUAL_PERSON_ACCESS,
                        actor_id=entry.actor_id,
                        entry=entry,
                        created_at=entry.at,
                        entry_count=persons,
                        window_minutes=window,
                    )
                )
    return raised


def do_review_alert(
    alert: Alert, *, actor: object, note: str, request: HttpRequest | None = None
) -> Alert:
    """Close an alert with the reviewer's note. The note stays on the alert, not in the trail."""
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.reviewed_at is not None:
            raise AlertError(_("This alert was already reviewed."))
        if locked.actor_id == getattr(actor, "pk", None):
            raise AlertError(_("An alert about your own access must be reviewed by someone else."))
        locked.reviewed_by = actor  # type: ignore[assignment]
        locked.reviewed_at = timezone.now()
        locked.review_note = note.strip()
        locked.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.ALERT,
            object_id=locked.pk,
            fields=["reviewed_at", "reviewed_by", "review_note"],
            request=request,
        )
    return locked


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    message: str


def verify_chain(
    entries: Iterator[AuditEntry] | None = None,
    *,
    anchors: Sequence[Anchor] = (),
    since: Anchor | None = None,
) -> ChainProblem | None:
    """Return the first problem in the chain, or None when it is intact.

    Each anchor (see tanu.audit.anchors) must find its entry in the chain with the same hash: an
    anchor beyond the end of the chain means that anchored entries were deleted. With ``since``,
    only the entries after that anchor are checked, chained from its hash (what `tanu audit
    anchor` checks before writing the next anchor)."""
    anchored: dict[int, str] = {anchor.seq: anchor.entry_hash for anchor in anchors}
    prev, expected_seq = GENESIS, 1
    if anchored.get(0, GENESIS) != GENESIS:
        return ChainProblem(1, "the chain does not start where an anchor says it does")
    qs = AuditEntry.objects.order_by("seq")
    if since is not None and since.seq > 0:
        start = AuditEntry.objects.filter(seq=since.seq).values_list("entry_hash", flat=True)
        if list(start) != [since.entry_hash]:
            return ChainProblem(since.seq, f"entry {since.seq} differs from the anchored one")
        prev, expected_seq = since.entry_hash, since.seq + 1
        qs = qs.filter(seq__gt=since.seq)
        anchored[since.seq] = since.entry_hash
    rows = entries if entries is not None else qs.iterator(2000)
    for entry in rows:
        if entry.seq != expected_seq:
            return ChainProblem(expected_seq, f"entry {expected_seq} is missing or out of order")
        if entry.prev_hash != prev:
            return ChainProblem(
                entry.seq, f"entry {entry.seq} does not follow entry {entry.seq - 1}"
            )
        if is_unreadable(entry.reason):
            return ChainProblem(
                entry.seq,
                f"the reason of entry {entry.seq} does not decrypt (changed, or its field key is "
                "missing)",
            )
        # A blank reason with a digest was cleared by retention or erasure: its digest stays.
        if entry.reason and reason_digest(entry.reason) != entry.reason_digest:
            return ChainProblem(entry.seq, f"entry {entry.seq} was changed")
        if _digest_of(entry) != entry.entry_hash:
            return ChainProblem(entry.seq, f"entry {entry.seq} was changed")
        if entry.seq in anchored and anchored[entry.seq] != entry.entry_hash:
            return ChainProblem(
                entry.seq, f"entry {entry.seq} differs from the anchored one (changed)"
            )
        prev = entry.entry_hash
        expected_seq += 1
    last_seq = expected_seq - 1
    beyond = [seq for seq in anchored if seq > last_seq]
    if beyond:
        return ChainProblem(
            last_seq + 1,
            f"entries {last_seq + 1} to {max(beyond)}, covered by an anchor, are missing",
        )
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq != last_seq or head.last_hash != prev):
        return ChainProblem(last_seq + 1, f"entries after {last_seq} were deleted")
    return None
