"""The referral parts of the case and screening pages, served by referrals as htmx fragments.

Cases and identification sit below referrals and do not import them: their pages hold a
placeholder (a plain link, for a browser without JavaScript) that loads the fragment. Without
htmx the same address answers a whole page. Access is the owning app's: the case's or the
screening's access helper (404 when denied). Neither fragment shows personal data: the case
panel lists services, statuses and decisions; the screening's suggestions read the region, the
form of exploitation, the outcome and the age group.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tanu.accounts.access import current_user
from tanu.accounts.models import User
from tanu.cases.access import get_case_for_user, owns, sees_region_cases
from tanu.cases.models import Case, Person
from tanu.identification import rules
from tanu.identification.access import get_screening_for_user
from tanu.identification.models import Screening
from tanu.lib.form_errors import is_htmx
from tanu.referrals import access, forms
from tanu.referrals.directory import Suggestion, suggest_services

#: How many services the screening page suggests, and how many child protection services it names.
SUGGESTED = 5
CHILD_PROTECTION_NAMED = 3


def case_referral_context(case: Case, user: User) -> dict[str, object]:
    """What the case page shows of referrals and decisions (for the owner and coordinator)."""
    return {
        "referrals": case.referrals.select_related("service", "to_agency"),
        "decisions": case.identification_decisions.select_related("decided_by"),
        "may_decide": access.may_decide_identification(user),
        "decision_form": forms.DecisionForm(),
        "review_form": forms.ReviewForm(),
        "may_refer": owns(user, case) or sees_region_cases(user),
    }


def suggestions_for_screening(screening: Screening) -> list[Suggestion]:
    """Services that fit the person as the screening knows them (no name needed)."""
    draft = Case(
        region=screening.region,
        form=screening.form,
        outcome=screening.outcome,
        is_child=screening.age_group in rules.CHILD_AGE_GROUPS,
    )
    draft.person = Person()
    return list(suggest_services(draft))


def _fragment_or_page(request: HttpRequest, fragment: str, context: dict[str, object]) -> str:
    context["fragment"] = fragment
    return fragment if is_htmx(request) else "referrals/panel_page.html"


@login_required
@require_GET
def case_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's referrals and identification decisions."""
    user = current_user(request)
    case = get_case_for_user(user, pk, request)
    context: dict[str, object] = {
        "case": case,
        "today": timezone.localdate(),
        "title_object": case,
        **case_referral_context(case, user),
    }
    template = _fragment_or_page(request, "referrals/_case_panel.html", context)
    return render(request, template, context)


@login_required
@require_GET
def screening_services(request: HttpRequest, pk: int) -> HttpResponse:
    """Services that may help, and, for a child whose interview stopped early, the child
    protection services to tell now."""
    user = current_user(request)
    screening = get_screening_for_user(user, pk)
    suggestions = suggestions_for_screening(screening) if rules.suggests_services(screening) else []
    child_protection = (
        [s for s in suggestions if s.service.kind == "child_protection"][:CHILD_PROTECTION_NAMED]
        if rules.offers_child_protection(screening)
        else []
    )
    context: dict[str, object] = {
        "screening": screening,
        "suggestions": suggestions[:SUGGESTED],
        "offer_child_protection": rules.offers_child_protection(screening),
        "child_protection": child_protection,
        "case_openable": rules.case_openable(screening),
        "part": "child_protection" if request.GET.get("part") == "child_protection" else "",
    }
    template = _fragment_or_page(request, "referrals/_screening_services.html", context)
    return render(request, template, context)
