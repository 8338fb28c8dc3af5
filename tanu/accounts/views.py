"""Sign-in with a second factor, sign-out and the language switcher."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login

from tanu.accounts import actions
from tanu.accounts.access import current_user, user_for_password_link
from tanu.accounts.forms import AdminPasswordForm, LanguageForm, LoginForm, OtpForm
from tanu.accounts.models import User


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _username_tried(request: HttpRequest, credentials: Any = None) -> str:
    for source in (credentials, getattr(request, "axes_credentials", None), request.POST):
        if isinstance(source, dict) or hasattr(source, "get"):
            value = source.get("username")  # type: ignore[union-attr]
            if value:
                return str(value)
    return ""


def lockout_response(request: HttpRequest, message: str) -> HttpResponse:
    """429: JSON for the API, the sign-in page with the message for the web."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(
        request, "accounts/login.html", {"form": LoginForm(), "error": message}, status=429
    )


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None, *args: Any
) -> HttpResponse:
    """django-axes' lockout answer: too many failures for one username from one address."""
    actions.do_record_lockout(_username_tried(request, credentials), request=request, by="account")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return lockout_response(
        request,
        _(
            "Too many failed attempts. Sign-in is paused for %(minutes)d minutes for this "
            "account from this address."
        )
        % {"minutes": minutes},
    )


def spraying_message() -> str:
    return _(
        "Too many failed sign-ins from this address. Sign-in from here is paused for up to "
        "%(minutes)d minutes."
    ) % {"minutes": settings.TANU_LOGIN_SPRAY_MINUTES}


def address_throttled(request: HttpRequest, username: str) -> HttpResponse | None:
    """The answer when this address has tried too many usernames (password spraying)."""
    if not actions.address_is_throttled(request):
        return None
    actions.do_record_lockout(username, request=request, by="address")
    return lockout_response(request, spraying_message())


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect("home")
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        throttled = address_throttled(request, form.cleaned_data["username"])
        if throttled is not None:
            return throttled
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if isinstance(user, User):
            login(request, user)
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            if not user.language and chosen in dict(settings.LANGUAGES):
                actions.do_set_language(user, chosen)
            actions.do_record_login(user, request=request)
            return redirect(_safe_next(request, "/"))
        if isinstance(user, HttpResponse):  # axes answers with the lockout page
            return user
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        actions.do_record_failed_sign_in(
            form.cleaned_data["username"], request=request, channel="web"
        )
        error = _("The username or password is not right.")
    elif request.method == "POST":
        error = _("Please enter a username and a password.")
    return render(
        request, "accounts/login.html", {"form": form, "error": error}, status=400 if error else 200
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and isinstance(request.user, User):
        actions.do_record_logout(request.user, request=request)
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request, "/"))
        assert isinstance(request.user, User)
        actions.do_record_failed_second_factor(request.user, request=request, channel="web")
        form.add_error("token", _("That code is not valid. Try the current code."))
    return render(
        request, "accounts/otp_verify.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if any(d.confirmed for d in devices_for_user(user)):
        return redirect("accounts:otp_verify")
    device = actions.do_start_mfa_enrolment(user, request=request)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = actions.do_confirm_authenticator(
                device,
                actor=user,
                token=form.cleaned_data["token"].replace(" ", ""),
                request=request,
            )
        except actions.AccountError as exc:
            form.add_error("token", str(exc))
        else:
            if codes is not None:
                otp_login(request, device)
                # Shown once, on this answer only: only their digests are stored.
                return render(request, "accounts/recovery_codes.html", {"codes": codes})
            form.add_error("token", _("That code is not valid. Try the current code."))
    import segno

    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_data_uri(scale=4),
            # Base32 in groups of four, as authenticator apps take a typed key; only until
            # confirmed. The QR code's URI carries the same key.
            "secret": device.grouped_base32_key,
            "config_url": device.config_url,
        },
        status=400 if form.errors else 200,
    )


_PASSWORD_TOKEN = "tanu_password_token"
_TOKEN_IN_SESSION = "set-password"


@require_http_methods(["GET", "POST"])
def set_password_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The one-time link ``tanu createadmin`` prints. As in Django's password reset, the token
    moves at once from the address into the session, so that the page's own requests never
    carry it in a Referer header or an access log line."""
    if token != _TOKEN_IN_SESSION:
        request.session[_PASSWORD_TOKEN] = token
        return redirect("accounts:set_password", uidb64=uidb64, token=_TOKEN_IN_SESSION)
    user = user_for_password_link(uidb64, request.session.get(_PASSWORD_TOKEN, ""))
    if user is None:
        return render(request, "accounts/set_password.html", {"form": None}, status=404)
    form = AdminPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_password(
                user, form.cleaned_data["password1"], actor=user, request=request
            )
        except ValidationError as exc:
            form.add_error("password1", exc)
        else:
            del request.session[_PASSWORD_TOKEN]
            messages.success(request, _("Your password is set. Sign in with it."))
            return redirect("accounts:login")
    return render(
        request,
        "accounts/set_password.html",
        {"form": form, "username": user.get_username()},
        status=400 if form.errors else 200,
    )


@require_POST
def set_language_view(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    target = _safe_next(request, "/")
    response = HttpResponseRedirect(target)
    if form.is_valid():
        language = form.cleaned_data["language"]
        translation.activate(language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite="Lax",
        )
        if request.user.is_authenticated and isinstance(request.user, User):
            actions.do_set_language(request.user, language)
    return response
