"""GET /api/v1/duplicates/: coordinators read the likely duplicates with a record in their
region, ids, agencies and regions only; anyone else gets 404, as everywhere in the API."""

from __future__ import annotations

import json

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry, ObjectType
from tanu.cases.tests.helpers import open_case
from tanu.linkage.models import MatchPair
from tanu.linkage.tests.helpers import (
    ELSEWHERE_NUMBER,
    api,
    held_elsewhere,
    pair_of,
    two_cases_of_one_agency,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairs(personas: Personas) -> dict[str, MatchPair]:
    """One pair within the Almaty police, one across Almaty and Aktau, one within Aktau."""
    within = pair_of(*two_cases_of_one_agency(personas.screener, personas.colleague))
    ours = open_case(personas.screener)
    across = pair_of(ours, held_elsewhere(personas.outsider), probability=0.97)
    aktau = open_case(personas.outsider)
    elsewhere = pair_of(aktau, open_case(personas.outsider), probability=0.999)
    return {"within": within, "across": across, "elsewhere": elsewhere}


def test_a_coordinator_reads_the_pairs_with_a_record_in_their_region(
    personas: Personas, pairs: dict[str, MatchPair]
) -> None:
    client, auth = api("coordinator")
    body = client.get("/api/v1/duplicates/", **auth).json()
    assert {row["id"] for row in body["results"]} == {pairs["within"].pk, pairs["across"].pk}

    client, auth = api("outsider_coordinator")
    body = client.get("/api/v1/duplicates/", **auth).json()
    assert {row["id"] for row in body["results"]} == {pairs["across"].pk, pairs["elsewhere"].pk}


def test_a_pair_names_ids_agencies_regions_probability_and_agreements_only(
    personas: Personas, pairs: dict[str, MatchPair]
) -> None:
    client, auth = api("coordinator")
    response = client.get("/api/v1/duplicates/", **auth)
    across = next(r for r in response.json()["results"] if r["id"] == pairs["across"].pk)
    pair = pairs["across"]
    assert across == {
        "id": pair.pk,
        "person_a": pair.person_a_id,
        "person_b": pair.person_b_id,
        "agency_a": pair.agency_a_id,
        "agency_b": pair.agency_b_id,
        "region_a": pair.region_a.code,
        "region_b": pair.region_b.code,
        "match_probability": 0.97,
        "agreements": ["family_name", "date_of_birth"],
        "status": "open",
        "found_at": across["found_at"],
        "decided_at": None,
    }
    text = json.dumps(response.json(), ensure_ascii=False)
    for value in ("Канарьева", "Жанар", "Әйгерім", "Сәрсенбаева", "N98765432", ELSEWHERE_NUMBER):
        assert value not in text


def test_the_list_filters_by_status_and_refuses_an_unknown_one(
    personas: Personas, pairs: dict[str, MatchPair]
) -> None:
    MatchPair.objects.filter(pk=pairs["within"].pk).update(status=MatchPair.Status.DIFFERENT)
    client, auth = api("coordinator")
    body = client.get("/api/v1/duplicates/?status=different", **auth).json()
    assert [row["id"] for row in body["results"]] == [pairs["within"].pk]
    refused = client.get("/api/v1/duplicates/?status=maybe", **auth)
    assert refused.status_code == 400 and "detail" in refused.json()


@pytest.mark.parametrize(
    "username", ["screener", "caseworker", "monitor", "trainer", "analyst", "admin", "outsider"]
)
def test_anyone_but_a_coordinator_gets_404(
    personas: Personas, pairs: dict[str, MatchPair], username: str
) -> None:
    client, auth = api(username)
    response = client.get("/api/v1/duplicates/", **auth)
    assert response.status_code == 404
    assert "results" not in response.json()


def test_each_read_is_audited_in_the_coordinators_region(
    personas: Personas, pairs: dict[str, MatchPair]
) -> None:
    client, auth = api("coordinator")
    client.get("/api/v1/duplicates/", **auth)
    entry = AuditEntry.objects.get(object_type=ObjectType.MATCH_PAIR, action=Action.READ)
    assert entry.actor_id == personas.coordinator.pk
    assert entry.region_id == personas.coordinator.agency.region_id
    assert "match_probability" in entry.fields


def test_the_schema_lists_the_duplicates_list(personas: Personas) -> None:
    client, auth = api("coordinator")
    schema = client.get("/api/v1/schema/", {"format": "json"}, **auth).json()
    operation = schema["paths"]["/api/v1/duplicates/"]["get"]
    assert operation["operationId"] == "duplicates_list"
    assert any(p["name"] == "status" for p in operation["parameters"])
    properties = schema["components"]["schemas"]["Duplicate"]["properties"]
    assert set(properties) == {
        "id",
        "person_a",
        "person_b",
        "agency_a",
        "agency_b",
        "region_a",
        "region_b",
        "match_probability",
        "agreements",
        "status",
        "found_at",
        "decided_at",
    }
