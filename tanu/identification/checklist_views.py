"""Checklist versions for national administrators: import a spreadsheet, see what it changes,
approve (a second national administrator) or reject. Thin views: access, form, action, redirect."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tanu.accounts.access import current_user as _user
from tanu.accounts.models import User
from tanu.identification import catalogue, presentation, xlsform
from tanu.identification import checklist_versions as versions
from tanu.identification.checklist_forms import ApproveForm, ImportForm
from tanu.identification.engine import InvalidChecklistError
from tanu.identification.models import ChecklistVersion

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GRADES = {
    "strong": gettext_lazy("strong"),
    "medium": gettext_lazy("medium"),
    "weak": gettext_lazy("weak"),
}
LANGUAGES = {"kk": "қазақша", "ru": "русский", "en": "English"}
OTHER_PARTS = {
    "title": gettext_lazy("the checklist's title"),
    "dimensions": gettext_lazy("the names of the dimensions"),
    "source": gettext_lazy("the notes on sources"),
}


def _change_rows(changes: versions.Diff | None) -> dict[str, object] | None:
    """The changes of a version, worded for the page in the reader's language."""
    if changes is None:
        return None

    def line(item: dict[str, object], detail: str = "") -> dict[str, str]:
        label = item["label"]
        return {
            "code": str(item["code"]),
            "label": presentation.text(label if isinstance(label, dict) else None),
            "detail": detail,
        }

    return {
        "added": [line(i, str(GRADES.get(i["strength"], i["strength"]))) for i in changes.added],
        "removed": [line(i) for i in changes.removed],
        "regraded": [
            line(i, f"{GRADES.get(old, old)} → {GRADES.get(new, new)}")
            for i, old, new in changes.regraded
        ],
        "moved": [line(i, f"{old} → {new}") for i, old, new in changes.moved],
        "reworded": [
            line(i, ", ".join(LANGUAGES[lang] for lang in langs)) for i, langs in changes.reworded
        ],
        "rule_changed": changes.rule_changed,
        "rule_before": json.dumps(changes.rule_before, ensure_ascii=False),
        "rule_after": json.dumps(changes.rule_after, ensure_ascii=False),
        "other": [OTHER_PARTS[part] for part in changes.other],
        "is_empty": changes.is_empty,
    }


def _national_admin(request: HttpRequest) -> User:
    user = _user(request)
    if not versions.is_national_admin(user):
        raise Http404
    return user


@login_required
@require_http_methods(["GET", "POST"])
def version_list(request: HttpRequest) -> HttpResponse:
    user = _national_admin(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[xlsform.Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            data = xlsform.read_xlsform(form.cleaned_data["file"].read())
            row = versions.do_import_checklist_version(data, actor=user, request=request)
        except xlsform.XLSFormError as exc:
            problems = exc.problems
        except InvalidChecklistError as exc:  # read_xlsform reports these first; a guard
            form.add_error("file", "; ".join(exc.problems))
        except versions.ChecklistVersionError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request,
                _(
                    "The file is kept as a draft. Check the changes below: the new version "
                    "takes effect only when a second national administrator approves it."
                ),
            )
            # To the changes (a fragment of its own, not the form's #import kept by the browser).
            return redirect(reverse("identification:checklist_version", args=[row.pk]) + "#changes")
    rows = list(versions.versions_for(user).order_by("checklist_id", "-version"))
    return render(
        request,
        "identification/checklist_versions.html",
        {
            "form": form,
            "problems": problems,
            "in_force": list(catalogue.current_versions().values()),
            "waiting": [row for row in rows if row.status == ChecklistVersion.Status.DRAFT],
            "rows": rows,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _national_admin(request)
    row = versions.get_version_for_user(user, pk)
    return _detail(request, user, row, ApproveForm())


def _detail(
    request: HttpRequest, user: User, row: ChecklistVersion, form: ApproveForm, status: int = 200
) -> HttpResponse:
    in_force, changes = versions.diff_against_in_force(row)
    is_draft = row.status == ChecklistVersion.Status.DRAFT
    return render(
        request,
        "identification/checklist_version.html",
        {
            "row": row,
            "in_force": in_force,
            "changes": _change_rows(changes),
            "form": form,
            "is_draft": is_draft,
            "may_approve": is_draft and row.created_by_id != user.pk,
        },
        status=status,
    )


@login_required
@require_POST
def version_approve(request: HttpRequest, pk: int) -> HttpResponse:
    user = _national_admin(request)
    row = versions.get_version_for_user(user, pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            versions.do_approve_checklist_version(
                row,
                actor=user,
                effective_from=form.cleaned_data["effective_from"],
                request=request,
            )
        except versions.ChecklistVersionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The version is approved."))
            return redirect("identification:checklist_version", pk=row.pk)
    return _detail(request, user, row, form, status=400)


@login_required
@require_POST
def version_reject(request: HttpRequest, pk: int) -> HttpResponse:
    user = _national_admin(request)
    row = versions.get_version_for_user(user, pk)
    try:
        versions.do_reject_checklist_version(row, actor=user, request=request)
    except versions.ChecklistVersionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The version is rejected; it never takes effect."))
    return redirect("identification:checklist_version", pk=row.pk)


@login_required
@require_GET
def version_xlsform(request: HttpRequest, pk: int) -> HttpResponse:
    user = _national_admin(request)
    row = versions.get_version_for_user(user, pk)
    response = HttpResponse(xlsform.write_xlsform(row.data), content_type=XLSX)
    name = f"{row.checklist_id}-v{row.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
