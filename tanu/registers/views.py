"""The register import page, for case workers and coordinators: the template, the upload and its
check, the confirmation, and the import's progress and result (the import itself runs as a
background task: tanu.registers.tasks)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tanu.accounts.access import current_user as _user
from tanu.registers import access, actions, imports
from tanu.registers.models import ImportBatch

#: Problems listed on the page at most; the count of the others follows.
SHOWN_PROBLEMS = 200


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Register (CSV or XLSX)"),
        help_text=gettext_lazy(
            "At most 8 MB and 20,000 rows. If any row has a problem, nothing is imported."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    agency = access.importing_agency(user)
    form = UploadForm(request.POST or None, request.FILES or None)
    checked: imports.CheckedFile | None = None
    file_error = ""
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            if file.size is not None and file.size > imports.MAX_BYTES:
                raise imports.RegisterFileError(imports.too_large())
            data = file.read(imports.MAX_BYTES + 1)
            checked = imports.check_file(data, agency)
            if checked.ok:
                batch = actions.do_keep_checked_file(data, checked, agency=agency, actor=user)
                return redirect("registers:batch", pk=batch.pk)
        except (imports.RegisterFileError, actions.RegisterError) as exc:
            file_error = str(exc)
    failed = request.method == "POST"
    problems = checked.problems if checked else []
    return render(
        request,
        "registers/upload.html",
        {
            "agency": agency,
            "form": form,
            "file_error": file_error,
            "problems": problems[:SHOWN_PROBLEMS],
            "problem_count": len(problems),
            "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
            "columns": imports.COLUMNS,
            "imports": ImportBatch.objects.filter(agency=agency)
            .exclude(status=ImportBatch.Status.CHECKED)
            .select_related("by")[:20],
        },
        status=400 if failed else 200,
    )


@login_required
@require_GET
def template(request: HttpRequest, fmt: str) -> HttpResponse:
    access.importing_agency(_user(request))
    if fmt == "csv":
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            imports.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="register-template.{fmt}"'
    return response


@login_required
@require_GET
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_batch_for_user(_user(request), pk)
    return render(request, "registers/batch.html", {"batch": found})


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_batch_for_user(_user(request), pk)
    return render(request, "registers/_progress.html", {"batch": found})


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = access.get_batch_for_user(user, pk)
    try:
        actions.do_confirm_import(found, actor=user)
    except actions.RegisterError as exc:
        return render(
            request, "registers/batch.html", {"batch": found, "error": str(exc)}, status=400
        )
    return redirect("registers:batch", pk=found.pk)
