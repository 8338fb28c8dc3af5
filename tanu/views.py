"""Project-level pages: home, health check, accessibility statement, error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what needs the official's attention today, without personal data."""
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from tanu.accounts.models import User
    from tanu.cases.access import full_access_filter, visible_cases
    from tanu.referrals.access import visible_referrals
    from tanu.referrals.models import Notification, Referral

    user = request.user
    assert isinstance(user, User)
    today = timezone.localdate()
    context: dict[str, object] = {
        "unread": Notification.objects.filter(user=user, read_at__isnull=True).count()
    }
    if full_access_filter(user) is not None:
        horizon = today + timedelta(days=settings.TANU_REFLECTION_REMINDER_DAYS)
        context["reflection_ending"] = list(
            visible_cases(user)
            .filter(reflection_ends__gte=today, reflection_ends__lte=horizon)
            .exclude(status="closed")
            .order_by("reflection_ends")[:20]
        )
        referrals = visible_referrals(user).filter(status=Referral.Status.SENT)
        context["to_answer"] = list(referrals.filter(to_agency_id=user.agency_id)[:20])
        context["overdue"] = list(
            referrals.filter(from_agency_id=user.agency_id, due_date__lt=today)[:20]
        )
    return render(request, "home.html", context)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.utils.translation import gettext as _

        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)
