"""Reading monitoring data: what a visit found, conflicts on the calendar, and the overview.

Every list here costs a fixed number of queries, whatever the amount of data: counts are
aggregated in the database, never row by row."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from tanu.accounts.models import Region
from tanu.identification.models import Screening
from tanu.monitoring.models import Facility, FollowUpAction, Visit
from tanu.referrals.models import Referral

PRESUMED = "presumed_victim"
POSSIBLE = "possible_victim"
# A correction replaces the screening it corrects: only the latest one counts.
COUNTED_SCREENINGS = ~Q(status=Screening.Status.SUPERSEDED)
# A withdrawn referral was taken back: it does not count as made.
COUNTED_REFERRALS = ~Q(status=Referral.Status.WITHDRAWN)


@dataclass
class Found:
    """What the screenings started from one or more visits found."""

    screenings: int = 0
    drafts: int = 0
    presumed: int = 0
    possible: int = 0
    referrals: int = 0


def _counted(screenings: Any) -> Any:
    """Screening counts per group of a .values() query."""
    final = Q(status=Screening.Status.FINAL)
    return screenings.annotate(
        screenings=Count("id"),
        drafts=Count("id", filter=Q(status=Screening.Status.DRAFT)),
        # Only a finalised screening's outcome counts: a draft's may still change.
        presumed=Count("id", filter=final & Q(outcome=PRESUMED)),
        possible=Count("id", filter=final & Q(outcome=POSSIBLE)),
    )


def visit_found(visit: Visit) -> Found:
    """Counts from the screenings linked to the visit and the referrals of their cases."""
    return found_by_visit([visit.pk])[visit.pk]


def found_by_visit(visit_ids: Sequence[int]) -> dict[int, Found]:
    """The same counts for many visits, in two queries."""
    found: dict[int, Found] = defaultdict(Found)
    if not visit_ids:
        return found
    for row in _counted(
        Screening.objects.filter(COUNTED_SCREENINGS, visit_id__in=visit_ids).values("visit_id")
    ):
        found[row["visit_id"]] = Found(
            screenings=row["screenings"],
            drafts=row["drafts"],
            presumed=row["presumed"],
            possible=row["possible"],
        )
    for row in (
        Referral.objects.filter(COUNTED_REFERRALS, case__screenings__visit_id__in=visit_ids)
        .values(visit_id=F("case__screenings__visit_id"))
        .annotate(n=Count("id", distinct=True))
    ):
        found[row["visit_id"]].referrals = row["n"]
    return found


# The calendar


@dataclass
class CalendarEntry:
    visit: Visit
    conflicts: list[str] = field(default_factory=list)
    overdue: bool = False


def conflicts(visits: Iterable[Visit]) -> dict[int, list[str]]:
    """Two visits to the same facility on the same day, or a team member in two visits on the
    same day. Visits need their members prefetched (members__user). Cancelled visits never
    conflict."""
    live = [v for v in visits if v.status != Visit.Status.CANCELLED]
    by_facility: dict[tuple[int, date], list[Visit]] = defaultdict(list)
    by_member: dict[tuple[int, date], list[Visit]] = defaultdict(list)
    names: dict[int, str] = {}
    for visit in live:
        by_facility[(visit.facility_id, visit.day)].append(visit)
        for member in visit.members.all():
            by_member[(member.user_id, visit.day)].append(visit)
            names[member.user_id] = member.user.get_full_name() or member.user.username
    found: dict[int, list[str]] = defaultdict(list)
    for same in by_facility.values():
        if len(same) > 1:
            for visit in same:
                found[visit.pk].append(_("another visit to this facility on the same day"))
    for (user_id, _day), same in by_member.items():
        if len(same) > 1:
            for visit in same:
                found[visit.pk].append(
                    _("%(name)s is on another visit the same day") % {"name": names[user_id]}
                )
    return found


def with_team(visits: QuerySet[Visit]) -> QuerySet[Visit]:
    return visits.prefetch_related("members__user")


def calendar_entries(
    visits: QuerySet[Visit], first: date, last: date, today: date
) -> list[CalendarEntry]:
    """The visits of a period (by the day they are planned for or took place), with conflicts
    worked out against every visit of the region on those days."""
    in_period = Q(planned_on__range=(first, last)) | Q(visited_on__range=(first, last))
    rows = list(with_team(visits.filter(in_period)).order_by("planned_on", "pk"))
    rows = [v for v in rows if first <= v.day <= last]
    found = conflicts(rows)
    entries = [
        CalendarEntry(visit=v, conflicts=found.get(v.pk, []), overdue=v.is_overdue(today))
        for v in rows
    ]
    entries.sort(key=lambda e: (e.visit.day, e.visit.pk))
    return entries


# The overview


@dataclass
class OverviewRow:
    region: Region | None
    kind: str
    planned: int = 0
    done: int = 0
    cancelled: int = 0
    overdue: int = 0
    present: int = 0
    screened: int = 0
    found: Found = field(default_factory=Found)
    open_actions: int = 0
    overdue_actions: int = 0

    @property
    def kind_label(self) -> str:
        return str(Facility.Kind(self.kind).label) if self.kind in Facility.Kind.values else ""

    def add(self, other: OverviewRow) -> None:
        for name in (
            "planned",
            "done",
            "cancelled",
            "overdue",
            "present",
            "screened",
            "open_actions",
            "overdue_actions",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("screenings", "drafts", "presumed", "possible", "referrals"):
            setattr(self.found, name, getattr(self.found, name) + getattr(other.found, name))


def overview(
    visits: QuerySet[Visit], first: date, last: date, today: date
) -> tuple[list[OverviewRow], OverviewRow]:
    """Per region and facility type: visits done against planned, people screened, presumed
    and possible victims found, referrals made, open follow-up actions. Visits count by their
    planned date. A fixed number of queries."""
    period = visits.filter(planned_on__range=(first, last))
    regions = {r.pk: r for r in Region.objects.filter(pk__in=period.values("region_id"))}
    rows: dict[tuple[int, str], OverviewRow] = {}

    def row(region_id: int, kind: str) -> OverviewRow:
        key = (region_id, kind)
        if key not in rows:
            rows[key] = OverviewRow(region=regions.get(region_id), kind=kind)
        return rows[key]

    for data in period.values("region_id", "facility__kind").annotate(
        planned=Count("id", filter=~Q(status=Visit.Status.CANCELLED)),
        done=Count("id", filter=Q(status=Visit.Status.DONE)),
        cancelled=Count("id", filter=Q(status=Visit.Status.CANCELLED)),
        overdue=Count("id", filter=Q(status=Visit.Status.PLANNED, planned_on__lt=today)),
        adults=Sum("adults_present", filter=Q(status=Visit.Status.DONE)),
        juveniles=Sum("juveniles_present", filter=Q(status=Visit.Status.DONE)),
        screened=Sum("people_screened", filter=Q(status=Visit.Status.DONE)),
    ):
        r = row(data["region_id"], data["facility__kind"])
        r.planned, r.done = data["planned"], data["done"]
        r.cancelled, r.overdue = data["cancelled"], data["overdue"]
        r.present = (data["adults"] or 0) + (data["juveniles"] or 0)
        r.screened = data["screened"] or 0
    ids = period.values("id")
    for by_kind in _counted(
        Screening.objects.filter(COUNTED_SCREENINGS, visit_id__in=ids).values(
            group_region=F("visit__region_id"), group_kind=F("visit__facility__kind")
        )
    ):
        r = row(by_kind["group_region"], by_kind["group_kind"])
        for name in ("screenings", "drafts", "presumed", "possible"):
            setattr(r.found, name, by_kind[name])
    for referred in (
        Referral.objects.filter(COUNTED_REFERRALS, case__screenings__visit_id__in=ids)
        .values(
            group_region=F("case__screenings__visit__region_id"),
            group_kind=F("case__screenings__visit__facility__kind"),
        )
        .annotate(n=Count("id", distinct=True))
    ):
        row(referred["group_region"], referred["group_kind"]).found.referrals = referred["n"]
    for open_actions in (
        FollowUpAction.objects.filter(visit_id__in=ids, status=FollowUpAction.Status.OPEN)
        .values(group_region=F("visit__region_id"), group_kind=F("visit__facility__kind"))
        .annotate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=today)))
    ):
        r = row(open_actions["group_region"], open_actions["group_kind"])
        r.open_actions, r.overdue_actions = open_actions["n"], open_actions["late"]
    ordered = sorted(rows.values(), key=lambda r: (r.region.name if r.region else "", r.kind_label))
    total = OverviewRow(region=None, kind="")
    for r in ordered:
        total.add(r)
    return ordered, total
