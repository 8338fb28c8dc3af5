"""A screener completes a screening on a 360 px wide screen, in each language."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from tanu.accounts.tests.personas import Personas
from tanu.identification.models import Screening
from tests.browser.helpers import answer_observed, sign_in

pytestmark = pytest.mark.browser

PRESUMED = ["AL-DR-01", "AL-DR-02", "AL-EC-01", "AL-EC-02", "AL-CD-01", "AL-CD-02"]


def _t(language: str, text: str) -> str:
    with translation.override(language):
        return _(text)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_screener_completes_a_screening_on_a_phone(
    live_server: Any, phone: Any, shot: Any, personas: Personas, language: str
) -> None:
    base = live_server.url
    sign_in(phone, base, "screener", language)
    assert phone.locator("html").get_attribute("lang") == language

    phone.goto(f"{base}/screenings/new/")
    phone.select_option("#id_place", "patrol")
    phone.select_option("#id_interview_language", language)
    phone.select_option("#id_age_group", "adult")
    phone.select_option("#id_form", "labour")
    shot(phone, f"screening-1-start-{language}")
    phone.locator("form.stack button[type=submit]").click()
    phone.wait_for_selector("#assessment")
    assert phone.locator("#assessment [data-outcome=not_assessed]").is_visible()

    # On a phone one dimension shows at a time; htmx saves each answer.
    answer_observed(phone, PRESUMED)
    phone.wait_for_selector("#assessment [data-outcome=presumed_victim]")
    assessment = phone.locator("#assessment")
    assert _t(language, "Presumed victim") in assessment.inner_text()
    assessment.scroll_into_view_if_needed()
    shot(phone, f"screening-2-presumed-{language}")

    # The page fits the phone: nothing wider than the screen.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360

    phone.select_option("#id_judgement", "agree")
    phone.fill("#id_notes", "Consistent account.")
    phone.locator("#finalise-form button[type=submit]").click()
    phone.wait_for_load_state()
    assert _t(language, "The screening is finalised.") in phone.locator(".messages").inner_text()
    assert phone.locator("input[name='ans-AL-DR-01']").count() == 0  # read-only now
    shot(phone, f"screening-3-finalised-{language}")

    screening = Screening.objects.get()
    assert screening.status == "final"
    assert screening.outcome == "presumed_victim"
    assert sorted(c for c, a in screening.answers.items() if a == "observed") == sorted(PRESUMED)
