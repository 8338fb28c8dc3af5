"""Issue 15, section 2: the screening on a phone.

One dimension at a time (every dimension is a section with its heading and real buttons to the
next and previous one; the page script shows one at a time on small screens), a progress count,
the outcome in a compact bar that the htmx answer response updates out of band, each answer's
save state, and no "save answers" button when answers already save themselves."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from django.utils import translation
from django.utils.translation import ngettext

from tanu.accounts.tests.personas import Personas
from tanu.identification.models import Screening
from tanu.identification.tests.test_screening_pages import PRESUMED, signed_in, start

pytestmark = pytest.mark.django_db

DIMENSIONS = 6
ADULT_QUESTIONS = 67


def page_of(client: object, screening: Screening) -> str:
    response = client.get(f"/screenings/{screening.pk}/")  # type: ignore[attr-defined]
    assert response.status_code == 200
    return response.content.decode()


def answer(client: object, screening: Screening, **answers: str) -> str:
    response = client.post(  # type: ignore[attr-defined]
        f"/screenings/{screening.pk}/answers/",
        {f"ans-{code.replace('_', '-')}": value for code, value in answers.items()},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    return response.content.decode()


def bar(page: str) -> str:
    match = re.search(r'<section class="screening-bar".*?</section>', page, re.S)
    assert match, "no compact outcome bar"
    return match.group(0)


def test_the_page_counts_the_questions_asked(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    assert "0 of 67 questions asked" in bar(page_of(client, screening))
    answer(client, screening, AL_DR_01="observed")
    answer(client, screening, AL_DR_02="not_observed")
    answer(client, screening, AL_EC_01="declined")  # put to the person: asked
    answer(client, screening, AL_EC_02="observed")
    answer(client, screening, AL_EC_02="unknown")  # taken back: not asked
    status = bar(page_of(client, screening))
    assert "3 of 67 questions asked" in status
    assert f'data-asked="3" data-total="{ADULT_QUESTIONS}"' in status


def test_a_person_of_unknown_form_is_asked_both_lists_and_the_count_says_so(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    screening = start(client, form="unknown")
    assert f"0 of {2 * ADULT_QUESTIONS} questions asked" in bar(page_of(client, screening))


@pytest.mark.parametrize(
    ("language", "asked", "total", "expected"),
    [
        ("ru", 12, 67, "Задано: 12 из 67 вопросов"),
        ("ru", 12, 21, "Задано: 12 из 21 вопроса"),
        ("ru", 1, 2, "Задано: 1 из 2 вопросов"),
        ("kk", 12, 67, "Қойылған сұрақ: 67 ішінен 12"),
        ("kk", 1, 1, "Қойылған сұрақ: 1 ішінен 1"),
    ],
)
def test_the_count_is_worded_for_the_number_in_russian_and_kazakh(
    language: str, asked: int, total: int, expected: str
) -> None:
    with translation.override(language):
        text = ngettext(
            "%(asked)s of %(total)s question asked",
            "%(asked)s of %(total)s questions asked",
            total,
        ) % {"asked": asked, "total": total}
    assert text == expected


def test_the_bar_shows_not_yet_assessed_then_the_outcome_and_is_a_polite_live_region(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    screening = start(client)
    status = bar(page_of(client, screening))
    assert 'data-outcome="not_assessed"' in status
    assert 'data-outcome="no_indication"' not in status
    assert re.search(r'id="screening-bar-status"[^>]*aria-live="polite"', status)
    for code in PRESUMED:
        answer(client, screening, **{code.replace("-", "_"): "observed"})
    assert 'data-outcome="presumed_victim"' in bar(page_of(client, screening))


def test_each_answer_updates_the_bar_out_of_band_in_the_same_response(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    body = ""
    for code in PRESUMED:
        body = answer(client, screening, **{code.replace("-", "_"): "observed"})
    assert body.startswith('<section id="assessment"')  # the panel, as before
    oob = re.search(r'<p id="screening-bar-status" hx-swap-oob="innerHTML">(.*?)</p>', body, re.S)
    assert oob, "the bar is not updated out of band"
    assert 'data-outcome="presumed_victim"' in oob.group(1)
    assert f"{len(PRESUMED)} of 67 questions asked" in oob.group(1)
    assert '<p id="screening-bar-next" hx-swap-oob="innerHTML">' in body


def test_the_bar_leads_to_the_next_decisive_question(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    body = answer(client, screening, AL_DR_01="observed", AL_DR_02="observed")
    screening.refresh_from_db()
    first = screening.result["decisive"][0]
    assert f'<a href="#ind-{first}" class="goto-question"' in body
    assert f'<a href="#ind-{first}" class="goto-question"' in bar(page_of(client, screening))
    assert f'id="ind-{first}"' in page_of(client, screening)


def test_each_dimension_is_a_section_with_a_focusable_heading_and_real_buttons(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    screening = start(client)
    page = page_of(client, screening)
    sections = re.findall(
        r'<section class="dimension" id="dim-([a-z_]+)" aria-labelledby="dim-\1-h">', page
    )
    assert len(sections) == DIMENSIONS
    for key in sections:
        assert f'<h2 id="dim-{key}-h" tabindex="-1">' in page
    assert "Part 1 of 6" in page and "Part 6 of 6" in page
    # Next and back are buttons (not links); the last one leads to the assessment.
    for before, after in pairwise(sections):
        assert f'<button type="button" class="primary" data-goto="dim-{after}">' in page
        assert f'<button type="button" data-goto="dim-{before}">' in page
    assert '<button type="button" class="primary" data-goto="assessment">' in page
    # Without JavaScript the buttons stay hidden and every dimension shows.
    assert page.count('<div class="dimension-nav" hidden>') == DIMENSIONS
    assert 'class="dimension current"' not in page
    assert '<script src="/static/tanu/screening.js" defer></script>' in page


def test_every_question_is_a_fieldset_with_a_legend_and_a_save_state(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    page = page_of(client, screening)
    groups = re.findall(
        r'<div class="indicator" id="ind-[A-Z0-9-]+".*?<fieldset class="choices">\s*<legend>'
        r'.*?</fieldset>\s*<p class="save-state" aria-live="polite"></p>',
        page,
        re.S,
    )
    assert len(groups) == ADULT_QUESTIONS
    assert 'data-saving="Saving…"' in page
    assert 'data-failed="Not saved. Check the connection and try again."' in page


def test_the_save_button_shows_only_without_javascript(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    page = page_of(client, screening)
    assert page.count("Save answers") == 1
    assert re.search(
        r'<noscript><p><button type="submit" class="no-js-save">Save answers</button></p></noscript>',
        page,
    )
    # The whole form still saves without JavaScript.
    response = client.post(
        f"/screenings/{screening.pk}/answers/",
        {"revision": screening.revision, "ans-AL-DR-01": "observed"},
    )
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.answers == {"AL-DR-01": "observed"}


def test_an_answer_the_server_did_not_keep_is_flagged_for_the_page(personas: Personas) -> None:
    client = signed_in("screener")
    screening = start(client)
    ok = client.post(
        f"/screenings/{screening.pk}/answers/", {"ans-AL-DR-01": "observed"}, HTTP_HX_REQUEST="true"
    )
    assert "HX-Trigger" not in ok
    screening.refresh_from_db()
    client.post(
        f"/screenings/{screening.pk}/finalise/",
        {"judgement": "agree", "revision": screening.revision, "stop_reason": "declined"},
    )
    screening.refresh_from_db()
    assert screening.status == "final"
    refused = client.post(
        f"/screenings/{screening.pk}/answers/", {"ans-AL-DR-02": "observed"}, HTTP_HX_REQUEST="true"
    )
    assert refused["HX-Trigger"] == "tanu-answer-not-saved"
    assert 'role="alert"' in refused.content.decode()
    screening.refresh_from_db()
    assert "AL-DR-02" not in screening.answers


def test_on_the_phone_layout_the_questions_come_before_the_panel_but_not_once_final(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    screening = start(client)
    page = page_of(client, screening)
    assert page.index('id="answers-form"') < page.index('id="assessment"')
    assert page.index('id="assessment"') < page.index('id="finalise-form"')
    screening.refresh_from_db()
    client.post(
        f"/screenings/{screening.pk}/finalise/",
        {"judgement": "agree", "revision": screening.revision, "stop_reason": "declined"},
    )
    page = page_of(client, screening)
    assert 'id="answers-form"' not in page
    assert 'class="screening-bar"' not in page
    assert 'id="assessment"' in page
