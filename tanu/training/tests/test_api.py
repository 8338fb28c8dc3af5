"""The API under /api/v1/seminars/ and /api/v1/questions/: trainers and administrators only,
paginated, no names, and the correct answers for trainers only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tanu.accounts.tests.personas import Personas
from tanu.training import actions, bank
from tanu.training.models import Question
from tanu.training.tests.helpers import add_participant, make_seminar, open_test, signed_in

pytestmark = pytest.mark.django_db


def test_a_trainer_lists_their_seminars_with_aggregates_and_no_names(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer, name="Апиева Жанар")
    test = open_test(seminar, personas.trainer)
    actions.do_submit_attempt(actions.do_start_attempt(test, participant), responses={})
    client = signed_in("trainer")
    response = client.get("/api/v1/seminars/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["city"] == "Almaty"
    assert row["region"] == "KZ-75"
    assert row["participant_count"] == 1
    assert row["trainers"] == ["trainer"]
    assert [s["title"] for s in row["sessions"]] == ["S0", "S1"]
    assert row["tests"][0]["kind"] == "pre"
    assert "code" not in row["tests"][0]
    assert row["results"]["n_pre"] == 1
    assert row["results"]["mean_pre"] == 0
    assert "Апиева" not in response.content.decode()
    detail = client.get(f"/api/v1/seminars/{seminar.pk}/")
    assert detail.json()["id"] == seminar.pk
    assert client.get("/api/v1/seminars/999999/").status_code == 404


def test_others_get_404_from_the_training_api(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer)
    bank.load_starter_bank(actor=personas.trainer)
    question = Question.objects.first()
    assert question is not None
    for username in ("screener", "caseworker", "coordinator", "monitor", "analyst", "outsider"):
        client = signed_in(username)
        for url in (
            "/api/v1/seminars/",
            f"/api/v1/seminars/{seminar.pk}/",
            "/api/v1/questions/",
            f"/api/v1/questions/{question.pk}/",
        ):
            assert client.get(url).status_code == 404, (username, url)
    from django.test import Client

    assert Client().get("/api/v1/seminars/").status_code in (401, 403)


def test_the_correct_answers_go_to_trainers_only(personas: Personas) -> None:
    bank.load_starter_bank(actor=personas.trainer)
    question = Question.objects.filter(kind="matching").first()
    assert question is not None
    trainer = signed_in("trainer").get(f"/api/v1/questions/{question.pk}/").json()
    assert "is_correct" in trainer["options"][0]
    assert trainer["options"][0]["match_en"]
    assert trainer["explanation_en"]
    admin_client = signed_in("admin")
    admin = admin_client.get(f"/api/v1/questions/{question.pk}/").json()
    assert set(admin["options"][0]) == {"id", "position", "text_kk", "text_ru", "text_en"}
    assert "explanation_en" not in admin
    listing = admin_client.get("/api/v1/questions/").content.decode()
    assert (
        "is_correct" not in listing and "match_en" not in listing and "explanation" not in listing
    )


def test_question_lists_are_paginated_filtered_and_constant_in_queries(personas: Personas) -> None:
    bank.load_starter_bank(actor=personas.trainer)
    client = signed_in("trainer")
    client.get("/api/v1/questions/")
    body = client.get("/api/v1/questions/?kind=true_false").json()
    assert body["count"] == Question.objects.filter(kind="true_false").count()
    assert all(q["kind"] == "true_false" for q in body["results"])
    law = client.get("/api/v1/questions/?objective=law").json()
    assert law["count"] >= 1 and all("law" in q["objectives"] for q in law["results"])
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/questions/?page_size=5")
    for n in range(20):
        extra = Question.objects.create(
            kind="single", text_kk="a", text_ru="b", text_en=f"More {n}"
        )
        extra.options.create(text_kk="x", text_ru="x", text_en="x", is_correct=True)
    with CaptureQueriesContext(connection) as large:
        client.get("/api/v1/questions/?page_size=5")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_seminar_lists_are_constant_in_queries(personas: Personas) -> None:
    add_participant(make_seminar(personas.trainer), personas.trainer)
    client = signed_in("trainer")
    client.get("/api/v1/seminars/")
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/seminars/")
    for n in range(4):
        seminar = make_seminar(personas.trainer, city=f"C{n}")
        add_participant(seminar, personas.trainer, name=f"P{n}")
    with CaptureQueriesContext(connection) as large:
        client.get("/api/v1/seminars/")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_schema_names_every_training_operation_once(personas: Personas) -> None:
    response = signed_in("admin").get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    for operation in (
        "training_seminars_list",
        "training_seminars_detail",
        "training_questions_list",
        "training_questions_detail",
    ):
        assert (
            text.count(f"operationId: {operation}") + text.count(f'"operationId": "{operation}"')
            == 1
        )
