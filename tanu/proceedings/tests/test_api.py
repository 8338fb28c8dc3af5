"""The proceedings API: /api/v1/proceedings/ and /api/v1/proceedings/<id>/ with the pages' rules
(404 outside need-to-know, reads and writes audited) and ETag / If-Match as on cases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tanu.accounts.models import Agency, Role
from tanu.accounts.tests.factories import TEST_PASSWORD, AgencyFactory, UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import Action, AuditEntry
from tanu.cases.tests.helpers import open_case
from tanu.proceedings import actions
from tanu.proceedings.models import Hearing, Proceeding
from tanu.proceedings.tests.helpers import investigator, referred_case, register, to_trial

pytestmark = pytest.mark.django_db

NAMES = ("Канарьева", "Жанар", "Kanaryeva")


def api(username: str, lang: str = "en") -> tuple[Client, dict[str, str]]:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    response = client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return client, {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def patch(
    username: str, proceeding: Proceeding, body: dict[str, Any], etag: str | None = None
) -> Any:
    client, auth = api(username)
    headers = {"HTTP_IF_MATCH": etag} if etag is not None else {}
    return client.patch(
        f"/api/v1/proceedings/{proceeding.pk}/",
        body,
        content_type="application/json",
        **headers,
        **auth,
    )


def etag_of(username: str, proceeding: Proceeding) -> str:
    client, auth = api(username)
    return str(client.get(f"/api/v1/proceedings/{proceeding.pk}/", **auth)["ETag"])


def at_trial(personas: Personas) -> Proceeding:
    """A proceeding of the investigator's unit at trial, with one past and one future hearing."""
    officer = investigator(personas)
    proceeding = to_trial(register(referred_case(personas, officer), officer), officer)
    now = timezone.now()
    for starts_at, place, note in (
        (now - timedelta(days=3), "Алматинский городской суд, зал 4", "Защита просила отложить"),
        (now + timedelta(days=5), "Алматинский городской суд, зал 2", "Вызвать переводчика"),
    ):
        actions.do_schedule_hearing(
            proceeding, actor=officer, starts_at=starts_at, place=place, note=note
        )
    return proceeding


def denied(object_type: str, object_id: object, username: str) -> bool:
    return AuditEntry.objects.filter(
        action=Action.DENIED,
        object_type=object_type,
        object_id=str(object_id),
        actor_username=username,
    ).exists()


# Registering -------------------------------------------------------------------------------


def test_an_investigator_registers_a_proceeding_on_a_case_referred_to_their_agency(
    personas: Personas,
) -> None:
    officer = investigator(personas)
    case = referred_case(personas, officer)
    client, auth = api("investigator")

    response = client.post(
        "/api/v1/proceedings/",
        {
            "case_number": case.number.lower(),
            "erdr_number": "2615 0003 1000 123",
            "registered_on": str(timezone.localdate() - timedelta(days=2)),
            "articles": ["128", "125"],
            "person_status": "victim",
            "cooperates": True,
        },
        content_type="application/json",
        **auth,
    )

    assert response.status_code == 201, response.content
    body = response.json()
    proceeding = Proceeding.objects.get()
    assert response["ETag"] == f'"proceeding-{proceeding.pk}-1"'
    assert body["id"] == proceeding.pk
    assert (body["case"], body["case_number"]) == (case.pk, case.number)
    assert body["erdr_number"] == "261500031000123"
    assert body["investigating_agency"] == officer.agency_id
    assert sorted(body["articles"]) == ["125", "128"]
    assert (body["stage"], body["verdict"], body["closing_reason"]) == ("pre_trial", "", "")
    assert (body["person_status"], body["cooperates"], body["revision"]) == ("victim", True, 1)
    assert (body["hearings"], body["protection_measures"], body["suspects"]) == ([], [], [])
    assert not any(name in response.content.decode() for name in NAMES)
    entry = AuditEntry.objects.get(object_type="proceeding", action=Action.CREATE)
    assert entry.object_id == str(proceeding.pk) and entry.actor_id == officer.pk


def test_a_case_not_referred_to_the_investigators_agency_is_a_404_on_the_audit_trail(
    personas: Personas,
) -> None:
    investigator(personas)
    case = open_case(personas.screener)  # never referred to the investigation unit
    client, auth = api("investigator")

    response = client.post(
        "/api/v1/proceedings/",
        {
            "case_number": case.number,
            "erdr_number": "261500031000123",
            "registered_on": str(timezone.localdate()),
            "articles": ["128"],
        },
        content_type="application/json",
        **auth,
    )

    assert response.status_code == 404
    assert not Proceeding.objects.exists()
    assert denied("case", case.number, "investigator")


def test_a_broken_rule_is_a_400_with_the_message_in_the_callers_language(
    personas: Personas,
) -> None:
    officer = investigator(personas)
    case = referred_case(personas, officer)
    client, auth = api("investigator")
    body = {
        "case_number": case.number,
        "erdr_number": "12-34",
        "registered_on": str(timezone.localdate()),
        "articles": ["128"],
    }

    response = client.post("/api/v1/proceedings/", body, content_type="application/json", **auth)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The ЕРДР registration number has 12 to 20 digits "
        "(spaces and dashes are ignored)."
    }
    unknown = client.post(
        "/api/v1/proceedings/",
        {**body, "erdr_number": "261500031000123", "articles": ["128", "999"]},
        content_type="application/json",
        **auth,
    )
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"articles": ["Unknown Criminal Code article: 999"]}
    assert not Proceeding.objects.exists()


@pytest.mark.parametrize("username", ["screener", "coordinator", "caseworker", "analyst", "admin"])
def test_only_investigators_register_proceedings(personas: Personas, username: str) -> None:
    officer = investigator(personas)
    case = referred_case(personas, officer)
    client, auth = api(username)

    response = client.post(
        "/api/v1/proceedings/",
        {
            "case_number": case.number,
            "erdr_number": "261500031000123",
            "registered_on": str(timezone.localdate()),
            "articles": ["128"],
        },
        content_type="application/json",
        **auth,
    )

    assert response.status_code == 404
    assert not Proceeding.objects.exists()


# Reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "in_list", "detail"),
    [
        ("investigator", True, 200),  # of the investigating body
        ("screener", True, 200),  # the case's owners
        ("colleague", True, 200),
        ("coordinator", True, 200),  # of the case's region
        ("caseworker", False, 404),  # another agency, the case not theirs
        ("monitor", False, 404),
        ("outsider", False, 404),  # a screener of another agency and region
        ("outsider_coordinator", False, 404),
        ("other_investigator", False, 404),  # another investigating body
    ],
)
def test_the_proceeding_is_read_by_need_to_know_only(
    personas: Personas, username: str, in_list: bool, detail: int
) -> None:
    proceeding = at_trial(personas)
    investigator(personas, "other_investigator")
    client, auth = api(username)

    listing = client.get("/api/v1/proceedings/", **auth)
    one = client.get(f"/api/v1/proceedings/{proceeding.pk}/", **auth)

    assert listing.status_code == 200
    assert [p["id"] for p in listing.json()["results"]] == ([proceeding.pk] if in_list else [])
    assert one.status_code == detail
    if detail == 404:
        assert denied("proceeding", proceeding.pk, username)
    else:
        assert one["ETag"] == f'"proceeding-{proceeding.pk}-{proceeding.revision}"'
        assert one.json()["stage"] == "trial"
        assert not any(name in one.content.decode() for name in NAMES)


@pytest.mark.parametrize("username", ["analyst", "trainer", "admin"])
def test_roles_without_cases_get_404_on_the_list_and_on_each_proceeding(
    personas: Personas, username: str
) -> None:
    proceeding = at_trial(personas)
    client, auth = api(username)

    assert client.get("/api/v1/proceedings/", **auth).status_code == 404
    assert client.get(f"/api/v1/proceedings/{proceeding.pk}/", **auth).status_code == 404
    assert denied("proceeding", proceeding.pk, username)


def test_each_read_of_a_proceeding_is_audited(personas: Personas) -> None:
    proceeding = at_trial(personas)
    for username in ("investigator", "screener"):
        client, auth = api(username)
        assert client.get(f"/api/v1/proceedings/{proceeding.pk}/", **auth).status_code == 200

    reads = AuditEntry.objects.filter(
        action=Action.READ, object_type="proceeding", object_id=str(proceeding.pk)
    )
    by_actor = {entry.actor_username: entry for entry in reads}
    assert set(by_actor) == {"investigator", "screener"}
    assert "hearing_notes" in by_actor["investigator"].fields
    assert "hearing_notes" not in by_actor["screener"].fields
    assert by_actor["screener"].region_id == proceeding.case.region_id


def test_the_case_owner_sees_the_hearings_date_and_place_but_not_the_investigators_notes(
    personas: Personas,
) -> None:
    proceeding = at_trial(personas)
    client, auth = api("screener")

    owner = client.get(f"/api/v1/proceedings/{proceeding.pk}/", **auth)
    listed = client.get("/api/v1/proceedings/", **auth).json()["results"][0]

    hearings = owner.json()["hearings"]
    assert [sorted(h) for h in hearings] == [["id", "place", "starts_at"]] * 2
    assert hearings[0]["place"] == "Алматинский городской суд, зал 4"
    assert listed["hearings"] == hearings
    assert "переводчика" not in owner.content.decode()
    client, auth = api("investigator")
    notes = client.get(f"/api/v1/proceedings/{proceeding.pk}/", **auth).json()["hearings"]
    assert [h["note"] for h in notes] == ["Защита просила отложить", "Вызвать переводчика"]
    assert Hearing.objects.count() == 2


def test_the_list_filters_by_case_and_refuses_a_filter_that_is_not_an_id(
    personas: Personas,
) -> None:
    officer = investigator(personas)
    first = register(referred_case(personas, officer), officer)
    second = register(referred_case(personas, officer), officer, erdr_number="261500031000999")
    client, auth = api("investigator")

    everything = client.get("/api/v1/proceedings/", **auth).json()
    one_case = client.get("/api/v1/proceedings/", {"case": second.case_id}, **auth).json()
    junk = client.get("/api/v1/proceedings/", {"case": "9" * 30}, **auth)

    assert everything["count"] == 2
    assert {p["id"] for p in everything["results"]} == {first.pk, second.pk}
    assert [p["id"] for p in one_case["results"]] == [second.pk]
    assert junk.status_code == 400 and "case" in junk.json()["errors"]


def test_the_list_costs_the_same_queries_for_two_proceedings_as_for_six(
    personas: Personas,
) -> None:
    officer = investigator(personas)
    client, auth = api("investigator")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/proceedings/", **auth)
        assert response.status_code == 200
        return len(captured.captured_queries)

    def add(count: int) -> None:
        for _n in range(count):
            proceeding = to_trial(register(referred_case(personas, officer), officer), officer)
            actions.do_schedule_hearing(
                proceeding,
                actor=officer,
                starts_at=timezone.now() + timedelta(days=3),
                place="Суд",
                note="Заметка",
            )
            actions.do_add_protection(
                proceeding, actor=officer, kind="closed_hearing", starts_on=timezone.localdate()
            )

    add(2)
    queries()  # the token's first use is recorded once
    small = queries()
    add(4)
    assert queries() == small


# Writing -----------------------------------------------------------------------------------


def test_a_change_needs_if_match_and_a_stale_one_gets_412(personas: Personas) -> None:
    officer = investigator(personas)
    proceeding = register(referred_case(personas, officer), officer)
    etag = etag_of("investigator", proceeding)

    missing = patch("investigator", proceeding, {"cooperates": False})
    first = patch("investigator", proceeding, {"cooperates": False}, etag)
    stale = patch("investigator", proceeding, {"person_status": "witness"}, etag)

    assert missing.status_code == 428
    assert missing.json()["detail"] == "Send the If-Match header with the ETag you read."
    client, auth = api("investigator", lang="ru")
    in_russian = client.patch(
        f"/api/v1/proceedings/{proceeding.pk}/", {}, content_type="application/json", **auth
    )
    assert (
        in_russian.json()["detail"] == "Передайте заголовок If-Match с полученным значением ETag."
    )
    assert first.status_code == 200
    assert first["ETag"] == f'"proceeding-{proceeding.pk}-2"' != etag
    assert first.json()["cooperates"] is False and first.json()["revision"] == 2
    assert stale.status_code == 412
    assert stale.json()["detail"] == (
        "Someone else changed this proceeding since you read it. Read it again."
    )
    proceeding.refresh_from_db()
    assert (proceeding.cooperates, proceeding.person_status) == (False, "victim")
    assert AuditEntry.objects.filter(
        action=Action.UPDATE, object_type="proceeding", fields=["cooperates"]
    ).exists()


def test_the_details_and_the_articles_are_corrected_with_the_current_etag(
    personas: Personas,
) -> None:
    officer = investigator(personas)
    proceeding = register(referred_case(personas, officer), officer)

    response = patch(
        "investigator",
        proceeding,
        {"articles": ["128", "135"], "erdr_number": "261500031000456", "compensation_claimed": 0},
        etag_of("investigator", proceeding),
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert sorted(body["articles"]) == ["128", "135"]
    assert (body["erdr_number"], body["compensation_claimed"]) == ("261500031000456", 0)
    assert response["ETag"] == f'"proceeding-{proceeding.pk}-2"'


def test_no_verdict_before_the_trial_is_a_400_with_the_rule_and_nothing_is_saved(
    personas: Personas,
) -> None:
    officer = investigator(personas)
    proceeding = register(referred_case(personas, officer), officer)

    response = patch(
        "investigator",
        proceeding,
        {
            "cooperates": False,
            "stage": "verdict",
            "stage_on": str(timezone.localdate()),
            "verdict": "convicted",
            "sentence_months": 96,
        },
        etag_of("investigator", proceeding),
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "No verdict before the trial: record the trial first."}
    proceeding.refresh_from_db()
    assert (proceeding.stage, proceeding.verdict, proceeding.revision) == ("pre_trial", "", 1)
    assert proceeding.cooperates is None  # the details went with the refused stage


def test_the_trial_then_the_verdict_are_recorded_through_the_api(personas: Personas) -> None:
    officer = investigator(personas)
    proceeding = register(referred_case(personas, officer), officer)
    today = timezone.localdate()

    trial = patch(
        "investigator",
        proceeding,
        {"stage": "trial", "stage_on": str(today - timedelta(days=20))},
        etag_of("investigator", proceeding),
    )
    verdict = patch(
        "investigator",
        proceeding,
        {
            "stage": "verdict",
            "stage_on": str(today),
            "verdict": "convicted",
            "sentence_months": 96,
            "compensation_awarded": 1_500_000,
        },
        trial["ETag"],
    )

    assert trial.status_code == 200, trial.content
    assert (trial.json()["stage"], trial.json()["sent_to_court_on"]) == (
        "trial",
        str(today - timedelta(days=20)),
    )
    assert verdict.status_code == 200, verdict.content
    body = verdict.json()
    assert (body["stage"], body["verdict_on"], body["verdict"]) == (
        "verdict",
        str(today),
        "convicted",
    )
    assert (body["sentence_months"], body["compensation_awarded"]) == (96, 1_500_000)


def test_a_verdict_or_a_reason_for_closing_without_its_stage_is_refused(
    personas: Personas,
) -> None:
    officer = investigator(personas)
    proceeding = register(referred_case(personas, officer), officer)
    etag = etag_of("investigator", proceeding)

    verdict = patch("investigator", proceeding, {"verdict": "acquitted"}, etag)
    reason = patch(
        "investigator",
        proceeding,
        {"stage": "trial", "stage_on": str(timezone.localdate()), "closing_reason": "amnesty"},
        etag,
    )
    no_date = patch("investigator", proceeding, {"stage": "closed"}, etag)

    assert verdict.status_code == 400
    assert verdict.json()["errors"]["verdict"] == [
        "The verdict, the sentence and the compensation awarded are recorded with the stage "
        "“verdict”."
    ]
    assert reason.status_code == 400
    assert reason.json()["errors"]["closing_reason"] == [
        "The reason for closing is given with the stage “closed”."
    ]
    assert no_date.status_code == 400 and "stage_on" in no_date.json()["errors"]
    assert Proceeding.objects.get().revision == 1


@pytest.mark.parametrize("username", ["screener", "coordinator", "other_investigator", "analyst"])
def test_a_caller_who_does_not_edit_gets_404_on_a_change_and_it_is_audited(
    personas: Personas, username: str
) -> None:
    officer = investigator(personas)
    investigator(personas, "other_investigator")
    proceeding = register(referred_case(personas, officer), officer)
    etag = etag_of("investigator", proceeding)

    response = patch(username, proceeding, {"cooperates": True}, etag)

    assert response.status_code == 404
    assert denied("proceeding", proceeding.pk, username)
    assert Proceeding.objects.get().cooperates is None


def test_an_investigator_of_another_region_sees_nothing(personas: Personas) -> None:
    proceeding = at_trial(personas)
    far = AgencyFactory(region=personas.aktau_police.region, kind=Agency.Kind.CRIMINAL_POLICE)
    UserFactory(username="aktau_investigator", role=Role.INVESTIGATOR, agency=far)
    client, auth = api("aktau_investigator")

    assert client.get("/api/v1/proceedings/", **auth).json()["results"] == []
    assert client.get(f"/api/v1/proceedings/{proceeding.pk}/", **auth).status_code == 404


# The schema --------------------------------------------------------------------------------


def test_the_schema_lists_both_proceedings_paths_with_their_operations(
    personas: Personas,
) -> None:
    client, auth = api("screener")

    schema = client.get("/api/v1/schema/", {"format": "json"}, **auth).json()

    assert {"/api/v1/proceedings/", "/api/v1/proceedings/{id}/"} <= set(schema["paths"])
    operations = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert {
        "proceedings_list",
        "proceedings_create",
        "proceedings_retrieve",
        "proceedings_partial_update",
    } <= set(operations)
    assert len(operations) == len(set(operations))
    components = schema["components"]["schemas"]
    assert {
        "Proceeding",
        "ProceedingRegister",
        "PatchedProceedingChange",
        "ProceedingHearing",
        "ProceedingStageEnum",
        "SuspectSexEnum",
        "SexEnum",  # the case's person keeps its name
    } <= set(components)
    assert "note" not in components["ProceedingHearing"]["required"]
    assert set(components["SuspectCount"]["properties"]) == {
        "standing",
        "role",
        "sex",
        "citizenship",
        "count",
    }
    patch_op = schema["paths"]["/api/v1/proceedings/{id}/"]["patch"]
    assert any(p["name"] == "If-Match" for p in patch_op["parameters"])
