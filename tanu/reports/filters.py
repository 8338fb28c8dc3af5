"""The filters of the dashboard, its downloads, the PDF and the API: one GET form, validated.

A coordinator's region is fixed: the region filter may only name their own region (or be
left empty); any other region answers 404, as for any record the user may not see."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanu.accounts.models import Agency, Region
from tanu.cases.models import Sex
from tanu.identification.models import AgeGroup, Form
from tanu.reports.access import Scope

MIN_YEAR = 2000
MAX_YEAR = 2100
FILTER_FIELDS = (
    "region",
    "year",
    "month_from",
    "month_to",
    "form",
    "age_group",
    "sex",
    "agency_type",
)


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("all")), *choices]


class FilterForm(forms.Form):
    region = forms.ChoiceField(label=_("region"), required=False)
    year = forms.IntegerField(
        label=_("year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    month_from = forms.IntegerField(
        label=_("from month"), required=False, min_value=1, max_value=12
    )
    month_to = forms.IntegerField(label=_("to month"), required=False, min_value=1, max_value=12)
    form = forms.ChoiceField(
        label=_("form of exploitation"), required=False, choices=_blank(Form.choices)
    )
    age_group = forms.ChoiceField(label=_("age"), required=False, choices=_blank(AgeGroup.choices))
    sex = forms.ChoiceField(label=_("sex"), required=False, choices=_blank(Sex.choices))
    agency_type = forms.ChoiceField(
        label=_("agency type"), required=False, choices=_blank(Agency.Kind.choices)
    )

    def __init__(self, data: Any, *, scope: Scope, regions: list[Region]) -> None:
        super().__init__(data)
        self.scope = scope
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = _blank([(r.code, r.name) for r in regions])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        month_from, month_to = data.get("month_from"), data.get("month_to")
        if (month_from or month_to) and not data.get("year"):
            raise forms.ValidationError(_("Choose a year to filter by month."))
        if month_from and month_to and month_from > month_to:
            raise forms.ValidationError(_("The first month comes after the last month."))
        return data


@dataclass(frozen=True)
class Filters:
    region_id: int | None = None
    region_code: str = ""
    year: int | None = None
    month_from: int | None = None
    month_to: int | None = None
    form: str = ""
    age_group: str = ""
    sex: str = ""
    agency_type: str = ""

    def date_range(self) -> tuple[date, date] | None:
        """First and last day of the chosen period (inclusive), or None for all time."""
        if self.year is None:
            return None
        first_month = self.month_from or 1
        last_month = self.month_to or 12
        last_day = calendar.monthrange(self.year, last_month)[1]
        return date(self.year, first_month, 1), date(self.year, last_month, last_day)

    def datetime_range(self) -> tuple[datetime, datetime] | None:
        """The period as aware datetimes [start, end) in the installation's time zone."""
        days = self.date_range()
        if days is None:
            return None
        zone = timezone.get_default_timezone()
        start = datetime.combine(days[0], time.min, tzinfo=zone)
        end = datetime.combine(days[1] + timedelta(days=1), time.min, tzinfo=zone)
        return start, end

    def query_string(self) -> str:
        params = {
            "region": self.region_code,
            "year": self.year or "",
            "month_from": self.month_from or "",
            "month_to": self.month_to or "",
            "form": self.form,
            "age_group": self.age_group,
            "sex": self.sex,
            "agency_type": self.agency_type,
        }
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})

    def describe(self) -> dict[str, Any]:
        """The filters as plain values (for the API, exports and the PDF)."""
        return {
            "region": self.region_code or None,
            "year": self.year,
            "month_from": self.month_from,
            "month_to": self.month_to,
            "form": self.form or None,
            "age_group": self.age_group or None,
            "sex": self.sex or None,
            "agency_type": self.agency_type or None,
        }


class FilterError(ValueError):
    """The filters are not valid; the message is for the user."""

    def __init__(self, form: FilterForm) -> None:
        self.form = form
        messages = [str(e) for errors in form.errors.values() for e in errors]
        super().__init__("; ".join(messages))


def regions_for(scope: Scope) -> list[Region]:
    qs = Region.objects.order_by("name_en")
    if scope.region_id is not None:
        qs = qs.filter(pk=scope.region_id)
    return list(qs)


def parse_filters(
    data: QueryDict | dict[str, Any], scope: Scope, regions: list[Region] | None = None
) -> tuple[Filters, FilterForm]:
    """Validated filters within the user's scope. Raises FilterError (bad input: 400) or
    Http404 (a region the user may not see)."""
    regions = regions if regions is not None else regions_for(scope)
    raw = {k: data.get(k, "") for k in FILTER_FIELDS}
    if scope.region_id is not None and raw["region"]:
        own = {r.code for r in regions}
        if str(raw["region"]) not in own:
            raise Http404
    form = FilterForm(raw, scope=scope, regions=regions)
    if not form.is_valid():
        raise FilterError(form)
    data_ = form.cleaned_data
    region = next((r for r in regions if r.code == data_.get("region")), None)
    if region is None and scope.region_id is not None:
        region = next((r for r in regions if r.pk == scope.region_id), None)
    return (
        Filters(
            region_id=region.pk if region else scope.region_id,
            region_code=region.code if region else "",
            year=data_.get("year"),
            month_from=data_.get("month_from"),
            month_to=data_.get("month_to"),
            form=data_.get("form") or "",
            age_group=data_.get("age_group") or "",
            sex=data_.get("sex") or "",
            agency_type=data_.get("agency_type") or "",
        ),
        form,
    )
