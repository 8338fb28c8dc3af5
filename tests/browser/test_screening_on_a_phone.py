"""Issue 15, section 2: a screener answers on a 360 x 740 phone, one dimension at a time, with
the outcome in a compact bar kept in view; an answer that did not save shows as such."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from tanu.accounts.tests.personas import Personas
from tanu.identification.models import Screening
from tests.browser.helpers import sign_in
from tests.browser.test_accessibility import AXE, _violations

pytestmark = pytest.mark.browser

FIRST, SECOND = "deceptive_recruitment", "coercive_recruitment"


def _t(language: str, text: str) -> str:
    with translation.override(language):
        return _(text)


def start_screening(page: Any, base: str, language: str) -> None:
    page.goto(f"{base}/screenings/new/")
    page.select_option("#id_place", "patrol")
    page.select_option("#id_interview_language", language)
    page.select_option("#id_age_group", "adult")
    page.select_option("#id_form", "labour")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_selector("#screening-bar")


def bar_in_view(page: Any) -> bool:
    box = page.locator("#screening-bar").bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 740


@pytest.fixture
def phone_axe(browser: Any) -> Any:
    """A 360 x 740 page into which axe can be injected (this context alone bypasses the CSP)."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="en-US", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def no_serious_violation(page: Any) -> None:
    if AXE.exists():
        assert _violations(page) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_screener_answers_one_dimension_at_a_time_with_the_outcome_in_view(
    live_server: Any, phone_axe: Any, shot: Any, personas: Personas, language: str
) -> None:
    phone = phone_axe
    base = live_server.url
    sign_in(phone, base, "screener", language)
    start_screening(phone, base, language)

    shot(phone, f"phone-screening-1-first-dimension-{language}")
    # One dimension shows; the others wait behind the buttons.
    assert phone.locator(f"#dim-{FIRST}").is_visible()
    assert not phone.locator(f"#dim-{SECOND}").is_visible()
    assert (
        phone.locator(".no-js-save").count() == 0 or not phone.locator(".no-js-save").is_visible()
    )
    assert phone.locator("#screening-bar [data-outcome=not_assessed]").is_visible()
    assert bar_in_view(phone)
    no_serious_violation(phone)

    # Answer down in the first dimension: the bar, still in view, says what changed.
    phone.locator("input[name='ans-AL-DR-03'][value=not_observed]").check()
    phone.wait_for_selector("#screening-bar .bar-progress[data-asked='1']")
    phone.locator("input[name='ans-AL-DR-01'][value=observed]").check()
    phone.wait_for_selector("#screening-bar .bar-progress[data-asked='2']")
    phone.wait_for_selector("#ind-AL-DR-01[data-save=saved]")
    assert bar_in_view(phone)
    # One strong indicator observed: a possible victim already, shown where the screener is.
    assert phone.locator("#screening-bar [data-outcome=possible_victim]").is_visible()
    progress = phone.locator("#screening-bar .bar-progress").inner_text()
    assert "2" in progress and "67" in progress
    assert "questions asked" not in progress  # worded in the reader's language
    shot(phone, f"phone-screening-2-answered-{language}")

    height = phone.evaluate("document.documentElement.scrollHeight")
    print(f"\n[{language}] page height with one dimension shown: {height} px")
    assert height < 8000  # the whole adult list was about 26,000 px

    # The button under the dimension goes to the next one and puts the focus on its heading.
    phone.locator(f"#dim-{FIRST} .dimension-nav button.primary").click()
    assert phone.locator(f"#dim-{SECOND}").is_visible()
    assert not phone.locator(f"#dim-{FIRST}").is_visible()
    assert phone.evaluate("document.activeElement.id") == f"dim-{SECOND}-h"
    assert (
        phone.locator(f"#dim-{SECOND}-h").inner_text()
        in phone.locator(f"#dim-{SECOND}").inner_text()
    )
    assert bar_in_view(phone)
    shot(phone, f"phone-screening-3-next-dimension-{language}")
    no_serious_violation(phone)
    phone.locator(f"#dim-{SECOND} .dimension-nav").scroll_into_view_if_needed()
    shot(phone, f"phone-screening-3b-dimension-buttons-{language}")

    # The bar leads to the next decisive question, in whichever dimension it is.
    link = phone.locator("#screening-bar a.goto-question")
    code = link.get_attribute("data-code")
    link.click()
    assert phone.locator(f"#ind-{code}").is_visible()
    assert phone.evaluate("document.activeElement.name") == f"ans-{code}"
    shot(phone, f"phone-screening-4-decisive-question-{language}")

    # An answer that cannot reach the server is shown as not saved, and can be sent again.
    phone.route("**/answers/", lambda route: route.abort())
    phone.locator(f"input[name='ans-{code}'][value=not_observed]").check()
    phone.wait_for_selector(f"#ind-{code}[data-save=failed]")
    state = phone.locator(f"#ind-{code} .save-state")
    assert _t(language, "Not saved. Check the connection and try again.") in state.inner_text()
    state.locator("button.retry").scroll_into_view_if_needed()
    shot(phone, f"phone-screening-5-not-saved-{language}")
    phone.unroute("**/answers/")
    state.locator("button.retry").click()
    phone.wait_for_selector(f"#ind-{code}[data-save=saved]")
    phone.wait_for_selector("#screening-bar .bar-progress[data-asked='3']")

    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    screening = Screening.objects.get()
    assert screening.answers == {
        "AL-DR-03": "not_observed",
        "AL-DR-01": "observed",
        code: "not_observed",
    }


@pytest.mark.django_db(transaction=True)
def test_without_javascript_every_dimension_shows_and_a_button_saves_them(
    live_server: Any, browser: Any, shot: Any, personas: Personas
) -> None:
    base = live_server.url
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in_without_script(page, base)
        start_screening(page, base, "ru")
        assert page.locator("section.dimension:visible").count() == 6
        assert page.locator(".dimension-nav:visible").count() == 0
        page.locator("input[name='ans-AL-CD-01'][value=observed]").check()
        page.locator(".no-js-save").scroll_into_view_if_needed()
        shot(page, "phone-screening-no-script-save")
        page.locator(".no-js-save").click()
        page.wait_for_load_state()
        assert Screening.objects.get().answers == {"AL-CD-01": "observed"}
        print(
            "\n[no script] page height, every dimension shown: "
            f"{page.evaluate('document.documentElement.scrollHeight')} px"
        )
    finally:
        context.close()


def sign_in_without_script(page: Any, base: str) -> None:
    from tanu.accounts.tests.factories import TEST_PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "screener")
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(f"{base}/")


@pytest.mark.django_db(transaction=True)
def test_the_desktop_keeps_the_side_panel_beside_every_dimension(
    live_server: Any, browser: Any, personas: Personas
) -> None:
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    try:
        sign_in(page, base, "screener", "ru")
        start_screening(page, base, "ru")
        assert page.locator("section.dimension:visible").count() == 6
        assert page.locator(".dimension-nav:visible").count() == 0
        questions = page.locator(".questions").bounding_box()
        side = page.locator(".side").bounding_box()
        assert side["x"] > questions["x"] + questions["width"] - 1  # beside, not below
        # The bar is for screen readers only here: it still announces each result.
        assert page.locator("#screening-bar").bounding_box()["width"] <= 1
        no_serious_violation(page)
    finally:
        context.close()
