"""The facility registry: each facility with its region, operating agency, address, capacity and
contacts; kept by the region's monitors and coordinators, and by administrators."""

from __future__ import annotations

import pytest
from django.test import Client

from tanu.accounts import demo as accounts_demo
from tanu.accounts.models import Region
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.monitoring import demo
from tanu.monitoring.models import Facility, Visit
from tanu.monitoring.tests.helpers import api_client, facility, signed_in

pytestmark = pytest.mark.django_db


def test_a_monitor_registers_a_facility_of_their_region(personas: Personas) -> None:
    client = signed_in("monitor")
    assert client.get("/monitoring/facilities/new/").status_code == 200
    response = client.post(
        "/monitoring/facilities/new/",
        {
            "name_ru": "Центр адаптации несовершеннолетних г. Алматы",
            "kind": "juvenile_centre",
            "operating_agency": personas.shelter.pk,
            "address": "ул. Примерная, 5",
            "capacity": "40",
            "contacts": "+7 727 000 00 00",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    place = Facility.objects.get()
    assert place.region.code == "KZ-75"
    # A name given in one language stands in for the others until translated.
    assert place.name_kk == place.name_en == place.name_ru
    assert place.screening_place == "rehabilitation_centre"
    assert AuditEntry.objects.filter(object_type="facility", action="create").exists()
    page = client.get(f"/monitoring/facilities/{place.pk}/").content.decode()
    assert "ул. Примерная, 5" in page and "+7 727 000 00 00" in page


def test_a_facility_can_be_edited_and_retired(personas: Personas) -> None:
    place = facility()
    client = signed_in("coordinator")
    response = client.post(
        f"/monitoring/facilities/{place.pk}/edit/",
        {
            "name_ru": place.name_ru,
            "name_kk": place.name_kk,
            "name_en": place.name_en,
            "kind": place.kind,
            "capacity": "75",
        },
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.capacity == 75 and not place.is_active
    # A facility no longer in use cannot get new visits.
    form = client.get("/monitoring/visits/new/").content.decode()
    assert place.name_en not in form


def test_screeners_see_the_registry_but_do_not_keep_it(personas: Personas) -> None:
    place = facility()
    client = signed_in("screener")
    assert client.get(f"/monitoring/facilities/{place.pk}/").status_code == 200
    assert client.get("/monitoring/facilities/new/").status_code == 404
    assert client.get(f"/monitoring/facilities/{place.pk}/edit/").status_code == 404


def test_an_administrator_keeps_the_registry_of_every_region_but_sees_no_visit(
    personas: Personas,
) -> None:
    place = facility()
    client = signed_in("admin")
    response = client.post(
        "/monitoring/facilities/new/",
        {
            "name_ru": "ИВС ДП г. Актау",
            "name_en": "Aktau temporary detention facility",
            "kind": "temporary_detention",
            "region": Region.objects.get(code="KZ-47").pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Facility.objects.get(name_en="Aktau temporary detention facility").region.code == "KZ-47"
    page = client.get(f"/monitoring/facilities/{place.pk}/").content.decode()
    assert "Latest visits" not in page
    assert client.get("/monitoring/").status_code == 404


def test_trainers_and_case_workers_see_no_facility(personas: Personas) -> None:
    place = facility()
    for username in ("trainer", "caseworker", "analyst"):
        client = signed_in(username)
        assert client.get("/monitoring/facilities/").status_code == 404
        assert client.get(f"/monitoring/facilities/{place.pk}/").status_code == 404


def test_facilities_through_the_api(personas: Personas) -> None:
    client, auth = api_client("monitor")
    created = client.post(
        "/api/v1/facilities/",
        {"name_ru": "Спецприёмник г. Алматы", "kind": "special_reception", "capacity": 70},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["region"] == "KZ-75" and data["kind"] == "special_reception"
    listed = client.get("/api/v1/facilities/", **auth).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == data["id"]
    changed = client.patch(
        f"/api/v1/facilities/{data['id']}/",
        {"name_en": "Almaty special reception centre", "capacity": 65},
        content_type="application/json",
        **auth,
    )
    assert changed.status_code == 200
    assert changed.json()["name_en"] == "Almaty special reception centre"
    assert changed.json()["capacity"] == 65
    screener, screener_auth = api_client("screener")
    refused = screener.post(
        "/api/v1/facilities/",
        {"name_ru": "x", "kind": "other"},
        content_type="application/json",
        **screener_auth,
    )
    assert refused.status_code == 404


def test_the_api_schema_names_the_monitoring_operations(personas: Personas) -> None:
    client, auth = api_client("monitor")
    schema = client.get("/api/v1/schema/", {"format": "json"}, **auth).json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "facilities_list",
        "facilities_create",
        "facilities_detail",
        "facilities_update",
        "visits_list",
        "visits_create",
        "visits_detail",
        "visits_report",
    } <= operations


def test_the_demo_has_facilities_and_visits_in_the_six_seminar_cities(
    personas: Personas,
) -> None:
    accounts_demo.load()
    first = demo.load()
    counts = (Facility.objects.count(), Visit.objects.count())
    second = demo.load()
    assert (Facility.objects.count(), Visit.objects.count()) == counts
    assert first[0] == second[0]
    for code in ("KZ-75", "KZ-31", "KZ-79", "KZ-63", "KZ-59", "KZ-47"):
        kinds = set(Facility.objects.filter(region__code=code).values_list("kind", flat=True))
        assert {"temporary_detention", "juvenile_centre", "rehab_homeless"} <= kinds, code
        assert Visit.objects.filter(region__code=code, status="done").exists()
        assert Visit.objects.filter(region__code=code, status="planned").exists()
    for code in ("KZ-75", "KZ-47"):
        assert Facility.objects.filter(region__code=code, kind="migrant_holding").exists()
    done = Visit.objects.filter(region__code="KZ-75", status="done").get()
    assert done.screenings.filter(outcome="presumed_victim").count() == 1
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post(
        "/accounts/login/",
        {"username": "monitor.almaty", "password": accounts_demo.DEMO_PASSWORD},
    )
    page = client.get("/monitoring/").content.decode()
    # The demo's visit to the centre for homeless people is overdue (no report yet).
    overdue = page[page.index('data-testid="overdue"') : page.index('id="month-h"')]
    assert "Almaty Centre for the Social Adaptation of Homeless People" in overdue
