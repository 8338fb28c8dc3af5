"""Shared steps for the case tests: a finalised screening and an open case."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tanu.accounts.models import User
from tanu.accounts.tests.factories import TEST_PASSWORD
from tanu.cases import actions as case_actions
from tanu.cases.models import Case
from tanu.identification import actions as screening_actions
from tanu.identification.models import Screening

PRESUMED = ["AL-DR-01", "AL-DR-02", "AL-EC-01", "AL-EC-02", "AL-CD-01", "AL-CD-02"]
POSSIBLE = ["AL-CD-01"]

CANARY = {
    "given_name": "Жанар",
    "family_name": "Канарьева",
    "other_names": "Zhanar Kanaryeva",
    "sex": "female",
    "citizenship": "KZ",
    "documents": [{"type": "id_card", "number": "N12345678"}],
    "contacts": [{"channel": "phone", "value": "+7 701 000 0000", "safe": False}],
    "address": "Алматы, ул. Примерная 1",
}


def signed_in(username: str, lang: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    response = client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def finalised_screening(
    user: User, codes: list[str] = PRESUMED, age_group: str = "adult", age_years: int | None = 24
) -> Screening:
    screening = screening_actions.do_start_screening(
        actor=user,
        context={
            "place": "patrol",
            "interview_language": "ru",
            "age_group": age_group,
            "age_years": age_years,
            "form": "labour",
        },
        answers={code: "observed" for code in codes},
    )
    return screening_actions.do_finalise_screening(
        screening,
        actor=user,
        judgement="agree",
        notes="",
        expected_revision=screening.revision,
        stop_reason="" if codes else "left",  # nothing asked: finalised as incomplete
    )


def open_case(user: User, person: dict[str, Any] | None = None, **kwargs: Any) -> Case:
    screening = finalised_screening(user, **kwargs)
    return case_actions.do_open_case(screening, actor=user, person_data=person or dict(CANARY))
