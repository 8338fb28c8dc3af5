"""Monitoring pages. Thin views: access helper, form, named action, redirect."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import User
from tanu.audit.actions import record, record_read
from tanu.audit.models import Action, ObjectType
from tanu.identification.access import can_screen, visible_screenings
from tanu.lib.pagination import CappedPaginator
from tanu.lib.revisions import ConflictError
from tanu.monitoring import access, actions, forms, queries, report
from tanu.monitoring.models import Facility, FollowUpAction, Visit


def _errors(form: forms.forms.Form) -> str:
    return "; ".join(str(e) for errs in form.errors.values() for e in errs)


def _revision(form: forms.forms.Form) -> int | None:
    value = form.cleaned_data.get("revision")
    return int(value) if value else None


def _region_id(user: User) -> int:
    region_id = access.region_of(user)
    if region_id is None:
        raise Http404
    return region_id


def _month_link(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# The calendar and lists of visits


@login_required
@require_GET
def visit_calendar(request: HttpRequest) -> HttpResponse:
    """The planned and recorded visits of the user's region, month by month, with conflicts
    and overdue visits marked."""
    user = _user(request)
    if not access.sees_visits(user):
        raise Http404
    today = timezone.localdate()
    first = forms.parse_month(request.GET.get("month"), today)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    visits = access.visible_visits(user)
    entries = queries.calendar_entries(visits, first, last, today)
    overdue = list(
        visits.filter(status=Visit.Status.PLANNED, planned_on__lt=today).order_by("planned_on")[:50]
    )
    days = [(day, list(group)) for day, group in groupby(entries, key=lambda e: e.visit.day)]
    return render(
        request,
        "monitoring/calendar.html",
        {
            "month": first,
            "days": days,
            "overdue": overdue,
            "today": today,
            "previous": _month_link(first - timedelta(days=1)),
            "next": _month_link(last + timedelta(days=1)),
            "this_month": _month_link(today),
            "can_plan": access.can_plan(user),
            "conflict_count": sum(1 for e in entries if e.conflicts),
        },
    )


@login_required
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.sees_visits(user):
        raise Http404
    qs = access.visible_visits(user).order_by("-planned_on", "-pk")
    status = request.GET.get("status", "")
    if status in Visit.Status.values:
        qs = qs.filter(status=status)
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    found = queries.found_by_visit([v.pk for v in page.object_list])
    rows = [(v, found[v.pk]) for v in page.object_list]
    return render(
        request,
        "monitoring/visit_list.html",
        {
            "page": page,
            "rows": rows,
            "statuses": Visit.Status.choices,
            "status": status,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.can_plan(user):
        raise Http404
    region_id = _region_id(user)
    initial: dict[str, object] = {"team": [user.pk]}
    facility = request.GET.get("facility", "")
    if facility.isdigit() and len(facility) < 12:
        initial["facility"] = int(facility)
    form = forms.VisitPlanForm(request.POST or None, region_id=region_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            visit = actions.do_plan_visit(
                actor=user,
                facility=form.cleaned_data["facility"],
                planned_on=form.cleaned_data["planned_on"],
                purpose=form.cleaned_data["purpose"],
                announced=form.cleaned_data["announced"],
                team=form.cleaned_data["team"],
                request=request,
            )
        except actions.MonitoringError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The visit is planned."))
            _warn_conflicts(request, visit)
            return redirect("monitoring:visit", pk=visit.pk)
    return render(
        request,
        "monitoring/visit_plan.html",
        {"form": form, "visit": None},
        status=400 if request.method == "POST" else 200,
    )


def _day_conflicts(visit: Visit) -> list[str]:
    """The conflicts of a visit with the other visits of its region on its day."""
    same_day = queries.with_team(
        Visit.objects.filter(
            Q(planned_on=visit.day) | Q(visited_on=visit.day), region_id=visit.region_id
        )
    )
    return queries.conflicts([v for v in same_day if v.day == visit.day]).get(visit.pk, [])


def _warn_conflicts(request: HttpRequest, visit: Visit) -> None:
    for conflict in _day_conflicts(visit):
        messages.warning(request, _("Conflict: %(conflict)s.") % {"conflict": conflict})


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    visit = access.get_plannable_visit(user, pk)
    if visit.status != Visit.Status.PLANNED:
        messages.error(request, _("Only a planned visit can be re-planned."))
        return redirect("monitoring:visit", pk=visit.pk)
    initial = {
        "planned_on": visit.planned_on,
        "purpose": visit.purpose,
        "announced": visit.announced,
        "team": list(visit.members.values_list("user_id", flat=True)),
        "revision": visit.revision,
    }
    form = forms.VisitPlanForm(
        request.POST or None, region_id=visit.region_id, visit=visit, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            visit = actions.do_update_visit_plan(
                visit,
                actor=user,
                planned_on=form.cleaned_data["planned_on"],
                purpose=form.cleaned_data["purpose"],
                announced=form.cleaned_data["announced"],
                team=form.cleaned_data["team"],
                expected_revision=_revision(form),
                request=request,
            )
        except (actions.MonitoringError, ConflictError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The plan is saved."))
            _warn_conflicts(request, visit)
            return redirect("monitoring:visit", pk=visit.pk)
    return render(
        request,
        "monitoring/visit_plan.html",
        {"form": form, "visit": visit},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    visit = access.get_plannable_visit(user, pk)
    form = forms.CancelVisitForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Please correct the details: %(errors)s") % {"errors": _errors(form)}
        )
        return redirect("monitoring:visit", pk=visit.pk)
    try:
        actions.do_cancel_visit(
            visit,
            actor=user,
            reason=form.cleaned_data["reason"],
            expected_revision=_revision(form),
            request=request,
        )
    except (actions.MonitoringError, ConflictError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The visit is cancelled."))
    return redirect("monitoring:visit", pk=visit.pk)


# One visit


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    visit = access.get_visit_for_user(user, pk)
    record_read(ObjectType.VISIT, visit.pk, actor=user, request=request)
    planner = access.can_plan(user)
    screener = can_screen(user) and visit.status != Visit.Status.CANCELLED
    follow_ups = list(visit.follow_ups.select_related("owner", "owner__agency"))
    today = timezone.localdate()
    return render(
        request,
        "monitoring/visit_detail.html",
        {
            "visit": visit,
            "members": visit.members.select_related("user", "user__agency"),
            "found": queries.visit_found(visit),
            # Only the screenings the user may open are listed; the counts cover all of them.
            "screenings": visible_screenings(user)
            .filter(visit=visit)
            .exclude(status="superseded")
            .order_by("created_at"),
            "follow_ups": [(a, access.can_close_action(user, a)) for a in follow_ups],
            "conflicts": _day_conflicts(visit) if visit.status != Visit.Status.CANCELLED else [],
            "overdue": visit.is_overdue(today),
            "can_plan": planner,
            "can_screen": screener and visit.day <= today,
            "screening_form": forms.VisitScreeningForm() if screener else None,
            "follow_up_form": forms.FollowUpForm(region_id=visit.region_id) if planner else None,
            "cancel_form": forms.CancelVisitForm(initial={"revision": visit.revision})
            if planner and visit.status == Visit.Status.PLANNED
            else None,
            "complete_form": forms.CompleteActionForm(),
            "languages": report.LANGUAGES,
        },
    )


def _report_initial(visit: Visit) -> dict[str, object]:
    initial: dict[str, object] = dict(actions.draft_report(visit))
    if initial.get("visited_on") is None:
        initial["visited_on"] = min(visit.planned_on, timezone.localdate())
    initial["revision"] = visit.revision
    return initial


def _report_sections(form: forms.forms.Form) -> list[dict[str, object]]:
    """The report's sections with their fields, in order, each with its neighbours' ids."""
    titles = {
        "visit": _("The visit"),
        "people": _("People present"),
        "access": _("Access"),
        "observations": _("Observations"),
    }
    keys = [key for key, _fields in actions.REPORT_SECTIONS]
    return [
        {
            "key": key,
            "number": number,
            "title": titles[key],
            "fields": [form[name] for name in names],
            "previous": keys[number - 2] if number > 1 else "",
            "next": keys[number] if number < len(keys) else "finish",
        }
        for number, (key, names) in enumerate(actions.REPORT_SECTIONS, start=1)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def visit_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the report of a visit, one section at a time on a phone: each section's button
    saves the draft (the visit stays planned, nothing counts yet), and "Finish the report" is
    its own step. A recorded report is corrected here too, saved at once."""
    user = _user(request)
    visit = access.get_plannable_visit(user, pk)
    if visit.status == Visit.Status.CANCELLED:
        messages.error(request, _("A cancelled visit cannot be recorded."))
        return redirect("monitoring:visit", pk=visit.pk)
    drafting = visit.status == Visit.Status.PLANNED
    finishing = request.method == "POST" and (not drafting or "finish" in request.POST)
    form_class = forms.VisitReportForm if finishing else forms.VisitReportDraftForm
    form = form_class(request.POST or None, initial=_report_initial(visit))
    if request.method == "POST" and form.is_valid():
        try:
            if not drafting:
                actions.do_record_visit(
                    visit,
                    actor=user,
                    report=form.report(),  # type: ignore[attr-defined]
                    expected_revision=_revision(form),
                    request=request,
                )
            elif finishing:
                actions.do_finish_visit_report(
                    visit,
                    actor=user,
                    report=form.report(),  # type: ignore[attr-defined]
                    expected_revision=_revision(form),
                    request=request,
                )
            else:
                actions.do_save_visit_report_draft(
                    visit,
                    actor=user,
                    draft=form.draft(),  # type: ignore[attr-defined]
                    expected_revision=_revision(form),
                    request=request,
                )
        except ConflictError as exc:
            messages.error(request, str(exc))
            return redirect("monitoring:visit_report", pk=visit.pk)
        except actions.MonitoringError as exc:
            messages.error(request, str(exc))
        else:
            if finishing:
                messages.success(request, _("The visit report is saved."))
                return redirect("monitoring:visit", pk=visit.pk)
            messages.success(request, _("The draft is saved. The report is not finished yet."))
            step = request.POST.get("go", "")
            known = {key for key, _fields in actions.REPORT_SECTIONS} | {"finish"}
            anchor = f"#report-{step}" if step in known else ""
            return redirect(reverse("monitoring:visit_report", args=[visit.pk]) + anchor)
    return render(
        request,
        "monitoring/visit_report.html",
        {
            "form": form,
            "visit": visit,
            "drafting": drafting,
            "sections": _report_sections(form),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def visit_screening(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a screening of a person met during the visit, and go on to it."""
    user = _user(request)
    visit = access.get_visit_for_user(user, pk)
    if not can_screen(user):
        raise Http404
    form = forms.VisitScreeningForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Please correct the details: %(errors)s") % {"errors": _errors(form)}
        )
        return redirect("monitoring:visit", pk=visit.pk)
    try:
        screening = actions.do_start_visit_screening(
            visit, actor=user, request=request, **form.cleaned_data
        )
    except actions.MonitoringError as exc:
        messages.error(request, str(exc))
        return redirect("monitoring:visit", pk=visit.pk)
    messages.success(request, _("The screening is started from the visit."))
    return redirect("identification:screening", pk=screening.pk)


@login_required
@require_POST
def follow_up_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    visit = access.get_plannable_visit(user, pk)
    form = forms.FollowUpForm(request.POST, region_id=visit.region_id)
    if not form.is_valid():
        messages.error(
            request, _("Please correct the details: %(errors)s") % {"errors": _errors(form)}
        )
        return redirect("monitoring:visit", pk=visit.pk)
    try:
        actions.do_add_follow_up_action(visit, actor=user, request=request, **form.cleaned_data)
    except actions.MonitoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The follow-up action is added."))
    return redirect("monitoring:visit", pk=visit.pk)


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    follow_up = access.get_action_for_user(user, pk)
    if not access.can_close_action(user, follow_up):
        raise Http404
    form = forms.CompleteActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what was done."))
    else:
        try:
            actions.do_complete_follow_up_action(
                follow_up, actor=user, outcome=form.cleaned_data["outcome"], request=request
            )
        except actions.MonitoringError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The follow-up action is done."))
    if request.POST.get("next") == "actions":
        return redirect("monitoring:follow_ups")
    return redirect("monitoring:visit", pk=follow_up.visit_id)


@login_required
@require_GET
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """The follow-up actions of the region: open ones first, the overdue marked."""
    user = _user(request)
    if not access.sees_visits(user):
        raise Http404
    qs = access.visible_actions(user).order_by("due_on", "pk")
    status = request.GET.get("status", FollowUpAction.Status.OPEN)
    if status in FollowUpAction.Status.values:
        qs = qs.filter(status=status)
    if request.GET.get("mine") == "1":
        qs = qs.filter(owner=user)
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/follow_up_list.html",
        {
            "page": page,
            "rows": [(a, access.can_close_action(user, a)) for a in page.object_list],
            "status": status,
            "statuses": FollowUpAction.Status.choices,
            "mine": request.GET.get("mine") == "1",
            "today": timezone.localdate(),
            "complete_form": forms.CompleteActionForm(),
        },
    )


def _print_language(request: HttpRequest) -> str:
    requested = request.GET.get("lang", "")
    current = (translation.get_language() or "ru")[:2]
    return requested if requested in report.LANGUAGES else current


def _report_parts(visit: Visit) -> dict[str, object]:
    return {
        "found": queries.visit_found(visit),
        "members": list(visit.members.select_related("user", "user__agency")),
        "follow_ups": list(visit.follow_ups.select_related("owner", "owner__agency")),
    }


@login_required
@require_GET
def visit_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The report to print, in the language asked for (?lang=kk|ru|en)."""
    user = _user(request)
    visit = access.get_visit_for_user(user, pk)
    lang = _print_language(request)
    record_read(ObjectType.VISIT, visit.pk, actor=user, fields=["print"], request=request)
    parts = _report_parts(visit)
    with translation.override(lang):
        return render(
            request,
            "monitoring/visit_print.html",
            {
                "visit": visit,
                "title": report.title(visit),
                "sections": report.sections(visit, **parts),  # type: ignore[arg-type]
                "footer": report.footer(),
                "lang": lang,
                "languages": report.LANGUAGES,
            },
        )


@login_required
@require_GET
def visit_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    visit = access.get_visit_for_user(user, pk)
    lang = _print_language(request)
    record(
        Action.EXPORT,
        actor=user,
        object_type=ObjectType.VISIT,
        object_id=visit.pk,
        fields=["pdf"],
        request=request,
    )
    parts = _report_parts(visit)
    with translation.override(lang):
        content = report.render_pdf(visit, **parts)  # type: ignore[arg-type]
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="visit-{visit.pk}-{lang}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# The overview


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Aggregates only: analysts see every region, the region's officials their own."""
    user = _user(request)
    if access.sees_all_regions(user):
        visits = Visit.objects.all()
    elif access.sees_visits(user):
        visits = access.visible_visits(user)
    else:
        raise Http404
    form = forms.PeriodForm(request.GET or None)
    first, last = form.period()
    rows, total = queries.overview(visits, first, last, timezone.localdate())
    return render(
        request,
        "monitoring/overview.html",
        {
            "form": form,
            "first": first,
            "last": last,
            "rows": rows,
            "total": total,
            "all_regions": access.sees_all_regions(user),
            "links": access.sees_visits(user),
        },
    )


# The facility registry


@login_required
@require_GET
def facility_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not (access.sees_visits(user) or access.is_registry_admin(user)):
        raise Http404
    qs = access.visible_facilities(user).order_by("region__name_en", "kind", "name_ru", "pk")
    kind = request.GET.get("kind", "")
    if kind in Facility.Kind.values:
        qs = qs.filter(kind=kind)
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/facility_list.html",
        {
            "page": page,
            "kinds": Facility.Kind.choices,
            "kind": kind,
            "can_manage": access.can_manage_facilities(user),
            "can_plan": access.can_plan(user),
        },
    )


@login_required
@require_GET
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    facility = access.get_facility_for_user(user, pk)
    visits = (
        access.visible_visits(user).filter(facility=facility).order_by("-planned_on", "-pk")[:20]
        if access.sees_visits(user)
        else []
    )
    return render(
        request,
        "monitoring/facility_detail.html",
        {
            "facility": facility,
            "visits": visits,
            "sees_visits": access.sees_visits(user),
            "can_manage": access.can_manage_facilities(user),
            "can_plan": access.can_plan(user) and facility.is_active,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def facility_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.can_manage_facilities(user):
        raise Http404
    form = forms.FacilityForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            facility = actions.do_create_facility(
                actor=user, data=form.facility_data(), request=request
            )
        except actions.MonitoringError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The facility is registered."))
            return redirect("monitoring:facility", pk=facility.pk)
    return render(
        request,
        "monitoring/facility_form.html",
        {"form": form, "facility": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    facility = access.get_editable_facility(user, pk)
    form = forms.FacilityForm(
        request.POST or None, user=user, instance=Facility.objects.get(pk=facility.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_facility(
                facility, actor=user, data=form.facility_data(), request=request
            )
        except actions.MonitoringError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The facility is saved."))
            return redirect("monitoring:facility", pk=facility.pk)
    return render(
        request,
        "monitoring/facility_form.html",
        {"form": form, "facility": facility},
        status=400 if request.method == "POST" else 200,
    )
