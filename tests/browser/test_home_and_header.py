"""Every role's home page on a 360 x 740 phone, in Kazakh and Russian: the header collapses into
a menu of at most 64 px, the menu opens (aria-expanded) and its links are reachable, every
link, button and input is a target of 24 px at least (WCAG 2.2, 2.5.8), a checkbox sits beside
its label, nothing scrolls sideways, and axe finds no serious or critical violation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tanu.accounts import actions as account_actions
from tanu.accounts.models import Role
from tanu.accounts.tests.factories import UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import open_case
from tanu.monitoring.tests.helpers import facility, plan
from tanu.referrals import actions as referral_actions
from tanu.referrals.models import Referral
from tanu.referrals.tests.test_referrals import refer
from tanu.training import actions as training_actions
from tests.browser.helpers import sign_in
from tests.browser.test_accessibility import AXE, _violations

pytestmark = pytest.mark.browser

ROLES = ("screener", "caseworker", "coordinator", "monitor", "trainer", "analyst", "admin")

SMALL_TARGETS = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary')]
  .filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > 0 && r.left < window.innerWidth
      && getComputedStyle(el).visibility !== 'hidden';
  })
  .filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width < 24 || r.height < 24;
  })
  .map((el) => {
    const r = el.getBoundingClientRect();
    return `${el.outerHTML.slice(0, 80)} ${Math.round(r.width)}x${Math.round(r.height)}`;
  })"""

# For each visible checkbox: does the text of its label stand to its right, on its line (the
# middle of the box within the text's height)?
CHECKBOXES_APART = """() => [...document.querySelectorAll('input[type=checkbox]')]
  .filter((box) => box.getBoundingClientRect().width > 0)
  .map((box) => {
    const label = box.closest('label') || document.querySelector(`label[for="${box.id}"]`);
    if (!label) return `no label: ${box.outerHTML.slice(0, 80)}`;
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
    let node = walker.nextNode();
    while (node && !node.textContent.trim()) node = walker.nextNode();
    if (!node) return `empty label: ${box.outerHTML.slice(0, 80)}`;
    const range = document.createRange();
    range.selectNodeContents(node);
    const text = range.getBoundingClientRect();
    const r = box.getBoundingClientRect();
    const middle = (r.top + r.bottom) / 2;
    const beside = text.top <= middle && middle <= text.bottom && text.left >= r.right - 1;
    return beside ? '' : `apart: ${label.textContent.trim()} ${JSON.stringify([r, text])}`;
  })
  .filter((problem) => problem)"""


@pytest.fixture
def page(browser: Any) -> Any:
    if not AXE.exists():
        pytest.skip(
            "axe-core is not installed (make test installs it from the npm registry with npm)"
        )
    # axe is injected as a script: this context alone lets the test bypass the page's CSP.
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _something_for_everyone(personas: Personas) -> None:
    """A little work on each list, so that the screenshots show worklists, not only the empty
    state (the analyst's home stays a page of links)."""
    today = timezone.localdate()
    case = open_case(personas.screener)
    late = refer(case, personas)
    Referral.objects.filter(pk=late.pk).update(due_date=today - timedelta(days=2))
    refer(open_case(personas.screener), personas)
    referral_actions.do_record_decision(
        case,
        actor=personas.screener,
        status="not_identified",
        reasons="The account could not be corroborated by the employer's records.",
    )
    plan(personas, place=facility(name="Almaty detention centre"), on=today + timedelta(days=1))
    training_actions.do_create_seminar(
        actor=personas.trainer,
        data={
            "region": personas.trainer.agency.region,  # type: ignore[union-attr]
            "city_kk": "Алматы",
            "city_ru": "Алматы",
            "city_en": "Almaty",
            "starts_on": today + timedelta(days=2),
            "ends_on": today + timedelta(days=3),
            "language": "ru",
            "pass_mark": 70,
            "min_attendance": 50,
        },
    )
    second_admin = UserFactory(
        username="admin2",
        role=Role.ADMINISTRATOR,
        agency=personas.admin.agency,
        is_staff=True,
        is_superuser=True,
    )
    # Asked by another administrator: it waits for the admin's approval.
    account_actions.do_change_role(personas.trainer, Role.MONITOR, actor=second_admin)


def _header_height(page: Any) -> float:
    return float(page.evaluate("() => document.querySelector('header.top').offsetHeight"))


def _check_page(page: Any, where: str) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, where
    assert page.evaluate(SMALL_TARGETS) == [], where
    assert _violations(page) == [], where


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_roles_home_on_a_phone_has_a_small_header_a_working_menu_and_big_targets(
    live_server: Any, page: Any, shot: Any, personas: Personas, language: str
) -> None:
    base = live_server.url
    _something_for_everyone(personas)
    for role in ROLES:
        username = getattr(personas, role).username
        page.context.clear_cookies()
        sign_in(page, base, username, language)
        assert page.evaluate("() => document.documentElement.lang") == language
        where = f"{role} in {language}"
        assert _header_height(page) <= 64, where
        toggle = page.locator("button.menu-toggle")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not page.locator("header nav").is_visible()
        _check_page(page, where)
        shot(page, f"home-{role}-{language}")
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        links = page.locator("header nav a")
        assert links.count() >= 2, where
        for i in range(links.count()):
            links.nth(i).scroll_into_view_if_needed()
            assert links.nth(i).is_visible(), where
        assert page.locator("header .tools button[type=submit]").last.is_visible()
        _check_page(page, f"{where}, menu open")
        page.evaluate("() => window.scrollTo(0, 0)")
        shot(page, f"home-{role}-{language}-menu")
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert page.evaluate("() => document.activeElement.classList.contains('menu-toggle')")
    # The menu's links lead somewhere: the screener reaches the cases through it.
    page.context.clear_cookies()
    sign_in(page, base, personas.screener.username, language)
    page.locator("button.menu-toggle").click()
    with page.expect_navigation():
        page.locator("header nav a[href='/cases/']").click()
    assert page.url.endswith("/cases/")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_checkboxes_sit_beside_their_labels_on_the_visit_plan(
    live_server: Any, page: Any, shot: Any, personas: Personas, language: str
) -> None:
    facility(name="Almaty detention centre")
    sign_in(page, live_server.url, personas.monitor.username, language)
    page.goto(live_server.url + "/monitoring/visits/new/")
    assert page.locator("input[type=checkbox]").count() >= 2  # announced, and the team
    assert page.evaluate(CHECKBOXES_APART) == []
    _check_page(page, f"visit plan in {language}")
    page.locator("input[type=checkbox]").first.scroll_into_view_if_needed()
    shot(page, f"visit-plan-checkboxes-{language}")
