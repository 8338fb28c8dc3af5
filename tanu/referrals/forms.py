from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanu.cases.models import Consent
from tanu.lib.forms import CHOOSE, DateInput, TanuForm
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


# The exception to consent is chosen, never assumed: the empty choice is a prompt, and "none"
# (a consent is chosen above) is a choice of its own, read as no exception.
NO_EXCEPTION = "none"


def exception_choices(is_child: bool) -> list[tuple[str, Any]]:
    exception = Referral.ConsentException
    choices: list[tuple[str, Any]] = [
        ("", CHOOSE),
        (NO_EXCEPTION, _("none: the person's consent chosen above")),
    ]
    if is_child:
        choices.append((exception.CHILD.value, exception.CHILD.label))
    choices.append((exception.RISK_TO_LIFE.value, exception.RISK_TO_LIFE.label))
    return choices


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
        choices=exception_choices(is_child=True),
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
        is_child: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["consent"].queryset = consents  # type: ignore[attr-defined]
        self.fields["consent"].label_from_instance = _consent_label  # type: ignore[attr-defined]
        self.fields["consent_exception"].choices = exception_choices(is_child)  # type: ignore[attr-defined]
        # The browser's date picker starts at today; the server refuses an earlier day anyway.
        self.fields["due_date"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean_due_date(self) -> date | None:
        """An answer due before today would make the referral overdue the moment it is sent.
        Today is allowed: an emergency is answered the same day."""
        value: date | None = self.cleaned_data.get("due_date")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The answer cannot be due before today."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        exception = data.get("consent_exception", "")
        if exception == NO_EXCEPTION:
            exception = ""
            if data.get("consent") is None and "consent" not in self.errors:
                self.add_error("consent", _("Choose the recorded consent this referral relies on."))
        elif not exception and data.get("consent") is None and "consent" not in self.errors:
            self.add_error(
                "consent_exception",
                _(
                    "No consent is chosen: choose a recorded consent above, or an exception to "
                    "consent."
                ),
            )
        data["consent_exception"] = exception
        return data


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("reason"), min_length=5, max_length=500)


class DeclineForm(forms.Form):
    """Declining a referral: posted to the status page with status=declined."""

    status = forms.CharField(widget=forms.HiddenInput, initial="declined")
    reason = forms.CharField(
        label=_("reason for declining"),
        max_length=500,
        error_messages={"required": _("Give the reason for declining.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_decline_%s")  # the reveal form has a "reason" too
        super().__init__(*args, **kwargs)


class ServiceRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("service"), choices=Service.Kind.choices)
    given_on = forms.DateField(label=_("date"), widget=DateInput())
    description = forms.CharField(
        label=_("what was done"), required=False, widget=forms.Textarea, max_length=2000
    )

    def clean_given_on(self) -> date:
        value: date = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


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
    text = forms.CharField(
        label=_("note"),
        widget=forms.Textarea,
        max_length=10000,
        error_messages={"required": _("The note is empty.")},
    )


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
