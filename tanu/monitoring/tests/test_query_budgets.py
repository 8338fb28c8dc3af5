"""The list pages and list endpoints cost the same number of queries whatever the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tanu.accounts.tests.personas import Personas
from tanu.identification import actions as screening_actions
from tanu.monitoring import actions
from tanu.monitoring.models import Facility
from tanu.monitoring.tests.helpers import (
    PRESUMED,
    api_client,
    day_after,
    facility,
    plan,
    signed_in,
    today,
)

pytestmark = pytest.mark.django_db

PAGES = [
    ("coordinator", "/monitoring/"),
    ("coordinator", "/monitoring/visits/"),
    ("coordinator", "/monitoring/actions/"),
    ("coordinator", "/monitoring/facilities/"),
    ("coordinator", "/monitoring/overview/"),
    ("analyst", "/monitoring/overview/"),
    ("admin", "/monitoring/facilities/"),
]
ENDPOINTS = ["/api/v1/visits/", "/api/v1/facilities/"]


def _add_visits(personas: Personas, count: int) -> None:
    kinds = list(Facility.Kind.values)
    for n in range(count):
        place = facility(kind=kinds[n % len(kinds)])
        visit = plan(
            personas,
            place=place,
            on=today() if n % 2 else day_after(n),
            team=[personas.monitor, personas.screener, personas.coordinator],
        )
        if n % 2:
            screening = actions.do_start_visit_screening(
                visit,
                actor=personas.monitor,
                age_group="adult",
                form="labour",
                interview_language="ru",
            )
            screening_actions.do_record_answers(
                screening, actor=personas.monitor, answers=dict.fromkeys(PRESUMED, "observed")
            )
            actions.do_record_visit(
                visit,
                actor=personas.monitor,
                report={"visited_on": today(), "access": "full", "adults_present": 5},
                expected_revision=None,
            )
        actions.do_add_follow_up_action(
            visit,
            actor=personas.monitor,
            description=f"Action {n}",
            owner=personas.screener,
            due_on=day_after(3),
        )


def _queries(client: Client, url: str, **extra: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)  # type: ignore[arg-type]
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


def test_list_pages_do_not_grow_with_the_data(personas: Personas) -> None:
    clients = {username: signed_in(username) for username in {u for u, _ in PAGES}}
    _add_visits(personas, 2)
    for username, url in PAGES:  # the first request after signing in also refreshes the session
        clients[username].get(url)
    small = {(u, url): _queries(clients[u], url) for u, url in PAGES}
    _add_visits(personas, 9)
    large = {(u, url): _queries(clients[u], url) for u, url in PAGES}
    assert large == small


def test_list_endpoints_do_not_grow_with_the_data(personas: Personas) -> None:
    client, auth = api_client("coordinator")
    _add_visits(personas, 2)
    for url in ENDPOINTS:  # the first request with a token also records its use
        client.get(url, **auth)
    small = {url: _queries(client, url, **auth) for url in ENDPOINTS}
    _add_visits(personas, 9)
    large = {url: _queries(client, url, **auth) for url in ENDPOINTS}
    assert large == small
    assert client.get("/api/v1/visits/", **auth).json()["count"] == 11
