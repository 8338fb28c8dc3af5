"""The answer key of a pre-test stays hidden (the post-test draws on the same bank) until the
trainer releases it, or until the seminar's post-test has ended."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils.html import escape

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry, ObjectType
from tanu.training import actions
from tanu.training.models import Attempt
from tanu.training.tests.helpers import (
    add_participant,
    make_seminar,
    open_test,
    phone_of,
    right_answers,
    signed_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(personas: Personas) -> dict[str, Any]:
    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer)
    pre = open_test(seminar, personas.trainer, kind="pre", count=4)
    phone = phone_of(participant)
    phone.post(f"/training/t/{pre.code}/start/")
    attempt = Attempt.objects.get(test=pre, participant=participant)
    phone.post(f"/training/t/{pre.code}/submit/", right_answers(attempt))
    first = attempt.items.select_related("question").order_by("position").first()
    assert first is not None
    return {
        "seminar": seminar,
        "pre": pre,
        "phone": phone,
        "explanation": escape(first.question.explanation_en),
        "personas": personas,
    }


def _result(setting: dict) -> str:
    return setting["phone"].get(f"/training/t/{setting['pre'].code}/").content.decode()


def test_the_pre_test_shows_the_score_but_not_the_key(setting: dict) -> None:
    page = _result(setting)
    assert "100%" in page
    assert 'id="key-hidden"' in page
    assert setting["explanation"] not in page
    assert "✓" not in page
    assert "Right answer" not in page
    assert "You chose" in page  # the participant still sees their own answers


def test_the_trainer_releases_the_key_and_the_release_is_audited(setting: dict) -> None:
    seminar, pre, trainer = setting["seminar"], setting["pre"], setting["personas"].trainer
    client = signed_in(trainer.username)
    detail = client.get(f"/training/seminars/{seminar.pk}/tests/{pre.pk}/").content.decode()
    assert 'id="release-key"' in detail
    response = client.post(f"/training/seminars/{seminar.pk}/tests/{pre.pk}/key/release/")
    assert response.status_code == 302
    pre.refresh_from_db()
    assert pre.key_released_at is not None
    entry = AuditEntry.objects.filter(
        object_type=ObjectType.TRAINING_TEST, object_id=str(pre.pk), actor=trainer
    ).latest("pk")
    assert entry.fields == ["key_released_at"]

    page = _result(setting)
    assert 'id="key-hidden"' not in page
    assert setting["explanation"] in page
    assert "✓" in page
    detail = client.get(f"/training/seminars/{seminar.pk}/tests/{pre.pk}/").content.decode()
    assert 'id="release-key"' not in detail


def test_the_key_shows_once_the_post_test_has_ended(setting: dict) -> None:
    seminar, trainer = setting["seminar"], setting["personas"].trainer
    post = open_test(seminar, trainer, kind="post", count=4)
    assert 'id="key-hidden"' in _result(setting)  # the post-test is running: still hidden
    actions.do_set_test_open(post, actor=trainer, is_open=False)
    page = _result(setting)
    assert 'id="key-hidden"' not in page
    assert setting["explanation"] in page


def test_a_post_test_created_but_never_opened_does_not_reveal_the_key(
    setting: dict,
) -> None:
    seminar, trainer = setting["seminar"], setting["personas"].trainer
    post = actions.do_create_test(
        seminar,
        actor=trainer,
        data={"kind": "post", "question_count": 4, "time_limit_minutes": 20, "objectives": []},
    )
    actions.do_set_test_open(post, actor=trainer, is_open=False)
    assert 'id="key-hidden"' in _result(setting)


def test_only_the_seminars_trainers_release_the_key(setting: dict) -> None:
    seminar, pre, personas = setting["seminar"], setting["pre"], setting["personas"]
    for username in (personas.screener.username, personas.analyst.username):
        client = signed_in(username)
        response = client.post(f"/training/seminars/{seminar.pk}/tests/{pre.pk}/key/release/")
        assert response.status_code == 404
    pre.refresh_from_db()
    assert pre.key_released_at is None
