"""Form pieces every app uses: date inputs a browser can read, and worded empty choices.

**Dates.** A browser's ``<input type="date">`` reads only ISO values (``2026-01-15``). Django's
own ``DateInput`` writes the value in the first input format of the active language, which is
``15.01.2026`` in Russian: the browser then shows an empty field, and an edit loses the date.
:class:`DateInput` (and :class:`DateTimeInput`, :class:`TimeInput`) always write ISO. Reading
needs nothing: Django accepts ISO input in every language, besides the local formats.

**Empty choices.** An optional choice, or a required one with nothing chosen yet, shows an empty
option. Django writes it ``---------``; :func:`word_empty_choices` turns it (and a bare dash)
into a worded prompt, "— choose —" in the reader's language. The forms with such a choice
inherit from :class:`TanuForm` or :class:`TanuModelForm`, which call it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CHOOSE",
    "DateInput",
    "DateTimeInput",
    "TanuForm",
    "TanuModelForm",
    "TimeInput",
    "word_empty_choices",
]

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"
ISO_TIME = "%H:%M"

CHOOSE = _("— choose —")
# Labels of an empty choice that say nothing to the reader.
_WORDLESS = {"", "-", "—", "–", "---------"}


class DateInput(forms.DateInput):
    """``<input type="date">`` with an ISO value in every language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    """``<input type="datetime-local">`` with an ISO value (``2026-01-15T09:30``)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATETIME)


class TimeInput(forms.TimeInput):
    """``<input type="time">`` with an ISO value (``09:30``)."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_TIME)


def _wordless(label: Any) -> bool:
    return isinstance(label, str | Promise) and str(label).strip() in _WORDLESS


def word_empty_choices(form: forms.BaseForm) -> None:
    """Give every empty choice of the form's fields the worded prompt instead of dashes."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None and _wordless(field.empty_label):
                field.empty_label = CHOOSE
        elif isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.MultipleChoiceField
        ):
            choices = list(cast(Iterable[tuple[Any, Any]], field.choices))
            if any(value == "" and _wordless(label) for value, label in choices):
                field.choices = [
                    (value, CHOOSE if value == "" and _wordless(label) else label)
                    for value, label in choices
                ]


class TanuForm(forms.Form):
    """A form whose empty choices are worded (see :func:`word_empty_choices`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        word_empty_choices(self)


class TanuModelForm(forms.ModelForm):
    """A model form whose empty choices are worded (see :func:`word_empty_choices`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        word_empty_choices(self)
