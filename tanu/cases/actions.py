"""Named writes on case files. Each runs in a transaction and writes its audit entry in it.
Audit entries name fields, never their values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tanu.accounts.models import Agency, User, next_reference, next_references
from tanu.audit.actions import clear_reasons_for, record, record_read, record_update
from tanu.audit.models import Action, ObjectType
from tanu.cases import access, documents, extensions
from tanu.cases.models import (
    MINIMUM_FIELDS,
    PERSON_FIELDS,
    SHAREABLE_FIELDS,
    AnonymousNotification,
    Case,
    Consent,
    DataRequest,
    Document,
    Note,
    Person,
    PersonIndex,
    age_band,
)
from tanu.identification import actions as screening_actions
from tanu.identification.engine import ALL_OUTCOMES
from tanu.identification.models import Screening
from tanu.identification.rules import CHILD_AGE_GROUPS, may_open_case
from tanu.lib import crypto, revisions
from tanu.lib.translit import name_tokens

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class CaseError(Exception):
    """A write that cannot be done; the message is for the user, in their language."""


def _audit(
    action: Action,
    *,
    actor: User,
    object_type: ObjectType,
    object_id: object,
    fields: list[str] | tuple[str, ...] = (),
    reason: str = "",
    request: HttpRequest | None = None,
    flagged: bool = False,
) -> None:
    record(
        action,
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        fields=fields,
        reason=reason,
        request=request,
        flagged=flagged,
    )


def person_digests(person: Person) -> set[tuple[str, str]]:
    """The blind indexes of a person's names and document numbers: (kind, digest) pairs."""
    digests: set[tuple[str, str]] = set()
    for text in (person.given_name, person.family_name, person.patronymic, person.other_names):
        for token in name_tokens(text or ""):
            digests.add((PersonIndex.Kind.NAME, crypto.blind_index(token, kind="name")))
    for doc in person.documents or []:
        number = str(doc.get("number", "")) if isinstance(doc, dict) else ""
        if number.strip():
            digests.add((PersonIndex.Kind.DOCUMENT, crypto.blind_index(number, kind="document")))
    return digests


def reindex_person(person: Person) -> None:
    """Rebuild the blind indexes of a person's names and document numbers."""
    PersonIndex.objects.filter(person=person).delete()
    digests = person_digests(person)
    PersonIndex.objects.bulk_create(
        [PersonIndex(person=person, kind=kind, digest=digest) for kind, digest in digests]
    )


def _apply_person(person: Person, data: dict[str, Any]) -> list[str]:
    changed = []
    for key in PERSON_FIELDS:
        if key in data and getattr(person, key) != data[key]:
            setattr(person, key, data[key])
            changed.append(key)
    person.age_band = age_band(person.age_on(timezone.localdate()))
    return changed


def do_open_case(
    screening: Screening,
    *,
    actor: User,
    person_data: dict[str, Any],
    request: HttpRequest | None = None,
) -> Case:
    """Open a case for a presumed or possible victim from a finalised screening."""
    if screening.status != Screening.Status.FINAL:
        raise CaseError(_("Finalise the screening before opening a case."))
    if not may_open_case(screening):
        raise CaseError(
            _(
                "A case is opened only for a presumed or possible victim, or for a child whose "
                "interview stopped early."
            )
        )
    if screening.case_id is not None:
        raise CaseError(_("A case is already open for this screening."))
    if actor.agency is None:
        raise CaseError(_("Your account belongs to no agency; ask your administrator."))
    with transaction.atomic():
        person = Person()
        fields = _apply_person(person, person_data)
        if person.age_band == "unknown" and screening.age_years is not None:
            person.estimated_age = screening.age_years
            person.age_band = age_band(screening.age_years)
        person.save()
        reindex_person(person)
        extensions.person_changed(person.pk)
        region = actor.agency.region
        today = timezone.localdate()
        presumed = screening.outcome == "presumed_victim"
        case = Case.objects.create(
            number=next_reference("", region.short, today.year),
            person=person,
            agency=actor.agency,
            region=region,
            created_by=actor,
            outcome=screening.outcome,
            form=screening.form,
            is_child=screening.age_group in CHILD_AGE_GROUPS,
            reflection_starts=today if presumed else None,
            reflection_ends=(today + timedelta(days=settings.TANU_REFLECTION_DAYS))
            if presumed
            else None,
        )
        try:
            # Locks the screening: of two cases opened for it at once, one is rolled back.
            screening_actions.attach_case(screening, case.pk)
        except screening_actions.ScreeningError as exc:
            raise CaseError(str(exc)) from exc
        _audit(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.CASE,
            object_id=case.pk,
            fields=["screening"],
            request=request,
        )
        _audit(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.PERSON,
            object_id=person.pk,
            fields=fields,
            request=request,
        )
    return case


@dataclass(frozen=True)
class ImportedPerson:
    """One row of a legacy register, checked: the person's fields (as :data:`PERSON_FIELDS`),
    the day the register recorded them, the outcome it gave (an outcome code, or ``""``) and its
    notes."""

    person: dict[str, Any]
    registered_on: date | None = None
    outcome: str = ""
    notes: str = ""


IMPORT_BATCH_SIZE = 500
#: Who the audit trail names for an import run by the operator on the server.
IMPORT_COMMAND = "tanu persons import"


def do_open_imported_cases(
    rows: Sequence[ImportedPerson],
    *,
    agency: Agency,
    actor: User | None,
    import_id: object,
    skipped: int = 0,
    request: HttpRequest | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Case]:
    """A person and a case in ``agency`` for each row of a legacy register, all or none.

    The persons are encrypted and indexed as when entered by hand (:func:`_apply_person`,
    :func:`person_digests`), in bulk, :data:`IMPORT_BATCH_SIZE` rows at a time. The cases have no
    screening: their outcome is the register's (when it is an outcome tanu knows, else empty),
    their form is unknown, and they start no reflection period. A case is dated the day the
    register recorded it (midnight, local time), or now, and numbered in that year; the notes
    become the case's first note, encrypted.

    One audit entry (``person_import``, the import's id) records the import with its row counts
    (``skipped``: rows of the file imported before) and the fields written: the rows are not
    audited one by one, which would flood the trail and the unusual-access alerts with one act
    of one official. ``progress`` is told the rows written so far.

    ``actor`` is None for the operator's command (``tanu persons import``): the cases then name no
    creator, the notes no author, and the audit entry names the command."""
    if actor is not None and actor.agency_id != agency.pk:
        raise CaseError(_("Persons are imported only into your own agency."))
    now = timezone.now()
    zone = timezone.get_current_timezone()
    opened = [
        datetime.combine(row.registered_on, time.min, tzinfo=zone) if row.registered_on else now
        for row in rows
    ]
    years = [at.astimezone(zone).year for at in opened]
    cases: list[Case] = []
    with transaction.atomic():
        numbers = {
            year: iter(next_references("", agency.region.short, year, years.count(year)))
            for year in sorted(set(years))
        }
        for start in range(0, len(rows), IMPORT_BATCH_SIZE):
            chunk = rows[start : start + IMPORT_BATCH_SIZE]
            persons: list[Person] = []
            for row in chunk:
                person = Person(created_at=now, updated_at=now)
                _apply_person(person, row.person)
                persons.append(person)
            crypto.bulk_create(Person, persons)
            PersonIndex.objects.bulk_create(
                [
                    PersonIndex(person=person, kind=kind, digest=digest)
                    for person in persons
                    for kind, digest in person_digests(person)
                ]
            )
            made: list[Case] = []
            for row, person, at, year in zip(
                chunk, persons, opened[start:], years[start:], strict=False
            ):
                day = at.astimezone(zone).date()
                age = person.age_on(day)
                made.append(
                    Case(
                        number=next(numbers[year]),
                        person=person,
                        agency=agency,
                        region=agency.region,
                        created_by=actor,
                        created_at=at,
                        updated_at=now,
                        outcome=row.outcome if row.outcome in ALL_OUTCOMES else "",
                        is_child=age is not None and age < 18,
                    )
                )
            Case.objects.bulk_create(made)
            crypto.bulk_create(
                Note,
                [
                    Note(
                        case=case,
                        agency=agency,
                        author=actor,
                        created_at=case.created_at,
                        text=row.notes.strip(),
                    )
                    for row, case in zip(chunk, made, strict=True)
                    if row.notes.strip()
                ],
            )
            cases.extend(made)
            if progress:
                progress(len(cases))
        extensions.persons_imported([case.person_id for case in cases])
        fields = {key for row in rows for key, value in row.person.items() if value}
        if any(row.notes.strip() for row in rows):
            fields.add("note")
        record(
            Action.CREATE,
            actor=actor,
            actor_username=None if actor is not None else IMPORT_COMMAND,
            object_type=ObjectType.PERSON_IMPORT,
            object_id=import_id,
            fields=sorted(fields),
            reason=(
                f"register import: {len(rows) + skipped} rows, {len(rows)} persons and cases "
                f"created, {skipped} imported before"
            ),
            request=request,
            region_id=agency.region_id,
        )
    return cases


def do_record_decline(
    screening: Screening,
    *,
    actor: User,
    sex: str,
    citizenship: str,
    request: HttpRequest | None = None,
) -> AnonymousNotification:
    """An adult declines a case: keep an anonymous notification for statistics only."""
    if screening.status != Screening.Status.FINAL:
        raise CaseError(_("Finalise the screening first."))
    if screening.age_group in ("child", "unknown_maybe_child"):
        raise CaseError(
            _(
                "A child cannot decline protection: open a case with the guardian's consent "
                "or a best-interests decision."
            )
        )
    if actor.agency is None:
        raise CaseError(_("Your account belongs to no agency; ask your administrator."))
    with transaction.atomic():
        notification = AnonymousNotification.objects.create(
            region=screening.region,
            agency=actor.agency,
            recorded_by=actor,
            sex=sex,
            age_band=age_band(screening.age_years),
            citizenship=citizenship,
            form=screening.form,
            outcome=screening.outcome,
        )
        _audit(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.ANONYMOUS_NOTIFICATION,
            object_id=notification.pk,
            request=request,
        )
    return notification


def _refuse_anonymised(case: Case) -> None:
    if case.anonymised_at is not None:
        raise CaseError(_("This case was anonymised and can no longer change."))


#: The case row, read again and locked until the transaction ends; a stale revision raises
#: ``tanu.lib.revisions.ConflictError``.
_locked_case = revisions.Locker(
    Case.objects,
    message=gettext_lazy(
        "Someone else changed this case while you were editing it. Your changes were "
        "not saved; the page now shows the latest version."
    ),
    check=_refuse_anonymised,
)


def do_update_person(
    case: Case,
    *,
    actor: User,
    data: dict[str, Any],
    expected_revision: int | None,
    request: HttpRequest | None = None,
) -> Case:
    with transaction.atomic():
        locked = _locked_case(case, expected_revision)
        person = Person.objects.select_for_update().get(pk=locked.person_id)
        changed = _apply_person(person, data)
        if changed:
            person.updated_at = timezone.now()
            person.save()
            reindex_person(person)
            extensions.person_changed(person.pk)
        revisions.bump(locked, [])
        _audit(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.PERSON,
            object_id=person.pk,
            fields=changed,
            request=request,
        )
    return locked


def do_change_case_status(
    case: Case,
    *,
    actor: User,
    status: str,
    closure_reason: str = "",
    expected_revision: int | None,
    request: HttpRequest | None = None,
) -> Case:
    if status not in Case.Status.values:
        raise CaseError(_("Unknown status."))
    if status == Case.Status.CLOSED and closure_reason not in Case.ClosureReason.values:
        raise CaseError(_("Choose the reason for closing the case."))
    with transaction.atomic():
        locked = _locked_case(case, expected_revision)
        if locked.status == Case.Status.CLOSED and status != Case.Status.CLOSED:
            reopened = True
        else:
            reopened = False
        locked.status = status
        locked.closure_reason = closure_reason if status == Case.Status.CLOSED else ""
        locked.closed_at = timezone.now() if status == Case.Status.CLOSED else None
        revisions.bump(locked, ["status", "closure_reason", "closed_at"])
        _audit(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.CASE,
            object_id=locked.pk,
            fields=["status", *(["reopened"] if reopened else [])],
            request=request,
        )
    return locked


# What a referral does to its case: sending one marks an open case referred; accepting one (or
# starting to help) puts an open or referred case in assistance. A case never moves back this
# way, and a closed case stays closed.
REFERRAL_MOVES: dict[str, tuple[str, ...]] = {
    Case.Status.REFERRED: (Case.Status.OPEN,),
    Case.Status.IN_ASSISTANCE: (Case.Status.OPEN, Case.Status.REFERRED),
}


def do_advance_case_status(
    case: Case,
    *,
    actor: User,
    status: str,
    request: HttpRequest | None = None,
) -> Case:
    """Move a case on because of one of its referrals (the referral's own action calls this, in
    its transaction). The case row is locked and read again, so a concurrent edit is neither
    overwritten nor lost: the move applies to the latest version, only from the states in
    ``REFERRAL_MOVES``; a move bumps the revision (an editor who read the older one gets a
    conflict) and is audited. Returns the fresh case, moved or not."""
    if status not in REFERRAL_MOVES:
        raise ValueError(f"A referral does not move a case to {status!r}.")
    with transaction.atomic():
        locked = revisions.lock(Case.objects, case.pk, expected_revision=None)
        if locked.status in REFERRAL_MOVES[status] and locked.anonymised_at is None:
            locked.status = status
            revisions.bump(locked, ["status"])
            record_update(ObjectType.CASE, locked, ["status"], actor=actor, request=request)
    return locked


def do_record_consent(
    case: Case,
    *,
    actor: User,
    purpose: str,
    given: bool,
    basis: str,
    language: str,
    interpreter_used: bool,
    service_name: str = "",
    service: Any = None,
    agency: Agency | None = None,
    shared_fields: list[str] | None = None,
    guardian: str = "",
    best_interests_reason: str = "",
    request: HttpRequest | None = None,
) -> Consent:
    """A consent to share (referral, law enforcement) names what it covers: one service (a
    tanu.referrals Service) or every service of one agency, and the fields the person agreed to
    share beyond the minimum, which every such consent covers."""
    if case.is_child:
        if basis == Consent.Basis.PERSON:
            raise CaseError(
                _("For a child, record the guardian's consent or a best-interests decision.")
            )
        if basis == Consent.Basis.GUARDIAN and not guardian.strip():
            raise CaseError(_("Name the guardian who consented."))
        if basis == Consent.Basis.BEST_INTERESTS and not best_interests_reason.strip():
            raise CaseError(_("Give the reason for the best-interests decision."))
    elif basis != Consent.Basis.PERSON:
        raise CaseError(_("An adult gives consent personally."))
    # The minimum (nothing that identifies the person alone) is always covered; more is named.
    unknown = sorted(set(shared_fields or []) - set(SHAREABLE_FIELDS))
    if unknown:
        raise CaseError(_("Unknown field to share: %(fields)s") % {"fields": ", ".join(unknown)})
    fields = [
        name for name in SHAREABLE_FIELDS if name in {*MINIMUM_FIELDS, *(shared_fields or [])}
    ]
    if purpose in (Consent.Purpose.REFERRAL, Consent.Purpose.LAW_ENFORCEMENT):
        if service is None and agency is None:
            raise CaseError(_("Name the service (or the agency) the consent to share covers."))
        if service is not None and agency is not None:
            raise CaseError(_("Name either one service or one agency, not both."))
        covered = service if service is not None else agency
        service_name = service_name.strip() or str(getattr(covered, "name", ""))
    else:
        service, agency, fields = None, None, []
    with transaction.atomic():
        consent = Consent.objects.create(
            case=case,
            purpose=purpose,
            service_name=service_name.strip()[:200],
            service=service,
            agency=agency,
            shared_fields=fields,
            given=given,
            basis=basis,
            guardian=guardian.strip(),
            best_interests_reason=best_interests_reason.strip(),
            language=language,
            interpreter_used=interpreter_used,
            recorded_by=actor,
        )
        _audit(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.CONSENT,
            object_id=consent.pk,
            fields=["purpose", "given", "basis"]
            + [name for name, v in (("service", service), ("agency", agency)) if v is not None]
            + (["shared_fields"] if fields else []),
            request=request,
        )
    return consent


def do_withdraw_consent(
    consent: Consent, *, actor: User, request: HttpRequest | None = None
) -> Consent:
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is None:
            locked.withdrawn_at = timezone.now()
            locked.withdrawn_by = actor
            locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
            _audit(
                Action.UPDATE,
                actor=actor,
                object_type=ObjectType.CONSENT,
                object_id=locked.pk,
                fields=["withdrawn"],
                request=request,
            )
    return locked


def do_add_note(case: Case, *, actor: User, text: str, request: HttpRequest | None = None) -> Note:
    if not text.strip():
        raise CaseError(_("The note is empty."))
    if actor.agency is None:
        raise CaseError(_("Your account belongs to no agency; ask your administrator."))
    with transaction.atomic():
        note = Note.objects.create(case=case, agency=actor.agency, author=actor, text=text.strip())
        _audit(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.NOTE,
            object_id=note.pk,
            request=request,
        )
    return note


def do_add_document(
    case: Case,
    *,
    actor: User,
    title: str,
    content: bytes,
    content_type: str,
    request: HttpRequest | None = None,
) -> Document:
    if not content:
        raise CaseError(_("The file is empty."))
    if len(content) > MAX_DOCUMENT_BYTES:
        raise CaseError(_("The file is larger than 10 MB."))
    if actor.agency is None:
        raise CaseError(_("Your account belongs to no agency; ask your administrator."))
    storage_name = documents.store(content)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                case=case,
                agency=actor.agency,
                uploaded_by=actor,
                title=title.strip() or _("document"),
                content_type=content_type[:100],
                size=len(content),
                storage_name=storage_name,
            )
            _audit(
                Action.CREATE,
                actor=actor,
                object_type=ObjectType.DOCUMENT,
                object_id=document.pk,
                request=request,
            )
    except Exception:
        documents.remove(storage_name)
        raise
    return document


def read_document(document: Document, *, actor: User, request: HttpRequest | None = None) -> bytes:
    content = documents.read(document.storage_name)
    record_read(ObjectType.DOCUMENT, document.pk, actor=actor, request=request)
    return content


def do_reveal_person(case: Case, *, actor: User, reason: str, request: HttpRequest) -> None:
    if len(reason.strip()) < 5:
        raise CaseError(_("Give a reason (at least a few words) for opening the personal data."))
    with transaction.atomic():
        _audit(
            Action.REVEAL,
            actor=actor,
            object_type=ObjectType.PERSON,
            object_id=case.person_id,
            fields=list(PERSON_FIELDS),
            reason=reason.strip(),
            request=request,
        )
    access.grant_reveal(request, case.pk)


def do_break_glass(number: str, *, actor: User, reason: str, request: HttpRequest) -> Case | None:
    """Emergency access to a case of one's region, with a reason, flagged for review. Answers
    None whether the case does not exist or may not be opened, so nothing leaks."""
    if len(reason.strip()) < 10:
        raise CaseError(_("Explain the emergency (at least a sentence)."))
    case = Case.objects.select_related("region").filter(number=number.strip().upper()).first()
    if case is None or not access.may_break_glass(actor, case):
        _audit(
            Action.DENIED,
            actor=actor,
            object_type=ObjectType.CASE,
            object_id="",
            reason=_("break-the-glass request refused"),
            request=request,
        )
        return None
    with transaction.atomic():
        _audit(
            Action.BREAK_GLASS,
            actor=actor,
            object_type=ObjectType.PERSON,
            object_id=case.person_id,
            fields=["case"],
            reason=reason.strip(),
            request=request,
            flagged=True,
        )
    access.grant_break_glass(request, case.pk)
    access.grant_reveal(request, case.pk)
    return case


#: Called by anonymise_case, inside its transaction, with the locked case: apps above cases
#: (referrals) register here, in their AppConfig.ready, a function that clears the free text they
#: hold about the case and returns the ids whose audit reasons to clear, by object type.
ANONYMISE_HOOKS: list[Callable[[Case], dict[ObjectType, list[Any]]]] = []


def anonymise_case(
    case: Case, *, actor: User | None, reason: str, actor_username: str | None = None
) -> None:
    """Remove everything that identifies the person; keep the anonymous statistics.

    Used by retention and by an approved erasure request. Besides the person's fields, notes and
    documents, it clears the free text that can name the person: every encrypted field of the
    case's consents, data requests and screenings (and, through :data:`ANONYMISE_HOOKS`, of its
    referrals, services given and identification decisions), screening facility names, data
    request decision reasons, and the audit reasons of all those objects.
    """
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.anonymised_at is not None:
            return
        person = Person.objects.select_for_update().get(pk=locked.person_id)
        for key in ("given_name", "family_name", "patronymic", "other_names", "date_of_birth"):
            setattr(person, key, "")
        person.address = ""
        person.documents = []  # type: ignore[assignment]
        person.contacts = []  # type: ignore[assignment]
        person.anonymised_at = timezone.now()
        person.save()
        PersonIndex.objects.filter(person=person).delete()
        # The audit reasons of every object of the case are cleared too (free text).
        reasons_of: dict[ObjectType, list[Any]] = {
            ObjectType.CASE: [locked.pk],
            ObjectType.PERSON: [person.pk],
            ObjectType.NOTE: list(Note.objects.filter(case=locked).values_list("pk", flat=True)),
            ObjectType.DOCUMENT: list(
                Document.objects.filter(case=locked).values_list("pk", flat=True)
            ),
            ObjectType.CONSENT: list(
                Consent.objects.filter(case=locked).values_list("pk", flat=True)
            ),
            ObjectType.DATA_REQUEST: list(
                DataRequest.objects.filter(case=locked).values_list("pk", flat=True)
            ),
        }
        for document in Document.objects.filter(case=locked):
            documents.remove(document.storage_name)
        Document.objects.filter(case=locked).delete()
        Note.objects.filter(case=locked).delete()
        # Free text that can name the person: every encrypted field, and the plain ones below.
        Consent.objects.filter(case=locked).update(**crypto.blank_values(Consent))
        DataRequest.objects.filter(case=locked).update(
            decision_reason="", **crypto.blank_values(DataRequest)
        )
        reasons_of[ObjectType.SCREENING] = screening_actions.blank_case_screenings(locked.pk)
        for clear in ANONYMISE_HOOKS:
            for object_type, ids in clear(locked).items():
                reasons_of.setdefault(object_type, []).extend(ids)
        for object_type, ids in reasons_of.items():
            clear_reasons_for(object_type, ids)
        locked.anonymised_at = timezone.now()
        locked.save(update_fields=["anonymised_at"])
        record(
            Action.DELETE,
            actor=actor,
            object_type=ObjectType.PERSON,
            object_id=person.pk,
            fields=["identifying data"],
            reason=reason,
            actor_username=actor_username,
        )


def do_request_data_change(
    case: Case, *, actor: User, kind: str, details: str, request: HttpRequest | None = None
) -> DataRequest:
    if kind not in DataRequest.Kind.values:
        raise CaseError(_("Unknown kind of request."))
    if not details.strip():
        raise CaseError(_("Describe what the person asks for."))
    with transaction.atomic():
        data_request = DataRequest.objects.create(
            case=case, kind=kind, details=details.strip(), requested_by=actor
        )
        _audit(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.DATA_REQUEST,
            object_id=data_request.pk,
            fields=["kind"],
            request=request,
        )
    return data_request


def do_decide_data_request(
    data_request: DataRequest,
    *,
    actor: User,
    approve: bool,
    reason: str,
    request: HttpRequest | None = None,
) -> DataRequest:
    if not reason.strip():
        raise CaseError(_("Give the reason for the decision."))
    with transaction.atomic():
        locked = DataRequest.objects.select_for_update().get(pk=data_request.pk)
        if locked.status != DataRequest.Status.OPEN:
            raise CaseError(_("This request was already decided."))
        locked.status = DataRequest.Status.APPROVED if approve else DataRequest.Status.REJECTED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_reason = reason.strip()[:500]
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        _audit(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.DATA_REQUEST,
            object_id=locked.pk,
            fields=["status"],
            request=request,
        )
        if approve and locked.kind == DataRequest.Kind.ERASURE:
            anonymise_case(locked.case, actor=actor, reason="erasure request")
    return locked
