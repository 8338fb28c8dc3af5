"""A monitor on a phone, in Russian: the home page lists the visits of the week, the reports to
finish and the follow-up actions due; the visit report is written one section at a time, saved
as a draft, left and taken up again, then finished; the calendar shows visits and their
conflicts as cards."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tanu.accounts.tests.personas import Personas
from tanu.monitoring import actions
from tanu.monitoring.models import Visit
from tanu.monitoring.tests.helpers import facility, plan, recorded
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

LANG = "ru"


def _t(text: str) -> str:
    with translation.override(LANG):
        return _(text)


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide"


def _save_and_continue(page: Any) -> None:
    with page.expect_navigation():
        page.locator(".report-step.current button[name=go].primary").click()


@pytest.mark.django_db(transaction=True)
def test_a_monitor_writes_a_visit_report_section_by_section_on_a_phone_in_russian(
    live_server: Any, browser: Any, shot: Any, personas: Personas
) -> None:
    base = live_server.url
    today = timezone.localdate()
    visit = plan(personas, place=facility(name="Almaty temporary detention"), on=today)
    overdue = plan(personas, place=facility(kind="shelter"), on=today - timedelta(days=3))
    clash_day = today + timedelta(days=2)
    place = facility(kind="special_reception")
    plan(personas, place=place, on=clash_day, team=[personas.monitor])
    plan(personas, place=place, on=clash_day, team=[personas.screener])
    done = recorded(personas, place=facility(kind="juvenile_centre"), on=today - timedelta(days=1))
    actions.do_add_follow_up_action(
        done,
        actor=personas.monitor,
        description="Ask for an interpreter at intake",
        owner=personas.monitor,
        due_on=today + timedelta(days=2),
    )

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, base, "monitor", LANG)

    # The home page: the week's visits, the reports to finish, the follow-up actions due.
    for key in ("visits", "reports", "follow_ups"):
        assert page.locator(f"#worklist-{key}").is_visible(), key
    assert page.locator(f"#worklist-reports a[href$='/visits/{overdue.pk}/report/']").count() == 1
    _no_sideways_scroll(page)
    shot(page, "monitor-home-ru")

    # The report, one section at a time.
    page.goto(f"{base}/monitoring/visits/{visit.pk}/report/")
    assert 'lang="ru"' in page.content()
    assert page.locator("#report-visit").is_visible()
    assert not page.locator("#report-people").is_visible()
    page.fill("#id_duration_minutes", "90")
    _no_sideways_scroll(page)
    shot(page, "monitor-report-step1-ru")
    _save_and_continue(page)
    assert page.locator("#report-people").is_visible()
    assert not page.locator("#report-visit").is_visible()
    page.fill("#id_adults_present", "15")
    page.fill("#id_juveniles_present", "2")
    page.fill("#id_foreigners_present", "4")
    page.fill("#id_people_screened", "5")
    shot(page, "monitor-report-step2-ru")
    _save_and_continue(page)
    saved = Visit.objects.get(pk=visit.pk)
    assert saved.status == Visit.Status.PLANNED and saved.report_draft["adults_present"] == 15

    # Leaving: the home page lists the draft among the reports to finish; coming back shows it.
    page.goto(f"{base}/")
    draft_link = page.locator(f"#worklist-reports a[href$='/visits/{visit.pk}/report/']")
    assert draft_link.count() == 1
    shot(page, "monitor-home-draft-ru")
    with page.expect_navigation():
        draft_link.click()
    assert page.locator("[data-testid=draft-state]").is_visible()
    assert page.input_value("#id_duration_minutes") == "90"
    _save_and_continue(page)
    assert page.input_value("#id_adults_present") == "15"
    _save_and_continue(page)
    page.select_option("#id_access", "full")
    _save_and_continue(page)
    page.fill("#id_findings", "Иностранные работники без паспортов.")
    _save_and_continue(page)
    assert page.locator("#report-finish").is_visible()
    _no_sideways_scroll(page)
    shot(page, "monitor-report-finish-ru")

    # Finishing is its own step.
    with page.expect_navigation():
        page.locator("#report-finish button[name=finish]").click()
    page.wait_for_url(f"{base}/monitoring/visits/{visit.pk}/")
    finished = Visit.objects.get(pk=visit.pk)
    assert finished.status == Visit.Status.DONE and finished.adults_present == 15
    assert not finished.has_draft
    shot(page, "monitor-report-finished-ru")

    # The calendar: each visit a card, the conflicts in full on the phone.
    page.goto(f"{base}/monitoring/?month={clash_day:%Y-%m}")
    conflicts = page.locator("[data-testid=visit-conflicts]")
    assert conflicts.count() == 2
    conflicts.first.scroll_into_view_if_needed()
    assert conflicts.first.is_visible()
    box = conflicts.first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.locator("table").count() == 0
    _no_sideways_scroll(page)
    shot(page, "monitor-calendar-cards-ru")
    context.close()
