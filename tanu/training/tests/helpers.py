"""Shared steps for the training tests: a seminar with an agenda, participants, the starter bank
and tests; a phone (a browser with no account) that proves a participant's personal code."""

from __future__ import annotations

import random
from datetime import date, time
from typing import Any

from django.test import Client

from tanu.accounts.models import User
from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.training import actions, bank
from tanu.training.models import KnowledgeTest, Participant, ParticipantRole, Seminar

STARTS = date(2026, 3, 3)
ENDS = date(2026, 3, 5)


def signed_in(username: str, lang: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    response = client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def make_seminar(trainer: User, *, city: str = "Almaty", sessions: int = 2) -> Seminar:
    region = trainer.agency.region  # type: ignore[union-attr]
    seminar = actions.do_create_seminar(
        actor=trainer,
        data={
            "region": region,
            "city_kk": city,
            "city_ru": city,
            "city_en": city,
            "starts_on": STARTS,
            "ends_on": ENDS,
            "language": "ru",
            "pass_mark": 70,
            "min_attendance": 50,
        },
    )
    for number in range(sessions):
        actions.do_add_session(
            seminar,
            actor=trainer,
            data={
                "day": STARTS,
                "starts_at": time(9 + 2 * number),
                "ends_at": None,
                "title": f"S{number}",
            },
        )
    return seminar


def add_participant(
    seminar: Seminar, trainer: User, name: str = "Ахметова Айгүл", **extra: Any
) -> Participant:
    data = {
        "full_name": name,
        "role": ParticipantRole.ADMINISTRATIVE_POLICE,
        "agency": None,
        "agency_name": "Almaty police",
        "position": "участковый инспектор",
        **extra,
    }
    return actions.do_add_participant(seminar, actor=trainer, data=data)


def open_test(
    seminar: Seminar, trainer: User, kind: str = "pre", count: int = 5, minutes: int = 20
) -> KnowledgeTest:
    if not seminar.tests.exists():
        bank.load_starter_bank(actor=trainer)
    test = actions.do_create_test(
        seminar,
        actor=trainer,
        data={
            "kind": kind,
            "question_count": count,
            "time_limit_minutes": minutes,
            "objectives": [],
        },
    )
    return actions.do_set_test_open(test, actor=trainer, is_open=True)


def phone_of(participant: Participant) -> Client:
    """A browser with no account in which the participant entered their personal code."""
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = phone.get(f"/training/p/{participant.code}/")
    assert response.status_code == 302
    return phone


def right_answers(attempt: Any) -> dict[str, Any]:
    """The form data answering every item of an attempt correctly."""
    data: dict[str, Any] = {"item": []}
    for item in attempt.items.select_related("question").prefetch_related("question__options"):
        data["item"].append(str(item.pk))
        options = list(item.question.options.all())
        if item.question.kind == "matching":
            for option in options:
                data[f"q{item.pk}-{option.pk}"] = str(option.pk)
        else:
            data[f"q{item.pk}"] = [str(o.pk) for o in options if o.is_correct]
    return data


def seeded() -> random.Random:
    return random.Random(7)
