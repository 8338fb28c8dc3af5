# SQL here is assembled from fixed table and column names and integer constants only; every
# value that comes from a request is passed as a parameter.
# ruff: noqa: S608
"""The aggregate queries behind every statistic: a fixed number of queries per page, each
aggregating in the database (never a loop over rows in Python), on SQLite and PostgreSQL.

Each query returns counts with the sum of the counted records' ids, from which every published
figure gets its cell key (tanu.reports.suppression). On PostgreSQL the breakdowns come from
one pass with GROUPING SETS (and just-in-time compilation is switched off for these queries:
compiling costs more than it saves here); SQLite, which has no grouping sets, uses UNION ALL.

Screenings are read from the statistics cube (tanu.reports.cube) plus the screenings finalised
or corrected since it was built, unless there is no cube yet or the filter asks for sex (which
lives on cases): then from the screenings themselves. Only screenings with status "final" are
counted (drafts are unfinished, superseded screenings were corrected by a later one)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from tanu.accounts.models import Agency
from tanu.cases.models import AnonymousNotification, Case, Person
from tanu.identification.models import Screening
from tanu.linkage.models import MatchPair
from tanu.linkage.presentation import STRONG
from tanu.referrals.models import Referral, ServiceRecord
from tanu.reports.filters import Filters
from tanu.reports.models import CubeState, ScreeningCube
from tanu.reports.suppression import Count

SCREENING = Screening._meta.db_table
AGENCY = Agency._meta.db_table
CASE = Case._meta.db_table
PERSON = Person._meta.db_table
NOTIFICATION = AnonymousNotification._meta.db_table
REFERRAL = Referral._meta.db_table
SERVICE_RECORD = ServiceRecord._meta.db_table
CUBE = ScreeningCube._meta.db_table
PAIR = MatchPair._meta.db_table

#: The breakdowns of screenings, each crossed with the outcome.
SCREENING_DIMENSIONS = ("region", "month", "agency_type", "place", "form", "age_group")
#: The covering index of finalised screenings (migration 0002 of this app).
STATS_INDEX = "reports_screening_final_stats_idx"

_CHILD_GROUPS = ("child", "unknown_maybe_child")


def vendor() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _date(value: Any) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _datetime(value: Any) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def month_sql(column: str) -> str:
    if vendor() == "postgresql":
        return f"to_char({column}, 'YYYY-MM')"
    return f"strftime('%%Y-%%m', {column})"


def month_start_sql(column: str) -> str:
    if vendor() == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS DATE)"
    return f"date({column}, 'start of month')"


@dataclass
class Clause:
    """FROM ... WHERE ... with its parameters."""

    source: str
    conditions: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, condition: str, *params: Any) -> None:
        self.conditions.append(condition)
        self.params.extend(params)

    @property
    def where(self) -> str:
        return " AND ".join(self.conditions) if self.conditions else "1 = 1"

    @property
    def sql(self) -> str:
        return f"FROM {self.source} WHERE {self.where}"


def screening_clause(
    filters: Filters,
    *,
    victims_only: bool = False,
    status: str = "s.status = 'final'",
    status_params: Sequence[Any] = (),
    covering_index: bool = True,
) -> Clause:
    # SQLite would rather walk an index in GROUP BY order and read every row than use the
    # covering index; name it.
    hint = f" INDEXED BY {STATS_INDEX}" if covering_index and vendor() == "sqlite" else ""
    source = f"{SCREENING} s{hint} JOIN {AGENCY} a ON a.id = s.agency_id"
    if filters.sex:
        source += (
            f" LEFT JOIN {CASE} c ON c.id = s.case_id LEFT JOIN {PERSON} p ON p.id = c.person_id"
        )
    clause = Clause(source)
    clause.add(status, *status_params)
    if victims_only:
        clause.add("s.outcome IN ('presumed_victim', 'possible_victim')")
    if filters.region_id is not None:
        clause.add("s.region_id = %s", filters.region_id)
    days = filters.date_range()
    if days is not None:
        clause.add("s.screened_on >= %s AND s.screened_on <= %s", _date(days[0]), _date(days[1]))
    if filters.form:
        clause.add("s.form = %s", filters.form)
    if filters.age_group:
        clause.add("s.age_group = %s", filters.age_group)
    if filters.agency_type:
        clause.add("a.kind = %s", filters.agency_type)
    if filters.sex == "unknown":
        clause.add("(p.sex IS NULL OR p.sex = 'unknown')")
    elif filters.sex:
        clause.add("p.sex = %s", filters.sex)
    return clause


def cube_clause(filters: Filters) -> Clause:
    clause = Clause(f"{CUBE} q")
    if filters.region_id is not None:
        clause.add("q.region_id = %s", filters.region_id)
    days = filters.date_range()
    if days is not None:
        clause.add(
            "q.month >= %s AND q.month <= %s",
            _date(days[0].replace(day=1)),
            _date(days[1].replace(day=1)),
        )
    if filters.form:
        clause.add("q.form = %s", filters.form)
    if filters.age_group:
        clause.add("q.age_group = %s", filters.age_group)
    if filters.agency_type:
        clause.add("q.agency_kind = %s", filters.agency_type)
    return clause


def case_clause(filters: Filters) -> Clause:
    clause = Clause(
        f"{CASE} c JOIN {PERSON} p ON p.id = c.person_id JOIN {AGENCY} a ON a.id = c.agency_id"
    )
    if filters.region_id is not None:
        clause.add("c.region_id = %s", filters.region_id)
    period = filters.datetime_range()
    if period is not None:
        clause.add(
            "c.created_at >= %s AND c.created_at < %s", _datetime(period[0]), _datetime(period[1])
        )
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


def notification_clause(filters: Filters) -> Clause:
    clause = Clause(f"{NOTIFICATION} n JOIN {AGENCY} a ON a.id = n.agency_id")
    if filters.region_id is not None:
        clause.add("n.region_id = %s", filters.region_id)
    period = filters.datetime_range()
    if period is not None:
        clause.add(
            "n.recorded_at >= %s AND n.recorded_at < %s",
            _datetime(period[0]),
            _datetime(period[1]),
        )
    if filters.form:
        clause.add("n.form = %s", filters.form)
    if filters.agency_type:
        clause.add("a.kind = %s", filters.agency_type)
    if filters.sex:
        clause.add("n.sex = %s", filters.sex)
    # Only adults may decline a case; a notification keeps the age band, not the age group.
    if filters.age_group in _CHILD_GROUPS:
        clause.add("1 = 0")
    elif filters.age_group == "adult":
        clause.add("n.age_band <> 'unknown'")
    elif filters.age_group == "unknown":
        clause.add("n.age_band = 'unknown'")
    return clause


#: Memory for the statistics queries' hash tables on PostgreSQL (per sort or hash, per query),
#: so that the breakdowns are hashed in memory instead of sorted on disk.
WORK_MEM = "64MB"


@contextmanager
def reading() -> Iterator[None]:
    """A transaction for a set of statistics queries. On PostgreSQL it switches just-in-time
    compilation off for them (compiling these plans costs seconds and saves nothing) and gives
    their aggregation enough memory to hash every breakdown in one pass."""
    with transaction.atomic():
        if vendor() == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL jit = off; SET LOCAL work_mem = '{WORK_MEM}'")
        yield


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


# ---------------------------------------------------------------------------------------------
# Screenings by region, month, agency type, place, form and age group, each by outcome


ScreeningCounts = dict[str, dict[str, dict[str, Count]]]


def _grouped(
    dimensions: dict[str, str], outcome: str, count: str, id_sum: str, clause: Clause
) -> list[tuple[str, str, str, Any, Any]]:
    """(dimension, value, outcome, count, id sum) for each dimension crossed with the outcome,
    and ("", "", outcome, ...) for the totals by outcome. One query."""
    names = list(dimensions)
    if vendor() == "postgresql":
        expressions = [dimensions[name] for name in names]
        sets = ", ".join(f"({e}, {outcome})" for e in expressions)
        sql = (
            f"SELECT GROUPING({', '.join(expressions)}), {', '.join(expressions)}, {outcome}, "
            f"{count}, {id_sum} {clause.sql} "
            f"GROUP BY GROUPING SETS ({sets}, ({outcome}))"
        )
        width = len(names)
        result = []
        for row in _fetch(sql, clause.params):
            mask, values = row[0], row[1 : 1 + width]
            grouped = [n for i, n in enumerate(names) if not (mask >> (width - 1 - i)) & 1]
            dim = grouped[0] if grouped else ""
            value = str(values[names.index(dim)]) if grouped else ""
            result.append((dim, value, row[1 + width], row[2 + width], row[3 + width]))
        return result
    arms = [
        f"SELECT '{name}', CAST({dimensions[name]} AS TEXT), {outcome}, {count}, {id_sum} "
        f"{clause.sql} GROUP BY {dimensions[name]}, {outcome}"
        for name in names
    ]
    arms.append(f"SELECT '', '', {outcome}, {count}, {id_sum} {clause.sql} GROUP BY {outcome}")
    return [
        (str(d), str(v), o, n, k)
        for d, v, o, n, k in _fetch(" UNION ALL ".join(arms), clause.params * len(arms))
    ]


def _live_dimensions() -> dict[str, str]:
    return {
        "region": "s.region_id",
        "month": month_sql("s.screened_on"),
        "agency_type": "a.kind",
        "place": "s.place",
        "form": "s.form",
        "age_group": "s.age_group",
    }


def _cube_dimensions() -> dict[str, str]:
    return {
        "region": "q.region_id",
        "month": "q.month",  # a date: _add keeps "YYYY-MM"
        "agency_type": "q.agency_kind",
        "place": "q.place",
        "form": "q.form",
        "age_group": "q.age_group",
    }


def _add(result: ScreeningCounts, rows: list[tuple[str, str, str, Any, Any]]) -> int:
    """Add the rows' counts; return how many screenings the totals rows count (absolute)."""
    counted = 0
    for dim, value, outcome, n, id_sum in rows:
        bucket = result[dim][value[:7] if dim == "month" else value]
        bucket[outcome] = bucket.get(outcome, Count()) + Count.of("screening", n, id_sum)
        if dim == "":
            counted += abs(int(n or 0))
    return counted


def cube_state() -> CubeState | None:
    """The cube's state, when it was ever built."""
    state = CubeState.objects.filter(pk=1).first()
    return state if state is not None and state.built_at is not None else None


def screening_counts(filters: Filters, state: CubeState | None = None) -> ScreeningCounts:
    """{dimension: {value: {outcome: Count}}}, plus the dimension "" for the totals by outcome."""
    return screening_counts_and_changes(filters, state)[0]


def screening_counts_and_changes(
    filters: Filters, state: CubeState | None
) -> tuple[ScreeningCounts, int]:
    """The counts, from the cube and what changed since (two queries), else from the screenings
    (one); and how many screenings changed since the cube was built (within the filters)."""
    result: ScreeningCounts = {name: defaultdict(dict) for name in (*SCREENING_DIMENSIONS, "")}
    if state is None or filters.sex:
        clause = screening_clause(filters)
        _add(result, _grouped(_live_dimensions(), "s.outcome", "COUNT(*)", "SUM(s.id)", clause))
        return result, 0
    cube = cube_clause(filters)
    _add(result, _grouped(_cube_dimensions(), "q.outcome", "SUM(q.n)", "SUM(q.id_sum)", cube))
    # Finalised since the cutoff: add. Counted in the cube, corrected since: take away.
    delta = screening_clause(
        filters,
        status=(
            "((s.status = 'final' AND s.finalised_at > %s) OR (s.status = 'superseded' "
            "AND (s.finalised_at IS NULL OR s.finalised_at <= %s) AND s.updated_at > %s))"
        ),
        status_params=(_datetime(state.cutoff), _datetime(state.cutoff), _datetime(state.built_at)),
        covering_index=False,
    )
    sign = "CASE WHEN s.status = 'final' THEN 1 ELSE -1 END"
    changed = _add(
        result,
        _grouped(_live_dimensions(), "s.outcome", f"SUM({sign})", f"SUM(({sign}) * s.id)", delta),
    )
    return result, changed


# ---------------------------------------------------------------------------------------------
# Persons identified: cases (presumed and possible victims with a case) and anonymous
# notifications (adults who declined a case), with what happened next, and the time from the
# screening to the first referral and from the first referral to the first service


@dataclass(frozen=True)
class PersonGroup:
    source: str  # "case" or "notification"
    sex: str
    citizenship: str  # as typed: normalise before showing
    age_band: str
    outcome: str
    referred: bool
    served: bool
    count: Count


@dataclass
class Histograms:
    to_referral: dict[int, Count]  # days from the screening to the first referral
    to_service: dict[int, Count]  # days from the first referral to the first service given


def _case_facts(cases: Clause) -> str:
    """One row per case within the filters: who, the outcome, its first screening day, first
    referral and first service day (each grouped once, over the whole table)."""
    return (
        "SELECT c.id AS cid, p.sex AS sex, p.citizenship AS citizenship, "
        "p.age_band AS age_band, c.outcome AS outcome, s0.day AS s0, r0.at AS r0, "
        f"v0.day AS v0, v0.n AS served FROM {cases.source} "
        f"LEFT JOIN (SELECT case_id, MIN(created_at) AS at FROM {REFERRAL} GROUP BY case_id) r0 "
        "ON r0.case_id = c.id "
        f"LEFT JOIN (SELECT case_id, MIN(screened_on) AS day FROM {SCREENING} "
        "WHERE case_id IS NOT NULL AND status IN ('final', 'superseded') GROUP BY case_id) s0 "
        "ON s0.case_id = c.id "
        f"LEFT JOIN (SELECT r.case_id, MIN(sr.given_on) AS day, COUNT(*) AS n "
        f"FROM {SERVICE_RECORD} sr JOIN {REFERRAL} r ON r.id = sr.referral_id "
        "GROUP BY r.case_id) v0 ON v0.case_id = c.id "
        f"WHERE {cases.where}"
    )


def case_figures(filters: Filters) -> tuple[list[PersonGroup], Histograms]:
    """Persons grouped by a few low-cardinality fields (cases and anonymous notifications), and
    the day counts per referred case as two histograms. One query: the per-case facts are
    gathered once and grouped three ways."""
    cases = case_clause(filters)
    notes = notification_clause(filters)
    referred = "CASE WHEN f.r0 IS NULL THEN 0 ELSE 1 END"
    served = "CASE WHEN f.served IS NULL THEN 0 ELSE 1 END"
    if vendor() == "postgresql":
        d1 = "(CAST(f.r0 AS DATE) - f.s0)"
        d2 = "(f.v0 - CAST(f.r0 AS DATE))"
    else:
        d1 = "CAST(julianday(date(f.r0)) - julianday(f.s0) AS INTEGER)"
        d2 = "CAST(julianday(f.v0) - julianday(date(f.r0)) AS INTEGER)"
    timed = "f.r0 IS NOT NULL AND f.s0 IS NOT NULL"
    sql = (
        f"WITH f AS ({_case_facts(cases)}) "
        "SELECT 'case', f.sex, f.citizenship, f.age_band, f.outcome, "
        f"{referred}, {served}, CAST(NULL AS INTEGER), COUNT(*), SUM(f.cid) FROM f "
        f"GROUP BY f.sex, f.citizenship, f.age_band, f.outcome, {referred}, {served} "
        "UNION ALL "
        "SELECT 'notification', n.sex, n.citizenship, n.age_band, n.outcome, 0, 0, NULL, "
        f"COUNT(*), SUM(n.id) {notes.sql} "
        "GROUP BY n.sex, n.citizenship, n.age_band, n.outcome "
        "UNION ALL "
        f"SELECT 'to_referral', NULL, NULL, NULL, NULL, 0, 0, {d1}, COUNT(*), SUM(f.cid) "
        f"FROM f WHERE {timed} GROUP BY {d1} "
        "UNION ALL "
        f"SELECT 'to_service', NULL, NULL, NULL, NULL, 0, 0, {d2}, COUNT(*), SUM(f.cid) "
        f"FROM f WHERE {timed} AND f.v0 IS NOT NULL GROUP BY {d2}"
    )
    groups: list[PersonGroup] = []
    histograms = Histograms({}, {})
    for (
        which,
        sex,
        citizenship,
        age_band,
        outcome,
        was_referred,
        was_served,
        days,
        n,
        id_sum,
    ) in _fetch(sql, [*cases.params, *notes.params]):
        if which in ("case", "notification"):
            groups.append(
                PersonGroup(
                    source=which,
                    sex=sex or "unknown",
                    citizenship=citizenship or "",
                    age_band=age_band or "unknown",
                    outcome=outcome or "",
                    referred=bool(was_referred),
                    served=bool(was_served),
                    count=Count.of(which, n, id_sum),
                )
            )
            continue
        target = histograms.to_referral if which == "to_referral" else histograms.to_service
        bucket = max(0, int(days))
        target[bucket] = target.get(bucket, Count()) + Count.of("case", n, id_sum)
    return groups, histograms


def _linked_to_earlier(side: str, other: str) -> str:
    """A pair joins the case's person (``side``) to the person of an earlier case (``other``):
    a merge within one agency, or a strong match across agencies."""
    return (
        f"EXISTS (SELECT 1 FROM {PAIR} m JOIN {CASE} o ON o.person_id = m.{other} "
        f"WHERE m.{side} = c.person_id AND (m.status = '{MatchPair.Status.MERGED.value}' "
        f"OR (m.status = '{MatchPair.Status.OPEN.value}' "
        "AND m.agency_a_id <> m.agency_b_id AND m.match_probability >= %s)) "
        "AND (o.created_at < c.created_at OR (o.created_at = c.created_at AND o.id < c.id)))"
    )


def distinct_persons(filters: Filters) -> Count:
    """Cases within the filters, each person counted once, at their first case: a case linked
    to an earlier case (merged with it, or strongly matched with another agency's record) is
    the same person again. One query."""
    cases = case_clause(filters)
    sql = (
        f"SELECT COUNT(*), SUM(c.id) {cases.sql} "
        f"AND NOT {_linked_to_earlier('person_a_id', 'person_b_id')} "
        f"AND NOT {_linked_to_earlier('person_b_id', 'person_a_id')}"
    )
    [(n, id_sum)] = _fetch(sql, [*cases.params, STRONG, STRONG])
    return Count.of("person", n, id_sum)


# ---------------------------------------------------------------------------------------------
# Indicators observed among presumed and possible victims


def indicator_counts(filters: Filters) -> dict[str, Count]:
    """{indicator code: screenings of presumed or possible victims where it was observed}.
    One query; it reads the answers of every screening counted, the heaviest statistic, which
    is why the dashboard loads it after the page."""
    clause = screening_clause(filters, victims_only=True, covering_index=False)
    if vendor() == "postgresql":
        sql = (
            f"SELECT e.key, COUNT(*), SUM(s.id) FROM {clause.source} "
            "CROSS JOIN LATERAL jsonb_each_text(s.answers) AS e(key, value) "
            f"WHERE {clause.where} AND e.value = 'observed' GROUP BY e.key"
        )
    else:
        sql = (
            f"SELECT e.key, COUNT(*), SUM(s.id) FROM {clause.source}, json_each(s.answers) AS e "
            f"WHERE {clause.where} AND e.value = 'observed' GROUP BY e.key"
        )
    return {
        str(code): Count.of("screening", n, id_sum)
        for code, n, id_sum in _fetch(sql, clause.params)
    }
