"""Case file pages. Thin views: access helper, form, named action, redirect."""

from __future__ import annotations

import json
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
from tanu.audit.actions import record, record_read
from tanu.audit.models import Action, ObjectType
from tanu.cases import access, actions, exports, extensions, forms, queries
from tanu.cases.models import PERSON_FIELDS, Case, Consent, DataRequest, Document
from tanu.identification.access import get_screening_for_user
from tanu.lib.form_errors import after_post, error_items, form_with_errors, is_htmx
from tanu.lib.pagination import CappedPaginator
from tanu.lib.revisions import ConflictError


def _done(request: HttpRequest, pk: int, error: Exception | None, ok: str) -> HttpResponse:
    if error is not None:
        messages.error(request, str(error))
    else:
        messages.success(request, ok)
    return redirect("cases:case", pk=pk)


def _form_errors(form: forms.forms.Form) -> str:
    return "; ".join(str(e) for errs in form.errors.values() for e in errs)


# The small forms of the case page sent in place by htmx: (URL name, submit label).
SMALL_FORMS = {
    "status": ("cases:status", gettext_lazy("Change status")),
    "consent": ("cases:consent_add", pgettext_lazy("button", "Record")),
    "note": ("cases:note_add", gettext_lazy("Add note")),
}


def _small_form(case: Case, name: str, form: forms.forms.Form) -> dict[str, Any]:
    url_name, submit = SMALL_FORMS[name]
    action = reverse(url_name, args=[case.pk])
    form_id = "record-consent" if name == "consent" else f"{name}-form"
    return {"form": form, "action": action, "submit": submit, "form_id": form_id}


def _form_failed(
    request: HttpRequest, case: Case, name: str, form: forms.forms.Form
) -> HttpResponse:
    """A small form with errors: swapped in place with what was typed (htmx), or, without
    JavaScript, back to the case page with the errors as a message."""
    if is_htmx(request):
        small = _small_form(case, name, form)
        return form_with_errors(
            request,
            form,
            action=small["action"],
            submit=str(small["submit"]),
            form_id=small["form_id"],
        )
    messages.error(request, "; ".join(item["text"] for item in error_items(form)))
    return redirect("cases:case", pk=case.pk)


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if access.full_access_filter(user) is None:
        raise Http404
    qs = access.visible_cases(user, request).order_by("-created_at")
    status = request.GET.get("status", "")
    if status in Case.Status.values:
        qs = qs.filter(status=status)
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/case_list.html",
        {"page": page, "statuses": Case.Status.choices, "status": status},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if access.full_access_filter(user) is None:
        raise Http404
    form = forms.SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = list(
            queries.search_cases(
                access.visible_cases(user, request),
                name=form.cleaned_data["name"],
                document=form.cleaned_data["document"],
            )[:50]
        )
        record_read(
            ObjectType.PERSON_SEARCH,
            actor=user,
            fields=[k for k in ("name", "document") if form.cleaned_data.get(k)],
            request=request,
        )
    return render(request, "cases/case_search.html", {"form": form, "results": results})


def _child_protection_referral(case: Case) -> str:
    """The referral form, with the best child protection service of the region chosen."""
    return reverse("referrals:new", args=[case.pk]) + "?kind=child_protection"


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest, screening_pk: int) -> HttpResponse:
    user = _user(request)
    screening = get_screening_for_user(user, screening_pk)
    if screening.agency_id != user.agency_id:
        raise Http404
    # Only the form that was sent is bound: an error of one never shows under the other.
    declined = request.method == "POST" and request.POST.get("declined") == "1"
    opening = request.method == "POST" and not declined
    form = forms.PersonForm(
        request.POST if opening else None, initial={"estimated_age": screening.age_years}
    )
    decline = forms.DeclineForm(request.POST if declined else None, prefix="decline")
    if declined:
        if decline.is_valid():
            try:
                actions.do_record_decline(
                    screening, actor=user, request=request, **decline.cleaned_data
                )
            except actions.CaseError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    _("An anonymous notification was kept; no case and no personal data."),
                )
                return redirect("identification:screening", pk=screening.pk)
    elif opening and form.is_valid():
        try:
            case = actions.do_open_case(
                screening, actor=user, person_data=form.person_data(), request=request
            )
        except actions.CaseError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The case is open."))
            if case.outcome == "incomplete":
                # A child whose interview stopped early: straight on to child protection.
                return redirect(_child_protection_referral(case))
            return redirect("cases:case", pk=case.pk)
    return render(
        request,
        "cases/case_open.html",
        {"form": form, "decline": decline, "screening": screening},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = access.get_case_for_user(user, pk, request)
    revealed = access.is_revealed(request, case)
    record_read(
        ObjectType.PERSON if revealed else ObjectType.CASE,
        case.person_id if revealed else case.pk,
        actor=user,
        fields=["person"] if revealed else [],
        request=request,
        region_id=case.region_id,
    )
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "person": case.person,
            "revealed": revealed,
            "owns": access.owns(user, case),
            "consents": case.consents.all(),
            "notes": case.notes.filter(agency_id=user.agency_id or 0).select_related("author"),
            "documents": case.documents.filter(agency_id=user.agency_id or 0),
            "data_requests": case.data_requests.all(),
            "timeline": queries.timeline(case, user),
            "case_links": extensions.case_links(case, user),
            "status_small": _small_form(
                case,
                "status",
                forms.StatusForm(initial={"status": case.status, "revision": case.revision}),
            ),
            "consent_small": _small_form(
                case,
                "consent",
                _consent_form(
                    case,
                    None,
                    initial={
                        "basis": Consent.Basis.GUARDIAN if case.is_child else Consent.Basis.PERSON
                    },
                ),
            ),
            "note_small": _small_form(case, "note", forms.NoteForm()),
            "document_form": forms.DocumentForm(),
            "reveal_form": forms.ReasonForm(),
            "request_form": forms.DataRequestForm(),
            "decision_form": forms.DecisionForm(),
            "is_coordinator": access.sees_region_cases(user),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = access.get_case_for_user(user, pk, request)
    if not access.is_revealed(request, case):
        messages.info(request, _("Open the personal data with a reason first."))
        return redirect("cases:case", pk=pk)
    person = case.person
    # Documents and contacts are added one at a time (the form's own fields), not edited here.
    initial = {f: getattr(person, f) for f in PERSON_FIELDS if f not in ("documents", "contacts")}
    initial["date_of_birth"] = person.date_of_birth or None
    form = forms.PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            revision = int(request.POST.get("revision", "0"))
        except ValueError:
            revision = 0
        try:
            actions.do_update_person(
                case,
                actor=user,
                data=form.person_data({"documents": person.documents, "contacts": person.contacts}),
                expected_revision=revision,
                request=request,
            )
        except (actions.CaseError, ConflictError) as exc:
            messages.error(request, str(exc))
            return redirect("cases:person_edit", pk=pk)
        messages.success(request, _("Saved."))
        return redirect("cases:case", pk=pk)
    return render(
        request,
        "cases/person_edit.html",
        {"form": form, "case": case},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def case_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = access.get_case_for_user(user, pk, request)
    form = forms.ReasonForm(request.POST)
    error: Exception | None = None
    if form.is_valid():
        try:
            actions.do_reveal_person(
                case, actor=user, reason=form.cleaned_data["reason"], request=request
            )
        except actions.CaseError as exc:
            error = exc
    else:
        error = actions.CaseError(_("Give a reason for opening the personal data."))
    return _done(request, pk, error, _("Personal data is shown for 15 minutes."))


@login_required
@require_POST
def case_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = access.get_case_for_user(user, pk, request)
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        try:
            actions.do_change_case_status(
                case,
                actor=user,
                status=form.cleaned_data["status"],
                closure_reason=form.cleaned_data["closure_reason"],
                expected_revision=form.cleaned_data["revision"],
                request=request,
            )
        except (actions.CaseError, ConflictError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Status changed."))
            return after_post(request, reverse("cases:case", args=[pk]))
    return _form_failed(request, case, "status", form)


def _consent_form(case: Case, data: Any, **kwargs: Any) -> forms.ConsentForm:
    """A consent to share may name only a service the case may be referred to (or its agency):
    the same filter as the referral form and the API."""
    from tanu.accounts.models import Agency
    from tanu.cases.extensions import sharing_services

    services = sharing_services(case)
    agencies = Agency.objects.filter(
        pk__in=services.filter(agency__isnull=False).values("agency_id")
    )
    return forms.ConsentForm(
        data, services=services, agencies=agencies, is_child=case.is_child, **kwargs
    )


@login_required
@require_POST
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = access.get_case_for_user(user, pk, request)
    form = _consent_form(case, request.POST)
    if form.is_valid():
        try:
            actions.do_record_consent(case, actor=user, request=request, **form.cleaned_data)
        except actions.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Consent recorded."))
            return after_post(request, reverse("cases:case", args=[pk]))
    return _form_failed(request, case, "consent", form)


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    user = _user(request)
    case = access.get_case_for_user(user, pk, request)
    consent = case.consents.filter(pk=consent_pk).first()
    if consent is None:
        raise Http404
    actions.do_withdraw_consent(consent, actor=user, request=request)
    return _done(request, pk, None, _("Consent withdrawn."))


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = access.get_case_for_user(user, pk, request)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_note(case, actor=user, text=form.cleaned_data["text"], request=request)
        except actions.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Note added."))
            return after_post(request, reverse("cases:case", args=[pk]))
    return _form_failed(request, case, "note", form)


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = access.get_case_for_user(user, pk, request)
    form = forms.DocumentForm(request.POST, request.FILES)
    error: Exception | None = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > actions.MAX_DOCUMENT_BYTES:
            error = actions.CaseError(_("The file is larger than 10 MB."))
        else:
            try:
                actions.do_add_document(
                    case,
                    actor=user,
                    title=form.cleaned_data["title"],
                    content=upload.read(),
                    content_type=upload.content_type or "application/octet-stream",
                    request=request,
                )
            except actions.CaseError as exc:
                error = exc
    else:
        error = actions.CaseError(_form_errors(form))
    return _done(request, pk, error, _("Document stored (encrypted)."))


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    user = _user(request)
    case = access.get_case_for_user(user, pk, request)
    document = Document.objects.filter(
        case=case, pk=document_pk, agency_id=user.agency_id or 0
    ).first()
    if document is None:
        raise Http404
    content = actions.read_document(document, actor=user, request=request)
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="document-{document.pk}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if access.full_access_filter(user) is None:
        raise Http404
    form = forms.BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.do_break_glass(
                form.cleaned_data["number"],
                actor=user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except actions.CaseError as exc:
            form.add_error("reason", str(exc))
        else:
            if case is not None:
                messages.warning(
                    request, _("Emergency access granted for one hour. It will be reviewed.")
                )
                return redirect("cases:case", pk=case.pk)
            form.add_error("number", _("No case with this number can be opened by you."))
    return render(
        request, "cases/break_glass.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_GET
def case_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user = _user(request)
    case = access.get_case_for_user(user, pk, request)
    if fmt not in ("json", "pdf"):
        raise Http404
    if not access.is_revealed(request, case):
        messages.info(request, _("Open the personal data with a reason first."))
        return redirect("cases:case", pk=pk)
    data = exports.person_export(case, user)
    record(
        Action.EXPORT,
        actor=user,
        object_type=ObjectType.PERSON,
        object_id=case.person_id,
        fields=[fmt],
        request=request,
    )
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
    else:
        response = HttpResponse(exports.person_export_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.number}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def data_request_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    case = access.get_case_for_user(user, pk, request)
    form = forms.DataRequestForm(request.POST)
    error: Exception | None = None
    if form.is_valid():
        try:
            actions.do_request_data_change(case, actor=user, request=request, **form.cleaned_data)
        except actions.CaseError as exc:
            error = exc
    else:
        error = actions.CaseError(_form_errors(form))
    return _done(request, pk, error, _("Request recorded; the coordinator decides."))


@login_required
@require_POST
def data_request_decide(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    user = _user(request)
    case = access.get_case_for_user(user, pk, request)
    if not access.sees_region_cases(user):
        raise Http404
    data_request = DataRequest.objects.filter(case=case, pk=request_pk).first()
    if data_request is None:
        raise Http404
    form = forms.DecisionForm(request.POST)
    error: Exception | None = None
    if form.is_valid():
        try:
            actions.do_decide_data_request(
                data_request, actor=user, request=request, **form.cleaned_data
            )
        except actions.CaseError as exc:
            error = exc
    else:
        error = actions.CaseError(_form_errors(form))
    return _done(request, pk, error, _("Decision recorded."))
