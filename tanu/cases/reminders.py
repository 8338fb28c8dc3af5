"""Reminders that a case's recovery and reflection period is about to end (CETS 197 Art. 13),
sent by `tanu cases remind` (run it daily, e.g. from cron or a systemd timer).

An email leaves the system and may be read by anyone with access to the mailbox, so it names no
person: only the case number, the date and the path to sign in at. It goes to every active user
of the agency that owns the case with a screener, case-worker or monitor role, in the user's own
language. A reminder sent is an audit entry (``update`` of ``reflection_reminder`` <case pk>), so
that a case is reminded at most once a day however often the command runs.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from tanu.accounts.models import Role, User
from tanu.audit.actions import record
from tanu.audit.models import Action, AuditEntry, ObjectType
from tanu.cases.models import Case

OBJECT_TYPE = ObjectType.REFLECTION_REMINDER
ACTOR_NAME = "reminders"
RECIPIENT_ROLES = (Role.SCREENER, Role.CASE_WORKER, Role.MONITOR)


def reminder_days() -> int:
    return int(settings.TANU_REFLECTION_REMINDER_DAYS)


def due_cases(today: date | None = None) -> QuerySet[Case]:
    """Cases not closed nor anonymised whose reflection period ends within the reminder days."""
    today = today or timezone.localdate()
    return (
        Case.objects.filter(
            reflection_ends__gte=today,
            reflection_ends__lte=today + timedelta(days=reminder_days()),
            anonymised_at__isnull=True,
        )
        .exclude(status=Case.Status.CLOSED)
        .order_by("reflection_ends", "pk")
    )


def recipients(case: Case) -> list[User]:
    return list(
        User.objects.filter(
            agency_id=case.agency_id,
            is_active=True,
            disabled_at__isnull=True,
            role__in=RECIPIENT_ROLES,
        )
        .exclude(email="")
        .order_by("pk")
    )


def _day_bounds(today: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(today, time.min))
    return start, start + timedelta(days=1)


def reminded_today(case: Case, today: date) -> bool:
    start, end = _day_bounds(today)
    return AuditEntry.objects.filter(
        action=Action.UPDATE,
        object_type=OBJECT_TYPE,
        object_id=str(case.pk),
        at__gte=start,
        at__lt=end,
    ).exists()


def case_path(case: Case) -> str:
    return reverse("cases:case", args=[case.pk])


def render_reminder(case: Case, language: str) -> tuple[str, str]:
    """Subject and body in ``language``. Names no person: number, date and path only."""
    with translation.override(language):
        # The reader's date: «4 желтоқсан 2026 ж.», «4 декабря 2026 г.», «4 December 2026».
        ends = formats.date_format(case.reflection_ends) if case.reflection_ends else ""
        values = {"number": case.number, "date": ends, "path": case_path(case)}
        # Translators: an email subject; %(date)s is already in the reader's format. The
        # period's name is the full one of docs/glossary.md.
        subject = _("tanu: reflection period on case %(number)s ends on %(date)s") % values
        body = (
            _(
                "The recovery and reflection period on case %(number)s ends on %(date)s.\n\n"
                "Sign in to tanu to review the case and plan the next steps: %(path)s\n\n"
                "This message names no one on purpose. Do not forward it and do not reply "
                "with personal data."
            )
            % values
        )
    return subject, body


@dataclass
class Reminder:
    case_number: str
    ends: date
    sent_to: int


@dataclass
class ReminderRun:
    sent: list[Reminder] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # case numbers whose email failed

    @property
    def emails(self) -> int:
        return sum(reminder.sent_to for reminder in self.sent)


def send_reflection_reminders(
    today: date | None = None, *, progress: Callable[[str], None] = lambda message: None
) -> ReminderRun:
    """Email the reminders due today that were not sent today yet.

    If sending fails for a case, nothing is recorded for it, so the next run tries it again
    (recipients reached before the failure may then get it twice)."""
    today = today or timezone.localdate()
    run = ReminderRun()
    for case in due_cases(today):
        try:
            reminder = _remind(case, today, progress)
        except (OSError, smtplib.SMTPException) as exc:
            run.failed.append(case.number)
            progress(f"case {case.number}: sending failed ({type(exc).__name__}: {exc})")
            continue
        if reminder is not None:
            run.sent.append(reminder)
            progress(
                f"case {case.number}: reminded {reminder.sent_to} users (ends {reminder.ends})"
            )
    return run


def _remind(case: Case, today: date, progress: Callable[[str], None]) -> Reminder | None:
    with transaction.atomic():
        # Locking the case keeps two runs at once from both sending.
        Case.objects.select_for_update().filter(pk=case.pk).first()
        if reminded_today(case, today):
            progress(f"case {case.number}: already reminded today")
            return None
        users = recipients(case)
        if not users:
            progress(f"case {case.number}: nobody to remind (no user with an email)")
            return None
        for user in users:
            subject, body = render_reminder(case, user.language or settings.LANGUAGE_CODE)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        record(
            Action.UPDATE,
            actor=None,
            actor_username=ACTOR_NAME,
            object_type=OBJECT_TYPE,
            object_id=case.pk,
            reason=f"sent to {len(users)} users",
        )
    assert case.reflection_ends is not None
    return Reminder(case.number, case.reflection_ends, len(users))
