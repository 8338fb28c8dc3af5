from __future__ import annotations

import pytest
from django.test import Client

from tanu.accounts.tests.factories import TEST_PASSWORD, AgencyFactory
from tanu.accounts.tests.personas import Personas

pytestmark = pytest.mark.django_db


def _token(client: Client, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def test_a_token_from_the_login_endpoint_opens_the_api(client: Client, personas: Personas) -> None:
    auth = _token(client, "screener")
    me = client.get("/api/v1/me/", **auth)
    assert me.status_code == 200
    assert me.json()["role"] == "screener"


def test_the_api_refuses_requests_without_a_token(client: Client) -> None:
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_api_errors_are_json_in_the_callers_language(personas: Personas) -> None:
    ru = Client(HTTP_ACCEPT_LANGUAGE="ru").post(
        "/api/v1/auth/token/",
        {"username": "screener", "password": "wrong"},
        content_type="application/json",
    )
    en = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/auth/token/",
        {"username": "screener", "password": "wrong"},
        content_type="application/json",
    )
    assert en.status_code == ru.status_code == 400
    assert en.json()["detail"] == "The username or password is not right."
    assert ru.json()["detail"] != en.json()["detail"]


def test_an_outsider_gets_404_for_an_agency_of_another_region(
    client: Client, personas: Personas
) -> None:
    auth = _token(client, "outsider")
    assert client.get(f"/api/v1/agencies/{personas.police.pk}/", **auth).status_code == 404
    assert client.get(f"/api/v1/agencies/{personas.aktau_police.pk}/", **auth).status_code == 200


def test_a_coordinator_sees_every_agency_of_the_region_and_no_other(
    client: Client, personas: Personas
) -> None:
    auth = _token(client, "coordinator")
    ids = {row["id"] for row in client.get("/api/v1/agencies/", **auth).json()["results"]}
    assert personas.police.pk in ids and personas.shelter.pk in ids
    assert personas.aktau_police.pk not in ids


def test_list_endpoints_are_paginated(client: Client, personas: Personas) -> None:
    for _ in range(55):
        AgencyFactory()
    auth = _token(client, "admin")
    page = client.get("/api/v1/agencies/", **auth).json()
    assert page["count"] > 50
    assert len(page["results"]) == 50
    assert page["next"]


def test_the_openapi_schema_is_served(client: Client, personas: Personas) -> None:
    auth = _token(client, "screener")
    response = client.get("/api/v1/schema/?format=json", **auth)
    assert response.status_code == 200
    assert b"/api/v1/auth/token/" in response.content
