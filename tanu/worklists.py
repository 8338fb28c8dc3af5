"""What needs an official now: the worklists of the home page, one set per role.

A worklist names no person: case numbers, referral numbers, screening references, dates and
states only. Every list is read through the access helper of its object type (need-to-know) and
costs one query, however long it is (at most LIMIT rows each; the page links to the full list).
This module sits above the apps: it reads from any of them, and none reads from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tanu.accounts.models import Role, RoleChangeRequest, User
from tanu.cases.access import visible_cases
from tanu.identification.access import can_screen, visible_screenings
from tanu.identification.models import Screening
from tanu.linkage import access as linkage_access
from tanu.linkage.models import ContactRequest, MatchPair, PersonMerge
from tanu.linkage.presentation import strength_label
from tanu.monitoring import access as monitoring_access
from tanu.monitoring.models import FollowUpAction, Visit
from tanu.referrals.access import may_decide_identification, visible_referrals
from tanu.referrals.models import IdentificationDecision, Referral
from tanu.training.access import is_trainer, visible_seminars
from tanu.training.models import KnowledgeTest

LIMIT = 20
WEEK = 7
SEMINAR_HORIZON_DAYS = 14


@dataclass
class Item:
    """One line: what it is, a state, and the date that matters (late when past)."""

    url: str
    title: str
    state: str | Promise = ""
    day_label: str | Promise = ""
    day: date | None = None
    late: bool = False


@dataclass
class Worklist:
    key: str
    title: str | Promise
    items: list[Item]
    more_url: str = ""
    more_label: str | Promise = ""


@dataclass
class Home:
    worklists: list[Worklist] = field(default_factory=list)
    main_action_url: str = ""
    main_action_label: str | Promise = ""
    links: list[tuple[str, str | Promise]] = field(default_factory=list)

    @property
    def nothing_to_do(self) -> bool:
        return not any(worklist.items for worklist in self.worklists)


def _referral_title(referral: Referral) -> str:
    return str(_("Referral #%(referral)s · case %(case)s")) % {
        "referral": referral.pk,
        "case": referral.case.number,
    }


def _overdue_referral(referral: Referral) -> Item:
    """A sent referral past its due date, still without an answer."""
    return Item(
        reverse("referrals:referral", args=[referral.pk]),
        _referral_title(referral),
        referral.get_status_display(),
        _("answer was due by"),
        referral.due_date,
        True,
    )


def received_referrals(user: User, today: date) -> Worklist:
    """New referrals to the user's agency, waiting for its answer: the overdue first."""
    rows = (
        visible_referrals(user)
        .filter(to_agency_id=user.agency_id, status=Referral.Status.SENT)
        .order_by("due_date", "pk")[:LIMIT]
    )
    return Worklist(
        "received",
        _("New referrals waiting for your answer"),
        [
            Item(
                reverse("referrals:referral", args=[r.pk]),
                _referral_title(r),
                r.get_urgency_display(),
                _("answer due by"),
                r.due_date,
                r.due_date < today,
            )
            for r in rows
        ],
        reverse("referrals:referrals"),
        _("All referrals"),
    )


def unanswered_referrals(user: User, today: date) -> Worklist:
    """Referrals the user's agency sent that have had no answer by their due date."""
    rows = (
        visible_referrals(user)
        .filter(from_agency_id=user.agency_id, status=Referral.Status.SENT, due_date__lt=today)
        .order_by("due_date", "pk")[:LIMIT]
    )
    return Worklist(
        "unanswered",
        _("Referrals you sent without an answer past their due date"),
        [_overdue_referral(r) for r in rows],
    )


def region_overdue_referrals(user: User, today: date) -> Worklist:
    """The coordinator's region: every referral past its due date without an answer."""
    rows = (
        visible_referrals(user)
        .filter(status=Referral.Status.SENT, due_date__lt=today)
        .order_by("due_date", "pk")[:LIMIT]
    )
    return Worklist(
        "region_overdue",
        _("Overdue referrals in your region"),
        [_overdue_referral(r) for r in rows],
        reverse("referrals:referrals"),
        _("All referrals"),
    )


def reflection_ending(user: User, today: date) -> Worklist:
    horizon = today + timedelta(days=int(settings.TANU_REFLECTION_REMINDER_DAYS))
    rows = (
        visible_cases(user)
        .filter(reflection_ends__gte=today, reflection_ends__lte=horizon, anonymised_at=None)
        .exclude(status="closed")
        # A case merged into another is followed on the kept case.
        .exclude(pk__in=PersonMerge.objects.filter(undone_at=None).values("merged_case_id"))
        .order_by("reflection_ends", "pk")[:LIMIT]
    )
    return Worklist(
        "reflection",
        _("Reflection periods ending soon"),
        [
            Item(
                reverse("cases:case", args=[c.pk]),
                str(_("Case %(case)s")) % {"case": c.number},
                c.get_status_display(),
                _("reflection period ends on"),
                c.reflection_ends,
            )
            for c in rows
        ],
    )


def duplicates_to_review(user: User) -> Worklist:
    """Two records of the agency (the region's, for its coordinator) that may be one person."""
    rows = (
        linkage_access.reviewable_pairs(user)
        .filter(status=MatchPair.Status.OPEN)
        .order_by("found_at", "pk")[:LIMIT]
    )
    return Worklist(
        "duplicates",
        _("Possible duplicates to review"),
        [
            Item(
                reverse("linkage:pair", args=[p.pk]),
                str(_("Cases %(first)s and %(second)s"))
                % {"first": p.person_a.case.number, "second": p.person_b.case.number},
                strength_label(p.match_probability),
                _("found on"),
                timezone.localdate(p.found_at),
            )
            for p in rows
        ],
        reverse("linkage:queue"),
        _("All possible duplicates"),
    )


def contact_requests_to_decide(user: User) -> Worklist:
    """Contact requests waiting for the coordinator, or forwarded to the user's agency."""
    waiting = (
        ContactRequest.Status.WAITING
        if linkage_access.is_coordinator(user)
        else ContactRequest.Status.FORWARDED
    )
    rows = (
        linkage_access.visible_contact_requests(user)
        .filter(status=waiting)
        .exclude(from_agency_id=user.agency_id)
        .order_by("created_at", "pk")[:LIMIT]
    )
    return Worklist(
        "contact_requests",
        _("Contact requests waiting for your decision"),
        [
            Item(
                reverse("linkage:contact_request", args=[r.pk]),
                str(_("Contact request #%(request)s · case %(case)s"))
                % {"request": r.pk, "case": r.holding_case.number},
                r.get_status_display(),
                _("sent on"),
                timezone.localdate(r.created_at),
            )
            for r in rows
        ],
        reverse("linkage:contact_requests"),
        _("All contact requests"),
    )


def decisions_due(user: User, today: date) -> Worklist:
    """Cases whose latest identification decision is still pending, by its due date."""
    later = IdentificationDecision.objects.filter(
        case_id=OuterRef("case_id"), decided_at__gt=OuterRef("decided_at")
    )
    rows = (
        IdentificationDecision.objects.filter(
            case__in=visible_cases(user).exclude(status="closed"),
            status=IdentificationDecision.Status.PENDING,
        )
        .exclude(Exists(later))
        .select_related("case")
        .order_by("due_date", "pk")[:LIMIT]
    )
    return Worklist(
        "decisions_due",
        _("Identification decisions due"),
        [
            Item(
                reverse("cases:case", args=[d.case_id]),
                str(_("Case %(case)s")) % {"case": d.case.number},
                d.get_status_display(),
                _("final decision due by") if d.due_date else "",
                d.due_date,
                d.due_date is not None and d.due_date < today,
            )
            for d in rows
        ],
    )


def decisions_to_review(user: User) -> Worklist:
    """Negative decisions on presumed victims awaiting an independent second reviewer: never
    one the user took."""
    rows = (
        IdentificationDecision.objects.filter(
            case__in=visible_cases(user), review=IdentificationDecision.Review.AWAITING
        )
        .exclude(decided_by=user)
        .select_related("case")
        .order_by("decided_at", "pk")[:LIMIT]
    )
    return Worklist(
        "to_review",
        _("Decisions awaiting your second review"),
        [
            Item(
                reverse("cases:case", args=[d.case_id]),
                str(_("Case %(case)s")) % {"case": d.case.number},
                d.get_review_display(),
                _("decided on"),
                timezone.localdate(d.decided_at),
            )
            for d in rows
        ],
    )


def drafts(user: User) -> Worklist:
    """The user's own screenings not finalised yet."""
    rows = (
        visible_screenings(user)
        .filter(created_by=user, status=Screening.Status.DRAFT)
        .order_by("-updated_at", "-pk")[:LIMIT]
    )
    return Worklist(
        "drafts",
        _("Screenings to finish"),
        [
            Item(
                reverse("identification:screening", args=[s.pk]),
                str(_("Screening %(reference)s")) % {"reference": s.reference},
                s.get_status_display(),
                _("started on"),
                s.screened_on,
            )
            for s in rows
        ],
        reverse("identification:screenings"),
        _("All screenings"),
    )


def visits_this_week(user: User, today: date) -> Worklist:
    """Planned visits of the coming seven days: the region's for those who plan visits, the
    user's own team's for the others."""
    rows = monitoring_access.visible_visits(user).filter(
        status=Visit.Status.PLANNED,
        planned_on__gte=today,
        planned_on__lte=today + timedelta(days=WEEK - 1),
    )
    if not monitoring_access.can_plan(user):
        rows = rows.filter(members__user=user)
    return Worklist(
        "visits",
        _("Visits this week"),
        [
            Item(
                reverse("monitoring:visit", args=[v.pk]),
                v.facility.name,
                _("draft report") if v.has_draft else v.get_status_display(),
                _("planned for"),
                v.planned_on,
            )
            for v in rows.order_by("planned_on", "pk")[:LIMIT]
        ],
        reverse("monitoring:visits"),
        _("All visits"),
    )


def reports_to_finish(user: User, today: date) -> Worklist:
    """Reports being written (drafts) and visits whose day has passed without a report: the
    oldest first. Only a finished report takes a visit off this list."""
    rows = monitoring_access.visible_visits(user).filter(
        Q(draft_saved_at__isnull=False) | Q(planned_on__lt=today),
        status=Visit.Status.PLANNED,
    )
    return Worklist(
        "reports",
        _("Reports to finish"),
        [
            Item(
                reverse("monitoring:visit_report", args=[v.pk]),
                v.facility.name,
                _("draft report") if v.has_draft else _("no report yet"),
                _("planned for"),
                v.planned_on,
                v.planned_on < today,
            )
            for v in rows.order_by("planned_on", "pk")[:LIMIT]
        ],
        reverse("monitoring:visit_list") + "?status=planned",
        _("All planned visits"),
    )


def follow_ups_due(user: User, today: date) -> Worklist:
    """Open follow-up actions due within the week: the region's for those who plan visits,
    one's own for the others."""
    rows = monitoring_access.visible_actions(user).filter(
        status=FollowUpAction.Status.OPEN, due_on__lte=today + timedelta(days=WEEK - 1)
    )
    if not monitoring_access.can_plan(user):
        rows = rows.filter(owner=user)
    return Worklist(
        "follow_ups",
        _("Follow-up actions due"),
        [
            Item(
                reverse("monitoring:visit", args=[a.visit_id]),
                str(_("Follow-up of the visit to %(facility)s")) % {"facility": a.visit.facility},
                a.get_status_display(),
                _("due by"),
                a.due_on,
                a.due_on < today,
            )
            for a in rows.order_by("due_on", "pk")[:LIMIT]
        ],
        reverse("monitoring:follow_ups"),
        _("All follow-up actions"),
    )


def seminars_to_run(user: User, today: date) -> Worklist:
    rows = visible_seminars(user).filter(
        ends_on__gte=today, starts_on__lte=today + timedelta(days=SEMINAR_HORIZON_DAYS)
    )
    return Worklist(
        "seminars",
        _("Seminars to run"),
        [
            Item(
                reverse("training:seminar", args=[s.pk]),
                str(_("Seminar in %(city)s")) % {"city": s.city},
                str(_("running now")) if s.starts_on <= today else "",
                _("first day"),
                s.starts_on,
            )
            for s in rows.order_by("starts_on", "pk")[:LIMIT]
        ],
        reverse("training:home"),
        _("All seminars"),
    )


def tests_to_run(user: User, today: date) -> Worklist:
    """Tests of the seminars running now or soon, and any test still open to participants."""
    soon = Q(
        seminar__ends_on__gte=today,
        seminar__starts_on__lte=today + timedelta(days=SEMINAR_HORIZON_DAYS),
    )
    rows = KnowledgeTest.objects.filter(
        soon | Q(is_open=True), seminar__in=visible_seminars(user)
    ).select_related("seminar")
    return Worklist(
        "tests",
        _("Tests to run"),
        [
            Item(
                reverse("training:test", args=[t.seminar_id, t.pk]),
                str(_("%(kind)s, seminar in %(city)s"))
                % {"kind": t.get_kind_display(), "city": t.seminar.city},
                str(_("open for participants") if t.is_open else _("not open yet")),
                _("first day"),
                t.seminar.starts_on,
            )
            for t in rows.order_by("seminar__starts_on", "kind", "pk")[:LIMIT]
        ],
    )


def role_requests(user: User) -> Worklist:
    """Role changes another administrator asked for: they take effect once a second one
    approves."""
    rows = (
        RoleChangeRequest.objects.filter(status=RoleChangeRequest.Status.PENDING)
        .exclude(requested_by=user)
        .order_by("requested_at", "pk")[:LIMIT]
    )
    return Worklist(
        "role_requests",
        _("Role changes waiting for your approval"),
        [
            Item(
                reverse("accounts:user", args=[r.user_id]) + "#pending-role",
                str(_("Request #%(request)s: new role %(role)s"))
                % {"request": r.pk, "role": r.get_role_display()},
                r.get_status_display(),
                _("asked on"),
                timezone.localdate(r.requested_at),
            )
            for r in rows
        ],
        reverse("accounts:users") + "#pending-requests",
        _("All role change requests"),
    )


def home_for(user: User, today: date | None = None) -> Home:
    """The worklists and the main action of the user's role."""
    today = today or timezone.localdate()
    home = Home()
    lists = home.worklists
    role = user.role
    if not user.is_active:
        return home
    if role in (Role.SCREENER, Role.CASE_WORKER, Role.MONITOR):
        lists += [received_referrals(user, today), unanswered_referrals(user, today)]
        lists.append(reflection_ending(user, today))
        lists += [duplicates_to_review(user), contact_requests_to_decide(user)]
        if may_decide_identification(user):
            lists += [decisions_due(user, today), decisions_to_review(user)]
        if can_screen(user):
            lists.append(drafts(user))
    if role == Role.COORDINATOR:
        lists += [region_overdue_referrals(user, today), decisions_to_review(user)]
        lists += [decisions_due(user, today), reflection_ending(user, today)]
        lists += [duplicates_to_review(user), contact_requests_to_decide(user)]
    if monitoring_access.sees_visits(user) and role in (Role.MONITOR, Role.COORDINATOR):
        lists += [visits_this_week(user, today), reports_to_finish(user, today)]
        lists.append(follow_ups_due(user, today))
    elif monitoring_access.sees_visits(user):
        lists.append(follow_ups_due(user, today))
    if is_trainer(user):
        lists += [seminars_to_run(user, today), tests_to_run(user, today)]
    if role == Role.ADMINISTRATOR or user.is_superuser:
        lists.append(role_requests(user))
    _main_action(home, user)
    return home


def _main_action(home: Home, user: User) -> None:
    role = user.role
    if role == Role.SCREENER:
        home.main_action_url = reverse("identification:screening_new")
        home.main_action_label = _("Start a screening")
    elif role == Role.CASE_WORKER:
        home.main_action_url = reverse("referrals:referrals")
        home.main_action_label = _("See your agency's referrals")
    elif role == Role.MONITOR:
        home.main_action_url = reverse("monitoring:visit_new")
        home.main_action_label = _("Plan a visit")
    elif role == Role.COORDINATOR:
        home.main_action_url = reverse("cases:cases")
        home.main_action_label = _("See the region's cases")
    elif role == Role.TRAINER:
        home.main_action_url = reverse("training:seminar_new")
        home.main_action_label = _("Plan a seminar")
    elif role == Role.ANALYST:
        home.main_action_url = reverse("reports:dashboard")
        home.main_action_label = _("Open the statistics")
        home.links = [
            (reverse("reports:dashboard"), _("Statistics dashboard")),
            (reverse("reports:exports"), _("Exports of anonymised data")),
            (reverse("monitoring:overview"), _("Monitoring overview")),
        ]
    elif role == Role.NATIONAL_ADMIN:
        home.main_action_url = reverse("identification:checklist_versions")
        home.main_action_label = _("Checklist versions")
    elif role == Role.ADMINISTRATOR or user.is_superuser:
        home.main_action_url = reverse("accounts:users")
        home.main_action_label = _("Manage users, agencies and regions")
