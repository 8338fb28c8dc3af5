"""The calendar of planned visits: conflicts and overdue visits are visible."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.monitoring import actions
from tanu.monitoring.tests.helpers import day_after, facility, plan, recorded, signed_in, today

pytestmark = pytest.mark.django_db


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


def test_two_visits_to_the_same_facility_on_the_same_day_are_a_conflict(
    personas: Personas,
) -> None:
    place = facility(name="Almaty special reception centre")
    day = day_after(5)
    plan(personas, place=place, on=day, team=[personas.monitor])
    plan(personas, place=place, on=day, team=[personas.screener], actor=personas.coordinator)
    page = signed_in("coordinator").get(f"/monitoring/?month={month_of(day)}").content.decode()
    assert "2 visits have conflicts." in page
    assert page.count("another visit to this facility on the same day") == 2


def test_a_team_member_on_two_visits_the_same_day_is_a_conflict(personas: Personas) -> None:
    day = day_after(5)
    personas.screener.first_name, personas.screener.last_name = "Aigerim", "Sadykova"
    personas.screener.save()
    plan(personas, place=facility(), on=day, team=[personas.monitor, personas.screener])
    plan(personas, place=facility(kind="juvenile_centre"), on=day, team=[personas.screener])
    page = signed_in("monitor").get(f"/monitoring/?month={month_of(day)}").content.decode()
    assert "2 visits have conflicts." in page
    assert page.count("Aigerim Sadykova is on another visit the same day") == 2


def test_visits_on_different_days_or_cancelled_do_not_conflict(personas: Personas) -> None:
    place = facility()
    day = day_after(5)
    plan(personas, place=place, on=day)
    plan(personas, place=place, on=day + timedelta(days=1))
    cancelled = plan(personas, place=place, on=day)
    actions.do_cancel_visit(cancelled, actor=personas.monitor, reason="Quarantine")
    page = signed_in("monitor").get(f"/monitoring/?month={month_of(day)}").content.decode()
    assert "have conflicts" not in page and "has a conflict" not in page


def test_a_conflict_is_announced_when_planning(personas: Personas) -> None:
    place = facility()
    day = day_after(5)
    plan(personas, place=place, on=day)
    response = signed_in("monitor").post(
        "/monitoring/visits/new/",
        {
            "facility": place.pk,
            "planned_on": day.isoformat(),
            "purpose": "Second team",
            "team": [personas.coordinator.pk],
        },
        follow=True,
    )
    assert "Conflict: another visit to this facility on the same day." in response.content.decode()


def test_a_planned_visit_whose_date_passed_without_a_report_is_overdue(
    personas: Personas,
) -> None:
    late = plan(personas, place=facility(name="Forgotten centre"), on=today() - timedelta(days=2))
    recorded(personas, place=facility(name="Reported centre"), on=today() - timedelta(days=2))
    plan(personas, place=facility(name="Future centre"), on=day_after(2))
    page = signed_in("monitor").get("/monitoring/").content.decode()
    overdue = page[page.index('data-testid="overdue"') : page.index('id="month-h"')]
    assert "Forgotten centre" in overdue
    assert "Reported centre" not in overdue and "Future centre" not in overdue
    assert (
        "overdue: no report yet"
        in signed_in("monitor").get(f"/monitoring/visits/{late.pk}/").content.decode()
    )
    # Recording it ends the overdue state.
    actions.do_record_visit(
        late,
        actor=personas.monitor,
        report={"visited_on": late.planned_on, "access": "full"},
        expected_revision=None,
    )
    assert 'data-testid="overdue"' not in signed_in("monitor").get("/monitoring/").content.decode()


def test_the_calendar_moves_month_by_month_and_ignores_nonsense(personas: Personas) -> None:
    far = today().replace(day=1) + timedelta(days=40)
    plan(personas, place=facility(name="Next month centre"), on=far)
    client = signed_in("monitor")
    assert "Next month centre" in client.get(f"/monitoring/?month={month_of(far)}").content.decode()
    for junk in ("2026-13", "abc", "1-1-1", "99999-01", ""):
        response = client.get("/monitoring/", {"month": junk})
        assert response.status_code == 200
