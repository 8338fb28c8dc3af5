"""Two records of one person on a phone: the police officer's home lists the possible duplicate,
the comparison stays masked until both records are opened with a reason, and the merge keeps
both cases. The officer's other case has a likely match in another agency: the case page says
so, with the region and strength only, and a contact request goes to that region's
coordinator. No page scrolls sideways at 360 px."""

from __future__ import annotations

from typing import Any

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import open_case
from tanu.linkage.models import ContactRequest, MatchPair, PersonMerge
from tanu.linkage.tests.helpers import (
    ELSEWHERE_NUMBER,
    held_elsewhere,
    pair_of,
    two_cases_of_one_agency,
)
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide"


@pytest.mark.django_db(transaction=True)
def test_an_officer_merges_a_duplicate_and_asks_for_contact_on_a_phone(
    live_server: Any, phone: Any, shot: Any, personas: Personas
) -> None:
    base = live_server.url
    older, newer = two_cases_of_one_agency(personas.screener, personas.colleague)
    pair = pair_of(older, newer)
    ours = open_case(personas.screener)
    pair_of(ours, held_elsewhere(personas.outsider), probability=0.996)
    page = phone
    sign_in(page, base, "screener", "en")

    # The home page lists the possible duplicate; its page compares the two, masked.
    page.locator(f"a[href='/linkage/pairs/{pair.pk}/']").first.click()
    page.wait_for_url(f"{base}/linkage/pairs/{pair.pk}/")
    assert "Kanarieva" not in page.content()
    _no_sideways_scroll(page)
    shot(page, "linkage-1-pair-masked")
    page.fill("#id_reason", "checking a possible duplicate")
    page.locator("form[action$='/reveal/'] button").click()
    page.wait_for_url(f"{base}/linkage/pairs/{pair.pk}/")
    assert "Kanarieva" in page.content() and "Канарьева" in page.content()
    _no_sideways_scroll(page)
    shot(page, "linkage-2-pair-revealed")
    page.fill("#id_merge-reason", "same passport number and date of birth")
    page.locator("form[action$='/merge/'] button").click()
    page.wait_for_url(f"{base}/linkage/merges/*/")
    assert PersonMerge.objects.get().merged_case == newer
    _no_sideways_scroll(page)
    shot(page, "linkage-3-merged")

    # The other case: a possible match elsewhere, the region and strength only.
    page.goto(f"{base}/cases/{ours.pk}/")
    notice = page.locator("[data-testid=case-links] a", has_text="exists elsewhere")
    assert notice.inner_text() == "A possible match exists elsewhere: Mangystau Region, strong"
    notice.click()
    page.wait_for_url(f"{base}/linkage/cases/{ours.pk}/matches/")
    assert ELSEWHERE_NUMBER not in page.content() and "Aktau police" not in page.content()
    page.locator("summary", has_text="Ask for contact").click()
    page.fill("#id_reason", "she mentioned a stay in Aktau")
    _no_sideways_scroll(page)
    shot(page, "linkage-4-match-elsewhere")
    page.locator("form[action$='/contact/'] button").click()
    page.wait_for_url(f"{base}/linkage/cases/{ours.pk}/matches/")
    assert "waiting for the coordinator" in page.content()
    assert ContactRequest.objects.get().region == personas.aktau_police.region
    assert MatchPair.objects.get(pk=pair.pk).status == MatchPair.Status.MERGED
