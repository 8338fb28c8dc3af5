"""Visits through the API: plan, record with If-Match, read what the screenings found."""

from __future__ import annotations

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.identification import actions as screening_actions
from tanu.monitoring import actions
from tanu.monitoring.models import Visit
from tanu.monitoring.tests.helpers import PRESUMED, REPORT, api_client, facility, today

pytestmark = pytest.mark.django_db


def test_a_visit_is_planned_and_recorded_through_the_api(personas: Personas) -> None:
    place = facility(kind="migrant_holding")
    client, auth = api_client("monitor")
    created = client.post(
        "/api/v1/visits/",
        {
            "facility": place.pk,
            "planned_on": today().isoformat(),
            "purpose": "Interviews with foreigners awaiting expulsion",
            "announced": False,
            "team": [personas.monitor.pk, personas.coordinator.pk],
        },
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "planned" and data["region"] == "KZ-75"
    assert {m["capacity"] for m in data["team"]} == {"monitor", "police"}
    visit = Visit.objects.get(pk=data["id"])

    screening = actions.do_start_visit_screening(
        visit, actor=personas.monitor, age_group="adult", form="labour", interview_language="ru"
    )
    screening = screening_actions.do_record_answers(
        screening, actor=personas.monitor, answers=dict.fromkeys(PRESUMED, "observed")
    )
    screening_actions.do_finalise_screening(
        screening,
        actor=personas.monitor,
        judgement="agree",
        notes="",
        expected_revision=screening.revision,
    )

    read = client.get(f"/api/v1/visits/{visit.pk}/", **auth)
    assert read.json()["found"] == {
        "screenings": 1,
        "drafts": 0,
        "presumed": 1,
        "possible": 0,
        "referrals": 0,
    }
    recorded = client.patch(
        f"/api/v1/visits/{visit.pk}/",
        {**REPORT, "visited_on": today().isoformat()},
        content_type="application/json",
        HTTP_IF_MATCH=read["ETag"],
        **auth,
    )
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["status"] == "done"
    assert recorded.json()["findings"] == REPORT["findings"]
    # The old ETag is stale now.
    again = client.patch(
        f"/api/v1/visits/{visit.pk}/",
        {"findings": "Overwritten"},
        content_type="application/json",
        HTTP_IF_MATCH=read["ETag"],
        **auth,
    )
    assert again.status_code == 412
    listed = client.get("/api/v1/visits/?status=done", **auth).json()
    assert listed["count"] == 1 and listed["results"][0]["found"]["presumed"] == 1
    assert client.get("/api/v1/visits/?status=planned", **auth).json()["count"] == 0
