"""Forms of the checklist-version pages."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tanu.lib.forms import DateInput

#: A checklist workbook is a few hundred kilobytes; anything far larger is not one.
MAX_FILE_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm file (.xlsx)"),
        help_text=_("A checklist exported from tanu and edited in a spreadsheet program."),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is too large for a checklist (over 5 MB)."))
        return upload


class ApproveForm(forms.Form):
    effective_from = forms.DateField(
        label=_("In force from"),
        widget=DateInput(),
        help_text=_("Today or later. Screenings dated before this day keep the version they used."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["effective_from"].initial = timezone.localdate()

    def clean_effective_from(self) -> date:
        value: date = self.cleaned_data["effective_from"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("A new version cannot take effect in the past."))
        return value
