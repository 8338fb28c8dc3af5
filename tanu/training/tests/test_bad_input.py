"""Bad input never answers 500: garbage in every field, unknown ids, odd query strings."""

from __future__ import annotations

import pytest
from django.test import Client

from tanu.accounts.tests.personas import Personas
from tanu.training import actions
from tanu.training.models import Question
from tanu.training.tests.helpers import (
    add_participant,
    make_seminar,
    open_test,
    phone_of,
    signed_in,
)

pytestmark = pytest.mark.django_db

GARBAGE = [
    "",
    "x",
    "-1",
    "0",
    "99999999999999999999",
    "1.5",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\x00",
    "é" * 5000,
]


def _no_server_error(client: Client, method: str, url: str, data: object = None) -> None:
    client.raise_request_exception = False
    response = getattr(client, method)(url, data or {})
    assert response.status_code < 500, (method, url, data, response.status_code)


def test_staff_pages_survive_garbage(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer)
    test = open_test(seminar, personas.trainer)
    session = seminar.sessions.first()
    assert session is not None
    question = Question.objects.first()
    assert question is not None
    client = signed_in("trainer")
    s, p, t, q = seminar.pk, participant.pk, test.pk, question.pk
    posts = [
        "/training/seminars/new/",
        f"/training/seminars/{s}/edit/",
        f"/training/seminars/{s}/sessions/new/",
        f"/training/seminars/{s}/sessions/{session.pk}/attendance/",
        f"/training/seminars/{s}/participants/new/",
        f"/training/seminars/{s}/participants/{p}/edit/",
        f"/training/seminars/{s}/tests/new/",
        f"/training/seminars/{s}/tests/{t}/open/",
        f"/training/seminars/{s}/certificates/",
        "/training/questions/new/",
        f"/training/questions/{q}/",
        "/training/exercises/construction-almaty/",
    ]
    fields = [
        "region", "starts_on", "ends_on", "pass_mark", "min_attendance", "trainers", "day",
        "starts_at", "title", "present", "full_name", "role", "agency", "username", "kind",
        "question_count", "time_limit_minutes", "objectives", "open", "opt-TOTAL_FORMS",
        "opt-INITIAL_FORMS", "opt-0-text_en", "observed", "outcome", "referrals",
    ]  # fmt: skip
    for url in posts:
        for value in GARBAGE:
            _no_server_error(client, "post", url, {field: value for field in fields})
    gets = [
        "/training/?page=x",
        "/training/questions/?page=-1&objective=<x>&kind=zzz",
        "/training/results/?seminar=abc&region=-1&role=x&kind=zzz",
        "/training/results/items/?seminar=999999&kind=post",
        "/training/results/nothing.csv",
        "/training/results/by_role.csv?seminar=%00",
        f"/training/seminars/{s}/participants/{p}/certificate/xx.pdf",
        f"/training/seminars/{s}/participants/999999/certificate/ru.pdf",
        "/training/seminars/999999/",
        f"/training/seminars/{s}/tests/999999/",
        f"/training/seminars/{s}/sessions/999999/attendance/",
        "/training/questions/999999/",
        "/training/exercises/done/999999/",
        "/training/exercises/..%2F..%2Fetc/",
        "/api/v1/seminars/?page=abc",
        "/api/v1/questions/?page=999&kind=%00",
        "/api/v1/questions/999999/",
        "/api/v1/questions/99999999999999999999/",
        "/api/v1/seminars/99999999999999999999/",
        "/training/seminars/99999999999999999999/",
        f"/training/seminars/{s}/tests/99999999999999999999/",
        "/training/exercises/done/99999999999999999999/",
    ]
    for url in gets:
        _no_server_error(client, "get", url)


def test_participant_pages_survive_garbage(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer)
    test = open_test(seminar, personas.trainer)
    phone = phone_of(participant)
    phone.post(f"/training/t/{test.code}/start/")
    anonymous = Client()
    for value in GARBAGE:
        _no_server_error(anonymous, "post", f"/training/t/{test.code}/", {"code": value})
        _no_server_error(anonymous, "post", "/training/me/", {"code": value})
        _no_server_error(anonymous, "get", "/training/verify/", {"code": value})
        _no_server_error(anonymous, "post", f"/training/t/{test.code}/save/", {"item": value})
        _no_server_error(anonymous, "post", f"/training/t/{test.code}/submit/", {"item": value})
        _no_server_error(anonymous, "post", f"/training/t/{test.code}/start/", {})
        _no_server_error(
            phone, "post", f"/training/t/{test.code}/save/", {"item": value, "q1": value}
        )
        _no_server_error(phone, "post", "/training/me/survey/reaction/", {"relevance": value})
        _no_server_error(phone, "post", "/training/me/exercises/sauna-almaty/", {"observed": value})
    _no_server_error(phone, "post", f"/training/t/{test.code}/submit/", {"item": "1"})
    for url in (
        "/training/me/exercises/done/999999/",
        "/training/me/exercises/nope/",
        "/training/me/certificate/ru.pdf",
        "/training/t/%F0%9F%92%A9/",
    ):
        _no_server_error(phone, "get", url)
        _no_server_error(anonymous, "get", url)


def test_a_test_with_an_empty_bank_explains_itself(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer)
    test = actions.do_create_test(
        seminar,
        actor=personas.trainer,
        data={"kind": "pre", "question_count": 5, "time_limit_minutes": 5, "objectives": []},
    )
    actions.do_set_test_open(test, actor=personas.trainer, is_open=True)
    phone = phone_of(participant)
    response = phone.post(f"/training/t/{test.code}/start/", follow=True)
    assert "no questions for this test yet" in response.content.decode()
