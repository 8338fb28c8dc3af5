"""A consent to a referral covers a named service (or agency) and named fields; the API applies
exactly the rules of the form. The purpose and the reason for declining are stored encrypted."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from tanu.accounts.models import Region
from tanu.accounts.tests.factories import AgencyFactory
from tanu.accounts.tests.personas import Personas
from tanu.cases import actions as case_actions
from tanu.cases.models import Case, Consent
from tanu.cases.tests.helpers import open_case, signed_in
from tanu.referrals import actions
from tanu.referrals.models import Referral, Service
from tanu.referrals.tests.test_referral_sharing import api
from tanu.referrals.tests.test_referrals import shelter_service

pytestmark = pytest.mark.django_db


def aktau_shelter() -> Service:
    agency = AgencyFactory(region=Region.objects.get(code="KZ-47"), kind="shelter")
    return Service.objects.create(
        kind="shelter",
        region=agency.region,
        agency=agency,
        name_en="Aktau shelter",
        name_ru="Приют Актау",
        name_kk="Ақтау баспанасы",
    )


def almaty_legal_aid(personas: Personas) -> Service:
    ngo = AgencyFactory(region=personas.police.region, kind="ngo", name_en="Legal aid NGO")
    return Service.objects.create(
        kind="legal_aid",
        region=ngo.region,
        agency=ngo,
        name_en="Legal aid",
        name_ru="Юр. помощь",
        name_kk="Заң көмегі",
    )


def record_consent(case: Case, personas: Personas, **covers: Any) -> Consent:
    return case_actions.do_record_consent(
        case,
        actor=personas.screener,
        purpose="referral",
        given=True,
        basis="person",
        language="ru",
        interpreter_used=False,
        **covers,
    )


def post_referral(case: Case, service: Service, consent: Consent, fields: list[str]) -> Any:
    client, auth = api("screener")
    return client.post(
        "/api/v1/referrals/",
        {
            "case": case.pk,
            "service": service.pk,
            "purpose": "Shelter",
            "urgency": "urgent",
            "shared_fields": fields,
            "consent": consent.pk,
        },
        content_type="application/json",
        **auth,
    )


def test_a_consent_naming_the_almaty_shelter_does_not_send_the_person_elsewhere(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    consent = record_consent(
        case, personas, service=shelter_service(personas), shared_fields=["name", "documents"]
    )
    every_field = ["name", "documents", "contacts", "address", "date_of_birth"]
    elsewhere = post_referral(case, aktau_shelter(), consent, every_field)
    assert elsewhere.status_code == 400
    assert "does not serve the case's region" in elsewhere.json()["detail"]
    other_service = post_referral(case, almaty_legal_aid(personas), consent, ["name"])
    assert other_service.status_code == 400
    assert "does not cover this service" in other_service.json()["detail"]
    assert not Referral.objects.exists()


def test_a_referral_sharing_more_than_the_consent_covers_is_refused_by_api_and_form_alike(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    service = shelter_service(personas)
    consent = record_consent(case, personas, service=service, shared_fields=["name"])
    response = post_referral(case, service, consent, ["name", "documents", "contacts"])
    assert response.status_code == 400
    message = "The consent recorded does not cover sharing: identity documents, contacts."
    assert response.json()["detail"] == message
    form = signed_in("screener").post(
        f"/cases/{case.pk}/refer/",
        {
            "service": service.pk,
            "purpose": "Shelter",
            "urgency": "urgent",
            "shared_fields": ["name", "documents", "contacts"],
            "consent": consent.pk,
        },
    )
    assert form.status_code == 400
    assert message in form.content.decode()
    assert not Referral.objects.exists()
    sent = post_referral(case, service, consent, ["name", "sex"])
    assert sent.status_code == 201, sent.content


def test_the_api_refuses_a_service_of_another_region_even_with_a_consent_naming_it(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    service = aktau_shelter()
    consent = Consent.objects.create(
        case=case,
        purpose="referral",
        service=service,
        given=True,
        basis="person",
        language="ru",
        recorded_by=personas.screener,
    )
    response = post_referral(case, service, consent, ["sex"])
    assert response.status_code == 400
    assert "does not serve the case's region" in response.json()["detail"]


def test_a_consent_naming_an_agency_covers_each_of_its_services(personas: Personas) -> None:
    case = open_case(personas.screener)
    service = shelter_service(personas)
    consent = record_consent(case, personas, agency=personas.shelter, shared_fields=["name"])
    referral = actions.do_send_referral(
        case,
        actor=personas.screener,
        service=service,
        purpose="Shelter",
        urgency="routine",
        shared_fields=["name"],
        consent=consent,
    )
    assert referral.consent == consent


def test_a_consent_to_share_names_a_service_or_an_agency_and_keeps_the_fields(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    with pytest.raises(case_actions.CaseError, match="service"):
        record_consent(case, personas, service_name="Almaty shelter")
    with pytest.raises(case_actions.CaseError, match="not both"):
        record_consent(case, personas, service=shelter_service(personas), agency=personas.shelter)
    service = shelter_service(personas)
    client = signed_in("screener")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'name="shared_fields"' in page and f'value="{service.pk}"' in page
    client.post(
        f"/cases/{case.pk}/consents/",
        {
            "purpose": "referral",
            "service": service.pk,
            "shared_fields": ["name", "contacts"],
            "given": "1",
            "basis": "person",
            "language": "ru",
        },
    )
    consent = Consent.objects.get()
    assert consent.service == service and consent.agency is None
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "covers case number, sex, age band, languages" in page and "name, contacts" in page
    assert consent.shared_fields == [
        "case_number",
        "sex",
        "age_band",
        "languages",
        "form",
        "outcome",
        "name",
        "contacts",
    ]
    minimum = record_consent(case, personas, service=service)
    assert minimum.shared_fields == [
        "case_number",
        "sex",
        "age_band",
        "languages",
        "form",
        "outcome",
    ]


def test_the_consent_form_offers_no_service_outside_the_cases_region(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    outside = aktau_shelter()
    client = signed_in("screener")
    response = client.post(
        f"/cases/{case.pk}/consents/",
        {
            "purpose": "referral",
            "service": outside.pk,
            "service_name": "Aktau shelter",
            "given": "1",
            "basis": "person",
            "language": "ru",
        },
    )
    assert response.status_code == 302
    assert not Consent.objects.exists()


def test_an_exception_refers_without_consent_while_a_consent_limits_what_is_shared(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    service = shelter_service(personas)
    consent = record_consent(case, personas, service=service, shared_fields=["name"])
    with pytest.raises(actions.ReferralError, match="does not cover sharing: contacts"):
        actions.do_send_referral(
            case,
            actor=personas.screener,
            service=service,
            purpose="Shelter",
            urgency="urgent",
            shared_fields=["name", "contacts"],
            consent=consent,
        )
    referral = actions.do_send_referral(
        case,
        actor=personas.screener,
        service=service,
        purpose="Emergency shelter",
        urgency="emergency",
        shared_fields=["name", "contacts"],
        consent=None,
        consent_exception="risk_to_life",
        exception_reason="Threats from the employer tonight; no time to explain consent.",
    )
    assert referral.consent is None and "contacts" in referral.shared_fields


# --- 7. Free text is encrypted -----------------------------------------------------------------


def _raw(referral: Referral) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT purpose, decline_reason FROM referrals_referral WHERE id = %s", [referral.pk]
        )
        row = cursor.fetchone()
    return str(row[0]), str(row[1])


def test_the_purpose_and_the_reason_for_declining_are_stored_encrypted(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    service = shelter_service(personas)
    referral = actions.do_send_referral(
        case,
        actor=personas.screener,
        service=service,
        purpose="Shelter for Zhanar, who fears her employer",
        urgency="urgent",
        shared_fields=[],
        consent=record_consent(case, personas, service=service),
    )
    actions.do_change_referral_status(
        referral, actor=personas.caseworker, status="declined", reason="Zhanar's brother works here"
    )
    purpose, decline_reason = _raw(referral)
    assert "Zhanar" not in purpose and "Zhanar" not in decline_reason
    assert purpose and decline_reason
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.purpose == "Shelter for Zhanar, who fears her employer"
    assert stored.decline_reason == "Zhanar's brother works here"


def test_the_migration_encrypts_existing_plaintext_and_its_reverse_restores_it(
    personas: Personas,
) -> None:
    from importlib import import_module

    from django.apps import apps

    step = import_module("tanu.referrals.migrations.0002_encrypt_purpose_and_decline_reason")
    case = open_case(personas.screener)
    service = shelter_service(personas)
    referral = actions.do_send_referral(
        case,
        actor=personas.screener,
        service=service,
        purpose="placeholder",
        urgency="urgent",
        shared_fields=[],
        consent=record_consent(case, personas, service=service),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE referrals_referral SET purpose = %s, decline_reason = %s WHERE id = %s",
            ["Shelter for Zhanar", "Zhanar's brother works here", referral.pk],
        )
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    step.encrypt_existing(apps, editor)
    assert "Zhanar" not in "".join(_raw(referral))
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.purpose, stored.decline_reason) == (
        "Shelter for Zhanar",
        "Zhanar's brother works here",
    )
    step.decrypt_existing(apps, editor)
    assert _raw(referral) == ("Shelter for Zhanar", "Zhanar's brother works here")


# --- Demo data ----------------------------------------------------------------------------------


def test_the_demo_refers_the_canary_to_the_almaty_legal_aid_ngo_once(personas: Personas) -> None:
    from tanu.accounts import demo as accounts_demo
    from tanu.cases import demo as cases_demo
    from tanu.referrals import demo as referrals_demo

    accounts_demo.load()
    referrals_demo.load()
    cases_demo.load()
    referrals_demo.load_canary()
    cases_demo.load()
    referrals_demo.load_canary()
    referral = Referral.objects.get()
    assert referral.case == cases_demo.canary_case()
    assert referral.service.kind == "legal_aid" and referral.service.region.code == "KZ-75"
    assert referral.to_agency is not None and referral.to_agency.kind == "ngo"
    assert {"name", "documents", "contacts"} <= set(referral.shared_fields)
    assert referral.consent is not None and referral.consent.service == referral.service
    assert referral.consent.is_active
