from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanu.audit.models import Action, AuditEntry
from tanu.lib.forms import DateInput

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
_date_range = [
    MinValueValidator(EARLIEST, message=_("Please enter a date between 2000 and 2100.")),
    MaxValueValidator(LATEST, message=_("Please enter a date between 2000 and 2100.")),
]


class AuditSearchForm(forms.Form):
    actor = forms.CharField(
        label=_("user"),
        required=False,
        max_length=151,
        help_text=_("A username, or its beginning followed by * (for example almaty_*)."),
        validators=[
            RegexValidator(
                r"^[\w.@+-]+\*?$",
                message=_(
                    "Enter a username (letters, digits and @ . + - _), optionally ending in *."
                ),
            )
        ],
    )
    action = forms.ChoiceField(
        label=_("action"), required=False, choices=[("", _("any action")), *Action.choices]
    )
    object_type = forms.CharField(
        label=_("object type"),
        required=False,
        max_length=60,
        help_text=_("For example: person, screening, user."),
        validators=[
            RegexValidator(r"^[a-z_]+$", message=_("An object type has only small letters and _."))
        ],
    )
    object_id = forms.CharField(
        label=_("object number"),
        required=False,
        max_length=64,
        validators=[
            RegexValidator(
                r"^[\w.:-]+$", message=_("An object number has only letters, digits and . : - _.")
            )
        ],
    )
    date_from = forms.DateField(
        label=_("from"),
        required=False,
        widget=DateInput(),
        validators=_date_range,
    )
    date_to = forms.DateField(
        label=_("to"),
        required=False,
        widget=DateInput(),
        validators=_date_range,
    )
    flagged = forms.BooleanField(label=_("flagged entries only"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filter(self, qs: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """Narrow a queryset with the cleaned filters. Call only on a valid form."""
        data = self.cleaned_data
        actor = data.get("actor") or ""
        if actor.endswith("*"):
            qs = qs.filter(actor_username__startswith=actor[:-1])
        elif actor:
            qs = qs.filter(actor_username=actor)
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("object_type"):
            qs = qs.filter(object_type=data["object_type"])
        if data.get("object_id"):
            qs = qs.filter(object_id=data["object_id"])
        if data.get("date_from"):
            qs = qs.filter(at__gte=_start_of_day(data["date_from"]))
        if data.get("date_to"):
            qs = qs.filter(at__lt=_start_of_day(data["date_to"] + dt.timedelta(days=1)))
        if data.get("flagged"):
            qs = qs.filter(flagged=True)
        return qs


def _start_of_day(day: dt.date) -> dt.datetime:
    """Midnight of a day in the installation's time zone (officials think in local dates)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class ReviewAlertForm(forms.Form):
    note = forms.CharField(
        label=_("review note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What you checked and found, for example: 'Assigned to the Shymkent cases this week'. "
            "No names or personal details."
        ),
    )
