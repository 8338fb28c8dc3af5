"""A case worker imports her shelter's register on a 360 px phone, in Russian: from the case list
to the import page, a file with problems (listed by row and column, nothing imported), the
corrected file, its preview and the import run in the background. No page scrolls sideways."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.cases.models import Case
from tanu.registers.tests.helpers import SPELLINGS, register_csv, row
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_a_case_worker_imports_a_register_on_a_phone(
    live_server: Any, phone: Any, shot: Any, personas: Personas, tmp_path: Path
) -> None:
    base = live_server.url
    sign_in(phone, base, "caseworker", "ru")
    phone.goto(f"{base}/cases/")
    phone.locator("a[href='/registers/']").click()
    phone.wait_for_url(f"{base}/registers/")
    _no_sideways_scroll(phone)

    rows = [
        row(f"R-{n}", family_name=family, given_name=given, region="Алматы")
        for n, (family, given) in enumerate(SPELLINGS)
    ]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(register_csv([*rows, row("R-0", sex="Ж?", date_of_birth="32.01.2000")]))
    phone.set_input_files("#id_file", str(bad))
    phone.locator("form.stack button[type=submit]").click()
    problems = phone.locator("[data-testid=problems] li")
    assert problems.count() == 4  # the same id, no name, a date, the sex
    first = problems.first.inner_text()
    assert " 6" in first and "external_id" in first  # row 6 repeats the id of row 2
    _no_sideways_scroll(phone)
    shot(phone, "register-1-problems-ru")
    assert not Case.objects.exists()

    good = tmp_path / "good.csv"
    good.write_bytes(register_csv(rows))
    phone.set_input_files("#id_file", str(good))
    phone.locator("form.stack button[type=submit]").click()
    phone.locator("[data-testid=preview]").wait_for()
    _no_sideways_scroll(phone)
    shot(phone, "register-2-preview-ru")
    phone.locator("[data-testid=preview] button[type=submit]").click()
    phone.locator("[data-testid=result]").wait_for()
    _no_sideways_scroll(phone)
    shot(phone, "register-3-imported-ru")
    assert Case.objects.filter(agency=personas.shelter).count() == len(SPELLINGS)
