"""Statistics snapshots: the true figures behind one set of filters, kept for a few minutes.

The dashboard's figures are aggregates over every screening, case and referral of the country:
at a million screenings computing them takes about a second of database time, however well the
queries use the statistics cube (tanu.reports.cube), because the cases, referrals and services
behind the funnel and the timings are read whole. Every published figure is perturbed and
rounded to a multiple of 5 (tanu.reports.suppression), so a figure a few minutes old shows the
same as one computed this instant in all but the rarest case. So:

- the figures for a set of filters are computed once (inside one read transaction, from the
  cube and the live tables) and stored as a snapshot: true counts and cell keys, language
  independent, never published as they are (pages, downloads, the PDF and the API publish them
  through the small-cell protection, in the reader's language);
- a snapshot younger than ``TANU_STATS_MAX_AGE`` seconds (default 300) is served as it is;
- an older one is still served while :data:`refresh_task`, put once on the task queue
  (tanu.lib.tasks.enqueue_once), computes it again, so nobody waits for the figures;
- one older than :data:`STALE_FACTOR` times the maximum age (an hour by default: nobody looked
  at these filters for a long time) is computed again before it is shown;
- ``TANU_STATS_MAX_AGE=0`` switches snapshots off: every page computes its figures.

The page says when its figures were computed. ``tanu stats refresh`` (and the named task
``stats-refresh``, from cron) computes the
main views again (their figures and their indicators panel): the country for analysts and each
region for its coordinators, so that they are always ready; it also forgets snapshots nobody asked for in a day. Snapshots hold counts,
never personal data; the filters they are keyed by come from a validated form and include the
region a coordinator is limited to, so one user's scope never serves another's."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from tanu.accounts.models import Region
from tanu.lib.tasks import enqueue_once
from tanu.reports import adapters, cube, queries
from tanu.reports import proceedings as proceeding_stats
from tanu.reports.filters import Filters
from tanu.reports.models import StatsSnapshot
from tanu.reports.suppression import Count, cell_key_fingerprint

log = logging.getLogger(__name__)

DEFAULT_MAX_AGE = 300
#: A snapshot older than this many times the maximum age is computed again before it is shown.
STALE_FACTOR = 12
#: A refresh enqueued longer ago than this and not finished is taken to be lost.
STALE_REFRESH = timedelta(minutes=10)
#: Snapshots nobody asked for in this long are forgotten by `tanu stats refresh`.
FORGET_AFTER = timedelta(days=1)


@dataclass
class Figures:
    """Everything the dashboard's main view shows, as true counts (server side only)."""

    counts: queries.ScreeningCounts
    groups: list[queries.PersonGroup]
    histograms: queries.Histograms
    visits: dict[str, Count]
    training: dict[str, tuple[Count, float | None]]
    computed_at: datetime
    proceedings: proceeding_stats.ProceedingFigures = dataclasses.field(
        default_factory=proceeding_stats.ProceedingFigures
    )
    #: Cases counted once per person (tanu.linkage: merged or strongly matched records).
    persons: Count = dataclasses.field(default_factory=Count)


def max_age() -> int:
    """Seconds a snapshot is served without a refresh (0: no snapshots)."""
    value = getattr(settings, "TANU_STATS_MAX_AGE", None)
    if value is None:
        value = int(os.environ.get("TANU_STATS_MAX_AGE", DEFAULT_MAX_AGE))
    return max(0, int(value))


@dataclass
class IndicatorFigures:
    """The indicators observed among presumed and possible victims (the panel the dashboard
    loads after the page: the heaviest statistic, kept apart from the main view's)."""

    counts: dict[str, Count]
    computed_at: datetime


OVERVIEW = "overview"
INDICATORS = "indicators"
KINDS = (OVERVIEW, INDICATORS)


def key_for(filters: Filters, kind: str = OVERVIEW) -> str:
    """The snapshot's key: what it holds, the filters, and the secret the cell keys were made
    with (a new TANU_SECRET_KEY makes new cell keys, so old snapshots are never used with it)."""
    text = f"{kind}|{filters.describe()!r}|{filters.region_id}|{cell_key_fingerprint()}"
    return hashlib.sha256(text.encode()).hexdigest()


# --- computing ------------------------------------------------------------------------------


def compute(filters: Filters) -> Figures:
    """The figures now: a fixed number of queries in one read transaction."""
    with queries.reading():
        state = queries.cube_state()
        counts, changed = queries.screening_counts_and_changes(filters, state)
        groups, histograms = queries.case_figures(filters)
        visits = adapters.monitoring_figures(filters)
        training = adapters.training_figures(filters)
        criminal = proceeding_stats.proceeding_figures(filters)
        persons = queries.distinct_persons(filters)
    if cube.auto_rebuild_enabled() and cube.needs_rebuild(state, changed):
        cube.rebuild_in_background()
    return Figures(counts, groups, histograms, visits, training, timezone.now(), criminal, persons)


def compute_indicators(filters: Filters) -> IndicatorFigures:
    with queries.reading():
        counts = queries.indicator_counts(filters)
    return IndicatorFigures(counts, timezone.now())


# --- storing --------------------------------------------------------------------------------


def _count(value: Count) -> list[int]:
    return [value.n, value.key]


def _uncount(value: list[int]) -> Count:
    return Count(int(value[0]), int(value[1]))


def encode(figures: Figures) -> dict[str, Any]:
    return {
        "counts": {
            dim: {
                value: {outcome: _count(c) for outcome, c in by_outcome.items()}
                for value, by_outcome in by_value.items()
            }
            for dim, by_value in figures.counts.items()
        },
        "groups": [
            [
                g.source,
                g.sex,
                g.citizenship,
                g.age_band,
                g.outcome,
                g.referred,
                g.served,
                *_count(g.count),
            ]
            for g in figures.groups
        ],
        "histograms": {
            "to_referral": {str(d): _count(c) for d, c in figures.histograms.to_referral.items()},
            "to_service": {str(d): _count(c) for d, c in figures.histograms.to_service.items()},
        },
        "visits": {k: _count(c) for k, c in figures.visits.items()},
        "training": {k: [*_count(c), mean] for k, (c, mean) in figures.training.items()},
        "proceedings": proceeding_stats.encode(figures.proceedings),
        "persons": _count(figures.persons),
    }


def decode(data: dict[str, Any], computed_at: datetime) -> Figures:
    counts: queries.ScreeningCounts = {}
    for dim, by_value in data["counts"].items():
        counts[dim] = defaultdict(dict)
        for value, by_outcome in by_value.items():
            counts[dim][value] = {o: _uncount(c) for o, c in by_outcome.items()}
    groups = [
        queries.PersonGroup(
            source=row[0],
            sex=row[1],
            citizenship=row[2],
            age_band=row[3],
            outcome=row[4],
            referred=bool(row[5]),
            served=bool(row[6]),
            count=Count(int(row[7]), int(row[8])),
        )
        for row in data["groups"]
    ]
    histograms = queries.Histograms(
        {int(d): _uncount(c) for d, c in data["histograms"]["to_referral"].items()},
        {int(d): _uncount(c) for d, c in data["histograms"]["to_service"].items()},
    )
    visits = {k: _uncount(c) for k, c in data["visits"].items()}
    training = {
        k: (Count(int(v[0]), int(v[1])), None if v[2] is None else float(v[2]))
        for k, v in data["training"].items()
    }
    # A snapshot from before the proceedings section has no "proceedings": the KeyError makes
    # it computed again.
    criminal = proceeding_stats.decode(data["proceedings"])
    persons = _uncount(data["persons"])  # missing in older snapshots: computed again
    return Figures(counts, groups, histograms, visits, training, computed_at, criminal, persons)


def _encode(kind: str, value: Any) -> dict[str, Any]:
    if kind == INDICATORS:
        return {"indicators": {code: _count(c) for code, c in value.counts.items()}}
    return encode(value)


def _decode(kind: str, data: dict[str, Any], computed_at: datetime) -> Any:
    if kind == INDICATORS:
        counts = {str(code): _uncount(c) for code, c in data["indicators"].items()}
        return IndicatorFigures(counts, computed_at)
    return decode(data, computed_at)


def _compute(kind: str, filters: Filters) -> Any:
    return compute_indicators(filters) if kind == INDICATORS else compute(filters)


def store(filters: Filters, value: Figures | IndicatorFigures, duration_ms: int) -> None:
    """Keep the figures as the snapshot of these filters (replacing an older one)."""
    kind = INDICATORS if isinstance(value, IndicatorFigures) else OVERVIEW
    key = key_for(filters, kind)
    values = {
        "data": _encode(kind, value),
        "filters": filters.describe(),
        "computed_at": value.computed_at,
        "duration_ms": duration_ms,
    }
    try:
        with transaction.atomic():
            updated = StatsSnapshot.objects.filter(
                Q(computed_at__lte=value.computed_at), key=key
            ).update(**values)
            if not updated and not StatsSnapshot.objects.filter(key=key).exists():
                StatsSnapshot.objects.create(key=key, **values)
    except IntegrityError:
        pass  # another process stored the same filters' figures at the same moment


def compute_and_store(filters: Filters, kind: str = OVERVIEW) -> Any:
    started = time.perf_counter()
    value = _compute(kind, filters)
    store(filters, value, round((time.perf_counter() - started) * 1000))
    return value


# --- serving --------------------------------------------------------------------------------


@task
def refresh_task(filters: dict[str, Any], kind: str) -> int:
    """Compute one snapshot again, as a task (the filters as their fields). Returns the
    milliseconds it took."""
    started = time.perf_counter()
    compute_and_store(Filters(**filters), kind if kind in KINDS else OVERVIEW)
    return round((time.perf_counter() - started) * 1000)


def refresh_in_background(filters: Filters, kind: str = OVERVIEW) -> bool:
    """Put one refresh of these filters' snapshot on the task queue, unless one already waits
    or runs there. True when this call enqueued it."""
    return enqueue_once(refresh_task, dataclasses.asdict(filters), kind, within=STALE_REFRESH)


def _served(filters: Filters, kind: str) -> Any:
    """A fresh snapshot, a stale one while it is refreshed in the background, or computed now
    (no snapshot, or a very old one, or snapshots off)."""
    age_limit = max_age()
    if age_limit <= 0:
        return _compute(kind, filters)
    snapshot = (
        StatsSnapshot.objects.filter(key=key_for(filters, kind)).only("data", "computed_at").first()
    )
    if snapshot is None:
        return compute_and_store(filters, kind)
    age = timezone.now() - snapshot.computed_at
    if age > timedelta(seconds=age_limit * STALE_FACTOR):
        return compute_and_store(filters, kind)
    if age > timedelta(seconds=age_limit):
        refresh_in_background(filters, kind)
    try:
        return _decode(kind, snapshot.data, snapshot.computed_at)
    except (KeyError, TypeError, ValueError, IndexError):
        log.warning("statistics snapshot unreadable: computing the figures again")
        return compute_and_store(filters, kind)


def figures(filters: Filters) -> Figures:
    """The main view's figures for these filters."""
    value = _served(filters, OVERVIEW)
    assert isinstance(value, Figures)
    return value


def indicator_figures(filters: Filters) -> IndicatorFigures:
    """The indicators panel's figures for these filters."""
    value = _served(filters, INDICATORS)
    assert isinstance(value, IndicatorFigures)
    return value


# --- the main views, from cron --------------------------------------------------------------


def main_views() -> list[Filters]:
    """The views users open first: the country (analysts) and each region (coordinators)."""
    regions = Region.objects.order_by("name_en")
    return [Filters(), *(Filters(region_id=r.pk, region_code=r.code) for r in regions)]


def refresh_main_views(progress: Callable[[int, int, Filters, int], None] | None = None) -> int:
    """Compute the main views' snapshots again; forget snapshots not refreshed in a day.
    Returns how many were computed."""
    views = main_views()
    for i, filters in enumerate(views, start=1):
        started = time.perf_counter()
        for kind in KINDS:
            compute_and_store(filters, kind)
        if progress is not None:
            progress(i, len(views), filters, round((time.perf_counter() - started) * 1000))
    StatsSnapshot.objects.filter(computed_at__lt=timezone.now() - FORGET_AFTER).delete()
    return len(views)
