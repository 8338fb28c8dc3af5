"""An analyst opens the statistics dashboard, filters it and downloads a chart: figures only,
never a name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import open_case
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_an_analyst_reads_the_dashboard_and_downloads_a_chart(
    live_server: Any, phone: Any, shot: Any, personas: Personas
) -> None:
    for _i in range(3):
        open_case(
            personas.screener,
            person={"family_name": "Канарьева", "given_name": "Жанар", "sex": "female"},
        )
    base = live_server.url
    sign_in(phone, base, "analyst", "en")
    phone.goto(f"{base}/reports/")
    assert phone.locator("h1").inner_text()
    assert phone.locator("svg[role=img]").count() > 0
    body = phone.content()
    assert "Канарьева" not in body and "Жанар" not in body
    shot(phone, "dashboard-1-analyst-en")
    with translation.override("en"):
        small = "<5"
    assert small in phone.locator("main").inner_text()  # three cases: a small cell
    csv_link = phone.locator("a[href*='/reports/chart/'][href*='.csv']").first
    with phone.expect_download() as download:
        csv_link.click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Канарьева" not in content
    assert content.strip()
    # Coordinators of another region see only their own region; a screener has no dashboard.
    phone.context.clear_cookies()
    sign_in(phone, base, "screener", "en")
    response = phone.goto(f"{base}/reports/")
    assert response.status == 404
    with translation.override("en"):
        assert _("Not found") in phone.content()
