"""Audit pages: searching the trail and reviewing alerts (administrators and coordinators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tanu.audit import actions
from tanu.audit.access import (
    AuditReader,
    can_read_audit,
    get_alert_for_user,
    visible_alerts,
    visible_entries,
)
from tanu.audit.forms import AuditSearchForm, ReviewAlertForm
from tanu.audit.models import ObjectType
from tanu.lib.pagination import CappedPaginator

PER_PAGE = 50


def _auditor(request: HttpRequest) -> AuditReader:
    """The signed-in official, when they may read the trail; 404 otherwise."""
    user: AuditReader = request.user  # type: ignore[assignment]  # the accounts' User
    if not can_read_audit(user):
        raise Http404
    return user


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user = _auditor(request)
    params = request.GET.copy()
    params.pop("page", None)
    form = AuditSearchForm(params or None)
    page = None
    if not form.is_bound or form.is_valid():
        qs = form.filter(visible_entries(user)) if form.is_bound else visible_entries(user)
        page = CappedPaginator(qs.order_by("-seq"), PER_PAGE).get_page(request.GET.get("page"))
        # Fetch the rows now, so that the entry below cannot shift the page counted above.
        page.object_list = list(page.object_list)
        # Reading the trail is itself on the trail: which filters were used, not their values.
        used = [k for k, v in form.cleaned_data.items() if v] if form.is_bound else []
        actions.record_read(ObjectType.AUDIT_TRAIL, actor=user, fields=used, request=request)
    open_alerts = visible_alerts(user).filter(reviewed_at__isnull=True).count()
    return render(
        request,
        "audit/search.html",
        {"form": form, "page": page, "open_alerts": open_alerts},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    user = _auditor(request)
    reviewed = request.GET.get("reviewed") == "1"
    qs = visible_alerts(user)
    if reviewed:
        qs = qs.filter(reviewed_at__isnull=False).order_by("-reviewed_at", "-pk")
    else:
        qs = qs.filter(reviewed_at__isnull=True)
    page = CappedPaginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(alert, ReviewAlertForm(auto_id=f"alert-{alert.pk}-%s")) for alert in page.object_list]
    return render(
        request,
        "audit/alerts.html",
        {"page": page, "rows": rows, "reviewed": reviewed, "me": user},
    )


@login_required
@require_POST
def alert_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _auditor(request)
    alert = get_alert_for_user(user, pk)
    form = ReviewAlertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write a short note on what you checked."))
        return redirect("audit:alerts")
    try:
        actions.do_review_alert(alert, actor=user, note=form.cleaned_data["note"], request=request)
    except actions.AlertError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The alert is marked as reviewed."))
    return redirect("audit:alerts")
