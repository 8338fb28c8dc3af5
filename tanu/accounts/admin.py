"""Administration of users, agencies and regions (the administrator role; no case data)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tanu.accounts import actions
from tanu.accounts.models import Agency, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "short", "name_en", "name_ru", "name_kk", "kind")
    search_fields = ("code", "name_en", "name_ru", "name_kk")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name_en", "kind", "region", "is_active")
    list_filter = ("kind", "region", "is_active")
    search_fields = ("name_en", "name_ru", "name_kk")


@admin.action(description=_("Disable the selected users and end their sessions"))
def disable_users(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]
) -> None:
    assert isinstance(request.user, User)
    for user in queryset:
        actions.do_disable_user(user, actor=request.user, request=request)
    messages.success(request, _("The selected users were disabled."))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "role", "agency", "is_active", "last_login")
    list_filter = ("role", "is_active", "agency__region")
    actions = [disable_users]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Membership"), {"fields": ("agency", "role", "language", "disabled_at")}),
    )
    readonly_fields = ("disabled_at",)
