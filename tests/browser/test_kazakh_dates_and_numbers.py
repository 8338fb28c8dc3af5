"""Issue 21: a Kazakh reader sees Kazakh dates and numbers on the screening, the case page and the
dashboard (tanu/formats/kk), never the US «12/05/2026» or a decimal point."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import open_case
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

KAZAKH_MONTHS = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip
US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
DECIMAL_POINT = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")


def long_kazakh(day: date) -> str:
    return f"{day.day} {KAZAKH_MONTHS[day.month - 1]} {day.year} ж."


def no_foreign_formats(text: str) -> None:
    assert not US_DATE.search(text), US_DATE.search(text)
    assert not DECIMAL_POINT.search(text), DECIMAL_POINT.search(text)
    assert not re.search(r"\b(Jan|Feb|Dec)\.|[А-ЯӘҒҚҢӨҰҮҺІ][а-яәғқңөұүһі]+\.? \d{1,2}, \d{4}", text)


@pytest.mark.django_db(transaction=True)
def test_a_kazakh_reader_sees_kazakh_dates_and_numbers_on_a_phone(
    live_server: Any, phone: Any, shot: Any, personas: Personas
) -> None:
    case = open_case(personas.screener)
    screening = case.screenings.get()
    today = timezone.localdate()
    base = live_server.url

    sign_in(phone, base, "screener", "kk")
    phone.goto(f"{base}/screenings/{screening.pk}/")
    main = phone.locator("main").inner_text()
    assert long_kazakh(screening.screened_on) in main
    no_foreign_formats(main)
    shot(phone, "formats-1-screening-kk")

    phone.goto(f"{base}/cases/{case.pk}/")
    main = phone.locator("main").inner_text()
    assert today.strftime("%d.%m.%Y") in main  # opened on, in the national short form
    assert case.reflection_ends is not None
    assert long_kazakh(case.reflection_ends) in main  # the reflection period's end, written out
    no_foreign_formats(main)
    shot(phone, "formats-2-case-kk")

    phone.context.clear_cookies()
    sign_in(phone, base, "analyst", "kk")
    phone.goto(f"{base}/reports/")
    main = phone.locator("main").inner_text()
    assert "<5" in main  # one case: a small cell, as everywhere
    no_foreign_formats(main)
    # "Figures as of 4 желтоқсан 2026 ж. 14:30", in local time.
    computed = phone.locator("#computed-at").inner_text()
    assert f"{KAZAKH_MONTHS[today.month - 1]} {today.year} ж." in computed
    shot(phone, "formats-3-dashboard-kk")
