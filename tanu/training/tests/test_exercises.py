"""Trainees screen a scenario with the real checklist and see what they missed and why; the
surveys after the seminar and months later."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.training.models import ExerciseAttempt, SurveyResponse
from tanu.training.tests.helpers import add_participant, make_seminar, phone_of, signed_in

pytestmark = pytest.mark.django_db


def test_an_official_practises_a_scenario_and_sees_what_was_missed_and_why(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    page = client.get("/training/exercises/construction-almaty/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="observed" value="AL-CD-01"' in body  # the real checklist's codes
    assert "Rustam" in body
    # Key: 13 codes. The trainee finds 3 of them and adds one that is not there.
    response = client.post(
        "/training/exercises/construction-almaty/",
        {
            "observed": ["AL-DR-02", "AL-EC-01", "AL-CD-01", "AL-CD-04"],
            "outcome": "presumed_victim",
            "referrals": ["shelter", "police_investigation"],
        },
    )
    assert response.status_code == 302
    attempt = ExerciseAttempt.objects.get()
    assert attempt.user == personas.screener
    assert attempt.precision == pytest.approx(3 / 4)
    assert attempt.recall == pytest.approx(3 / 13)
    assert attempt.extra == ["AL-CD-04"]
    assert "AL-CD-02" in attempt.missed
    result = client.get(response["Location"]).content.decode()
    assert "Made to work off a debt that never seems to shrink" in result  # the missed label
    assert "keeps growing" in result  # the scenario's explanation of why
    assert "Physical or sexual violence where the person is exploited" in result  # extra
    assert AuditEntry.objects.filter(object_type="training_exercise", action="create").exists()
    # Russian, from the scenario's own text.
    ru = signed_in("screener", "ru").get(response["Location"]).content.decode()
    assert "растёт" in ru


def test_a_participant_does_an_exercise_without_an_account(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer)
    phone = phone_of(participant)
    response = phone.post(
        "/training/me/exercises/family-stall-almaty/",
        {"outcome": "no_indication"},
    )
    assert response.status_code == 302
    attempt = ExerciseAttempt.objects.get()
    assert attempt.participant == participant
    assert attempt.score == 100  # nothing to find, nothing ticked, right outcome, no referral
    assert phone.get(response["Location"]).status_code == 200
    assert "100%" in phone.get("/training/me/").content.decode()


def test_exercise_keys_are_for_trainers(personas: Personas) -> None:
    assert signed_in("trainer").get("/training/exercises/sauna-almaty/key/").status_code == 200
    assert signed_in("screener").get("/training/exercises/sauna-almaty/key/").status_code == 404
    assert signed_in("trainer").get("/training/exercises/no-such-case/").status_code == 404


def test_bad_exercise_answers_are_refused_without_error(personas: Personas) -> None:
    client = signed_in("screener")
    for data in (
        {"observed": ["ZZ-99"], "outcome": "presumed_victim"},
        {"observed": ["AL-DR-01"], "outcome": "maybe"},
        {"observed": ["AL-DR-01"], "outcome": "presumed_victim", "referrals": ["witchcraft"]},
        {},
    ):
        assert client.post("/training/exercises/construction-almaty/", data).status_code == 400
    assert not ExerciseAttempt.objects.exists()


def test_the_surveys_open_after_the_seminar_and_months_later(personas: Personas) -> None:
    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer)
    phone = phone_of(participant)
    today = timezone.localdate()
    seminar.ends_on = today + timedelta(days=1)
    seminar.starts_on = today
    seminar.save()
    assert phone.get("/training/me/survey/reaction/").status_code == 302  # not open yet
    seminar.ends_on = today
    seminar.save()
    reaction = {
        "relevance": "5", "clarity": "4", "trainers": "5", "exercises": "4",
        "confidence_recognise": "4", "confidence_refer": "3", "comment": "Полезно",
    }  # fmt: skip
    assert (
        phone.post("/training/me/survey/reaction/", {**reaction, "clarity": "9"}).status_code == 400
    )
    assert phone.post("/training/me/survey/reaction/", reaction).status_code == 302
    answer = SurveyResponse.objects.get()
    assert answer.answers["clarity"] == 4
    assert answer.comment == "Полезно"
    assert phone.get("/training/me/survey/reaction/").status_code == 302  # answered once only
    assert phone.get("/training/me/survey/follow_up/").status_code == 302  # months later
    seminar.ends_on = today - timedelta(days=120)
    seminar.starts_on = today - timedelta(days=122)
    seminar.save()
    follow = {
        "used_checklist": "1", "screenings": "4", "referrals": "1",
        "confidence_recognise": "4", "confidence_refer": "4",
    }  # fmt: skip
    assert phone.post("/training/me/survey/follow_up/", follow).status_code == 302
    assert SurveyResponse.objects.filter(kind="follow_up").exists()
    assert phone.get("/training/me/survey/nonsense/").status_code == 404
    assert AuditEntry.objects.filter(object_type="training_survey").count() == 2
    results = signed_in("trainer").get("/training/results/").content.decode()
    assert "Полезно" not in results  # free text never shown in the aggregates
