"""Administration of users, agencies and regions (the administrator role; no case data).

The user page shows role, agency, password, second factor and whether the account is active, but
does not edit them: each changes through a small page that runs a named action (tanu.accounts.
actions), which writes an audit entry and tells the official. No second-factor device is in the
admin: seeds and recovery codes are not readable by anyone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tanu.accounts import actions
from tanu.accounts.access import get_managed_user
from tanu.accounts.forms import AdminPasswordForm, AgencyForm, ConfirmForm, RoleForm
from tanu.accounts.models import Agency, Region, RoleChangeRequest, User

# The Django admin is for technical repairs by superusers only; administrators manage users and
# agencies on tanu's own pages (/accounts/users/, /accounts/agencies/).
admin.site.site_header = gettext_lazy("tanu: technical administration")
admin.site.site_title = gettext_lazy("tanu: technical administration")
admin.site.index_title = gettext_lazy("Technical repairs (superusers only)")
admin.site.site_url = "/accounts/users/"


def _superusers_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = _superusers_only  # type: ignore[method-assign]


def _refuse_others(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in officials who are not superusers find no admin here (404), not a second
    sign-in form."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not _superusers_only(request):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# Sign-in to the admin goes through tanu's own sign-in page (throttling, audit, second factor).
admin.site.login = login_required(_refuse_others(admin.site.login))  # type: ignore[method-assign]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "short", "name_en", "name_ru", "name_kk", "kind")
    search_fields = ("code", "name_en", "name_ru", "name_kk")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name_en", "kind", "region", "is_active")
    list_filter = ("kind", "region", "is_active")
    search_fields = ("name_en", "name_ru", "name_kk")


def _admin(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@admin.action(description=gettext_lazy("Disable the selected users and end their sessions"))
def disable_users(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]
) -> None:
    for user in queryset:
        actions.do_disable_user(user, actor=_admin(request), request=request)
    messages.success(request, _("The selected users were disabled."))


@admin.action(description=gettext_lazy("Enable the selected users"))
def enable_users(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]
) -> None:
    for user in queryset:
        actions.do_enable_user(user, actor=_admin(request), request=request)
    messages.success(request, _("The selected users were enabled."))


# Fields that change only through a named action.
GUARDED_FIELDS = (
    "role",
    "agency",
    "is_active",
    "is_staff",
    "is_superuser",
    "groups",
    "user_permissions",
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "role", "agency", "is_active", "last_login")
    list_filter = ("role", "is_active", "agency__region")
    actions = [disable_users, enable_users]
    fieldsets = (
        (None, {"fields": ("username", "account_actions")}),
        (gettext_lazy("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (
            gettext_lazy("Membership"),
            {"fields": ("agency", "role", "language", "is_active", "disabled_at")},
        ),
        (
            gettext_lazy("Permissions"),
            {"fields": ("is_staff", "is_superuser", "second_factor", "pending_role")},
        ),
        (gettext_lazy("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = (
        *GUARDED_FIELDS,
        "disabled_at",
        "last_login",
        "date_joined",
        "account_actions",
        "second_factor",
        "pending_role",
    )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # accounts are disabled, not deleted: the audit trail names them

    @admin.display(description=gettext_lazy("Changes"))
    def account_actions(self, obj: User) -> str:
        if obj.pk is None:
            return ""
        links = [
            ("accounts_user_role", gettext_lazy("Change role")),
            ("accounts_user_agency", gettext_lazy("Change agency")),
            ("auth_user_password_change", gettext_lazy("Set a new password")),
            ("accounts_user_reset_mfa", gettext_lazy("Reset two-factor authentication")),
            (
                "accounts_user_disable" if obj.is_active else "accounts_user_enable",
                gettext_lazy("Disable the account")
                if obj.is_active
                else gettext_lazy("Enable the account"),
            ),
        ]
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            ((reverse(f"admin:{name}", args=[obj.pk]), label) for name, label in links),
        )

    @admin.display(description=gettext_lazy("Two-factor authentication"))
    def second_factor(self, obj: User) -> str:
        if obj.pk and obj.authenticatordevice_set.filter(confirmed=True).exists():
            return _("set up")
        return _("not set up")

    @admin.display(description=gettext_lazy("Role change waiting for approval"))
    def pending_role(self, obj: User) -> str:
        pending = obj.role_requests.filter(status=RoleChangeRequest.Status.PENDING).first()
        return str(pending.get_role_display()) if pending else "—"

    def save_model(self, request: HttpRequest, obj: User, form: forms.Form, change: bool) -> None:
        from tanu.audit.actions import record
        from tanu.audit.models import Action, ObjectType

        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changed = sorted(f for f in form.changed_data if f not in ("password1", "password2"))
            record(
                Action.UPDATE if change else Action.CREATE,
                actor=_admin(request),
                object_type=ObjectType.USER,
                object_id=obj.pk,
                fields=changed,
                request=request,
            )

    # --- the named actions' pages -----------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        mine = [
            path("<int:pk>/role/", wrap(self.role_view), name="accounts_user_role"),
            path("<int:pk>/agency/", wrap(self.agency_view), name="accounts_user_agency"),
            path("<int:pk>/reset-mfa/", wrap(self.reset_mfa_view), name="accounts_user_reset_mfa"),
            path("<int:pk>/disable/", wrap(self.disable_view), name="accounts_user_disable"),
            path("<int:pk>/enable/", wrap(self.enable_view), name="accounts_user_enable"),
        ]
        return mine + super().get_urls()

    def _page(
        self, request: HttpRequest, official: User, form: forms.Form, title: str, help_text: str
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": official,
            "title": title,
            "help_text": help_text,
            "form": form,
        }
        return TemplateResponse(
            request,
            "admin/accounts/user_action.html",
            context,
            status=400 if form.errors else 200,
        )

    def _done(self, official: User, message: str, request: HttpRequest) -> HttpResponse:
        messages.success(request, message)
        return redirect("admin:accounts_user_change", official.pk)

    def role_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        official = get_managed_user(_admin(request), pk)
        form = RoleForm(request.POST or None, initial={"role": official.role})
        if request.method == "POST" and form.is_valid():
            try:
                pending = actions.do_change_role(
                    official, form.cleaned_data["role"], actor=_admin(request), request=request
                )
            except actions.AccountError as exc:
                form.add_error(None, str(exc))
            else:
                if pending is not None:
                    return self._done(
                        official,
                        _("The role change is waiting for a second administrator to approve it."),
                        request,
                    )
                return self._done(official, _("The role was changed."), request)
        return self._page(
            request,
            official,
            form,
            _("Change role"),
            _(
                "A role that sees personal data takes effect only when a second administrator "
                "approves it. Nobody can change their own role."
            ),
        )

    def agency_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        official = get_managed_user(_admin(request), pk)
        form = AgencyForm(request.POST or None, initial={"agency": official.agency_id})
        if request.method == "POST" and form.is_valid():
            try:
                actions.do_change_agency(
                    official, form.cleaned_data["agency"], actor=_admin(request), request=request
                )
            except actions.AccountError as exc:
                form.add_error(None, str(exc))
            else:
                return self._done(official, _("The agency was changed."), request)
        return self._page(
            request,
            official,
            form,
            _("Change agency"),
            _("Nobody can change their own agency."),
        )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        try:
            official = get_managed_user(_admin(request), int(id))
        except ValueError:
            official = get_managed_user(_admin(request), 0)
        form = AdminPasswordForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                actions.do_set_password(
                    official, form.cleaned_data["password1"], actor=_admin(request), request=request
                )
            except ValidationError as exc:
                form.add_error("password1", exc)
            else:
                return self._done(official, _("The new password was set."), request)
        return self._page(
            request,
            official,
            form,
            _("Set a new password"),
            _(
                "The official's sessions and API tokens end. Their two-factor authentication "
                "stays: the new password alone does not let anyone sign in as them."
            ),
        )

    def _confirm(
        self,
        request: HttpRequest,
        pk: int,
        run: Any,
        title: str,
        help_text: str,
        done: str,
    ) -> HttpResponse:
        official = get_managed_user(_admin(request), pk)
        form = ConfirmForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                run(official, actor=_admin(request), request=request)
            except actions.AccountError as exc:
                form.add_error(None, str(exc))
            else:
                return self._done(official, done, request)
        return self._page(request, official, form, title, help_text)

    def reset_mfa_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._confirm(
            request,
            pk,
            actions.do_reset_mfa,
            _("Reset two-factor authentication"),
            _(
                "The official's authenticator and recovery codes are removed and their sessions "
                "end. They set up two-factor authentication again at their next sign-in."
            ),
            _("Two-factor authentication was reset."),
        )

    def disable_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._confirm(
            request,
            pk,
            actions.do_disable_user,
            _("Disable the account"),
            _("The official can no longer sign in; their sessions and API tokens end at once."),
            _("The account was disabled."),
        )

    def enable_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._confirm(
            request,
            pk,
            actions.do_enable_user,
            _("Enable the account"),
            _("The official can sign in again."),
            _("The account was enabled."),
        )


def _decide(request: HttpRequest, queryset: QuerySet[RoleChangeRequest], approve: bool) -> None:
    run = actions.do_approve_role_change if approve else actions.do_reject_role_change
    for row in queryset:
        try:
            run(row, actor=_admin(request), request=request)
        except actions.AccountError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The request was approved.") if approve else _("The request was rejected."),
            )


@admin.action(description=gettext_lazy("Approve the selected role changes"))
def approve_requests(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[RoleChangeRequest]
) -> None:
    _decide(request, queryset, approve=True)


@admin.action(description=gettext_lazy("Reject the selected role changes"))
def reject_requests(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[RoleChangeRequest]
) -> None:
    _decide(request, queryset, approve=False)


@admin.register(RoleChangeRequest)
class RoleChangeRequestAdmin(admin.ModelAdmin):
    """Read-only: a request is made on the official's role page and decided by the actions."""

    list_display = ("user", "previous_role", "role", "requested_by", "requested_at", "status")
    list_filter = ("status", "role")
    actions = [approve_requests, reject_requests]
    readonly_fields = (
        "user",
        "role",
        "previous_role",
        "requested_by",
        "requested_at",
        "status",
        "decided_by",
        "decided_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
