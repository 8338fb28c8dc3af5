"""Inbox messages say which referral or case changed, and how: a referral number, a case number
and an agency's name, in the reader's language; never a person's name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tanu.accounts.models import User
from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import CANARY, open_case, signed_in
from tanu.referrals import actions
from tanu.referrals.models import Notification, Referral
from tanu.referrals.tests.test_referrals import refer

pytestmark = pytest.mark.django_db

NAMES = (CANARY["given_name"], CANARY["family_name"], CANARY["other_names"], "N12345678")


@pytest.fixture(autouse=True)
def readers_in_english(personas: Personas) -> None:
    """Messages are written in each reader's language: these readers chose English."""
    User.objects.update(language="en")


def _latest(username: str, kind: str) -> str:
    return Notification.objects.filter(user__username=username, kind=kind).latest("pk").message


def test_the_receiving_agency_reads_which_referral_and_case_came_from_whom(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas, shared_fields=["name", "documents"])
    message = _latest("caseworker", "referral_received")
    assert message == (
        f"Referral #{referral.pk} (case {case.number}) was sent to your agency by "
        "Almaty administrative police."
    )
    assert not any(name in message for name in NAMES)


@pytest.mark.parametrize(
    ("status", "wording"),
    [
        ("accepted", "was accepted by Almaty shelter."),
        ("declined", "was declined by Almaty shelter."),
    ],
)
def test_the_sender_reads_how_its_referral_changed_and_by_which_agency(
    personas: Personas, status: str, wording: str
) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    actions.do_change_referral_status(
        referral, actor=personas.caseworker, status=status, reason="No place tonight."
    )
    assert _latest("screener", "referral_status") == (
        f"Referral #{referral.pk} (case {case.number}) {wording}"
    )


def test_the_recipient_reads_that_a_referral_was_withdrawn(personas: Personas) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    actions.do_change_referral_status(referral, actor=personas.screener, status="withdrawn")
    assert _latest("caseworker", "referral_status") == (
        f"Referral #{referral.pk} (case {case.number}) was withdrawn by "
        "Almaty administrative police."
    )


def test_an_overdue_alert_names_the_referral_the_case_and_the_silent_agency(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    Referral.objects.filter(pk=referral.pk).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )
    actions.do_send_overdue_alerts()
    expected = (
        f"Referral #{referral.pk} (case {case.number}) to Almaty shelter is overdue: it has had "
        "no answer by its due date."
    )
    assert _latest("screener", "referral_overdue") == expected
    assert _latest("caseworker", "referral_overdue") == expected


def test_a_decision_to_review_names_the_case_and_the_deciding_agency(personas: Personas) -> None:
    case = open_case(personas.screener)
    actions.do_record_decision(
        case,
        actor=personas.screener,
        status="not_identified",
        reasons="The account could not be corroborated by the employer's records.",
    )
    assert _latest("coordinator", "decision_review") == (
        f"Case {case.number}: a negative identification decision on a presumed victim, by "
        "Almaty administrative police, needs a second reviewer."
    )


def test_the_message_is_written_in_the_readers_language_with_the_agency_named_in_it(
    personas: Personas,
) -> None:
    personas.caseworker.language = "ru"
    personas.caseworker.save(update_fields=["language"])
    personas.police.name_ru = "Административная полиция Алматы"
    personas.police.save(update_fields=["name_ru"])
    case = open_case(personas.screener)
    refer(case, personas)
    message = _latest("caseworker", "referral_received")
    assert case.number in message
    assert "Административная полиция Алматы" in message
    assert "Almaty administrative police" not in message


def test_the_email_stays_general_while_the_inbox_names_the_case(personas: Personas) -> None:
    personas.caseworker.email = "shelter@example.kz"
    personas.caseworker.save(update_fields=["email"])
    mail.outbox.clear()
    case = open_case(personas.screener)
    refer(case, personas)
    assert len(mail.outbox) == 1
    assert case.number not in mail.outbox[0].subject + mail.outbox[0].body
    page = signed_in("caseworker").get("/inbox/").content.decode()
    assert case.number in page
