"""An investigator records a criminal proceeding on a phone, in Russian: registration on a case
referred to their agency, sent to court, the trial, a hearing and the suspects counted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tanu.accounts.tests.personas import Personas
from tanu.proceedings.models import Article, Proceeding
from tanu.proceedings.tests.helpers import investigator, referred_case
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

LANG = "ru"
ERDR = "261500031000777"


def _t(text: str, context: str = "") -> str:
    with translation.override(LANG):
        return translation.pgettext(context, text) if context else _(text)


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide"


@pytest.mark.django_db(transaction=True)
def test_an_investigator_records_a_proceeding_on_a_phone_in_russian(
    live_server: Any, browser: Any, shot: Any, personas: Personas
) -> None:
    base = live_server.url
    # A transactional test flushed the articles the migration brought.
    Article.objects.get_or_create(
        number="128",
        defaults={
            "name_kk": "Адам саудасы",
            "name_ru": "Торговля людьми",
            "name_en": "Trafficking in persons",
        },
    )
    officer = investigator(personas)
    case = referred_case(personas, officer)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, "investigator", LANG)

    # The home page leads to the registration.
    page.locator(f"a:has-text('{_t('Register a proceeding')}')").first.click()
    page.wait_for_url(f"{base}/proceedings/register/")
    assert 'lang="ru"' in page.content()
    page.fill("#id_case_number", case.number)
    page.fill("#id_erdr_number", ERDR)
    page.fill("#id_registered_on", (timezone.localdate() - timedelta(days=40)).isoformat())
    page.locator("label", has_text="128:").locator("input").check()
    page.select_option("#id_person_status", "victim")
    page.select_option("#id_cooperates", "yes")
    _no_sideways_scroll(page)
    shot(page, "proceedings-1-register-ru")
    page.locator("form.stack button.primary").click()
    page.wait_for_url(f"{base}/proceedings/*/")
    proceeding = Proceeding.objects.get()
    body = page.content()
    assert _t("The proceeding is registered.") in body
    assert _t("pre-trial investigation") in body
    assert "Канарьева" not in body  # the person is a case number here, never a name
    _no_sideways_scroll(page)
    shot(page, "proceedings-2-registered-ru")

    # Sent to court, then the trial.
    for stage, days_ago in (("sent_to_court", 10), ("trial", 5)):
        page.locator("summary", has_text=_t("Move to the next stage")).click()
        page.select_option("#id_stage", stage)
        page.fill("#id_on", (timezone.localdate() - timedelta(days=days_ago)).isoformat())
        with page.expect_navigation():
            page.locator(f"button:has-text('{_t('Record the stage')}')").click()
        assert _t("The stage is recorded.") in page.content()
    proceeding.refresh_from_db()
    assert proceeding.stage == Proceeding.Stage.TRIAL
    assert page.get_by_test_id("stage").inner_text() == _t("trial")
    shot(page, "proceedings-3-trial-ru")

    # A hearing.
    page.locator("summary", has_text=_t("Schedule a hearing")).click()
    when = (timezone.localtime() + timedelta(days=14)).strftime("%Y-%m-%dT10:30")
    page.fill("#id_starts_at", when)
    page.fill("#id_place", "Алмалинский районный суд г. Алматы, зал 4")
    page.fill("#id_note", "Потерпевшая даёт показания по видеосвязи")
    _no_sideways_scroll(page)
    shot(page, "proceedings-4-hearing-form-ru")
    with page.expect_navigation():
        page.locator(f"button:has-text('{_t('Schedule')}')").click()
    body = page.content()
    assert _t("The hearing is scheduled.") in body
    assert "Алмалинский районный суд" in body
    assert proceeding.hearings.count() == 1

    # The suspects and accused, counted.
    page.locator(f"a:has-text('{_t('Record the suspects and accused')}')").click()
    page.wait_for_url(f"{base}/proceedings/{proceeding.pk}/suspects/")
    page.select_option("#id_s-0-standing", "accused")
    page.select_option("#id_s-0-role", "recruiter")
    page.select_option("#id_s-0-sex", "female")
    page.fill("#id_s-0-citizenship", "KZ")
    page.fill("#id_s-0-count", "1")
    page.select_option("#id_s-1-standing", "suspect")
    page.select_option("#id_s-1-role", "transporter")
    page.select_option("#id_s-1-sex", "male")
    page.fill("#id_s-1-citizenship", "UZ")
    page.fill("#id_s-1-count", "2")
    _no_sideways_scroll(page)
    shot(page, "proceedings-5-suspects-ru")
    page.locator("form.stack button.primary").click()
    page.wait_for_url(f"{base}/proceedings/{proceeding.pk}/")
    assert _t("The suspects and accused are saved.") in page.content()
    assert proceeding.suspects.count() == 2
    page.get_by_test_id("suspects").scroll_into_view_if_needed()
    _no_sideways_scroll(page)
    shot(page, "proceedings-6-suspects-saved-ru")

    # The list.
    page.goto(f"{base}/proceedings/")
    assert ERDR in page.content()
    assert _t("trial") in page.content()
    _no_sideways_scroll(page)
    shot(page, "proceedings-7-list-ru")
    context.close()
