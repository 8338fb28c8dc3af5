from __future__ import annotations

import json

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.cases import actions
from tanu.cases.models import Consent, DataRequest
from tanu.cases.tests.helpers import open_case, signed_in

pytestmark = pytest.mark.django_db

CHILD = ["CL-DR-01", "CL-DR-02", "CL-EC-01", "CL-EC-02"]


def test_consent_is_recorded_per_purpose_and_can_be_withdrawn(personas: Personas) -> None:
    case = open_case(personas.screener)
    client = signed_in("screener")
    client.post(
        f"/cases/{case.pk}/consents/",
        {
            "purpose": "assistance",
            "given": "1",
            "basis": "person",
            "language": "kk",
            "interpreter_used": "on",
        },
    )
    consent = Consent.objects.get()
    assert consent.is_active and consent.language == "kk" and consent.interpreter_used
    assert consent.recorded_by == personas.screener
    client.post(f"/cases/{case.pk}/consents/{consent.pk}/withdraw/")
    consent.refresh_from_db()
    assert not consent.is_active and consent.withdrawn_by == personas.screener


def test_a_child_needs_the_guardians_consent_or_a_best_interests_decision(
    personas: Personas,
) -> None:
    case = open_case(personas.screener, age_group="child", age_years=15, codes=CHILD)
    assert case.is_child
    with pytest.raises(actions.CaseError):
        actions.do_record_consent(
            case,
            actor=personas.screener,
            purpose="assistance",
            given=True,
            basis="person",
            language="ru",
            interpreter_used=False,
        )
    with pytest.raises(actions.CaseError):
        actions.do_record_consent(
            case,
            actor=personas.screener,
            purpose="assistance",
            given=True,
            basis="best_interests",
            language="ru",
            interpreter_used=False,
        )
    consent = actions.do_record_consent(
        case,
        actor=personas.screener,
        purpose="assistance",
        given=True,
        basis="best_interests",
        language="ru",
        interpreter_used=False,
        best_interests_reason="No guardian reachable; the child is at risk tonight.",
    )
    assert consent.is_active


def test_a_referral_consent_names_its_service(personas: Personas) -> None:
    case = open_case(personas.screener)
    with pytest.raises(actions.CaseError):
        actions.do_record_consent(
            case,
            actor=personas.screener,
            purpose="referral",
            given=True,
            basis="person",
            language="ru",
            interpreter_used=False,
        )


def test_everything_held_on_a_person_exports_as_json_and_pdf(personas: Personas) -> None:
    case = open_case(personas.screener)
    client = signed_in("screener")
    assert client.get(f"/cases/{case.pk}/export.json").status_code == 302  # needs a reason first
    client.post(f"/cases/{case.pk}/reveal/", {"reason": "the person asked for a copy"})
    data = json.loads(client.get(f"/cases/{case.pk}/export.json").content)
    assert data["person"]["family_name"] == "Канарьева"
    assert data["person"]["documents"][0]["number"] == "N12345678"
    pdf = client.get(f"/cases/{case.pk}/export.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get(f"/cases/{case.pk}/export.xml").status_code == 404


def test_an_approved_erasure_request_anonymises_the_case(personas: Personas) -> None:
    case = open_case(personas.screener)
    signed_in("screener").post(
        f"/cases/{case.pk}/requests/",
        {"kind": "erasure", "details": "The person wants the data erased."},
    )
    data_request = DataRequest.objects.get()
    refused = signed_in("screener").post(
        f"/cases/{case.pk}/requests/{data_request.pk}/decide/", {"approve": "1", "reason": "ok"}
    )
    assert refused.status_code == 404  # only the coordinator decides
    signed_in("coordinator").post(
        f"/cases/{case.pk}/requests/{data_request.pk}/decide/",
        {"approve": "1", "reason": "No legal obligation to keep it."},
    )
    case.refresh_from_db()
    person = case.person
    assert case.anonymised_at is not None
    assert person.family_name == "" and person.documents == []
    assert person.sex == "female"  # anonymous statistics stay
    assert not person.index_entries.exists()
