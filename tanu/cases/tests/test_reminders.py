"""`tanu cases remind`: the owning agency hears that a reflection period ends, and nothing more."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import formats, timezone, translation

from tanu.accounts.models import Role, User
from tanu.accounts.tests.factories import UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.cases import actions as case_actions
from tanu.cases import reminders
from tanu.cases.models import Case
from tanu.cases.tests.helpers import CANARY, open_case

pytestmark = pytest.mark.django_db

PERSONAL = [
    "Жанар",
    "Канарьева",
    "Zhanar",
    "Kanaryeva",
    "N12345678",
    "+7 701 000 0000",
    "Примерная",
]


@pytest.fixture(autouse=True)
def reminder_window(settings) -> None:
    settings.TANU_REFLECTION_REMINDER_DAYS = 7
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def case_ending_in(personas: Personas, days: int) -> Case:
    case = open_case(personas.screener)
    Case.objects.filter(pk=case.pk).update(
        reflection_ends=timezone.localdate() + timedelta(days=days)
    )
    return Case.objects.get(pk=case.pk)


def with_emails(personas: Personas) -> dict[str, Any]:
    """Give everyone an address, and add colleagues of other roles to the police unit."""
    for user in (
        personas.screener,
        personas.colleague,
        personas.caseworker,
        personas.coordinator,
        personas.monitor,
        personas.outsider,
    ):
        user.email = f"{user.username}@example.kz"
        user.save(update_fields=["email"])
    police = personas.police
    return {
        "case_worker": UserFactory(
            username="police_social", role=Role.CASE_WORKER, agency=police, email="cw@example.kz"
        ),
        "monitor": UserFactory(
            username="police_monitor",
            role=Role.MONITOR,
            agency=police,
            email="mon@example.kz",
            language="kk",
        ),
        "trainer": UserFactory(
            username="police_trainer", role=Role.TRAINER, agency=police, email="tr@example.kz"
        ),
        "inactive": UserFactory(
            username="police_gone",
            role=Role.SCREENER,
            agency=police,
            email="gone@example.kz",
            is_active=False,
        ),
        "disabled": UserFactory(
            username="police_disabled",
            role=Role.SCREENER,
            agency=police,
            email="disabled@example.kz",
            disabled_at=timezone.now(),
        ),
    }


def remind() -> str:
    out = StringIO()
    call_command("cases", "remind", stdout=out)
    return out.getvalue()


def test_the_reminder_reaches_the_case_roles_of_the_owning_agency_only(
    personas: Personas,
) -> None:
    with_emails(personas)
    case = case_ending_in(personas, 3)

    output = remind()

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(
        ["screener@example.kz", "colleague@example.kz", "cw@example.kz", "mon@example.kz"]
    )
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert f"case {case.number}: reminded 4 users" in output
    assert "1 cases reminded, 4 emails sent" in output


KAZAKH_MONTHS = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip
RUSSIAN_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("kk", lambda d: f"{d.day} {KAZAKH_MONTHS[d.month - 1]} {d.year} ж."),
        ("ru", lambda d: f"{d.day} {RUSSIAN_MONTHS[d.month - 1]} {d.year} г."),
        ("en", lambda d: f"{d.day} {d:%B} {d.year}"),
    ],
)
def test_the_reminder_gives_the_date_as_its_reader_writes_it(
    personas: Personas, language: str, written: Any
) -> None:
    case = case_ending_in(personas, 3)
    subject, body = reminders.render_reminder(case, language)
    day = timezone.localdate() + timedelta(days=3)
    assert written(day) in subject
    assert written(day) in body
    assert day.isoformat() not in subject + body


def test_the_reminder_names_the_case_number_and_date_and_no_person(personas: Personas) -> None:
    with_emails(personas)
    case = case_ending_in(personas, 3)
    case_actions.do_add_note(case, actor=personas.screener, text="Meets at the bus station")

    remind()

    assert mail.outbox
    day = timezone.localdate() + timedelta(days=3)
    languages = {u.email: u.language or settings.LANGUAGE_CODE for u in User.objects.all()}
    for message in mail.outbox:
        with translation.override(languages[message.to[0]]):
            ends = formats.date_format(day)
        text = f"{message.subject}\n{message.body}"
        assert case.number in message.subject and ends in message.subject
        assert case.number in message.body and ends in message.body
        assert f"/cases/{case.pk}/" in message.body
        for secret in [*PERSONAL, "bus station", str(CANARY["address"])]:
            assert secret not in text


def test_each_recipient_gets_the_reminder_in_their_own_language(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_emails(personas)
    personas.colleague.language = "en"
    personas.colleague.save(update_fields=["language"])
    case_ending_in(personas, 3)
    # Mark every translated string with the language active when it was translated.
    monkeypatch.setattr(reminders, "_", lambda text: f"[{translation.get_language()}] {text}")

    remind()

    language_of = {m.to[0]: m.subject.split("]")[0].lstrip("[") for m in mail.outbox}
    assert language_of["colleague@example.kz"] == "en"
    assert language_of["mon@example.kz"] == "kk"
    assert language_of["screener@example.kz"] == "ru"  # no choice of their own: the default
    assert all(m.body.startswith(f"[{language_of[m.to[0]]}]") for m in mail.outbox)


def test_reminders_are_sent_once_a_day_per_case(personas: Personas) -> None:
    with_emails(personas)
    case = case_ending_in(personas, 3)

    remind()
    first = len(mail.outbox)
    output = remind()

    assert len(mail.outbox) == first == 4
    assert f"case {case.number}: already reminded today" in output
    entry = AuditEntry.objects.get(object_type="reflection_reminder")
    assert entry.action == "update" and entry.object_id == str(case.pk)
    assert entry.actor_id is None and entry.actor_username == "reminders"


def test_cases_outside_the_window_or_closed_are_not_reminded(personas: Personas) -> None:
    with_emails(personas)
    case_ending_in(personas, 20)
    case_ending_in(personas, -1)
    closed = case_ending_in(personas, 2)
    case_actions.do_change_case_status(
        closed,
        actor=personas.screener,
        status=Case.Status.CLOSED,
        closure_reason=Case.ClosureReason.PERSON_DECLINED,
        expected_revision=None,
    )
    due = case_ending_in(personas, 7)

    output = remind()

    assert {m.to[0] for m in mail.outbox} and all(due.number in m.subject for m in mail.outbox)
    assert "1 cases reminded" in output


def test_a_failed_sending_is_reported_and_tried_again_on_the_next_run(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_emails(personas)
    case = case_ending_in(personas, 3)
    real_send = reminders.send_mail

    def broken(*args: Any, **kwargs: Any) -> int:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    with pytest.raises(CommandError, match=f"sending failed for 1 cases \\({case.number}\\)"):
        remind()
    assert not AuditEntry.objects.filter(object_type="reflection_reminder").exists()

    monkeypatch.setattr(reminders, "send_mail", real_send)
    assert "1 cases reminded, 4 emails sent" in remind()
