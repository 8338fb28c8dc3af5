"""The overview: per region and facility type, visits done against planned and what they found.
Analysts see it for every region, and never a visit report."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.monitoring import actions
from tanu.monitoring.models import Visit
from tanu.monitoring.tests.helpers import (
    aktau_monitor,
    facility,
    plan,
    recorded,
    signed_in,
    today,
)

pytestmark = pytest.mark.django_db


def _rows(html: str) -> dict[tuple[str, str], dict[str, str]]:
    rows = {}
    for region, kind, body in re.findall(
        r'<tr data-region="([^"]+)" data-kind="([^"]+)">(.*?)</tr>', html, re.S
    ):
        rows[(region, kind)] = dict(re.findall(r'data-count="(\w+)">([^<]+)<', body))
    return rows


def _two_regions(personas: Personas) -> None:
    recorded(personas, place=facility(name="Almaty TDF"))
    plan(personas, place=facility(name="Almaty TDF 2"), on=today() - timedelta(days=1))
    plan(personas, place=facility(kind="juvenile_centre", name="Almaty juveniles"))
    monitor = aktau_monitor()
    aktau = facility("KZ-47", kind="migrant_holding", name="Aktau migrants")
    visit = actions.do_plan_visit(
        actor=monitor,
        facility=aktau,
        planned_on=today(),
        purpose="Aktau visit",
        announced=True,
        team=[monitor],
    )
    actions.do_record_visit(
        visit,
        actor=monitor,
        report={
            "visited_on": today(),
            "access": "refused",
            "access_notes": "Access to the foreigners' block refused by the head of the centre.",
            "adults_present": 12,
            "people_screened": 4,
            "findings": "SECRET FINDING TEXT",
        },
        expected_revision=None,
    )


def test_an_analyst_sees_the_overview_of_every_region(personas: Personas) -> None:
    _two_regions(personas)
    period = {"date_from": today() - timedelta(days=30), "date_to": today() + timedelta(days=30)}
    response = signed_in("analyst").get("/monitoring/overview/", period)
    assert response.status_code == 200
    rows = _rows(response.content.decode())
    assert rows[("KZ-75", "temporary_detention")]["done"] == "1 / 2"
    assert rows[("KZ-75", "temporary_detention")]["overdue"] == "1"
    assert rows[("KZ-75", "juvenile_centre")]["done"] == "0 / 1"
    assert rows[("KZ-47", "migrant_holding")]["done"] == "1 / 1"
    assert rows[("KZ-47", "migrant_holding")]["screened"] == "4"


def test_an_analyst_never_sees_a_visit_report(personas: Personas) -> None:
    _two_regions(personas)
    analyst = signed_in("analyst")
    page = analyst.get("/monitoring/overview/").content.decode()
    assert "SECRET FINDING TEXT" not in page and "Aktau migrants" not in page
    assert "/monitoring/visits/" not in page
    for visit in Visit.objects.all():
        assert analyst.get(f"/monitoring/visits/{visit.pk}/").status_code == 404
        assert analyst.get(f"/monitoring/visits/{visit.pk}/print/").status_code == 404
        assert analyst.get(f"/monitoring/visits/{visit.pk}/pdf/").status_code == 404
    assert analyst.get("/monitoring/").status_code == 404
    assert analyst.get("/monitoring/facilities/").status_code == 404
    assert 'href="/monitoring/overview/"' in analyst.get("/").content.decode()


def test_a_regional_team_sees_its_own_region_only_in_the_overview(personas: Personas) -> None:
    _two_regions(personas)
    rows = _rows(signed_in("coordinator").get("/monitoring/overview/").content.decode())
    assert {region for region, _ in rows} == {"KZ-75"}


def test_trainers_and_case_workers_have_no_overview(personas: Personas) -> None:
    for username in ("trainer", "caseworker", "admin"):
        assert signed_in(username).get("/monitoring/overview/").status_code == 404


def test_the_overview_period_can_be_chosen_and_nonsense_is_refused_kindly(
    personas: Personas,
) -> None:
    recorded(personas)
    client = signed_in("coordinator")
    last_year = today().replace(year=today().year - 1)
    rows = _rows(
        client.get(
            "/monitoring/overview/",
            {
                "date_from": last_year.replace(month=1, day=1),
                "date_to": last_year.replace(month=12, day=31),
            },
        ).content.decode()
    )
    assert rows == {}
    for junk in (
        {"date_from": "2026-02-30"},
        {"date_from": "x", "date_to": "y"},
        {"date_from": "2026-12-01", "date_to": "2026-01-01"},
        {"date_to": "9" * 30},
    ):
        response = client.get("/monitoring/overview/", junk)
        assert response.status_code == 200
    refused = client.get(
        "/monitoring/overview/", {"date_from": "2026-12-01", "date_to": "2026-01-01"}
    ).content.decode()
    assert "The period must start before it ends." in refused
