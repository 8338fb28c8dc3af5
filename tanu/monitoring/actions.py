"""Named writes on facilities, visits and follow-up actions. Each runs in a transaction with its
audit entry; the audit trail names fields, never their content."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tanu.accounts.models import Agency, Region, User
from tanu.audit.actions import record, record_update
from tanu.audit.models import Action, ObjectType
from tanu.identification import actions as screening_actions
from tanu.identification.models import Screening
from tanu.lib import revisions
from tanu.monitoring.access import VISIT_ROLES, is_registry_admin, visits_as_monitor
from tanu.monitoring.models import FACILITY_FIELDS, Facility, FollowUpAction, Visit, VisitMember

PLAN_FIELDS = ("planned_on", "purpose", "announced")
REPORT_FIELDS = (
    "visited_on",
    "duration_minutes",
    "adults_present",
    "juveniles_present",
    "foreigners_present",
    "people_screened",
    "access",
    "access_notes",
    "conditions",
    "findings",
    "recommendations",
)
POLICE_KINDS = (
    Agency.Kind.ADMINISTRATIVE_POLICE,
    Agency.Kind.CRIMINAL_POLICE,
    Agency.Kind.MIGRATION_SERVICE,
)
SOCIAL_KINDS = (
    Agency.Kind.SOCIAL_PROTECTION,
    Agency.Kind.REHAB_HOMELESS,
    Agency.Kind.JUVENILE_CENTRE,
    Agency.Kind.SHELTER,
    Agency.Kind.HEALTH,
)


class MonitoringError(Exception):
    """A write that cannot be done; the message is for the user, in their language."""


def team_candidates(region_id: int) -> QuerySet[User]:
    """Who may be on a visit team (and own its follow-up actions): the officials of the region
    who see its visits."""
    return (
        User.objects.select_related("agency")
        .filter(is_active=True, agency__region_id=region_id, role__in=VISIT_ROLES)
        .order_by("last_name", "first_name", "username")
    )


def capacity_for(user: User) -> str:
    """The capacity an official visits in, from their role and agency."""
    kind = user.agency.kind if user.agency is not None else ""
    if visits_as_monitor(user):
        return VisitMember.Capacity.MONITOR
    if kind in POLICE_KINDS:
        return VisitMember.Capacity.POLICE
    if kind == Agency.Kind.NGO:
        return VisitMember.Capacity.NGO
    if kind in SOCIAL_KINDS:
        return VisitMember.Capacity.SOCIAL
    return VisitMember.Capacity.OTHER


def _check_team(region_id: int, team: Iterable[User]) -> list[User]:
    members = list({u.pk: u for u in team}.values())
    if not members:
        raise MonitoringError(_("Name at least one member of the visit team."))
    allowed = set(
        team_candidates(region_id)
        .filter(pk__in=[u.pk for u in members])
        .values_list("pk", flat=True)
    )
    if any(u.pk not in allowed for u in members):
        raise MonitoringError(
            _("Team members must be monitors, screeners or coordinators of the visit's region.")
        )
    return members


def _set_team(visit: Visit, members: list[User]) -> None:
    VisitMember.objects.filter(visit=visit).exclude(user__in=members).delete()
    existing = set(VisitMember.objects.filter(visit=visit).values_list("user_id", flat=True))
    VisitMember.objects.bulk_create(
        VisitMember(visit=visit, user=u, capacity=capacity_for(u))
        for u in members
        if u.pk not in existing
    )


#: The visit row, read again and locked until the transaction ends; a stale revision raises
#: ``tanu.lib.revisions.ConflictError``.
_locked_visit = revisions.Locker(
    Visit.objects.select_related("facility"),
    message=gettext_lazy(
        "Someone else changed this visit while you were editing it. "
        "Your changes were not saved; the page now shows the latest version."
    ),
)


# Facilities


def _check_facility(actor: User, data: dict[str, Any]) -> None:
    region: Region | None = data.get("region")
    if region is None:
        raise MonitoringError(_("Choose the region of the facility."))
    if not is_registry_admin(actor) and (
        actor.agency is None or actor.agency.region_id != region.pk
    ):
        raise MonitoringError(_("You can register facilities of your own region only."))
    agency: Agency | None = data.get("operating_agency")
    if agency is not None and agency.region_id != region.pk:
        raise MonitoringError(_("The operating agency must be in the facility's region."))
    if not (data.get("name_ru") or data.get("name_kk") or data.get("name_en")):
        raise MonitoringError(_("Give the facility a name."))


def _fill_names(data: dict[str, Any]) -> dict[str, Any]:
    """A name given in one language stands in for the others until someone translates it."""
    first = next(
        (str(data[k]).strip() for k in ("name_ru", "name_kk", "name_en") if data.get(k)), ""
    )
    return {
        **data,
        **{k: str(data.get(k) or first).strip() for k in ("name_ru", "name_kk", "name_en")},
    }


def do_create_facility(
    *, actor: User, data: dict[str, Any], request: HttpRequest | None = None
) -> Facility:
    _check_facility(actor, data)
    values = {k: v for k, v in _fill_names(data).items() if k in FACILITY_FIELDS}
    with transaction.atomic():
        facility = Facility.objects.create(**values)
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.FACILITY,
            object_id=facility.pk,
            fields=list(values),
            request=request,
        )
    return facility


def do_update_facility(
    facility: Facility, *, actor: User, data: dict[str, Any], request: HttpRequest | None = None
) -> Facility:
    _check_facility(actor, {**{k: getattr(facility, k) for k in FACILITY_FIELDS}, **data})
    values = _fill_names({**{k: getattr(facility, k) for k in FACILITY_FIELDS}, **data})
    with transaction.atomic():
        locked = Facility.objects.select_for_update().get(pk=facility.pk)
        changed = [k for k in FACILITY_FIELDS if k in values and getattr(locked, k) != values[k]]
        for key in changed:
            setattr(locked, key, values[key])
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*changed, "updated_at"])
        record_update(ObjectType.FACILITY, locked, changed, actor=actor, request=request)
    return locked


# Visits


def do_plan_visit(
    *,
    actor: User,
    facility: Facility,
    planned_on: date,
    purpose: str,
    announced: bool,
    team: Iterable[User],
    request: HttpRequest | None = None,
) -> Visit:
    if actor.agency is None or actor.agency.region_id != facility.region_id:
        raise MonitoringError(_("You can plan visits to facilities of your own region only."))
    if not facility.is_active:
        raise MonitoringError(_("This facility is no longer in use."))
    if not purpose.strip():
        raise MonitoringError(_("State the purpose of the visit."))
    members = _check_team(facility.region_id, team)
    with transaction.atomic():
        visit = Visit.objects.create(
            facility=facility,
            region_id=facility.region_id,
            planned_on=planned_on,
            purpose=purpose.strip()[:500],
            announced=announced,
            created_by=actor,
        )
        _set_team(visit, members)
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.VISIT,
            object_id=visit.pk,
            fields=[*PLAN_FIELDS, "facility", "team"],
            request=request,
        )
    return visit


def do_update_visit_plan(
    visit: Visit,
    *,
    actor: User,
    planned_on: date,
    purpose: str,
    announced: bool,
    team: Iterable[User],
    expected_revision: int | None,
    request: HttpRequest | None = None,
) -> Visit:
    if not purpose.strip():
        raise MonitoringError(_("State the purpose of the visit."))
    members = _check_team(visit.region_id, team)
    with transaction.atomic():
        locked = _locked_visit(visit, expected_revision)
        if locked.status != Visit.Status.PLANNED:
            raise MonitoringError(_("Only a planned visit can be re-planned."))
        values = {
            "planned_on": planned_on,
            "purpose": purpose.strip()[:500],
            "announced": announced,
        }
        changed = [k for k, v in values.items() if getattr(locked, k) != v]
        for key in changed:
            setattr(locked, key, values[key])
        before = set(locked.members.values_list("user_id", flat=True))
        _set_team(locked, members)
        if before != {u.pk for u in members}:
            changed.append("team")
        revisions.bump(locked, [k for k in changed if k != "team"])
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.VISIT,
            object_id=locked.pk,
            fields=changed,
            request=request,
        )
    return locked


def do_cancel_visit(
    visit: Visit,
    *,
    actor: User,
    reason: str,
    expected_revision: int | None = None,
    request: HttpRequest | None = None,
) -> Visit:
    if not reason.strip():
        raise MonitoringError(_("State why the visit is cancelled."))
    with transaction.atomic():
        locked = _locked_visit(visit, expected_revision)
        if locked.status != Visit.Status.PLANNED:
            raise MonitoringError(_("Only a planned visit can be cancelled."))
        locked.status = Visit.Status.CANCELLED
        locked.cancel_reason = reason.strip()[:300]
        revisions.bump(locked, ["status", "cancel_reason"])
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.VISIT,
            object_id=locked.pk,
            fields=["status", "cancel_reason"],
            request=request,
        )
    return locked


def check_report(report: dict[str, Any], today: date | None = None) -> None:
    """Rules a report must keep, whichever way it comes in (page or API)."""
    today = today or timezone.localdate()
    visited_on = report.get("visited_on")
    if visited_on is None:
        raise MonitoringError(_("Give the date of the visit."))
    if visited_on > today:
        raise MonitoringError(_("A visit can be recorded only once it has taken place."))
    adults = report.get("adults_present") or 0
    juveniles = report.get("juveniles_present") or 0
    if (report.get("foreigners_present") or 0) > adults + juveniles:
        raise MonitoringError(_("There cannot be more foreigners than people present."))
    if (report.get("people_screened") or 0) > adults + juveniles:
        raise MonitoringError(_("There cannot be more people screened than people present."))
    if not report.get("access"):
        raise MonitoringError(_("Say whether access was granted."))
    if (
        report.get("access") != Visit.Access.FULL
        and not str(report.get("access_notes") or "").strip()
    ):
        raise MonitoringError(_("Describe what access was refused, and by whom."))


def do_record_visit(
    visit: Visit,
    *,
    actor: User,
    report: dict[str, Any],
    expected_revision: int | None,
    request: HttpRequest | None = None,
) -> Visit:
    """Record the report of a visit (or correct a recorded one)."""
    with transaction.atomic():
        locked = _locked_visit(visit, expected_revision)
        if locked.status == Visit.Status.CANCELLED:
            raise MonitoringError(_("A cancelled visit cannot be recorded."))
        merged = {k: report.get(k, getattr(locked, k)) for k in REPORT_FIELDS}
        for key in ("access_notes", "conditions", "findings", "recommendations"):
            merged[key] = str(merged[key] or "").strip()
        check_report(merged)
        changed = [k for k in REPORT_FIELDS if getattr(locked, k) != merged[k]]
        for key in changed:
            setattr(locked, key, merged[key])
        fields = list(changed)
        if locked.status == Visit.Status.PLANNED:
            locked.status = Visit.Status.DONE
            locked.reported_by = actor
            locked.reported_at = timezone.now()
            fields += ["status", "reported_by", "reported_at"]
        if locked.draft_saved_at is not None or locked.report_draft:
            # The finished report replaces its draft.
            locked.report_draft, locked.draft_saved_at = {}, None
            fields += ["report_draft", "draft_saved_at"]
        revisions.bump(locked, fields)
        record_update(ObjectType.VISIT, locked, fields, actor=actor, request=request)
    return locked


#: The sections of a report, written one at a time on a phone.
REPORT_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("visit", ("visited_on", "duration_minutes")),
    ("people", ("adults_present", "juveniles_present", "foreigners_present", "people_screened")),
    ("access", ("access", "access_notes")),
    ("observations", ("conditions", "findings", "recommendations")),
)


def _draft_value(value: Any) -> Any:
    """A report field's value as the draft keeps it (JSON)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def draft_report(visit: Visit) -> dict[str, Any]:
    """The report as written so far: the draft over the visit's report fields."""
    values: dict[str, Any] = {k: getattr(visit, k) for k in REPORT_FIELDS}
    for key, value in (visit.report_draft or {}).items():
        if key not in REPORT_FIELDS:
            continue
        if key == "visited_on" and value:
            try:
                value = date.fromisoformat(str(value))
            except ValueError:
                continue
        values[key] = value
    return values


def do_save_visit_report_draft(
    visit: Visit,
    *,
    actor: User,
    draft: dict[str, Any],
    expected_revision: int | None,
    request: HttpRequest | None = None,
) -> Visit:
    """Keep what was typed of a report not finished yet. The draft is no report: the visit
    stays planned, and nothing of the draft counts or shows outside the report's page until
    the report is finished (``do_finish_visit_report``)."""
    with transaction.atomic():
        locked = _locked_visit(visit, expected_revision)
        if locked.status == Visit.Status.CANCELLED:
            raise MonitoringError(_("A cancelled visit cannot be recorded."))
        if locked.status != Visit.Status.PLANNED:
            raise MonitoringError(_("This report is finished: correct it instead."))
        visited_on = draft.get("visited_on")
        if isinstance(visited_on, date) and visited_on > timezone.localdate():
            raise MonitoringError(_("A visit can be recorded only once it has taken place."))
        before = dict(locked.report_draft or {})
        values = {**before}
        values.update({k: _draft_value(v) for k, v in draft.items() if k in REPORT_FIELDS})
        changed = sorted(k for k in values if before.get(k) != values[k])
        locked.report_draft = values
        locked.draft_saved_at = timezone.now()
        revisions.bump(locked, ["report_draft", "draft_saved_at"])
        # The audit trail names the report's fields that changed, never their content.
        record_update(
            ObjectType.VISIT,
            locked,
            ["report_draft", *changed],
            actor=actor,
            request=request,
        )
    return locked


def do_finish_visit_report(
    visit: Visit,
    *,
    actor: User,
    report: dict[str, Any],
    expected_revision: int | None,
    request: HttpRequest | None = None,
) -> Visit:
    """Finish a report written as a draft: it becomes the visit's recorded report, checked as
    any report is, and the draft is gone."""
    return do_record_visit(
        visit,
        actor=actor,
        report=report,
        expected_revision=expected_revision,
        request=request,
    )


def do_start_visit_screening(
    visit: Visit,
    *,
    actor: User,
    age_group: str,
    form: str,
    interview_language: str,
    interpreter_used: bool = False,
    request: HttpRequest | None = None,
) -> Screening:
    """Start a screening of a person met during the visit: the facility is the place."""
    if visit.status == Visit.Status.CANCELLED:
        raise MonitoringError(_("This visit was cancelled."))
    day = visit.visited_on or visit.planned_on
    if day > timezone.localdate():
        raise MonitoringError(_("Screenings can be started from the day of the visit."))
    context = {
        "place": visit.facility.screening_place,
        "facility_name": visit.facility.name[:200],
        "interview_language": interview_language,
        "interpreter_used": interpreter_used,
        "age_group": age_group,
        "form": form,
        "screened_on": day,
        "visit": visit,
    }
    try:
        return screening_actions.do_start_screening(actor=actor, context=context, request=request)
    except screening_actions.ScreeningError as exc:
        raise MonitoringError(str(exc)) from exc


# Follow-up actions


def do_add_follow_up_action(
    visit: Visit,
    *,
    actor: User,
    description: str,
    owner: User,
    due_on: date,
    request: HttpRequest | None = None,
) -> FollowUpAction:
    if not description.strip():
        raise MonitoringError(_("Say what is to be done."))
    if visit.status == Visit.Status.CANCELLED:
        raise MonitoringError(_("This visit was cancelled."))
    if not team_candidates(visit.region_id).filter(pk=owner.pk).exists():
        raise MonitoringError(
            _("The owner must be a monitor, screener or coordinator of the visit's region.")
        )
    with transaction.atomic():
        follow_up = FollowUpAction.objects.create(
            visit=visit,
            description=description.strip()[:500],
            owner=owner,
            due_on=due_on,
            created_by=actor,
        )
        record(
            Action.CREATE,
            actor=actor,
            object_type=ObjectType.FOLLOW_UP_ACTION,
            object_id=follow_up.pk,
            fields=["visit", "description", "owner", "due_on"],
            request=request,
        )
    return follow_up


def do_complete_follow_up_action(
    follow_up: FollowUpAction,
    *,
    actor: User,
    outcome: str,
    request: HttpRequest | None = None,
) -> FollowUpAction:
    if not outcome.strip():
        raise MonitoringError(_("Say what was done."))
    with transaction.atomic():
        locked = FollowUpAction.objects.select_for_update().get(pk=follow_up.pk)
        if locked.status != FollowUpAction.Status.OPEN:
            raise MonitoringError(_("This action is already done."))
        locked.status = FollowUpAction.Status.DONE
        locked.outcome = outcome.strip()[:500]
        locked.completed_at = timezone.now()
        locked.completed_by = actor
        locked.save(update_fields=["status", "outcome", "completed_at", "completed_by"])
        record(
            Action.UPDATE,
            actor=actor,
            object_type=ObjectType.FOLLOW_UP_ACTION,
            object_id=locked.pk,
            fields=["status", "outcome"],
            request=request,
        )
    return locked
