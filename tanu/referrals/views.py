"""Referral pages: sending from a case, the receiving agency's view, the inbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import User
from tanu.audit.actions import record, record_read
from tanu.audit.models import Action, ObjectType
from tanu.cases.access import get_case_for_user, sees_region_cases
from tanu.lib.form_errors import after_post, error_items, form_with_errors, is_htmx
from tanu.lib.pagination import CappedPaginator
from tanu.referrals import access, actions, directory, forms
from tanu.referrals.models import (
    SHAREABLE_FIELDS,
    IdentificationDecision,
    Notification,
    Referral,
)
from tanu.referrals.sharing import (
    identifying_fields,
    labelled,
    shared_view,
    sharing_ended_reason,
    summary_view,
)
from tanu.referrals.slips import referral_slip

LIST_PAGE_SIZE = 25


def _submit(
    request: HttpRequest,
    form: forms.forms.Form,
    action: Callable[[dict[str, Any]], object],
    success: str,
) -> None:
    """Run a named action with a valid form; tell the user what happened either way."""
    if not form.is_valid():
        messages.error(request, _errors(form))
        return
    try:
        action(form.cleaned_data)
    except actions.ReferralError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)


def _errors(form: forms.forms.Form) -> str:
    return "; ".join(str(e) for errs in form.errors.values() for e in errs)


# The small forms of the referral page, sent in place by htmx: (URL name, submit label).
SMALL_FORMS = {
    "decline": ("referrals:status", gettext_lazy("Decline")),
    "service": ("referrals:service", pgettext_lazy("button", "Record")),
    "note": ("referrals:note", gettext_lazy("Add note")),
    "feedback": ("referrals:feedback", gettext_lazy("Save")),
}


def _small_form(referral: Referral, name: str, form: forms.forms.Form) -> dict[str, Any]:
    url_name, submit = SMALL_FORMS[name]
    action = reverse(url_name, args=[referral.pk])
    return {"form": form, "action": action, "submit": submit, "form_id": f"{name}-form"}


def _form_failed(
    request: HttpRequest, referral: Referral, name: str, form: forms.forms.Form
) -> HttpResponse:
    """A small form with errors: swapped in place with what was typed (htmx), or, without
    JavaScript, back to the page with the errors as a message."""
    if is_htmx(request):
        small = _small_form(referral, name, form)
        return form_with_errors(
            request,
            form,
            action=small["action"],
            submit=str(small["submit"]),
            form_id=small["form_id"],
        )
    messages.error(request, "; ".join(item["text"] for item in error_items(form)))
    return redirect("referrals:referral", pk=referral.pk)


def _referral_as(user: User, pk: int, *parties: Callable[[User, Referral], bool]) -> Referral:
    """The referral, for a user who is one of ``parties`` to it (access.is_recipient,
    access.is_sender); 404 for everyone else."""
    referral = access.get_referral_for_user(user, pk)
    if not any(is_party(user, referral) for is_party in parties):
        raise Http404
    return referral


def _small_form_sent(
    request: HttpRequest,
    referral: Referral,
    name: str,
    form: forms.forms.Form,
    action: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """A small form of the referral page sent: run the named action with its data and go back to
    the page, or show the form again with what went wrong (invalid, or refused by the action)."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except actions.ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, success)
            return after_post(request, reverse("referrals:referral", args=[referral.pk]))
    return _form_failed(request, referral, name, form)


def _feedback_form(referral: Referral, user: User, data: Any = None) -> forms.FeedbackForm:
    """The recipient writes feedback; the sender of an outside referral writes its outcome."""
    form = forms.FeedbackForm(data)
    if not access.is_recipient(user, referral):
        del form.fields["feedback"]
    if not (access.is_sender(user, referral) and referral.is_external):
        del form.fields["external_outcome"]
    return form


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = get_case_for_user(user, pk, request)
    suggestions = directory.suggest_services(case)
    services = directory.services_for_case(case)
    consents = case.consents.filter(given=True, withdrawn_at__isnull=True).select_related(
        "service", "agency"
    )
    preselected = request.GET.get("service")
    kind = request.GET.get("kind", "")
    if not preselected and kind:
        # "Refer to child protection" from the case opening: the best service of that kind.
        preselected = next((str(s.service.pk) for s in suggestions if s.service.kind == kind), None)
    form = forms.ReferralForm(
        request.POST or None,
        services=services,
        consents=consents,
        is_child=case.is_child,
        initial={"service": preselected},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = actions.do_send_referral(
                case,
                actor=user,
                service=data["service"],
                purpose=data["purpose"],
                urgency=data["urgency"],
                shared_fields=list(data["shared_fields"]),
                consent=data["consent"],
                consent_exception=data["consent_exception"] or "",
                exception_reason=data["exception_reason"],
                due_date=data["due_date"],
                request=request,
            )
        except actions.ReferralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The referral was sent."))
            return redirect("referrals:referral", pk=referral.pk)
    return render(
        request,
        "referrals/referral_new.html",
        {
            "case": case,
            "form": form,
            "suggestions": suggestions,
            "consents": consents,
            "record_consent_url": reverse("cases:case", args=[case.pk]) + "#record-consent",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.sees_referral_list(user):
        raise Http404
    # A page at a time, newest first. The list shows no personal data, so the persons are not
    # loaded (nor decrypted); cases and services are fetched for the page's rows only (a join
    # before the sort would join every referral of the agency).
    qs = (
        access.visible_referrals(user)
        .select_related(None)
        .prefetch_related("case", "service")
        .order_by("-created_at", "-pk")
    )
    page = CappedPaginator(qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    mine = user.agency_id
    received = [r for r in rows if r.to_agency_id == mine]
    sent = [r for r in rows if r.from_agency_id == mine]
    others = [r for r in rows if mine not in (r.to_agency_id, r.from_agency_id)]
    return render(
        request,
        "referrals/referral_list.html",
        {
            "received": received,
            "sent": sent,
            "others": others,
            "today": timezone.localdate(),
            "page": page,
        },
    )


@login_required
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = access.get_referral_for_user(user, pk)
    recipient = access.is_recipient(user, referral)
    sender = access.is_sender(user, referral)
    ended = sharing_ended_reason(referral)
    revealed = access.is_revealed(request, user, referral)
    # The recipient sees the shared summary (sex, age band, ...) while sharing is in force and
    # the identifying fields once revealed; the sender and the coordinator see which fields were
    # shared and read the person through the case file.
    # Once sharing has ended the recipient keeps the case number (and what they recorded).
    shown: dict[str, Any] = {"case_number": referral.case.number} if recipient else {}
    if recipient and ended is None:
        shown = summary_view(referral)
        if revealed:
            opened = identifying_fields(referral)
            shown.update(shared_view(referral, only=set(opened)))
            record_read(
                ObjectType.PERSON,
                referral.case.person_id,
                actor=user,
                fields=opened,
                request=request,
            )
    record_read(ObjectType.REFERRAL, referral.pk, actor=user, fields=sorted(shown), request=request)
    shown = labelled(shown)
    shared_rows = [
        (forms.FIELD_LABELS.get(name, name), name in shown, shown.get(name))
        for name in SHAREABLE_FIELDS
        if name in referral.shared_fields
    ]
    notes = referral.case.notes.filter(agency_id=user.agency_id or 0).select_related("author")
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "shared": shared_rows,
            "sharing_ended": ended,
            "revealed": revealed,
            "may_reveal": access.may_reveal(user, referral) and not revealed,
            "reveal_form": forms.RevealForm(),
            "recipient": recipient,
            "sender": sender,
            "is_coordinator": sees_region_cases(user),
            "events": referral.events.select_related("agency"),
            "services_given": referral.services_given.all(),
            "notes": notes if recipient else [],
            "decline_small": _small_form(referral, "decline", forms.DeclineForm()),
            # The service given is most often the one the referral asked for.
            "service_small": _small_form(
                referral,
                "service",
                forms.ServiceRecordForm(
                    initial={"kind": referral.service.kind, "given_on": timezone.localdate()}
                ),
            ),
            "feedback_small": _small_form(referral, "feedback", _feedback_form(referral, user)),
            "note_small": _small_form(referral, "note", forms.NoteForm()),
            "overdue": referral.is_overdue(),
            "can_answer": recipient or (sender and referral.is_external),
        },
    )


@login_required
@require_POST
def referral_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The receiving agency opens the shared personal data with a reason (15 minutes)."""
    user = _user(request)
    referral = _referral_as(user, pk, access.is_recipient)
    form = forms.RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for opening the personal data."))
        return redirect("referrals:referral", pk=pk)
    try:
        actions.do_reveal_referral_person(
            referral, actor=user, reason=form.cleaned_data["reason"], request=request
        )
    except actions.ReferralError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Personal data is shown for 15 minutes."))
    return redirect("referrals:referral", pk=pk)


@login_required
@require_POST
def referral_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = _referral_as(user, pk, access.is_recipient, access.is_sender)
    status = request.POST.get("status", "")
    decline = forms.DeclineForm(request.POST) if status == Referral.Status.DECLINED else None
    if decline is not None and not decline.is_valid():
        return _form_failed(request, referral, "decline", decline)
    try:
        actions.do_change_referral_status(
            referral,
            actor=user,
            status=status,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except actions.ReferralError as exc:
        if decline is not None:
            decline.add_error(None, str(exc))
            return _form_failed(request, referral, "decline", decline)
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The referral was updated."))
    return after_post(request, reverse("referrals:referral", args=[pk]))


@login_required
@require_POST
def referral_service(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = _referral_as(user, pk, access.is_recipient)
    return _small_form_sent(
        request,
        referral,
        "service",
        forms.ServiceRecordForm(request.POST),
        lambda data: actions.do_record_service(referral, actor=user, request=request, **data),
        _("Service recorded."),
    )


@login_required
@require_POST
def referral_note(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = _referral_as(user, pk, access.is_recipient)
    return _small_form_sent(
        request,
        referral,
        "note",
        forms.NoteForm(request.POST),
        lambda data: actions.do_add_recipient_note(
            referral, actor=user, text=data["text"], request=request
        ),
        _("Note added."),
    )


@login_required
@require_POST
def referral_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = _referral_as(user, pk, access.is_recipient, access.is_sender)
    return _small_form_sent(
        request,
        referral,
        "feedback",
        _feedback_form(referral, user, request.POST),
        lambda data: actions.do_record_feedback(referral, actor=user, request=request, **data),
        _("Saved."),
    )


@login_required
@require_GET
def referral_slip_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = _referral_as(user, pk, access.is_sender)
    form = forms.SlipForm(request.GET)
    language = (form.cleaned_data.get("lang") if form.is_valid() else "") or (request.LANGUAGE_CODE)
    content = referral_slip(referral, language)
    record(
        Action.EXPORT,
        actor=user,
        object_type=ObjectType.REFERRAL,
        object_id=referral.pk,
        fields=sorted(referral.shared_fields),
        request=request,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="referral-{referral.pk}-{language}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = get_case_for_user(user, pk, request)
    if not access.may_decide_identification(user):
        raise Http404
    form = forms.DecisionForm(request.POST)
    _submit(
        request,
        form,
        lambda data: actions.do_record_decision(case, actor=user, request=request, **data),
        _("Decision recorded."),
    )
    return redirect("cases:case", pk=pk)


@login_required
@require_POST
def decision_review(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    user = _user(request)
    case = get_case_for_user(user, pk, request)
    if not access.may_decide_identification(user):
        raise Http404
    decision = IdentificationDecision.objects.filter(case=case, pk=decision_pk).first()
    if decision is None:
        raise Http404
    form = forms.ReviewForm(request.POST)
    _submit(
        request,
        form,
        lambda data: actions.do_review_decision(decision, actor=user, request=request, **data),
        _("Review recorded."),
    )
    return redirect("cases:case", pk=pk)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    notifications = Notification.objects.filter(user=user)[:100]
    return render(request, "referrals/inbox.html", {"notifications": notifications})


@login_required
@require_POST
def inbox_read(request: HttpRequest) -> HttpResponse:
    actions.do_mark_notifications_read(_user(request))
    return redirect("referrals:inbox")
