"""Scenario exercises: practice for signed-in officials and the answer keys for trainers. The
exercise and its result page are shared with participants (``public.me_exercise``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import User
from tanu.identification import catalogue, presentation
from tanu.referrals.models import Service
from tanu.training import access, actions, exercises, forms, results
from tanu.training.models import ExerciseAttempt, Participant
from tanu.training.views.common import posted


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


def exercise_page(
    request: HttpRequest,
    scenario_id: str,
    *,
    page: str,
    result_page: str,
    user: User | None = None,
    participant: Participant | None = None,
) -> HttpResponse:
    """A scenario exercise done by a signed-in official (``user``) or a participant: the form
    (posted to the URL named ``page``), then the attempt and on to its result (``result_page``)."""
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
            participant=participant,
            user=user,
            request=request,
        )
        return redirect(result_page, pk=attempt.pk)
    context = exercise_context(scenario, form)
    context["action"] = reverse(page, args=[scenario.id])
    return render(request, "training/exercise.html", context, status=400 if form.errors else 200)


def exercise_result_page(
    request: HttpRequest, attempt: ExerciseAttempt | None, *, again: str, back: str
) -> HttpResponse:
    """An attempt's result against the key (404 when there is none); ``again`` names the
    exercise's page, ``back`` the list of exercises."""
    if attempt is None:
        raise Http404
    context = exercise_result_context(attempt)
    context["again"] = reverse(again, args=[attempt.scenario])
    context["back"] = reverse(back)
    return render(request, "training/exercise_result.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def exercise(request: HttpRequest, scenario_id: str) -> HttpResponse:
    user = _user(request)
    access.require(access.can_practise(user))
    return exercise_page(
        request,
        scenario_id,
        page="training:exercise",
        result_page="training:exercise_result",
        user=user,
    )


@login_required
@require_GET
def exercise_result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = ExerciseAttempt.objects.filter(pk=pk, user=_user(request)).first()
    return exercise_result_page(
        request, attempt, again="training:exercise", back="training:exercises"
    )


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
