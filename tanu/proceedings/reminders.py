"""Reminders of court hearings to the case workers who accompany the person.

Run daily (``tanu proceedings remind``, task ``hearings-remind``): each hearing within the next
``TANU_HEARING_REMINDER_DAYS`` days is announced once, by email, to the case workers of the case's
agency (or, when it has none with an email, to the case's other owners). The email gives the case
number, the date, time and place, and the path of the proceeding's page: no name, no article, no
investigator's note. Each reminder sent is an audit entry (``update`` of ``hearing`` <pk>).
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
from tanu.audit.models import Action, ObjectType
from tanu.cases.access import FULL_ACCESS_ROLES
from tanu.proceedings.models import Hearing, Proceeding

ACTOR_NAME = "reminders"


def reminder_days() -> int:
    return int(settings.TANU_HEARING_REMINDER_DAYS)


def due_hearings(today: date | None = None) -> QuerySet[Hearing]:
    """Hearings from today to the reminder horizon, not yet announced, of proceedings still
    running on cases not anonymised."""
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = start + timedelta(days=reminder_days() + 1)
    return (
        Hearing.objects.filter(
            starts_at__gte=start,
            starts_at__lt=end,
            reminded_on__isnull=True,
            proceeding__case__anonymised_at__isnull=True,
        )
        .exclude(proceeding__stage=Proceeding.Stage.CLOSED)
        .select_related("proceeding__case")
        .order_by("starts_at", "pk")
    )


def recipients(hearing: Hearing) -> list[User]:
    """The case workers of the case's agency; its other owners when no case worker has an
    email."""
    case = hearing.proceeding.case
    people = User.objects.filter(
        agency_id=case.agency_id, is_active=True, disabled_at__isnull=True
    ).exclude(email="")
    workers = list(people.filter(role=Role.CASE_WORKER).order_by("pk"))
    return workers or list(people.filter(role__in=FULL_ACCESS_ROLES).order_by("pk"))


def render_reminder(hearing: Hearing, language: str) -> tuple[str, str]:
    """Subject and body in ``language``: the case number, the date and place; no one named."""
    case = hearing.proceeding.case
    with translation.override(language):
        moment = timezone.localtime(hearing.starts_at)
        values = {
            "number": case.number,
            "date": formats.date_format(moment, "DATE_FORMAT"),
            "time": formats.time_format(moment, "TIME_FORMAT"),
            "place": hearing.place,
            "path": reverse("proceedings:proceeding", args=[hearing.proceeding_id]),
        }
        subject = _("tanu: court hearing on case %(number)s on %(date)s") % values
        body = (
            _(
                "A court hearing in the criminal case about case %(number)s is on %(date)s at "
                "%(time)s, %(place)s.\n\n"
                "If you accompany the person, plan with them how to get there safely. "
                "The proceeding: %(path)s\n\n"
                "This message names no one on purpose. Do not forward it and do not reply "
                "with personal data."
            )
            % values
        )
    return subject, body


@dataclass
class HearingRun:
    sent: list[int] = field(default_factory=list)  # hearing ids announced
    emails: int = 0
    failed: list[int] = field(default_factory=list)


def send_hearing_reminders(
    today: date | None = None, *, progress: Callable[[str], None] = lambda message: None
) -> HearingRun:
    """Announce the hearings due. A failed sending records nothing, so the next run retries."""
    today = today or timezone.localdate()
    run = HearingRun()
    for hearing in due_hearings(today):
        try:
            sent_to = _remind(hearing, today)
        except (OSError, smtplib.SMTPException) as exc:
            run.failed.append(hearing.pk)
            progress(f"hearing {hearing.pk}: sending failed ({type(exc).__name__})")
            continue
        if sent_to is None:
            progress(f"hearing {hearing.pk}: already announced or nobody to remind")
            continue
        run.sent.append(hearing.pk)
        run.emails += sent_to
        progress(f"hearing {hearing.pk}: reminded {sent_to} users")
    return run


def _remind(hearing: Hearing, today: date) -> int | None:
    with transaction.atomic():
        # The lock keeps two runs at once from both sending.
        locked = Hearing.objects.select_for_update().filter(pk=hearing.pk).first()
        if locked is None or locked.reminded_on is not None:
            return None
        users = recipients(hearing)
        if not users:
            return None
        for user in users:
            subject, body = render_reminder(hearing, user.language or settings.LANGUAGE_CODE)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        locked.reminded_on = today
        locked.save(update_fields=["reminded_on"])
        record(
            Action.UPDATE,
            actor=None,
            actor_username=ACTOR_NAME,
            object_type=ObjectType.HEARING,
            object_id=hearing.pk,
            fields=["reminded_on"],
            reason=f"sent to {len(users)} users",
            region_id=hearing.proceeding.case.region_id,
        )
    return len(users)
