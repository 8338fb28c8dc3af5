"""Named writes on likely duplicates, merges and contact requests. Each runs in a transaction and
writes its audit entry in it; the entries name fields and ids, never a person's values.

Merging is never automatic: an official of the agency holding both records decides, with a
reason, and can undo it. Nothing is deleted: the merged case stays, readable to its agency and
linked to the kept one; an unmerge makes the two separate again.

Across agencies nothing personal moves here: a contact request carries a reason to the
coordinator of the other record's region, who forwards it to the holding agency or declines it;
the holding agency shares only by a referral (tanu.referrals), under the person's consent."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tanu.accounts import extensions as account_extensions
from tanu.accounts.models import Role, User
from tanu.audit.actions import record, record_update
from tanu.audit.models import Action, ObjectType
from tanu.cases.access import FULL_ACCESS_ROLES
from tanu.cases.models import Case, Consent
from tanu.linkage import access
from tanu.linkage.models import ContactRequest, MatchPair, PersonMerge
from tanu.referrals import actions as referral_actions
from tanu.referrals.models import Referral, Service

MIN_REASON = 5


class LinkageError(Exception):
    """A write that cannot be done; the message is for the user, in their language."""


def _reason(text: str, message: Promise | str) -> str:
    text = text.strip()
    if len(text) < MIN_REASON:
        raise LinkageError(str(message))
    return text


def _tell(users: Iterable[User], message: Promise, url: str) -> None:
    """An inbox message in each official's language, naming no person (numbers only)."""
    for user in users:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            account_extensions.to_inbox(user, "linkage", str(message), url)


def _officials(agency_id: int) -> list[User]:
    """The officials who keep the agency's case files."""
    return list(
        User.objects.filter(is_active=True, agency_id=agency_id, role__in=FULL_ACCESS_ROLES)
    )


def _coordinators(region_id: int) -> list[User]:
    return list(
        User.objects.filter(is_active=True, agency__region_id=region_id, role=Role.COORDINATOR)
    )


def _decided_message(pair: MatchPair) -> str:
    return _("This pair was already decided: %(status)s.") % {"status": pair.get_status_display()}


def _locked_pair(pair: MatchPair, actor: User) -> MatchPair:
    locked = access.reviewable_pairs(actor).select_for_update(of=("self",)).filter(pk=pair.pk)
    found = locked.first()
    if found is None:
        raise LinkageError(_("This pair cannot be decided by you."))
    if found.status != MatchPair.Status.OPEN:
        raise LinkageError(_decided_message(found))
    return found


def _merged_away(case_ids: Iterable[int]) -> bool:
    return PersonMerge.objects.filter(merged_case_id__in=list(case_ids), undone_at=None).exists()


def do_merge_persons(
    pair: MatchPair, *, actor: User, reason: str, request: HttpRequest | None = None
) -> PersonMerge:
    """The two records of one agency are one person: the case opened first is kept, the other
    is merged into it (kept, readable, linked). Audited; undone by do_unmerge_persons."""
    reason = _reason(reason, gettext_lazy("Say why these two records are the same person."))
    with transaction.atomic():
        locked = _locked_pair(pair, actor)
        cases = sorted(
            Case.objects.select_for_update().filter(
                person_id__in=(locked.person_a_id, locked.person_b_id)
            ),
            key=lambda case: (case.created_at, case.pk),
        )
        if len(cases) != 2 or cases[0].agency_id != cases[1].agency_id:
            raise LinkageError(_("Only two case files of one agency can be merged."))
        if any(case.anonymised_at is not None for case in cases):
            raise LinkageError(_("An anonymised case cannot be merged."))
        if _merged_away(case.pk for case in cases):
            raise LinkageError(
                _("One of these cases is already merged into another: undo that merge first.")
            )
        kept, merged = cases
        merge = PersonMerge.objects.create(
            pair=locked,
            kept_person_id=kept.person_id,
            kept_case=kept,
            merged_person_id=merged.person_id,
            merged_case=merged,
            by=actor,
            reason=reason,
        )
        locked.status = MatchPair.Status.MERGED
        locked.decided_by = actor
        locked.decided_at = locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        record_update(ObjectType.MATCH_PAIR, locked, ["status"], actor=actor, request=request)
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.PERSON_MERGE,
            object_id=merge.pk,
            fields=["kept_case", "merged_case"],
            reason=reason,
            request=request,
            region_id=kept.region_id,
        )
    return merge


def do_unmerge_persons(
    merge: PersonMerge, *, actor: User, reason: str, request: HttpRequest | None = None
) -> PersonMerge:
    """Undo a merge: the two cases are separate again and the pair is back in the review
    queue. The merge stays on record, with who undid it, when and why."""
    reason = _reason(reason, gettext_lazy("Say why the merge is undone."))
    with transaction.atomic():
        locked = (
            access.visible_merges(actor).select_for_update(of=("self",)).filter(pk=merge.pk).first()
        )
        if locked is None:
            raise LinkageError(_("This merge cannot be undone by you."))
        if locked.undone_at is not None:
            raise LinkageError(_("This merge was already undone."))
        locked.undone_by = actor
        locked.undone_at = timezone.now()
        locked.undo_reason = reason
        locked.save(update_fields=["undone_by", "undone_at", "undo_reason"])
        pair = MatchPair.objects.select_for_update().get(pk=locked.pair_id)
        pair.status = MatchPair.Status.OPEN
        pair.decided_by = None
        pair.decided_at = None
        pair.updated_at = timezone.now()
        pair.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        record_update(ObjectType.MATCH_PAIR, pair, ["status"], actor=actor, request=request)
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.PERSON_MERGE,
            object_id=locked.pk,
            fields=["undone"],
            reason=reason,
            request=request,
            region_id=locked.kept_case.region_id,
        )
    return locked


def do_mark_different(
    pair: MatchPair, *, actor: User, request: HttpRequest | None = None
) -> MatchPair:
    """The two records of one agency are two persons: the pair leaves the queue, audited."""
    with transaction.atomic():
        locked = _locked_pair(pair, actor)
        locked.status = MatchPair.Status.DIFFERENT
        locked.decided_by = actor
        locked.decided_at = locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        record_update(ObjectType.MATCH_PAIR, locked, ["status"], actor=actor, request=request)
    return locked


# Contact requests across agencies --------------------------------------------------------------


def _other_side(pair: MatchPair, case: Case) -> tuple[int, int, int]:
    """(person id, agency id, region id) of the record on the other side of the pair."""
    if pair.person_a_id == case.person_id:
        return pair.person_b_id, pair.agency_b_id, pair.region_b_id
    return pair.person_a_id, pair.agency_a_id, pair.region_a_id


def do_request_contact(
    pair: MatchPair,
    case: Case,
    *,
    actor: User,
    reason: str,
    request: HttpRequest | None = None,
) -> ContactRequest:
    """Ask, through the coordinator of the other record's region, that the agency holding a
    likely match of the case's person get in touch. The requester learns nothing more."""
    reason = _reason(reason, gettext_lazy("Say why you need to be in touch (a few words)."))
    if not access.may_request_contact(actor, case):
        raise LinkageError(_("Only the case's own agency can ask for contact."))
    with transaction.atomic():
        locked = (
            access.hits_for_case(case).select_for_update(of=("self",)).filter(pk=pair.pk).first()
        )
        if locked is None:
            raise LinkageError(_("This possible match is no longer open."))
        if ContactRequest.objects.filter(
            pair=locked,
            from_agency_id=case.agency_id,
            status__in=(ContactRequest.Status.WAITING, ContactRequest.Status.FORWARDED),
        ).exists():
            raise LinkageError(_("A contact request about this match is already under way."))
        person_id, agency_id, region_id = _other_side(locked, case)
        holding_case = Case.objects.filter(person_id=person_id).first()
        if holding_case is None:
            raise LinkageError(_("This possible match is no longer open."))
        contact = ContactRequest.objects.create(
            pair=locked,
            case=case,
            from_agency_id=case.agency_id,
            holding_case=holding_case,
            holding_agency_id=agency_id,
            region_id=region_id,
            by=actor,
            reason=reason,
        )
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.CONTACT_REQUEST,
            object_id=contact.pk,
            fields=["reason"],
            reason=reason,
            request=request,
            region_id=region_id,
        )
        _tell(
            _coordinators(region_id),
            gettext_lazy("A contact request about a possible match waits for your decision."),
            reverse("linkage:contact_request", args=[contact.pk]),
        )
    return contact


def _locked_request(contact: ContactRequest, status: str) -> ContactRequest:
    locked = ContactRequest.objects.select_for_update().get(pk=contact.pk)
    if locked.status != status:
        raise LinkageError(
            _("This contact request was already decided: %(status)s.")
            % {"status": locked.get_status_display()}
        )
    return locked


def do_forward_contact_request(
    contact: ContactRequest,
    *,
    actor: User,
    note: str = "",
    request: HttpRequest | None = None,
) -> ContactRequest:
    """The coordinator of the other record's region passes the request on to the holding
    agency, which decides whether to share."""
    if not access.decides_as_coordinator(actor, contact):
        raise LinkageError(_("Only the coordinator of the region decides on this request."))
    with transaction.atomic():
        locked = _locked_request(contact, ContactRequest.Status.WAITING)
        locked.status = ContactRequest.Status.FORWARDED
        locked.coordinator = actor
        locked.coordinator_at = timezone.now()
        locked.coordinator_note = note.strip()
        locked.save(update_fields=["status", "coordinator", "coordinator_at", "coordinator_note"])
        record_update(ObjectType.CONTACT_REQUEST, locked, ["status"], actor=actor, request=request)
        _tell(
            _officials(locked.holding_agency_id),
            gettext_lazy("Another agency asks to be in touch about a person your agency holds."),
            reverse("linkage:contact_request", args=[locked.pk]),
        )
    return locked


def do_decline_contact_request(
    contact: ContactRequest,
    *,
    actor: User,
    note: str,
    request: HttpRequest | None = None,
) -> ContactRequest:
    """The coordinator (while the request waits) or the holding agency (once forwarded)
    declines, with a reason the requester reads."""
    note = _reason(note, gettext_lazy("Say why the request is declined."))
    if access.decides_as_coordinator(actor, contact):
        waiting_for = ContactRequest.Status.WAITING
    elif access.is_holder(actor, contact):
        waiting_for = ContactRequest.Status.FORWARDED
    else:
        raise LinkageError(_("You do not decide on this request."))
    with transaction.atomic():
        locked = _locked_request(contact, waiting_for)
        locked.status = ContactRequest.Status.DECLINED
        now = timezone.now()
        if waiting_for == ContactRequest.Status.WAITING:
            locked.coordinator, locked.coordinator_at, locked.coordinator_note = actor, now, note
        else:
            locked.decided_by, locked.decided_at, locked.decision_note = actor, now, note
        locked.save()
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.CONTACT_REQUEST,
            object_id=locked.pk,
            fields=["status"],
            reason=note,
            request=request,
        )
        _tell(
            _officials(locked.from_agency_id),
            gettext_lazy("Your contact request about a possible match was declined."),
            reverse("linkage:contact_request", args=[locked.pk]),
        )
    return locked


def sharing_services(contact: ContactRequest) -> list[Service]:
    """The requesting agency's active services, in whichever region: the answer to a forwarded
    contact request may cross regions (referrals.actions.check_referral, ``across_regions``)."""
    return list(
        Service.objects.filter(agency_id=contact.from_agency_id, is_active=True).order_by("pk")
    )


def consent_for(case: Case, service: Service) -> Consent | None:
    """The person's consent in force that covers a referral to this service, if any."""
    needed = referral_actions.required_purpose(service)
    for consent in case.consents.filter(purpose=needed).order_by("-recorded_at"):
        if consent.is_active and consent.covers_service(service.pk, service.agency_id):
            return consent
    return None


def do_share_for_contact_request(
    contact: ContactRequest,
    *,
    actor: User,
    service: Service,
    shared_fields: list[str],
    purpose: str,
    request: HttpRequest | None = None,
) -> Referral:
    """The holding agency shares: a referral of its case to the requesting agency's service,
    sent by the referral rules (the person's consent, the fields it covers). Without a consent
    that covers it nothing is sent and the holding agency is told what is missing."""
    if not access.is_holder(actor, contact):
        raise LinkageError(_("Only the agency holding the record decides whether to share."))
    if service.agency_id != contact.from_agency_id:
        raise LinkageError(_("Choose a service of the agency that asked."))
    with transaction.atomic():
        locked = _locked_request(contact, ContactRequest.Status.FORWARDED)
        try:
            referral = referral_actions.do_send_referral(
                locked.holding_case,
                actor=actor,
                service=service,
                purpose=purpose,
                urgency=Referral.Urgency.ROUTINE,
                shared_fields=shared_fields,
                consent=consent_for(locked.holding_case, service),
                request=request,
                # The person was met in the asking agency's region; the coordinator forwarded.
                across_regions=True,
            )
        except referral_actions.ReferralError as exc:
            raise LinkageError(str(exc)) from exc
        locked.status = ContactRequest.Status.SHARED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.referral = referral
        locked.save(update_fields=["status", "decided_by", "decided_at", "referral"])
        record_update(
            ObjectType.CONTACT_REQUEST, locked, ["status", "referral"], actor=actor, request=request
        )
    return referral
