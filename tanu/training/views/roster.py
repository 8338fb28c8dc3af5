"""A seminar's roster, for its trainers: importing participants from a CSV or XLSX file (with
the template to fill in), and attendance marked with one tap per participant."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tanu.accounts.access import current_user as _user
from tanu.training import access, imports, roster_actions
from tanu.training.actions import TrainingError
from tanu.training.models import ParticipantRole, current_language
from tanu.training.views.participants import seminar_participant


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy(
            "At most 1 MB and 300 participants. If any row has a problem, nothing is imported."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_import(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    seminar = access.get_seminar_for_user(user, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[imports.RowProblem] = []
    file_error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size is not None and upload.size > imports.MAX_BYTES:
                raise imports.ImportFileError(imports._too_large())
            checked = imports.check_file(upload.read(imports.MAX_BYTES + 1), seminar)
            problems = checked.problems
            if checked.ok:
                created = roster_actions.do_import_participants(
                    seminar, actor=user, rows=checked.rows, request=request
                )
                messages.success(
                    request,
                    ngettext(
                        "%(n)s participant imported. Print the personal codes.",
                        "%(n)s participants imported. Print the personal codes.",
                        len(created),
                    )
                    % {"n": len(created)},
                )
                return redirect(reverse("training:seminar", args=[seminar.pk]) + "#participants")
        except (imports.ImportFileError, TrainingError) as exc:
            file_error = str(exc)
    failed = request.method == "POST" and (
        bool(file_error) or bool(problems) or not form.is_valid()
    )
    lang = current_language()
    return render(
        request,
        "training/participant_import.html",
        {
            "seminar": seminar,
            "form": form,
            "problems": problems,
            "file_error": file_error,
            "columns": imports.header_labels(lang),
            "roles": imports.role_labels(lang),
            "role_codes": ParticipantRole.values,
            "max_rows": imports.MAX_ROWS,
        },
        status=400 if failed else 200,
    )


@login_required
@require_GET
def participant_template(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    seminar = access.get_seminar_for_user(_user(request), pk)
    lang = current_language()
    if fmt == "csv":
        response = HttpResponse(imports.template_csv(lang), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            imports.template_xlsx(lang),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    name = f"participants-{seminar.pk}-{lang}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def attendance_toggle(
    request: HttpRequest, pk: int, session_pk: int, participant_pk: int
) -> HttpResponse:
    """One tap: this participant present (or absent again). htmx gets the toggle back; without
    JavaScript the attendance page reloads at the same person."""
    user = _user(request)
    participant = seminar_participant(pk, user, participant_pk)
    session = participant.seminar.sessions.filter(pk=session_pk).first()
    if session is None:
        raise Http404
    present = request.POST.get("present") == "1"
    roster_actions.do_mark_attendance(
        session, participant, actor=user, present=present, request=request
    )
    if request.headers.get("HX-Request") == "true":
        return render(
            request,
            "training/_attendance_toggle.html",
            {"seminar": participant.seminar, "session": session, "p": participant, "on": present},
        )
    url = reverse("training:attendance", args=[pk, session_pk])
    return redirect(f"{url}#p{participant.pk}")
