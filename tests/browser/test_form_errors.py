"""Issue 15, 4 on a phone (360 x 740, kk and ru): a referral form sent with an error shows its
error summary in view and focused; a small form of the referral page keeps what was typed and
the page is not reloaded; axe finds no serious or critical violation on the pages visited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import open_case
from tanu.referrals.models import Referral
from tanu.referrals.tests.test_referrals import refer, shelter_service
from tests.browser.helpers import sign_in
from tests.browser.test_accessibility import AXE, _violations

pytestmark = pytest.mark.browser

SUMMARY_FOCUSED = (
    "() => document.activeElement && document.activeElement.matches('[data-error-summary]')"
)


@pytest.fixture
def checked_phone(browser: Any) -> Any:
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test installs it from the npm registry)")
    # axe is injected as a script: this context alone lets the test bypass the page's CSP.
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _summary_in_view(page: Any, scope: str = "") -> None:
    summary = page.locator(f"{scope} [data-error-summary]".strip())
    summary.wait_for()
    # tanu.js focuses the summary once htmx has settled the swap (or the page has loaded).
    page.wait_for_function(SUMMARY_FOCUSED, timeout=5000)
    box = summary.bounding_box()
    assert box is not None and 0 <= box["y"] < 740 and box["y"] + 40 < 740, box


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_errors_are_in_view_and_small_forms_keep_what_was_typed_on_a_phone(
    live_server: Any, checked_phone: Any, shot: Any, personas: Personas, lang: str
) -> None:
    base = live_server.url
    page = checked_phone
    case = open_case(personas.screener)
    service = shelter_service(personas)
    referral = refer(case, personas)
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.ACCEPTED)

    # The screener sends the long referral form without a purpose and without consent.
    sign_in(page, base, "screener", lang)
    page.goto(f"{base}/cases/{case.pk}/refer/?service={service.pk}")
    assert page.locator("[data-testid=consents-in-force]").is_visible()
    with page.expect_navigation():
        page.locator("main form.stack button[type=submit]").click()
    _summary_in_view(page)
    shot(page, f"form-errors-referral-{lang}")
    assert page.locator("[data-error-summary] a[href='#id_purpose']").count() == 1
    assert page.locator("[data-error-summary] a[href='#id_consent_exception']").count() == 1
    assert _violations(page) == []
    # A link of the summary takes the reader to the field.
    page.locator("[data-error-summary] a[href='#id_purpose']").click()
    assert page.evaluate("() => document.activeElement.id") == "id_purpose"

    # The shelter records a service given with a date to come: the form comes back in place.
    page.context.clear_cookies()
    sign_in(page, base, "caseworker", lang)
    page.goto(f"{base}/referrals/{referral.pk}/")
    page.evaluate("() => { window.tanuNotReloaded = true; }")
    typed = (
        "Төсек, тамақ және киім берілді"
        if lang == "kk"
        else "Предоставлены койка, питание и одежда"
    )
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page.fill("#id_given_on", tomorrow)
    page.fill("#id_description", typed)
    page.locator("#service-form button[type=submit]").click()
    _summary_in_view(page, "#service-form")
    assert page.input_value("#id_description") == typed, "what was typed is kept"
    assert page.input_value("#id_given_on") == tomorrow
    assert page.evaluate("() => window.tanuNotReloaded === true"), "the page was not reloaded"
    shot(page, f"form-errors-service-given-{lang}")
    assert _violations(page) == []

    # An empty note: the error shows in the note form, the page stays.
    page.locator("#note-form button[type=submit]").click()
    _summary_in_view(page, "#note-form")
    assert page.evaluate("() => window.tanuNotReloaded === true")
    assert page.input_value("#id_description") == typed, "the other form keeps its text too"
    shot(page, f"form-errors-note-{lang}")
    # A note written: saved, and the page shows it.
    note = "Жатақханаға орналасты" if lang == "kk" else "Заселена в приют"
    page.fill("#id_text", note)
    with page.expect_navigation():
        page.locator("#note-form button[type=submit]").click()
    assert note in page.content()
    assert _violations(page) == []
