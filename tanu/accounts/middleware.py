"""Session lifetime, the user's language and the two-factor requirement."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

Handler = Callable[[HttpRequest], HttpResponse]

STARTED = "tanu_started"
SEEN = "tanu_seen"


class SessionLifetimeMiddleware:
    """Ends a session after 30 minutes without a request, or 12 hours after sign-in."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            started = request.session.get(STARTED, now)
            seen = request.session.get(SEEN, now)
            idle = now - seen > settings.TANU_SESSION_IDLE_SECONDS
            too_old = now - started > settings.TANU_SESSION_MAX_SECONDS
            if idle or too_old:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Your session has ended.")}, status=401)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect(settings.LOGIN_URL)
            if STARTED not in request.session:
                request.session[STARTED] = now
            if now - seen >= 30 or SEEN not in request.session:
                request.session[SEEN] = now
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the browser's."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None else ""
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


_OPEN_PREFIXES = (
    "/accounts/",
    "/static/",
    "/i18n/",
    "/healthz",
    "/favicon.ico",
    "/accessibility/",
)


class RequireMfaMiddleware:
    """A user with a second factor must verify it; where MFA is required, a user without one
    must set it up before anything else."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            from django_otp import user_has_device

            has_device = user_has_device(user)
            if has_device or (settings.TANU_REQUIRE_MFA and user.needs_mfa):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("Two-factor verification is required.")}, status=401
                    )
                return redirect("accounts:otp_verify" if has_device else "accounts:otp_setup")
        return self.get_response(request)
