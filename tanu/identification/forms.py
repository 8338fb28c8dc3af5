from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanu.identification.models import (
    SCREENING_CONTEXT_FIELDS,
    Answer,
    Judgement,
    Screening,
    StopReason,
)
from tanu.lib.forms import DateInput, TanuModelForm

INTERVIEW_LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
    ("uz", _("Uzbek")),
    ("ky", _("Kyrgyz")),
    ("tg", _("Tajik")),
    ("other", _("another language")),
]


class ScreeningContextForm(TanuModelForm):
    interview_language = forms.ChoiceField(
        label=_("interview language"), choices=INTERVIEW_LANGUAGES
    )

    class Meta:
        model = Screening
        fields = list(SCREENING_CONTEXT_FIELDS)
        widgets = {"screened_on": DateInput()}

    def __init__(self, *args: Any, paper: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not paper:
            self.fields["screened_on"].required = False
        self.fields["screened_on"].help_text = _(
            "For a paper form typed in later: the date the screening really took place."
        )
        self.fields["age_group"].help_text = _(
            "If the person may be under 18, choose 'may be a child': they are screened as a child."
        )

    def clean_screened_on(self) -> Any:
        value = self.cleaned_data.get("screened_on") or timezone.localdate()
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        age = data.get("age_years")
        group = data.get("age_group")
        if age is not None:
            if age > 120:
                self.add_error("age_years", _("Please enter an age between 0 and 120."))
            elif group == "adult" and age < 18:
                self.add_error("age_group", _("An age under 18 means a child: choose 'child'."))
            elif group == "child" and age >= 18:
                self.add_error("age_group", _("An age of 18 or more means an adult."))
        return data


class FinaliseForm(forms.Form):
    judgement = forms.ChoiceField(label=_("your own judgement"), choices=Judgement.choices)
    notes = forms.CharField(
        label=_("your notes"), required=False, widget=forms.Textarea, max_length=5000
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    stop_reason = forms.ChoiceField(
        label=_("why the interview stopped"),
        choices=[("", _("Choose why the interview stopped")), *StopReason.choices],
        required=False,
        help_text=_(
            "Needed when not enough was asked to rule anything out: the screening is then "
            "finalised as incomplete, never as no indication."
        ),
    )
    stop_note = forms.CharField(
        label=_("about the stop"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Required for another reason."),
    )


class RevisionForm(forms.Form):
    revision = forms.IntegerField(required=False, min_value=1)


def parse_answers(data: Any, codes: set[str]) -> dict[str, str]:
    """Answers posted as ans-<code>=<answer>; anything else is ignored."""
    answers: dict[str, str] = {}
    for key in data:
        if not key.startswith("ans-"):
            continue
        code = key[4:]
        value = data.get(key)
        if code in codes and value in Answer.values:
            answers[code] = value
    return answers
