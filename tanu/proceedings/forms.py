"""The forms of the proceedings pages. They check the shape of what is typed; the rules (stages,
dates, who may write) are the named actions' (tanu.proceedings.actions)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tanu.lib.forms import CHOOSE, DateInput, DateTimeInput, TanuForm
from tanu.proceedings.actions import ORDER, Outcome
from tanu.proceedings.models import Article, Proceeding, ProtectionMeasure, SuspectCount

MAX_TENGE = 10**12  # a trillion tenge: more is a typing mistake
MAX_MONTHS = 1200
COOPERATION = [
    ("", pgettext_lazy("cooperation", "unknown")),
    ("yes", _("yes")),
    ("no", _("no")),
]


def cooperation_value(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _cooperates(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ArticleChoice(forms.ModelMultipleChoiceField):
    """The active articles as checkboxes, named in the reader's language."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Article.objects.filter(is_active=True),
            widget=forms.CheckboxSelectMultiple,
            label=_("Criminal Code articles"),
            **kwargs,
        )

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}: {obj.name}"

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and not all(
            str(v).isdigit() and len(str(v)) <= 18 for v in value
        ):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": "?"},
            )
        return super().clean(value)


class RevisionMixin(TanuForm):
    """The revision the page was shown with: a write on a newer one is refused."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)

    def expected_revision(self) -> int | None:
        value = self.cleaned_data.get("revision")
        return int(value) if value else None


class RegisterForm(TanuForm):
    case_number = forms.CharField(
        label=_("case number"),
        max_length=40,
        help_text=_("The number of a case referred to your agency."),
    )
    erdr_number = forms.CharField(
        label=_("ЕРДР registration number"),
        max_length=40,
        help_text=_("12 to 20 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    registered_on = forms.DateField(label=_("date registered"), widget=DateInput())
    articles = ArticleChoice()
    person_status = forms.ChoiceField(
        label=_("the person's procedural status"), choices=Proceeding.PersonStatus.choices
    )
    cooperates = forms.ChoiceField(
        label=_("the person agreed to cooperate"), choices=COOPERATION, required=False
    )

    def cooperation(self) -> bool | None:
        return _cooperates(self.cleaned_data.get("cooperates", ""))


class DetailsForm(RevisionMixin):
    erdr_number = RegisterForm.base_fields["erdr_number"]
    registered_on = forms.DateField(label=_("date registered"), widget=DateInput())
    articles = ArticleChoice()
    person_status = forms.ChoiceField(
        label=_("the person's procedural status"), choices=Proceeding.PersonStatus.choices
    )
    cooperates = forms.ChoiceField(
        label=_("the person agreed to cooperate"), choices=COOPERATION, required=False
    )
    compensation_claimed = forms.IntegerField(
        label=_("compensation claimed (tenge)"), min_value=0, max_value=MAX_TENGE, required=False
    )
    compensation_paid = forms.IntegerField(
        label=_("compensation paid (tenge)"), min_value=0, max_value=MAX_TENGE, required=False
    )

    def __init__(self, *args: Any, proceeding: Proceeding | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if proceeding is not None:
            # An article no longer in use stays on the proceedings that have it.
            field = self.fields["articles"]
            assert isinstance(field, ArticleChoice)
            field.queryset = Article.objects.filter(is_active=True) | Article.objects.filter(
                proceedings=proceeding
            )
            field.queryset = field.queryset.distinct()

    def details(self) -> dict[str, Any]:
        data = {
            k: self.cleaned_data.get(k)
            for k in (
                "erdr_number",
                "registered_on",
                "person_status",
                "compensation_claimed",
                "compensation_paid",
            )
        }
        data["cooperates"] = _cooperates(self.cleaned_data.get("cooperates", ""))
        return data


def next_stages(proceeding: Proceeding) -> list[tuple[str, str]]:
    """The stages a proceeding may move to: the ones after its own, and closed."""
    if proceeding.stage == Proceeding.Stage.CLOSED:
        return []
    position = ORDER.index(Proceeding.Stage(proceeding.stage))
    following = [(s.value, str(s.label)) for s in ORDER[position + 1 :]]
    return [*following, (Proceeding.Stage.CLOSED.value, str(Proceeding.Stage.CLOSED.label))]


class StageForm(RevisionMixin):
    stage = forms.ChoiceField(label=_("next stage"), choices=Proceeding.Stage.choices)
    on = forms.DateField(label=_("date of the stage"), widget=DateInput())
    verdict = forms.ChoiceField(
        label=pgettext_lazy("court decision", "verdict"),
        choices=[("", CHOOSE), *Proceeding.Verdict.choices],
        required=False,
        help_text=_("For a verdict only."),
    )
    sentence_months = forms.IntegerField(
        label=_("sentence (months)"),
        min_value=1,
        max_value=MAX_MONTHS,
        required=False,
        help_text=_("For a conviction only."),
    )
    compensation_awarded = forms.IntegerField(
        label=_("compensation awarded (tenge)"),
        min_value=0,
        max_value=MAX_TENGE,
        required=False,
        help_text=_("For a verdict only."),
    )
    closing_reason = forms.ChoiceField(
        label=_("reason for closing"),
        choices=[("", CHOOSE), *Proceeding.ClosingReason.choices],
        required=False,
        help_text=_("For closing only."),
    )

    def __init__(self, *args: Any, proceeding: Proceeding, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["stage"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = next_stages(proceeding)

    def outcome(self) -> Outcome | None:
        if self.cleaned_data.get("stage") != Proceeding.Stage.VERDICT:
            return None
        return Outcome(
            verdict=self.cleaned_data.get("verdict") or "",
            sentence_months=self.cleaned_data.get("sentence_months"),
            compensation_awarded=self.cleaned_data.get("compensation_awarded"),
        )


class SuspectRowForm(forms.Form):
    """One row: how many suspects or accused of a role, sex and citizenship. No names."""

    standing = forms.ChoiceField(
        label=_("standing"), choices=[("", CHOOSE), *SuspectCount.Standing.choices], required=False
    )
    role = forms.ChoiceField(
        label=_("role"), choices=[("", CHOOSE), *SuspectCount.Role.choices], required=False
    )
    sex = forms.ChoiceField(
        label=_("sex"), choices=[("", CHOOSE), *SuspectCount.Sex.choices], required=False
    )
    citizenship = forms.RegexField(
        label=_("citizenship"),
        regex=r"^\s*[A-Za-z]{2}\s*$",
        required=False,
        max_length=4,
        error_messages={"invalid": _("Two letters, as KZ or UZ.")},
        widget=forms.TextInput(attrs={"size": 3, "autocapitalize": "characters"}),
    )
    count = forms.IntegerField(label=_("number"), min_value=0, max_value=999, required=False)

    def row(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data or not any(data.get(k) for k in ("standing", "role", "sex", "count")):
            return None  # an empty row
        return {
            "standing": data.get("standing") or "",
            "role": data.get("role") or "",
            "sex": data.get("sex") or "",
            "citizenship": (data.get("citizenship") or "").strip().upper(),
            "count": data.get("count") or 0,
        }


SuspectFormSet = forms.formset_factory(SuspectRowForm, extra=2, max_num=40, absolute_max=60)


class RevisionForm(RevisionMixin):
    pass


class ProtectionForm(TanuForm):
    kind = forms.ChoiceField(label=_("measure"), choices=ProtectionMeasure.Kind.choices)
    starts_on = forms.DateField(label=_("from"), widget=DateInput())
    ends_on = forms.DateField(label=_("until"), widget=DateInput(), required=False)


class EndProtectionForm(TanuForm):
    ends_on = forms.DateField(label=_("until"), widget=DateInput())


class HearingForm(TanuForm):
    starts_at = forms.DateTimeField(label=_("date and time"), widget=DateTimeInput())
    place = forms.CharField(label=_("place"), max_length=200)
    note = forms.CharField(
        label=_("note for investigators"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only investigators see it; the case worker sees the date and place."),
    )


class ArticleForm(TanuForm):
    number = forms.CharField(label=_("article"), max_length=16)
    name_kk = forms.CharField(label=_("name in Kazakh"), max_length=200)
    name_ru = forms.CharField(label=_("name in Russian"), max_length=200)
    name_en = forms.CharField(label=_("name in English"), max_length=200)
    is_active = forms.BooleanField(label=_("in use"), required=False, initial=True)

    def names(self) -> dict[str, str]:
        return {lang: self.cleaned_data[f"name_{lang}"] for lang in ("kk", "ru", "en")}
