"""Dates and numbers as each reader writes them (tanu/formats): Kazakh, Russian and English."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

DAY = date(2026, 12, 4)
TEMPLATE = Template(
    "{% load humanize %}"
    '{{ day|date:"SHORT_DATE_FORMAT" }}|{{ day|date:"DATE_FORMAT" }}|'
    "{{ share|floatformat:2 }}|{{ count|intcomma }}|"
    '{{ moment|date:"SHORT_DATETIME_FORMAT" }}'
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "04.12.2026|4 желтоқсан 2026 ж.|0,75|12\xa0345|04.12.2026 14:30"),
        ("ru", "04.12.2026|4 декабря 2026 г.|0,75|12\xa0345|04.12.2026 14:30"),
        ("en", "04.12.2026|4 December 2026|0.75|12,345|04.12.2026 14:30"),
    ],
)
def test_dates_and_numbers_render_in_the_readers_format(language: str, expected: str) -> None:
    moment = timezone.make_aware(datetime(2026, 12, 4, 14, 30))
    context = Context({"day": DAY, "share": 0.75, "count": 12345, "moment": moment})
    with translation.override(language):
        assert TEMPLATE.render(context) == expected


def test_kazakh_forms_accept_the_national_date_and_the_date_pickers_iso_date() -> None:
    from django import forms

    class DayForm(forms.Form):
        day = forms.DateField()

    with translation.override("kk"):
        for typed in ("04.12.2026", "2026-12-04"):
            form = DayForm({"day": typed})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["day"] == DAY


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_month_has_its_own_name_inside_a_date(language: str) -> None:
    with translation.override(language):
        names = {
            Template('{{ d|date:"E" }}').render(Context({"d": date(2026, m, 1)}))
            for m in range(1, 13)
        }
    assert len(names) == 12
    if language == "kk":
        assert all(name == name.lower() for name in names)
