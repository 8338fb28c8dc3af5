"""The quick triage in a child's words: plain, informal, and asking the same questions."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from tanu.accounts.tests.personas import Personas
from tanu.identification.checklist_files import load_triage
from tanu.identification.tests.test_screening_pages import signed_in

QUESTIONS = load_triage()["questions"]
# The polite «вы» / «сіз» in any form; a child is addressed as «ты» / «сен».
POLITE = {
    "ru": re.compile(r"(?<!\w)(вы|вас|вам|вами|ваш\w*)(?!\w)", re.IGNORECASE),
    "kk": re.compile(r"(?<!\w)сіз\w*", re.IGNORECASE),
}
INFORMAL = {
    "ru": re.compile(r"(?<!\w)(ты|тебя|тебе|тобой|тво\w+)(?!\w)", re.IGNORECASE),
    "kk": re.compile(r"(?<!\w)(сен|сені|саған|сенің|сенен|сенімен)(?!\w)|ың(?!\w)|ің(?!\w)|ңыз"),
}


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["code"] for q in QUESTIONS])
def test_every_triage_question_has_a_child_version_in_three_languages(question: dict) -> None:
    child = question["child"]
    assert {"kk", "ru", "en"} <= set(child)
    for language in ("kk", "ru", "en"):
        assert child[language].strip()
        assert child[language] != question["text"][language]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_child_version_never_uses_the_polite_form(language: str) -> None:
    polite = [q["code"] for q in QUESTIONS if POLITE[language].search(q["child"][language])]
    assert polite == []


def test_the_russian_child_version_speaks_to_the_child_as_ты() -> None:
    informal = [q for q in QUESTIONS if INFORMAL["ru"].search(q["child"]["ru"])]
    assert len(informal) >= len(QUESTIONS) // 2


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_triage_page_asks_a_child_in_the_childs_words(
    personas: Personas, language: str
) -> None:
    client = signed_in("screener", language)
    page = client.get("/triage/?for=child").content.decode()
    adult = client.get("/triage/").content.decode()
    first = QUESTIONS[0]
    assert escape(first["child"][language]) in page
    assert escape(first["text"][language]) not in page
    assert escape(first["text"][language]) in adult
    assert 'href="/triage/?for=child" aria-current="page"' in page


@pytest.mark.django_db
def test_a_yes_from_a_child_calls_for_a_full_screening(personas: Personas) -> None:
    client = signed_in("screener")
    some = client.post("/triage/?for=child", {QUESTIONS[0]["code"]: "yes"}).content.decode()
    assert "A full screening is needed." in some
    assert escape(QUESTIONS[0]["child"]["en"]) in some


@pytest.mark.django_db
def test_the_printed_triage_for_a_child_has_the_childs_questions(personas: Personas) -> None:
    client = signed_in("screener")
    page = client.get("/triage/blank/?for=child&lang=ru").content.decode()
    assert all(escape(q["child"]["ru"]) in page for q in QUESTIONS)
