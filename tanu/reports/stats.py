"""The statistics as tables: built from the aggregate queries, then published through the
small-cell protection. Only :class:`PublishedTable` leaves this module for pages, downloads,
the PDF and the API; true counts never do."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tanu.accounts.models import Agency, Region
from tanu.cases.models import AgeBand, Sex
from tanu.identification.checklist_files import load_all_data
from tanu.identification.models import AgeGroup, Form, Place
from tanu.reports import adapters, queries, snapshots
from tanu.reports import proceedings as proceeding_stats
from tanu.reports.categories import CITIZENSHIPS, OUTCOMES, VICTIM_OUTCOMES, normalise_citizenship
from tanu.reports.filters import Filters
from tanu.reports.suppression import (
    Count,
    Published,
    enough_for_summary,
    numeric,
    publish,
    small_label,
    threshold,
    total,
)

PROTECTION_NOTE = gettext_lazy(
    "Counts from 1 to 4 are shown as “<5”. Every other figure is rounded to a multiple of 5 "
    "after a small, repeatable random adjustment, so that no small group can be worked out "
    "from totals or filters; rows and columns may therefore not add up exactly."
)


@dataclass
class StatRow:
    key: str
    label: str
    cells: list[Count]

    @property
    def total(self) -> Count:
        return total(self.cells)


@dataclass
class StatTable:
    """A table of true counts (server side only)."""

    name: str
    title: str
    dimension: str
    unit: str
    columns: list[tuple[str, str]]
    rows: list[StatRow]
    with_totals: bool = True

    def publish(self) -> PublishedTable:
        limit = threshold()
        rows = [
            PublishedRow(
                key=row.key,
                label=row.label,
                values=[publish(c, limit) for c in row.cells],
                total=publish(row.total, limit),
            )
            for row in self.rows
        ]
        column_totals = [
            publish(total(row.cells[i] for row in self.rows), limit)
            for i in range(len(self.columns))
        ]
        grand = publish(total(row.total for row in self.rows), limit)
        return PublishedTable(
            name=self.name,
            title=self.title,
            dimension=self.dimension,
            unit=self.unit,
            column_keys=[k for k, _l in self.columns],
            columns=[label for _k, label in self.columns],
            rows=rows,
            column_totals=column_totals if self.with_totals else [],
            grand_total=grand if self.with_totals else None,
            multi=len(self.columns) > 1,
        )


@dataclass
class PublishedRow:
    key: str
    label: str
    values: list[Published]
    total: Published


@dataclass
class PublishedTable:
    """A table as shown: every figure protected."""

    name: str
    title: str
    dimension: str
    unit: str
    column_keys: list[str]
    columns: list[str]
    rows: list[PublishedRow]
    column_totals: list[Published]
    grand_total: Published | None
    multi: bool
    extra_columns: list[str] = field(default_factory=list)
    note: str = ""  # said under the table (pages, the PDF, the API)

    def header(self) -> list[str]:
        if self.multi:
            head = [self.dimension, *self.columns]
            return [*head, _("total")] if self.grand_total is not None else head
        return [self.dimension, self.columns[0] if self.columns else self.unit]

    def grid(self) -> list[list[Published | str]]:
        """Header, rows and the total row, as shown (for CSV, XLSX and the PDF)."""
        lines: list[list[Published | str]] = [list(self.header())]
        for row in self.rows:
            if self.multi:
                line: list[Published | str] = [row.label, *row.values]
                if self.grand_total is not None:
                    line.append(row.total)
            else:
                line = [row.label, row.values[0]]
            lines.append(line)
        if self.grand_total is not None:
            if self.multi:
                lines.append([_("total"), *self.column_totals, self.grand_total])
            else:
                lines.append([_("total"), self.grand_total])
        return lines

    def chart_points(self) -> list[tuple[str, Published]]:
        """What the chart draws: one bar per row (its total, or its only value)."""
        return [(row.label, row.total if self.multi else row.values[0]) for row in self.rows]

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            **({"note": self.note} if self.note else {}),
            "dimension": self.dimension,
            "unit": self.unit,
            "columns": [
                {"key": k, "label": label}
                for k, label in zip(self.column_keys, self.columns, strict=True)
            ],
            "rows": [
                {
                    "key": row.key,
                    "label": row.label,
                    "values": dict(zip(self.column_keys, row.values, strict=True)),
                    **({"total": row.total} if self.grand_total is not None else {}),
                }
                for row in self.rows
            ],
            "totals": (
                {
                    "values": dict(zip(self.column_keys, self.column_totals, strict=True)),
                    "total": self.grand_total,
                }
                if self.grand_total is not None
                else None
            ),
        }


# ---------------------------------------------------------------------------------------------
# Labels and orders


def _choices(pairs: Iterable[tuple[str, Any]]) -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in pairs]


#: A screening that stopped before enough was asked: counted apart, never as "no indication".
INCOMPLETE_COLUMN = ("incomplete", gettext_lazy("incomplete (interview stopped)"))


def _outcome_columns() -> list[tuple[str, str]]:
    return _choices([*OUTCOMES, INCOMPLETE_COLUMN])


def _victim_columns() -> list[tuple[str, str]]:
    return [(k, v) for k, v in _outcome_columns() if k in VICTIM_OUTCOMES]


def _month_label(value: str) -> str:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")
    except (ValueError, TypeError):
        return value


def _month_keys(filters: Filters, present: Iterable[str]) -> list[str]:
    days = filters.date_range()
    if days is None:
        return sorted(k for k in present if k)
    return [f"{days[0].year}-{m:02d}" for m in range(days[0].month, days[1].month + 1)]


@dataclass(frozen=True)
class Dimension:
    name: str
    title: Promise
    label: Promise
    #: (key, label) in display order; None: the keys present, sorted by the builder.
    order: Callable[[Filters, Iterable[str]], list[tuple[str, str]]]
    keep_zero_rows: bool = False


def _region_order(filters: Filters, present: Iterable[str]) -> list[tuple[str, str]]:
    qs = Region.objects.order_by("name_en")
    if filters.region_id is not None:
        qs = qs.filter(pk=filters.region_id)
    return [(str(r.pk), r.name) for r in qs]


SCREENING_TABLES: list[Dimension] = [
    Dimension(
        "by_region",
        gettext_lazy("Screenings by region"),
        gettext_lazy("region"),
        _region_order,
        keep_zero_rows=True,
    ),
    Dimension(
        "by_month",
        gettext_lazy("Screenings by month"),
        gettext_lazy("month"),
        lambda f, present: [(k, _month_label(k)) for k in _month_keys(f, present)],
        keep_zero_rows=True,
    ),
    Dimension(
        "by_agency_type",
        gettext_lazy("Screenings by type of agency"),
        gettext_lazy("agency type"),
        lambda f, present: _choices(Agency.Kind.choices),
    ),
    Dimension(
        "by_place",
        gettext_lazy("Screenings by place of screening"),
        gettext_lazy("place of screening"),
        lambda f, present: _choices(Place.choices),
    ),
    Dimension(
        "by_form",
        gettext_lazy("Screenings by form of exploitation"),
        gettext_lazy("form of exploitation"),
        lambda f, present: _choices(Form.choices),
    ),
    Dimension(
        "by_age_group",
        gettext_lazy("Screenings by age group"),
        gettext_lazy("age group"),
        lambda f, present: _choices(AgeGroup.choices),
    ),
]
_SCREENING_QUERY_DIMENSION = {
    "by_region": "region",
    "by_month": "month",
    "by_agency_type": "agency_type",
    "by_place": "place",
    "by_form": "form",
    "by_age_group": "age_group",
}


def _grid_table(
    name: str,
    title: str,
    dimension: str,
    unit: str,
    columns: list[tuple[str, str]],
    order: list[tuple[str, str]],
    counts: dict[str, dict[str, Count]],
    keep_zero_rows: bool,
) -> StatTable:
    rows = []
    known = {key for key, _label in order}
    extra = sorted(k for k in counts if k not in known)  # a value no longer offered
    for key, label in [*order, *((k, k or _("not known")) for k in extra)]:
        cells = [counts.get(key, {}).get(col, Count()) for col, _l in columns]
        if keep_zero_rows or any(c.n for c in cells):
            rows.append(StatRow(key, label, cells))
    return StatTable(name, title, dimension, unit, columns, rows)


def screening_tables(filters: Filters, counts: queries.ScreeningCounts) -> list[StatTable]:
    unit = _("screenings")
    tables = []
    for dim in SCREENING_TABLES:
        by_value = counts.get(_SCREENING_QUERY_DIMENSION[dim.name], {})
        tables.append(
            _grid_table(
                dim.name,
                str(dim.title),
                str(dim.label),
                unit,
                _outcome_columns(),
                dim.order(filters, by_value.keys()),
                by_value,
                dim.keep_zero_rows,
            )
        )
    return tables


def person_tables(groups: list[queries.PersonGroup]) -> list[StatTable]:
    unit = _("persons identified")
    by_sex: dict[str, dict[str, Count]] = defaultdict(dict)
    by_citizenship: dict[str, dict[str, Count]] = defaultdict(dict)
    by_age: dict[str, dict[str, Count]] = defaultdict(dict)
    for group in groups:
        if group.outcome not in VICTIM_OUTCOMES:
            continue
        for target, key in (
            (by_sex, group.sex),
            (by_citizenship, normalise_citizenship(group.citizenship)),
            (by_age, group.age_band),
        ):
            target[key][group.outcome] = target[key].get(group.outcome, Count()) + group.count
    columns = _victim_columns()
    return [
        _grid_table(
            "persons_by_sex",
            _("Presumed and possible victims by sex"),
            _("sex"),
            unit,
            columns,
            _choices(Sex.choices),
            by_sex,
            False,
        ),
        _grid_table(
            "persons_by_citizenship",
            _("Presumed and possible victims by citizenship"),
            _("citizenship"),
            unit,
            columns,
            _choices(CITIZENSHIPS),
            by_citizenship,
            False,
        ),
        _grid_table(
            "persons_by_age_band",
            _("Presumed and possible victims by age"),
            _("age"),
            unit,
            columns,
            _choices(AgeBand.choices),
            by_age,
            False,
        ),
    ]


def funnel_table(
    counts: queries.ScreeningCounts, groups: list[queries.PersonGroup], persons: Count
) -> StatTable:
    totals = counts.get("", {}).get("", {})
    screened = total(totals.values())
    victims = total(totals.get(o, Count()) for o in VICTIM_OUTCOMES)
    cases = [g for g in groups if g.source == "case"]
    steps = [
        ("screened", _("screenings finalised"), screened),
        ("victims", _("presumed or possible victims"), victims),
        ("cases", _("cases opened"), total(g.count for g in cases)),
        ("persons", _("distinct persons (linked records counted once)"), persons),
        (
            "declined",
            _("adults who declined a case (anonymous notification)"),
            total(g.count for g in groups if g.source == "notification"),
        ),
        ("referred", _("cases referred to a service"), total(g.count for g in cases if g.referred)),
        ("served", _("cases with a service given"), total(g.count for g in cases if g.served)),
    ]
    return StatTable(
        "funnel",
        _("From screening to services"),
        _("step"),
        _("number"),
        [("count", _("number"))],
        [StatRow(key, str(label), [count]) for key, label, count in steps],
        with_totals=False,
    )


# ---------------------------------------------------------------------------------------------
# Timings


@dataclass
class Timing:
    key: str
    label: str
    cases: Published
    median_days: int | None
    p75_days: int | None

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "cases": self.cases,
            "median_days": self.median_days,
            "p75_days": self.p75_days,
        }


def quantile(histogram: dict[int, Count], q: float) -> int | None:
    """The q-quantile of a histogram {days: Count} (None for none)."""
    n = sum(c.n for c in histogram.values())
    if n == 0:
        return None
    rank = q * (n - 1)
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days].n
        if seen > rank:
            return days
    return max(histogram)


def timings(histograms: queries.Histograms) -> list[Timing]:
    result = []
    for key, label, histogram in (
        ("to_referral", _("from screening to the first referral"), histograms.to_referral),
        ("to_service", _("from the first referral to the first service"), histograms.to_service),
    ):
        cases = total(histogram.values())
        enough = enough_for_summary(cases)
        result.append(
            Timing(
                key=key,
                label=label,
                cases=publish(cases),
                median_days=quantile(histogram, 0.5) if enough else None,
                p75_days=quantile(histogram, 0.75) if enough else None,
            )
        )
    return result


def timings_table(items: list[Timing]) -> PublishedTable:
    """The timings as a table (for downloads and the PDF)."""
    return PublishedTable(
        name="timings",
        title=_("Time to referral and to services (days)"),
        dimension=_("interval"),
        unit=_("days"),
        column_keys=["cases", "median_days", "p75_days"],
        columns=[_("cases measured"), _("median (days)"), _("75th percentile (days)")],
        rows=[
            PublishedRow(
                key=t.key,
                label=t.label,
                values=[
                    t.cases,
                    t.median_days if t.median_days is not None else "—",
                    t.p75_days if t.p75_days is not None else "—",
                ],
                total=t.cases,
            )
            for t in items
        ],
        column_totals=[],
        grand_total=None,
        multi=True,
    )


# ---------------------------------------------------------------------------------------------
# Indicators


@cache
def _indicator_catalogue() -> dict[str, dict[str, Any]]:
    catalogue: dict[str, dict[str, Any]] = {}
    for data in load_all_data().values():
        dimensions = {d["key"]: d.get("label", {}) for d in data.get("dimensions", [])}
        for indicator in data.get("indicators", []):
            catalogue[indicator["code"]] = {
                "label": indicator.get("label", {}),
                "strength": indicator.get("strength", ""),
                "dimension": dimensions.get(indicator.get("dimension", ""), {}),
            }
    return catalogue


def _in_language(texts: dict[str, str], fallback: str) -> str:
    lang = (get_language() or "ru")[:2]
    return texts.get(lang) or texts.get("en") or fallback


def indicator_table(counts: dict[str, Count], top: int = 10) -> StatTable:
    catalogue = _indicator_catalogue()
    limit = threshold()

    def order(item: tuple[str, Count]) -> tuple[int, str]:
        shown = numeric(publish(item[1], limit))
        return (-(shown if shown is not None else 0), item[0])

    rows = []
    for code, count in sorted(counts.items(), key=order)[:top]:
        info = catalogue.get(code)
        label = f"{code} · {_in_language(info['label'], code)}" if info else code
        rows.append(StatRow(code, label, [count]))
    return StatTable(
        "indicators",
        _("Most frequent indicators among presumed and possible victims"),
        _("indicator"),
        _("screenings"),
        [("count", _("screenings where it was observed"))],
        rows,
        with_totals=False,
    )


# ---------------------------------------------------------------------------------------------
# Everything at once


@dataclass
class Overview:
    filters: Filters
    tables: list[PublishedTable]
    timings: list[Timing]
    optional: list[PublishedTable]
    threshold: int
    note: str
    computed_at: datetime | None = None  # when the figures were computed
    #: The criminal proceedings section (tanu.reports.proceedings), in display order.
    proceedings: list[PublishedTable] = field(default_factory=list)

    def table(self, name: str) -> PublishedTable | None:
        every = [*self.tables, *self.optional, *self.proceedings]
        return next((t for t in every if t.name == name), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "small_label": small_label(self.threshold),
            "note": self.note,
            "computed_at": self.computed_at.isoformat() if self.computed_at else None,
            "filters": self.filters.describe(),
            "tables": {
                t.name: t.as_json()
                for t in [*self.tables, *self.optional, *self.proceedings]
                if t.name not in proceeding_stats.SUMMARY_TABLES
            },
            "timings": [t.as_json() for t in self.timings],
            # Medians and sums, apart from the tables of counts (like the timings).
            "proceeding_summaries": {
                t.name: t.as_json()
                for t in self.proceedings
                if t.name in proceeding_stats.SUMMARY_TABLES
            },
        }


def overview(filters: Filters) -> Overview:
    """Every statistic of the dashboard's main view, protected, in the current language: from
    the filters' snapshot when there is a recent one (tanu.reports.snapshots), else computed
    with a fixed number of queries."""
    figures = snapshots.figures(filters)
    tables = [
        funnel_table(figures.counts, figures.groups, figures.persons),
        *screening_tables(filters, figures.counts),
        *person_tables(figures.groups),
    ]
    return Overview(
        filters=filters,
        tables=[t.publish() for t in tables],
        timings=timings(figures.histograms),
        optional=adapters.optional_tables(figures.visits, figures.training),
        threshold=threshold(),
        note=str(PROTECTION_NOTE),
        computed_at=figures.computed_at,
        proceedings=proceeding_stats.tables(figures.proceedings),
    )


def indicators(filters: Filters) -> PublishedTable:
    """The most frequent indicators, from the filters' snapshot when there is a recent one."""
    return indicator_table(snapshots.indicator_figures(filters).counts).publish()


#: Tables of medians and sums (no chart; apart from the counts in the API).
SUMMARY_TABLES = proceeding_stats.SUMMARY_TABLES

#: Every table the downloads and the API can name, in display order.
TABLE_NAMES = (
    "funnel",
    *(d.name for d in SCREENING_TABLES),
    "persons_by_sex",
    "persons_by_citizenship",
    "persons_by_age_band",
    "timings",
    "indicators",
    "monitoring",
    "training",
    *proceeding_stats.TABLE_NAMES,
)


def table_by_name(filters: Filters, name: str) -> PublishedTable | None:
    """One table by name (None if unknown or, for the optional ones, not available)."""
    if name == "indicators":
        return indicators(filters)
    data = overview(filters)
    if name == "timings":
        return timings_table(data.timings)
    return data.table(name)
