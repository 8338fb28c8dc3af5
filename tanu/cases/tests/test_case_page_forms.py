"""Issue 15, 4 and 5 on the case pages: one form's errors never appear in another; the small
forms of the case page are sent in place; the consent form assumes no answer and shows the
child-only fields only for a child."""

from __future__ import annotations

import re

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.cases.models import Consent
from tanu.cases.tests.helpers import finalised_screening, open_case, signed_in
from tanu.cases.tests.test_consent_and_rights import CHILD

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _consent_form(html: str) -> str:
    found = re.search(r'<form[^>]*id="record-consent".*?</form>', html, re.S)
    assert found is not None
    return found.group(0)


def test_an_error_in_the_case_form_does_not_show_under_the_refusal_form(
    personas: Personas,
) -> None:
    screening = finalised_screening(personas.screener)
    page = signed_in("screener").post(
        f"/screenings/{screening.pk}/case/",
        {"date_of_birth": "2999-01-01", "sex": "female", "citizenship": "UZ"},
    )
    assert page.status_code == 400
    html = page.content.decode()
    refusal = html[html.index('name="declined"') :]
    assert "error" not in refusal, "the refusal form shows no error of the case form"
    assert re.search(r'<option value="unknown" selected>', refusal), "its fields are unchanged"
    assert 'value="UZ"' not in refusal
    assert html.count("data-error-summary") == 1
    assert 'href="#id_date_of_birth"' in html


def test_an_error_in_the_refusal_form_does_not_show_under_the_case_form(
    personas: Personas,
) -> None:
    screening = finalised_screening(personas.screener)
    page = signed_in("screener").post(
        f"/screenings/{screening.pk}/case/", {"declined": "1", "decline-sex": "nonsense"}
    )
    assert page.status_code == 400
    html = page.content.decode()
    case_form = html[html.index("<h1>") : html.index('name="declined"')]
    assert 'class="field has-error"' not in case_form
    assert 'href="#id_decline-sex"' in html


def test_the_consent_form_assumes_no_answer(personas: Personas) -> None:
    case = open_case(personas.screener)
    form = _consent_form(signed_in("screener").get(f"/cases/{case.pk}/").content.decode())
    answers = re.findall(r'<input type="radio" name="given"[^>]*>', form)
    assert len(answers) == 2
    assert not any("checked" in answer for answer in answers)


def test_an_adult_consent_form_shows_no_child_only_field_and_a_childs_does(
    personas: Personas,
) -> None:
    client = signed_in("screener")
    adult = open_case(personas.screener)
    form = _consent_form(client.get(f"/cases/{adult.pk}/").content.decode())
    assert 'name="guardian"' not in form and 'name="best_interests_reason"' not in form
    assert 'value="guardian"' not in form and 'value="best_interests"' not in form
    child = open_case(personas.screener, age_group="child", age_years=15, codes=CHILD)
    form = _consent_form(client.get(f"/cases/{child.pk}/").content.decode())
    assert 'name="guardian"' in form and 'name="best_interests_reason"' in form
    assert 'value="person"' not in form


def test_a_consent_with_an_error_comes_back_in_place_with_what_was_typed(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    client = signed_in("screener")
    answer = client.post(
        f"/cases/{case.pk}/consents/",
        {"purpose": "referral", "shared_fields": ["name", "contacts"], "language": "uz"},
        **HTMX,
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert html.lstrip().startswith("<form") and 'id="record-consent"' in html
    assert "data-error-summary" in html and 'href="#id_consent_given_0"' in html
    assert re.search(r'value="contacts"[^>]*checked', html), "the fields chosen are kept"
    assert re.search(r'<option value="uz" selected>', html)
    assert not Consent.objects.exists()


def test_a_consent_refused_by_the_rules_shows_why_in_the_form(personas: Personas) -> None:
    case = open_case(personas.screener)
    answer = signed_in("screener").post(
        f"/cases/{case.pk}/consents/",
        {"purpose": "referral", "given": "1", "basis": "person", "language": "ru"},
        **HTMX,
    )
    assert answer.status_code == 400
    summary = answer.content.decode().split("data-error-summary", 1)[1]
    assert "Name the service (or the agency) the consent to share covers." in summary


def test_a_case_note_and_a_status_with_errors_come_back_in_place(personas: Personas) -> None:
    case = open_case(personas.screener)
    client = signed_in("screener")
    note = client.post(f"/cases/{case.pk}/notes/", {"text": "  "}, **HTMX)
    assert note.status_code == 400 and 'id="note-form"' in note.content.decode()
    status = client.post(
        f"/cases/{case.pk}/status/",
        {"status": "closed", "closure_reason": "", "revision": case.revision},
        **HTMX,
    )
    html = status.content.decode()
    assert status.status_code == 400 and 'id="status-form"' in html
    assert "data-error-summary" in html
    saved = client.post(f"/cases/{case.pk}/notes/", {"text": "Called the shelter."}, **HTMX)
    assert saved["HX-Redirect"] == f"/cases/{case.pk}/"
