from __future__ import annotations

import pytest
from django.test import Client

from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.accounts.tests.personas import Personas
from tanu.identification.models import Screening

pytestmark = pytest.mark.django_db

PRESUMED = ["AL-DR-01", "AL-DR-02", "AL-EC-01", "AL-EC-02", "AL-CD-01", "AL-CD-02"]
NEW = {
    "place": "workplace_inspection",
    "interview_language": "kk",
    "age_group": "adult",
    "form": "labour",
}


def api(username: str) -> tuple[Client, dict[str, str]]:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    token = client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": TEST_PASSWORD},
        content_type="application/json",
    ).json()["token"]
    return client, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_screening_created_through_the_api_comes_back_with_its_assessment(
    personas: Personas,
) -> None:
    client, auth = api("screener")
    body = {**NEW, "answers": {code: "observed" for code in PRESUMED}}
    response = client.post("/api/v1/screenings/", body, content_type="application/json", **auth)
    assert response.status_code == 201
    data = response.json()
    assert data["outcome"] == "presumed_victim"
    assert data["assessment"]["dimensions"]["coercion_at_destination"]["positive"] is True
    assert data["checklists"] == [{"id": "ilo-adult-labour", "version": 2}]
    assert response["ETag"]


def test_updates_need_the_current_etag_and_a_stale_one_gets_412(personas: Personas) -> None:
    client, auth = api("screener")
    created = client.post("/api/v1/screenings/", NEW, content_type="application/json", **auth)
    url = f"/api/v1/screenings/{created.json()['id']}/"
    etag = created["ETag"]
    no_header = client.patch(
        url, {"answers": {"AL-DR-01": "observed"}}, content_type="application/json", **auth
    )
    assert no_header.status_code == 428
    first = client.patch(
        url,
        {"answers": {"AL-DR-01": "observed"}},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **auth,
    )
    assert first.status_code == 200
    stale = client.patch(
        url,
        {"answers": {"AL-DR-01": "not_observed"}},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **auth,
    )
    assert stale.status_code == 412
    assert "Someone else changed this screening" in stale.json()["detail"]
    assert client.get(url, **auth).json()["answers"] == {"AL-DR-01": "observed"}


def test_a_finalised_screening_refuses_changes_through_the_api(personas: Personas) -> None:
    client, auth = api("screener")
    created = client.post("/api/v1/screenings/", NEW, content_type="application/json", **auth)
    pk = created.json()["id"]
    final = client.post(
        f"/api/v1/screenings/{pk}/finalise/",
        {"judgement": "agree", "stop_reason": "left"},
        content_type="application/json",
        HTTP_IF_MATCH=created["ETag"],
        **auth,
    )
    assert final.status_code == 200
    assert final.json()["status"] == "final"
    refused = client.patch(
        f"/api/v1/screenings/{pk}/",
        {"answers": {"AL-DR-01": "observed"}},
        content_type="application/json",
        HTTP_IF_MATCH=final["ETag"],
        **auth,
    )
    assert refused.status_code == 400
    assert "finalised" in refused.json()["detail"]
    assert Screening.objects.get(pk=pk).answers == {}


def test_bad_input_gets_a_clear_json_message_and_creates_nothing(personas: Personas) -> None:
    client, auth = api("screener")
    bad = client.post(
        "/api/v1/screenings/",
        {**NEW, "answers": {"ZZ-99": "observed"}},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400
    assert "Unknown indicator code" in bad.json()["detail"]
    missing = client.post(
        "/api/v1/screenings/", {"place": "patrol"}, content_type="application/json", **auth
    )
    assert missing.status_code == 400
    assert "form" in missing.json()["errors"]
    assert not Screening.objects.exists()


def test_outsiders_get_404_over_the_api(personas: Personas) -> None:
    client, auth = api("screener")
    pk = client.post("/api/v1/screenings/", NEW, content_type="application/json", **auth).json()[
        "id"
    ]
    for username in ("outsider", "trainer", "analyst", "caseworker"):
        other, other_auth = api(username)
        assert other.get(f"/api/v1/screenings/{pk}/", **other_auth).status_code == 404
        listing = other.get("/api/v1/screenings/", **other_auth)
        assert listing.status_code == 404 or listing.json()["count"] == 0


def test_the_checklists_are_served_with_their_versions(personas: Personas) -> None:
    client, auth = api("trainer")
    listing = client.get("/api/v1/checklists/", **auth).json()
    ids = {row["id"]: row for row in listing["results"]}
    assert set(ids) == {
        "ilo-adult-labour",
        "ilo-adult-sexual",
        "ilo-child-labour",
        "ilo-child-sexual",
    }
    assert ids["ilo-adult-labour"]["indicators"] == 67
    detail = client.get("/api/v1/checklists/ilo-child-labour/", **auth).json()
    assert detail["population"] == "child"
    assert client.get("/api/v1/checklists/nope/", **auth).status_code == 404


def test_finalising_an_unasked_screening_without_a_stop_reason_is_refused_and_changes_nothing(
    personas: Personas,
) -> None:
    client, auth = api("screener")
    created = client.post("/api/v1/screenings/", NEW, content_type="application/json", **auth)
    assert created.json()["outcome"] == "incomplete"
    assert created.json()["assessment"]["enough_asked"] is False
    pk = created.json()["id"]
    refused = client.post(
        f"/api/v1/screenings/{pk}/finalise/",
        {"judgement": "agree", "notes": "gone quiet"},
        content_type="application/json",
        HTTP_IF_MATCH=created["ETag"],
        **auth,
    )
    assert refused.status_code == 400
    assert "why the interview stopped" in refused.json()["detail"]
    screening = Screening.objects.get(pk=pk)
    assert (screening.status, screening.notes, screening.revision) == ("draft", "", 1)


def test_an_interview_stopped_early_is_finalised_as_incomplete_with_its_reason(
    personas: Personas,
) -> None:
    client, auth = api("screener")
    created = client.post("/api/v1/screenings/", NEW, content_type="application/json", **auth)
    pk = created.json()["id"]
    other_without_note = client.post(
        f"/api/v1/screenings/{pk}/finalise/",
        {"judgement": "agree", "stop_reason": "other"},
        content_type="application/json",
        HTTP_IF_MATCH=created["ETag"],
        **auth,
    )
    assert other_without_note.status_code == 400
    assert "note" in other_without_note.json()["detail"]
    final = client.post(
        f"/api/v1/screenings/{pk}/finalise/",
        {"judgement": "agree", "stop_reason": "no_interpreter"},
        content_type="application/json",
        HTTP_IF_MATCH=created["ETag"],
        **auth,
    )
    assert final.status_code == 200
    data = final.json()
    assert (data["status"], data["outcome"], data["stop_reason"]) == (
        "final",
        "incomplete",
        "no_interpreter",
    )


def test_a_screening_asked_in_full_can_be_finalised_as_no_indication(personas: Personas) -> None:
    from tanu.identification import catalogue

    codes = catalogue.engine_checklist(catalogue.lists_for("adult", "labour")[0]).codes
    client, auth = api("screener")
    body = {**NEW, "answers": dict.fromkeys(sorted(codes), "not_observed")}
    created = client.post("/api/v1/screenings/", body, content_type="application/json", **auth)
    assert created.json()["outcome"] == "no_indication"
    final = client.post(
        f"/api/v1/screenings/{created.json()['id']}/finalise/",
        {"judgement": "agree"},
        content_type="application/json",
        HTTP_IF_MATCH=created["ETag"],
        **auth,
    )
    assert final.status_code == 200
    assert (final.json()["outcome"], final.json()["stop_reason"]) == ("no_indication", "")
