"""Need to know: trainers see no case data; screeners see no one else's test results (only their
own, as participants); analysts see aggregates and never a name; outsiders get 404."""

from __future__ import annotations

import pytest
from django.test import Client

from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import open_case
from tanu.training import actions
from tanu.training.tests.helpers import (
    add_participant,
    make_seminar,
    open_test,
    phone_of,
    right_answers,
    signed_in,
)

pytestmark = pytest.mark.django_db


def test_trainers_see_no_case_data(personas: Personas) -> None:
    case = open_case(personas.screener)
    screening = case.screenings.first()
    assert screening is not None
    trainer = signed_in("trainer")
    for url in (
        "/cases/",
        f"/cases/{case.pk}/",
        "/cases/search/",
        f"/screenings/{screening.pk}/",
        "/screenings/new/",
        "/referrals/",
        f"/api/v1/cases/{case.pk}/",
        f"/api/v1/cases/{case.pk}/person/",
        f"/api/v1/screenings/{screening.pk}/",
        "/api/v1/cases/",
    ):
        assert trainer.get(url).status_code == 404, url
    # Lists that answer everybody show a trainer nothing.
    listing = trainer.get("/screenings/")
    assert screening.reference not in listing.content.decode()
    api = trainer.get("/api/v1/screenings/")
    assert api.status_code in (200, 404)
    if api.status_code == 200:
        assert api.json()["count"] == 0
    assert case.number not in trainer.get("/").content.decode()


def test_screeners_see_no_one_elses_test_results(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer)
    me = add_participant(seminar, personas.trainer, name="Экранов Сергей", user=personas.screener)
    other = add_participant(seminar, personas.trainer, name="Другая Участница")
    test = open_test(seminar, personas.trainer)
    for person in (me, other):
        attempt = actions.do_start_attempt(test, person)
        actions.do_submit_attempt(attempt, responses={})
    other_phone = phone_of(other)
    other_attempt = other.attempts.get()
    other_phone.post(f"/training/t/{test.code}/submit/", right_answers(other_attempt))

    screener = signed_in("screener")
    for url in (
        "/training/results/",
        "/training/results/items/",
        "/training/results/by_role.csv",
        f"/training/seminars/{seminar.pk}/",
        f"/training/seminars/{seminar.pk}/tests/{test.pk}/",
        f"/training/seminars/{seminar.pk}/participants/{other.pk}/edit/",
        "/training/questions/",
        "/api/v1/seminars/",
        f"/api/v1/seminars/{seminar.pk}/",
        "/api/v1/questions/",
    ):
        assert screener.get(url).status_code == 404, url
    # Their own participation, through their account: their own score, nobody else's name.
    mine = screener.get("/training/me/").content.decode()
    assert "Экранов Сергей" in mine
    assert "Другая Участница" not in mine
    own = screener.get(f"/training/t/{test.code}/").content.decode()
    assert 'id="score"' in own
    assert "Другая" not in own
    # Someone else's exercise result is not found.
    from tanu.training.exercises import get_scenario

    scenario = get_scenario("construction-almaty")
    assert scenario is not None
    theirs = actions.do_submit_exercise(
        scenario, observed=[], outcome="no_indication", referrals=[], participant=other
    )
    assert screener.get(f"/training/me/exercises/done/{theirs.pk}/").status_code == 404
    assert screener.get(f"/training/exercises/done/{theirs.pk}/").status_code == 404


def test_analysts_see_aggregates_but_never_a_name(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer)
    add_participant(seminar, personas.trainer, name="Секретова Айжан")
    analyst = signed_in("analyst")
    for url in (
        "/training/results/",
        "/training/results/items/",
        "/training/results/by_seminar.csv",
    ):
        response = analyst.get(url)
        assert response.status_code == 200, url
        assert "Секретова" not in response.content.decode()
    for url in (f"/training/seminars/{seminar.pk}/", "/training/questions/", "/api/v1/seminars/"):
        assert analyst.get(url).status_code == 404, url


def test_participant_pages_need_no_account_but_the_staff_pages_do(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer)
    test = open_test(seminar, personas.trainer)
    anonymous = Client()
    assert anonymous.get(f"/training/t/{test.code}/").status_code == 200
    assert anonymous.get("/training/verify/").status_code == 200
    assert anonymous.get("/training/me/").status_code == 200
    for url in (
        "/training/",
        f"/training/seminars/{seminar.pk}/",
        "/training/results/",
        "/training/exercises/",
    ):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    phone = phone_of(participant)
    assert "Ахметова Айгүл" in phone.get("/training/me/").content.decode()
    # Leaving forgets the participant in this browser.
    phone.post("/training/me/leave/")
    assert "Ахметова" not in phone.get("/training/me/").content.decode()


def test_a_wrong_personal_link_is_not_found(personas: Personas) -> None:
    phone = Client()
    for key in ("AAAABBBBCCCC", "short", "<>", "A" * 100):
        assert phone.get(f"/training/p/{key}/").status_code == 404
