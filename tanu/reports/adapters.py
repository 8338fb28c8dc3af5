"""Figures from monitoring (visits) and training (knowledge tests) for the statistics.

Reports sit above both apps and import them plainly: a renamed field fails the tests and the
page loudly, instead of silently blanking the dashboard.

- monitoring: visits recorded and visits planned (``Visit``: ``status``, ``region``,
  ``planned_on``);
- training: pre-test and post-test attempts and their mean scores (``Attempt`` with ``score``
  and ``test.kind``, ``test.seminar.region``, ``test.seminar.starts_on``). A mean is shown only
  for at least twice the small-cell threshold of attempts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Sum
from django.utils.translation import gettext as _

from tanu.monitoring.models import Visit
from tanu.reports import suppression
from tanu.reports.filters import Filters
from tanu.training.models import Attempt


def monitoring_figures(filters: Filters) -> dict[str, suppression.Count]:
    """{"done": Count, "planned": Count} of monitoring visits."""
    qs = Visit.objects.all()
    if filters.region_id is not None:
        qs = qs.filter(region_id=filters.region_id)
    days = filters.date_range()
    if days is not None:
        qs = qs.filter(planned_on__gte=days[0], planned_on__lte=days[1])
    rows = qs.values("status").annotate(n=Count("id"), k=Sum("id"))
    by_status = {r["status"]: suppression.Count.of("visit", r["n"], r["k"]) for r in rows}
    return {
        "done": by_status.get("done", suppression.Count()),
        "planned": by_status.get("planned", suppression.Count()),
    }


def training_figures(filters: Filters) -> dict[str, Any]:
    """{"pre": (Count, mean), "post": (Count, mean)} of submitted test attempts ({} for none)."""
    qs = Attempt.objects.filter(score__isnull=False, test__kind__in=("pre", "post"))
    if filters.region_id is not None:
        qs = qs.filter(test__seminar__region_id=filters.region_id)
    days = filters.date_range()
    if days is not None:
        qs = qs.filter(test__seminar__starts_on__gte=days[0], test__seminar__starts_on__lte=days[1])
    rows = qs.values("test__kind").annotate(n=Count("id"), k=Sum("id"), mean=Avg("score"))
    return {
        r["test__kind"]: (suppression.Count.of("attempt", r["n"], r["k"]), r["mean"]) for r in rows
    }


def optional_tables(visits: dict[str, suppression.Count], training: dict[str, Any]) -> list[Any]:
    """The monitoring and training tables (published), from :func:`monitoring_figures` and
    :func:`training_figures` (none for an app that gave no figures)."""
    from tanu.reports.stats import PublishedRow, PublishedTable, StatRow, StatTable

    tables = []
    if visits:
        tables.append(
            StatTable(
                "monitoring",
                _("Monitoring visits"),
                _("visits"),
                _("visits"),
                [("count", _("number"))],
                [
                    StatRow("done", _("visits recorded"), [visits["done"]]),
                    StatRow("planned", _("visits planned"), [visits["planned"]]),
                ],
                with_totals=False,
            ).publish()
        )
    if training:
        rows = []
        for kind, label in (("pre", _("pre-test")), ("post", _("post-test"))):
            count, mean = training.get(kind, (suppression.Count(), None))
            shown_mean: int | str = (
                round(float(mean))
                if mean is not None and suppression.enough_for_summary(count)
                else "—"
            )
            published = suppression.publish(count)
            rows.append(PublishedRow(kind, label, [published, shown_mean], published))
        tables.append(
            PublishedTable(
                name="training",
                title=_("Training: knowledge tests"),
                dimension=_("test"),
                unit=_("attempts"),
                column_keys=["attempts", "mean_score"],
                columns=[_("attempts submitted"), _("mean score (%)")],
                rows=rows,
                column_totals=[],
                grand_total=None,
                multi=True,
            )
        )
    return tables
