"""On a phone the calendar shows each visit as a card: its status and its conflicts in full."""

from __future__ import annotations

import re

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.monitoring import actions
from tanu.monitoring.tests.helpers import day_after, facility, plan, signed_in, today

pytestmark = pytest.mark.django_db


def cards(page: str) -> list[str]:
    return re.findall(
        r'<li class="visit-card[^"]*" data-testid="visit-card">(.*?)</li>\s*\n', page, re.S
    )


def test_each_visit_is_a_card_with_its_status_and_conflicts_not_a_table_row(
    personas: Personas,
) -> None:
    place = facility(name="Almaty special reception centre")
    day = day_after(3) if day_after(3).month == today().month else today()
    plan(personas, place=place, on=day, team=[personas.monitor])
    plan(personas, place=place, on=day, team=[personas.screener], actor=personas.coordinator)
    page = signed_in("monitor").get(f"/monitoring/?month={day:%Y-%m}").content.decode()
    assert "<table" not in page
    found = cards(page)
    assert len(found) == 2
    for card in found:
        assert "planned" in card and "unannounced" in card
        assert "another visit to this facility on the same day" in card
    assert page.count('class="visit-card conflict"') == 2


def test_a_card_shows_an_overdue_visit_a_draft_report_and_a_cancelled_one(
    personas: Personas,
) -> None:
    day = today().replace(day=1)
    overdue = plan(personas, place=facility(), on=day)
    drafted = plan(personas, place=facility(kind="shelter"), on=day)
    actions.do_save_visit_report_draft(
        drafted, actor=personas.monitor, draft={"adults_present": 3}, expected_revision=1
    )
    cancelled = plan(
        personas, place=facility(kind="juvenile_centre"), on=day, team=[personas.monitor]
    )
    actions.do_cancel_visit(cancelled, actor=personas.monitor, reason="Quarantine")
    page = signed_in("monitor").get(f"/monitoring/?month={day:%Y-%m}").content.decode()
    found = cards(page)
    assert len(found) == 3
    texts = "\n".join(found)
    assert "draft report" in texts and "cancelled" in texts
    if overdue.planned_on < today():
        assert "overdue: no report yet" in texts
