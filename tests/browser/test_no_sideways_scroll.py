"""Every role signs in on a 360 x 740 phone, in Kazakh and in Russian, and opens every page of its
menu (and the pages of a case, a referral, a visit and a seminar it may see): no page scrolls
sideways, and axe-core finds no serious or critical violation. The lists are photographed."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import open_case
from tanu.identification import catalogue, checklist_versions
from tanu.identification.models import ChecklistVersion
from tanu.monitoring import actions as monitoring_actions
from tanu.monitoring.tests.helpers import facility, recorded
from tanu.referrals.models import Referral
from tanu.referrals.tests.test_referrals import refer
from tanu.training.tests.helpers import add_participant, make_seminar
from tests.browser.helpers import sign_in
from tests.browser.test_accessibility import AXE, _violations

pytestmark = pytest.mark.browser

WIDTH = 360
ROLES = [
    "screener",
    "caseworker",
    "coordinator",
    "monitor",
    "trainer",
    "analyst",
    "admin",
    "national_admin",
]
# Lists photographed in each language: (role, path) -> name.
LISTS = {
    ("screener", "/referrals/"): "referral-list",
    ("caseworker", "/referrals/"): "referral-list-received",
    ("screener", "/inbox/"): "inbox",
    ("screener", "/cases/"): "case-list",
    ("monitor", "/monitoring/"): "visit-calendar",
    ("monitor", "/monitoring/visits/"): "visit-list",
    ("monitor", "/monitoring/actions/"): "follow-up-actions",
}


def _menu(page: Any, base: str) -> list[str]:
    """The same-site links of the header (its menu), in order, without repeats."""
    hrefs = page.eval_on_selector_all("header a[href]", "links => links.map(a => a.href)")
    paths: list[str] = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != base or "logout" in parts.path:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path not in paths:
            paths.append(path)
    return paths


def _width(page: Any) -> int:
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


# Boxes inside the page that scroll sideways (a table in an overflow-x box): the page itself
# does not widen, yet the reader has to swipe the table to see its last columns.
INNER = """() => [...document.querySelectorAll('main *')].filter(el => {
  const x = getComputedStyle(el).overflowX;
  return (x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1;
}).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
  (el.className ? '.' + String(el.className).split(' ').join('.') : '') +
  ' ' + el.scrollWidth + '>' + el.clientWidth)"""


def _inner(page: Any) -> list[str]:
    return list(page.evaluate(INNER))


@pytest.fixture
def data(personas: Personas) -> dict[str, list[str]]:
    """A case with a referral, a recorded visit and a seminar with a participant; the pages
    of them each role may open, beside its menu."""
    case = open_case(personas.screener)
    referral = refer(case, personas, shared_fields=["sex", "age_band", "languages"])
    # A second referral, unanswered past its deadline: the lists show "overdue" on a phone.
    late = refer(open_case(personas.screener), personas, shared_fields=["sex", "age_band"])
    Referral.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    visit = recorded(personas, place=facility())
    monitoring_actions.do_add_follow_up_action(
        visit,
        actor=personas.monitor,
        description="Ask the facility for the register of detainees with translations",
        owner=personas.monitor,
        due_on=timezone.localdate() + timedelta(days=7),
    )
    seminar = make_seminar(personas.trainer)
    add_participant(seminar, personas.trainer)
    draft = _checklist_draft(personas)
    return {
        "screener": [f"/cases/{case.pk}/", f"/referrals/{referral.pk}/"],
        "caseworker": [f"/referrals/{referral.pk}/"],
        "coordinator": [f"/cases/{case.pk}/", f"/monitoring/visits/{visit.pk}/"],
        "monitor": [
            "/monitoring/visits/",
            "/monitoring/actions/",
            f"/monitoring/visits/{visit.pk}/",
        ],
        "trainer": [f"/training/seminars/{seminar.pk}/"],
        "analyst": [],
        "admin": [],
        # A colleague's draft: its changes and the approval form.
        "national_admin": [f"/checklists/versions/{draft.pk}/"],
    }


def _checklist_draft(personas: Personas) -> ChecklistVersion:
    """A new version of a list, imported by the second national administrator: one indicator
    regraded and one reworded."""
    row = catalogue.get_version("ilo-adult-sexual")
    assert row is not None
    data = copy.deepcopy(row.data)
    first, second = data["indicators"][:2]
    first["strength"] = "weak" if first["strength"] != "weak" else "medium"
    second["label"]["ru"] += " (уточнено)"
    return checklist_versions.do_import_checklist_version(data, actor=personas.national_admin2)


@pytest.fixture
def wide_checked_phone(browser: Any) -> Any:
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test installs it from the npm registry)")
    # axe is injected as a script: this context alone lets the test bypass the page's CSP.
    context = browser.new_context(viewport={"width": WIDTH, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_page_of_any_menu_scrolls_sideways_on_a_phone(
    live_server: Any,
    wide_checked_phone: Any,
    shot: Any,
    data: dict[str, list[str]],
    language: str,
) -> None:
    base = live_server.url
    page = wide_checked_phone
    sideways: dict[str, int] = {}
    swiped: dict[str, list[str]] = {}
    violations: dict[str, list[dict[str, Any]]] = {}
    visited = 0
    for role in ROLES:
        page.context.clear_cookies()
        sign_in(page, base, role, language)
        menu = _menu(page, base)
        assert menu, f"{role} has no menu"
        for path in [*menu, *data[role]]:
            response = page.goto(base + path)
            assert response is not None and response.status < 400, (role, path)
            visited += 1
            width = _width(page)
            if width > WIDTH:
                sideways[f"{role} {path}"] = width
            inner = _inner(page)
            if inner:
                swiped[f"{role} {path}"] = inner
            problems = _violations(page)
            if problems:
                violations[f"{role} {path}"] = problems
            name = LISTS.get((role, path))
            if name:
                shot(page, f"lists-{name}-{language}")
    assert visited > 2 * len(ROLES)
    report = {"wider than the phone": sideways, "boxes that scroll": swiped, "axe": violations}
    print(json.dumps(report, ensure_ascii=False, indent=1))  # the whole of it, with -s
    assert report == {"wider than the phone": {}, "boxes that scroll": {}, "axe": {}}, report


def test_the_measure_sees_a_page_that_scrolls_sideways(wide_checked_phone: Any) -> None:
    wide_checked_phone.set_content(
        '<html lang="en"><body><table><tr><td style="white-space:nowrap">'
        + "a-very-long-cell-" * 20
        + "</td></tr></table></body></html>"
    )
    assert _width(wide_checked_phone) > WIDTH
    wide_checked_phone.set_content(
        '<html lang="en"><body><main><div style="overflow-x:auto"><table><tr>'
        '<td style="white-space:nowrap">' + "a-very-long-cell-" * 20 + "</td></tr></table>"
        "</div></main></body></html>"
    )
    assert _width(wide_checked_phone) <= WIDTH and _inner(wide_checked_phone)
