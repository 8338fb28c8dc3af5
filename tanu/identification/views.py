"""Screening pages: thin views (access helper, form, action, redirect)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tanu.accounts.access import current_user as _user
from tanu.identification import actions, catalogue, presentation, rules
from tanu.identification.access import (
    can_screen,
    get_editable_screening,
    get_screening_for_user,
    visible_screenings,
)
from tanu.identification.checklist_files import load_triage
from tanu.identification.forms import (
    FinaliseForm,
    RevisionForm,
    ScreeningContextForm,
    parse_answers,
)
from tanu.identification.models import Answer, Screening
from tanu.identification.triage import triage_result
from tanu.lib.pagination import CappedPaginator
from tanu.lib.revisions import ConflictError


def _screening_context(screening: Screening) -> dict[str, object]:
    rows = list(screening.checklist_versions.all()) if not screening.is_editable else []
    if not rows:
        rows = catalogue.lists_for(screening.age_group, screening.form, screening.screened_on)
    result = screening.result
    if screening.is_editable and "enough_asked" not in (result or {}):
        # A draft assessed before "enough asked" existed: show it on today's rule.
        result = actions.assess_screening(screening).to_dict()
    groups = presentation.grouped_indicators(rows, screening.answers)
    return {
        "screening": screening,
        "groups": groups,
        "pages": presentation.dimension_pages(groups),
        "progress": presentation.progress(groups),
        "result": presentation.result_view(result, rows),
        "answer_choices": Answer.choices,
        "versions": rows,
    }


@login_required
@require_GET
def screening_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.handles_cases:
        raise Http404
    qs = visible_screenings(user).exclude(status=Screening.Status.SUPERSEDED)
    page = CappedPaginator(qs.order_by("-created_at"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "identification/screening_list.html",
        {"page": page, "can_screen": can_screen(user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def screening_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can_screen(user):
        raise Http404
    paper = request.GET.get("paper") == "1" or request.POST.get("paper") == "1"
    form = ScreeningContextForm(request.POST or None, paper=paper)
    if request.method == "POST" and form.is_valid():
        try:
            screening = actions.do_start_screening(
                actor=user,
                context=form.cleaned_data,
                source=Screening.Source.PAPER if paper else Screening.Source.WEB,
                request=request,
            )
        except actions.ScreeningError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("identification:screening", pk=screening.pk)
    return render(
        request,
        "identification/screening_new.html",
        {"form": form, "paper": paper},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def screening_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    screening = get_screening_for_user(user, pk)
    actions.record_read(screening, actor=user, request=request)
    context = _screening_context(screening)
    context["editable"] = screening.is_editable and screening.agency_id == user.agency_id
    context["context_form"] = ScreeningContextForm(instance=screening)
    context["finalise_form"] = FinaliseForm(
        initial={"revision": screening.revision, "judgement": screening.judgement}
    )
    context["correction"] = Screening.objects.filter(supersedes=screening).first()
    context["case_openable"] = rules.case_openable(screening)
    # The services themselves come from referrals, as fragments the page loads.
    context["suggests_services"] = rules.suggests_services(screening)
    context["offer_child_protection"] = rules.offers_child_protection(screening)
    return render(request, "identification/screening_detail.html", context)


@login_required
@require_POST
def screening_answers(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    screening = get_editable_screening(user, pk)
    rows = catalogue.lists_for(screening.age_group, screening.form, screening.screened_on)
    codes = {ind["code"] for row in rows for ind in row.data["indicators"]}
    answers = parse_answers(request.POST, codes)
    revision = RevisionForm(request.POST)
    expected = revision.cleaned_data.get("revision") if revision.is_valid() else None
    error = ""
    try:
        screening = actions.do_record_answers(
            screening,
            actor=user,
            answers=answers,
            # Whole-form saves (no JavaScript) check the revision; single htmx answers merge.
            expected_revision=None if getattr(request, "htmx", False) else expected,
            request=request,
        )
    except (actions.ScreeningError, ConflictError) as exc:
        error = str(exc)
        screening = get_screening_for_user(user, pk)
    if getattr(request, "htmx", False):
        context = _screening_context(screening)
        context["error"] = error
        # The panel and, out of band, the compact bar that phones keep in view.
        response = render(request, "identification/_answer_response.html", context)
        if error:
            # The page marks the answer just given as not saved.
            response["HX-Trigger"] = "tanu-answer-not-saved"
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Answers saved."))
    return redirect("identification:screening", pk=pk)


@login_required
@require_POST
def screening_context_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    screening = get_editable_screening(user, pk)
    form = ScreeningContextForm(request.POST, instance=Screening.objects.get(pk=screening.pk))
    revision = RevisionForm(request.POST)
    if form.is_valid() and revision.is_valid():
        try:
            actions.do_update_screening_context(
                screening,
                actor=user,
                context=form.cleaned_data,
                expected_revision=revision.cleaned_data.get("revision"),
                request=request,
            )
            messages.success(request, _("Details saved."))
        except (actions.ScreeningError, ConflictError) as exc:
            messages.error(request, str(exc))
    else:
        messages.error(
            request,
            _("Please correct the details: %(errors)s")
            % {"errors": "; ".join(str(e) for errs in form.errors.values() for e in errs)},
        )
    return redirect("identification:screening", pk=pk)


@login_required
@require_POST
def screening_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    screening = get_editable_screening(user, pk)
    form = FinaliseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose your own judgement before finalising."))
        return redirect("identification:screening", pk=pk)
    try:
        actions.do_finalise_screening(
            screening,
            actor=user,
            judgement=form.cleaned_data["judgement"],
            notes=form.cleaned_data["notes"],
            expected_revision=form.cleaned_data["revision"],
            stop_reason=form.cleaned_data["stop_reason"],
            stop_note=form.cleaned_data["stop_note"],
            request=request,
        )
    except (actions.ScreeningError, ConflictError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The screening is finalised."))
    return redirect("identification:screening", pk=pk)


@login_required
@require_POST
def screening_correct(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    screening = get_screening_for_user(user, pk)
    if screening.agency_id != user.agency_id or not can_screen(user):
        raise Http404
    try:
        correction = actions.do_correct_screening(screening, actor=user, request=request)
    except actions.ScreeningError as exc:
        messages.error(request, str(exc))
        return redirect("identification:screening", pk=pk)
    messages.info(request, _("This is a correction. The original stays on record."))
    return redirect("identification:screening", pk=correction.pk)


@login_required
@require_GET
def screening_print(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    screening = get_screening_for_user(user, pk)
    actions.record_read(screening, actor=user, request=request, fields=["print"])
    return render(request, "identification/screening_print.html", _screening_context(screening))


def _print_language(request: HttpRequest) -> str:
    requested = request.GET.get("lang", "")
    return requested if requested in ("kk", "ru", "en") else presentation.lang()


@login_required
@require_GET
def checklist_list(request: HttpRequest) -> HttpResponse:
    versions = sorted(catalogue.current_versions().values(), key=lambda r: r.checklist_id)
    return render(request, "identification/checklist_list.html", {"versions": versions})


@login_required
@require_GET
def checklist_blank(request: HttpRequest, checklist_id: str) -> HttpResponse:
    row = catalogue.get_version(checklist_id)
    if row is None:
        raise Http404
    with translation.override(_print_language(request)):
        return render(
            request,
            "identification/checklist_blank.html",
            {
                "version": row,
                "groups": presentation.grouped_indicators([row]),
                "answer_choices": Answer.choices,
            },
        )


def _for_child(request: HttpRequest) -> bool:
    return request.GET.get("for") == "child"


def _triage_texts(data: dict[str, Any], child: bool) -> tuple[str, list[dict[str, str]]]:
    """The title and the questions, in the child's words when asked (docs/glossary.md: plain
    words, the informal «сен» / «ты»); a question without a child version keeps its own."""
    title = data.get("title_child", data["title"]) if child else data["title"]
    questions = [
        {
            "code": q["code"],
            "text": presentation.text(q.get("child", q["text"]) if child else q["text"]),
        }
        for q in data["questions"]
    ]
    return presentation.text(title), questions


@login_required
@require_http_methods(["GET", "POST"])
def triage(request: HttpRequest) -> HttpResponse:
    data = load_triage()
    child = _for_child(request)
    title, questions = _triage_texts(data, child)
    result = None
    if request.method == "POST":
        yes = {q["code"] for q in data["questions"] if request.POST.get(q["code"]) == "yes"}
        result = triage_result(data, yes)
    return render(
        request,
        "identification/triage.html",
        {"questions": questions, "result": result, "title": title, "child": child},
    )


@login_required
@require_GET
def triage_blank(request: HttpRequest) -> HttpResponse:
    data = load_triage()
    with translation.override(_print_language(request)):
        title, questions = _triage_texts(data, _for_child(request))
        return render(
            request,
            "identification/triage_blank.html",
            {"questions": questions, "title": title},
        )
