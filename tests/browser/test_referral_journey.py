"""From a screening in Almaty to a completed service at an Almaty shelter, across two agencies."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from tanu.accounts.tests.personas import Personas
from tanu.cases.models import Case, Note
from tanu.referrals.models import Referral, Service
from tests.browser.helpers import answer_observed, sign_in

pytestmark = pytest.mark.browser

PRESUMED = ["AL-DR-01", "AL-DR-02", "AL-EC-01", "AL-EC-02", "AL-CD-01", "AL-CD-02"]
LANG = "ru"


def _t(text: str) -> str:
    with translation.override(LANG):
        return _(text)


@pytest.mark.django_db(transaction=True)
def test_a_presumed_victim_is_referred_to_a_shelter_that_accepts_and_completes_the_service(
    live_server: Any, browser: Any, shot: Any, personas: Personas
) -> None:
    base = live_server.url
    Service.objects.create(
        kind="shelter",
        region=personas.shelter.region,
        agency=personas.shelter,
        name_en="Almaty shelter",
        name_ru="Приют Алматы",
        name_kk="Алматы баспанасы",
        accepts_women=True,
    )
    police = browser.new_context(viewport={"width": 360, "height": 740})
    page = police.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, "screener", LANG)

    # Screening to a presumed victim.
    page.goto(f"{base}/screenings/new/")
    page.select_option("#id_place", "patrol")
    page.select_option("#id_interview_language", "ru")
    page.select_option("#id_age_group", "adult")
    page.select_option("#id_form", "labour")
    page.locator("form.stack button[type=submit]").click()
    answer_observed(page, PRESUMED)
    page.wait_for_selector("[data-outcome=presumed_victim]")
    page.select_option("#id_judgement", "agree")
    page.locator("#finalise-form button[type=submit]").click()
    page.wait_for_load_state()

    # A case for the person.
    page.locator(f"a:has-text('{_t('Open a case or record a decline')}')").click()
    page.fill("#id_family_name", "Канарьева")
    page.fill("#id_given_name", "Жанар")
    page.select_option("#id_sex", "female")
    page.locator("form.stack button.primary").first.click()
    page.wait_for_url(f"{base}/cases/*/")
    case = Case.objects.get()
    assert case.number in page.content()
    shot(page, "referral-1-case-ru")

    # Consent to the referral, then the referral itself.
    page.locator("summary", has_text=_t("Record consent")).click()
    page.select_option("#id_consent_purpose", "referral")
    page.select_option("#id_consent_service", label="Приют Алматы")
    page.locator("input[name=given][value='1']").check()
    page.select_option("#id_consent_language", "ru")
    with page.expect_navigation():  # the consent form reloads the case page (HX-Redirect)
        page.locator("form[action$='/consents/'] button[type=submit]").click()
    # The referral panel comes from referrals, as a fragment the case page loads.
    page.wait_for_selector("#referral-panel:not([hx-get])")
    page.locator(f"a:has-text('{_t('Refer to a service')}')").click()
    page.wait_for_url(f"{base}/cases/*/refer/")
    page.select_option("#id_service", label="Приют Алматы")
    page.fill("#id_purpose", "Безопасное проживание")
    page.select_option("#id_urgency", "urgent")
    page.select_option("#id_consent", index=1)
    shot(page, "referral-2-form-ru")
    page.locator(f"button:has-text('{_t('Send the referral')}')").click()
    page.wait_for_url(f"{base}/referrals/*/")
    referral = Referral.objects.get()
    assert referral.status == "sent"

    # The shelter's case worker answers.
    shelter = browser.new_context(viewport={"width": 360, "height": 740})
    other = shelter.new_page()
    other.set_default_timeout(15000)
    sign_in(other, base, "caseworker", LANG)
    other.goto(f"{base}/referrals/")
    other.locator(f"a:has-text('#{referral.pk}')").first.click()
    assert "Канарьева" not in other.content()  # the name was not shared
    other.locator(f"button:has-text('{_t('Accept')}')").click()
    other.wait_for_load_state()
    other.fill("#id_description", "Комната, питание")
    # The small forms are sent by htmx, which reloads the page once the server has saved.
    with other.expect_navigation():
        other.locator("form[action$='/services/'] button[type=submit]").click()
    other.fill("#id_text", "Заметка приюта: консультация психолога назначена")
    with other.expect_navigation():
        other.locator(f"button:has-text('{_t('Add note')}')").click()
    other.locator(f"button:has-text('{_t('Mark as completed')}')").click()
    other.wait_for_load_state()
    shot(other, "referral-3-shelter-ru")
    referral.refresh_from_db()
    assert referral.status == "completed"
    assert Note.objects.filter(agency=personas.shelter).count() == 1

    # Back at the police: the service is completed; the shelter's note stays the shelter's.
    page.goto(f"{base}/cases/{case.pk}/")
    body = page.content()
    assert _t("completed") in body
    assert "Заметка приюта" not in body
    page.goto(f"{base}/referrals/{referral.pk}/")
    assert "Заметка приюта" not in page.content()
    shot(page, "referral-4-police-ru")
    police.close()
    shelter.close()
