"""Writing and verifying the audit trail."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tanu.audit import chain
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


class AuditKeyError(Exception):
    """The audit chain cannot be handed over to a new key (see do_rotate_audit_key)."""


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


def _digest_of(entry: AuditEntry, key: bytes) -> str:
    """The chain's digest of an entry under ``key``, from what it stores: written by
    ``record``, checked by ``verify_chain``."""
    return entry_digest(
        key=key,
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
    with transaction.atomic():
        head = _locked_head()
        key = _writing_key(head)
        entry = _append(
            head,
            key,
            AuditEntry(
                actor_id=actor_id,
                actor_username=username or "",
                action=action.value,
                object_type=object_type.value,
                object_id=str(object_id),
                fields=sorted(set(fields)),
                reason=reason,
                region_id=region_id,
                address=client_address(request),
                flagged=flagged,
            ),
        )
        # Still holding the head lock: concurrent writers cannot raise the same alert twice.
        raise_alerts(entry)
    return entry


def _locked_head() -> AuditHead:
    head, _ = AuditHead.objects.select_for_update().get_or_create(
        id=1, defaults={"key_id": chain.current_key().key_id}
    )
    return head


def _append(head: AuditHead, key: bytes, entry: AuditEntry) -> AuditEntry:
    """Chain ``entry`` after the (locked) head under ``key``, save it and move the head."""
    entry.seq = head.seq + 1
    entry.at = timezone.now()
    entry.reason_digest = reason_digest(entry.reason, key)
    entry.prev_hash = head.last_hash
    entry.entry_hash = _digest_of(entry, key)
    entry.save()
    head.seq = entry.seq
    head.last_hash = entry.entry_hash
    head.save(update_fields=["seq", "last_hash", "key_id"])
    return entry


def _hand_over(head: AuditHead, old_key: bytes, new: chain.ChainKey) -> AuditEntry:
    """The key-change entry: written under the old key, it names the new key's id; every
    entry after it is written under the new key."""
    head.key_id = new.key_id
    return _append(
        head,
        old_key,
        AuditEntry(
            actor_username="audit key",
            action=Action.KEY_CHANGE.value,
            object_type=ObjectType.AUDIT_KEY.value,
            object_id=new.key_id,
        ),
    )


def _writing_key(head: AuditHead) -> bytes:
    """The key the next entry is written under: the key in force on the (locked) head.

    A chain still under the key derived from SECRET_KEY (written before the audit trail had
    its own key) is handed over to TANU_AUDIT_KEY first. A chain under a retired key stays
    under it until `tanu keys rotate-audit`."""
    current = chain.current_key()
    if head.key_id == current.key_id:
        return current.key
    if head.seq == 0:
        head.key_id = current.key_id
        return current.key
    if head.key_id == chain.LEGACY_KEY_ID:
        _hand_over(head, chain.legacy_key().key, current)
        return current.key
    known = chain.known_keys()
    if head.key_id in known:
        return known[head.key_id]
    raise ImproperlyConfigured(
        f"The audit chain is kept under audit key {head.key_id}, which is neither TANU_AUDIT_KEY "
        "nor in TANU_AUDIT_RETIRED_KEYS: set the key it was written under (see README, "
        "Production)."
    )


def do_rotate_audit_key() -> AuditEntry | None:
    """Hand the audit chain over to TANU_AUDIT_KEY with a key-change entry (`tanu keys
    rotate-audit`). The chain must verify first, and the key in force must be known (it stays,
    for verification only, in TANU_AUDIT_RETIRED_KEYS). Returns the key-change entry, or None
    for an empty chain (it simply starts under the new key)."""
    current = chain.current_key()
    with transaction.atomic():
        head = _locked_head()
        if head.key_id == current.key_id:
            raise AuditKeyError(
                f"the audit chain is already under TANU_AUDIT_KEY (key {current.key_id}); set "
                "TANU_AUDIT_KEY to a new key and move the old one to TANU_AUDIT_RETIRED_KEYS"
            )
        if head.seq == 0:
            head.key_id = current.key_id
            head.save(update_fields=["key_id"])
            return None
        known = chain.known_keys()
        old_id = chain.legacy_key().key_id if head.key_id == chain.LEGACY_KEY_ID else head.key_id
        if old_id not in known:
            raise AuditKeyError(
                f"the audit chain is under key {old_id}, which is not configured: put it in "
                "TANU_AUDIT_RETIRED_KEYS, so that the handover can be signed and the older "
                "entries still verify"
            )
        problem = verify_chain()
        if problem is not None:
            raise AuditKeyError(
                f"the audit chain is broken at entry {problem.seq} ({problem.message}); the key "
                "was not changed"
            )
        return _hand_over(head, known[old_id], current)


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
    actor_username: str | None = None,
) -> AuditEntry:
    """Audit a read: a page, an API answer, a printout or a file that shows audited data.
    ``actor_username`` names a process that reads without an official (``actor`` None).

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
        actor_username=actor_username,
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
    head: AuditHead | None = None,
) -> ChainProblem | None:
    """Return the first problem in the chain, or None when it is intact.

    Each entry is checked under the audit key in force where it stands: the first entry's key is
    whichever known key (TANU_AUDIT_KEY, TANU_AUDIT_RETIRED_KEYS, the key derived from
    SECRET_KEY) it verifies under, and only a key-change entry moves the chain to another key.
    ``entries`` and ``head`` check a chain that is not (yet) in the database, such as a backup's.

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
    known = chain.known_keys()
    key: bytes | None = None  # the key in force; None until the first entry names it
    missing_key = ""  # the id of a key a key-change entry handed over to, not configured here
    for entry in rows:
        if missing_key:
            return ChainProblem(
                entry.seq,
                f"entries from {entry.seq} on are under audit key {missing_key}, which is not "
                "configured here (TANU_AUDIT_KEY or TANU_AUDIT_RETIRED_KEYS)",
            )
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
        if key is None:
            key = next(
                (k for k in known.values() if _digest_of(entry, k) == entry.entry_hash), None
            )
            if key is None:
                return ChainProblem(
                    entry.seq,
                    f"entry {entry.seq} was changed, or written under an audit key that is not "
                    "configured here (TANU_AUDIT_KEY or TANU_AUDIT_RETIRED_KEYS)",
                )
        # A blank reason with a digest was cleared by retention or erasure: its digest stays.
        if entry.reason and reason_digest(entry.reason, key) != entry.reason_digest:
            return ChainProblem(entry.seq, f"entry {entry.seq} was changed")
        if _digest_of(entry, key) != entry.entry_hash:
            return ChainProblem(entry.seq, f"entry {entry.seq} was changed")
        if entry.action == Action.KEY_CHANGE and entry.object_type == ObjectType.AUDIT_KEY:
            key = known.get(entry.object_id)
            missing_key = "" if key is not None else entry.object_id
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
    if head is None and entries is None:
        head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq != last_seq or head.last_hash != prev):
        return ChainProblem(last_seq + 1, f"entries after {last_seq} were deleted")
    return None
