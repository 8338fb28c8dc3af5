"""Named writes on screenings. Each runs in a transaction with its audit entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tanu.accounts.models import User, next_reference
from tanu.audit import actions as audit
from tanu.audit.actions import record, record_update
from tanu.audit.models import Action, ObjectType
from tanu.identification import catalogue, engine
from tanu.identification.models import (
    SCREENING_CONTEXT_FIELDS,
    Answer,
    ChecklistVersion,
    Screening,
    StopReason,
)
from tanu.lib import crypto, revisions

CONTEXT_FIELDS = (*SCREENING_CONTEXT_FIELDS, "visit")


class ScreeningError(Exception):
    """A write that cannot be done; the message is for the user, in their language."""


def assess_screening(screening: Screening) -> engine.CombinedAssessment:
    """Assess with the checklist versions in force on the screening's date."""
    rows = _lists(screening)
    by_id = {row.checklist_id: catalogue.engine_checklist(row) for row in rows}
    known: set[str] = set()
    for checklist in by_id.values():
        known |= checklist.codes
    kinds: dict[str, list[str]] = {a.value: [] for a in Answer}
    for code, answer in (screening.answers or {}).items():
        if code in known and answer in kinds:
            kinds[answer].append(code)
    return engine.assess_person(
        by_id,
        age_group=screening.age_group,
        form=screening.form,
        observed=kinds[Answer.OBSERVED],
        not_observed=kinds[Answer.NOT_OBSERVED],
        declined=kinds[Answer.DECLINED],
    )


def _lists(screening: Screening) -> list[ChecklistVersion]:
    return catalogue.lists_for(screening.age_group, screening.form, screening.screened_on)


def _refresh_assessment(screening: Screening) -> engine.CombinedAssessment:
    result = assess_screening(screening)
    screening.result = result.to_dict()
    screening.outcome = result.outcome
    screening.threshold_met = result.assessment.threshold_met
    return result


def _stop(result: engine.CombinedAssessment, reason: str, note: str) -> tuple[str, str]:
    """The stop reason and note to keep, or a ScreeningError when they are needed and missing.

    Asked only when not enough was asked: required when nothing was found (the outcome is then
    ``incomplete``), kept when given beside a positive finding, dropped once enough was asked."""
    note = note.strip()
    if result.enough_asked:
        return "", ""
    if reason and reason not in StopReason.values:
        raise ScreeningError(_("Please choose why the interview stopped from the list."))
    if not reason:
        if result.outcome == engine.INCOMPLETE:
            raise ScreeningError(
                _(
                    "Not enough was asked to rule anything out: every strong indicator and "
                    "every dimension needs an answer. Ask the remaining questions, or say why "
                    "the interview stopped; the screening is then finalised as incomplete."
                )
            )
        return "", ""
    if reason == StopReason.OTHER and not note:
        raise ScreeningError(_("Please say in the note why the interview stopped."))
    return reason, note


def _validate_answers(age_group: str, form: str, answers: dict[str, str], on: date) -> None:
    known: set[str] = set()
    for row in catalogue.lists_for(age_group, form, on):
        known |= catalogue.engine_checklist(row).codes
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ScreeningError(
            _("Unknown indicator code: %(codes)s") % {"codes": ", ".join(unknown[:5])}
        )
    bad = sorted({v for v in answers.values() if v not in Answer.values})
    if bad:
        raise ScreeningError(_("Unknown answer: %(answers)s") % {"answers": ", ".join(bad[:5])})


def _refuse_final(screening: Screening) -> None:
    if not screening.is_editable:
        raise ScreeningError(
            _("This screening is finalised and cannot be changed. Start a correction instead.")
        )


#: The screening row, read again and locked until the transaction ends; a stale revision
#: raises ``tanu.lib.revisions.ConflictError``.
_locked = revisions.Locker(
    Screening.objects,
    message=gettext_lazy(
        "Someone else changed this screening while you were editing it. "
        "Your changes were not saved; the page now shows the latest version."
    ),
    check=_refuse_final,
)


def do_start_screening(
    *,
    actor: User,
    context: dict[str, Any],
    answers: dict[str, str] | None = None,
    source: str = Screening.Source.WEB,
    request: HttpRequest | None = None,
    supersedes: Screening | None = None,
) -> Screening:
    if actor.agency is None:
        raise ScreeningError(_("Your account belongs to no agency; ask your administrator."))
    screened_on: date = context.get("screened_on") or timezone.localdate()
    answers = {k: v for k, v in (answers or {}).items() if v != Answer.UNKNOWN}
    _validate_answers(context.get("age_group", ""), context.get("form", ""), answers, screened_on)
    with transaction.atomic():
        region = actor.agency.region
        screening = Screening(
            reference=next_reference("S", region.short, screened_on.year),
            agency=actor.agency,
            region=region,
            created_by=actor,
            source=source,
            supersedes=supersedes,
            answers=dict(answers or {}),
            **{k: v for k, v in context.items() if k in CONTEXT_FIELDS},
        )
        screening.screened_on = screened_on
        _refresh_assessment(screening)
        screening.save()
        screening.checklist_versions.set(_lists(screening))
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.SCREENING,
            object_id=screening.pk,
            fields=[*context.keys(), *(["answers"] if answers else [])],
            request=request,
        )
    return screening


def do_update_screening_context(
    screening: Screening,
    *,
    actor: User,
    context: dict[str, Any],
    expected_revision: int | None,
    request: HttpRequest | None = None,
) -> Screening:
    with transaction.atomic():
        locked = _locked(screening, expected_revision)
        changed = [k for k in CONTEXT_FIELDS if k in context and getattr(locked, k) != context[k]]
        for key in changed:
            setattr(locked, key, context[key])
        _refresh_assessment(locked)
        revisions.bump(locked, [*changed, "result", "outcome", "threshold_met"])
        locked.checklist_versions.set(_lists(locked))
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.SCREENING,
            object_id=locked.pk,
            fields=changed,
            request=request,
        )
    return locked


def do_record_answers(
    screening: Screening,
    *,
    actor: User,
    answers: dict[str, str],
    expected_revision: int | None = None,
    request: HttpRequest | None = None,
) -> Screening:
    """Record answers to indicators. Single answers merge into the latest state, so two
    officials answering different indicators lose nothing."""
    _validate_answers(screening.age_group, screening.form, answers, screening.screened_on)
    with transaction.atomic():
        locked = _locked(screening, expected_revision)
        merged = dict(locked.answers or {})
        for code, answer in answers.items():
            if answer == Answer.UNKNOWN:
                merged.pop(code, None)
            else:
                merged[code] = answer
        locked.answers = merged
        _refresh_assessment(locked)
        revisions.bump(locked, ["answers", "result", "outcome", "threshold_met"])
        record_update(ObjectType.SCREENING, locked, ["answers"], actor=actor, request=request)
    return locked


def do_finalise_screening(
    screening: Screening,
    *,
    actor: User,
    judgement: str,
    notes: str,
    expected_revision: int | None,
    stop_reason: str = "",
    stop_note: str = "",
    request: HttpRequest | None = None,
) -> Screening:
    """Finalise a draft. When not enough was asked and nothing was found, ``stop_reason`` (why
    the interview stopped; with ``stop_note`` for "other") is required and the outcome is
    ``incomplete``; without it nothing changes and a ScreeningError says what is missing."""
    with transaction.atomic():
        locked = _locked(screening, expected_revision)
        result = _refresh_assessment(locked)
        locked.stop_reason, locked.stop_note = _stop(result, stop_reason, stop_note)
        locked.judgement = judgement
        locked.notes = notes
        locked.status = Screening.Status.FINAL
        locked.finalised_at = timezone.now()
        locked.finalised_by = actor
        revisions.bump(
            locked,
            [
                "judgement",
                "notes",
                "stop_reason",
                "stop_note",
                "result",
                "outcome",
                "threshold_met",
                "status",
                "finalised_at",
                "finalised_by",
            ],
        )
        locked.checklist_versions.set(_lists(locked))
        if locked.supersedes_id:
            Screening.objects.filter(pk=locked.supersedes_id).update(
                status=Screening.Status.SUPERSEDED, updated_at=timezone.now()
            )
        record(
            Action.FINALISE,
            actor=actor,
            object_type=ObjectType.SCREENING,
            object_id=locked.pk,
            fields=[
                "judgement",
                "notes",
                "status",
                *(["stop_reason"] if locked.stop_reason else []),
                *(["stop_note"] if locked.stop_note else []),
            ],
            request=request,
        )
    return locked


def do_correct_screening(
    screening: Screening, *, actor: User, request: HttpRequest | None = None
) -> Screening:
    """Start a correction of a finalised screening: a new draft that keeps the old one."""
    if screening.status != Screening.Status.FINAL:
        raise ScreeningError(_("Only a finalised screening can be corrected."))
    if Screening.objects.filter(supersedes=screening).exists():
        raise ScreeningError(_("A correction of this screening already exists."))
    context = {k: getattr(screening, k) for k in CONTEXT_FIELDS}
    return do_start_screening(
        actor=actor,
        context=context,
        answers=dict(screening.answers),
        source=screening.source,
        request=request,
        supersedes=screening,
    )


# Steps of the case actions (tanu.cases.actions), run inside their transaction and covered by
# their audit entry: a screening row changes only here, in the app that owns it.


def attach_case(screening: Screening, case_id: int) -> None:
    """Link a finalised screening to the case just opened for it. The screening row is locked
    and read again: when a case was opened for it meanwhile, ScreeningError (and the caller's
    transaction, with the case it made, is rolled back)."""
    with transaction.atomic():
        locked = Screening.objects.select_for_update().get(pk=screening.pk)
        if locked.case_id is not None:
            raise ScreeningError(_("A case is already open for this screening."))
        locked.case_id = case_id
        locked.save(update_fields=["case"])
    screening.case_id = case_id


def blank_case_screenings(case_id: int) -> list[int]:
    """Clear what can name the person in a case's screenings (notes, the facility's name, every
    encrypted field) when the case is anonymised. Returns their ids, whose audit reasons the
    caller clears too."""
    rows = Screening.objects.filter(case_id=case_id)
    ids = list(rows.values_list("pk", flat=True))
    rows.update(**{"notes": "", "facility_name": "", **crypto.blank_values(Screening)})
    return ids


def record_read(
    screening: Screening,
    *,
    actor: User,
    request: HttpRequest | None = None,
    fields: list[str] | None = None,
) -> None:
    """Reading a screening is audited (it may hold notes on a person)."""
    audit.record_read(
        ObjectType.SCREENING, screening.pk, actor=actor, fields=fields or [], request=request
    )
