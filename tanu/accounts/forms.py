from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tanu.accounts.models import Agency, Role
from tanu.lib.forms import TanuModelForm


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=512)


class OtpForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=500)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=Role.choices)


class AgencyForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("New agency"),
        queryset=Agency.objects.filter(is_active=True).select_related("region"),
        required=False,
        empty_label=_("no agency"),
    )


class AdminPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        max_length=512,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        max_length=512,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            raise forms.ValidationError(_("The two passwords differ."))
        return data


class ConfirmForm(forms.Form):
    """A button: the action it confirms needs no other input."""


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by username, name or email"), required=False, max_length=100
    )


class NewUserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("The invitation with the link to set a password goes here."),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(is_active=True).select_related("region"),
        required=False,
        empty_label=_("no agency"),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("no role yet")), *Role.choices],
        required=False,
        help_text=_(
            "A role that sees personal data takes effect only when a second administrator "
            "approves it."
        ),
    )


class AgencyEditForm(TanuModelForm):
    class Meta:
        model = Agency
        fields = ["name_kk", "name_ru", "name_en", "kind", "region", "is_active"]
