# SQL here is assembled from fixed table and column names only; every value that comes from a
# request is passed as a parameter.
# ruff: noqa: S608
"""Statistics of criminal proceedings (issue 20): the dashboard section "Criminal proceedings"
and its part of the quarterly report.

What is counted, within the filters (region, form, agency type, sex and age group apply to the
proceeding's case, as for the case statistics; the period applies to the date of the event
each figure counts):

- proceedings registered (``registered_on`` in the period);
- criminal cases sent to court (``sent_to_court_on`` in the period): a criminal case here is a
  proceeding, never a tanu case;
- convictions and acquittals (``verdict_on`` in the period), in total and by Criminal Code
  article and year of the verdict: a proceeding under several articles counts under each;
- persons who agreed to cooperate (tanu cases with a proceeding registered in the period and
  ``cooperates``), and persons with a protection measure, by kind (measures starting in the
  period): persons, not measures, so that one person with three measures counts once per kind;
- the median days from identification to registration (proceedings registered in the period)
  and from registration to the verdict (verdicts in the period);
- compensation awarded and paid, in tenge (verdicts in the period).

Every count is published through the small-cell protection (tanu.reports.suppression), with
its own record keys ("proceeding" for proceedings, "case" for persons, so that a group of
persons gets the same figure here as anywhere else). A median or a sum of money says something
about every member of its group: it is published only when the group has at least twice the
threshold of proceedings (:func:`tanu.reports.suppression.enough_for_summary`), like the other
medians and means. Sums are also adjusted by a repeatable amount seeded by the group's cell key
and rounded to :data:`MONEY_ROUNDING` tenge, so that the difference of the sums shown for two
filters only approximates the sum of the few proceedings between them. Residual risk, as for
the counts: many different ways of writing the same small group's sum could average the
adjustment away; the amount is then known to within a few thousand tenge, never who got it.

A fixed number of queries (four), aggregating in the database; the figures are true counts and
cell keys, kept in the statistics snapshot (tanu.reports.snapshots) and published at reading
time in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tanu.cases.models import Case, Person
from tanu.proceedings.models import Article, Proceeding, ProtectionMeasure
from tanu.reports import suppression
from tanu.reports.queries import (
    AGENCY,
    SCREENING,
    Clause,
    _date,
    _fetch,
    vendor,
)
from tanu.reports.suppression import Count

if TYPE_CHECKING:
    from tanu.reports.filters import Filters
    from tanu.reports.stats import PublishedTable

PROCEEDING = Proceeding._meta.db_table
PROCEEDING_ARTICLES = Proceeding.articles.through._meta.db_table
PROTECTION = ProtectionMeasure._meta.db_table
CASE = Case._meta.db_table
PERSON = Person._meta.db_table

#: Sums of money are rounded to this many tenge.
MONEY_ROUNDING = 10_000

#: The rows of the overview table, in order (key: what is counted).
OVERVIEW_ROWS = ("registered", "sent_to_court", "convicted", "acquitted", "cooperated")
#: The names of the section's tables, in display order.
TABLE_NAMES = (
    "proceedings",
    "proceedings_by_article",
    "protection_measures",
    "proceeding_timings",
    "compensation",
)
#: Of these, the tables of medians and sums (published apart from the tables of counts).
SUMMARY_TABLES = ("proceeding_timings", "compensation")

ARTICLES_NOTE = gettext_lazy(
    "A criminal case registered under several articles is counted under each of them, so the "
    "rows may add up to more than the number of verdicts."
)
SUMMARY_NOTE = gettext_lazy(
    "Medians and sums are shown only for groups of at least %(n)s criminal cases; sums are "
    "slightly adjusted and rounded to %(rounding)s tenge."
)


@dataclass
class ProceedingFigures:
    """The section's true counts and cell keys (server side only)."""

    #: {row of OVERVIEW_ROWS: Count}
    overview: dict[str, Count] = field(default_factory=dict)
    #: [(article number, year of the verdict, verdict, Count)]
    by_article: list[tuple[str, int, str, Count]] = field(default_factory=list)
    #: {measure kind, or "" for any measure: Count of persons}
    protection: dict[str, Count] = field(default_factory=dict)
    #: {"to_registration" | "to_verdict": {days: Count}}
    histograms: dict[str, dict[int, Count]] = field(default_factory=dict)
    #: {"awarded" | "paid": (Count of proceedings, sum in tenge)}
    money: dict[str, tuple[Count, int]] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Queries


def proceeding_clause(filters: Filters) -> Clause:
    """The proceedings of the cases within the filters (every filter but the period, which
    each figure applies to its own date)."""
    clause = Clause(
        f"{PROCEEDING} pr JOIN {CASE} c ON c.id = pr.case_id "
        f"JOIN {PERSON} p ON p.id = c.person_id JOIN {AGENCY} a ON a.id = c.agency_id"
    )
    if filters.region_id is not None:
        clause.add("c.region_id = %s", filters.region_id)
    if filters.form:
        clause.add("c.form = %s", filters.form)
    if filters.agency_type:
        clause.add("a.kind = %s", filters.agency_type)
    if filters.sex:
        clause.add("p.sex = %s", filters.sex)
    if filters.age_group:
        clause.add(
            f"EXISTS (SELECT 1 FROM {SCREENING} s2 WHERE s2.case_id = c.id "
            "AND s2.status = 'final' AND s2.age_group = %s)",
            filters.age_group,
        )
    return clause


def _within(filters: Filters, column: str) -> tuple[str, list[Any]]:
    """The condition "this date falls in the period" (and is known), with its parameters."""
    days = filters.date_range()
    if days is None:
        return f"{column} IS NOT NULL", []
    return f"{column} >= %s AND {column} <= %s", [_date(days[0]), _date(days[1])]


def _days(later: str, earlier: str) -> str:
    if vendor() == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def _as_date(column: str) -> str:
    return f"CAST({column} AS DATE)" if vendor() == "postgresql" else f"date({column})"


def _overview(filters: Filters, clause: Clause) -> tuple[dict[str, Count], dict[str, Any]]:
    registered, reg_params = _within(filters, "pr.registered_on")
    sent, sent_params = _within(filters, "pr.sent_to_court_on")
    decided, decided_params = _within(filters, "pr.verdict_on")
    conditions: list[tuple[str, str, list[Any]]] = [
        ("registered", registered, reg_params),
        ("sent_to_court", sent, sent_params),
        ("convicted", f"{decided} AND pr.verdict = 'convicted'", decided_params),
        ("acquitted", f"{decided} AND pr.verdict = 'acquitted'", decided_params),
    ]
    columns: list[str] = []
    params: list[Any] = []
    for _key, condition, values in conditions:
        columns.append(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)")
        columns.append(f"SUM(CASE WHEN {condition} THEN pr.id ELSE 0 END)")
        params += values * 2
    # Persons: each tanu case once, however many of its proceedings count.
    cooperated = f"{registered} AND pr.cooperates"
    columns.append(f"COUNT(DISTINCT CASE WHEN {cooperated} THEN pr.case_id END)")
    columns.append(f"SUM(DISTINCT CASE WHEN {cooperated} THEN pr.case_id END)")
    params += reg_params * 2
    # Money, over the verdicts of the period.
    for column in ("compensation_awarded", "compensation_paid"):
        known = f"{decided} AND pr.{column} IS NOT NULL"
        columns.append(f"SUM(CASE WHEN {known} THEN 1 ELSE 0 END)")
        columns.append(f"SUM(CASE WHEN {known} THEN pr.id ELSE 0 END)")
        columns.append(f"SUM(CASE WHEN {known} THEN pr.{column} ELSE 0 END)")
        params += decided_params * 3
    row = _fetch(f"SELECT {', '.join(columns)} {clause.sql}", [*params, *clause.params])[0]
    values = [int(v or 0) for v in row]
    overview = {
        key: Count.of("proceeding", values[2 * i], values[2 * i + 1])
        for i, (key, _c, _p) in enumerate(conditions)
    }
    overview["cooperated"] = Count.of("case", values[8], values[9])
    money = {
        "awarded": (Count.of("proceeding", values[10], values[11]), values[12]),
        "paid": (Count.of("proceeding", values[13], values[14]), values[15]),
    }
    return overview, money


def _by_article(filters: Filters, clause: Clause) -> list[tuple[str, int, str, Count]]:
    decided, params = _within(filters, "pr.verdict_on")
    year = (
        "CAST(EXTRACT(YEAR FROM pr.verdict_on) AS INTEGER)"
        if vendor() == "postgresql"
        else "CAST(strftime('%%Y', pr.verdict_on) AS INTEGER)"
    )
    sql = (
        f"SELECT art.number, {year}, pr.verdict, COUNT(*), SUM(pr.id) FROM {clause.source} "
        f"JOIN {PROCEEDING_ARTICLES} pa ON pa.proceeding_id = pr.id "
        f"JOIN {Article._meta.db_table} art ON art.id = pa.article_id "
        f"WHERE {clause.where} AND {decided} AND pr.verdict IN ('convicted', 'acquitted') "
        f"GROUP BY art.number, {year}, pr.verdict"
    )
    return [
        (str(number), int(year_), str(verdict), Count.of("proceeding", n, id_sum))
        for number, year_, verdict, n, id_sum in _fetch(sql, [*clause.params, *params])
    ]


def _protection(filters: Filters, clause: Clause) -> dict[str, Count]:
    started, params = _within(filters, "m.starts_on")
    source = f"{clause.source} JOIN {PROTECTION} m ON m.proceeding_id = pr.id"
    where = f"{clause.where} AND {started}"
    persons = "COUNT(DISTINCT pr.case_id), SUM(DISTINCT pr.case_id)"
    sql = (
        f"SELECT m.kind, {persons} FROM {source} WHERE {where} GROUP BY m.kind "
        f"UNION ALL SELECT '', {persons} FROM {source} WHERE {where}"
    )
    rows = _fetch(sql, [*clause.params, *params] * 2)
    return {str(kind): Count.of("case", n, id_sum) for kind, n, id_sum in rows if n}


def _histograms(filters: Filters, clause: Clause) -> dict[str, dict[int, Count]]:
    # Identification is the day of the case's first screening (final or corrected), the day the
    # officer recognised the presumed victim, as the other timings of the dashboard count it:
    # the case itself is often opened days later, or re-entered, and its created_at says when
    # someone typed it, not when the person was identified. A case with no screening (opened
    # directly) falls back to the day it was created.
    identified = f"COALESCE(s0.day, {_as_date('c.created_at')})"
    registered, reg_params = _within(filters, "pr.registered_on")
    decided, decided_params = _within(filters, "pr.verdict_on")
    to_registration = _days("pr.registered_on", identified)
    to_verdict = _days("pr.verdict_on", "pr.registered_on")
    first_screening = (
        f"LEFT JOIN (SELECT case_id, MIN(screened_on) AS day FROM {SCREENING} "
        "WHERE case_id IS NOT NULL AND status IN ('final', 'superseded') GROUP BY case_id) s0 "
        "ON s0.case_id = c.id"
    )
    sql = (
        f"SELECT 'to_registration', {to_registration}, COUNT(*), SUM(pr.id) "
        f"FROM {clause.source} {first_screening} WHERE {clause.where} AND {registered} "
        f"GROUP BY {to_registration} "
        "UNION ALL "
        f"SELECT 'to_verdict', {to_verdict}, COUNT(*), SUM(pr.id) FROM {clause.source} "
        f"WHERE {clause.where} AND {decided} AND pr.verdict <> '' GROUP BY {to_verdict}"
    )
    params = [*clause.params, *reg_params, *clause.params, *decided_params]
    histograms: dict[str, dict[int, Count]] = {"to_registration": {}, "to_verdict": {}}
    for which, days, n, id_sum in _fetch(sql, params):
        if days is None:
            continue
        target = histograms[str(which)]
        bucket = max(0, int(days))
        target[bucket] = target.get(bucket, Count()) + Count.of("proceeding", n, id_sum)
    return histograms


def proceeding_figures(filters: Filters) -> ProceedingFigures:
    """The section's figures: four queries (run them inside tanu.reports.queries.reading)."""
    clause = proceeding_clause(filters)
    overview, money = _overview(filters, clause)
    return ProceedingFigures(
        overview=overview,
        by_article=_by_article(filters, clause),
        protection=_protection(filters, clause),
        histograms=_histograms(filters, clause),
        money=money,
    )


# ---------------------------------------------------------------------------------------------
# Kept in the snapshot


def _count(value: Count) -> list[int]:
    return [value.n, value.key]


def _uncount(value: Sequence[Any]) -> Count:
    return Count(int(value[0]), int(value[1]))


def encode(figures: ProceedingFigures) -> dict[str, Any]:
    return {
        "overview": {k: _count(c) for k, c in figures.overview.items()},
        "by_article": [[a, y, v, *_count(c)] for a, y, v, c in figures.by_article],
        "protection": {k: _count(c) for k, c in figures.protection.items()},
        "histograms": {
            name: {str(d): _count(c) for d, c in histogram.items()}
            for name, histogram in figures.histograms.items()
        },
        "money": {k: [*_count(c), int(s)] for k, (c, s) in figures.money.items()},
    }


def decode(data: dict[str, Any]) -> ProceedingFigures:
    return ProceedingFigures(
        overview={k: _uncount(v) for k, v in data["overview"].items()},
        by_article=[
            (str(a), int(y), str(v), Count(int(n), int(key)))
            for a, y, v, n, key in data["by_article"]
        ],
        protection={k: _uncount(v) for k, v in data["protection"].items()},
        histograms={
            name: {int(d): _uncount(c) for d, c in histogram.items()}
            for name, histogram in data["histograms"].items()
        },
        money={k: (_uncount(v), int(v[2])) for k, v in data["money"].items()},
    )


# ---------------------------------------------------------------------------------------------
# Published


def _money(count: Count, amount: int) -> int | str:
    """A sum in tenge, or "—" when it rests on too few proceedings. Like a count, it gets a
    repeatable adjustment seeded by its group's cell key (a few times :data:`MONEY_ROUNDING`,
    unbounded), then is rounded to :data:`MONEY_ROUNDING`: the same group shows the same sum under
    every filter, and the difference of two sums never determines the sum of the few proceedings
    between them."""
    if count.n == 0:
        return 0
    if not suppression.enough_for_summary(count):
        return "—"
    # Another key than the count's own, so that the sum's adjustment is not the count's.
    key = (2 * count.key + 1) % suppression.KEY_MODULUS
    adjusted = amount + suppression.noise(key) * MONEY_ROUNDING
    return max(0, MONEY_ROUNDING * round(adjusted / MONEY_ROUNDING))


def summary_note() -> str:
    return str(SUMMARY_NOTE) % {
        "n": 2 * suppression.threshold(),
        "rounding": f"{MONEY_ROUNDING:,}".replace(",", "\u00a0"),
    }


def tables(figures: ProceedingFigures) -> list[PublishedTable]:
    """The section's tables, published (every count protected; medians and sums only for
    groups large enough), in the current language, in the order of :data:`TABLE_NAMES`."""
    from tanu.reports.stats import PublishedRow, PublishedTable, StatRow, StatTable, quantile

    limit = suppression.threshold()
    number = _("number")
    overview_labels = {
        "registered": _("criminal cases registered"),
        "sent_to_court": _("criminal cases sent to court"),
        "convicted": _("convictions"),
        "acquitted": _("acquittals"),
        "cooperated": _("persons who agreed to cooperate"),
    }
    result = [
        StatTable(
            "proceedings",
            _("Criminal cases and verdicts"),
            _("figure"),
            number,
            [("count", number)],
            [
                StatRow(key, overview_labels[key], [figures.overview.get(key, Count())])
                for key in OVERVIEW_ROWS
            ],
            with_totals=False,
        ).publish()
    ]

    names = {a.number: a.name for a in Article.objects.all()}
    grid: dict[tuple[int, str], dict[str, Count]] = {}
    for article, year, verdict, count in figures.by_article:
        cell = grid.setdefault((year, article), {})
        cell[verdict] = cell.get(verdict, Count()) + count
    rows = []
    for year, article in sorted(grid, key=lambda k: (-k[0], _article_order(k[1]))):
        name = names.get(article)
        label = f"{article} · {name}, {year}" if name else f"{article}, {year}"
        cells = grid[(year, article)]
        rows.append(
            StatRow(
                f"{article}:{year}",
                label,
                [cells.get("convicted", Count()), cells.get("acquitted", Count())],
            )
        )
    by_article = StatTable(
        "proceedings_by_article",
        _("Convictions and acquittals by article and year"),
        _("article and year of the verdict"),
        _("verdicts"),
        [("convicted", _("convictions")), ("acquitted", _("acquittals"))],
        rows,
        with_totals=False,
    ).publish()
    by_article.note = str(ARTICLES_NOTE)
    result.append(by_article)

    kinds = [("", _("any protection measure")), *ProtectionMeasure.Kind.choices]
    result.append(
        StatTable(
            "protection_measures",
            _("Protection measures applied"),
            _("measure"),
            _("persons"),
            [("persons", _("persons protected"))],
            [
                StatRow(kind or "any", str(label), [figures.protection.get(kind, Count())])
                for kind, label in kinds
            ],
            with_totals=False,
        ).publish()
    )

    timing_rows = []
    for key, label in (
        ("to_registration", _("from identification to registration of the criminal case")),
        ("to_verdict", _("from registration of the criminal case to the verdict")),
    ):
        histogram = figures.histograms.get(key, {})
        measured = suppression.total(histogram.values())
        median = (
            quantile(histogram, 0.5) if suppression.enough_for_summary(measured, limit) else None
        )
        shown = suppression.publish(measured, limit)
        timing_rows.append(
            PublishedRow(key, label, [shown, median if median is not None else "—"], shown)
        )
    result.append(
        PublishedTable(
            name="proceeding_timings",
            title=_("Time from identification to registration and to the verdict (days)"),
            dimension=_("interval"),
            unit=_("days"),
            column_keys=["proceedings", "median_days"],
            columns=[_("criminal cases measured"), _("median (days)")],
            rows=timing_rows,
            column_totals=[],
            grand_total=None,
            multi=True,
            note=summary_note(),
        )
    )

    money_rows = []
    for key, label in (
        ("awarded", _("compensation awarded")),
        ("paid", _("compensation paid")),
    ):
        count, amount = figures.money.get(key, (Count(), 0))
        shown = suppression.publish(count, limit)
        money_rows.append(PublishedRow(key, label, [shown, _money(count, amount)], shown))
    result.append(
        PublishedTable(
            name="compensation",
            title=_("Compensation awarded and paid (tenge)"),
            dimension=_("compensation"),
            unit=_("tenge"),
            column_keys=["proceedings", "tenge"],
            columns=[_("criminal cases"), _("sum (tenge)")],
            rows=money_rows,
            column_totals=[],
            grand_total=None,
            multi=True,
            note=summary_note(),
        )
    )
    return result


def _article_order(number: str) -> tuple[int, str]:
    digits = "".join(ch for ch in number if ch.isdigit())
    return (int(digits) if digits else 10**6, number)
