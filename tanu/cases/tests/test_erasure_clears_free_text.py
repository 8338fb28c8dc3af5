"""Retention and an approved erasure request clear the free text that can name the person:
screening notes, referral purpose, decline reason, feedback, exception reason and outcome,
services given, identification decision reasons, case notes, consent and request texts, and the
audit reasons of all those objects."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.audit.actions import record, verify_chain
from tanu.audit.models import Action
from tanu.cases import actions as case_actions
from tanu.cases.models import Case, Consent, DataRequest
from tanu.cases.tests.helpers import open_case
from tanu.identification.models import Screening
from tanu.lib.crypto import EncryptedTextField
from tanu.referrals.models import IdentificationDecision, Referral, ServiceRecord
from tanu.referrals.tests.directory_helpers import ServiceFactory

pytestmark = pytest.mark.django_db

PLANT = "Zhuldyz-7Q4-Ескелдиева"


@pytest.fixture(autouse=True)
def retention_periods(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.TANU_RETENTION_DAYS = {"closed_case": 365, "draft_screening": 90}


def planted_case(personas: Personas) -> Case:
    """A case whose every free-text field, and the audit reasons about it, hold PLANT."""
    screener = personas.screener
    case = open_case(screener)
    screening = Screening.objects.get(case=case)
    screening.notes = f"met {PLANT} at the market"
    screening.facility_name = f"hostel of {PLANT}"
    screening.save(update_fields=["notes", "facility_name"])
    note = case_actions.do_add_note(case, actor=screener, text=f"{PLANT} called")
    consent = Consent.objects.create(
        case=case,
        purpose=Consent.Purpose.REFERRAL,
        basis=Consent.Basis.GUARDIAN,
        guardian=f"{PLANT}, aunt",
        best_interests_reason=f"{PLANT} is at risk",
        language="ru",
        recorded_by=screener,
    )
    referral = Referral.objects.create(
        case=case,
        service=ServiceFactory(),
        from_agency=personas.police,
        created_by=screener,
        purpose=f"shelter for {PLANT}",
        exception_reason=f"{PLANT} in danger",
        decline_reason=f"no bed for {PLANT}",
        external_outcome=f"{PLANT} housed",
        feedback=f"{PLANT} is safe",
        due_date=date.today(),
    )
    service = ServiceRecord.objects.create(
        referral=referral,
        agency=personas.shelter,
        recorded_by=screener,
        kind=ServiceRecord._meta.get_field("kind").choices[0][0],  # type: ignore[index]
        description=f"bed for {PLANT}",
    )
    decision = IdentificationDecision.objects.create(
        case=case,
        agency=personas.police,
        decided_by=personas.coordinator,
        status=IdentificationDecision.Status.IDENTIFIED,
        reasons=f"{PLANT} was recruited by deception",
        review_reasons=f"agree about {PLANT}",
    )
    data_request = DataRequest.objects.create(
        case=case,
        kind=DataRequest.Kind.CORRECTION,
        details=f"spell {PLANT} correctly",
        requested_by=screener,
    )
    for object_type, pk in [
        ("case", case.pk),
        ("person", case.person_id),
        ("screening", screening.pk),
        ("note", note.pk),
        ("consent", consent.pk),
        ("data_request", data_request.pk),
        ("referral", referral.pk),
        ("service_record", service.pk),
        ("identification_decision", decision.pk),
    ]:
        record(
            Action.READ,
            actor=screener,
            object_type=object_type,
            object_id=pk,
            reason=f"asked by {PLANT}",
        )
    assert readable_holdings(), "the plant must be readable before"
    return case


def readable_holdings() -> list[str]:
    """Every place PLANT can still be read: raw text columns, and encrypted fields through the
    ORM (their plaintext), in every table."""
    found: list[str] = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        text_fields = [
            f
            for f in meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        encrypted = [f for f in text_fields if isinstance(f, EncryptedTextField)]
        plain = [f for f in text_fields if not isinstance(f, EncryptedTextField)]
        with connection.cursor() as cursor:
            for f in plain:
                column = connection.ops.quote_name(str(f.column))
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(meta.db_table)} "
                    f"WHERE CAST({column} AS TEXT) LIKE %s",
                    [f"%{PLANT}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{meta.label}.{f.name} (raw)")
        for obj in model._base_manager.all() if encrypted else []:
            for f in encrypted:
                if PLANT in str(getattr(obj, f.attname)):
                    found.append(f"{meta.label}.{f.name} {obj.pk}")
    return found


def test_retention_clears_every_free_text_about_the_case(personas: Personas) -> None:
    case = planted_case(personas)
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED, closed_at=timezone.now() - timedelta(days=400)
    )
    call_command("retention", "apply", stdout=StringIO())

    assert Case.objects.get(pk=case.pk).anonymised_at is not None
    assert readable_holdings() == []
    assert verify_chain() is None


def test_an_approved_erasure_request_clears_every_free_text_about_the_case(
    personas: Personas,
) -> None:
    case = planted_case(personas)
    erasure = case_actions.do_request_data_change(
        case, actor=personas.screener, kind=DataRequest.Kind.ERASURE, details=f"erase {PLANT}"
    )
    case_actions.do_decide_data_request(
        erasure, actor=personas.coordinator, approve=True, reason=f"{PLANT} asked in person"
    )

    assert Case.objects.get(pk=case.pk).anonymised_at is not None
    assert readable_holdings() == []
    assert verify_chain() is None
    # What stays: the statistics and the shape of the case, not the words.
    referral = Referral.objects.get(case=case)
    assert referral.purpose == "" and referral.status == Referral.Status.SENT
    assert IdentificationDecision.objects.get(case=case).status == "identified"
