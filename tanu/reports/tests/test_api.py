"""The statistics API: JSON with protected figures, the pages' scope, documented in the schema."""

from __future__ import annotations

import pytest

from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas
from tanu.reports.stats import TABLE_NAMES
from tanu.reports.tests.helpers import add_screenings

pytestmark = pytest.mark.django_db


def _bearer(client, username: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    token = client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": TEST_PASSWORD},
        content_type="application/json",
    ).json()["token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_overview_lists_every_table_with_protected_figures(client, personas: Personas) -> None:  # type: ignore[no-untyped-def]
    add_screenings(personas.police, personas.screener, 23)
    add_screenings(personas.police, personas.screener, 2, outcome="presumed_victim")
    auth = _bearer(client, "analyst")
    data = client.get("/api/v1/stats/", **auth).json()
    assert data["threshold"] == 5 and data["small_label"] == "<5"
    assert data["table_names"] == list(TABLE_NAMES)
    funnel = {r["key"]: r["values"]["count"] for r in data["tables"]["funnel"]["rows"]}
    assert funnel["victims"] == "<5"
    assert isinstance(funnel["screened"], int) and funnel["screened"] % 5 == 0
    assert {t["key"] for t in data["timings"]} == {"to_referral", "to_service"}


def test_each_table_is_served_on_its_own(client, personas: Personas) -> None:  # type: ignore[no-untyped-def]
    auth = _bearer(client, "coordinator")
    for name in TABLE_NAMES:
        response = client.get(f"/api/v1/stats/{name}/?year=2025", **auth)
        if name in ("monitoring", "training") and response.status_code == 404:
            continue  # figures only when those apps provide them
        assert response.status_code == 200, name
        body = response.json()
        assert body["table"]["name"] == name
        assert body["filters"]["region"] == "KZ-75"
        assert body["filters"]["year"] == 2025


@pytest.mark.parametrize("username", ["screener", "caseworker", "trainer", "monitor", "admin"])
def test_the_api_answers_404_to_everyone_else(client, personas: Personas, username: str) -> None:  # type: ignore[no-untyped-def]
    auth = _bearer(client, username)
    assert client.get("/api/v1/stats/", **auth).status_code == 404
    assert client.get("/api/v1/stats/by_region/", **auth).status_code == 404


def test_bad_filters_are_a_400_with_the_errors(client, personas: Personas) -> None:  # type: ignore[no-untyped-def]
    auth = _bearer(client, "analyst")
    response = client.get("/api/v1/stats/?year=twenty&form=x", **auth)
    assert response.status_code == 400
    body = response.json()
    assert "year" in body["errors"] and "form" in body["errors"]


def test_the_schema_documents_the_statistics_endpoints(client, personas: Personas) -> None:  # type: ignore[no-untyped-def]
    auth = _bearer(client, "analyst")
    schema = client.get("/api/v1/schema/?format=json", **auth).json()
    assert "/api/v1/stats/" in schema["paths"]
    assert "/api/v1/stats/{table}/" in schema["paths"]
    operations = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert "stats_overview" in operations and "stats_table" in operations
    assert len(operations) == len(set(operations))
