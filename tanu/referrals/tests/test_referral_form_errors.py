"""Issue 15, 4: a form with an error shows a summary at the top, linking to its fields; the small
forms of the referral page are sent in place by htmx and keep what was typed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.cases.models import Note
from tanu.cases.tests.helpers import open_case, signed_in
from tanu.referrals.models import Referral, ServiceRecord
from tanu.referrals.tests.test_referrals import refer, shelter_service

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def accepted_referral(personas: Personas) -> Referral:
    referral = refer(open_case(personas.screener), personas)
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.ACCEPTED)
    referral.refresh_from_db()
    return referral


def test_a_referral_form_with_errors_shows_a_summary_above_the_heading_linking_to_each_field(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    service = shelter_service(personas)
    page = signed_in("screener").post(
        f"/cases/{case.pk}/refer/",
        {"service": service.pk, "purpose": "", "urgency": "urgent", "due_date": "2020-01-01"},
    )
    assert page.status_code == 400
    html = page.content.decode()
    summary = html.index("data-error-summary")
    assert summary < html.index("<h1>"), "the summary is at the top of the page"
    assert 'tabindex="-1"' in html[summary - 200 : summary + 200]
    assert 'href="#id_purpose"' in html
    assert 'href="#id_due_date"' in html
    assert 'href="#id_consent_exception"' in html
    assert "The answer cannot be due before today." in html


def test_an_error_of_the_whole_form_is_in_the_summary(personas: Personas) -> None:
    case = open_case(personas.screener)
    service = shelter_service(personas)
    page = signed_in("screener").post(
        f"/cases/{case.pk}/refer/",
        {
            "service": service.pk,
            "purpose": "Shelter",
            "urgency": "urgent",
            "consent_exception": "risk_to_life",
            "exception_reason": "short",
        },
    )
    assert page.status_code == 400
    html = page.content.decode()
    summary = html[html.index("data-error-summary") : html.index("<h1>")]
    assert "Record the reason for referring without consent." in summary


def test_a_note_with_an_error_comes_back_alone_with_the_text_typed_and_status_400(
    personas: Personas,
) -> None:
    referral = refer(open_case(personas.screener), personas)
    client = signed_in("caseworker")
    typed = "Met the person at the station. " * 400  # longer than a note may be
    answer = client.post(f"/referrals/{referral.pk}/notes/", {"text": typed}, **HTMX)
    assert answer.status_code == 400
    html = answer.content.decode()
    assert html.lstrip().startswith("<form") and "<html" not in html
    assert 'id="note-form"' in html and 'hx-target="this"' in html
    assert typed.strip() in html, "what was typed is kept"
    assert "data-error-summary" in html and 'href="#id_text"' in html
    assert not Note.objects.exists()
    # Without JavaScript the form posts as before: back to the page, the error as a message.
    plain = client.post(f"/referrals/{referral.pk}/notes/", {"text": ""})
    assert plain.status_code == 302
    assert "The note is empty." in client.get(plain["Location"]).content.decode()


def test_a_note_sent_by_htmx_reloads_the_page_once_saved(personas: Personas) -> None:
    referral = refer(open_case(personas.screener), personas)
    answer = signed_in("caseworker").post(
        f"/referrals/{referral.pk}/notes/", {"text": "Arrived at the shelter."}, **HTMX
    )
    assert answer.status_code == 200
    assert answer["HX-Redirect"] == f"/referrals/{referral.pk}/"
    assert Note.objects.count() == 1


def test_a_service_given_with_an_error_keeps_what_was_done(personas: Personas) -> None:
    referral = accepted_referral(personas)
    tomorrow = timezone.localdate() + timedelta(days=1)
    answer = signed_in("caseworker").post(
        f"/referrals/{referral.pk}/services/",
        {"kind": "shelter", "given_on": tomorrow.isoformat(), "description": "Bed and meals"},
        **HTMX,
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Bed and meals" in html and "The date cannot be in the future." in html
    assert 'href="#id_given_on"' in html
    assert not ServiceRecord.objects.exists()


def test_declining_without_a_reason_by_htmx_keeps_the_decline_form_in_place(
    personas: Personas,
) -> None:
    referral = refer(open_case(personas.screener), personas)
    answer = signed_in("caseworker").post(
        f"/referrals/{referral.pk}/status/", {"status": "declined", "reason": ""}, **HTMX
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert 'id="decline-form"' in html and "Give the reason for declining." in html
    assert 'href="#id_decline_reason"' in html
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT


def test_the_small_forms_of_the_referral_page_are_sent_in_place(personas: Personas) -> None:
    referral = refer(open_case(personas.screener), personas)
    page = signed_in("caseworker").get(f"/referrals/{referral.pk}/").content.decode()
    for name in ("decline", "note", "feedback"):
        form = re.search(rf'<form[^>]*id="{name}-form"[^>]*>', page)
        assert form is not None, name
        assert "hx-post=" in form.group(0) and "data-swap-on-error" in form.group(0)
    # The reveal form and the decline form no longer share the id of their "reason".
    assert page.count('id="id_reason"') <= 1
