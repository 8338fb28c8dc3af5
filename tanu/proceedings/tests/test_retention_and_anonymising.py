"""A case whose criminal proceedings still run is kept by retention; anonymising a case keeps its
proceedings' figures and clears the investigators' notes on its hearings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.cases.actions import anonymise_case
from tanu.cases.models import Case
from tanu.cases.retention import expired_cases
from tanu.proceedings import actions
from tanu.proceedings.models import Proceeding
from tanu.proceedings.tests.helpers import investigator, referred_case, register, to_trial

pytestmark = pytest.mark.django_db


def close_long_ago(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED, closed_at=timezone.now() - timedelta(days=20 * 365)
    )


def test_retention_keeps_a_case_while_its_criminal_proceedings_run(personas: Personas) -> None:
    officer = investigator(personas)
    case = referred_case(personas, officer)
    proceeding = register(case, officer)
    close_long_ago(case)
    assert case not in expired_cases()

    actions.do_move_stage(
        proceeding,
        actor=officer,
        stage=Proceeding.Stage.CLOSED,
        on=timezone.localdate(),
        closing_reason="no_corpus",
        expected_revision=None,
    )
    assert case in expired_cases()


def test_anonymising_a_case_clears_the_hearing_notes_and_keeps_the_proceeding(
    personas: Personas,
) -> None:
    officer = investigator(personas)
    case = referred_case(personas, officer)
    proceeding = to_trial(register(case, officer), officer)
    hearing = actions.do_schedule_hearing(
        proceeding,
        actor=officer,
        starts_at=timezone.now() + timedelta(days=3),
        place="Суд",
        note="Потерпевшая Канарьева, телефон +7 701 000 0000",
    )
    anonymise_case(case, actor=None, actor_username="retention", reason="test")
    hearing.refresh_from_db()
    assert hearing.note == ""
    assert Proceeding.objects.filter(pk=proceeding.pk, stage=Proceeding.Stage.TRIAL).exists()
