"""Who may see which likely duplicate, merge and contact request. Outsiders get 404, never 403.

Within one agency (both records held by it) a pair is reviewed by those who see both case files
in full: the agency's screeners, case workers and monitors, and the coordinator of its region.

Across agencies tanu answers hit / no-hit: the reader of a case learns only that a likely match
is held elsewhere, in which region and how strong; never the other agency, person or case. A
contact request is seen by the requesting agency, by the coordinator of the other record's
region, and by the holding agency once the coordinator has forwarded it.

Every list of coordinators' pairs (the API) names ids, agencies and regions, never a person's
values."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from tanu.accounts.models import Role, User
from tanu.audit.denied import raise_denied
from tanu.audit.models import ObjectType
from tanu.cases.access import FULL_ACCESS_ROLES
from tanu.cases.models import Case
from tanu.linkage.models import ContactRequest, MatchPair, PersonMerge


def region_of(user: User) -> int:
    """The region of the user's agency (0, which is no region's id, without one)."""
    return user.agency.region_id if user.agency is not None else 0


def keeps_cases(user: User) -> bool:
    """Officials who keep their agency's case files (screeners, case workers, monitors)."""
    return user.is_active and user.agency_id is not None and user.role in FULL_ACCESS_ROLES


def is_coordinator(user: User) -> bool:
    return user.is_active and user.agency_id is not None and user.role == Role.COORDINATOR


def reviewable_pairs(user: User) -> QuerySet[MatchPair]:
    """Pairs of two records of one agency that the user may compare and decide on."""
    qs = (
        MatchPair.objects.filter(agency_a=F("agency_b"))
        .filter(person_a__case__isnull=False, person_b__case__isnull=False)
        # An anonymised record has nobody left to compare (its reveal would show nothing).
        .filter(person_a__anonymised_at__isnull=True, person_b__anonymised_at__isnull=True)
        .select_related("agency_a", "region_a", "person_a__case", "person_b__case")
    )
    if keeps_cases(user):
        return qs.filter(agency_a_id=user.agency_id)
    if is_coordinator(user):
        return qs.filter(region_a_id=region_of(user))
    return qs.none()


def reviews(user: User, pair: MatchPair) -> bool:
    """The test of ``reviewable_pairs`` for one pair in hand (no query)."""
    if pair.across_agencies:
        return False
    if keeps_cases(user):
        return pair.agency_a_id == user.agency_id
    return is_coordinator(user) and pair.region_a_id == region_of(user)


def get_pair_for_user(user: User, pk: int | str) -> MatchPair:
    try:
        return reviewable_pairs(user).get(pk=pk)
    except (MatchPair.DoesNotExist, ValueError, TypeError):
        raise_denied(ObjectType.MATCH_PAIR, pk)


def region_pairs(user: User) -> QuerySet[MatchPair]:
    """Every pair with a record in the coordinator's region (the API's list); none for others."""
    if not is_coordinator(user):
        return MatchPair.objects.none()
    region = region_of(user)
    return MatchPair.objects.filter(Q(region_a_id=region) | Q(region_b_id=region))


def visible_merges(user: User) -> QuerySet[PersonMerge]:
    """Merges of the cases the user sees in full (both cases belong to one agency)."""
    qs = PersonMerge.objects.select_related("kept_case", "merged_case", "by", "undone_by")
    if keeps_cases(user):
        return qs.filter(kept_case__agency=user.agency)
    if is_coordinator(user):
        return qs.filter(kept_case__region_id=region_of(user))
    return qs.none()


def get_merge_for_user(user: User, pk: int | str) -> PersonMerge:
    try:
        return visible_merges(user).get(pk=pk)
    except (PersonMerge.DoesNotExist, ValueError, TypeError):
        raise_denied(ObjectType.PERSON_MERGE, pk)


def hits_for_case(case: Case) -> QuerySet[MatchPair]:
    """The open pairs that join the case's person to a person held by another agency (not once
    either record was anonymised: there is nobody left to contact)."""
    return (
        MatchPair.objects.filter(status=MatchPair.Status.OPEN)
        .filter(Q(person_a_id=case.person_id) | Q(person_b_id=case.person_id))
        .filter(person_a__anonymised_at__isnull=True, person_b__anonymised_at__isnull=True)
        .exclude(agency_a=F("agency_b"))
        .select_related("region_a", "region_b")
        .order_by("-match_probability", "pk")
    )


def may_request_contact(user: User, case: Case) -> bool:
    """The case's own agency asks for contact; the coordinator sees the hit but asks no one."""
    return keeps_cases(user) and user.agency_id == case.agency_id


def visible_contact_requests(user: User) -> QuerySet[ContactRequest]:
    """Requests the user's agency sent; those waiting for (or decided by) the coordinator of
    the other record's region; those forwarded to the holding agency."""
    qs = ContactRequest.objects.select_related("region", "from_agency", "case", "holding_case")
    if keeps_cases(user):
        return qs.filter(
            Q(from_agency_id=user.agency_id)
            | (Q(holding_agency_id=user.agency_id) & forwarded_to_holder)
        )
    if is_coordinator(user):
        return qs.filter(region_id=region_of(user))
    return qs.none()


#: The holding agency hears of a request only once the coordinator forwarded it.
forwarded_to_holder = Q(
    status__in=(ContactRequest.Status.FORWARDED, ContactRequest.Status.SHARED)
) | Q(status=ContactRequest.Status.DECLINED, decided_by__isnull=False)


def get_contact_request_for_user(user: User, pk: int | str) -> ContactRequest:
    try:
        return visible_contact_requests(user).get(pk=pk)
    except (ContactRequest.DoesNotExist, ValueError, TypeError):
        raise_denied(ObjectType.CONTACT_REQUEST, pk)


def is_requester(user: User, request: ContactRequest) -> bool:
    return keeps_cases(user) and user.agency_id == request.from_agency_id


def is_holder(user: User, request: ContactRequest) -> bool:
    return keeps_cases(user) and user.agency_id == request.holding_agency_id


def decides_as_coordinator(user: User, request: ContactRequest) -> bool:
    return is_coordinator(user) and region_of(user) == request.region_id
