from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanu.accounts.models import Agency, Region, User
from tanu.identification.forms import INTERVIEW_LANGUAGES
from tanu.identification.models import AgeGroup, Form
from tanu.lib.forms import DateInput, TanuForm, TanuModelForm
from tanu.monitoring.access import is_registry_admin
from tanu.monitoring.actions import MonitoringError, check_report, team_candidates
from tanu.monitoring.models import FACILITY_FIELDS, Facility, Visit

NO_PERSONAL_DATA = _(
    "No names or other personal data here: record a person through a screening started from "
    "the visit."
)
MAX_COUNT = 100_000
TEXT_LIMIT = 10_000


def _plausible_id(value: Any) -> bool:
    """A primary key the database can compare with (junk like 10**30 overflows SQLite)."""
    text = str(value)
    return text.isdigit() and len(text) <= 18


class SafeChoice(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _plausible_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class SafeMultipleChoice(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and not all(_plausible_id(v) for v in value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": next(str(v) for v in value if not _plausible_id(v))[:20]},
            )
        return super().clean(value)


class TeamMemberChoice(SafeMultipleChoice):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} · {obj.get_role_display()} · {obj.agency.name if obj.agency else ''}"


class OwnerChoice(SafeChoice):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} · {obj.agency.name if obj.agency else ''}"


class RevisionMixin(TanuForm):
    """The revision the user read: a write on a newer one is refused (a concurrent edit)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)


class FacilityForm(TanuModelForm):
    """Monitors and coordinators register facilities of their own region; administrators any."""

    name_ru = forms.CharField(label=_("name in Russian"), max_length=200, required=False)
    name_kk = forms.CharField(label=_("name in Kazakh"), max_length=200, required=False)
    name_en = forms.CharField(label=_("name in English"), max_length=200, required=False)
    region = SafeChoice(label=_("region"), queryset=Region.objects.all())
    operating_agency = SafeChoice(
        label=_("operating agency"), queryset=Agency.objects.none(), required=False
    )

    field_order = ["name_ru", "name_kk", "name_en"]  # Russian first, as the default language

    class Meta:
        model = Facility
        fields = list(FACILITY_FIELDS)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_region: Region | None = None
        if not is_registry_admin(user) and user.agency is not None:
            self.fixed_region = user.agency.region
            del self.fields["region"]
            agencies = Agency.objects.filter(region=self.fixed_region, is_active=True)
        else:
            agencies = Agency.objects.filter(is_active=True).select_related("region")
        self.fields["operating_agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["capacity"].widget.attrs["min"] = 0
        self.fields["name_ru"].help_text = _("Give the name in at least one language.")

    def clean_capacity(self) -> int | None:
        value: int | None = self.cleaned_data.get("capacity")
        if value is not None and value > MAX_COUNT:
            raise forms.ValidationError(_("Please enter a realistic number."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(k) for k in ("name_ru", "name_kk", "name_en")):
            self.add_error("name_ru", _("Give the name in at least one language."))
        region = self.fixed_region or data.get("region")
        agency = data.get("operating_agency")
        if region is not None and agency is not None and agency.region_id != region.pk:
            self.add_error(
                "operating_agency", _("The operating agency must be in the facility's region.")
            )
        return data

    def facility_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if self.fixed_region is not None:
            data["region"] = self.fixed_region
        return data


class VisitPlanForm(RevisionMixin):
    facility = SafeChoice(label=_("facility"), queryset=Facility.objects.none())
    planned_on = forms.DateField(label=_("planned date"), widget=DateInput())
    purpose = forms.CharField(
        label=_("purpose of the visit"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    announced = forms.BooleanField(label=_("announced to the facility in advance"), required=False)
    team = TeamMemberChoice(
        label=_("team"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Monitors, police and NGO staff of the region who go on the visit."),
    )

    def __init__(self, *args: Any, region_id: int, visit: Visit | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = team_candidates(region_id)  # type: ignore[attr-defined]
        if visit is None:
            del self.fields["revision"]
            self.fields["facility"].queryset = Facility.objects.filter(  # type: ignore[attr-defined]
                region_id=region_id, is_active=True
            )
        else:
            del self.fields["facility"]

    def clean_planned_on(self) -> date:
        value: date = self.cleaned_data["planned_on"]
        today = timezone.localdate()
        if not today - timedelta(days=366) <= value <= today + timedelta(days=2 * 366):
            raise forms.ValidationError(_("Choose a date within a year or two of today."))
        return value


class CancelVisitForm(RevisionMixin):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=300)


class VisitReportForm(RevisionMixin):
    visited_on = forms.DateField(label=_("date of the visit"), widget=DateInput())
    duration_minutes = forms.IntegerField(
        label=_("duration (minutes)"), min_value=1, max_value=24 * 60
    )
    adults_present = forms.IntegerField(label=_("adults present"), min_value=0, max_value=MAX_COUNT)
    juveniles_present = forms.IntegerField(
        label=_("juveniles present (under 18)"), min_value=0, max_value=MAX_COUNT
    )
    foreigners_present = forms.IntegerField(
        label=_("of them, foreigners and stateless people"), min_value=0, max_value=MAX_COUNT
    )
    people_screened = forms.IntegerField(
        label=_("people screened"),
        min_value=0,
        max_value=MAX_COUNT,
        help_text=_("Everyone the team screened, on paper or in tanu."),
    )
    access = forms.ChoiceField(
        label=_("access"), choices=[("", "---------"), *Visit.Access.choices]
    )
    access_notes = forms.CharField(
        label=_("observations on access granted or refused"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    conditions = forms.CharField(
        label=_("observations on conditions"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NO_PERSONAL_DATA,
    )
    findings = forms.CharField(
        label=_("findings"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NO_PERSONAL_DATA,
    )
    recommendations = forms.CharField(
        label=_("recommendations"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                check_report(data)
            except MonitoringError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return data

    def report(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "revision"}


class VisitReportDraftForm(VisitReportForm):
    """The report while it is being written: every field may still be empty, and the rules of
    a whole report wait until it is finished. Types and limits hold already, so that nothing
    typed is lost or stored wrong."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "revision":
                field.required = False

    def clean(self) -> dict[str, Any]:
        data = TanuForm.clean(self) or {}
        visited_on = data.get("visited_on")
        if visited_on is not None and visited_on > timezone.localdate():
            self.add_error("visited_on", _("A visit can be recorded only once it has taken place."))
        return data

    def draft(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "revision"}


class VisitScreeningForm(forms.Form):
    age_group = forms.ChoiceField(label=_("age"), choices=AgeGroup.choices)
    form = forms.ChoiceField(
        label=_("form of exploitation"), choices=Form.choices, initial=Form.UNKNOWN
    )
    interview_language = forms.ChoiceField(
        label=_("interview language"), choices=INTERVIEW_LANGUAGES, initial="ru"
    )
    interpreter_used = forms.BooleanField(label=_("an interpreter was used"), required=False)


class FollowUpForm(TanuForm):
    description = forms.CharField(label=_("what is to be done"), max_length=500)
    owner = OwnerChoice(label=_("owner"), queryset=User.objects.none())
    due_on = forms.DateField(label=_("due by"), widget=DateInput())

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_candidates(region_id)  # type: ignore[attr-defined]

    def clean_due_on(self) -> date:
        value: date = self.cleaned_data["due_on"]
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(_("The due date cannot be in the past."))
        if value > today + timedelta(days=3 * 366):
            raise forms.ValidationError(_("Choose a date within three years."))
        return value


class CompleteActionForm(forms.Form):
    outcome = forms.CharField(label=_("what was done"), max_length=500)


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("to"), required=False, widget=DateInput())

    def period(self) -> tuple[date, date]:
        """The chosen period; this calendar year when nothing (or nonsense) was chosen."""
        today = timezone.localdate()
        first, last = date(today.year, 1, 1), date(today.year, 12, 31)
        if self.is_valid():
            first = self.cleaned_data.get("date_from") or first
            last = self.cleaned_data.get("date_to") or last
        return first, last

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            raise forms.ValidationError(_("The period must start before it ends."))
        return data


def parse_month(raw: str | None, today: date) -> date:
    """The first day of the month asked for as YYYY-MM; this month when it makes no sense."""
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)
