"""The trainer chooses per test: personal codes or anonymous participation. Anonymous attempts
count in the item analysis, but not per person (results, certificates, standings)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry, ObjectType
from tanu.training import actions, results
from tanu.training.models import Attempt, KnowledgeTest, Seminar
from tanu.training.tests.helpers import (
    add_participant,
    make_seminar,
    open_test,
    right_answers,
    signed_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(personas: Personas) -> dict[str, Any]:
    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer)
    return {"seminar": seminar, "participant": participant, "personas": personas}


def _anonymous_post_test(setting: dict) -> KnowledgeTest:
    trainer = setting["personas"].trainer
    client = signed_in(trainer.username)
    seminar = setting["seminar"]
    from tanu.training import bank

    bank.load_starter_bank(actor=trainer)
    response = client.post(
        f"/training/seminars/{seminar.pk}/tests/new/",
        {"kind": "post", "question_count": 4, "time_limit_minutes": 20, "anonymous": "on"},
    )
    assert response.status_code == 302
    test = KnowledgeTest.objects.get(seminar=seminar, kind="post")
    assert test.anonymous
    return actions.do_set_test_open(test, actor=trainer, is_open=True)


def _take(test: KnowledgeTest) -> tuple[Client, Attempt]:
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    start = phone.get(f"/training/t/{test.code}/").content.decode()
    assert "your personal code" not in start.lower()  # no code asked
    assert 'id="start-test"' in start
    phone.post(f"/training/t/{test.code}/start/")
    attempt = Attempt.objects.filter(test=test).latest("pk")
    assert attempt.participant is None
    assert phone.post(f"/training/t/{test.code}/submit/", right_answers(attempt)).status_code == 302
    return phone, attempt


def test_the_trainer_creates_an_anonymous_test_and_nobody_needs_a_code(setting: dict) -> None:
    test = _anonymous_post_test(setting)
    phone, attempt = _take(test)
    result = phone.get(f"/training/t/{test.code}/").content.decode()
    assert "100%" in result
    # Each phone has its own attempt; the first one cannot open another phone's answers.
    _other, second = _take(test)
    assert second.pk != attempt.pk
    stranger = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/training/t/{test.code}/").content.decode()
    assert 'id="start-test"' in stranger and 'id="score"' not in stranger
    assert Attempt.objects.filter(test=test, participant__isnull=True).count() == 2
    # Starting again on the same phone keeps the same attempt.
    phone.post(f"/training/t/{test.code}/start/")
    assert Attempt.objects.filter(test=test).count() == 2


def test_anonymous_attempts_are_audited_without_anybody(setting: dict) -> None:
    test = _anonymous_post_test(setting)
    _phone, attempt = _take(test)
    entries = AuditEntry.objects.filter(
        object_type=ObjectType.TRAINING_ATTEMPT, object_id=str(attempt.pk)
    )
    assert {e.actor_username for e in entries} == {"participant:anonymous"}


def test_anonymous_attempts_count_in_the_item_analysis_but_not_per_person(
    setting: dict,
) -> None:
    test = _anonymous_post_test(setting)
    _phone, attempt = _take(test)
    seminars = Seminar.objects.filter(pk=setting["seminar"].pk)
    rows = results.items(seminars, {})
    drawn = set(attempt.items.values_list("question_id", flat=True))
    assert drawn <= {row.question.pk for row in rows}
    assert results.items(seminars, {"seminar": setting["seminar"]})
    assert results.items(seminars, {"role": "ngo"}) == []  # role unknown: not in a role's rows
    # Not per person: no standing, no summary, no certificate.
    summary = results.summaries(seminars, {})
    assert summary.overall is None or summary.overall.post is None
    standing = actions.standings(setting["seminar"])
    assert all(s.post_score is None for s in standing)


def test_the_test_page_shows_anonymous_attempts_without_a_name(setting: dict) -> None:
    test = _anonymous_post_test(setting)
    _take(test)
    client = signed_in(setting["personas"].trainer.username)
    page = client.get(f"/training/seminars/{setting['seminar'].pk}/tests/{test.pk}/")
    html = page.content.decode()
    assert "<td>anonymous</td>" in html
    assert "Anonymous: participants need no personal code" in html


def test_the_choice_can_change_only_until_somebody_starts(setting: dict) -> None:
    trainer = setting["personas"].trainer
    test = open_test(setting["seminar"], trainer, kind="pre", count=4)
    client = signed_in(trainer.username)
    url = f"/training/seminars/{setting['seminar'].pk}/tests/{test.pk}/anonymous/"
    client.post(url, {"anonymous": "1"})
    test.refresh_from_db()
    assert test.anonymous
    entry = AuditEntry.objects.filter(
        object_type=ObjectType.TRAINING_TEST, object_id=str(test.pk)
    ).latest("pk")
    assert entry.fields == ["anonymous"]
    _take(test)
    client.post(url, {"anonymous": "0"})
    test.refresh_from_db()
    assert test.anonymous  # somebody has started: it stays as it was
    with pytest.raises(actions.TrainingError):
        actions.do_set_test_anonymous(test, actor=trainer, anonymous=False)


def test_a_test_with_personal_codes_still_asks_for_the_code(setting: dict) -> None:
    test = open_test(setting["seminar"], setting["personas"].trainer, kind="pre", count=4)
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "your personal code" in phone.get(f"/training/t/{test.code}/").content.decode().lower()
    phone.post(f"/training/t/{test.code}/start/")
    assert not Attempt.objects.filter(test=test).exists()
