from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanu.accounts.models import Agency
from tanu.cases.models import (
    MINIMUM_FIELDS,
    SHAREABLE_FIELD_LABELS,
    Case,
    Consent,
    DataRequest,
    Sex,
)
from tanu.identification.forms import INTERVIEW_LANGUAGES
from tanu.lib.forms import DateInput, TanuForm

DOCUMENT_TYPES = [
    ("id_card", _("identity card")),
    ("passport", _("passport")),
    ("birth_certificate", _("birth certificate")),
    ("residence_permit", _("residence permit")),
    ("other", _("other document")),
]
CONTACT_CHANNELS = [
    ("phone", _("phone")),
    ("messenger", _("messenger")),
    ("email", _("email")),
    ("via_person", _("through a trusted person")),
    ("other", _("other")),
]


class PersonForm(TanuForm):
    """Everything is optional: a case can be opened knowing nothing but what the flow needs."""

    family_name = forms.CharField(label=_("family name"), required=False, max_length=200)
    given_name = forms.CharField(label=_("given name"), required=False, max_length=200)
    patronymic = forms.CharField(label=_("patronymic"), required=False, max_length=200)
    other_names = forms.CharField(
        label=_("other names and spellings"), required=False, max_length=500
    )
    date_of_birth = forms.DateField(label=_("date of birth"), required=False, widget=DateInput())
    estimated_age = forms.IntegerField(
        label=_("estimated age"), required=False, min_value=0, max_value=120
    )
    sex = forms.ChoiceField(label=_("sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    citizenship = forms.CharField(label=_("citizenship"), required=False, max_length=40)
    languages = forms.CharField(label=_("languages"), required=False, max_length=100)
    document_type = forms.ChoiceField(
        label=_("identity document"), choices=[("", "—"), *DOCUMENT_TYPES], required=False
    )
    document_number = forms.CharField(label=_("document number"), required=False, max_length=40)
    contact_channel = forms.ChoiceField(
        label=_("contact channel"), choices=[("", "—"), *CONTACT_CHANNELS], required=False
    )
    contact_value = forms.CharField(label=_("contact"), required=False, max_length=200)
    contact_safe = forms.BooleanField(label=_("safe to use (no one else reads it)"), required=False)
    address = forms.CharField(label=_("address"), required=False, max_length=500)

    def clean_date_of_birth(self) -> date | None:
        value: date | None = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("document_number") and not data.get("document_type"):
            self.add_error("document_type", _("Choose the kind of document."))
        if data.get("contact_value") and not data.get("contact_channel"):
            self.add_error("contact_channel", _("Choose the contact channel."))
        return data

    def person_data(self, existing: dict[str, Any] | None = None) -> dict[str, Any]:
        data = self.cleaned_data
        documents = list((existing or {}).get("documents", []))
        if data.get("document_number"):
            documents = [d for d in documents if d.get("number") != data["document_number"]] + [
                {"type": data["document_type"], "number": data["document_number"]}
            ]
        contacts = list((existing or {}).get("contacts", []))
        if data.get("contact_value"):
            contacts.append(
                {
                    "channel": data["contact_channel"],
                    "value": data["contact_value"],
                    "safe": bool(data.get("contact_safe")),
                }
            )
        dob = data.get("date_of_birth")
        return {
            "family_name": data.get("family_name", ""),
            "given_name": data.get("given_name", ""),
            "patronymic": data.get("patronymic", ""),
            "other_names": data.get("other_names", ""),
            "date_of_birth": dob.isoformat() if dob else "",
            "estimated_age": data.get("estimated_age"),
            "sex": data.get("sex") or Sex.UNKNOWN,
            "citizenship": data.get("citizenship", ""),
            "languages": data.get("languages", ""),
            "documents": documents,
            "contacts": contacts,
            "address": data.get("address", ""),
        }


class DeclineForm(forms.Form):
    sex = forms.ChoiceField(label=_("sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    citizenship = forms.CharField(label=_("citizenship"), required=False, max_length=40)


class ConsentForm(TanuForm):
    purpose = forms.ChoiceField(label=_("purpose"), choices=Consent.Purpose.choices)
    service: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("service the consent covers (referral, law enforcement)"),
        queryset=None,  # set in __init__: the services this case may be referred to
        required=False,
    )
    agency = forms.ModelChoiceField(
        label=_("or every service of an agency"),
        queryset=Agency.objects.none(),
        required=False,
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("information the person agreed to share (the minimum is always included)"),
        choices=list(SHAREABLE_FIELD_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        initial=list(MINIMUM_FIELDS),
        required=False,
    )
    # No default: the official records the person's own answer.
    given = forms.TypedChoiceField(
        label=_("answer"),
        choices=[("1", _("consents")), ("0", _("declines"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    basis = forms.ChoiceField(label=_("basis"), choices=Consent.Basis.choices)
    guardian = forms.CharField(
        label=_("guardian (name and relation)"), required=False, max_length=200
    )
    best_interests_reason = forms.CharField(
        label=_("reason for the best-interests decision"),
        required=False,
        max_length=1000,
        widget=forms.Textarea,
    )
    language = forms.ChoiceField(
        label=_("language of the explanation"), choices=INTERVIEW_LANGUAGES
    )
    interpreter_used = forms.BooleanField(label=_("an interpreter was used"), required=False)

    def __init__(
        self,
        *args: Any,
        services: QuerySet[Any] | None = None,
        agencies: QuerySet[Any] | None = None,
        is_child: bool = False,
        **kwargs: Any,
    ) -> None:
        """`services`: those the case may be referred to (tanu.referrals.directory); `agencies`:
        the agencies that run them. A child's consent is the guardian's or a best-interests
        decision; an adult consents personally, and sees no child-only field."""
        kwargs.setdefault("auto_id", "id_consent_%s")  # other forms of the case page share names
        super().__init__(*args, **kwargs)
        if is_child:
            self.fields["basis"].choices = [  # type: ignore[attr-defined]
                (b.value, b.label) for b in (Consent.Basis.GUARDIAN, Consent.Basis.BEST_INTERESTS)
            ]
        else:
            self.fields["basis"].choices = [  # type: ignore[attr-defined]
                (Consent.Basis.PERSON.value, Consent.Basis.PERSON.label)
            ]
            del self.fields["guardian"]
            del self.fields["best_interests_reason"]
        service_model = Consent._meta.get_field("service").related_model
        assert service_model is not None and not isinstance(service_model, str)
        self.fields["service"].queryset = (  # type: ignore[attr-defined]
            services if services is not None else service_model._default_manager.none()
        )
        if agencies is not None:
            self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("note"),
        widget=forms.Textarea,
        max_length=10000,
        error_messages={"required": _("The note is empty.")},
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(label=_("file"))


class StatusForm(TanuForm):
    status = forms.ChoiceField(label=_("status"), choices=Case.Status.choices)
    closure_reason = forms.ChoiceField(
        label=_("reason for closing"),
        choices=[("", "—"), *Case.ClosureReason.choices],
        required=False,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_case_%s")  # the decision form has a "status" too
        super().__init__(*args, **kwargs)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)


class BreakGlassForm(forms.Form):
    number = forms.CharField(label=_("case number"), max_length=32)
    reason = forms.CharField(label=_("the emergency"), widget=forms.Textarea, max_length=500)


class SearchForm(forms.Form):
    name = forms.CharField(label=_("name"), required=False, max_length=200)
    document = forms.CharField(label=_("document number"), required=False, max_length=40)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("name") or "").strip() and not (data.get("document") or "").strip():
            raise forms.ValidationError(_("Enter a name or a document number."))
        return data


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=DataRequest.Kind.choices)
    details = forms.CharField(
        label=_("what the person asks for"), widget=forms.Textarea, max_length=2000
    )


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("approve")), ("0", _("reject"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("reason for the decision"), max_length=500)
