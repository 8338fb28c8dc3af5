"""Sign-in with a second factor, sign-out and the language switcher."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tanu.accounts import actions
from tanu.accounts.forms import LanguageForm, LoginForm, OtpForm
from tanu.accounts.models import User
from tanu.audit.actions import record
from tanu.audit.models import Action


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm()
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "error": _(
                "Too many failed attempts. Sign-in is paused for %(minutes)d minutes for this "
                "account from this address."
            )
            % {"minutes": minutes},
        },
        status=429,
    )


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect("home")
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
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
        record(
            Action.LOGIN_FAILED,
            actor=None,
            actor_username="",
            object_type="user",
            request=request,
        )
        error = _("The username or password is not right.")
    elif request.method == "POST":
        error = _("Please enter a username and a password.")
    return render(
        request, "accounts/login.html", {"form": form, "error": error}, status=400 if error else 200
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(Action.LOGOUT, actor=request.user, object_type="user", object_id=request.user.pk)
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
        form.add_error("token", _("That code is not valid. Try the current code."))
    return render(
        request, "accounts/otp_verify.html", {"form": form}, status=400 if form.errors else 200
    )


def _pending_totp(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if any(d.confirmed for d in devices_for_user(user)):
        return redirect("accounts:otp_verify")
    device = _pending_totp(user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            static, _created = StaticDevice.objects.get_or_create(
                user=user, name="recovery", defaults={"confirmed": True}
            )
            static.token_set.all().delete()
            codes = [StaticToken.random_token() for _i in range(10)]
            for code in codes:
                static.token_set.create(token=code)
            otp_login(request, device)
            record(Action.UPDATE, actor=user, object_type="user", object_id=user.pk, fields=["mfa"])
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
            "secret": device.key,
            "config_url": device.config_url,
        },
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
