"""Court hearings are announced once, a few days ahead, to the case workers of the case's agency:
date, time, place and case number in the reader's language, and nothing that names anyone."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tanu.accounts.models import Role
from tanu.accounts.tests.factories import UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.cases.tests.helpers import CANARY
from tanu.proceedings import actions, reminders
from tanu.proceedings.models import Hearing, Proceeding
from tanu.proceedings.tests.helpers import investigator, referred_case, register, to_trial

pytestmark = pytest.mark.django_db


def at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@pytest.fixture
def scene(personas: Personas):  # type: ignore[no-untyped-def]
    officer = investigator(personas)
    case = referred_case(personas, officer)
    proceeding = to_trial(register(case, officer), officer)
    worker = UserFactory(
        username="accompanying",
        role=Role.CASE_WORKER,
        agency=case.agency,
        email="worker@example.kz",
        language="ru",
    )
    personas.screener.email = "screener@example.kz"
    personas.screener.save(update_fields=["email"])
    return officer, proceeding, worker


def hearing(officer, proceeding: Proceeding, days: int, note: str = "") -> Hearing:  # type: ignore[no-untyped-def]
    return actions.do_schedule_hearing(
        proceeding,
        actor=officer,
        starts_at=at(days),
        place="Медеуский районный суд, зал 4",
        note=note,
    )


def test_a_hearing_within_the_reminder_days_is_announced_once_to_the_case_workers(scene) -> None:  # type: ignore[no-untyped-def]
    officer, proceeding, _worker = scene
    soon = hearing(officer, proceeding, 2, note="Свидетель Канарьева боится встречи")
    hearing(officer, proceeding, 30)  # too far ahead
    hearing(officer, proceeding, -1)  # already held

    run = reminders.send_hearing_reminders()

    assert run.sent == [soon.pk] and run.emails == 1
    (message,) = mail.outbox
    assert message.to == ["worker@example.kz"]  # the case worker, not the screener
    text = f"{message.subject}\n{message.body}"
    assert proceeding.case.number in message.subject
    assert "Медеуский районный суд, зал 4" in message.body
    assert "10:00" in message.body
    for secret in (
        "Канарьева",
        "боится",
        "128",
        proceeding.erdr_number,
        str(CANARY["family_name"]),
    ):
        assert secret not in text
    soon.refresh_from_db()
    assert soon.reminded_on == timezone.localdate()
    entry = AuditEntry.objects.get(object_type="hearing", object_id=str(soon.pk), action="update")
    assert entry.actor_username == "reminders"

    assert reminders.send_hearing_reminders().sent == []  # once only
    assert len(mail.outbox) == 1


def test_the_reminder_is_written_in_the_readers_language_and_date_format(scene) -> None:  # type: ignore[no-untyped-def]
    officer, proceeding, _worker = scene
    soon = hearing(officer, proceeding, 2)
    day = timezone.localdate() + timedelta(days=2)
    subject, body = reminders.render_reminder(soon, "ru")
    assert "судебное заседание" in subject.lower() or "заседани" in subject
    months = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
              "сентября", "октября", "ноября", "декабря")  # fmt: skip
    assert f"{day.day} {months[day.month - 1]} {day.year} г." in subject
    assert day.isoformat() not in subject + body


def test_without_a_case_worker_the_cases_other_owners_are_reminded(scene) -> None:  # type: ignore[no-untyped-def]
    officer, proceeding, worker = scene
    worker.email = ""
    worker.save(update_fields=["email"])
    hearing(officer, proceeding, 1)
    reminders.send_hearing_reminders()
    assert [m.to for m in mail.outbox] == [["screener@example.kz"]]


def test_no_reminder_for_a_closed_proceeding(scene) -> None:  # type: ignore[no-untyped-def]
    officer, proceeding, _worker = scene
    hearing(officer, proceeding, 1)
    actions.do_move_stage(
        proceeding,
        actor=officer,
        stage=Proceeding.Stage.CLOSED,
        on=timezone.localdate(),
        closing_reason="no_corpus",
        expected_revision=None,
    )
    assert reminders.send_hearing_reminders().sent == []
    assert mail.outbox == []


def test_the_command_reports_what_it_sent(scene) -> None:  # type: ignore[no-untyped-def]
    officer, proceeding, _worker = scene
    hearing(officer, proceeding, 3)
    out = StringIO()
    call_command("proceedings", "remind", stdout=out)
    assert "1 hearings announced, 1 emails sent, 0 failed" in out.getvalue()
