"""Named writes on referrals, services given, identification decisions and notifications.
Each runs in a transaction and writes its audit entry in it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tanu.accounts.models import Role, User
from tanu.audit.actions import record
from tanu.audit.models import Action, ObjectType
from tanu.cases import actions as case_actions
from tanu.cases.models import Case, Consent, Note
from tanu.lib import revisions
from tanu.referrals import access
from tanu.referrals.directory import services_for_case
from tanu.referrals.models import (
    SHAREABLE_FIELD_LABELS,
    SHAREABLE_FIELDS,
    IdentificationDecision,
    Notification,
    Referral,
    ReferralEvent,
    Service,
    ServiceRecord,
)
from tanu.referrals.sharing import identifying_fields, shared_view, sharing_ended_reason

DUE_DAYS = {"routine": 7, "urgent": 2, "emergency": 0}
# Which consent purpose a referral to a kind of service needs.
LAW_ENFORCEMENT_KINDS = (Service.Kind.POLICE_INVESTIGATION, Service.Kind.MIGRATION_SERVICE)


class ReferralError(Exception):
    """A write that cannot be done; the message is for the user, in their language."""


def put_in_inbox(user: User, kind: str, message: str, url: str) -> None:
    """One message into an official's inbox (registered in accounts' extensions, so that
    accounts tells an official of a change to their account without importing referrals)."""
    Notification.objects.create(user=user, kind=kind, message=message[:300], url=url)


def _notify(
    users: list[User],
    *,
    kind: str,
    message: object,
    url: str,
    email_subject: object,
    email_message: object,
    params: dict[str, object] | None = None,
) -> None:
    """In-app notification and an email without personal data: only a link to sign in. The
    inbox message says which referral or case changed and how: numbers and agency names only,
    never a person's name (``params`` become text in each reader's language: an agency's name).
    The email, which leaves the system, stays general (``email_message``): no case number."""
    for user in users:
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            text = str(message)
            if params:
                text = text % {key: str(value) for key, value in params.items()}
            Notification.objects.create(user=user, kind=kind, message=text[:300], url=url)
            if user.email:
                body = _("%(message)s\n\nSign in to tanu to see it: %(url)s") % {
                    "message": str(email_message),
                    "url": settings.TANU_SITE_URL.rstrip("/") + url,
                }
                send_mail(str(email_subject), body, None, [user.email], fail_silently=True)


def _agency_users(agency_id: int | None) -> list[User]:
    if agency_id is None:
        return []
    return list(
        User.objects.filter(agency_id=agency_id, is_active=True, role__in=access.CASE_ROLES)
    )


def _agency_id(actor: User) -> int:
    if actor.agency_id is None:
        raise ReferralError(_("Your account belongs to no agency; ask your administrator."))
    return actor.agency_id


def _event(referral: Referral, actor: User, status: str) -> None:
    ReferralEvent.objects.create(
        referral=referral, actor=actor, agency_id=_agency_id(actor), status=status
    )


def required_purpose(service: Service) -> str:
    if service.kind in LAW_ENFORCEMENT_KINDS:
        return Consent.Purpose.LAW_ENFORCEMENT
    return Consent.Purpose.REFERRAL


def check_referral(
    case: Case,
    *,
    service: Service,
    purpose: str,
    urgency: str,
    shared_fields: list[str],
    consent: Consent | None,
    consent_exception: str = "",
    exception_reason: str = "",
    across_regions: bool = False,
) -> None:
    """Every rule a referral must meet, in one place: the page's form and the API both send
    through do_send_referral, which calls this. Raises ReferralError naming the problem.

    ``across_regions``: the service may be another region's. Only for the answer to a contact
    request that the region's coordinator forwarded (tanu.linkage): the person was met in the
    other region, and the consent must still name the service."""
    if case.status == Case.Status.CLOSED or case.anonymised_at is not None:
        raise ReferralError(_("A closed case cannot be referred."))
    if not service.is_active:
        raise ReferralError(_("This service no longer takes referrals."))
    if not across_regions and not services_for_case(case).filter(pk=service.pk).exists():
        raise ReferralError(
            _(
                "This service does not serve the case's region: choose a service of the region "
                "or a national one."
            )
        )
    unknown = sorted(set(shared_fields) - set(SHAREABLE_FIELDS))
    if unknown:
        raise ReferralError(
            _("Unknown field to share: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    if not purpose.strip():
        raise ReferralError(_("State the purpose of the referral."))
    if urgency not in Referral.Urgency.values:
        raise ReferralError(_("Unknown urgency."))
    if consent_exception:
        if consent_exception not in Referral.ConsentException.values:
            raise ReferralError(_("Unknown exception."))
        if consent_exception == Referral.ConsentException.CHILD and not case.is_child:
            raise ReferralError(_("The child exception applies only to a child's case."))
        if len(exception_reason.strip()) < 10:
            raise ReferralError(_("Record the reason for referring without consent."))
        return
    if consent is None or consent.case_id != case.pk or not consent.is_active:
        raise ReferralError(
            _(
                "A referral needs the person's recorded consent for this purpose, "
                "or a recorded exception (a child; a risk to life)."
            )
        )
    needed = required_purpose(service)
    if consent.purpose != needed:
        raise ReferralError(
            _("The consent recorded is for another purpose: %(purpose)s is needed.")
            % {"purpose": Consent.Purpose(needed).label}
        )
    if not consent.covers_service(service.pk, service.agency_id):
        raise ReferralError(
            _(
                "The consent recorded does not cover this service: record the person's consent "
                "to a referral to %(service)s (or to its agency)."
            )
            % {"service": service.name}
        )
    missing = consent.fields_not_covered(shared_fields)
    if missing:
        raise ReferralError(
            _("The consent recorded does not cover sharing: %(fields)s.")
            % {"fields": ", ".join(str(SHAREABLE_FIELD_LABELS[name]) for name in missing)}
        )


def do_send_referral(
    case: Case,
    *,
    actor: User,
    service: Service,
    purpose: str,
    urgency: str,
    shared_fields: list[str],
    consent: Consent | None,
    consent_exception: str = "",
    exception_reason: str = "",
    due_date: date | None = None,
    request: HttpRequest | None = None,
    across_regions: bool = False,
) -> Referral:
    check_referral(
        case,
        service=service,
        purpose=purpose,
        urgency=urgency,
        shared_fields=shared_fields,
        consent=consent,
        consent_exception=consent_exception,
        exception_reason=exception_reason,
        across_regions=across_regions,
    )
    if consent_exception:
        consent = None
    today = timezone.localdate()
    if due_date is not None and due_date < today:
        raise ReferralError(_("The answer cannot be due before today."))
    with transaction.atomic():
        # The case row is locked and read again before anything is written: a case closed in
        # the meantime is not referred, and an open one is marked referred on its latest
        # version (with a new revision and its own audit entry), never from a stale copy.
        case = case_actions.do_advance_case_status(
            case, actor=actor, status=Case.Status.REFERRED, request=request
        )
        if case.status == Case.Status.CLOSED or case.anonymised_at is not None:
            raise ReferralError(_("A closed case cannot be referred."))
        referral = Referral.objects.create(
            case=case,
            service=service,
            from_agency_id=_agency_id(actor),
            to_agency_id=service.agency_id,
            created_by=actor,
            purpose=purpose.strip()[:300],
            urgency=urgency,
            shared_fields=sorted(set(shared_fields) | {"case_number"}),
            consent=consent,
            consent_exception=consent_exception,
            exception_reason=exception_reason.strip(),
            due_date=due_date or today + timedelta(days=DUE_DAYS[urgency]),
        )
        _event(referral, actor, Referral.Status.SENT)
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.REFERRAL,
            object_id=referral.pk,
            fields=referral.shared_fields,
            reason=consent_exception,
            request=request,
        )
        _notify(
            _agency_users(service.agency_id),
            kind="referral_received",
            message=gettext_lazy(
                "Referral #%(referral)s (case %(case)s) was sent to your agency by %(agency)s."
            ),
            url=f"/referrals/{referral.pk}/",
            email_subject=gettext_lazy("tanu: a new referral"),
            email_message=gettext_lazy("A new referral was sent to your agency."),
            params={"referral": referral.pk, "case": case.number, "agency": actor.agency},
        )
    return referral


def do_reveal_referral_person(
    referral: Referral,
    *,
    actor: User,
    reason: str,
    request: HttpRequest,
    remember: bool = True,
) -> dict[str, Any]:
    """The receiving agency opens the shared personal data, with a reason: one audit entry
    naming the fields read. On a page the reveal is remembered in the session for 15 minutes
    (remember=True); through the API each read is its own reveal."""
    if not access.is_recipient(actor, referral):
        raise ReferralError(_("Only the receiving agency opens the shared personal data."))
    ended = sharing_ended_reason(referral)
    if ended is not None:
        raise ReferralError(ended)
    if len(reason.strip()) < 5:
        raise ReferralError(
            _("Give a reason (at least a few words) for opening the personal data.")
        )
    fields = identifying_fields(referral) if remember else sorted(referral.shared_fields)
    if not fields:
        raise ReferralError(_("This referral shares no personal data to open."))
    with transaction.atomic():
        record(
            Action.REVEAL,
            actor=actor,
            object_type=ObjectType.PERSON,
            object_id=referral.case.person_id,
            fields=fields,
            reason=reason.strip()[:500],
            request=request,
        )
    if remember:
        access.grant_reveal(request, referral.pk)
    return shared_view(referral, only=set(fields))


ALLOWED: dict[str, tuple[str, ...]] = {
    Referral.Status.SENT: (
        Referral.Status.ACCEPTED,
        Referral.Status.DECLINED,
        Referral.Status.WITHDRAWN,
    ),
    Referral.Status.ACCEPTED: (
        Referral.Status.IN_PROGRESS,
        Referral.Status.COMPLETED,
        Referral.Status.WITHDRAWN,
    ),
    Referral.Status.IN_PROGRESS: (Referral.Status.COMPLETED, Referral.Status.WITHDRAWN),
}
# What the other agency reads in its inbox when a referral changes: which one, and how.
STATUS_MESSAGES: dict[str, Promise] = {
    Referral.Status.ACCEPTED: gettext_lazy(
        "Referral #%(referral)s (case %(case)s) was accepted by %(agency)s."
    ),
    Referral.Status.DECLINED: gettext_lazy(
        "Referral #%(referral)s (case %(case)s) was declined by %(agency)s."
    ),
    Referral.Status.IN_PROGRESS: gettext_lazy(
        "Referral #%(referral)s (case %(case)s): %(agency)s started to help."
    ),
    Referral.Status.COMPLETED: gettext_lazy(
        "Referral #%(referral)s (case %(case)s) was completed by %(agency)s."
    ),
    Referral.Status.WITHDRAWN: gettext_lazy(
        "Referral #%(referral)s (case %(case)s) was withdrawn by %(agency)s."
    ),
}
RECIPIENT_MOVES = (
    Referral.Status.ACCEPTED,
    Referral.Status.DECLINED,
    Referral.Status.IN_PROGRESS,
    Referral.Status.COMPLETED,
)


def do_change_referral_status(
    referral: Referral,
    *,
    actor: User,
    status: str,
    reason: str = "",
    expected_revision: int | None = None,
    request: HttpRequest | None = None,
) -> Referral:
    with transaction.atomic():
        locked = revisions.lock(
            Referral.objects,
            referral.pk,
            expected_revision=expected_revision,
            message=_("Someone else changed this referral in the meantime. Look at it again."),
        )
        if status not in ALLOWED.get(locked.status, ()):
            raise ReferralError(
                _("A referral that is %(current)s cannot become %(new)s.")
                % {
                    "current": Referral.Status(locked.status).label,
                    "new": Referral.Status(status).label
                    if status in Referral.Status.values
                    else status,
                }
            )
        is_recipient = locked.to_agency_id is not None and actor.agency_id == locked.to_agency_id
        is_sender = actor.agency_id == locked.from_agency_id
        if status in RECIPIENT_MOVES and not (is_recipient or (locked.is_external and is_sender)):
            raise ReferralError(_("Only the receiving service can do this."))
        if status == Referral.Status.WITHDRAWN and not is_sender:
            raise ReferralError(_("Only the sending agency can withdraw a referral."))
        if status == Referral.Status.DECLINED and len(reason.strip()) < 3:
            raise ReferralError(_("Give the reason for declining."))
        locked.status = status
        if status == Referral.Status.DECLINED:
            locked.decline_reason = reason.strip()[:500]
        revisions.bump(locked, ["status", "decline_reason"])
        _event(locked, actor, status)
        if status in (Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS):
            # Through the case's own action: it locks the case, moves it on from its latest
            # version (an open or referred case goes into assistance), bumps its revision and
            # audits the change, all in this transaction.
            case_actions.do_advance_case_status(
                locked.case, actor=actor, status=Case.Status.IN_ASSISTANCE, request=request
            )
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.REFERRAL,
            object_id=locked.pk,
            fields=["status"],
            request=request,
        )
        other_agency = locked.from_agency_id if is_recipient else locked.to_agency_id
        _notify(
            _agency_users(other_agency),
            kind="referral_status",
            message=STATUS_MESSAGES[status],
            url=f"/referrals/{locked.pk}/",
            email_subject=gettext_lazy("tanu: a referral changed"),
            email_message=gettext_lazy("A referral changed its state."),
            params={
                "referral": locked.pk,
                "case": locked.case.number,
                "agency": actor.agency,
            },
        )
    return locked


def do_record_service(
    referral: Referral,
    *,
    actor: User,
    kind: str,
    given_on: date,
    description: str,
    request: HttpRequest | None = None,
) -> ServiceRecord:
    if actor.agency_id != referral.to_agency_id:
        raise ReferralError(_("Only the receiving service can do this."))
    if given_on > timezone.localdate():
        raise ReferralError(_("The date cannot be in the future."))
    with transaction.atomic():
        # Locked and read again: the referral may have been withdrawn or moved on meanwhile.
        locked = revisions.lock(Referral.objects, referral.pk, expected_revision=None)
        if locked.status not in (Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS):
            raise ReferralError(_("Services are recorded on an accepted referral."))
        service_record = ServiceRecord.objects.create(
            referral=locked,
            agency_id=_agency_id(actor),
            recorded_by=actor,
            kind=kind,
            given_on=given_on,
            description=description.strip(),
        )
        if locked.status == Referral.Status.ACCEPTED:
            locked.status = Referral.Status.IN_PROGRESS
            revisions.bump(locked, ["status"])
            _event(locked, actor, Referral.Status.IN_PROGRESS)
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.SERVICE_RECORD,
            object_id=service_record.pk,
            request=request,
        )
    return service_record


def do_add_recipient_note(
    referral: Referral, *, actor: User, text: str, request: HttpRequest | None = None
) -> Note:
    """A note of the receiving agency: visible to that agency only."""
    from tanu.cases.actions import do_add_note

    return do_add_note(referral.case, actor=actor, text=text, request=request)


def do_record_feedback(
    referral: Referral,
    *,
    actor: User,
    feedback: str = "",
    external_outcome: str = "",
    request: HttpRequest | None = None,
) -> Referral:
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        fields = []
        if feedback.strip():
            locked.feedback = feedback.strip()
            fields.append("feedback")
        if external_outcome.strip():
            if not locked.is_external:
                raise ReferralError(_("Only an outside referral has an outcome recorded by hand."))
            locked.external_outcome = external_outcome.strip()
            fields.append("external_outcome")
        if not fields:
            raise ReferralError(_("Nothing to record."))
        revisions.bump(locked, fields)
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.REFERRAL,
            object_id=locked.pk,
            fields=fields,
            request=request,
        )
    return locked


def overdue_referrals(today: date | None = None) -> list[Referral]:
    day = today or timezone.localdate()
    return list(
        Referral.objects.filter(status=Referral.Status.SENT, due_date__lt=day).select_related(
            "case", "to_agency", "service"
        )
    )


def do_send_overdue_alerts(today: date | None = None) -> int:
    """Alert both agencies of every referral past its due date without an answer. Once a day."""
    day = today or timezone.localdate()
    sent = 0
    for referral in overdue_referrals(day):
        url = f"/referrals/{referral.pk}/"
        already = Notification.objects.filter(
            kind="referral_overdue", url=url, created_at__date=day
        ).exists()
        if already:
            continue
        with transaction.atomic():
            _notify(
                _agency_users(referral.to_agency_id) + _agency_users(referral.from_agency_id),
                kind="referral_overdue",
                message=gettext_lazy(
                    "Referral #%(referral)s (case %(case)s) to %(agency)s is overdue: it has had "
                    "no answer by its due date."
                ),
                url=url,
                email_subject=gettext_lazy("tanu: a referral is overdue"),
                email_message=gettext_lazy(
                    "A referral is overdue: it has had no answer by its due date."
                ),
                params={
                    "referral": referral.pk,
                    "case": referral.case.number,
                    "agency": referral.to_agency or referral.service,
                },
            )
        sent += 1
    return sent


def do_record_decision(
    case: Case,
    *,
    actor: User,
    status: str,
    reasons: str,
    due_date: date | None = None,
    request: HttpRequest | None = None,
) -> IdentificationDecision:
    if status not in IdentificationDecision.Status.values:
        raise ReferralError(_("Unknown decision."))
    if len(reasons.strip()) < 10:
        raise ReferralError(_("Give the reasons for the decision."))
    needs_review = (
        status == IdentificationDecision.Status.NOT_IDENTIFIED and case.outcome == "presumed_victim"
    )
    with transaction.atomic():
        decision = IdentificationDecision.objects.create(
            case=case,
            agency_id=_agency_id(actor),
            decided_by=actor,
            status=status,
            reasons=reasons.strip(),
            due_date=due_date,
            review=IdentificationDecision.Review.AWAITING if needs_review else "",
        )
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.IDENTIFICATION_DECISION,
            object_id=decision.pk,
            fields=["status"],
            request=request,
        )
        if needs_review:
            coordinators = list(
                User.objects.filter(
                    role=Role.COORDINATOR, agency__region_id=case.region_id, is_active=True
                ).exclude(pk=actor.pk)
            )
            _notify(
                coordinators,
                kind="decision_review",
                message=gettext_lazy(
                    "Case %(case)s: a negative identification decision on a presumed victim, by "
                    "%(agency)s, needs a second reviewer."
                ),
                url=f"/cases/{case.pk}/",
                email_subject=gettext_lazy("tanu: a decision needs review"),
                email_message=gettext_lazy(
                    "A negative identification decision on a presumed victim needs a second reviewer."
                ),
                params={"case": case.number, "agency": actor.agency},
            )
    return decision


def do_review_decision(
    decision: IdentificationDecision,
    *,
    actor: User,
    confirm: bool,
    reasons: str,
    request: HttpRequest | None = None,
) -> IdentificationDecision:
    with transaction.atomic():
        locked = IdentificationDecision.objects.select_for_update().get(pk=decision.pk)
        if locked.review != IdentificationDecision.Review.AWAITING:
            raise ReferralError(_("This decision does not await a review."))
        if locked.decided_by_id == actor.pk:
            raise ReferralError(_("The second reviewer must be another person."))
        if len(reasons.strip()) < 10:
            raise ReferralError(_("Give the reasons for the review."))
        locked.review = (
            IdentificationDecision.Review.CONFIRMED
            if confirm
            else IdentificationDecision.Review.OVERTURNED
        )
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.review_reasons = reasons.strip()
        locked.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_reasons"])
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.IDENTIFICATION_DECISION,
            object_id=locked.pk,
            fields=["review"],
            request=request,
        )
    return locked


def do_mark_notifications_read(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
