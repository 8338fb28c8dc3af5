"""Issues 14 and 15 on a 360 x 740 phone, in Kazakh and Russian: a screener whose interview with a
possible child stops early finalises it as incomplete (never "no indication") and goes straight
on to child protection; the receiving agency reads the shared data only after stating a reason,
and loses it when the referral is declined; the coordinator sees the referral without personal
values. axe finds no serious or critical problem on any page visited."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry
from tanu.cases.tests.helpers import open_case
from tanu.identification.models import Screening
from tanu.referrals.models import Referral, Service
from tanu.referrals.tests.test_referral_sharing import SECRETS, refer_with_personal_data
from tests.browser.helpers import sign_in
from tests.browser.test_accessibility import AXE, _violations

pytestmark = pytest.mark.browser


def _t(language: str, text: str) -> str:
    with translation.override(language):
        return _(text)


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-US", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def checked(page: Any) -> None:
    """Nothing scrolls sideways and axe finds no serious or critical problem."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    if AXE.exists():
        assert _violations(page) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_an_interview_with_a_possible_child_that_stops_early_goes_to_child_protection(
    live_server: Any, page: Any, shot: Any, personas: Personas, language: str
) -> None:
    service = Service.objects.create(
        kind="child_protection",
        region=personas.police.region,
        name_en="Almaty guardianship office",
        name_ru="Отдел опеки Алматы",
        name_kk="Алматы қорғаншылық бөлімі",
        phone="+7 727 000 00 00",
        accepts_children=True,
    )
    base = live_server.url
    sign_in(page, base, "screener", language)
    page.goto(f"{base}/screenings/new/")
    page.select_option("#id_place", "patrol")
    page.select_option("#id_interview_language", language)
    page.select_option("#id_age_group", "unknown_maybe_child")
    page.select_option("#id_form", "labour")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_selector("#assessment")
    # Nothing asked: never the green "no indication".
    assert page.locator("#assessment [data-outcome=no_indication]").count() == 0
    assert _t(language, "Not yet assessed") in page.locator("#assessment").inner_text()
    checked(page)
    shot(page, f"incomplete-1-not-assessed-{language}")

    # Finalising now is refused until the official says why the interview stopped.
    page.locator("#finalise-form").scroll_into_view_if_needed()
    page.locator("#finalise-form button[type=submit]").click()
    page.wait_for_load_state()
    assert Screening.objects.get().status == "draft"
    shot(page, f"incomplete-2-asks-why-{language}")
    page.select_option("#id_stop_reason", "not_safe")
    page.locator("#finalise-form button[type=submit]").click()
    page.wait_for_selector("#child-protection")
    screening = Screening.objects.get()
    assert (screening.status, screening.outcome) == ("final", "incomplete")
    offer = page.locator("#child-protection")
    # The services come from referrals: the offer loads them at once (htmx).
    page.wait_for_selector("#child-protection-services:not([hx-get])")
    assert _t(language, "Refer to child protection now") in offer.inner_text()
    assert (service.name_kk if language == "kk" else service.name_ru) in offer.inner_text()
    offer.scroll_into_view_if_needed()
    checked(page)
    shot(page, f"incomplete-3-child-protection-{language}")

    # One tap opens the case and lands on the referral form with child protection chosen.
    offer.locator("a.button.primary").click()
    page.wait_for_selector("#id_sex")
    page.locator("form.stack button[type=submit]").first.click()
    page.wait_for_url("**/refer/?kind=child_protection")
    assert page.locator("#id_service").input_value() == str(service.pk)
    checked(page)
    shot(page, f"incomplete-4-referral-form-{language}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_receiving_agency_reads_shared_data_with_a_reason_until_the_referral_ends(
    live_server: Any, page: Any, shot: Any, personas: Personas, language: str
) -> None:
    case = open_case(personas.screener)
    referral = refer_with_personal_data(case, personas)
    base = live_server.url
    sign_in(page, base, "caseworker", language)
    page.goto(f"{base}/referrals/{referral.pk}/")
    body = page.content()
    assert [s for s in SECRETS if s in body] == []
    checked(page)
    shot(page, f"sharing-1-masked-{language}")

    page.locator("[data-testid=reveal] [name=reason]").fill("Placing her in the shelter")
    page.locator("[data-testid=reveal] button[type=submit]").click()
    page.wait_for_load_state()
    body = page.content()
    assert [s for s in SECRETS if s in body] == list(SECRETS)
    assert "id_card" not in page.locator("[data-testid=shared]").inner_text()
    assert AuditEntry.objects.filter(action=Action.REVEAL, actor=personas.caseworker).count() == 1
    checked(page)
    shot(page, f"sharing-2-revealed-{language}")

    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.DECLINED)
    page.goto(f"{base}/referrals/{referral.pk}/")
    body = page.content()
    assert [s for s in SECRETS if s in body] == []
    assert case.number in body
    checked(page)
    shot(page, f"sharing-3-declined-{language}")

    page.context.clear_cookies()
    sign_in(page, base, "coordinator", language)
    page.goto(f"{base}/referrals/{referral.pk}/")
    body = page.content()
    assert [s for s in SECRETS if s in body] == []
    assert f'href="/cases/{case.pk}/"' in body
    checked(page)
    shot(page, f"sharing-4-coordinator-{language}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_dates_already_saved_stay_filled_in_when_a_form_is_edited(
    live_server: Any, page: Any, shot: Any, personas: Personas, language: str
) -> None:
    from tanu.monitoring.tests.helpers import plan
    from tanu.training.tests.helpers import make_seminar

    seminar = make_seminar(personas.trainer)
    visit = plan(personas)
    base = live_server.url
    sign_in(page, base, "trainer", language)
    page.goto(f"{base}/training/seminars/{seminar.pk}/edit/")
    assert page.locator("#id_starts_on").input_value() == seminar.starts_on.isoformat()
    assert page.locator("#id_ends_on").input_value() == seminar.ends_on.isoformat()
    checked(page)
    shot(page, f"dates-seminar-edit-{language}")
    page.context.clear_cookies()
    sign_in(page, base, "monitor", language)
    page.goto(f"{base}/monitoring/visits/{visit.pk}/plan/")
    assert page.locator("#id_planned_on").input_value() == visit.planned_on.isoformat()
    checked(page)
    shot(page, f"dates-visit-plan-{language}")
