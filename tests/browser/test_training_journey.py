"""A participant takes a test on a 360 px phone with no account; the page is reloaded, the
connection drops mid-test and comes back, and no answer is lost; the score shows at the end."""

from __future__ import annotations

from typing import Any

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.training.models import Attempt, AttemptItem, Question
from tanu.training.tests.helpers import add_participant, make_seminar, open_test

pytestmark = pytest.mark.browser

STATE = "state => document.getElementById('save-status').dataset.state === state"


def _wait(page: Any, state: str) -> None:
    page.wait_for_function(STATE, arg=state)


def _answer(page: Any, item: AttemptItem) -> None:
    """Give the right answer to one item, as a person would: tick, choose, select."""
    options = list(item.question.options.all())
    if item.question.kind == Question.Kind.MATCHING:
        for option in options:
            page.select_option(f"#q{item.pk}-{option.pk}", str(option.pk))
        return
    for option in options:
        if option.is_correct:
            page.check(f"input[name='q{item.pk}'][value='{option.pk}']")


def _saved(item: AttemptItem) -> bool:
    item.refresh_from_db()
    return bool(item.response)


@pytest.mark.django_db(transaction=True)
def test_a_participant_takes_a_test_on_a_phone_and_a_dropped_connection_loses_nothing(
    live_server: Any, phone: Any, shot: Any, personas: Personas
) -> None:
    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer)
    test = open_test(seminar, personas.trainer, count=8, minutes=30)
    base = live_server.url

    # No account: the test's short code, then the personal code from the slip.
    phone.goto(f"{base}/training/t/{test.code}/")
    assert phone.locator("#id_code").is_visible()
    shot(phone, "training-1-personal-code")
    phone.fill("#id_code", participant.code)
    phone.locator("#code-form button[type=submit]").click()
    phone.wait_for_selector("#start-test")
    phone.locator("#start-test").click()
    phone.wait_for_selector("#attempt-form")
    shot(phone, "training-2-test")

    attempt = Attempt.objects.get(test=test, participant=participant)
    items = list(
        attempt.items.select_related("question")
        .prefetch_related("question__options")
        .order_by("position")
    )
    assert len(items) == 8

    # 1. An answer is saved as soon as it is given; a reload shows it.
    _answer(phone, items[0])
    _wait(phone, "saved")
    assert _saved(items[0])
    phone.reload()
    phone.wait_for_selector("#attempt-form")
    assert "1 of 8" in phone.locator("#save-status").inner_text()

    # 2. The connection drops: answers are kept on the phone, then sent when it is back.
    phone.context.set_offline(True)
    _answer(phone, items[1])
    _answer(phone, items[2])
    _wait(phone, "offline")
    shot(phone, "training-3-offline")
    assert not _saved(items[1]) and not _saved(items[2])
    phone.context.set_offline(False)
    _wait(phone, "saved")
    assert _saved(items[1]) and _saved(items[2])

    # 3. A save that never reaches the server, then a reload: the unsent answer comes back
    #    from the phone's storage and is sent.
    phone.route("**/save/", lambda route: route.abort())
    _answer(phone, items[3])
    _wait(phone, "offline")
    phone.unroute("**/save/")
    phone.reload()
    phone.wait_for_selector("#attempt-form")
    _wait(phone, "saved")
    assert _saved(items[3])

    # The rest, then submit: every answer counted, so the score is 100 %.
    for item in items[4:]:
        _answer(phone, item)
    _wait(phone, "saved")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    phone.locator("#submit-test").click()
    phone.wait_for_selector("#score")
    assert "100%" in phone.locator("#score").inner_text()
    shot(phone, "training-4-score")
    attempt.refresh_from_db()
    assert attempt.score == 100
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
