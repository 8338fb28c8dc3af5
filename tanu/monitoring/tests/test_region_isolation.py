"""Monitoring is regional: a visit is seen by the monitors, screeners and coordinators of its
region, and by no one else (404, never 403), over pages and API alike."""

from __future__ import annotations

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.monitoring import actions
from tanu.monitoring.models import FollowUpAction, Visit
from tanu.monitoring.tests.helpers import (
    aktau_monitor,
    api_client,
    day_after,
    facility,
    recorded,
    signed_in,
)

pytestmark = pytest.mark.django_db

SEES = {"monitor", "screener", "colleague", "coordinator"}
OTHER_REGION = {"outsider", "outsider_coordinator", "aktau_monitor"}
ROLES = [
    "monitor",
    "screener",
    "colleague",
    "coordinator",
    "caseworker",
    "trainer",
    "analyst",
    "admin",
    "outsider",
    "outsider_coordinator",
    "aktau_monitor",
]


def _almaty_visit(personas: Personas) -> tuple[Visit, FollowUpAction]:
    visit = recorded(personas)
    follow_up = actions.do_add_follow_up_action(
        visit,
        actor=personas.monitor,
        description="Letter to the facility",
        owner=personas.coordinator,
        due_on=day_after(7),
    )
    return visit, follow_up


@pytest.mark.parametrize("username", ROLES)
def test_a_visit_report_is_seen_only_in_its_region(personas: Personas, username: str) -> None:
    aktau_monitor()
    visit, _ = _almaty_visit(personas)
    expected = 200 if username in SEES else 404
    page = signed_in(username)
    api, auth = api_client(username)
    observed = {
        "visit page": page.get(f"/monitoring/visits/{visit.pk}/").status_code,
        "print": page.get(f"/monitoring/visits/{visit.pk}/print/").status_code,
        "pdf": page.get(f"/monitoring/visits/{visit.pk}/pdf/").status_code,
        "visit api": api.get(f"/api/v1/visits/{visit.pk}/", **auth).status_code,
    }
    assert observed == dict.fromkeys(observed, expected)
    # The lists: every region's team has its own; other roles have none.
    lists = {
        "calendar": page.get("/monitoring/"),
        "visit list": page.get("/monitoring/visits/"),
        "actions": page.get("/monitoring/actions/?status=open"),
        "visits api": api.get("/api/v1/visits/", **auth),
    }
    has_lists = username in SEES | OTHER_REGION
    assert {k: r.status_code for k, r in lists.items()} == dict.fromkeys(
        lists, 200 if has_lists else 404
    )
    for name, response in lists.items():
        shown = visit.facility.name in response.content.decode()
        assert shown is (username in SEES), name


def test_a_monitor_of_another_region_sees_nothing_of_almaty(personas: Personas) -> None:
    aktau_monitor()
    visit, follow_up = _almaty_visit(personas)
    aktau_facility = facility("KZ-47", name="Aktau temporary detention facility")
    page = signed_in("aktau_monitor")
    assert page.get(f"/monitoring/visits/{visit.pk}/").status_code == 404
    assert page.get(f"/monitoring/visits/{visit.pk}/report/").status_code == 404
    assert page.get(f"/monitoring/facilities/{visit.facility_id}/").status_code == 404
    calendar = page.get("/monitoring/").content.decode()
    assert visit.facility.name not in calendar
    listing = page.get("/monitoring/visits/?status=done").content.decode()
    assert visit.facility.name not in listing
    facilities = page.get("/monitoring/facilities/").content.decode()
    assert aktau_facility.name in facilities and visit.facility.name not in facilities
    overview = page.get("/monitoring/overview/").content.decode()
    assert 'data-region="KZ-75"' not in overview
    # Writes are refused the same way, and change nothing.
    before = visit.revision
    assert page.post(f"/monitoring/visits/{visit.pk}/report/", {"findings": "x"}).status_code == 404
    assert (
        page.post(
            f"/monitoring/visits/{visit.pk}/screenings/",
            {"age_group": "adult", "form": "labour", "interview_language": "ru"},
        ).status_code
        == 404
    )
    assert (
        page.post(f"/monitoring/actions/{follow_up.pk}/done/", {"outcome": "x"}).status_code == 404
    )
    visit.refresh_from_db()
    follow_up.refresh_from_db()
    assert visit.revision == before and follow_up.status == "open"

    api, auth = api_client("aktau_monitor")
    listed = api.get("/api/v1/visits/", **auth).json()
    assert listed["count"] == 0
    assert api.get(f"/api/v1/visits/{visit.pk}/", **auth).status_code == 404
    patched = api.patch(
        f"/api/v1/visits/{visit.pk}/",
        {"findings": "x"},
        content_type="application/json",
        HTTP_IF_MATCH=f'"visit-{visit.pk}-{visit.revision}"',
        **auth,
    )
    assert patched.status_code == 404
    assert api.get(f"/api/v1/facilities/{visit.facility_id}/", **auth).status_code == 404
    ids = [f["id"] for f in api.get("/api/v1/facilities/", **auth).json()["results"]]
    assert ids == [aktau_facility.pk]
    planned = api.post(
        "/api/v1/visits/",
        {
            "facility": visit.facility_id,
            "planned_on": day_after(3).isoformat(),
            "purpose": "x",
            "team": [personas.monitor.pk],
        },
        content_type="application/json",
        **auth,
    )
    assert planned.status_code == 400
    assert Visit.objects.count() == 1


def test_only_monitors_and_coordinators_plan_and_record(personas: Personas) -> None:
    visit, _ = _almaty_visit(personas)
    screener = signed_in("screener")
    assert screener.get("/monitoring/visits/new/").status_code == 404
    assert screener.get(f"/monitoring/visits/{visit.pk}/report/").status_code == 404
    assert (
        screener.post(f"/monitoring/visits/{visit.pk}/cancel/", {"reason": "x"}).status_code == 404
    )
    assert signed_in("coordinator").get("/monitoring/visits/new/").status_code == 200
    api, auth = api_client("screener")
    response = api.patch(
        f"/api/v1/visits/{visit.pk}/",
        {"findings": "x"},
        content_type="application/json",
        HTTP_IF_MATCH=f'"visit-{visit.pk}-{visit.revision}"',
        **auth,
    )
    assert response.status_code == 404


def test_the_visit_lists_only_the_screenings_the_user_may_open(personas: Personas) -> None:
    visit, _ = _almaty_visit(personas)
    signed_in("monitor").post(
        f"/monitoring/visits/{visit.pk}/screenings/",
        {"age_group": "adult", "form": "labour", "interview_language": "ru"},
    )
    reference = visit.screenings.get().reference
    # The monitor's NGO owns the screening; the police screener of the team sees the count only.
    assert reference in signed_in("monitor").get(f"/monitoring/visits/{visit.pk}/").content.decode()
    page = signed_in("screener").get(f"/monitoring/visits/{visit.pk}/").content.decode()
    assert reference not in page
    assert 'data-count="screenings">1' in page
    assert (
        reference
        in signed_in("coordinator").get(f"/monitoring/visits/{visit.pk}/").content.decode()
    )
