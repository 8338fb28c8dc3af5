"""Who may see and do what with criminal proceedings. Outsiders get 404, never 403.

- investigators of the investigating agency: create and edit the proceeding, see everything;
- an investigator may register a proceeding only on a case referred to their own agency (a
  referral neither declined nor withdrawn): they find the case by its number, and see no name;
- the case's owners (its agency's screeners, case workers and monitors): read the proceeding; the
  hearings' date and place only (not the investigators' notes);
- the coordinator of the case's region: reads the proceeding, like the owners;
- analysts: only figures (tanu.reports);
- everyone else: nothing, on pages and in the API.
Every read and every write is audited (tanu.proceedings.actions).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tanu.accounts.models import Role, User
from tanu.audit.denied import raise_denied
from tanu.audit.models import ObjectType
from tanu.cases.access import full_access_filter
from tanu.cases.models import Case
from tanu.proceedings.models import Proceeding
from tanu.referrals.models import Referral

OPEN_REFERRAL = (
    Referral.Status.SENT,
    Referral.Status.ACCEPTED,
    Referral.Status.IN_PROGRESS,
    Referral.Status.COMPLETED,
)


def is_investigator(user: User) -> bool:
    return user.is_active and user.role == Role.INVESTIGATOR and user.agency_id is not None


def edits(user: User, proceeding: Proceeding) -> bool:
    """Investigators of the investigating agency create and edit."""
    return is_investigator(user) and user.agency_id == proceeding.investigating_agency_id


def _read_filter(user: User) -> Q | None:
    if not user.is_active or user.agency_id is None:
        return None
    if user.role == Role.INVESTIGATOR:
        return Q(investigating_agency_id=user.agency_id)
    case_filter = full_access_filter(user)  # owners of the case, the region's coordinator
    if case_filter is None:
        return None
    case_ids = Case.objects.filter(case_filter).values("pk")
    return Q(case_id__in=case_ids, case__anonymised_at__isnull=True)


def visible_proceedings(user: User) -> QuerySet[Proceeding]:
    """The proceedings the user may read."""
    qs = Proceeding.objects.select_related("case", "investigating_agency")
    condition = _read_filter(user)
    return qs.none() if condition is None else qs.filter(condition)


def get_proceeding_for_user(user: User, pk: int | str) -> Proceeding:
    """The proceeding ``pk`` if the user may read it; else an audited 404."""
    try:
        return visible_proceedings(user).get(pk=pk)
    except (Proceeding.DoesNotExist, ValueError, TypeError, OverflowError):
        raise_denied(ObjectType.PROCEEDING, pk)


def get_editable_proceeding(user: User, pk: int | str) -> Proceeding:
    """The proceeding ``pk`` if the user may edit it; else an audited 404 (a case owner who
    may read it gets 404 on the edit page too: the page does not exist for them)."""
    proceeding = get_proceeding_for_user(user, pk)
    if not edits(user, proceeding):
        raise_denied(ObjectType.PROCEEDING, pk)
    return proceeding


def sees_hearing_notes(user: User, proceeding: Proceeding) -> bool:
    """The investigators' notes on hearings are theirs; others see date and place only."""
    return edits(user, proceeding)


def registrable_cases(user: User) -> QuerySet[Case]:
    """The cases an investigator may register a proceeding on: referred to their agency."""
    if not is_investigator(user) or user.agency_id is None:
        return Case.objects.none()
    referred = Referral.objects.filter(
        service__agency_id=user.agency_id, status__in=OPEN_REFERRAL
    ).values("case_id")
    return Case.objects.filter(pk__in=referred, anonymised_at__isnull=True)


def get_registrable_case(user: User, number: str) -> Case:
    """The case with this number, if the investigator may register a proceeding on it; else an
    audited 404 (the number of a case not referred to them tells them nothing)."""
    try:
        return registrable_cases(user).get(number=number.strip().upper())
    except (Case.DoesNotExist, ValueError, TypeError):
        raise_denied(ObjectType.CASE, number[:64])
