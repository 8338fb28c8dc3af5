"""The code page at /t/: a participant types the test code shown in the room. Case, spaces and
dashes do not matter; a wrong code gets the form again in the participant's language; submitting
with unanswered questions warns first; the result shows what was chosen next to what was right."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from tanu.accounts.tests.personas import Personas
from tanu.training import codes, public
from tanu.training.models import Attempt, KnowledgeTest, Question
from tanu.training.tests.helpers import add_participant, make_seminar, open_test, phone_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_tries_left_over() -> None:
    cache.clear()


@pytest.fixture
def setting(personas: Personas) -> dict[str, Any]:
    seminar = make_seminar(personas.trainer)
    participant = add_participant(seminar, personas.trainer)
    test = open_test(seminar, personas.trainer, kind="post", count=6)
    return {"seminar": seminar, "participant": participant, "test": test, "personas": personas}


def test_the_sign_in_page_links_to_the_code_page() -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/").content.decode()
    assert 'href="/t/"' in page


def test_the_code_page_is_at_slash_t_and_has_the_language_switch() -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="kk").get("/t/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="test-code-form"' in html
    assert 'name="language"' in html  # the language switch
    assert '<html lang="kk">' in html


@pytest.mark.parametrize("typed", ["{dashed}", "{lower}", " {spaced} ", "{lower_dashed}"])
def test_spaces_dashes_and_case_do_not_matter(setting: dict, typed: str) -> None:
    code = setting["test"].code
    text = typed.format(
        dashed=codes.grouped(code),
        lower=code.lower(),
        spaced=f"{code[:4]} {code[4:]}",
        lower_dashed=codes.grouped(code).lower(),
    )
    response = Client().post("/t/", {"code": text})
    assert response.status_code == 302
    assert response["Location"] == f"/training/t/{code}/"


def test_the_code_may_also_come_in_the_address(setting: dict) -> None:
    code = setting["test"].code
    response = Client().get("/t/", {"code": codes.grouped(code).lower()})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "No test has this code"),
        ("ru", "Теста с таким кодом нет"),
        ("kk", "Мұндай коды бар тест жоқ"),
    ],
)
def test_a_wrong_code_gets_the_form_again_in_the_participants_language(
    setting: dict, lang: str, message: str
) -> None:
    phone = Client(HTTP_ACCEPT_LANGUAGE=lang)
    response = phone.post("/t/", {"code": "XCCQ-WGXA"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="test-code-form"' in html
    assert 'value="XCCQ-WGXA"' in html  # typed again without starting over
    if lang == "en" or _translated(lang):
        assert message in html


def _translated(lang: str) -> bool:
    """The Kazakh and Russian messages are checked once the catalogues are compiled."""
    from django.utils import translation

    with translation.override(lang):
        text = translation.gettext(
            "No test has this code. Check it on the screen in the room, or ask your trainer."
        )
    return not text.startswith("No test")


def test_a_wrong_code_says_the_same_whatever_the_reason(setting: dict) -> None:
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    malformed = phone.post("/t/", {"code": "0000"}).content.decode()
    unknown = phone.post("/t/", {"code": "XCCQ-WGXA"}).content.decode()
    too_long = phone.post("/t/", {"code": "X" * 39}).content.decode()
    for page in (malformed, unknown, too_long):
        assert "No test has this code" in page


def test_a_mistyped_test_link_shows_the_code_page_not_the_staff_404_page() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/training/t/XCCQWGXA/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'id="test-code-form"' in html
    assert "No test has this code" in html


def test_an_address_that_keeps_guessing_is_asked_to_wait(setting: dict) -> None:
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(public.CODE_TRIES):
        phone.post("/t/", {"code": "XCCQ-WGXA"})
    # Now even the right code is not looked up for a while.
    response = phone.post("/t/", {"code": setting["test"].code})
    assert response.status_code == 400
    assert "Too many wrong codes" in response.content.decode()


def test_an_empty_or_odd_post_is_a_clear_message_not_an_error() -> None:
    phone = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert phone.post("/t/", {"code": ""}).status_code == 400
    assert phone.post("/t/", {"code": "x" * 5000}).status_code == 400
    assert phone.post("/t/", {}).status_code == 200


def _answer_some(attempt: Attempt, how_many: int) -> dict[str, Any]:
    data: dict[str, Any] = {"item": []}
    items = attempt.items.select_related("question").prefetch_related("question__options")
    for item in list(items.order_by("position"))[:how_many]:
        data["item"].append(str(item.pk))
        options = list(item.question.options.all())
        if item.question.kind == Question.Kind.MATCHING:
            data[f"q{item.pk}-{options[0].pk}"] = str(options[0].pk)
        else:
            data[f"q{item.pk}"] = [str(options[0].pk)]
    return data


def test_submitting_with_unanswered_questions_warns_and_lists_their_numbers(setting: dict) -> None:
    test, participant = setting["test"], setting["participant"]
    phone = phone_of(participant)
    phone.post(f"/training/t/{test.code}/start/")
    attempt = Attempt.objects.get(test=test, participant=participant)

    response = phone.post(f"/training/t/{test.code}/submit/", _answer_some(attempt, 4))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="unanswered-warning"' in html
    assert "2 questions are not answered" in html
    assert '<a href="#item-pos-5">5</a>, <a href="#item-pos-6">6</a>' in html
    attempt.refresh_from_db()
    assert attempt.submitted_at is None  # not submitted behind the participant's back
    assert attempt.items.filter(response__isnull=False).count() == 4  # but the answers are kept

    confirmed = phone.post(f"/training/t/{test.code}/submit/", {"confirm": "1"})
    assert confirmed.status_code == 302
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None


def test_a_fully_answered_test_is_submitted_without_a_question(setting: dict) -> None:
    test, participant = setting["test"], setting["participant"]
    phone = phone_of(participant)
    phone.post(f"/training/t/{test.code}/start/")
    attempt = Attempt.objects.get(test=test, participant=participant)
    assert (
        phone.post(f"/training/t/{test.code}/submit/", _answer_some(attempt, 6)).status_code == 302
    )
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None


def test_multiple_choice_results_show_the_choice_next_to_the_right_answer(
    setting: dict,
) -> None:
    test, participant = setting["test"], setting["participant"]
    KnowledgeTest.objects.filter(pk=test.pk).update(question_count=60)
    phone = phone_of(participant)
    phone.post(f"/training/t/{test.code}/start/")
    attempt = Attempt.objects.get(test=test, participant=participant)
    item = (
        attempt.items.filter(question__kind=Question.Kind.MULTIPLE)
        .select_related("question")
        .first()
    )
    assert item is not None
    options = list(item.question.options.all())
    wrong = next(o for o in options if not o.is_correct)
    right = [o for o in options if o.is_correct]
    data = {"item": [str(item.pk)], f"q{item.pk}": [str(wrong.pk), str(right[0].pk)]}
    data["confirm"] = "1"
    phone.post(f"/training/t/{test.code}/submit/", data)
    html = phone.get(f"/training/t/{test.code}/").content.decode()
    section = html.split(f"<h2>{item.position}. ")[1].split("</section>")[0]
    chosen_line = section.split('class="chosen"')[1].split("</li>")[0]
    right_line = section.split('class="right-answer"')[1].split("</li>")[0]
    assert "You chose" in chosen_line
    # Option texts may hold quotes, which the page escapes («"I agreed" does not change…»).
    assert escape(wrong.text_en) in chosen_line and escape(right[0].text_en) in chosen_line
    assert "Right answer" in right_line
    for option in right:
        assert escape(option.text_en) in right_line
    assert "your choice" in section


def test_when_the_time_is_up_the_test_is_submitted_without_a_question(setting: dict) -> None:
    test, participant = setting["test"], setting["participant"]
    phone = phone_of(participant)
    phone.post(f"/training/t/{test.code}/start/")
    attempt = Attempt.objects.get(test=test, participant=participant)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=1))
    response = phone.post(f"/training/t/{test.code}/submit/", _answer_some(attempt, 2))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert attempt.items.filter(response__isnull=False).count() == 2
