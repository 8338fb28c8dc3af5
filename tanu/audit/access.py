"""Who may read the audit trail and its alerts. Administrators see everything; a coordinator sees
every access to the cases of their region (the region is fixed on the entry when it is written:
reads by recipients from other regions and by officials who have since moved are included) and
what officials of agencies in their region do (never anonymous failed sign-ins); everyone else
gets 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from tanu.accounts.models import Role, User
from tanu.audit.models import Alert, AuditEntry


def _is_administrator(user: User) -> bool:
    return user.role == Role.ADMINISTRATOR or user.is_superuser


def _coordinator_region_id(user: User) -> int | None:
    if user.role == Role.COORDINATOR and user.agency_id and user.agency:
        return user.agency.region_id
    return None


def can_read_audit(user: User) -> bool:
    if not user.is_active:
        return False
    return _is_administrator(user) or _coordinator_region_id(user) is not None


def visible_entries(user: User) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if not user.is_active:
        return qs.none()
    if _is_administrator(user):
        return qs
    region_id = _coordinator_region_id(user)
    if region_id is not None:
        return qs.filter(Q(region_id=region_id) | Q(actor__agency__region_id=region_id))
    return qs.none()


def visible_alerts(user: User) -> QuerySet[Alert]:
    qs = Alert.objects.select_related("actor", "reviewed_by", "entry")
    if not user.is_active:
        return qs.none()
    if _is_administrator(user):
        return qs
    region_id = _coordinator_region_id(user)
    if region_id is not None:
        return qs.filter(actor__agency__region_id=region_id)
    return qs.none()


def get_alert_for_user(user: User, pk: int) -> Alert:
    try:
        return visible_alerts(user).get(pk=pk)
    except (Alert.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
