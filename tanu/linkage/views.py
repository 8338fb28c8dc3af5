"""Pages of the review queue, merges, possible matches elsewhere and contact requests. Thin
views: access helper, form, named action, redirect. Denied access is an audited 404; each page
that shows a pair, a merge or a request records a read; personal values show only after a reveal
with a reason (tanu.cases.actions.do_reveal_person, one audited reveal per case)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import User
from tanu.audit.actions import record_read
from tanu.audit.denied import raise_denied
from tanu.audit.models import ObjectType
from tanu.cases import access as case_access
from tanu.cases import actions as case_actions
from tanu.cases.models import Case
from tanu.lib.pagination import CappedPaginator
from tanu.linkage import access, actions, forms
from tanu.linkage.models import ContactRequest, MatchPair
from tanu.linkage.presentation import agreement_labels, strength_label


def _errors(form: BaseForm) -> str:
    return "; ".join(str(e) for errs in form.errors.values() for e in errs)


def _done(request: HttpRequest, url: str, error: Exception | str | None, ok: str) -> HttpResponse:
    if error is not None:
        messages.error(request, str(error))
    else:
        messages.success(request, ok)
    return redirect(url)


def _may_review(user: User) -> bool:
    return access.keeps_cases(user) or access.is_coordinator(user)


# The review queue of one agency ----------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _may_review(user):
        raise Http404
    pairs = (
        access.reviewable_pairs(user)
        .filter(status=MatchPair.Status.OPEN)
        .order_by("-match_probability", "pk")
    )
    page = CappedPaginator(pairs, 25).get_page(request.GET.get("page"))
    record_read(ObjectType.MATCH_PAIR, actor=user, fields=["queue"], request=request)
    rows = [
        {
            "pair": pair,
            "a": pair.person_a.case,
            "b": pair.person_b.case,
            "strength": strength_label(pair.match_probability),
        }
        for pair in page.object_list
    ]
    return render(request, "linkage/queue.html", {"page": page, "rows": rows})


def _side(request: HttpRequest, user: User, case: Case) -> dict[str, Any]:
    revealed = case_access.is_revealed(request, case)
    if revealed:
        record_read(
            ObjectType.PERSON,
            case.person_id,
            actor=user,
            fields=["person"],
            request=request,
            region_id=case.region_id,
        )
    return {"case": case, "person": case.person, "revealed": revealed}


@login_required
@require_GET
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    pair = access.get_pair_for_user(user, pk)
    record_read(ObjectType.MATCH_PAIR, pair.pk, actor=user, request=request)
    sides = [_side(request, user, pair.person_a.case), _side(request, user, pair.person_b.case)]
    return render(
        request,
        "linkage/pair_detail.html",
        {
            "pair": pair,
            "sides": sides,
            "revealed": all(side["revealed"] for side in sides),
            "strength": strength_label(pair.match_probability),
            "agreements": agreement_labels(pair.agreements),
            "reveal_form": forms.ReasonForm(),
            "merge_form": forms.ReasonForm(prefix="merge"),
            "merges": pair.merges.all(),
        },
    )


@login_required
@require_POST
def pair_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Open both records' personal values for comparison: one audited reveal per case."""
    user = _user(request)
    pair = access.get_pair_for_user(user, pk)
    url = reverse("linkage:pair", args=[pair.pk])
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        return _done(request, url, _("Give a reason for opening the personal data."), "")
    try:
        for person in (pair.person_a, pair.person_b):
            case_actions.do_reveal_person(
                person.case, actor=user, reason=form.cleaned_data["reason"], request=request
            )
    except case_actions.CaseError as exc:
        return _done(request, url, exc, "")
    return _done(request, url, None, _("Personal data is shown for 15 minutes."))


@login_required
@require_POST
def pair_merge(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    pair = access.get_pair_for_user(user, pk)
    url = reverse("linkage:pair", args=[pair.pk])
    form = forms.ReasonForm(request.POST, prefix="merge")
    if not form.is_valid():
        return _done(request, url, _errors(form), "")
    try:
        merge = actions.do_merge_persons(
            pair, actor=user, reason=form.cleaned_data["reason"], request=request
        )
    except actions.LinkageError as exc:
        return _done(request, url, exc, "")
    return _done(
        request,
        reverse("linkage:merge", args=[merge.pk]),
        None,
        _("Merged: case %(merged)s is now part of case %(kept)s. It can be undone.")
        % {"merged": merge.merged_case.number, "kept": merge.kept_case.number},
    )


@login_required
@require_POST
def pair_different(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    pair = access.get_pair_for_user(user, pk)
    try:
        actions.do_mark_different(pair, actor=user, request=request)
    except actions.LinkageError as exc:
        return _done(request, reverse("linkage:pair", args=[pair.pk]), exc, "")
    return _done(
        request, reverse("linkage:queue"), None, _("Recorded: these are two different persons.")
    )


@login_required
@require_GET
def merge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    merge = access.get_merge_for_user(user, pk)
    record_read(ObjectType.PERSON_MERGE, merge.pk, actor=user, fields=["reason"], request=request)
    return render(
        request,
        "linkage/merge_detail.html",
        {"merge": merge, "unmerge_form": forms.ReasonForm(prefix="unmerge")},
    )


@login_required
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    merge = access.get_merge_for_user(user, pk)
    url = reverse("linkage:merge", args=[merge.pk])
    form = forms.ReasonForm(request.POST, prefix="unmerge")
    if not form.is_valid():
        return _done(request, url, _errors(form), "")
    try:
        actions.do_unmerge_persons(
            merge, actor=user, reason=form.cleaned_data["reason"], request=request
        )
    except actions.LinkageError as exc:
        return _done(request, url, exc, "")
    return _done(request, url, None, _("The merge is undone: the two cases are separate again."))


# Hit / no-hit across agencies ------------------------------------------------------------------


@login_required
@require_GET
def case_matches(request: HttpRequest, pk: int) -> HttpResponse:
    """What a reader of the case may know of a likely match held elsewhere: that it exists, the
    region and how strong. Never the other agency, person, case or values."""
    user = _user(request)
    case = case_access.get_case_for_user(user, pk, request)
    hits = list(access.hits_for_case(case))
    record_read(
        ObjectType.CASE,
        case.pk,
        actor=user,
        fields=["possible_matches"],
        request=request,
        region_id=case.region_id,
    )
    sent = ContactRequest.objects.filter(case=case, pair__in=hits).order_by("-created_at")
    rows = [
        {
            "pair_id": hit.pk,
            "region": hit.region_b if hit.person_a_id == case.person_id else hit.region_a,
            "strength": strength_label(hit.match_probability),
            "found_at": hit.found_at,
            "requests": [r for r in sent if r.pair_id == hit.pk],
        }
        for hit in hits
    ]
    return render(
        request,
        "linkage/case_matches.html",
        {
            "case": case,
            "rows": rows,
            "may_request": access.may_request_contact(user, case),
            "form": forms.ReasonForm(),
        },
    )


@login_required
@require_POST
def contact_request_add(request: HttpRequest, pk: int, pair_pk: int) -> HttpResponse:
    user = _user(request)
    case = case_access.get_case_for_user(user, pk, request)
    pair = access.hits_for_case(case).filter(pk=pair_pk).first()
    if pair is None:
        raise Http404
    url = reverse("linkage:case_matches", args=[case.pk])
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        return _done(request, url, _errors(form), "")
    try:
        actions.do_request_contact(
            pair, case, actor=user, reason=form.cleaned_data["reason"], request=request
        )
    except actions.LinkageError as exc:
        return _done(request, url, exc, "")
    return _done(
        request, url, None, _("Contact request sent to the coordinator of the other region.")
    )


# Contact requests ------------------------------------------------------------------------------


def _viewer(user: User, contact: ContactRequest) -> str:
    """Which side the reader is on: the agency that asked, the coordinator, the holder."""
    if access.is_requester(user, contact):
        return "requester"
    if access.decides_as_coordinator(user, contact):
        return "coordinator"
    return "holder"


@login_required
@require_GET
def contact_request_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _may_review(user):
        raise Http404
    qs = access.visible_contact_requests(user).order_by("-created_at")
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    # The list names cases and agencies: one read, as the review queue's.
    record_read(ObjectType.CONTACT_REQUEST, actor=user, fields=["list"], request=request)
    rows = [{"request": r, "viewer": _viewer(user, r)} for r in page.object_list]
    return render(request, "linkage/contact_request_list.html", {"page": page, "rows": rows})


@login_required
@require_GET
def contact_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    contact = access.get_contact_request_for_user(user, pk)
    viewer = _viewer(user, contact)
    record_read(
        ObjectType.CONTACT_REQUEST, contact.pk, actor=user, fields=["reason"], request=request
    )
    context: dict[str, Any] = {
        "contact": contact,
        "viewer": viewer,
        "strength": strength_label(contact.pair.match_probability),
        "note_form": forms.NoteForm(),
        "decline_form": forms.ReasonForm(prefix="decline"),
    }
    if viewer == "holder" and contact.status == ContactRequest.Status.FORWARDED:
        services = actions.sharing_services(contact)
        context["services"] = services
        context["share_form"] = forms.ShareForm(services=services)
    return render(request, "linkage/contact_request_detail.html", context)


@login_required
@require_POST
def contact_request_forward(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    contact = access.get_contact_request_for_user(user, pk)
    if not access.decides_as_coordinator(user, contact):
        raise_denied(ObjectType.CONTACT_REQUEST, pk)  # readers do not decide: an audited 404
    url = reverse("linkage:contact_request", args=[contact.pk])
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        return _done(request, url, _errors(form), "")
    try:
        actions.do_forward_contact_request(
            contact, actor=user, note=form.cleaned_data["note"], request=request
        )
    except actions.LinkageError as exc:
        return _done(request, url, exc, "")
    return _done(request, url, None, _("Forwarded to the agency that holds the record."))


@login_required
@require_POST
def contact_request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    contact = access.get_contact_request_for_user(user, pk)
    if not (access.decides_as_coordinator(user, contact) or access.is_holder(user, contact)):
        raise_denied(ObjectType.CONTACT_REQUEST, pk)
    url = reverse("linkage:contact_request", args=[contact.pk])
    form = forms.ReasonForm(request.POST, prefix="decline")
    if not form.is_valid():
        return _done(request, url, _errors(form), "")
    try:
        actions.do_decline_contact_request(
            contact, actor=user, note=form.cleaned_data["reason"], request=request
        )
    except actions.LinkageError as exc:
        return _done(request, url, exc, "")
    return _done(request, url, None, _("The request is declined."))


@login_required
@require_POST
def contact_request_share(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    contact = access.get_contact_request_for_user(user, pk)
    if not access.is_holder(user, contact):
        raise_denied(ObjectType.CONTACT_REQUEST, pk)
    url = reverse("linkage:contact_request", args=[contact.pk])
    form = forms.ShareForm(request.POST, services=actions.sharing_services(contact))
    if not form.is_valid():
        return _done(request, url, _errors(form), "")
    try:
        referral = actions.do_share_for_contact_request(
            contact,
            actor=user,
            service=form.cleaned_data["service"],
            shared_fields=form.cleaned_data["shared_fields"],
            purpose=form.cleaned_data["purpose"],
            request=request,
        )
    except actions.LinkageError as exc:
        return _done(request, url, exc, "")
    return _done(
        request,
        url,
        None,
        _("Referral #%(referral)s sent to the agency that asked.") % {"referral": referral.pk},
    )
