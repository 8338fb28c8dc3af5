"""Lists on a phone: the referral and case lists are tables that become cards below 48rem; each
cell carries its column's heading, and status, deadline and the link to open come first."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import open_case, signed_in
from tanu.referrals.models import Referral
from tanu.referrals.tests.test_referrals import refer

pytestmark = pytest.mark.django_db


def cells(page: str) -> list[str]:
    """The first row of the first table.cards-on-phone, cell by cell."""
    table = page[page.index('<table class="cards-on-phone"') :]
    body = table[table.index("<tbody>") :]
    row = body[: body.index("</tr>")]
    return re.findall(r"<td[^>]*>.*?</td>", row, flags=re.S)


def test_the_referral_list_puts_status_overdue_deadline_and_the_link_first(
    personas: Personas,
) -> None:
    referral = refer(open_case(personas.screener), personas)
    late = timezone.localdate() - timedelta(days=3)
    Referral.objects.filter(pk=referral.pk).update(due_date=late)
    page = signed_in("screener", lang="ru").get("/referrals/").content.decode()
    status, deadline, link, *_ = cells(page)
    assert 'data-label="статус"' in status and "просрочено" in status
    assert 'data-label="срок ответа"' in deadline and late.strftime("%d.%m.%Y") in deadline
    assert f'href="/referrals/{referral.pk}/"' in link
    # A case worker of the receiving shelter sees the same card among the referrals received.
    received = signed_in("caseworker", lang="kk").get("/referrals/").content.decode()
    assert "cards-on-phone" in received and "мерзімі өткен" in received


def test_the_case_list_labels_every_cell_for_its_card(personas: Personas) -> None:
    case = open_case(personas.screener)
    page = signed_in("screener", lang="ru").get("/cases/").content.decode()
    link, status, ends, *rest = cells(page)
    assert f'href="/cases/{case.pk}/"' in link
    assert 'data-label="статус"' in status
    assert "data-label=" in ends and all("data-label=" in cell for cell in rest)
