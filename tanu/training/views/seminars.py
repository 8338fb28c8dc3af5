"""Seminars for trainers and administrators: the training start page, a seminar's details, its
agenda (sessions) and the attendance at each session."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import User
from tanu.audit.actions import record_read
from tanu.audit.models import ObjectType
from tanu.lib.pagination import CappedPaginator
from tanu.training import access, actions, forms
from tanu.training.certificates import LANGUAGES
from tanu.training.models import AgendaSession, Participant, Seminar
from tanu.training.views.common import _errors, posted


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = None
    if access.can_manage(user):
        seminars = (
            access.visible_seminars(user)
            .annotate(participant_count=Count("participants", distinct=True))
            .prefetch_related(Prefetch("trainers", queryset=User.objects.order_by("username")))
            .order_by("-starts_on", "-pk")
        )
        page = CappedPaginator(seminars, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "training/home.html",
        {
            "page": page,
            "can_manage": access.can_manage(user),
            "can_see_results": access.can_see_results(user),
            "can_practise": access.can_practise(user),
            "is_participant": Participant.objects.filter(user=user).exists(),
        },
    )


def _seminar_form(request: HttpRequest, seminar: Seminar | None) -> HttpResponse:
    """The seminar form: a new seminar (``seminar`` is None) or an existing one's details."""
    user = _user(request)
    form = forms.SeminarForm(posted(request), instance=seminar)
    if request.method == "POST" and form.is_valid():
        data, trainers = form.cleaned_data, form.cleaned_data["trainers"]
        if seminar is None:
            seminar = actions.do_create_seminar(
                actor=user, data=data, trainers=trainers, request=request
            )
            messages.success(
                request, _("The seminar is created. Now add the agenda and participants.")
            )
        else:
            actions.do_update_seminar(
                seminar, actor=user, data=data, trainers=trainers, request=request
            )
            messages.success(request, _("Saved."))
        return redirect("training:seminar", pk=seminar.pk)
    return render(
        request,
        "training/seminar_form.html",
        {"form": form, "seminar": seminar},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def seminar_new(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage(_user(request)))
    return _seminar_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def seminar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _seminar_form(request, access.get_seminar_for_user(_user(request), pk))


@login_required
@require_GET
def seminar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    seminar = access.get_seminar_for_user(user, pk)
    standings = actions.standings(seminar)
    record_read(
        ObjectType.SEMINAR_PARTICIPANTS,
        seminar.pk,
        actor=user,
        fields=["full_name", "position"],
        request=request,
    )
    return render(
        request,
        "training/seminar_detail.html",
        {
            "seminar": seminar,
            "trainers": seminar.trainers.order_by("username"),
            "sessions": seminar.sessions.all(),
            "standings": standings,
            "eligible": {s.participant.pk for s in standings if s.eligible(seminar)},
            "tests": seminar.tests.annotate(
                attempt_count=Count("attempts", distinct=True)
            ).order_by("pk"),
            "session_form": forms.SessionForm(),
            "test_form": forms.KnowledgeTestForm(),
            "languages": LANGUAGES,
        },
    )


@login_required
@require_POST
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    seminar = access.get_seminar_for_user(user, pk)
    form = forms.SessionForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_session(seminar, actor=user, data=form.cleaned_data, request=request)
        except actions.TrainingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The session is added to the agenda."))
    else:
        messages.error(request, _errors(form))
    return redirect("training:seminar", pk=seminar.pk)


@login_required
@require_POST
def session_delete(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    user = _user(request)
    seminar = access.get_seminar_for_user(user, pk)
    session = seminar.sessions.filter(pk=session_pk).first()
    if session is None:
        raise Http404
    try:
        actions.do_delete_session(session, actor=user, request=request)
    except actions.TrainingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The session is removed from the agenda."))
    return redirect("training:seminar", pk=seminar.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    user = _user(request)
    seminar = access.get_seminar_for_user(user, pk)
    session: AgendaSession | None = seminar.sessions.filter(pk=session_pk).first()
    if session is None:
        raise Http404
    people = list(seminar.participants.order_by("pk"))
    present = [
        str(pk)
        for pk in session.attendance.filter(present=True).values_list("participant_id", flat=True)
    ]
    for person in people:
        person.is_present = str(person.pk) in present  # type: ignore[attr-defined]
    form = forms.AttendanceForm(posted(request), participants=people, initial={"present": present})
    if request.method == "POST" and form.is_valid():
        count = actions.do_record_attendance(
            session, actor=user, present=form.present_ids(), request=request
        )
        messages.success(
            request,
            _("Attendance saved: %(n)s of %(total)s present.") % {"n": count, "total": len(people)},
        )
        return redirect("training:seminar", pk=seminar.pk)
    return render(
        request,
        "training/attendance.html",
        {"seminar": seminar, "session": session, "form": form, "people": people},
        status=400 if form.errors else 200,
    )
