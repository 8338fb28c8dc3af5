"""axe-core (from the npm registry, run inside the page) finds no serious or critical violation
on the main pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.cases.models import Consent
from tanu.cases.tests.helpers import open_case
from tanu.referrals import actions as referral_actions
from tanu.referrals.models import Service
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / ".cache/axe/node_modules/axe-core/axe.min.js"


def _violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def a11y_page(browser: Any) -> Any:
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


@pytest.mark.django_db(transaction=True)
def test_the_main_pages_have_no_serious_or_critical_accessibility_violation(
    live_server: Any, a11y_page: Any, shot: Any, personas: Personas
) -> None:
    base = live_server.url
    case = open_case(personas.screener)
    screening = case.screenings.get()
    service = Service.objects.create(
        kind="shelter",
        region=personas.shelter.region,
        agency=personas.shelter,
        name_en="Almaty shelter",
        name_ru="Приют Алматы",
        name_kk="Алматы баспанасы",
    )
    consent = Consent.objects.create(
        case=case,
        purpose="referral",
        service=service,
        given=True,
        basis="person",
        language="ru",
        recorded_by=personas.screener,
    )
    referral = referral_actions.do_send_referral(
        case,
        actor=personas.screener,
        service=service,
        purpose="Shelter",
        urgency="urgent",
        shared_fields=["sex"],
        consent=consent,
    )
    from tanu.proceedings.tests.helpers import investigator, refer_to, register, to_trial

    officer = investigator(personas)
    refer_to(case, officer)
    proceeding = to_trial(register(case, officer), officer)
    pages = {
        None: ["/accounts/login/", "/accessibility/", "/training/verify/"],
        "screener": [
            "/",
            "/screenings/",
            "/screenings/new/",
            f"/screenings/{screening.pk}/",
            "/triage/",
            "/triage/?for=child",
            "/checklists/",
            "/cases/",
            f"/cases/{case.pk}/",
            f"/cases/{case.pk}/refer/",
            f"/referrals/{referral.pk}/",
            "/services/",
            "/inbox/",
        ],
        "caseworker": ["/referrals/", f"/referrals/{referral.pk}/"],
        "coordinator": [
            "/audit/",
            "/monitoring/",
            "/monitoring/visits/new/",
            "/monitoring/overview/",
        ],
        "monitor": ["/monitoring/facilities/", "/monitoring/actions/"],
        "investigator": [
            "/proceedings/",
            "/proceedings/register/",
            f"/proceedings/{proceeding.pk}/",
        ],
        "trainer": [
            "/training/",
            "/training/seminars/new/",
            "/training/exercises/",
            "/training/results/",
        ],
    }
    found: dict[str, list[dict[str, Any]]] = {}
    statuses: dict[str, int | None] = {}
    page = a11y_page
    for username, urls in pages.items():
        if username:
            page.context.clear_cookies()
            sign_in(page, base, username, "en")
        for url in urls:
            response = page.goto(base + url)
            # A wrong 404 (or 500) page must not pass as an accessible page.
            if response is None or response.status != 200:
                statuses[url] = response.status if response else None
            problems = _violations(page)
            if problems:
                found[url] = problems
    assert statuses == {}
    assert found == {}


def test_the_checker_reports_a_serious_violation_when_there_is_one(a11y_page: Any) -> None:
    a11y_page.set_content(
        '<html lang="en"><body><main><img src="x.png"><button></button></main></body></html>'
    )
    ids = {v["id"] for v in _violations(a11y_page)}
    assert {"image-alt", "button-name"} <= ids
