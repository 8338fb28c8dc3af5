"""Who may see which referral. The sending agency and the region's coordinator see the whole
referral; the receiving agency sees the referral and only the shared parts of the person.
Everyone else gets 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from tanu.accounts.models import Agency, Role, User
from tanu.referrals.models import Referral

CASE_ROLES = (Role.SCREENER, Role.CASE_WORKER, Role.MONITOR)
POLICE_KINDS = (Agency.Kind.ADMINISTRATIVE_POLICE, Agency.Kind.CRIMINAL_POLICE)


def visible_referrals(user: User) -> QuerySet[Referral]:
    qs = Referral.objects.select_related(
        "case", "service", "from_agency", "to_agency", "case__person"
    )
    if not user.is_active or user.agency_id is None:
        return qs.none()
    if user.role == Role.COORDINATOR:
        return qs.filter(case__region_id=user.agency.region_id)  # type: ignore[union-attr]
    if user.role in CASE_ROLES:
        return qs.filter(Q(from_agency_id=user.agency_id) | Q(to_agency_id=user.agency_id))
    return qs.none()


def get_referral_for_user(user: User, pk: int | str) -> Referral:
    try:
        return visible_referrals(user).get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def is_recipient(user: User, referral: Referral) -> bool:
    return (
        user.is_active
        and user.role in CASE_ROLES
        and referral.to_agency_id is not None
        and referral.to_agency_id == user.agency_id
    )


def is_sender(user: User, referral: Referral) -> bool:
    return user.is_active and user.role in CASE_ROLES and referral.from_agency_id == user.agency_id


def may_decide_identification(user: User) -> bool:
    """The competent authority: internal affairs bodies (police) and the region's coordinator."""
    if not user.is_active or user.agency is None:
        return False
    return user.role == Role.COORDINATOR or (
        user.role in CASE_ROLES and user.agency.kind in POLICE_KINDS
    )
