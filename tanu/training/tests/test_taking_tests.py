"""A participant takes a test on their phone without an account: short code, personal code,
answers saved as they go, nothing lost when the connection drops, a time limit, and the score."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.training import actions, codes
from tanu.training.models import Attempt, AttemptItem, Question
from tanu.training.tests.helpers import (
    add_participant,
    make_seminar,
    open_test,
    phone_of,
    right_answers,
    seeded,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(personas: Personas) -> dict[str, object]:
    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer)
    test = open_test(seminar, personas.trainer, count=6)
    return {"seminar": seminar, "participant": participant, "test": test}


def test_codes_are_long_enough_and_use_an_unambiguous_alphabet(setting: dict) -> None:
    test, participant = setting["test"], setting["participant"]
    assert len(test.code) >= 8
    assert len(participant.code) >= 12
    for ch in "01OIL":
        assert ch not in codes.ALPHABET
    assert codes.normalise("abcd-efgh jkmn") == "ABCDEFGHJKMN"
    assert codes.normalise("ABC0") == ""  # 0 is not in the alphabet
    assert codes.normalise(None) == ""


def test_a_participant_takes_a_test_without_an_account(setting: dict) -> None:
    test, participant = setting["test"], setting["participant"]
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = phone.get(f"/training/t/{test.code.lower()}/")  # typed in small letters: still found
    assert page.status_code == 200
    assert "your personal code" in page.content.decode().lower()

    wrong = phone.post(f"/training/t/{test.code}/", {"code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 400
    assert "This code is not right" in wrong.content.decode()

    grouped = codes.grouped(participant.code).lower()
    assert phone.post(f"/training/t/{test.code}/", {"code": grouped}).status_code == 302
    start = phone.get(f"/training/t/{test.code}/")
    assert "Start the test" in start.content.decode()
    phone.post(f"/training/t/{test.code}/start/")
    attempt = Attempt.objects.get(test=test, participant=participant)
    assert attempt.items.count() == 6
    assert attempt.deadline == attempt.started_at + timedelta(minutes=20)
    page = phone.get(f"/training/t/{test.code}/").content.decode()
    assert 'id="attempt-form"' in page
    assert "training/attempt.js" in page

    response = phone.post(f"/training/t/{test.code}/submit/", right_answers(attempt))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == 100
    result = phone.get(f"/training/t/{test.code}/").content.decode()
    assert 'id="score"' in result
    assert "100%" in result
    # A pre-test's explanations wait for the trainer to release the key (the post-test draws on
    # the same bank); then they are shown.
    first = attempt.items.select_related("question").first()
    assert first is not None
    assert escape(first.question.explanation_en) not in result
    actions.do_release_test_key(test, actor=setting["seminar"].created_by)
    result = phone.get(f"/training/t/{test.code}/").content.decode()
    assert escape(first.question.explanation_en) in result


def test_answers_are_saved_one_by_one_and_a_dropped_connection_loses_nothing(setting: dict) -> None:
    test, participant = setting["test"], setting["participant"]
    phone = phone_of(participant)
    phone.post(f"/training/t/{test.code}/start/")
    attempt = Attempt.objects.get(test=test)
    answers = right_answers(attempt)
    items = list(attempt.items.order_by("position"))
    first, second = items[0], items[1]

    def one(item: AttemptItem) -> dict[str, object]:
        data: dict[str, object] = {"item": [str(item.pk)]}
        for key, value in answers.items():
            if key == f"q{item.pk}" or key.startswith(f"q{item.pk}-"):
                data[key] = value
        return data

    saved = phone.post(f"/training/t/{test.code}/save/", one(first), HTTP_ACCEPT="application/json")
    assert saved.status_code == 200
    assert saved.json()["saved"] == [first.pk]
    # The phone did not get the answer for the second item (connection dropped), so it sends
    # it again together with the first one, twice: saving again is harmless.
    for _ in range(2):
        both = {
            "item": [str(first.pk), str(second.pk)],
            **{k: v for k, v in {**one(first), **one(second)}.items() if k != "item"},
        }
        response = phone.post(
            f"/training/t/{test.code}/save/", both, HTTP_ACCEPT="application/json"
        )
        assert sorted(response.json()["saved"]) == sorted([first.pk, second.pk])
    # A reload (or a new tab after the connection came back) shows both answers as given.
    page = phone.get(f"/training/t/{test.code}/").content.decode()
    assert "2 of 6 answered and saved" in page
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.response and second.response
    # A save that lists no answer for an item leaves the other items alone.
    phone.post(
        f"/training/t/{test.code}/save/",
        {"item": [str(items[2].pk)]},
        HTTP_ACCEPT="application/json",
    )
    first.refresh_from_db()
    assert first.response
    # The browser lost its session (private tab closed): the personal code resumes the attempt.
    again = Client(HTTP_ACCEPT_LANGUAGE="en")
    again.post(f"/training/t/{test.code}/", {"code": participant.code})
    page = again.get(f"/training/t/{test.code}/").content.decode()
    assert "2 of 6 answered and saved" in page
    assert Attempt.objects.filter(test=test).count() == 1


def test_saving_without_javascript_works_with_the_whole_form(setting: dict) -> None:
    test, participant = setting["test"], setting["participant"]
    phone = phone_of(participant)
    phone.post(f"/training/t/{test.code}/start/")
    attempt = Attempt.objects.get(test=test)
    response = phone.post(f"/training/t/{test.code}/save/", right_answers(attempt))
    assert response.status_code == 302
    assert attempt.items.filter(response__isnull=False).count() == 6


def test_the_time_limit_is_enforced_by_the_server(setting: dict) -> None:
    test, participant = setting["test"], setting["participant"]
    attempt = actions.do_start_attempt(test, participant, rng=seeded())
    late = attempt.deadline + timedelta(seconds=actions.GRACE_SECONDS + 1)
    item = attempt.items.first()
    assert item is not None
    with pytest.raises(actions.TimeUpError):
        actions.do_save_answers(attempt, {item.pk: [item.order[0]]}, now=late)
    # Within the grace period an answer still in flight is accepted.
    just = attempt.deadline + timedelta(seconds=actions.GRACE_SECONDS - 5)
    assert actions.do_save_answers(attempt, {item.pk: [item.order[0]]}, now=just) == [item.pk]
    # Opening the page after the time is over submits what was saved.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    phone = phone_of(participant)
    page = phone.get(f"/training/t/{test.code}/")
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert 'id="score"' in page.content.decode()
    response = phone.post(
        f"/training/t/{test.code}/save/", {"item": [str(item.pk)]}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 409


def test_a_draw_is_random_with_shuffled_options_but_true_false_keeps_its_order(
    setting: dict, personas: Personas
) -> None:
    test, seminar = setting["test"], setting["seminar"]
    others = [add_participant(seminar, personas.trainer, name=f"Участник {n}") for n in range(6)]
    attempts = [actions.do_start_attempt(test, p) for p in others]
    draws = {
        tuple(a.items.order_by("position").values_list("question_id", flat=True)) for a in attempts
    }
    assert len(draws) > 1
    for item in AttemptItem.objects.select_related("question"):
        ids = sorted(item.order)
        assert ids == sorted(item.question.options.values_list("pk", flat=True))
        if item.question.kind == Question.Kind.TRUE_FALSE:
            assert item.order == list(
                item.question.options.order_by("position").values_list("pk", flat=True)
            )


def test_a_closed_test_cannot_be_started(setting: dict, personas: Personas) -> None:
    test, participant = setting["test"], setting["participant"]
    actions.do_set_test_open(test, actor=personas.trainer, is_open=False)
    phone = phone_of(participant)
    page = phone.get(f"/training/t/{test.code}/").content.decode()
    assert "not open yet" in page
    phone.post(f"/training/t/{test.code}/start/")
    assert not Attempt.objects.exists()


def test_a_participant_of_another_seminar_cannot_use_this_test(
    setting: dict, personas: Personas
) -> None:
    other = make_seminar(personas.trainer, city="Aktau")
    stranger = add_participant(other, personas.trainer, name="Чужой Участник")
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = phone.post(f"/training/t/{setting['test'].code}/", {"code": stranger.code})
    assert response.status_code == 400
    assert not Attempt.objects.exists()


def test_unknown_or_malformed_test_codes_are_not_found(setting: dict) -> None:
    phone = Client()
    for code in ("ZZZZZZZZ", "x", "A" * 60, "%00", "<script>"):
        assert phone.get(f"/training/t/{code}/").status_code == 404


def test_malformed_answers_are_ignored_not_errors(setting: dict) -> None:
    test, participant = setting["test"], setting["participant"]
    phone = phone_of(participant)
    phone.post(f"/training/t/{test.code}/start/")
    attempt = Attempt.objects.get(test=test)
    item = attempt.items.first()
    assert item is not None
    for data in (
        {"item": ["x", "-1", str(item.pk)], f"q{item.pk}": ["abc", "999999"]},
        {"item": [str(item.pk)], f"q{item.pk}-abc": "1"},
        {"item": "99999999999999999999"},
    ):
        response = phone.post(
            f"/training/t/{test.code}/save/", data, HTTP_ACCEPT="application/json"
        )
        assert response.status_code == 200
    item.refresh_from_db()
    assert item.response in (None, [], {})


def test_starting_and_submitting_are_audited_without_a_name(setting: dict) -> None:
    test, participant = setting["test"], setting["participant"]
    phone = phone_of(participant)
    phone.post(f"/training/t/{test.code}/start/")
    attempt = Attempt.objects.get(test=test)
    phone.post(f"/training/t/{test.code}/submit/", right_answers(attempt))
    entries = AuditEntry.objects.filter(object_type="training_attempt", object_id=str(attempt.pk))
    assert [e.action for e in entries] == ["create", "finalise"]
    assert {e.actor_username for e in entries} == {f"participant:{participant.pk}"}
    assert all(participant.full_name not in (e.reason + " ".join(e.fields)) for e in entries)


def test_the_personal_code_is_stored_encrypted_and_found_by_a_keyed_hash(setting: dict) -> None:
    from django.db import connection

    participant = setting["participant"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, position, code, code_index FROM training_participant WHERE id = %s",
            [participant.pk],
        )
        full_name, position, code, index = cursor.fetchone()
    assert "Ахметова" not in full_name and "инспектор" not in position
    assert participant.code not in code and participant.code not in index
    assert index == actions.code_index(participant.code)
