"""The question bank, for trainers: the list and the form for a question with its options."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tanu.accounts.access import current_user as _user
from tanu.lib.pagination import CappedPaginator
from tanu.training import access, actions, forms
from tanu.training.models import Objective, Question
from tanu.training.views.common import posted


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
    page = CappedPaginator(rows, 50).get_page(request.GET.get("page"))
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
