"""The named actions that change criminal proceedings. Each checks who acts (investigators of the
investigating agency), checks the stage rules, writes in one transaction and audits what changed.

The stage rules (``check_stage``): a proceeding moves forward only, pre-trial investigation →
sent to court → trial → verdict → appeal, and may be closed from any stage with a listed reason;
no verdict before the trial, no appeal before the verdict, a sentence only for a conviction; each
stage's date is known, not in the future, and not before the stage before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tanu.accounts.models import Role, User
from tanu.audit.actions import record
from tanu.audit.models import Action, ObjectType
from tanu.cases.models import Case
from tanu.lib import revisions
from tanu.proceedings.access import edits, is_investigator, registrable_cases
from tanu.proceedings.models import (
    Article,
    Hearing,
    Proceeding,
    ProtectionMeasure,
    SuspectCount,
)

Stage = Proceeding.Stage
ORDER = [Stage.PRE_TRIAL, Stage.SENT_TO_COURT, Stage.TRIAL, Stage.VERDICT, Stage.APPEAL]
# The date each stage is reached on.
STAGE_DATES: dict[str, str] = {
    Stage.SENT_TO_COURT: "sent_to_court_on",
    Stage.TRIAL: "trial_started_on",
    Stage.VERDICT: "verdict_on",
    Stage.APPEAL: "appeal_on",
    Stage.CLOSED: "closed_on",
}
ERDR = re.compile(r"^\d{12,20}$")
# What an investigator may correct on a proceeding without moving its stage.
DETAIL_FIELDS = (
    "erdr_number",
    "registered_on",
    "person_status",
    "cooperates",
    "compensation_claimed",
    "compensation_paid",
)
STALE = gettext_lazy(
    "Someone else changed this proceeding while you were editing it. Your changes were not "
    "saved; the page now shows the latest version."
)


class ProceedingError(Exception):
    """A rule was broken: the message is for the user, in their language."""


def _not_future(day: date | None, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ProceedingError(_("The %(what)s cannot be in the future.") % {"what": label})


def _check_erdr(number: str) -> str:
    number = re.sub(r"[\s-]", "", number or "")
    if not ERDR.match(number):
        raise ProceedingError(
            _("The ЕРДР registration number has 12 to 20 digits (spaces and dashes are ignored).")
        )
    return number


def _check_articles(articles: Iterable[Article], kept: Iterable[Article] = ()) -> list[Article]:
    """At least one article; an article taken out of use may stay where it is (``kept``), but
    is never newly chosen."""
    chosen = list(articles)
    if not chosen:
        raise ProceedingError(_("Choose at least one Criminal Code article."))
    if any(not a.is_active and a not in set(kept) for a in chosen):
        raise ProceedingError(_("One of the articles is no longer in use."))
    return chosen


def _audit(
    action: Action,
    proceeding: Proceeding,
    actor: User,
    fields: Iterable[str],
    request: HttpRequest | None,
) -> None:
    record(
        action,
        actor=actor,
        object_type=ObjectType.PROCEEDING,
        object_id=proceeding.pk,
        fields=fields,
        request=request,
        region_id=proceeding.case.region_id,
    )


def _require_editor(actor: User, proceeding: Proceeding) -> None:
    if not edits(actor, proceeding):
        raise ProceedingError(_("Only investigators of the investigating body edit this."))


def _locker(actor: User) -> revisions.Locker[Proceeding]:
    def check(row: Proceeding) -> None:
        _require_editor(actor, row)

    return revisions.Locker(Proceeding.objects.select_related("case"), message=STALE, check=check)


# --- Register -------------------------------------------------------------------------------


def do_register_proceeding(
    *,
    actor: User,
    case: Case,
    erdr_number: str,
    registered_on: date,
    articles: Iterable[Article],
    person_status: str = Proceeding.PersonStatus.VICTIM,
    cooperates: bool | None = None,
    request: HttpRequest | None = None,
) -> Proceeding:
    """An investigator registers a proceeding on a case referred to their agency; their agency
    is the investigating body."""
    if not is_investigator(actor) or actor.agency is None:
        raise ProceedingError(_("Only investigators register criminal proceedings."))
    if not registrable_cases(actor).filter(pk=case.pk).exists():
        raise ProceedingError(_("This case was not referred to your agency."))
    number = _check_erdr(erdr_number)
    _not_future(registered_on, _("date registered"))
    chosen = _check_articles(articles)
    if person_status not in Proceeding.PersonStatus.values:
        raise ProceedingError(_("Choose the person's procedural status."))
    with transaction.atomic():
        if Proceeding.objects.filter(case=case, erdr_number=number).exists():
            raise ProceedingError(_("This proceeding is already registered on the case."))
        proceeding = Proceeding.objects.create(
            case=case,
            erdr_number=number,
            registered_on=registered_on,
            investigating_agency=actor.agency,
            person_status=person_status,
            cooperates=cooperates,
            created_by=actor,
        )
        proceeding.articles.set(chosen)
        _audit(
            Action.CREATE,
            proceeding,
            actor,
            ["erdr_number", "registered_on", "articles", "person_status", "cooperates"],
            request,
        )
    return proceeding


# --- Details -------------------------------------------------------------------------------


def do_update_proceeding(
    proceeding: Proceeding,
    *,
    actor: User,
    data: Mapping[str, Any],
    articles: Iterable[Article] | None = None,
    expected_revision: int | None,
    request: HttpRequest | None = None,
) -> Proceeding:
    """Correct the registration, the person's status and cooperation, the compensation
    claimed and paid, and the articles; the stage moves only through ``do_move_stage``."""
    changes = {k: v for k, v in data.items() if k in DETAIL_FIELDS}
    if "erdr_number" in changes:
        changes["erdr_number"] = _check_erdr(str(changes["erdr_number"]))
    if "registered_on" in changes:
        _not_future(changes["registered_on"], _("date registered"))
    if changes.get("person_status", Proceeding.PersonStatus.VICTIM) not in (
        Proceeding.PersonStatus.values
    ):
        raise ProceedingError(_("Choose the person's procedural status."))
    with transaction.atomic():
        row = _locker(actor)(proceeding, expected_revision)
        chosen = None
        if articles is not None:
            chosen = _check_articles(articles, kept=row.articles.all())
        if "registered_on" in changes:
            check_stage(row, registered_on=changes["registered_on"])
        paid = changes.get("compensation_paid", row.compensation_paid)
        awarded = row.compensation_awarded
        if paid is not None and (awarded is None or paid > awarded):
            raise ProceedingError(_("Compensation paid cannot exceed the compensation awarded."))
        changed = [k for k, v in changes.items() if getattr(row, k) != v]
        for key in changed:
            setattr(row, key, changes[key])
        if chosen is not None and set(chosen) != set(row.articles.all()):
            row.articles.set(chosen)
            changed.append("articles")
        if changed:
            revisions.bump(row, [k for k in changed if k != "articles"])
            _audit(Action.UPDATE, row, actor, changed, request)
    return row


# --- Stages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What is recorded with a verdict."""

    verdict: str
    sentence_months: int | None = None
    compensation_awarded: int | None = None


def check_stage(row: Proceeding, *, registered_on: date | None = None) -> None:
    """Each stage's date is set, not before the one before it, and not in the future."""
    previous: date = registered_on or row.registered_on
    for stage in [*ORDER[1:], Stage.CLOSED]:
        day = getattr(row, STAGE_DATES[stage])
        if day is None:
            continue
        if day < previous:
            raise ProceedingError(
                _("The date of the stage “%(stage)s” is before the stage before it.")
                % {"stage": Stage(stage).label}
            )
        previous = day


def do_move_stage(
    proceeding: Proceeding,
    *,
    actor: User,
    stage: str,
    on: date,
    outcome: Outcome | None = None,
    closing_reason: str = "",
    expected_revision: int | None,
    request: HttpRequest | None = None,
) -> Proceeding:
    """Move the proceeding to ``stage`` on ``on``: forward only, or closed from any stage."""
    if stage not in Stage.values or stage == Stage.PRE_TRIAL:
        raise ProceedingError(_("Choose the next stage."))
    _not_future(on, _("date of the stage"))
    with transaction.atomic():
        row = _locker(actor)(proceeding, expected_revision)
        fields = _apply_stage(row, stage, on, outcome, closing_reason)
        check_stage(row)
        revisions.bump(row, fields)
        _audit(Action.UPDATE, row, actor, fields, request)
    return row


def _apply_stage(
    row: Proceeding, stage: str, on: date, outcome: Outcome | None, closing_reason: str
) -> list[str]:
    if row.stage == Stage.CLOSED:
        raise ProceedingError(_("A closed proceeding does not change stage."))
    fields = ["stage", STAGE_DATES[stage]]
    if stage == Stage.CLOSED:
        if closing_reason not in Proceeding.ClosingReason.values:
            raise ProceedingError(_("Choose the reason for closing."))
        if closing_reason == Proceeding.ClosingReason.VERDICT_IN_FORCE and not row.verdict:
            raise ProceedingError(_("No verdict is recorded: choose another reason."))
        row.closing_reason = closing_reason
        fields.append("closing_reason")
    else:
        if ORDER.index(Stage(stage)) <= ORDER.index(Stage(row.stage)):
            raise ProceedingError(_("A proceeding moves forward only."))
        if stage == Stage.VERDICT:
            if row.trial_started_on is None:
                raise ProceedingError(_("No verdict before the trial: record the trial first."))
            fields += _apply_outcome(row, outcome)
        if stage == Stage.APPEAL and not row.verdict:
            raise ProceedingError(_("No appeal before the verdict."))
        if stage == Stage.TRIAL and row.sent_to_court_on is None:
            # Sent to court and the trial may be recorded together, on one day.
            row.sent_to_court_on = on
            fields.append("sent_to_court_on")
    row.stage = stage
    setattr(row, STAGE_DATES[stage], on)
    return fields


def _apply_outcome(row: Proceeding, outcome: Outcome | None) -> list[str]:
    if outcome is None or outcome.verdict not in Proceeding.Verdict.values:
        raise ProceedingError(_("Choose the verdict."))
    convicted = outcome.verdict == Proceeding.Verdict.CONVICTED
    if outcome.sentence_months is not None and not convicted:
        raise ProceedingError(_("A sentence is given only with a conviction."))
    if convicted and not outcome.sentence_months:
        raise ProceedingError(_("Give the sentence in months."))
    row.verdict = outcome.verdict
    row.sentence_months = outcome.sentence_months
    row.compensation_awarded = outcome.compensation_awarded
    return ["verdict", "sentence_months", "compensation_awarded"]


# --- Suspects, protection, hearings ----------------------------------------------------------


def do_set_suspects(
    proceeding: Proceeding,
    *,
    actor: User,
    rows: Iterable[Mapping[str, Any]],
    expected_revision: int | None,
    request: HttpRequest | None = None,
) -> Proceeding:
    """Replace the counts of suspects and accused (role, sex, citizenship): never names."""
    counts: dict[tuple[str, str, str, str], int] = {}
    for item in rows:
        key = (
            str(item.get("standing", "")),
            str(item.get("role", "")),
            str(item.get("sex", "")),
            str(item.get("citizenship", "")).strip().upper(),
        )
        standing, role, sex, citizenship = key
        count = int(item.get("count") or 0)
        if (
            standing not in SuspectCount.Standing.values
            or role not in SuspectCount.Role.values
            or sex not in SuspectCount.Sex.values
            or not re.fullmatch(r"[A-Z]{2}", citizenship)
            or not 0 <= count <= 999
        ):
            raise ProceedingError(
                _("Each row needs a standing, a role, a sex, a citizenship and a number.")
            )
        if count:
            counts[key] = counts.get(key, 0) + count
    with transaction.atomic():
        row = _locker(actor)(proceeding, expected_revision)
        row.suspects.all().delete()
        SuspectCount.objects.bulk_create(
            SuspectCount(proceeding=row, standing=s, role=r, sex=x, citizenship=c, count=n)
            for (s, r, x, c), n in sorted(counts.items())
        )
        revisions.bump(row)
        _audit(Action.UPDATE, row, actor, ["suspects"], request)
    return row


def do_add_protection(
    proceeding: Proceeding,
    *,
    actor: User,
    kind: str,
    starts_on: date,
    ends_on: date | None = None,
    request: HttpRequest | None = None,
) -> ProtectionMeasure:
    _require_editor(actor, proceeding)
    if kind not in ProtectionMeasure.Kind.values:
        raise ProceedingError(_("Choose the protection measure."))
    _not_future(starts_on, _("start of the measure"))
    if ends_on is not None and ends_on < starts_on:
        raise ProceedingError(_("A measure cannot end before it starts."))
    with transaction.atomic():
        measure = ProtectionMeasure.objects.create(
            proceeding=proceeding, kind=kind, starts_on=starts_on, ends_on=ends_on
        )
        _audit(Action.UPDATE, proceeding, actor, ["protection_measures"], request)
    return measure


def do_end_protection(
    measure: ProtectionMeasure,
    *,
    actor: User,
    ends_on: date,
    request: HttpRequest | None = None,
) -> ProtectionMeasure:
    _require_editor(actor, measure.proceeding)
    if ends_on < measure.starts_on:
        raise ProceedingError(_("A measure cannot end before it starts."))
    with transaction.atomic():
        measure.ends_on = ends_on
        measure.save(update_fields=["ends_on"])
        _audit(Action.UPDATE, measure.proceeding, actor, ["protection_measures"], request)
    return measure


def do_schedule_hearing(
    proceeding: Proceeding,
    *,
    actor: User,
    starts_at: datetime,
    place: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> Hearing:
    _require_editor(actor, proceeding)
    if not place.strip():
        raise ProceedingError(_("Give the place of the hearing."))
    with transaction.atomic():
        stage = Proceeding.objects.select_for_update().values_list("stage", flat=True)
        if stage.get(pk=proceeding.pk) in (Stage.PRE_TRIAL, Stage.CLOSED):
            raise ProceedingError(_("Hearings are scheduled once the case is sent to court."))
        hearing = Hearing.objects.create(
            proceeding=proceeding, starts_at=starts_at, place=place.strip()[:200], note=note
        )
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.HEARING,
            object_id=hearing.pk,
            fields=["starts_at", "place", *(["note"] if note else [])],
            request=request,
            region_id=proceeding.case.region_id,
        )
    return hearing


def do_cancel_hearing(hearing: Hearing, *, actor: User, request: HttpRequest | None = None) -> None:
    proceeding = hearing.proceeding
    _require_editor(actor, proceeding)
    with transaction.atomic():
        record(
            Action.DELETE,
            actor=actor,
            object_type=ObjectType.HEARING,
            object_id=hearing.pk,
            request=request,
            region_id=proceeding.case.region_id,
        )
        hearing.delete()


# --- Articles (administrators) ----------------------------------------------------------------


def do_save_article(
    *,
    actor: User,
    number: str,
    names: Mapping[str, str],
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> Article:
    """Administrators and national administrators keep the list of Criminal Code articles,
    in kk, ru and en."""
    keeps = actor.role in (Role.ADMINISTRATOR, Role.NATIONAL_ADMIN) or actor.is_superuser
    if not (actor.is_active and keeps):
        raise ProceedingError(_("Only administrators keep the list of articles."))
    number = number.strip()
    if not number or any(not (names.get(lang) or "").strip() for lang in ("kk", "ru", "en")):
        raise ProceedingError(_("Give the article's number and its name in kk, ru and en."))
    with transaction.atomic():
        article, created = Article.objects.update_or_create(
            number=number,
            defaults={
                "name_kk": names["kk"].strip(),
                "name_ru": names["ru"].strip(),
                "name_en": names["en"].strip(),
                "is_active": is_active,
            },
        )
        record(
            Action.CREATE if created else Action.UPDATE,
            actor=actor,
            object_type=ObjectType.CRIMINAL_ARTICLE,
            object_id=article.pk,
            fields=["number", "name_kk", "name_ru", "name_en", "is_active"],
            request=request,
        )
    return article
