"""Retention: what is kept how long (settings.TANU_RETENTION_DAYS), applied by
`tanu retention apply`.

- A closed case is anonymised ``closed_case`` days after it was closed (anonymise_case: names,
  documents, contacts, notes and document files go; the case number and the anonymous
  statistics (sex, age band, citizenship, region, form, outcome) stay).
- A draft screening that no case came from is deleted ``draft_screening`` days after it was last
  changed (an abandoned draft; one still being worked on is kept).

Every anonymisation and deletion is audited under the name "retention" (no user).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone

from tanu.audit.actions import record
from tanu.audit.models import Action, ObjectType
from tanu.cases import extensions
from tanu.cases.actions import anonymise_case
from tanu.cases.models import Case
from tanu.identification.models import Screening

ACTOR_NAME = "retention"
REASON = "retention period over"


def retention_days(kind: str) -> int:
    return int(settings.TANU_RETENTION_DAYS[kind])


def expired_cases(now: datetime | None = None) -> QuerySet[Case]:
    """Closed cases, not yet anonymised, closed longer ago than the retention period, and held
    by no app (``extensions.RETENTION_HOLDS``: criminal proceedings still running)."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days("closed_case"))
    cases = Case.objects.filter(
        status=Case.Status.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True
    )
    for held in extensions.RETENTION_HOLDS:
        cases = cases.exclude(pk__in=held())
    return cases.order_by("closed_at", "pk")


def expired_draft_screenings(now: datetime | None = None) -> QuerySet[Screening]:
    """Draft screenings without a case, last changed longer ago than the retention period."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days("draft_screening"))
    return Screening.objects.filter(
        status=Screening.Status.DRAFT, case__isnull=True, updated_at__lt=cutoff
    ).order_by("updated_at", "pk")


@dataclass
class RetentionResult:
    dry_run: bool
    cases: list[str] = field(default_factory=list)  # case numbers anonymised (or due)
    screenings: list[str] = field(default_factory=list)  # references deleted (or due)
    kept_screenings: list[str] = field(default_factory=list)  # still referred to: not deleted


def apply_retention(
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> RetentionResult:
    """Anonymise expired closed cases and delete expired draft screenings (or, with
    ``dry_run``, only say which: nothing changes and nothing is audited)."""
    now = now or timezone.now()
    result = RetentionResult(dry_run=dry_run)
    cases = list(expired_cases(now))
    verb = "would anonymise" if dry_run else "anonymised"
    for done, case in enumerate(cases, start=1):
        if not dry_run and not _anonymise(case, now):
            continue
        result.cases.append(case.number)
        progress(f"{verb} case {case.number} ({done}/{len(cases)})")
    screenings = list(expired_draft_screenings(now))
    verb = "would delete" if dry_run else "deleted"
    for done, screening in enumerate(screenings, start=1):
        if not dry_run:
            try:
                if not _delete_screening(screening):
                    continue
            except ProtectedError:
                result.kept_screenings.append(screening.reference)
                progress(f"kept draft screening {screening.reference}: other records use it")
                continue
        result.screenings.append(screening.reference)
        progress(f"{verb} draft screening {screening.reference} ({done}/{len(screenings)})")
    return result


def _anonymise(case: Case, now: datetime) -> bool:
    """Anonymise ``case`` if it is still due (it may have been reopened meanwhile)."""
    with transaction.atomic():
        if expired_cases(now).select_for_update().filter(pk=case.pk).first() is None:
            return False
        anonymise_case(case, actor=None, actor_username=ACTOR_NAME, reason=REASON)
    return True


def _delete_screening(screening: Screening) -> bool:
    """Delete ``screening`` if it is still an unused draft; audited."""
    with transaction.atomic():
        locked = Screening.objects.select_for_update().filter(pk=screening.pk).first()
        if locked is None or locked.status != Screening.Status.DRAFT or locked.case_id:
            return False
        pk = locked.pk
        locked.delete()
        record(
            Action.DELETE,
            actor=None,
            actor_username=ACTOR_NAME,
            object_type=ObjectType.SCREENING,
            object_id=pk,
            reason=REASON,
        )
    return True
