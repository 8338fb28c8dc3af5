"""Who may see which case, and how much of it. Outsiders get 404, never 403.

- the owning agency's screeners, case workers and monitors: the whole case file;
- the coordinator of the case's region: the whole case file;
- an agency a case was referred to: only the shared parts (see tanu.referrals);
- a user who broke the glass with a reason: the whole file for a limited time, flagged;
- analysts, trainers and administrators: nothing.
Personal data is masked on screen until revealed with a reason."""

from __future__ import annotations

import time

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from tanu.accounts.models import Role, User
from tanu.audit.denied import raise_denied
from tanu.audit.models import ObjectType
from tanu.cases.models import Case

FULL_ACCESS_ROLES = (Role.SCREENER, Role.CASE_WORKER, Role.MONITOR)
BREAK_GLASS_SECONDS = 60 * 60
REVEAL_SECONDS = 15 * 60
_GLASS = "tanu_glass"
_REVEALED = "tanu_revealed"


def _grants(request: HttpRequest | None, key: str) -> set[int]:
    if request is None or not hasattr(request, "session"):
        return set()
    now = time.time()
    raw: dict[str, float] = request.session.get(key, {})
    return {int(pk) for pk, until in raw.items() if until > now}


def grant(request: HttpRequest, key: str, case_id: int, seconds: int) -> None:
    raw: dict[str, float] = dict(request.session.get(key, {}))
    now = time.time()
    raw = {pk: until for pk, until in raw.items() if until > now}
    raw[str(case_id)] = now + seconds
    request.session[key] = raw


def grant_break_glass(request: HttpRequest, case_id: int) -> None:
    grant(request, _GLASS, case_id, BREAK_GLASS_SECONDS)


def grant_reveal(request: HttpRequest, case_id: int) -> None:
    grant(request, _REVEALED, case_id, REVEAL_SECONDS)


def is_revealed(request: HttpRequest | None, case: Case) -> bool:
    return case.pk in _grants(request, _REVEALED)


def full_access_filter(user: User) -> Q | None:
    if not user.is_active or user.agency_id is None:
        return None
    if user.role == Role.COORDINATOR:
        return Q(region_id=user.agency.region_id)  # type: ignore[union-attr]
    if user.role in FULL_ACCESS_ROLES:
        return Q(agency_id=user.agency_id)
    return None


def visible_cases(user: User, request: HttpRequest | None = None) -> QuerySet[Case]:
    """Cases whose whole file the user may open."""
    qs = Case.objects.select_related("agency", "region", "person")
    condition = full_access_filter(user)
    glass = _grants(request, _GLASS)
    if glass and user.is_active and user.role in (*FULL_ACCESS_ROLES, Role.COORDINATOR):
        condition = (condition | Q(pk__in=glass)) if condition is not None else Q(pk__in=glass)
    if condition is None:
        return qs.none()
    return qs.filter(condition)


def get_case_for_user(user: User, pk: int | str, request: HttpRequest | None = None) -> Case:
    try:
        return visible_cases(user, request).get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise_denied(ObjectType.CASE, pk)


def sees_region_cases(user: User) -> bool:
    """The region's coordinator sees every case of the region and decides the requests about
    a case's data."""
    return user.role == Role.COORDINATOR


def may_break_glass(user: User, case: Case) -> bool:
    """Case roles of the same region may open a case in an emergency, with a reason."""
    return (
        user.is_active
        and user.role in (*FULL_ACCESS_ROLES, Role.COORDINATOR)
        and user.agency is not None
        and user.agency.region_id == case.region_id
    )


def owns(user: User, case: Case) -> bool:
    return user.agency_id == case.agency_id and user.role in FULL_ACCESS_ROLES
