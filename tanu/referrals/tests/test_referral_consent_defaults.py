"""Issue 15, 5: the referral form shows the consents in force and links to recording one; no
default assumes consent; a deadline before today is refused; defaults follow the referral."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tanu.accounts.models import Role
from tanu.accounts.tests.factories import UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import open_case, signed_in
from tanu.referrals import actions
from tanu.referrals.models import Referral
from tanu.referrals.tests.test_referral_consent import almaty_legal_aid, record_consent
from tanu.referrals.tests.test_referrals import shelter_service

pytestmark = pytest.mark.django_db


def _select(html: str, name: str) -> str:
    found = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert found is not None, name
    return found.group(1)


def _selected(options: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"[^>]*selected', options)


def test_the_referral_form_says_no_consent_is_recorded_and_links_to_recording_one(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    html = signed_in("screener").get(f"/cases/{case.pk}/refer/").content.decode()
    assert "No consent to a referral is recorded for this case." in html
    assert f'href="/cases/{case.pk}/#record-consent"' in html
    case_page = signed_in("screener").get(f"/cases/{case.pk}/").content.decode()
    assert 'id="record-consent"' in case_page, "the link reaches the consent form"


def test_the_referral_form_lists_each_consent_in_force_with_its_service_and_fields(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    service = shelter_service(personas)
    record_consent(case, personas, service=service, shared_fields=["name", "contacts"])
    record_consent(case, personas, agency=personas.shelter)
    html = signed_in("screener").get(f"/cases/{case.pk}/refer/").content.decode()
    start = html.index('data-testid="consents-in-force"')
    section = html[start : html.index("</section>", start)]
    assert "No consent to a referral" not in section
    assert service.name_en in section and "name, contacts" in section
    assert f"every service of {personas.shelter.name}" in section


def test_the_exception_to_consent_assumes_nothing_and_must_be_chosen_without_a_consent(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    service = shelter_service(personas)
    client = signed_in("screener")
    html = client.get(f"/cases/{case.pk}/refer/").content.decode()
    options = _select(html, "consent_exception")
    assert "consent was recorded" not in options
    assert _selected(options) in ([], [""])
    assert re.search(r'<option value=""[^>]*>— choose —</option>', options)
    # An adult's case offers no child exception.
    assert 'value="child"' not in options
    answer = client.post(
        f"/cases/{case.pk}/refer/",
        {"service": service.pk, "purpose": "Shelter", "urgency": "urgent"},
    )
    assert answer.status_code == 400
    assert "No consent is chosen" in answer.content.decode()
    answer = client.post(
        f"/cases/{case.pk}/refer/",
        {
            "service": service.pk,
            "purpose": "Shelter",
            "urgency": "urgent",
            "consent_exception": "none",
        },
    )
    assert answer.status_code == 400
    assert "Choose the recorded consent this referral relies on." in answer.content.decode()
    assert not Referral.objects.exists()


def test_a_chosen_consent_sends_the_referral_without_an_exception(personas: Personas) -> None:
    case = open_case(personas.screener)
    service = shelter_service(personas)
    consent = record_consent(case, personas, service=service)
    answer = signed_in("screener").post(
        f"/cases/{case.pk}/refer/",
        {
            "service": service.pk,
            "purpose": "Shelter",
            "urgency": "urgent",
            "consent": consent.pk,
            "consent_exception": "none",
        },
    )
    assert answer.status_code == 302
    referral = Referral.objects.get()
    assert referral.consent == consent and referral.consent_exception == ""


def test_an_answer_due_before_today_is_refused_and_today_is_allowed(personas: Personas) -> None:
    case = open_case(personas.screener)
    service = shelter_service(personas)
    consent = record_consent(case, personas, service=service)
    today = timezone.localdate()
    client = signed_in("screener")
    data = {
        "service": service.pk,
        "purpose": "Shelter",
        "urgency": "emergency",
        "consent": consent.pk,
    }
    yesterday = client.post(
        f"/cases/{case.pk}/refer/", {**data, "due_date": (today - timedelta(days=1)).isoformat()}
    )
    assert yesterday.status_code == 400
    assert "The answer cannot be due before today." in yesterday.content.decode()
    assert not Referral.objects.exists()
    with pytest.raises(actions.ReferralError):
        actions.do_send_referral(
            case,
            actor=personas.screener,
            service=service,
            purpose="Shelter",
            urgency="urgent",
            shared_fields=[],
            consent=consent,
            due_date=today - timedelta(days=1),
        )
    same_day = client.post(f"/cases/{case.pk}/refer/", {**data, "due_date": today.isoformat()})
    assert same_day.status_code == 302
    assert Referral.objects.get().due_date == today


def test_the_service_given_defaults_to_the_kind_of_service_referred_to(personas: Personas) -> None:
    case = open_case(personas.screener)
    legal_aid = almaty_legal_aid(personas)
    referral = actions.do_send_referral(
        case,
        actor=personas.screener,
        service=legal_aid,
        purpose="Legal advice",
        urgency="routine",
        shared_fields=[],
        consent=None,
        consent_exception="risk_to_life",
        exception_reason="Threats tonight, no time for consent.",
    )
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.ACCEPTED)
    UserFactory(username="ngo_lawyer", role=Role.CASE_WORKER, agency=legal_aid.agency)
    html = signed_in("ngo_lawyer").get(f"/referrals/{referral.pk}/").content.decode()
    assert _selected(_select(html, "kind")) == ["legal_aid"]
