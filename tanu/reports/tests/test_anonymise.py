"""k-anonymous microdata: no equivalence class below k, for several k, and metadata that tells
the truth about what was generalised and suppressed."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from datetime import UTC, date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tanu.accounts.tests.personas import Personas
from tanu.cases.tests.helpers import open_case
from tanu.reports import anonymise
from tanu.reports.anonymise import (
    COLUMNS,
    HIERARCHIES,
    QUASI_IDENTIFIERS,
    RecordSet,
    make_plan,
    meta,
    write_csv,
)
from tanu.reports.tests.helpers import add_notifications, add_screenings

CANARY = ["Канарьева", "Жанар", "Kanaryeva", "Zhanar", "N12345678"]

record_strategy = st.fixed_dictionaries(
    {
        "year_of_registration": st.sampled_from(["2021", "2022", "2023", "2024", "2025"]),
        "region_of_identification": st.sampled_from(
            ["KZ-75", "KZ-71", "KZ-47", "KZ-63", "KZ-35", "KZ-19", "KZ-59"]
        ),
        "citizenship": st.sampled_from(["KZ", "KZ", "UZ", "KG", "TJ", "RU", "other", "unknown"]),
        "age_broad": st.sampled_from(
            ["0-11", "12-17", "0-17", "18-24", "25-34", "35-49", "50+", "unknown"]
        ),
        "gender": st.sampled_from(["Female", "Male", "Other", "Unknown"]),
        "type_of_exploitation": st.sampled_from(["labour", "sexual", "unknown"]),
        "record_type": st.sampled_from(["screening", "declined_notification"]),
        "identification_outcome": st.sampled_from(
            ["presumed_victim", "possible_victim", "no_indication"]
        ),
        "is_presumed_victim": st.sampled_from(["true", "false"]),
        "strong": st.sampled_from(["0", "1", "2", "3+", ""]),
    }
)

LEVEL_PATTERNS = {
    "year_of_registration": [r"\d{4}", r"\d{4}-\d{4}", r"any"],
    "region_of_identification": [r"KZ-\d\d", r"north|south|east|west|centre|unknown", r"KZ"],
    "citizenship": [r"[A-Z]{2}|other|unknown", r"KZ|central_asia|other|unknown", r"unknown"],
    "age_broad": [
        r"0-11|12-17|0-17|18-24|25-34|35-49|50\+|unknown",
        r"0-17|18-34|35\+|unknown",
        r"unknown",
    ],
    "gender": [r"Female|Male|Other|Unknown", r"Female|Male|Unknown", r"Unknown"],
    "type_of_exploitation": [r"labour|sexual|unknown", r"unknown"],
}


def _store(records: list[dict[str, str]]) -> RecordSet:
    store = RecordSet()
    for record in records:
        store.add(record)
    return store


def _run(records: list[dict[str, str]], k: int, max_suppression: float = 0.05):
    store = _store(records)
    plan = make_plan(store.qi_counter(), k=k, max_suppression=max_suppression)
    buffer = io.StringIO()
    written = write_csv(store, plan, buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    return plan, written, rows, meta(plan, written=written, scope="KZ", source="test")


def _classes(rows: list[dict[str, str]]) -> Counter[tuple[str, ...]]:
    return Counter(tuple(row[q] for q in QUASI_IDENTIFIERS) for row in rows)


@pytest.mark.parametrize("k", [2, 5, 11])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(record_strategy, min_size=0, max_size=400))
def test_no_equivalence_class_is_smaller_than_k(k: int, records: list[dict[str, str]]) -> None:
    plan, written, rows, info = _run(records, k)
    classes = _classes(rows)
    assert all(size >= k for size in classes.values()), classes.most_common()[-3:]
    # The metadata tells the truth.
    assert info["k"] == k
    assert info["quasi_identifiers"] == list(QUASI_IDENTIFIERS)
    assert info["input_rows"] == len(records)
    assert info["output_rows"] == written == len(rows)
    assert info["rows_suppressed"] == len(records) - len(rows)
    assert info["equivalence_classes"] == len(classes)
    assert info["smallest_class"] == (min(classes.values()) if classes else None)
    for name in QUASI_IDENTIFIERS:
        level = info["generalisation"][name]["level"]
        assert 0 <= level < len(HIERARCHIES[name])
        pattern = re.compile(LEVEL_PATTERNS[name][level] + r"\Z")
        assert all(pattern.match(row[name]) for row in rows), (name, level)
    # Suppression stays within the allowed share unless every column is fully generalised.
    at_top = all(plan.levels[q] == len(HIERARCHIES[q]) - 1 for q in QUASI_IDENTIFIERS)
    assert at_top or info["rows_suppressed"] <= 0.05 * len(records)


@settings(max_examples=15, deadline=None)
@given(records=st.lists(record_strategy, min_size=50, max_size=300))
def test_rows_keep_their_own_values_only_generalised(records: list[dict[str, str]]) -> None:
    plan, _written, rows, _info = _run(records, 5)
    expected = Counter(
        (
            *(HIERARCHIES[q][plan.levels[q]](r[q]) for q in QUASI_IDENTIFIERS),
            r["record_type"],
            r["identification_outcome"],
        )
        for r in records
    )
    produced = Counter(
        (
            *(row[q] for q in QUASI_IDENTIFIERS),
            row["record_type"],
            row["identification_outcome"],
        )
        for row in rows
    )
    assert not produced - expected  # nothing invented


def test_a_uniform_large_group_needs_no_generalisation() -> None:
    record = {
        "year_of_registration": "2025",
        "region_of_identification": "KZ-75",
        "citizenship": "KZ",
        "age_broad": "25-34",
        "gender": "Female",
        "type_of_exploitation": "labour",
        "record_type": "screening",
        "identification_outcome": "presumed_victim",
        "is_presumed_victim": "true",
        "strong": "2",
    }
    plan, written, rows, info = _run([record] * 30, 11)
    assert plan.levels == dict.fromkeys(QUASI_IDENTIFIERS, 0)
    assert written == 30
    assert info["rows_suppressed"] == 0
    assert rows[0]["region_of_identification"] == "KZ-75"
    assert rows[0]["country_of_identification"] == "KZ"
    assert rows[0]["majority_status"] == "Adult"


def test_fewer_records_than_k_give_a_file_with_the_header_only() -> None:
    record = dict.fromkeys(
        (
            *QUASI_IDENTIFIERS,
            "record_type",
            "identification_outcome",
            "is_presumed_victim",
            "strong",
        ),
        "x",
    )
    _plan, written, rows, info = _run([record] * 3, 11)
    assert written == 0 and rows == []
    assert info["rows_suppressed"] == 3


@pytest.mark.django_db
def test_the_export_command_writes_the_csv_and_its_metadata(
    personas: Personas, tmp_path: Path
) -> None:
    open_case(personas.screener)  # the canary person
    add_screenings(personas.police, personas.screener, 30)
    add_screenings(personas.police, personas.screener, 14, outcome="presumed_victim", form="sexual")
    add_screenings(personas.aktau_police, personas.outsider, 3, outcome="possible_victim")
    add_notifications(personas.police, personas.screener, 12, citizenship="Uzbekistan")
    target = tmp_path / "out" / "FILE.csv"
    out = io.StringIO()
    call_command("export", "anonymised", "--k", "11", "--output", str(target), stdout=out)
    assert target.exists()
    meta_path = tmp_path / "out" / "FILE.csv.meta.json"
    info = json.loads(meta_path.read_text())
    assert info["k"] == 11
    assert info["quasi_identifiers"] == list(QUASI_IDENTIFIERS)
    assert set(info["generalisation"]) == set(QUASI_IDENTIFIERS)
    assert info["input_rows"] == 30 + 14 + 3 + 12 + 1
    text = target.read_text()
    for secret in CANARY:
        assert secret not in text
        assert secret not in meta_path.read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0].keys()) == list(COLUMNS)
    assert info["output_rows"] == len(rows)
    assert info["rows_suppressed"] == info["input_rows"] - len(rows)
    assert all(size >= 11 for size in _classes(rows).values())
    assert {r["record_type"] for r in rows} == {"screening", "declined_notification"}
    assert any(r["citizenship"] in ("UZ", "central_asia") for r in rows)
    # No dates finer than the year, no references.
    assert not re.search(r"\d{4}-\d{2}-\d{2}|T-\d{8}|ALM-", text)
    assert "read:" in out.getvalue()  # progress lines
    assert f"wrote {len(rows)} rows" in out.getvalue()


@pytest.mark.django_db
def test_the_export_command_is_audited_and_rejects_bad_arguments(
    personas: Personas, tmp_path: Path
) -> None:
    from django.core.management.base import CommandError

    from tanu.audit.models import Action, AuditEntry

    call_command(
        "export",
        "anonymised",
        "--k",
        "11",
        "--output",
        str(tmp_path / "a.csv"),
        stdout=io.StringIO(),
    )
    entry = AuditEntry.objects.filter(action=Action.EXPORT, object_type="export").get()
    assert entry.actor_username == "cli"
    with pytest.raises(CommandError):
        call_command("export", "anonymised", "--k", "0", "--output", str(tmp_path / "b.csv"))
    with pytest.raises(CommandError):
        call_command(
            "export", "anonymised", "--region", "XX-99", "--output", str(tmp_path / "c.csv")
        )


def test_greedy_planning_prefers_to_generalise_rather_than_suppress_a_large_share() -> None:
    records = []
    for i in range(200):
        records.append(
            {
                "year_of_registration": str(2019 + i % 7),
                "region_of_identification": ["KZ-75", "KZ-19", "KZ-47", "KZ-27", "KZ-35"][i % 5],
                "citizenship": "KZ",
                "age_broad": ["18-24", "25-34", "35-49"][i % 3],
                "gender": "Female",
                "type_of_exploitation": "labour",
                "record_type": "screening",
                "identification_outcome": "no_indication",
                "is_presumed_victim": "false",
                "strong": "0",
            }
        )
    plan, written, rows, info = _run(records, 11)
    assert info["rows_suppressed"] <= 10
    assert any(level > 0 for level in plan.levels.values())
    assert written == len(rows) >= 190


def test_defaults_follow_ctdc() -> None:
    assert anonymise.DEFAULT_K == 11


@pytest.mark.django_db
@pytest.mark.parametrize("k", ["10", "5", "1", "0"])
def test_the_export_command_refuses_k_below_11_and_changes_nothing(
    personas: Personas, tmp_path: Path, k: str
) -> None:
    from django.core.management.base import CommandError

    from tanu.audit.models import AuditEntry

    add_screenings(personas.police, personas.screener, 30)
    target = tmp_path / "out.csv"
    before = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="k must be at least 11"):
        call_command("export", "anonymised", "--k", k, "--output", str(target))
    assert list(tmp_path.iterdir()) == []
    assert AuditEntry.objects.count() == before
    with pytest.raises(ValueError, match="at least 11"):
        anonymise.export(io.StringIO(), k=int(k))


def _record(outcome: str, region: str, gender: str = "Female") -> dict[str, str]:
    return {
        "year_of_registration": "2025",
        "region_of_identification": region,
        "citizenship": "KZ",
        "age_broad": "25-34",
        "gender": gender,
        "type_of_exploitation": "labour",
        "record_type": "screening",
        "identification_outcome": outcome,
        "is_presumed_victim": "false",
        "strong": "0",
    }


def test_the_metadata_reports_the_l_diversity_of_the_outcome_in_each_class() -> None:
    records = (
        # Almaty: one class of 12 with three outcomes
        [_record("no_indication", "KZ-75")] * 6
        + [_record("possible_victim", "KZ-75")] * 4
        + [_record("presumed_victim", "KZ-75")] * 2
        # Aktau: one class of 11 where everyone has the same outcome
        + [_record("presumed_victim", "KZ-47")] * 11
        # Taraz: a class of 3, suppressed (its outcomes must not be described)
        + [_record("possible_victim", "KZ-31", gender="Male")] * 3
    )
    store = _store(records)
    plan = make_plan(store.qi_counter(), k=11, max_suppression=0.2)
    diversity = anonymise.l_diversity(store, plan)

    assert plan.rows_suppressed == 3
    assert diversity["column"] == "identification_outcome"
    assert (diversity["min"], diversity["max"]) == (1, 3)
    assert diversity["classes_by_l"] == {"1": 1, "3": 1}
    assert diversity["homogeneous_classes"] == 1
    by_region = {
        c["quasi_identifiers"]["region_of_identification"]: (c["rows"], c["l"])
        for c in diversity["classes"]
    }
    assert by_region == {"KZ-75": (12, 3), "KZ-47": (11, 1)}
    assert all(c["rows"] >= 11 for c in diversity["classes"])
    info = meta(plan, written=23, scope="KZ", source="test", diversity=diversity)
    assert info["l_diversity"] == diversity
    json.dumps(info)  # the meta file is JSON


def test_the_anonymised_csv_neutralises_cells_that_start_like_a_formula() -> None:
    record = {**_record("no_indication", '=HYPERLINK("http://x.example","x")'), "strong": "-1"}
    _plan, written, rows, _info = _run([record] * 11, 11)
    assert written == 11
    assert {r["region_of_identification"] for r in rows} == {'\'=HYPERLINK("http://x.example","x")'}
    assert {r["number_of_strong_indicators"] for r in rows} == {"-1"}  # a number stays a number


@pytest.mark.parametrize(
    ("band", "majority"),
    [
        ("0-11", "Minor"),
        ("12-17", "Minor"),
        ("0-17", "Minor"),
        ("18-24", "Adult"),
        ("35+", "Adult"),
        ("unknown", "Unknown"),
    ],
)
def test_each_row_says_minor_adult_or_unknown_from_its_published_age_band(
    band: str, majority: str
) -> None:
    record = {"record_type": "screening", "identification_outcome": "possible_victim"}
    record |= {"is_presumed_victim": "false", "strong": "1"}
    generalised = ("2025", "KZ-75", "UZ", band, "Female", "labour")

    row = dict(zip(COLUMNS, anonymise.output_row(record, generalised), strict=True))

    assert row == {
        "record_type": "screening",
        "year_of_registration": "2025",
        "region_of_identification": "KZ-75",
        "country_of_identification": "KZ",
        "gender": "Female",
        "age_broad": band,
        "majority_status": majority,
        "citizenship": "UZ",
        "type_of_exploitation": "labour",
        "identification_outcome": "possible_victim",
        "is_presumed_victim": "false",
        "number_of_strong_indicators": "1",
    }


def test_a_row_with_a_missing_generalised_value_is_refused() -> None:
    record = {"record_type": "screening", "identification_outcome": "possible_victim"}
    record |= {"is_presumed_victim": "false", "strong": "1"}
    with pytest.raises(ValueError):
        anonymise.output_row(record, ("2025", "KZ-75", "UZ", "18-24", "Female"))


def _dims(*strong: int) -> dict[str, object]:
    return {"dimensions": {f"d{i}": {"strong": n} for i, n in enumerate(strong)}}


@pytest.mark.django_db
def test_each_finalised_screening_becomes_one_record_of_its_own_values(
    personas: Personas,
) -> None:
    police, screener = personas.police, personas.screener
    add_screenings(police, screener, 1, result=_dims(2, 1), outcome="presumed_victim")
    add_screenings(police, screener, 1, form="sexual", age_group="child", age_years=None,
                   result=_dims(2))  # fmt: skip
    add_screenings(police, screener, 1, form="unknown", age_group="unknown_maybe_child",
                   age_years=None)  # fmt: skip
    add_screenings(police, screener, 1, age_years=None, screened_on=date(2024, 5, 1),
                   result={"dimensions": {"a": {"strong": 0}, "b": {}, "c": "?"}})  # fmt: skip
    add_screenings(police, screener, 1, age_years=15, status="draft")  # never exported
    add_screenings(personas.aktau_police, personas.outsider, 1)  # another region
    with_person = open_case(screener)  # Канарьева: female, Kazakhstan, 18-24, presumed victim
    with_person.person.age_band = "unknown"
    with_person.person.save(update_fields=["age_band"])
    with_person.screenings.update(age_years=40)
    with_band = open_case(screener)  # the person's band wins over the years screened
    with_band.screenings.update(age_years=40)

    total, records = anonymise.screening_records(region_id=police.region_id)
    rows = sorted(
        (
            tuple(
                r[name] for name in ("year_of_registration", "age_broad", "gender", "citizenship")
            )
            + tuple(r[name] for name in ("type_of_exploitation", "strong", "is_presumed_victim"))
            + (r["identification_outcome"], r["region_of_identification"])
        )
        for r in records
    )

    assert total == 6
    region, year = police.region.code, str(timezone.localdate().year)
    assert rows == sorted(
        [
            ("2025", "25-34", "Unknown", "unknown", "labour", "3+", "true", "presumed_victim", region),
            ("2025", "0-17", "Unknown", "unknown", "sexual", "2", "false", "no_indication", region),
            ("2025", "0-17", "Unknown", "unknown", "unknown", "0", "false", "no_indication", region),
            ("2024", "unknown", "Unknown", "unknown", "labour", "0", "false", "no_indication", region),
            (year, "35-49", "Female", "KZ", "labour", "3+", "true", "presumed_victim", region),
            (year, "18-24", "Female", "KZ", "labour", "3+", "true", "presumed_victim", region),
        ]
    )  # fmt: skip


def test_a_suppressed_class_read_first_leaves_the_later_classes_described() -> None:
    records = (
        [_record("possible_victim", "KZ-31", gender="Male")] * 3  # suppressed, and read first
        + [_record("no_indication", "KZ-75")] * 6
        + [_record("possible_victim", "KZ-75")] * 5
        + [_record("no_indication", "KZ-47")] * 6
        + [_record("presumed_victim", "KZ-47")] * 5
    )
    store = _store(records)
    plan = make_plan(store.qi_counter(), k=11, max_suppression=0.2)

    diversity = anonymise.l_diversity(store, plan)

    assert plan.rows_suppressed == 3
    assert [c["rows"] for c in diversity["classes"]] == [11, 11]
    assert diversity["homogeneous_classes"] == 0  # no class discloses its outcome
    assert diversity["classes_by_l"] == {"2": 2}


def test_the_year_two_year_period_and_gender_levels_generalise_as_their_names_say() -> None:
    year, gender = HIERARCHIES["year_of_registration"], HIERARCHIES["gender"]
    assert [year[1](y) for y in ("2022", "2023", "2024", "2025")] == [
        "2022-2023",
        "2022-2023",
        "2024-2025",
        "2024-2025",
    ]
    assert year[2]("2025") == "any"
    assert year[1]("unknown") == "any"  # not a year: nothing to pair
    assert [gender[1](g) for g in ("Female", "Male", "Other", "Unknown")] == [
        "Female",
        "Male",
        "Unknown",
        "Unknown",
    ]


@pytest.mark.django_db
def test_a_regional_export_reads_that_region_only_and_reports_each_stage(
    personas: Personas,
) -> None:
    add_screenings(personas.police, personas.screener, 12)
    add_notifications(personas.police, personas.screener, 11)
    add_screenings(personas.aktau_police, personas.outsider, 13)
    add_notifications(personas.aktau_police, personas.outsider, 5)
    calls: list[tuple[str, int, int]] = []
    handle = io.StringIO()

    result = anonymise.export(
        handle,
        k=11,
        region_id=personas.police.region_id,
        scope="KZ-75",
        progress=lambda stage, done, expected: calls.append((stage, done, expected)),
    )

    rows = list(csv.DictReader(io.StringIO(handle.getvalue())))
    assert result.meta["input_rows"] == 23
    assert (result.meta["scope"], result.meta["source"]) == ("KZ-75", "tanu")
    assert result.meta["l_diversity"]["column"] == "identification_outcome"
    assert result.written == len(rows) == 23  # two classes of at least 11: nothing suppressed
    assert {r["region_of_identification"] for r in rows} == {"KZ-75"}
    assert calls[0] == ("read", 23, 23)
    assert calls[1] == ("plan", 1, 1)
    assert calls[2] == ("write", 0, 23)
    assert calls[-1] == ("write", 1, 1)
    national = anonymise.export(io.StringIO(), k=12, max_suppression=0.3)
    assert national.meta["input_rows"] == 41 and national.meta["scope"] == "KZ"
    assert (national.meta["k"], national.meta["max_suppression"]) == (12, 0.3)


@pytest.mark.django_db
def test_reading_reports_progress_every_ten_thousand_records_and_at_the_end(
    personas: Personas,
) -> None:
    add_screenings(personas.police, personas.screener, 10_000)
    add_notifications(personas.police, personas.screener, 5)
    calls: list[tuple[int, int]] = []

    records = anonymise.read_records(progress=lambda done, expected: calls.append((done, expected)))

    assert len(records) == 10_005
    assert calls == [(10_000, 10_005), (10_005, 10_005)]


@pytest.mark.django_db
def test_each_declined_notification_becomes_one_record_of_its_own_values(
    personas: Personas,
) -> None:
    from datetime import datetime

    police, screener = personas.police, personas.screener
    # 31 December 2024, 20:00 UTC is already 2025 in Almaty: the year is local.
    new_year = datetime(2024, 12, 31, 20, 0, tzinfo=UTC)
    add_notifications(police, screener, 1, recorded_at=new_year)
    add_notifications(police, screener, 1, sex="male", age_band="", form="sexual",
                      outcome="possible_victim", citizenship="Uzbekistan")  # fmt: skip
    add_notifications(police, screener, 1, sex="", form="", outcome="", citizenship="")
    add_notifications(personas.aktau_police, personas.outsider, 1)  # another region

    total, records = anonymise.notification_records(region_id=police.region_id)
    rows = sorted(tuple(sorted(r.items())) for r in records)

    assert total == 3
    common = {
        "record_type": "declined_notification",
        "strong": "",
        "region_of_identification": "KZ-75",
    }
    expected = [
        {**common, "year_of_registration": "2025", "citizenship": "KZ", "age_broad": "25-34",
         "gender": "Female", "type_of_exploitation": "labour",
         "identification_outcome": "presumed_victim", "is_presumed_victim": "true"},
        {**common, "year_of_registration": str(timezone.localdate().year), "citizenship": "UZ",
         "age_broad": "unknown", "gender": "Male", "type_of_exploitation": "sexual",
         "identification_outcome": "possible_victim", "is_presumed_victim": "false"},
        {**common, "year_of_registration": str(timezone.localdate().year),
         "citizenship": "unknown", "age_broad": "25-34", "gender": "Unknown",
         "type_of_exploitation": "unknown", "identification_outcome": "",
         "is_presumed_victim": "false"},
    ]  # fmt: skip
    assert rows == sorted(tuple(sorted(r.items())) for r in expected)


def test_the_plan_refuses_a_k_below_1_or_a_share_outside_0_to_1_and_keeps_the_share() -> None:
    counter = {("2025", "KZ-75", "KZ", "25-34", "Female", "labour"): 3}
    assert make_plan(counter, k=1, max_suppression=0).rows_suppressed == 0
    assert make_plan(counter, k=4, max_suppression=1).rows_suppressed == 3
    assert make_plan(counter, k=2, max_suppression=0.3).max_suppression == 0.3
    with pytest.raises(ValueError, match=r"^k must be at least 1$"):
        make_plan(counter, k=0)
    for share in (-0.01, 1.01):
        with pytest.raises(ValueError, match=r"^max_suppression must be between 0 and 1$"):
            make_plan(counter, k=2, max_suppression=share)


def test_a_missing_field_is_stored_empty_and_too_many_distinct_values_are_refused() -> None:
    store = RecordSet()
    store.add({"year_of_registration": "2025"})
    assert store.row(0)["strong"] == "" and store.row(0)["year_of_registration"] == "2025"

    store = RecordSet()
    for n in range(65_535):
        store.add({"citizenship": str(n)})
    with pytest.raises(ValueError, match=r"^too many distinct values of citizenship$"):
        store.add({"citizenship": "one more"})


def test_the_csv_groups_rows_by_class_with_unix_line_ends_and_the_meta_says_what_it_is() -> None:
    # Two classes, interleaved as they would come from the database.
    records = [_record("no_indication", region) for _ in range(11) for region in ("KZ-75", "KZ-47")]
    plan, written, rows, info = _run(records, 11)
    store = _store(records)
    buffer = io.StringIO()
    write_csv(store, plan, buffer)

    regions = [row["region_of_identification"] for row in rows]
    assert written == 22
    assert regions in (["KZ-47"] * 11 + ["KZ-75"] * 11, ["KZ-75"] * 11 + ["KZ-47"] * 11)
    assert "\r" not in buffer.getvalue()
    assert info["format"] == "tanu anonymised microdata (CSV, UTF-8)"
    assert info["field_names"] == "after HTCDS v2 and the CTDC global dataset; see mapping"
    assert info["created_on"] == timezone.localdate().isoformat()
    assert (info["source"], info["scope"], info["max_suppression"]) == ("test", "KZ", 0.05)


def test_the_metadata_file_names_its_fields_as_integrations_read_them() -> None:
    records = [_record("no_indication", "KZ-75")] * 11 + [_record("no_indication", "KZ-47")] * 2
    plan, _written, _rows, info = _run(records, 11, max_suppression=0.0)

    assert list(info) == [
        "format",
        "field_names",
        "created_on",
        "source",
        "scope",
        "k",
        "quasi_identifiers",
        "generalisation",
        "input_rows",
        "output_rows",
        "rows_suppressed",
        "max_suppression",
        "equivalence_classes",
        "smallest_class",
        "l_diversity",
        "columns",
        "mapping",
        "notes",
    ]
    assert info["columns"] == list(COLUMNS)
    assert list(info["mapping"]) == list(COLUMNS)  # every column is described, in order
    assert all(isinstance(text, str) and text for text in info["mapping"].values())
    assert plan.levels["region_of_identification"] == 2  # Almaty and Mangystau: the country
    for name in QUASI_IDENTIFIERS:
        level = plan.levels[name]
        assert info["generalisation"][name] == {
            "level": level,
            "level_name": anonymise.LEVEL_NAMES[name][level],
            "levels": list(anonymise.LEVEL_NAMES[name]),
        }
    assert info["generalisation"]["region_of_identification"]["level_name"] == "country (KZ)"


def test_the_strong_count_reads_a_stored_assessment_of_any_shape() -> None:
    counts = [anonymise._strong(_dims(*n)) for n in ((), (0, 0), (1,), (1, 1), (2, 1), (5,))]
    assert counts == ["0", "0", "1", "2", "3+", "3+"]
    # A dimension without the count, or with an empty one, adds nothing; so does one that is
    # not a mapping.
    mixed = {"dimensions": {"a": {"strong": 2}, "b": {}, "c": {"strong": None}, "d": "x"}}
    assert anonymise._strong(mixed) == "2"
    for nothing in (None, [], ["dimensions"], {}, {"dimensions": None}, {"dimensions": [1]}):
        assert anonymise._strong(nothing) == "0", nothing


def test_writing_reports_progress_every_fifty_thousand_rows() -> None:
    store = _store([_record("no_indication", "KZ-75")] * 100_001)
    plan = make_plan(store.qi_counter(), k=11)
    calls: list[tuple[int, int]] = []

    written = write_csv(store, plan, io.StringIO(), lambda step, n: calls.append((step, n)))

    assert written == 100_001
    assert calls == [(0, 100_001), (50_000, 100_001), (100_000, 100_001)]


def test_a_stored_record_of_another_width_is_never_generalised() -> None:
    levels = dict.fromkeys(QUASI_IDENTIFIERS, 1)
    full = ("2025", "KZ-75", "UZ", "25-34", "Other", "sexual")
    assert anonymise.generalise(full, levels) == (
        "2024-2025", "south", "central_asia", "18-34", "Unknown", "unknown"
    )  # fmt: skip
    for stored in (full[:-1], (*full, "extra")):
        with pytest.raises(ValueError):
            anonymise.generalise(stored, levels)


def test_on_a_tie_the_preferred_column_is_raised_and_no_other_in_vain() -> None:
    # Raising any one column leaves all 11 rows at risk: the year goes first (PREFERENCE);
    # then raising the region (both are in the south) makes one class of 11, and nothing else
    # is generalised.
    counter = {
        ("2024", "KZ-75", "KZ", "25-34", "Female", "labour"): 6,
        ("2025", "KZ-19", "KZ", "25-34", "Female", "labour"): 5,
    }
    plan = make_plan(counter, k=11, max_suppression=0)

    assert plan.levels == {
        "year_of_registration": 1,
        "region_of_identification": 1,
        "citizenship": 0,
        "age_broad": 0,
        "gender": 0,
        "type_of_exploitation": 0,
    }
    assert (plan.rows_suppressed, plan.classes, plan.smallest_class) == (0, 1, 11)
