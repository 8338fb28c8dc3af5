"""Site-wide HTTP rules: nothing an authenticated request gets back is cached; the API schema
needs a signed-in user in production; deeply nested JSON gets 400; demo mode answers only this
machine, whatever the Host header says."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas
from tanu.lib.http import MAX_JSON_DEPTH, is_loopback, json_depth_exceeds

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def bearer(username: str) -> dict[str, Any]:
    response = Client().post(
        "/api/v1/auth/token/",
        {"username": username, "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# --- Cache-Control: no-store -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/cases/", "/screenings/", "/audit/"])
def test_every_signed_in_page_is_sent_with_no_store(personas: Personas, path: str) -> None:
    response = signed_in("coordinator").get(path)
    assert response.status_code == 200, path
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/cases/", "/api/v1/services/"])
def test_every_api_answer_to_a_bearer_token_is_sent_with_no_store(
    personas: Personas, path: str
) -> None:
    response = Client().get(path, **bearer("caseworker"))
    assert response.status_code == 200, path
    assert response["Cache-Control"] == "no-store"


def test_an_api_answer_to_a_session_is_sent_with_no_store(personas: Personas) -> None:
    response = signed_in("caseworker").get("/api/v1/me/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    # A signed-out visitor's sign-in page holds nothing of anyone's: left as it was.
    assert "no-store" not in Client().get("/accounts/login/").get("Cache-Control", "")


# --- the API schema --------------------------------------------------------------------------


@override_settings(TANU_API_SCHEMA_PUBLIC=False)
def test_with_production_settings_the_schema_needs_a_signed_in_user(personas: Personas) -> None:
    assert Client().get("/api/v1/schema/").status_code in (401, 403)
    response = Client().get("/api/v1/schema/", **bearer("caseworker"))
    assert response.status_code == 200
    assert b"/api/v1/cases/" in response.content
    with override_settings(TANU_API_SCHEMA_PUBLIC=True):  # development and demo mode
        assert Client().get("/api/v1/schema/").status_code == 200


def test_production_settings_do_not_open_the_schema() -> None:
    from django.conf import settings

    assert settings.TANU_API_SCHEMA_PUBLIC is False  # the test suite runs without DEBUG or DEMO


# --- JSON depth ------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_json_nested_deeper_than_64_levels_gets_a_json_400(personas: Personas, depth: int) -> None:
    auth = bearer("screener")
    for path in ("/api/v1/screenings/", "/api/v1/auth/token/"):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        response = client.post(path, nested(depth), content_type="application/json", **auth)
        assert response.status_code == 400, (path, response.status_code)
        assert "nested too deeply" in response.json()["detail"]
    # 64 levels reach the API, which explains its own error.
    body = json.dumps({"context": json.loads(nested(MAX_JSON_DEPTH - 1))})
    response = Client().post("/api/v1/screenings/", body, content_type="application/json", **auth)
    assert response.status_code == 400
    assert "nested too deeply" not in response.content.decode()


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = json.dumps({"note": "[" * 500 + '\\"{' * 100, "list": [[1, 2], {"a": "]]]"}]})
    assert not json_depth_exceeds(text.encode())
    assert json_depth_exceeds(nested(65).encode())
    assert not json_depth_exceeds(nested(64).encode())


# --- demo mode answers only this machine ------------------------------------------------------


@override_settings(DEMO=True)
@pytest.mark.parametrize("address", ["203.0.113.7", "10.0.0.2", "2001:db8::1", "::ffff:10.0.0.2"])
@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/me/", "/static/tanu.css"])
def test_demo_mode_refuses_other_addresses_even_with_a_local_host_header(
    db: None, address: str, path: str
) -> None:
    response = Client().get(path, REMOTE_ADDR=address, HTTP_HOST="127.0.0.1")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/plain")
    assert "only on this computer" in response.content.decode()
    for local in ("127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"):
        assert Client().get("/accounts/login/", REMOTE_ADDR=local).status_code == 200
    with override_settings(DEMO=False):
        assert Client().get("/accounts/login/", REMOTE_ADDR=address).status_code == 200


def test_loopback_means_127_0_0_0_8_and_1() -> None:
    assert is_loopback("127.255.0.1") and is_loopback("::1")
    assert not any(is_loopback(a) for a in ("", None, "localhost", "128.0.0.1", "::2", "x"))
