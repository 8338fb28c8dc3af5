"""Project-level pages: home, health check, accessibility statement, error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what needs the official now (tanu.worklists), without personal data."""
    from tanu.accounts.models import User
    from tanu.referrals.models import Notification
    from tanu.worklists import home_for

    user = request.user
    assert isinstance(user, User)
    context = {
        "unread": Notification.objects.filter(user=user, read_at__isnull=True).count(),
        "home": home_for(user),
    }
    return render(request, "home.html", context)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


def _error_page(
    request: HttpRequest, template: str, status: int, title: str, message: str
) -> HttpResponse:
    """The error page in the site's layout, or, when that cannot be drawn, the same words on a
    plain page without static files. The layout needs the static files' manifest, which is missing
    until `tanu collectstatic` ran (ValueError); an error page must never fail itself."""
    try:
        return render(request, template, status=status)
    except ValueError:
        context = {"title": title, "message": message}
        return render(request, "error_plain.html", context, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    message = _("There is nothing here, or you do not have access to it.")
    return _error_page(request, "404.html", 404, _("Not found"), message)


def server_error(request: HttpRequest) -> HttpResponse:
    message = _("The error was recorded. Please try again later.")
    return _error_page(request, "500.html", 500, _("Something went wrong"), message)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("The request could not be understood.")
    return _error_page(request, "400.html", 400, _("Bad request"), message)
