from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tanu.accounts.tests.factories import AgencyFactory, UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.cases.models import Consent, Note
from tanu.cases.tests.helpers import open_case, signed_in
from tanu.referrals import actions
from tanu.referrals.models import Notification, Referral, Service

pytestmark = pytest.mark.django_db


def shelter_service(personas: Personas) -> Service:
    service, _ = Service.objects.get_or_create(
        region=personas.shelter.region,
        name_en="Almaty shelter",
        defaults={
            "kind": "shelter",
            "agency": personas.shelter,
            "name_ru": "Приют Алматы",
            "name_kk": "Алматы баспанасы",
        },
    )
    return service


def consent(
    case, personas: Personas, purpose: str = "referral", service: Service | None = None
) -> Consent:
    return Consent.objects.create(
        case=case,
        purpose=purpose,
        service=service or shelter_service(personas),
        shared_fields=["case_number", "sex", "age_band", "languages", "name", "documents"],
        given=True,
        basis="person",
        language="ru",
        recorded_by=personas.screener,
    )


def refer(case, personas: Personas, **extra: object) -> Referral:
    kwargs = {
        "service": shelter_service(personas),
        "purpose": "Safe accommodation",
        "urgency": "urgent",
        "shared_fields": ["sex", "age_band", "languages"],
        "consent": consent(case, personas),
    }
    kwargs.update(extra)
    return actions.do_send_referral(case, actor=personas.screener, **kwargs)


def test_no_referral_without_consent_unless_an_exception_is_recorded(personas: Personas) -> None:
    case = open_case(personas.screener)
    service = shelter_service(personas)
    with pytest.raises(actions.ReferralError, match="consent"):
        actions.do_send_referral(
            case,
            actor=personas.screener,
            service=service,
            purpose="Shelter",
            urgency="routine",
            shared_fields=[],
            consent=None,
        )
    with pytest.raises(actions.ReferralError, match="reason"):
        actions.do_send_referral(
            case,
            actor=personas.screener,
            service=service,
            purpose="Shelter",
            urgency="routine",
            shared_fields=[],
            consent=None,
            consent_exception="risk_to_life",
            exception_reason="",
        )
    withdrawn = consent(case, personas)
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    with pytest.raises(actions.ReferralError):
        actions.do_send_referral(
            case,
            actor=personas.screener,
            service=service,
            purpose="Shelter",
            urgency="routine",
            shared_fields=[],
            consent=withdrawn,
        )
    assert not Referral.objects.exists()
    referral = actions.do_send_referral(
        case,
        actor=personas.screener,
        service=service,
        purpose="Shelter",
        urgency="emergency",
        shared_fields=[],
        consent=None,
        consent_exception="risk_to_life",
        exception_reason="Threats from the employer tonight; no time to explain consent.",
    )
    assert referral.consent_exception == "risk_to_life"


def test_a_consent_for_assistance_does_not_cover_a_referral(personas: Personas) -> None:
    case = open_case(personas.screener)
    with pytest.raises(actions.ReferralError, match="another purpose"):
        refer(case, personas, consent=consent(case, personas, purpose="law_enforcement"))


def test_the_receiving_agency_sees_exactly_the_shared_fields(personas: Personas) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    page = signed_in("caseworker").get(f"/referrals/{referral.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert case.number in body
    for secret in ("Канарьева", "Жанар", "N12345678", "+7 701", "Примерная"):
        assert secret not in body
    assert "female" in body
    # ... and the full case file stays closed to the shelter.
    assert signed_in("caseworker").get(f"/cases/{case.pk}/").status_code == 404


def test_sharing_the_name_shows_the_name_and_nothing_more(personas: Personas) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas, shared_fields=["name"])
    shelter = signed_in("caseworker")
    assert "Канарьева" not in shelter.get(f"/referrals/{referral.pk}/").content.decode()
    shelter.post(f"/referrals/{referral.pk}/reveal/", {"reason": "placing her in the shelter"})
    body = shelter.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Канарьева" in body
    assert "N12345678" not in body


def test_the_receiving_agency_sees_nothing_of_other_referrals(personas: Personas) -> None:
    case = open_case(personas.screener)
    refer(case, personas)
    ngo_agency = AgencyFactory(region=personas.police.region, kind="ngo", name_en="Legal aid NGO")
    other_service = Service.objects.create(
        kind="legal_aid",
        region=ngo_agency.region,
        agency=ngo_agency,
        name_en="Legal aid",
        name_ru="Юр. помощь",
        name_kk="Заң көмегі",
    )
    other = refer(
        case,
        personas,
        service=other_service,
        consent=consent(case, personas, service=other_service),
    )
    client = signed_in("caseworker")
    assert client.get(f"/referrals/{other.pk}/").status_code == 404
    listing = client.get("/referrals/").content.decode()
    assert f"#{other.pk}<" not in listing


def test_declining_needs_a_reason(personas: Personas) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    client = signed_in("caseworker")
    refused = client.post(
        f"/referrals/{referral.pk}/status/", {"status": "declined", "reason": ""}, follow=True
    )
    assert "Give the reason for declining." in refused.content.decode()
    referral.refresh_from_db()
    assert referral.status == "sent"
    client.post(
        f"/referrals/{referral.pk}/status/", {"status": "declined", "reason": "No places left"}
    )
    referral.refresh_from_db()
    assert referral.status == "declined" and referral.decline_reason == "No places left"


def test_only_the_recipient_accepts_and_only_the_sender_withdraws(personas: Personas) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    with pytest.raises(actions.ReferralError):
        actions.do_change_referral_status(referral, actor=personas.screener, status="accepted")
    with pytest.raises(actions.ReferralError):
        actions.do_change_referral_status(referral, actor=personas.caseworker, status="withdrawn")
    actions.do_change_referral_status(referral, actor=personas.caseworker, status="accepted")
    referral.refresh_from_db()
    case.refresh_from_db()
    assert referral.status == "accepted"
    assert case.status == "in_assistance"
    assert [e.status for e in referral.events.all()] == ["sent", "accepted"]


def test_the_overdue_alert_fires_once_a_day_for_both_agencies(personas: Personas) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    personas.caseworker.email = "shelter@example.kz"
    personas.caseworker.save()
    assert actions.do_send_overdue_alerts() == 0
    Referral.objects.filter(pk=referral.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    mail.outbox.clear()
    assert actions.do_send_overdue_alerts() == 1
    assert actions.do_send_overdue_alerts() == 0
    kinds = set(
        Notification.objects.filter(kind="referral_overdue").values_list(
            "user__username", flat=True
        )
    )
    assert {"caseworker", "screener"} <= kinds
    assert len(mail.outbox) == 1
    assert "overdue" in signed_in("screener").get(f"/cases/{case.pk}/referrals/").content.decode()


def test_emails_carry_no_personal_data_only_a_link(personas: Personas) -> None:
    personas.caseworker.email = "shelter@example.kz"
    personas.caseworker.save()
    mail.outbox.clear()
    case = open_case(personas.screener)
    referral = refer(case, personas, shared_fields=["name", "documents"])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    text = message.subject + message.body
    for secret in ("Канарьева", "Жанар", "Zhanar", "N12345678", case.number):
        assert secret not in text
    assert f"/referrals/{referral.pk}/" in text


def test_the_screener_cannot_read_the_shelters_notes(personas: Personas) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    shelter = signed_in("caseworker")
    shelter.post(
        f"/referrals/{referral.pk}/notes/", {"text": "Shelter note: trauma counselling booked"}
    )
    assert Note.objects.filter(agency=personas.shelter).count() == 1
    assert "Shelter note" in shelter.get(f"/referrals/{referral.pk}/").content.decode()
    screener = signed_in("screener")
    assert "Shelter note" not in screener.get(f"/cases/{case.pk}/").content.decode()
    assert "Shelter note" not in screener.get(f"/referrals/{referral.pk}/").content.decode()


@pytest.mark.parametrize(
    "lang,word", [("kk", "Жолдама"), ("ru", "Направление"), ("en", "Referral slip")]
)
def test_referral_slips_render_in_three_languages_with_only_the_shared_fields(
    personas: Personas, lang: str, word: str
) -> None:
    from pypdf import PdfReader

    case = open_case(personas.screener)
    referral = refer(case, personas, shared_fields=["name"])
    response = signed_in("screener").get(f"/referrals/{referral.pk}/slip.pdf?lang={lang}")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert word.lower() in text.lower()
    assert "Канарьева" in text
    assert "N12345678" not in text
    assert signed_in("caseworker").get(f"/referrals/{referral.pk}/slip.pdf").status_code == 404


def test_a_negative_decision_on_a_presumed_victim_needs_an_independent_second_reviewer(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    decision = actions.do_record_decision(
        case,
        actor=personas.screener,
        status="not_identified",
        reasons="The account could not be corroborated by the employer's records.",
    )
    assert decision.review == "awaiting" and not decision.stands
    with pytest.raises(actions.ReferralError, match="another person"):
        actions.do_review_decision(
            decision,
            actor=personas.screener,
            confirm=True,
            reasons="I stand by my own decision here.",
        )
    client = signed_in("coordinator")
    client.post(
        f"/cases/{case.pk}/decisions/{decision.pk}/review/",
        {"confirm": "0", "reasons": "Indicators of coercion were not weighed."},
    )
    decision.refresh_from_db()
    assert decision.review == "overturned" and decision.reviewed_by == personas.coordinator
    positive = actions.do_record_decision(
        case,
        actor=personas.screener,
        status="identified",
        reasons="Corroborated by the labour inspectorate.",
    )
    assert positive.stands


def test_recipients_record_services_and_the_case_timeline_shows_them(personas: Personas) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    shelter = signed_in("caseworker")
    shelter.post(f"/referrals/{referral.pk}/status/", {"status": "accepted"})
    shelter.post(
        f"/referrals/{referral.pk}/services/",
        {
            "kind": "shelter",
            "given_on": timezone.localdate().isoformat(),
            "description": "Room given",
        },
    )
    shelter.post(f"/referrals/{referral.pk}/status/", {"status": "completed"})
    referral.refresh_from_db()
    assert referral.status == "completed"
    page = signed_in("screener").get(f"/cases/{case.pk}/").content.decode()
    assert "Almaty shelter" in page and "completed" in page


def test_an_outsider_gets_404_on_every_referral_page(personas: Personas) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    outsider = signed_in("outsider")
    for url in (
        f"/referrals/{referral.pk}/",
        f"/referrals/{referral.pk}/slip.pdf",
        f"/cases/{case.pk}/refer/",
    ):
        assert outsider.get(url).status_code == 404
    other_shelter_worker = UserFactory(
        username="aktau_shelter", role="case_worker", agency=personas.aktau_police
    )
    assert other_shelter_worker.pk
    assert signed_in("aktau_shelter").get(f"/referrals/{referral.pk}/").status_code == 404
