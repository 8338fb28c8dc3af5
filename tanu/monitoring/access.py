"""Who may see and do what in monitoring. Outsiders get 404, never 403.

Monitoring is a regional, multi-agency team activity:
- monitors, screeners and coordinators of a region see its visits, reports and follow-up actions;
- monitors and coordinators of the region plan and record visits and manage its facilities;
- the owner of a follow-up action may close it;
- analysts see the overview (aggregates of all regions), never a visit report;
- administrators keep the facility registry of any region, and see no visit;
- trainers and case workers: nothing.
People met during a visit are reached only through the screenings and cases, with their own rules.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from tanu.accounts.models import Role, User
from tanu.monitoring.models import Facility, FollowUpAction, Visit

VISIT_ROLES = (Role.MONITOR, Role.SCREENER, Role.COORDINATOR)
PLANNER_ROLES = (Role.MONITOR, Role.COORDINATOR)

M = TypeVar("M", bound=Model)


def region_of(user: User) -> int | None:
    """The region whose visits the user works on, or None."""
    if not user.is_active or user.agency_id is None or user.role not in VISIT_ROLES:
        return None
    return user.agency.region_id  # type: ignore[union-attr]


def sees_visits(user: User) -> bool:
    return region_of(user) is not None


def can_plan(user: User) -> bool:
    return region_of(user) is not None and user.role in PLANNER_ROLES


def visits_as_monitor(user: User) -> bool:
    """A monitor joins a visit team as the monitor, whatever their agency."""
    return user.role == Role.MONITOR


def sees_all_regions(user: User) -> bool:
    """Analysts see the aggregates of every region."""
    return user.is_active and user.role == Role.ANALYST


def is_registry_admin(user: User) -> bool:
    return user.is_active and (user.role == Role.ADMINISTRATOR or user.is_superuser)


def can_manage_facilities(user: User) -> bool:
    return can_plan(user) or is_registry_admin(user)


def _in_region(qs: QuerySet[M], user: User, lookup: str = "region_id") -> QuerySet[M]:
    """``qs`` narrowed to the region the user works on; nothing for a user without one."""
    region_id = region_of(user)
    if region_id is None:
        return qs.none()
    return qs.filter(**{lookup: region_id})


def _get_or_404(qs: QuerySet[M], pk: int | str) -> M:
    """The row ``pk`` of ``qs``; 404 when it is not there, or ``pk`` is no id."""
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def visible_visits(user: User) -> QuerySet[Visit]:
    return _in_region(Visit.objects.select_related("facility", "region"), user)


def get_visit_for_user(user: User, pk: int | str) -> Visit:
    return _get_or_404(visible_visits(user), pk)


def get_plannable_visit(user: User, pk: int | str) -> Visit:
    """A visit the user may plan, record and add actions to (monitors, coordinators)."""
    visit = get_visit_for_user(user, pk)
    if not can_plan(user):
        raise Http404
    return visit


def visible_facilities(user: User) -> QuerySet[Facility]:
    qs = Facility.objects.select_related("region", "operating_agency")
    if is_registry_admin(user):
        return qs
    return _in_region(qs, user)


def get_facility_for_user(user: User, pk: int | str) -> Facility:
    return _get_or_404(visible_facilities(user), pk)


def get_editable_facility(user: User, pk: int | str) -> Facility:
    facility = get_facility_for_user(user, pk)
    if not can_manage_facilities(user):
        raise Http404
    return facility


def visible_actions(user: User) -> QuerySet[FollowUpAction]:
    qs = FollowUpAction.objects.select_related("visit", "visit__facility", "owner", "owner__agency")
    return _in_region(qs, user, "visit__region_id")


def get_action_for_user(user: User, pk: int | str) -> FollowUpAction:
    return _get_or_404(visible_actions(user), pk)


def can_close_action(user: User, action: FollowUpAction) -> bool:
    return can_plan(user) or action.owner_id == user.pk
