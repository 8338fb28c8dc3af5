"""A trainer opens an anonymous test on a phone; participants with no account and no personal
code type the test code at /t/ (a wrong code first), in Kazakh and in Russian, answer, are
warned about the questions they left unanswered, submit, and see what they chose next to what
was right."""

from __future__ import annotations

from typing import Any

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.training import bank
from tanu.training.models import Attempt, KnowledgeTest, Question
from tanu.training.tests.helpers import make_seminar
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

QUESTIONS = 6
LEFT_OPEN = 2  # questions the participant leaves unanswered


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _trainer_opens_an_anonymous_test(page: Any, base: str, seminar_pk: int) -> KnowledgeTest:
    sign_in(page, base, "trainer", "ru")
    page.goto(f"{base}/training/seminars/{seminar_pk}/")
    form = page.locator(f"form[action='/training/seminars/{seminar_pk}/tests/new/']")
    page.locator("details", has=form).locator("summary").click()
    form.locator("#id_kind").select_option("post")
    form.locator("#id_question_count").fill(str(QUESTIONS))
    form.locator("#id_anonymous").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("#participation").is_visible()
    with page.expect_navigation():
        page.locator("form[action$='/open/'] button[type=submit]").click()
    test = KnowledgeTest.objects.get(seminar_id=seminar_pk, kind="post")
    assert test.is_open and test.anonymous
    _no_sideways_scroll(page)
    return test


def _answer_all_but_the_last(page: Any, attempt: Attempt) -> None:
    items = list(
        attempt.items.select_related("question")
        .prefetch_related("question__options")
        .order_by("position")
    )
    for item in items[: len(items) - LEFT_OPEN]:
        options = list(item.question.options.all())
        if item.question.kind == Question.Kind.MATCHING:
            for option in options:
                page.select_option(f"#q{item.pk}-{option.pk}", str(option.pk))
        else:
            page.locator(f"input[name='q{item.pk}']").first.check()


def _participant_takes_it(
    browser: Any, base: str, test: KnowledgeTest, lang: str, shot: Any
) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        # From the sign-in page to the code page, in the participant's language.
        page.goto(f"{base}/accounts/login/")
        with page.expect_navigation():
            page.locator("#take-test-link").click()
        assert page.url == f"{base}/t/"
        with page.expect_navigation():
            page.select_option("#lang-select", lang)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.url == f"{base}/t/"

        # A wrong code: the form again, with the message, in the same language.
        page.fill("#id_code", "XCCQ-WGXA")
        with page.expect_navigation():
            page.locator("#test-code-form button[type=submit]").click()
        assert page.locator("#test-code-form .error").is_visible()
        assert page.locator("html").get_attribute("lang") == lang
        _no_sideways_scroll(page)
        shot(page, f"code-2-wrong-code-{lang}")

        # The right code, typed in small letters with a space: found.
        code = test.code.lower()
        page.fill("#id_code", f"{code[:4]} {code[4:]}")
        with page.expect_navigation():
            page.locator("#test-code-form button[type=submit]").click()
        page.wait_for_selector("#start-test")
        assert page.locator("#id_code").count() == 0  # anonymous: no personal code asked
        shot(page, f"code-3-start-{lang}")
        with page.expect_navigation():
            page.locator("#start-test").click()
        page.wait_for_selector("#attempt-form")
        attempt = Attempt.objects.filter(test=test).latest("pk")
        assert attempt.participant is None

        # Two questions left open: the server warns and lists them.
        _answer_all_but_the_last(page, attempt)
        with page.expect_navigation():
            page.locator("#submit-test").click()
        warning = page.locator("#unanswered-warning")
        assert warning.is_visible()
        text = warning.inner_text()
        assert str(QUESTIONS - 1) in text and str(QUESTIONS) in text
        attempt.refresh_from_db()
        assert attempt.submitted_at is None
        warning.scroll_into_view_if_needed()
        _no_sideways_scroll(page)
        shot(page, f"code-4-unanswered-{lang}")

        with page.expect_navigation():
            page.locator("#submit-anyway").click()
        page.wait_for_selector("#score")
        attempt.refresh_from_db()
        assert attempt.submitted_at is not None

        # What was chosen, next to what was right.
        assert page.locator(".answer-lines .chosen").count() >= 1
        assert page.locator(".answer-lines .right-answer").count() >= 1
        page.locator(".answer-lines").first.scroll_into_view_if_needed()
        _no_sideways_scroll(page)
        shot(page, f"code-5-result-{lang}")
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_a_trainer_opens_an_anonymous_test_and_participants_type_its_code(
    live_server: Any, browser: Any, phone: Any, shot: Any, personas: Personas
) -> None:
    seminar = make_seminar(personas.trainer)
    bank.load_starter_bank(actor=personas.trainer)
    base = live_server.url

    test = _trainer_opens_an_anonymous_test(phone, base, seminar.pk)
    shot(phone, "code-1-trainer-anonymous-test-ru")

    for lang in ("kk", "ru"):
        _participant_takes_it(browser, base, test, lang, shot)

    assert Attempt.objects.filter(test=test, participant__isnull=True).count() == 2
