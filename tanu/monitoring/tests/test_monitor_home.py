"""The monitor's home page: visits this week, reports to finish and follow-up actions due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tanu.accounts.tests.personas import Personas
from tanu.monitoring import actions
from tanu.monitoring.tests.helpers import day_after, facility, plan, recorded, signed_in, today

pytestmark = pytest.mark.django_db


def section(page: str, key: str) -> str:
    """The worklist ``key`` of the home page, or "" when it is not shown."""
    start = page.find(f'id="worklist-{key}"')
    if start < 0:
        return ""
    return page[start : page.find("</section>", start)]


def home(client: Client) -> str:
    return client.get("/").content.decode()


def test_the_monitor_sees_the_visits_of_the_coming_week_only(personas: Personas) -> None:
    soon = plan(personas, place=facility(name="Almaty detention centre"), on=day_after(2))
    later = plan(personas, place=facility(name="Far shelter"), on=day_after(20))
    past = plan(personas, place=facility(name="Past reception centre"), on=day_after(-3))
    visits = section(home(signed_in("monitor")), "visits")
    assert "Visits this week" in visits
    assert f'href="/monitoring/visits/{soon.pk}/"' in visits
    assert f"/monitoring/visits/{later.pk}/" not in visits
    assert f"/monitoring/visits/{past.pk}/" not in visits


def test_reports_to_finish_are_the_drafts_and_the_visits_done_without_a_report(
    personas: Personas,
) -> None:
    past = plan(personas, place=facility(name="Past reception centre"), on=day_after(-3))
    drafted = plan(personas, place=facility(name="Drafted shelter"), on=today())
    actions.do_save_visit_report_draft(
        drafted, actor=personas.monitor, draft={"adults_present": 4}, expected_revision=1
    )
    future = plan(personas, place=facility(name="Future centre"), on=day_after(3))
    finished = recorded(personas, place=facility(name="Finished centre"), on=day_after(-1))
    gone = plan(personas, place=facility(name="Cancelled centre"), on=day_after(-2))
    actions.do_cancel_visit(gone, actor=personas.monitor, reason="Quarantine")

    reports = section(home(signed_in("monitor")), "reports")
    assert "Reports to finish" in reports
    assert f'href="/monitoring/visits/{past.pk}/report/"' in reports
    assert f'href="/monitoring/visits/{drafted.pk}/report/"' in reports
    assert "Draft report" in reports and "No report yet" in reports
    for other in (future, finished, gone):
        assert f"/monitoring/visits/{other.pk}/" not in reports

    # Finishing the draft takes it off the list.
    drafted.refresh_from_db()
    actions.do_finish_visit_report(
        drafted,
        actor=personas.monitor,
        report={
            "visited_on": today(),
            "adults_present": 4,
            "juveniles_present": 0,
            "access": "full",
        },
        expected_revision=drafted.revision,
    )
    assert f"/monitoring/visits/{drafted.pk}/" not in section(home(signed_in("monitor")), "reports")


def test_the_monitor_sees_the_follow_up_actions_due(personas: Personas) -> None:
    visit = recorded(personas, place=facility(name="Almaty detention centre"), on=day_after(-1))
    actions.do_add_follow_up_action(
        visit,
        actor=personas.monitor,
        description="Ask for an interpreter at intake",
        owner=personas.monitor,
        due_on=today() + timedelta(days=2),
    )
    actions.do_add_follow_up_action(
        visit,
        actor=personas.monitor,
        description="Later",
        owner=personas.monitor,
        due_on=today() + timedelta(days=30),
    )
    follow_ups = section(home(signed_in("monitor")), "follow_ups")
    assert "Follow-up actions due" in follow_ups
    assert follow_ups.count("<li") == 1


def test_a_screener_of_the_region_sees_no_reports_to_write(personas: Personas) -> None:
    plan(personas, place=facility(name="Past reception centre"), on=day_after(-3))
    assert section(home(signed_in("screener")), "reports") == ""


def test_the_monitors_home_costs_the_same_queries_for_3_and_for_30_visits(
    personas: Personas,
) -> None:
    client = signed_in("monitor")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    def add(n: int) -> None:
        for i in range(n):
            visit = plan(personas, place=facility(), on=day_after(i % 10 - 5))
            if i % 2:
                actions.do_save_visit_report_draft(
                    visit, actor=personas.monitor, draft={"adults_present": i}, expected_revision=1
                )

    add(3)
    queries()  # the first request reads what later ones find cached
    small = queries()
    add(27)
    assert queries() == small
