"""Project-level pages: home, health check, accessibility statement, error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from tanu import health
from tanu.accounts.context_processors import tanu as tanu_context


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


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring, over plain HTTP too (SECURE_REDIRECT_EXEMPT): the
    database, the task queue and the newest audit anchor; 503 when the database does not answer
    (tanu.health)."""
    body, status = health.report()
    response = JsonResponse(body, status=status)
    patch_cache_control(response, no_store=True)
    return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the site's icon."""
    response = HttpResponseRedirect(static("tanu/favicon.svg"))
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response


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
    """The 500 page never reads the database: it may be why the request failed. No context
    processors (they read the user, the session, the messages), only a plain context: the page
    in the site's layout without the menu, in the language the request already has (chosen from
    the cookie or the browser, or the user's language once it was read). JSON under /api/. The
    headers (CSP, HSTS) come from the middleware the answer goes back through."""
    if request.path.startswith("/api/"):
        message = _("The error was recorded. Please try again later.")
        return JsonResponse({"detail": message}, status=500)
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    with translation.override(language):
        title = _("Something went wrong")
        message = _("The error was recorded. Please try again later.")
        context = {**tanu_context(request), "csrf_token": get_token(request)}
        try:
            page = render_to_string("500.html", context)
        except ValueError:  # no static files' manifest yet (see _error_page)
            page = render_to_string("error_plain.html", {"title": title, "message": message})
    return HttpResponse(page, status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("The request is not valid.")}, status=400)
    message = _("The request could not be understood.")
    return _error_page(request, "400.html", 400, _("Bad request"), message)
