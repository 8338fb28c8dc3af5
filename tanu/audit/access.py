"""Who may read the audit trail and its alerts. Administrators see everything; a coordinator sees
every access to the cases of their region (the region is fixed on the entry when it is written:
reads by recipients from other regions and by officials who have since moved are included) and
what officials of agencies in their region do (never anonymous failed sign-ins); everyone else
gets 404."""

from __future__ import annotations

from typing import Protocol

from django.db.models import Q, QuerySet
from django.http import Http404

from tanu.audit.models import Alert, AuditEntry


class AuditReader(Protocol):
    """What audit asks of the signed-in official (the accounts' user provides it): audit sits
    below accounts and knows no roles."""

    @property
    def is_active(self) -> bool: ...

    @property
    def reads_whole_audit(self) -> bool:
        """Administrators read the whole trail."""
        ...

    @property
    def audit_region_id(self) -> int | None:
        """A coordinator reads the trail of their region; None for everyone else."""
        ...


def _is_administrator(user: AuditReader) -> bool:
    return user.reads_whole_audit


def _coordinator_region_id(user: AuditReader) -> int | None:
    return user.audit_region_id


def can_read_audit(user: AuditReader) -> bool:
    if not user.is_active:
        return False
    return _is_administrator(user) or _coordinator_region_id(user) is not None


def visible_entries(user: AuditReader) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if not user.is_active:
        return qs.none()
    if _is_administrator(user):
        return qs
    region_id = _coordinator_region_id(user)
    if region_id is not None:
        return qs.filter(Q(region_id=region_id) | Q(actor__agency__region_id=region_id))
    return qs.none()


def visible_alerts(user: AuditReader) -> QuerySet[Alert]:
    qs = Alert.objects.select_related("actor", "reviewed_by", "entry")
    if not user.is_active:
        return qs.none()
    if _is_administrator(user):
        return qs
    region_id = _coordinator_region_id(user)
    if region_id is not None:
        return qs.filter(actor__agency__region_id=region_id)
    return qs.none()


def get_alert_for_user(user: AuditReader, pk: int) -> Alert:
    try:
        return visible_alerts(user).get(pk=pk)
    except (Alert.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
