"""Bad input never makes a 500 and never changes anything: pages and API alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client

from tanu.accounts.tests.factories import AgencyFactory
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.identification.models import Screening
from tanu.monitoring import actions
from tanu.monitoring.models import Facility, FollowUpAction, Visit, VisitMember
from tanu.monitoring.tests.helpers import (
    api_client,
    day_after,
    facility,
    plan,
    report_post,
    signed_in,
    today,
)

pytestmark = pytest.mark.django_db
JUNK = ["", "x", "-1", "%00", "'\"<script>", "9" * 30, "2026-02-30"]


def _state() -> dict[str, Any]:
    return {
        "visits": [model_to_dict(v) for v in Visit.objects.order_by("pk")],
        "members": list(VisitMember.objects.order_by("pk").values()),
        "facilities": [model_to_dict(f) for f in Facility.objects.order_by("pk")],
        "actions": list(FollowUpAction.objects.order_by("pk").values()),
        "screenings": Screening.objects.count(),
        "writes": AuditEntry.objects.exclude(action__in=["read", "export", "login"]).count(),
    }


def _setup(personas: Personas) -> tuple[Visit, Facility]:
    place = facility()
    visit = plan(personas, place=place, on=day_after(2))
    # A second write, so that revision 1 is stale.
    visit = actions.do_update_visit_plan(
        visit,
        actor=personas.monitor,
        planned_on=today(),
        purpose="Routine monitoring",
        announced=True,
        team=[personas.monitor],
        expected_revision=visit.revision,
    )
    return visit, place


def _page_attempts(visit: Visit, place: Facility, personas: Personas) -> list[tuple[str, Any]]:
    aktau_place = facility("KZ-47")
    aktau_agency = AgencyFactory(region=aktau_place.region)
    v = visit.pk
    stale = visit.revision - 1
    attempts: list[tuple[str, Any]] = []
    for value in JUNK:
        attempts += [
            ("/monitoring/visits/new/", {"facility": value, "planned_on": value, "team": value}),
            (f"/monitoring/visits/{v}/plan/", {"planned_on": value, "revision": value}),
            (f"/monitoring/visits/{v}/report/", report_post(visit, visited_on=value)),
            (f"/monitoring/visits/{v}/report/", report_post(visit, adults_present=value)),
            (f"/monitoring/visits/{v}/report/", report_post(visit, revision=value)),
            (f"/monitoring/visits/{v}/screenings/", {"age_group": value, "form": value}),
            (f"/monitoring/visits/{v}/actions/", {"owner": value, "due_on": value}),
            ("/monitoring/facilities/new/", {"name_ru": value, "kind": value, "capacity": value}),
            (f"/monitoring/facilities/{place.pk}/edit/", {"kind": value, "capacity": value}),
        ]
    attempts += [
        # Another region's facility, an outsider on the team, a date far away.
        (
            "/monitoring/visits/new/",
            {"facility": aktau_place.pk, "planned_on": today(), "purpose": "x", "team": [1]},
        ),
        (
            "/monitoring/visits/new/",
            {
                "facility": place.pk,
                "planned_on": today(),
                "purpose": "x",
                "team": [personas.outsider.pk],
            },
        ),
        (
            "/monitoring/visits/new/",
            {
                "facility": place.pk,
                "planned_on": "2090-01-01",
                "purpose": "x",
                "team": [personas.monitor.pk],
            },
        ),
        # Reports that cannot be true.
        (f"/monitoring/visits/{v}/report/", report_post(visit, visited_on=day_after(1))),
        (f"/monitoring/visits/{v}/report/", report_post(visit, foreigners_present=99)),
        (f"/monitoring/visits/{v}/report/", report_post(visit, people_screened=99)),
        (f"/monitoring/visits/{v}/report/", report_post(visit, access="refused", access_notes="")),
        (f"/monitoring/visits/{v}/report/", report_post(visit, duration_minutes=0)),
        (f"/monitoring/visits/{v}/report/", report_post(visit, findings="x" * 10_001)),
        (f"/monitoring/visits/{v}/report/", report_post(visit, revision=stale)),
        (f"/monitoring/visits/{v}/cancel/", {"reason": ""}),
        (f"/monitoring/visits/{v}/cancel/", {"reason": "x", "revision": stale}),
        (f"/monitoring/visits/{v}/plan/", {"planned_on": today(), "purpose": "", "team": []}),
        (
            f"/monitoring/visits/{v}/plan/",
            {
                "planned_on": today(),
                "purpose": "x",
                "team": [personas.monitor.pk],
                "revision": stale,
            },
        ),
        (
            f"/monitoring/visits/{v}/actions/",
            {"description": "", "owner": personas.monitor.pk, "due_on": day_after(1)},
        ),
        (
            "/monitoring/facilities/new/",
            {"name_ru": "", "name_kk": "", "name_en": "", "kind": "other"},
        ),
        (
            "/monitoring/facilities/new/",
            {"name_ru": "x", "kind": "other", "operating_agency": aktau_agency.pk},
        ),
        ("/monitoring/facilities/new/", {"name_ru": "x", "kind": "other", "capacity": "-3"}),
    ]
    return attempts


def test_junk_on_the_pages_never_makes_a_500_and_changes_nothing(personas: Personas) -> None:
    visit, place = _setup(personas)
    attempts = _page_attempts(visit, place, personas)
    before = _state()
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    for username in ("monitor", "coordinator", "screener", "analyst"):
        signed = signed_in(username)
        client.cookies = signed.cookies
        for url, data in attempts:
            response = client.post(url, data)
            assert response.status_code < 500, (username, url, data)
            for query in ({"month": "x"}, {"page": "x"}, {"lang": "zz"}, {"status": "%00"}):
                assert client.get(url, query).status_code < 500, (url, query)
    assert _state() == before


def test_a_stale_report_is_refused_with_a_clear_message(personas: Personas) -> None:
    visit, _ = _setup(personas)
    response = signed_in("monitor").post(
        f"/monitoring/visits/{visit.pk}/report/",
        report_post(visit, revision=visit.revision - 1),
        follow=True,
    )
    assert "Someone else changed this visit" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == "planned"


def test_impossible_counts_are_explained(personas: Personas) -> None:
    visit, _ = _setup(personas)
    client = signed_in("monitor")
    page = client.post(
        f"/monitoring/visits/{visit.pk}/report/", report_post(visit, foreigners_present=99)
    )
    assert page.status_code == 400
    assert "There cannot be more foreigners than people present." in page.content.decode()
    page = client.post(
        f"/monitoring/visits/{visit.pk}/report/",
        report_post(visit, access="refused", access_notes=""),
    )
    assert "Describe what access was refused, and by whom." in page.content.decode()


def _api_attempts(visit: Visit, place: Facility) -> list[tuple[str, str, Any]]:
    v = visit.pk
    attempts: list[tuple[str, str, Any]] = [
        ("post", "/api/v1/visits/", "{not json"),
        ("post", "/api/v1/visits/", "[1, 2]"),
        ("post", "/api/v1/visits/", {"facility": "x", "planned_on": "x", "team": "x"}),
        (
            "post",
            "/api/v1/visits/",
            {"facility": 999999, "planned_on": "2026-01-01", "purpose": "x", "team": [1]},
        ),
        (
            "post",
            "/api/v1/visits/",
            {"facility": place.pk, "planned_on": "2026-01-01", "purpose": "x", "team": [999999]},
        ),
        (
            "post",
            "/api/v1/visits/",
            {"facility": place.pk, "planned_on": "2026-01-01", "purpose": "x", "team": []},
        ),
        ("post", "/api/v1/facilities/", {"name_ru": "x", "kind": "nonsense"}),
        ("post", "/api/v1/facilities/", {"name_ru": "x", "kind": "other", "region": "KZ-47"}),
        (
            "post",
            "/api/v1/facilities/",
            {"name_ru": "x", "kind": "other", "operating_agency": 999999},
        ),
        ("post", "/api/v1/facilities/", {"name_ru": "", "kind": "other"}),
        ("post", "/api/v1/facilities/", {"name_ru": "x"}),
        ("patch", f"/api/v1/facilities/{place.pk}/", {"capacity": -1}),
        ("patch", f"/api/v1/facilities/{place.pk}/", {"region": "KZ-47"}),
        ("patch", f"/api/v1/facilities/{place.pk}/", "{not json"),
        ("put", f"/api/v1/visits/{v}/", {"findings": "x"}),
        ("delete", f"/api/v1/visits/{v}/", None),
        ("delete", f"/api/v1/facilities/{place.pk}/", None),
    ]
    return attempts


def test_junk_through_the_api_never_makes_a_500_and_changes_nothing(
    personas: Personas,
) -> None:
    visit, place = _setup(personas)
    before = _state()
    client, auth = api_client("monitor")
    client.raise_request_exception = False
    for method, url, body in _api_attempts(visit, place):
        response = getattr(client, method)(url, body, content_type="application/json", **auth)
        assert 400 <= response.status_code < 500, (method, url, body, response.status_code)
        assert "detail" in response.json()
    etag = f'"visit-{visit.pk}-{visit.revision}"'
    reports = [
        ({"findings": "x"}, {}, 428),
        ({"findings": "x"}, {"HTTP_IF_MATCH": '"visit-1-0"'}, 412),
        ({"visited_on": day_after(3).isoformat(), "access": "full"}, {"HTTP_IF_MATCH": etag}, 400),
        ({"visited_on": today().isoformat()}, {"HTTP_IF_MATCH": etag}, 400),  # no access
        ({"adults_present": -1}, {"HTTP_IF_MATCH": etag}, 400),
        ({"access": "sometimes"}, {"HTTP_IF_MATCH": etag}, 400),
    ]
    for body, headers, expected in reports:
        response = client.patch(
            f"/api/v1/visits/{visit.pk}/", body, content_type="application/json", **auth, **headers
        )
        assert response.status_code == expected, (body, response.content)
    assert _state() == before
