"""Anonymised microdata: one row per finalised screening and per anonymous notification, with
field names after the Human Trafficking Case Data Standard (HTCDS v2) and the Counter
Trafficking Data Collaborative (CTDC) global dataset, generalised and suppressed until every
combination of the quasi-identifiers occurs at least k times (default k = 11, as CTDC).

What a row holds (and nothing else: no names, no ids, no dates finer than the year, no free
text; citizenship typed as free text is mapped to a short list of countries first)

==============================  =====================================  =========================
column                          HTCDS v2 / CTDC                        from
==============================  =====================================  =========================
``record_type``                 (CTDC ``Datasource``)                  "screening" or
                                                                       "declined_notification"
``year_of_registration`` *      CTDC ``yearOfRegistration``            screening date /
                                                                       notification date
``region_of_identification`` *  HTCDS ``org_ShippingState`` (where     the screening's region
                                the identifying agency works)          (ISO 3166-2)
``country_of_identification``   CTDC ``CountryOfExploitation`` is      always "KZ": tanu records
                                *not* claimed: tanu does not record    where the person was
                                where the exploitation took place      identified
``gender`` *                    HTCDS ``prs_Gender``, CTDC ``gender``  the case's person, the
                                                                       notification, else Unknown
``age_broad`` *                 CTDC ``ageBroad`` (tanu's bands)       the person's age band, the
                                                                       screening's age, else
                                                                       0-17 for a child
``majority_status``             CTDC ``majorityStatus``                derived from the published
                                                                       ``age_broad`` only
``citizenship`` *               HTCDS ``prs_Nationality``, CTDC        ISO 3166-1 alpha-2 of a
                                ``citizenship``                        short list, else other
``type_of_exploitation`` *      HTCDS ``vic_TypeOfLabourExploitation`` labour, sexual or unknown
                                / ``vic_TypeOfSexExploitation``; CTDC
                                ``isForcedLabour`` / ``isSexualExploit``
``identification_outcome``      (tanu: ILO assessment)                 presumed_victim,
                                                                       possible_victim,
                                                                       no_indication,
                                                                       incomplete (stopped
                                                                       before enough was asked;
                                                                       never no_indication)
``is_presumed_victim``          (tanu)                                 the ILO threshold was met
``number_of_strong_indicators`` (tanu)                                 0, 1, 2 or 3+ (empty for a
                                                                       notification)
==============================  =====================================  =========================

(* quasi-identifiers.) A ``declined_notification`` row describes an adult who declined a case
after a screening; that screening is also a ``screening`` row (with gender and citizenship
unknown, since no case holds them). Count persons screened with the ``screening`` rows; use the
notification rows for the gender and citizenship of those who declined.

Generalisation (global recoding: one level per column for the whole file)

- ``age_broad``: tanu band (0-11, 12-17, 18-24, 25-34, 35-49, 50+; 0-17 for a child of unknown
  age) → 0-17 / 18-34 / 35+ → unknown;
- ``gender``: Female / Male / Other / Unknown → Female / Male / Unknown → Unknown;
- ``citizenship``: country code → KZ / central_asia (UZ, KG, TJ, TM) / other / unknown → unknown;
- ``region_of_identification``: region (ISO 3166-2) → macro-region (north, south, east, west,
  centre; see :data:`tanu.reports.categories.MACRO_REGIONS`) → KZ;
- ``type_of_exploitation``: labour / sexual / unknown → unknown;
- ``year_of_registration``: year → two-year period (2024-2025) → any.

Greedy search: while the rows in classes smaller than k are more than the allowed share
(``max_suppression``, default 5 %), raise by one level the column whose raising leaves the
fewest such rows (ties: year, region, citizenship, age, gender, form, in that order). Then every
row still in a class smaller than k is suppressed (left out), and the file says how many. Rows
are written grouped by class, in random order within a class, never in the order of entry.

k is at least :data:`MIN_K` (11): `tanu export anonymised` and the exports page refuse less.

l-diversity (in the metadata, ``l_diversity``)

k-anonymity does not stop attribute disclosure: if every row of a class has the same
``identification_outcome``, anyone who knows a person is in that class learns their outcome. For
each published class (every one has at least k rows), *l* is the number of distinct outcomes in
it. The metadata gives ``column``, ``min`` and ``max`` l, ``classes_by_l`` (how many classes have
each l: a histogram, ``{"1": 3, "2": 10}``), ``homogeneous_classes`` (classes with l = 1) and
``classes``: one entry per published class with its generalised quasi-identifiers, its row count
and its l. Nothing there is finer than the CSV itself, which shows every class (of k or more
rows) and its outcomes: the metadata only saves the reader from counting, and points at the
classes where the outcome is disclosed.
"""

from __future__ import annotations

import functools
import random
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import timezone

from tanu.cases.models import AnonymousNotification, age_band
from tanu.identification.models import Screening
from tanu.lib import csvsafe
from tanu.reports.categories import (
    broad_age_band,
    citizenship_group,
    macro_region,
    normalise_citizenship,
)

DEFAULT_K = 11
#: No export is made with a smaller k (the command and the page refuse it).
MIN_K = 11
#: The sensitive column whose diversity within each class the metadata reports.
OUTCOME_COLUMN = "identification_outcome"
DEFAULT_MAX_SUPPRESSION = 0.05
CHUNK_SIZE = 2000

QUASI_IDENTIFIERS = (
    "year_of_registration",
    "region_of_identification",
    "citizenship",
    "age_broad",
    "gender",
    "type_of_exploitation",
)
#: Raised first when two columns do equally well.
PREFERENCE = QUASI_IDENTIFIERS
OTHER_FIELDS = ("record_type", "identification_outcome", "is_presumed_victim", "strong")
#: The columns of the CSV, in order.
COLUMNS = (
    "record_type",
    "year_of_registration",
    "region_of_identification",
    "country_of_identification",
    "gender",
    "age_broad",
    "majority_status",
    "citizenship",
    "type_of_exploitation",
    "identification_outcome",
    "is_presumed_victim",
    "number_of_strong_indicators",
)
_STORED = (*QUASI_IDENTIFIERS, *OTHER_FIELDS)

_GENDER = {"female": "Female", "male": "Male", "other": "Other"}


def _year_pair(value: str) -> str:
    try:
        year = int(value)
    except ValueError:
        return "any"
    start = year - (year % 2)
    return f"{start}-{start + 1}"


def _gender_1(value: str) -> str:
    return value if value in ("Female", "Male") else "Unknown"


def _form_0(value: str | None) -> str:
    return value if value in ("labour", "sexual") else "unknown"


#: Per quasi-identifier, the functions from the stored value to each level's value.
HIERARCHIES: dict[str, tuple[Callable[[str], str], ...]] = {
    "year_of_registration": (lambda v: v, _year_pair, lambda v: "any"),
    "region_of_identification": (lambda v: v, macro_region, lambda v: "KZ"),
    "citizenship": (lambda v: v, citizenship_group, lambda v: "unknown"),
    "age_broad": (lambda v: v, broad_age_band, lambda v: "unknown"),
    "gender": (lambda v: v, _gender_1, lambda v: "Unknown"),
    "type_of_exploitation": (lambda v: v, lambda v: "unknown"),
}
LEVEL_NAMES: dict[str, tuple[str, ...]] = {
    "year_of_registration": ("year", "two-year period", "suppressed (any)"),
    "region_of_identification": ("region (ISO 3166-2)", "macro-region", "country (KZ)"),
    "citizenship": (
        "country (ISO 3166-1 alpha-2, short list)",
        "KZ / central_asia / other / unknown",
        "suppressed (unknown)",
    ),
    "age_broad": ("tanu age band", "0-17 / 18-34 / 35+", "suppressed (unknown)"),
    "gender": ("Female / Male / Other / Unknown", "Female / Male / Unknown", "suppressed"),
    "type_of_exploitation": ("labour / sexual / unknown", "suppressed (unknown)"),
}


# ---------------------------------------------------------------------------------------------
# Records, stored compactly: one small integer per field


@dataclass
class RecordSet:
    """Records as codes (2 bytes a field), so that a million rows fit in a few megabytes."""

    codes: dict[str, dict[str, int]] = field(default_factory=lambda: {name: {} for name in _STORED})
    values: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in _STORED})
    data: array = field(default_factory=lambda: array("H"))

    def __len__(self) -> int:
        return len(self.data) // len(_STORED)

    def add(self, record: Mapping[str, str]) -> None:
        for name in _STORED:
            value = str(record.get(name, ""))
            book = self.codes[name]
            code = book.get(value)
            if code is None:
                code = len(book)
                if code >= 65535:
                    raise ValueError(f"too many distinct values of {name}")
                book[value] = code
                self.values[name].append(value)
            self.data.append(code)

    def row(self, index: int) -> dict[str, str]:
        width = len(_STORED)
        base = index * width
        return {name: self.values[name][self.data[base + i]] for i, name in enumerate(_STORED)}

    def qi_counter(self) -> Counter[tuple[str, ...]]:
        """How many records share each combination of stored (level 0) quasi-identifiers."""
        width = len(_STORED)
        qi = len(QUASI_IDENTIFIERS)
        data = self.data
        counter: Counter[tuple[int, ...]] = Counter(
            tuple(data[base : base + qi]) for base in range(0, len(data), width)
        )
        return Counter(
            {
                tuple(self.values[QUASI_IDENTIFIERS[i]][c] for i, c in enumerate(key)): n
                for key, n in counter.items()
            }
        )


# ---------------------------------------------------------------------------------------------
# The plan: generalisation levels and the classes to suppress


@dataclass
class Plan:
    k: int
    levels: dict[str, int]
    suppressed_classes: frozenset[tuple[str, ...]]
    input_rows: int
    rows_suppressed: int
    classes: int
    smallest_class: int | None
    max_suppression: float

    def generalise(self, stored: Sequence[str]) -> tuple[str, ...]:
        return generalise(stored, self.levels)


def generalise(stored: Sequence[str], levels: Mapping[str, int]) -> tuple[str, ...]:
    return tuple(
        HIERARCHIES[name][levels[name]](value)
        for name, value in zip(QUASI_IDENTIFIERS, stored, strict=True)
    )


def _classes(
    counter: Mapping[tuple[str, ...], int], levels: Mapping[str, int]
) -> Counter[tuple[str, ...]]:
    classes: Counter[tuple[str, ...]] = Counter()
    for stored, n in counter.items():
        classes[generalise(stored, levels)] += n
    return classes


def _at_risk(classes: Mapping[tuple[str, ...], int], k: int) -> int:
    return sum(n for n in classes.values() if n < k)


def make_plan(
    counter: Mapping[tuple[str, ...], int],
    k: int = DEFAULT_K,
    max_suppression: float = DEFAULT_MAX_SUPPRESSION,
) -> Plan:
    """Choose generalisation levels greedily, then the classes still smaller than k."""
    if k < 1:
        raise ValueError("k must be at least 1")
    if not 0 <= max_suppression <= 1:
        raise ValueError("max_suppression must be between 0 and 1")
    total = sum(counter.values())
    allowed = int(max_suppression * total)
    levels = dict.fromkeys(QUASI_IDENTIFIERS, 0)
    classes = _classes(counter, levels)
    risk = _at_risk(classes, k)
    while risk > allowed:
        best: tuple[int, str, Counter[tuple[str, ...]]] | None = None
        for name in PREFERENCE:
            if levels[name] + 1 >= len(HIERARCHIES[name]):
                continue
            trial_classes = _classes(counter, {**levels, name: levels[name] + 1})
            trial_risk = _at_risk(trial_classes, k)
            # Only strictly fewer rows at risk wins: on a tie, the column earlier in PREFERENCE.
            if best is None or trial_risk < best[0]:
                best = (trial_risk, name, trial_classes)
        if best is None:
            break  # every column is fully generalised: suppress what remains
        risk, name, classes = best
        levels[name] += 1
    small = frozenset(c for c, n in classes.items() if n < k)
    kept = [n for c, n in classes.items() if n >= k]
    return Plan(
        k=k,
        levels=levels,
        suppressed_classes=small,
        input_rows=total,
        rows_suppressed=sum(classes[c] for c in small),
        classes=len(kept),
        smallest_class=min(kept) if kept else None,
        max_suppression=max_suppression,
    )


# ---------------------------------------------------------------------------------------------
# Writing


def _majority(age: str) -> str:
    if age in ("0-11", "12-17", "0-17"):
        return "Minor"
    if age == "unknown":
        return "Unknown"
    return "Adult"


def _named(generalised: Sequence[str]) -> dict[str, str]:
    """A class's generalised quasi-identifiers by name; a class of another width is refused."""
    return dict(zip(QUASI_IDENTIFIERS, generalised, strict=True))


def output_row(record: Mapping[str, str], generalised: Sequence[str]) -> list[str]:
    qi = _named(generalised)
    return [
        record["record_type"],
        qi["year_of_registration"],
        qi["region_of_identification"],
        "KZ",
        qi["gender"],
        qi["age_broad"],
        _majority(qi["age_broad"]),
        qi["citizenship"],
        qi["type_of_exploitation"],
        record["identification_outcome"],
        record["is_presumed_victim"],
        record["strong"],
    ]


def write_csv(
    records: RecordSet,
    plan: Plan,
    handle: IO[str],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the kept rows, grouped by class and shuffled within it (by the operating system's
    randomness: there is no seed to guess the order of entry from). Returns rows written."""
    qi_width = len(QUASI_IDENTIFIERS)
    width = len(_STORED)
    order = list(range(len(records)))
    random.SystemRandom().shuffle(order)
    generalise_once = functools.cache(plan.generalise)

    def class_of(index: int) -> tuple[str, ...]:
        base = index * width
        return generalise_once(
            tuple(
                records.values[QUASI_IDENTIFIERS[i]][records.data[base + i]]
                for i in range(qi_width)
            )
        )

    order.sort(key=class_of)
    writer = csvsafe.writer(handle, lineterminator="\n")
    writer.writerow(COLUMNS)
    written = 0
    for step, index in enumerate(order):
        generalised = class_of(index)
        if generalised in plan.suppressed_classes:
            continue
        writer.writerow(output_row(records.row(index), generalised))
        written += 1
        if progress is not None and step % 50_000 == 0:
            progress(step, len(order))
    return written


def l_diversity(records: RecordSet, plan: Plan) -> dict[str, Any]:
    """Distinct outcomes per published class (see the module notes for the shape)."""
    width = len(_STORED)
    qi_width = len(QUASI_IDENTIFIERS)
    outcome_at = _STORED.index(OUTCOME_COLUMN)
    outcomes: dict[tuple[str, ...], set[int]] = {}
    rows: Counter[tuple[str, ...]] = Counter()
    data = records.data

    @functools.cache
    def class_of(codes: tuple[int, ...]) -> tuple[str, ...]:
        return plan.generalise(
            tuple(records.values[QUASI_IDENTIFIERS[i]][c] for i, c in enumerate(codes))
        )

    for base in range(0, len(data), width):
        key = class_of(tuple(data[base : base + qi_width]))
        if key in plan.suppressed_classes:
            continue
        outcomes.setdefault(key, set()).add(data[base + outcome_at])
        rows[key] += 1
    ls = {key: len(found) for key, found in outcomes.items()}
    histogram = Counter(ls.values())
    return {
        "column": OUTCOME_COLUMN,
        "min": min(ls.values()) if ls else None,
        "max": max(ls.values()) if ls else None,
        "classes_by_l": {str(n): histogram[n] for n in sorted(histogram)},
        "homogeneous_classes": histogram.get(1, 0),
        "classes": [
            {
                "quasi_identifiers": _named(key),
                "rows": rows[key],
                "l": ls[key],
            }
            for key in sorted(ls)
        ],
    }


def meta(
    plan: Plan,
    *,
    written: int,
    scope: str,
    source: str,
    diversity: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "format": "tanu anonymised microdata (CSV, UTF-8)",
        "field_names": "after HTCDS v2 and the CTDC global dataset; see mapping",
        "created_on": timezone.localdate().isoformat(),
        "source": source,
        "scope": scope,
        "k": plan.k,
        "quasi_identifiers": list(QUASI_IDENTIFIERS),
        "generalisation": {
            name: {
                "level": plan.levels[name],
                "level_name": LEVEL_NAMES[name][plan.levels[name]],
                "levels": list(LEVEL_NAMES[name]),
            }
            for name in QUASI_IDENTIFIERS
        },
        "input_rows": plan.input_rows,
        "output_rows": written,
        "rows_suppressed": plan.rows_suppressed,
        "max_suppression": plan.max_suppression,
        "equivalence_classes": plan.classes,
        "smallest_class": plan.smallest_class,
        "l_diversity": diversity,
        "columns": list(COLUMNS),
        "mapping": {
            "record_type": "CTDC Datasource (screening | declined_notification)",
            "year_of_registration": "CTDC yearOfRegistration",
            "region_of_identification": "HTCDS org_ShippingState of the identifying agency",
            "country_of_identification": "always KZ (not CTDC CountryOfExploitation)",
            "gender": "HTCDS prs_Gender / CTDC gender",
            "age_broad": "CTDC ageBroad (tanu age bands)",
            "majority_status": "CTDC majorityStatus, derived from the published age_broad",
            "citizenship": "HTCDS prs_Nationality / CTDC citizenship (ISO 3166-1 alpha-2)",
            "type_of_exploitation": (
                "HTCDS vic_TypeOfLabourExploitation / vic_TypeOfSexExploitation; "
                "CTDC isForcedLabour / isSexualExploit"
            ),
            "identification_outcome": "tanu: ILO assessment outcome",
            "is_presumed_victim": "tanu: ILO threshold met",
            "number_of_strong_indicators": "tanu: observed strong indicators, 0 to 3+",
        },
        "notes": [
            "Every combination of the quasi-identifiers occurs at least k times; rows in "
            "smaller combinations were left out (rows_suppressed).",
            "A declined_notification row describes an adult who declined a case; that person's "
            "screening is also a screening row. Count persons screened with screening rows.",
            "No names, ids, free text or dates finer than the year are exported.",
            "l_diversity: for each class, l is the number of distinct identification_outcome "
            "values; a class with l = 1 discloses the outcome of everyone known to be in it.",
        ],
    }


# ---------------------------------------------------------------------------------------------
# Reading the database


def _strong(result: Any) -> str:
    """The strong indicators observed in a stored assessment, of whatever shape it was kept in
    (none, an older one): 0 where it says nothing."""
    dimensions = result.get("dimensions") if isinstance(result, dict) else None
    if not isinstance(dimensions, dict):
        return "0"
    strong = sum(int(d.get("strong") or 0) for d in dimensions.values() if isinstance(d, dict))
    return "3+" if strong >= 3 else str(strong)


def _screening_age(band: str | None, years: int | None, group: str) -> str:
    if band and band != "unknown":
        return band
    if years is not None:
        return age_band(years)
    return "0-17" if group in ("child", "unknown_maybe_child") else "unknown"


def screening_records(region_id: int | None = None) -> tuple[int, Iterator[dict[str, str]]]:
    qs = Screening.objects.filter(status=Screening.Status.FINAL)
    if region_id is not None:
        qs = qs.filter(region_id=region_id)
    total = qs.count()
    rows = qs.order_by().values_list(
        "screened_on",
        "region__code",
        "form",
        "age_group",
        "age_years",
        "outcome",
        "threshold_met",
        "result",
        "case__person__sex",
        "case__person__citizenship",
        "case__person__age_band",
    )

    def generate() -> Iterator[dict[str, str]]:
        for day, region, form, group, years, outcome, met, result, sex, cit, band in rows.iterator(
            chunk_size=CHUNK_SIZE
        ):
            yield {
                "year_of_registration": str(day.year),
                "region_of_identification": region,
                "citizenship": normalise_citizenship(cit),
                "age_broad": _screening_age(band, years, group),
                "gender": _GENDER.get(sex, "Unknown"),
                "type_of_exploitation": _form_0(form),
                "record_type": "screening",
                "identification_outcome": outcome,
                "is_presumed_victim": "true" if met else "false",
                "strong": _strong(result),
            }

    return total, generate()


def notification_records(region_id: int | None = None) -> tuple[int, Iterator[dict[str, str]]]:
    qs = AnonymousNotification.objects.all()
    if region_id is not None:
        qs = qs.filter(region_id=region_id)
    total = qs.count()
    rows = qs.order_by().values_list(
        "recorded_at", "region__code", "form", "age_band", "outcome", "sex", "citizenship"
    )

    def generate() -> Iterator[dict[str, str]]:
        for at, region, form, band, outcome, sex, cit in rows.iterator(chunk_size=CHUNK_SIZE):
            yield {
                "year_of_registration": str(timezone.localtime(at).year),
                "region_of_identification": region,
                "citizenship": normalise_citizenship(cit),
                "age_broad": band or "unknown",
                "gender": _GENDER.get(sex, "Unknown"),
                "type_of_exploitation": _form_0(form),
                "record_type": "declined_notification",
                "identification_outcome": outcome or "",
                "is_presumed_victim": "true" if outcome == "presumed_victim" else "false",
                "strong": "",
            }

    return total, generate()


def read_records(
    region_id: int | None = None, progress: Callable[[int, int], None] | None = None
) -> RecordSet:
    """Stream the records from the database in chunks into a compact RecordSet."""
    records = RecordSet()
    screenings_total, screenings = screening_records(region_id)
    notes_total, notes = notification_records(region_id)
    expected = screenings_total + notes_total
    done = 0
    for record in _chain(screenings, notes):
        records.add(record)
        done += 1
        if progress is not None and done % 10_000 == 0:
            progress(done, expected)
    if progress is not None:
        progress(done, max(expected, done))
    return records


def _chain(*iterables: Iterable[dict[str, str]]) -> Iterator[dict[str, str]]:
    for iterable in iterables:
        yield from iterable


@dataclass
class Result:
    plan: Plan
    written: int
    meta: dict[str, Any]


def export(
    handle: IO[str],
    *,
    k: int = DEFAULT_K,
    max_suppression: float = DEFAULT_MAX_SUPPRESSION,
    region_id: int | None = None,
    scope: str = "KZ",
    progress: Callable[[str, int, int], None] | None = None,
) -> Result:
    """Read, plan and write the anonymised CSV to ``handle``; return the plan and metadata.

    Raises ValueError, before reading anything, when ``k`` is below :data:`MIN_K`.
    """
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}")

    def report(stage: str) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        return lambda done, expected: progress(stage, done, expected)

    records = read_records(region_id, report("read"))
    plan = make_plan(records.qi_counter(), k=k, max_suppression=max_suppression)
    if progress is not None:
        progress("plan", 1, 1)
    written = write_csv(records, plan, handle, report("write"))
    if progress is not None:
        progress("write", 1, 1)
    return Result(
        plan=plan,
        written=written,
        meta=meta(
            plan,
            written=written,
            scope=scope,
            source="tanu",
            diversity=l_diversity(records, plan),
        ),
    )
