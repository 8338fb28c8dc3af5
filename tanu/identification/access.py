"""Who may see which screening. Outsiders get 404, never 403."""

from __future__ import annotations

from django.db.models import QuerySet

from tanu.accounts.models import Role, User
from tanu.audit.denied import raise_denied
from tanu.audit.models import ObjectType
from tanu.identification.models import Screening

SCREENING_ROLES = (Role.SCREENER, Role.MONITOR, Role.CASE_WORKER, Role.COORDINATOR)


def can_screen(user: User) -> bool:
    return user.is_active and user.role in (Role.SCREENER, Role.MONITOR, Role.CASE_WORKER)


def visible_screenings(user: User) -> QuerySet[Screening]:
    """A screening is visible to its agency and to the coordinator of its region."""
    qs = Screening.objects.select_related("agency", "region", "created_by")
    if not user.is_active or user.agency_id is None:
        return qs.none()
    if user.role == Role.COORDINATOR:
        return qs.filter(region_id=user.agency.region_id)  # type: ignore[union-attr]
    if user.role in (Role.SCREENER, Role.MONITOR, Role.CASE_WORKER):
        return qs.filter(agency_id=user.agency_id)
    return qs.none()


def get_screening_for_user(user: User, pk: int | str) -> Screening:
    try:
        return visible_screenings(user).get(pk=pk)
    except (Screening.DoesNotExist, ValueError, TypeError):
        raise_denied(ObjectType.SCREENING, pk)


def get_editable_screening(user: User, pk: int | str) -> Screening:
    """Only the agency that owns a screening may change it (not the region's coordinator)."""
    screening = get_screening_for_user(user, pk)
    if screening.agency_id != user.agency_id or not can_screen(user):
        raise_denied(ObjectType.SCREENING, pk)
    return screening
