"""Every API list and the HTML lists count at most up to the cap (TANU_LIST_COUNT_CAP), flag an
estimated count, and keep their page links working past it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from tanu.accounts.models import User
from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import open_case
from tanu.referrals.models import Service
from tanu.referrals.tests.test_referrals import refer

pytestmark = pytest.mark.django_db

# The API lists documented in the README; the URL conf is searched for any other.
KNOWN_LISTS = {
    "/api/v1/agencies/",
    "/api/v1/screenings/",
    "/api/v1/checklists/",
    "/api/v1/cases/",
    "/api/v1/services/",
    "/api/v1/referrals/",
    "/api/v1/facilities/",
    "/api/v1/visits/",
    "/api/v1/seminars/",
    "/api/v1/questions/",
}


def api_paths_without_parameters() -> list[str]:
    """Every path under /api/v1/ that takes no parameter, from the URL conf."""
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for entry in patterns:
            route = str(entry.pattern)
            if "<" in route or route.startswith("^"):
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                found.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return [p for p in found if p.startswith("/api/v1/")]


def client_for(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_every_api_list_answers_whether_its_count_is_an_estimate(personas: Personas) -> None:
    users = [
        personas.screener,
        personas.caseworker,
        personas.coordinator,
        personas.monitor,
        personas.trainer,
    ]
    lists: dict[str, dict[str, Any]] = {}
    for path in api_paths_without_parameters():
        for user in users:
            response = client_for(user).get(path)
            if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
                continue
            body = response.json()
            if isinstance(body, dict) and "results" in body:
                lists[path] = body
                break
    assert set(lists) >= KNOWN_LISTS
    for path, body in lists.items():
        assert body.get("count_is_estimate") is False, (path, list(body))
        assert list(body)[:2] == ["count", "count_is_estimate"], path


def test_the_api_referral_list_flags_an_estimated_count_above_the_cap(
    personas: Personas,
) -> None:
    for _ in range(3):
        refer(open_case(personas.screener), personas)
    client = client_for(personas.caseworker)
    with override_settings(TANU_LIST_COUNT_CAP=3):
        exact = client.get("/api/v1/referrals/").json()
    with override_settings(TANU_LIST_COUNT_CAP=2):
        capped = client.get("/api/v1/referrals/").json()
    assert (exact["count"], exact["count_is_estimate"]) == (3, False)
    assert capped["count_is_estimate"] is True
    assert capped["count"] >= 3  # never fewer than the rows shown
    assert len(capped["results"]) == 3


def test_the_referral_inbox_says_more_than_the_cap_and_its_pages_still_work(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tanu.referrals import views

    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 2)
    for _ in range(5):
        refer(open_case(personas.screener), personas)
    client = client_for(personas.caseworker)
    with override_settings(TANU_LIST_COUNT_CAP=3):
        first = client.get("/referrals/").content.decode()
        third = client.get("/referrals/?page=3").content.decode()
    assert "Page 1 (more than 3 in all)" in first
    assert "of 2" not in first
    assert 'href="?page=2"' in first
    assert "Page 3 (more than 3 in all)" in third  # past the 2 pages the cap would allow
    assert 'href="?page=2"' in third
    assert "?page=4" not in third
    with override_settings(TANU_LIST_COUNT_CAP=5):
        exact = client.get("/referrals/").content.decode()
    assert "Page 1 of 3" in exact
    assert "more than" not in exact


def test_the_service_directory_says_more_than_the_cap(personas: Personas) -> None:
    for number in range(3):
        Service.objects.create(
            region=personas.shelter.region,
            agency=personas.shelter,
            kind="shelter",
            name_en=f"Shelter {number}",
            name_ru=f"Приют {number}",
            name_kk=f"Баспана {number}",
        )
    client = client_for(personas.caseworker)
    with override_settings(TANU_LIST_COUNT_CAP=2):
        capped = client.get("/services/").content.decode()
    with override_settings(TANU_LIST_COUNT_CAP=10):
        exact = client.get("/services/").content.decode()
    assert "More than 2 services found." in capped
    assert "3 services found." in exact and "More than" not in exact
