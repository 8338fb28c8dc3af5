"""A national administrator corrects a grade on a phone, in Russian: a spreadsheet with a mistake is
refused row by row, the corrected one shows its changes, and a second national administrator
approves it from today; a new screening then uses the new version."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from tanu.accounts.tests.personas import Personas
from tanu.identification import catalogue, xlsform
from tanu.identification.models import ChecklistVersion
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

LANG = "ru"
LIST = "ilo-adult-sexual"


def _t(text: str) -> str:
    with translation.override(LANG):
        return _(text)


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide"


def _phone(browser: Any) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.mark.django_db(transaction=True)
def test_a_national_administrator_corrects_a_grade_and_a_colleague_approves_it(
    live_server: Any, browser: Any, shot: Any, personas: Personas, tmp_path: Path
) -> None:
    base = live_server.url
    in_force = catalogue.get_version(LIST)
    assert in_force is not None
    data = copy.deepcopy(in_force.data)
    medium = next(i for i in data["indicators"] if i["strength"] == "medium")
    medium["strength"] = "weak"
    bad = copy.deepcopy(data)
    bad["indicators"][2]["label"]["ru"] = ""
    (tmp_path / "bad.xlsx").write_bytes(xlsform.write_xlsform(bad))
    (tmp_path / "good.xlsx").write_bytes(xlsform.write_xlsform(data))

    context, page = _phone(browser)
    sign_in(page, base, "national_admin", LANG)
    page.locator("a.button.primary", has_text=_t("Checklist versions")).click()
    page.wait_for_url(f"{base}/checklists/versions/")
    _no_sideways_scroll(page)
    shot(page, "checklists-1-versions-ru")

    # A file with a mistake: the problem is shown with its sheet, row and column.
    page.set_input_files("#id_file", str(tmp_path / "bad.xlsx"))
    with page.expect_navigation():
        page.locator(f"button:has-text('{_t('Import and show the changes')}')").click()
    problems = page.get_by_test_id("problems")
    assert "label::Русский (ru)" in problems.inner_text()
    assert ChecklistVersion.objects.filter(status="draft").count() == 0
    problems.scroll_into_view_if_needed()
    _no_sideways_scroll(page)
    shot(page, "checklists-2-problems-ru")

    # The corrected file is a draft; the page shows the regrade.
    page.set_input_files("#id_file", str(tmp_path / "good.xlsx"))
    with page.expect_navigation():
        page.locator(f"button:has-text('{_t('Import and show the changes')}')").click()
    draft = ChecklistVersion.objects.get(status="draft")
    assert page.url == f"{base}/checklists/versions/{draft.pk}/#changes"
    assert medium["code"] in page.get_by_test_id("regraded").inner_text()
    assert _t("You imported this version: a second national administrator approves it.") in (
        page.content()
    )
    _no_sideways_scroll(page)
    shot(page, "checklists-3-draft-ru")
    context.close()

    # A colleague approves it from today.
    context, page = _phone(browser)
    sign_in(page, base, "national_admin2", LANG)
    page.goto(f"{base}/checklists/versions/{draft.pk}/")
    _no_sideways_scroll(page)
    with page.expect_navigation():
        page.locator(f"button.primary:has-text('{_t('Approve')}')").click()
    assert _t("The version is approved.") in page.content()
    _no_sideways_scroll(page)
    shot(page, "checklists-4-approved-ru")
    context.close()
    assert catalogue.get_version(LIST) == ChecklistVersion.objects.get(pk=draft.pk)
