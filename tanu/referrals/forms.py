from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tanu.cases.models import Consent
from tanu.lib.forms import DateInput, TanuForm
from tanu.referrals.models import (
    MINIMUM_FIELDS,
    SHAREABLE_FIELD_LABELS,
    IdentificationDecision,
    Referral,
    Service,
)

FIELD_LABELS = SHAREABLE_FIELD_LABELS


def _consent_label(consent: Consent) -> str:
    covered = consent.service or consent.agency
    name = covered.name if covered is not None else consent.service_name
    fields = ", ".join(
        str(FIELD_LABELS[f]) for f in consent.shared_fields or [] if f in FIELD_LABELS
    )
    return (
        f"{consent.get_purpose_display()}{f' ({name})' if name else ''}"
        f"{f': {fields}' if fields else ''} · {consent.recorded_at:%Y-%m-%d}"
    )


class ReferralForm(TanuForm):
    service = forms.ModelChoiceField(label=_("service"), queryset=Service.objects.none())
    purpose = forms.CharField(label=_("purpose"), max_length=300)
    urgency = forms.ChoiceField(label=_("urgency"), choices=Referral.Urgency.choices)
    shared_fields = forms.MultipleChoiceField(
        label=_("information to share (the minimum is preselected)"),
        choices=list(FIELD_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        initial=list(MINIMUM_FIELDS),
        required=False,
    )
    consent = forms.ModelChoiceField(
        label=_("recorded consent"), queryset=Consent.objects.none(), required=False
    )
    consent_exception = forms.ChoiceField(
        label=_("or an exception to consent"),
        choices=Referral.ConsentException.choices,
        required=False,
    )
    exception_reason = forms.CharField(
        label=_("reason for the exception"), required=False, widget=forms.Textarea, max_length=1000
    )
    due_date = forms.DateField(
        label=_("answer due by (optional)"),
        required=False,
        widget=DateInput(),
    )

    def __init__(
        self,
        *args: Any,
        services: QuerySet[Service],
        consents: QuerySet[Consent],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["consent"].queryset = consents  # type: ignore[attr-defined]
        self.fields["consent"].label_from_instance = _consent_label  # type: ignore[attr-defined]


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("reason"), min_length=5, max_length=500)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("reason for declining"), max_length=500)


class ServiceRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("service"), choices=Service.Kind.choices)
    given_on = forms.DateField(label=_("date"), widget=DateInput())
    description = forms.CharField(
        label=_("what was done"), required=False, widget=forms.Textarea, max_length=2000
    )


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("feedback on the services given"),
        required=False,
        widget=forms.Textarea,
        max_length=2000,
    )
    external_outcome = forms.CharField(
        label=_("outcome of an outside referral"),
        required=False,
        widget=forms.Textarea,
        max_length=2000,
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("note"), widget=forms.Textarea, max_length=10000)


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("decision"), choices=IdentificationDecision.Status.choices)
    reasons = forms.CharField(label=_("reasons"), widget=forms.Textarea, max_length=2000)
    due_date = forms.DateField(
        label=_("final decision due by"),
        required=False,
        widget=DateInput(),
    )


class ReviewForm(forms.Form):
    confirm = forms.TypedChoiceField(
        label=_("review"),
        choices=[("1", _("confirm the decision")), ("0", _("overturn the decision"))],
        coerce=lambda v: v == "1",
    )
    reasons = forms.CharField(label=_("reasons"), widget=forms.Textarea, max_length=2000)


class SlipForm(forms.Form):
    lang = forms.ChoiceField(choices=[("kk", "kk"), ("ru", "ru"), ("en", "en")], required=False)
