"""Forms of the review queue, merges and contact requests. Reasons are free text: encrypted
where they are kept (tanu.linkage.models), named but never quoted in the audit's fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tanu.cases.models import MINIMUM_FIELDS, SHAREABLE_FIELD_LABELS, SHAREABLE_FIELDS
from tanu.lib.forms import TanuForm
from tanu.referrals.models import Service


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("note for the agency that asked (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
    )


class ShareForm(TanuForm):
    """Sharing is a referral of the holding agency's case to a service of the agency that
    asked, under the referral rules."""

    service = forms.ModelChoiceField(
        label=_("service of the agency that asked"), queryset=Service.objects.none()
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("information shared"),
        choices=[(name, SHAREABLE_FIELD_LABELS[name]) for name in SHAREABLE_FIELDS],
        widget=forms.CheckboxSelectMultiple,
        initial=list(MINIMUM_FIELDS),
        help_text=_("Only what the person's consent covers can be shared."),
    )
    purpose = forms.CharField(
        label=_("purpose"),
        max_length=300,
        initial=_("contact about a person both agencies hold"),
    )

    def __init__(self, *args: Any, services: list[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Service.objects.filter(pk__in=[s.pk for s in services])
