"""Pages for trainers, administrators and analysts: seminars, agenda, participants, attendance,
tests, certificates, the question bank, scenario keys and results. Thin views: access helper,
form, named action, redirect. The participants' own pages (no account) are in ``public.py``."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import User
from tanu.audit.actions import record, record_read
from tanu.audit.models import Action, ObjectType
from tanu.identification import catalogue, presentation
from tanu.referrals.models import Service
from tanu.training import access, actions, charts, exercises, forms, results
from tanu.training.certificates import LANGUAGES, render_certificate
from tanu.training.codes import grouped
from tanu.training.models import (
    AgendaSession,
    Attempt,
    Certificate,
    ExerciseAttempt,
    KnowledgeTest,
    Objective,
    Participant,
    Question,
)


def _errors(form: Any) -> str:
    return "; ".join(str(e) for errs in form.errors.values() for e in errs)


def posted(request: HttpRequest) -> Any:
    """The posted data for a form, even when empty (an unticked list is an answer too)."""
    return request.POST if request.method == "POST" else None


def qr_data_uri(url: str) -> str:
    return str(segno.make_qr(url).svg_data_uri(scale=4, border=2))


# ---------------------------------------------------------------------------------------------
# Start page and seminars


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
        page = Paginator(seminars, 25).get_page(request.GET.get("page"))
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


@login_required
@require_http_methods(["GET", "POST"])
def seminar_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require(access.can_manage(user))
    form = forms.SeminarForm(posted(request))
    if request.method == "POST" and form.is_valid():
        seminar = actions.do_create_seminar(
            actor=user,
            data=form.cleaned_data,
            trainers=form.cleaned_data["trainers"],
            request=request,
        )
        messages.success(request, _("The seminar is created. Now add the agenda and participants."))
        return redirect("training:seminar", pk=seminar.pk)
    return render(
        request,
        "training/seminar_form.html",
        {"form": form, "seminar": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def seminar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    seminar = access.get_seminar_for_user(user, pk)
    form = forms.SeminarForm(posted(request), instance=seminar)
    if request.method == "POST" and form.is_valid():
        actions.do_update_seminar(
            seminar,
            actor=user,
            data=form.cleaned_data,
            trainers=form.cleaned_data["trainers"],
            request=request,
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
        {"seminar": seminar, "session": session, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    seminar = access.get_seminar_for_user(user, pk)
    form = forms.ParticipantForm(posted(request), region=seminar.region)
    if request.method == "POST" and form.is_valid():
        actions.do_add_participant(
            seminar, actor=user, data=form.participant_data(), request=request
        )
        messages.success(request, _("The participant is added."))
        if request.POST.get("another") == "1":
            return redirect("training:participant_new", pk=seminar.pk)
        return redirect("training:seminar", pk=seminar.pk)
    return render(
        request,
        "training/participant_form.html",
        {"form": form, "seminar": seminar, "participant": None},
        status=400 if form.errors else 200,
    )


def _participant(seminar_pk: int, user: User, participant_pk: int) -> Participant:
    seminar = access.get_seminar_for_user(user, seminar_pk)
    participant = (
        Participant.objects.select_related("seminar", "agency", "user")
        .filter(seminar=seminar, pk=participant_pk)
        .first()
    )
    if participant is None:
        raise Http404
    return participant


@login_required
@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    user = _user(request)
    participant = _participant(pk, user, participant_pk)
    seminar = participant.seminar
    form = forms.ParticipantForm(
        posted(request),
        region=seminar.region,
        initial=forms.ParticipantForm.initial_for(participant),
    )
    if request.method == "POST" and form.is_valid():
        actions.do_update_participant(
            participant, actor=user, data=form.participant_data(), request=request
        )
        messages.success(request, _("Saved."))
        return redirect("training:seminar", pk=seminar.pk)
    return render(
        request,
        "training/participant_form.html",
        {"form": form, "seminar": seminar, "participant": participant},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def slips(request: HttpRequest, pk: int) -> HttpResponse:
    """Printable slips: each participant's personal code and a QR code to their own page."""
    user = _user(request)
    seminar = access.get_seminar_for_user(user, pk)
    people = []
    for participant in seminar.participants.order_by("pk"):
        url = request.build_absolute_uri(
            reverse("training:participant_link", args=[participant.code])
        )
        people.append(
            {
                "participant": participant,
                "code": grouped(participant.code),
                "url": url,
                "qr": qr_data_uri(url),
            }
        )
    record(
        Action.EXPORT,
        actor=user,
        object_type=ObjectType.SEMINAR_PARTICIPANTS,
        object_id=seminar.pk,
        fields=["full_name", "code"],
        request=request,
    )
    return render(request, "training/slips.html", {"seminar": seminar, "people": people})


@login_required
@require_POST
def test_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    seminar = access.get_seminar_for_user(user, pk)
    form = forms.KnowledgeTestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("training:seminar", pk=seminar.pk)
    try:
        test = actions.do_create_test(seminar, actor=user, data=form.cleaned_data, request=request)
    except actions.TrainingError as exc:
        messages.error(request, str(exc))
        return redirect("training:seminar", pk=seminar.pk)
    messages.success(
        request, _("The test is ready. Open it when the participants are in the room.")
    )
    return redirect("training:test", pk=seminar.pk, test_pk=test.pk)


def _test(user: User, pk: int, test_pk: int) -> KnowledgeTest:
    seminar = access.get_seminar_for_user(user, pk)
    test = (
        KnowledgeTest.objects.select_related("seminar").filter(seminar=seminar, pk=test_pk).first()
    )
    if test is None:
        raise Http404
    return test


@login_required
@require_GET
def test_detail(request: HttpRequest, pk: int, test_pk: int) -> HttpResponse:
    user = _user(request)
    test = _test(user, pk, test_pk)
    url = request.build_absolute_uri(reverse("training:take", args=[test.code]))
    attempts = Attempt.objects.filter(test=test).select_related("participant").order_by("pk")
    record_read(
        ObjectType.TRAINING_TEST_RESULTS,
        test.pk,
        actor=user,
        fields=["full_name", "score"],
        request=request,
    )
    return render(
        request,
        "training/test_detail.html",
        {
            "seminar": test.seminar,
            "test": test,
            "url": url,
            "qr": qr_data_uri(url),
            "code": grouped(test.code),
            "attempts": attempts,
            "objective_names": [
                str(dict(Objective.choices).get(o, o)) for o in test.objectives or []
            ],
        },
    )


@login_required
@require_POST
def test_toggle(request: HttpRequest, pk: int, test_pk: int) -> HttpResponse:
    user = _user(request)
    test = _test(user, pk, test_pk)
    is_open = request.POST.get("open") == "1"
    actions.do_set_test_open(test, actor=user, is_open=is_open, request=request)
    messages.success(request, _("The test is open.") if is_open else _("The test is closed."))
    return redirect("training:test", pk=pk, test_pk=test_pk)


@login_required
@require_POST
def certificates_issue(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    seminar = access.get_seminar_for_user(user, pk)
    issued = actions.do_issue_certificates(seminar, actor=user, request=request)
    messages.success(request, _("%(n)s certificates issued.") % {"n": len(issued)})
    return redirect("training:seminar", pk=seminar.pk)


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    user = _user(request)
    participant = _participant(pk, user, participant_pk)
    certificate = Certificate.objects.filter(participant=participant).first()
    if certificate is None:
        raise Http404
    actions.do_revoke_certificate(certificate, actor=user, request=request)
    messages.success(request, _("The certificate is revoked."))
    return redirect("training:seminar", pk=pk)


def certificate_response(certificate: Certificate, lang: str) -> HttpResponse:
    standing = next(
        s
        for s in actions.standings(certificate.participant.seminar)
        if s.participant.pk == certificate.participant_id
    )
    pdf = render_certificate(certificate, standing, lang)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.code}-{lang}.pdf"'
    )
    return response


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, pk: int, participant_pk: int, lang: str) -> HttpResponse:
    user = _user(request)
    participant = _participant(pk, user, participant_pk)
    certificate = (
        Certificate.objects.filter(participant=participant)
        .select_related("participant__seminar", "participant__agency")
        .first()
    )
    if certificate is None or lang not in LANGUAGES:
        raise Http404
    record(
        Action.EXPORT,
        actor=user,
        object_type=ObjectType.TRAINING_CERTIFICATE,
        object_id=certificate.pk,
        request=request,
    )
    return certificate_response(certificate, lang)


# ---------------------------------------------------------------------------------------------
# Question bank


@login_required
@require_GET
def question_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require(access.can_manage(user))
    qs = Question.objects.annotate(option_count=Count("options")).order_by("pk")
    objective = request.GET.get("objective", "")
    kind = request.GET.get("kind", "")
    if kind in Question.Kind.values:
        qs = qs.filter(kind=kind)
    rows = list(qs)
    if objective in Objective.values:  # JSON lists: filtered here, the bank is small
        rows = [q for q in rows if objective in (q.objectives or [])]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "training/question_list.html",
        {
            "page": page,
            "objectives": Objective.choices,
            "objective_labels": dict(Objective.choices),
            "kinds": Question.Kind.choices,
            "objective": objective,
            "kind": kind,
        },
    )


def _question_form(request: HttpRequest, question: Question | None) -> HttpResponse:
    user = _user(request)
    initial = forms.QuestionForm.initial_for(question) if question else {"is_active": True}
    form = forms.QuestionForm(posted(request), initial=initial)
    options = forms.OptionFormSet(
        posted(request), prefix="opt", initial=forms.option_initial(question)
    )
    problems: list[str] = []
    if request.method == "POST":
        form_ok = form.is_valid()
        options_ok = options.is_valid()
        if form_ok and options_ok:
            rows = [o.cleaned_data for o in options.forms if o.cleaned_data and not o.is_blank()]
            problems = forms.check_options(form.cleaned_data["kind"], rows)
            if not problems:
                try:
                    saved = actions.do_save_question(
                        actor=user,
                        data=form.cleaned_data,
                        options=rows,
                        question=question,
                        request=request,
                    )
                except actions.TrainingError as exc:
                    problems = [str(exc)]
                else:
                    messages.success(request, _("The question is saved."))
                    return redirect("training:question_edit", pk=saved.pk)
        elif options.non_form_errors():
            problems = [str(e) for e in options.non_form_errors()]
    return render(
        request,
        "training/question_form.html",
        {"form": form, "options": options, "question": question, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage(_user(request)))
    return _question_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = access.get_question_for_user(_user(request), pk)
    return _question_form(request, question)


# ---------------------------------------------------------------------------------------------
# Scenario exercises (practice for signed-in officials; keys for trainers)


@login_required
@require_GET
def exercise_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require(access.can_practise(user))
    return render(
        request,
        "training/exercise_list.html",
        {
            "scenarios": exercises.all_scenarios(),
            "can_manage": access.can_manage(user),
            "base": "training:exercise",
        },
    )


def exercise_context(scenario: exercises.Scenario, form: forms.ExerciseForm) -> dict[str, Any]:
    row = catalogue.current_versions()[scenario.checklist]
    chosen = set(form["observed"].value() or []) if form.is_bound else set()
    groups = presentation.grouped_indicators([row], {code: "observed" for code in chosen})
    return {"scenario": scenario, "form": form, "groups": groups, "checklist": row}


def exercise_codes(scenario: exercises.Scenario) -> list[str]:
    row = catalogue.current_versions()[scenario.checklist]
    return [ind["code"] for ind in row.data["indicators"]]


def exercise_result_context(attempt: ExerciseAttempt) -> dict[str, Any]:
    scenario = exercises.get_scenario(attempt.scenario)
    if scenario is None:
        raise Http404
    labels = results.indicator_label
    result = scenario.score(attempt.observed, attempt.outcome, attempt.referrals)
    kinds = dict(Service.Kind.choices)
    return {
        "scenario": scenario,
        "attempt": attempt,
        "result": result,
        "found": [{"code": c, "label": labels(c), "why": scenario.why(c)} for c in result.found],
        "missed": [{"code": c, "label": labels(c), "why": scenario.why(c)} for c in result.missed],
        "extra": [{"code": c, "label": labels(c)} for c in result.extra],
        "key_outcome": forms.OUTCOME_LABELS[scenario.key_outcome],
        "your_outcome": forms.OUTCOME_LABELS.get(attempt.outcome, attempt.outcome),
        "key_referrals": [kinds.get(k, k) for k in scenario.key_referrals],
        "referrals_missed": [kinds.get(k, k) for k in result.referrals_missed],
        "referrals_extra": [kinds.get(k, k) for k in result.referrals_extra],
    }


@login_required
@require_http_methods(["GET", "POST"])
def exercise(request: HttpRequest, scenario_id: str) -> HttpResponse:
    user = _user(request)
    access.require(access.can_practise(user))
    scenario = exercises.get_scenario(scenario_id)
    if scenario is None:
        raise Http404
    form = forms.ExerciseForm(posted(request), codes=exercise_codes(scenario))
    if request.method == "POST" and form.is_valid():
        attempt = actions.do_submit_exercise(
            scenario,
            observed=form.cleaned_data["observed"],
            outcome=form.cleaned_data["outcome"],
            referrals=form.cleaned_data["referrals"],
            user=user,
            request=request,
        )
        return redirect("training:exercise_result", pk=attempt.pk)
    context = exercise_context(scenario, form)
    context["action"] = reverse("training:exercise", args=[scenario.id])
    return render(request, "training/exercise.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def exercise_result(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    attempt = ExerciseAttempt.objects.filter(pk=pk, user=user).first()
    if attempt is None:
        raise Http404
    context = exercise_result_context(attempt)
    context["again"] = reverse("training:exercise", args=[attempt.scenario])
    context["back"] = reverse("training:exercises")
    return render(request, "training/exercise_result.html", context)


@login_required
@require_GET
def exercise_key(request: HttpRequest, scenario_id: str) -> HttpResponse:
    user = _user(request)
    access.require(access.can_manage(user))
    scenario = exercises.get_scenario(scenario_id)
    if scenario is None:
        raise Http404
    kinds = dict(Service.Kind.choices)
    return render(
        request,
        "training/exercise_key.html",
        {
            "scenario": scenario,
            "key": [
                {"code": c, "label": results.indicator_label(c), "why": scenario.why(c)}
                for c in scenario.key_observed
            ],
            "outcome": forms.OUTCOME_LABELS[scenario.key_outcome],
            "referrals": [kinds.get(k, k) for k in scenario.key_referrals],
        },
    )


# ---------------------------------------------------------------------------------------------
# Results


def _results_scope(request: HttpRequest) -> tuple[Any, forms.ResultsFilterForm, dict[str, Any]]:
    user = _user(request)
    access.require(access.can_see_results(user))
    seminars = access.results_seminars(user)
    form = forms.ResultsFilterForm(request.GET or None, seminars=seminars)
    return seminars, form, form.filters() if request.GET else {}


SERIES_KEYS = ("pre", "post", "retest")


def _series_labels() -> list[str]:
    return [_("Pre-test"), _("Post-test"), _("Retest")]


def _summary_chart(title: str, rows: list[Any], chart_id: str) -> Any:
    groups = [
        charts.Group(
            row.label,
            [row.pre, row.post, row.retest],
            note=_("gain %(g)s") % {"g": f"{row.gain:.2f}"} if row.gain is not None else "",
        )
        for row in rows
    ]
    return charts.bar_chart(
        title, _series_labels(), groups, chart_id=chart_id, empty_text=_("No results yet.")
    )


@login_required
@require_GET
def results_page(request: HttpRequest) -> HttpResponse:
    seminars, form, filters = _results_scope(request)
    summary = results.summaries(seminars, filters)
    missed = results.missed_indicators(seminars, filters)
    surveys = results.survey_means(seminars, filters)
    query = request.GET.urlencode()
    return render(
        request,
        "training/results.html",
        {
            "form": form,
            "summary": summary,
            "query": query,
            "tables": [
                ("by_seminar", _("By seminar"), summary.by_seminar),
                ("by_region", _("By region"), summary.by_region),
                ("by_role", _("By role"), summary.by_role),
            ],
            "charts": {
                "by_seminar": _summary_chart(
                    _("Mean scores by seminar"), summary.by_seminar, "c-seminar"
                ),
                "by_region": _summary_chart(
                    _("Mean scores by region"), summary.by_region, "c-region"
                ),
                "by_role": _summary_chart(_("Mean scores by role"), summary.by_role, "c-role"),
                "missed": charts.bar_chart(
                    _("Indicators missed most often in exercises"),
                    [_("Missed")],
                    [charts.Group(f"{r.code} {r.label}", [100 * r.rate]) for r in missed],
                    chart_id="c-missed",
                    empty_text=_("No exercises done yet."),
                ),
            },
            "missed": missed,
            "surveys": surveys,
        },
    )


@login_required
@require_GET
def items_page(request: HttpRequest) -> HttpResponse:
    seminars, form, filters = _results_scope(request)
    rows = results.items(seminars, filters)
    flag_labels = {
        "too_hard": _("too hard"),
        "too_easy": _("too easy"),
        "low_discrimination": _("does not discriminate"),
    }
    chart = charts.bar_chart(
        _("Facility index by question"),
        [_("Facility")],
        [
            charts.Group(
                f"Q{r.question.pk}",
                [100 * r.stats.facility if r.stats.facility is not None else None],
                note=("⚑ " + ", ".join(str(flag_labels[f]) for f in r.stats.flags))
                if r.stats.flags
                else "",
            )
            for r in rows
        ],
        chart_id="c-items",
        empty_text=_("No submitted tests yet."),
    )
    return render(
        request,
        "training/items.html",
        {
            "form": form,
            "rows": rows,
            "chart": chart,
            "flag_labels": flag_labels,
            "query": request.GET.urlencode(),
            "can_edit": access.can_manage(_user(request)),
        },
    )


def _fmt(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _summary_row(g: Any) -> list[object]:
    return [
        g.label,
        g.participants,
        g.n_pre,
        _fmt(g.pre),
        g.n_post,
        _fmt(g.post),
        g.n_retest,
        _fmt(g.retest),
        g.n_gain,
        _fmt(g.gain),
        _fmt(g.retained_gain),
    ]


@login_required
@require_GET
def results_csv(request: HttpRequest, name: str) -> HttpResponse:
    seminars, _form, filters = _results_scope(request)
    header: list[str]
    rows: list[list[object]]
    if name in ("by_seminar", "by_region", "by_role"):
        summary = results.summaries(seminars, filters)
        groups = getattr(summary, name)
        header = [
            "group",
            "participants",
            "n_pre",
            "mean_pre",
            "n_post",
            "mean_post",
            "n_retest",
            "mean_retest",
            "n_pre_and_post",
            "normalised_gain",
            "retained_gain",
        ]
        rows = [_summary_row(g) for g in groups]
    elif name == "items":
        header = ["question", "n", "facility", "discrimination", "flags", "text"]
        rows = [
            [
                r.question.pk,
                r.stats.n,
                _fmt(r.stats.facility),
                _fmt(r.stats.discrimination),
                " ".join(r.stats.flags),
                r.question.text,
            ]
            for r in results.items(seminars, filters)
        ]
    elif name == "missed":
        header = ["indicator", "label", "missed", "in_key", "miss_rate"]
        rows = [
            [r.code, r.label, r.missed, r.seen, _fmt(r.rate)]
            for r in results.missed_indicators(seminars, filters, limit=1000)
        ]
    elif name == "surveys":
        header = ["survey", "question", "mean", "n", "scale"]
        rows = [
            [r.kind, r.key, _fmt(r.mean), r.n, r.scale]
            for r in results.survey_means(seminars, filters)
        ]
    else:
        raise Http404
    record(
        Action.EXPORT,
        actor=_user(request),
        object_type=ObjectType.TRAINING_RESULTS,
        object_id=name,
        request=request,
    )
    return charts.csv_response(f"tanu-training-{name}.csv", header, rows)
