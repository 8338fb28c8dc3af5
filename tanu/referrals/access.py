"""Who may see which referral. The sending agency and the region's coordinator see the referral
(and the case itself through the case file); the receiving agency sees the referral and, while
sharing is in force (tanu.referrals.sharing), the shared parts of the person: the identifying
ones only once revealed with a reason. Everyone else gets 404."""

from __future__ import annotations

import time

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from tanu.accounts.models import Agency, Role, User
from tanu.audit.denied import raise_denied
from tanu.audit.models import ObjectType
from tanu.cases import access as case_access
from tanu.referrals.models import Referral
from tanu.referrals.sharing import identifying_fields, sharing_in_force

CASE_ROLES = (Role.SCREENER, Role.CASE_WORKER, Role.MONITOR)
POLICE_KINDS = (Agency.Kind.ADMINISTRATIVE_POLICE, Agency.Kind.CRIMINAL_POLICE)


def visible_referrals(user: User) -> QuerySet[Referral]:
    """The referrals ``user`` may see, with what every list shows or checks (the case number, the
    service, the consent that keeps sharing in force); never the persons, which no list shows."""
    qs = Referral.objects.select_related("case", "service", "consent")
    if not user.is_active or user.agency_id is None:
        return qs.none()
    if user.role == Role.COORDINATOR:
        return qs.filter(case__region_id=user.agency.region_id)  # type: ignore[union-attr]
    if user.role in CASE_ROLES:
        return qs.filter(Q(from_agency_id=user.agency_id) | Q(to_agency_id=user.agency_id))
    return qs.none()


def get_referral_for_user(user: User, pk: int | str) -> Referral:
    try:
        # The referral's page also names both agencies and, for the recipient, reads the
        # person's shared values.
        return (
            visible_referrals(user)
            .select_related("from_agency", "to_agency", "case__person")
            .get(pk=pk)
        )
    except (Referral.DoesNotExist, ValueError, TypeError):
        raise_denied(ObjectType.REFERRAL, pk)


def is_recipient(user: User, referral: Referral) -> bool:
    return (
        user.is_active
        and user.role in CASE_ROLES
        and referral.to_agency_id is not None
        and referral.to_agency_id == user.agency_id
    )


def is_sender(user: User, referral: Referral) -> bool:
    return user.is_active and user.role in CASE_ROLES and referral.from_agency_id == user.agency_id


def sees_referral_list(user: User) -> bool:
    """The referrals page: the case roles (their agency's referrals) and coordinators."""
    return user.role in (*CASE_ROLES, Role.COORDINATOR)


def may_import_services(user: User) -> bool:
    """Administrators and coordinators import the service directory (a coordinator only the
    services of their own region: tanu.referrals.directory)."""
    return user.is_active and (
        user.role in (Role.ADMINISTRATOR, Role.COORDINATOR) or user.is_superuser
    )


def may_decide_identification(user: User) -> bool:
    """The competent authority: internal affairs bodies (police) and the region's coordinator."""
    if not user.is_active or user.agency is None:
        return False
    return user.role == Role.COORDINATOR or (
        user.role in CASE_ROLES and user.agency.kind in POLICE_KINDS
    )


_REVEALED = "tanu_referral_revealed"


def may_reveal(user: User, referral: Referral) -> bool:
    """Only the receiving agency reveals, only the identifying fields shared, only while sharing
    is in force. The sender and the coordinator read the person through the case file."""
    return (
        is_recipient(user, referral)
        and bool(identifying_fields(referral))
        and sharing_in_force(referral)
    )


def grant_reveal(request: HttpRequest, referral_id: int) -> None:
    case_access.grant(request, _REVEALED, referral_id, case_access.REVEAL_SECONDS)


def is_revealed(request: HttpRequest | None, user: User, referral: Referral) -> bool:
    """A reveal granted in this session, still within its time, and sharing still in force: a
    grant never outlives the referral's state or its consent."""
    if request is None or not hasattr(request, "session"):
        return False
    until = request.session.get(_REVEALED, {}).get(str(referral.pk), 0)
    return until > time.time() and may_reveal(user, referral)
