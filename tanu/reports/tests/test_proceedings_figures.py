"""The criminal proceedings section of the statistics: what it counts, the small-cell
protection of its counts, medians and sums, the filters, downloads and the quarterly report."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tanu.accounts.models import Agency, Role, User
from tanu.accounts.tests.factories import AgencyFactory, UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.cases.models import Case
from tanu.cases.tests.helpers import open_case
from tanu.proceedings.models import Article, Proceeding, ProtectionMeasure
from tanu.reports import proceedings as proceeding_stats
from tanu.reports import snapshots, stats
from tanu.reports.filters import Filters
from tanu.reports.models import StatsSnapshot
from tanu.reports.stats import PublishedTable
from tanu.reports.tests.helpers import signed_in

pytestmark = pytest.mark.django_db

IDENTIFIED = date(2025, 1, 10)
_serial = iter(range(1, 10**6))


@pytest.fixture(autouse=True)
def _threshold(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TANU_STATS_THRESHOLD = 5
    settings.TANU_STATS_MAX_AGE = 0  # every figure computed from the rows of the test


def investigator(region_agency: Agency) -> User:
    unit = AgencyFactory(
        region=region_agency.region,
        kind=Agency.Kind.CRIMINAL_POLICE,
        name_en=f"Investigation unit {next(_serial)}",
    )
    return UserFactory(username=f"investigator{next(_serial)}", role=Role.INVESTIGATOR, agency=unit)


def identified_case(screener: User, on: date = IDENTIFIED) -> Case:
    """A case whose person was identified (screened) on the given day."""
    case = open_case(screener)
    case.screenings.update(screened_on=on)
    return case


def proceeding(
    case: Case,
    officer: User,
    registered_on: date,
    *,
    articles: Sequence[str] = ("128",),
    **fields: object,
) -> Proceeding:
    """A proceeding written directly (statistics tests need the rows, not the journey)."""
    assert officer.agency is not None
    created = Proceeding.objects.create(
        case=case,
        erdr_number=f"2575{next(_serial):011d}",
        registered_on=registered_on,
        investigating_agency=officer.agency,
        created_by=officer,
        **fields,  # type: ignore[arg-type]
    )
    created.articles.set(Article.objects.filter(number__in=articles))
    return created


def convicted(on: date, **fields: object) -> dict[str, object]:
    return {
        "stage": Proceeding.Stage.VERDICT,
        "sent_to_court_on": on - timedelta(days=40),
        "trial_started_on": on - timedelta(days=20),
        "verdict_on": on,
        "verdict": Proceeding.Verdict.CONVICTED,
        **fields,
    }


def section(filters: Filters) -> dict[str, PublishedTable]:
    return {t.name: t for t in stats.overview(filters).proceedings}


def values(table: PublishedTable) -> dict[str, list[object]]:
    return {row.key: list(row.values) for row in table.rows}


def test_the_section_counts_registrations_court_verdicts_and_cooperation(
    personas: Personas,
) -> None:
    officer = investigator(personas.police)
    case = identified_case(personas.screener)
    for i in range(7):
        fields = convicted(date(2025, 9, 1)) if i < 5 else {"stage": Proceeding.Stage.PRE_TRIAL}
        proceeding(case, officer, date(2025, 2, 1), cooperates=i < 1, **fields)
    acquitted = convicted(date(2025, 10, 1), verdict=Proceeding.Verdict.ACQUITTED)
    proceeding(identified_case(personas.screener), officer, date(2025, 3, 1), **acquitted)

    figures = proceeding_stats.proceeding_figures(Filters(year=2025))
    counted = {key: count.n for key, count in figures.overview.items()}
    published = values(section(Filters(year=2025))["proceedings"])

    assert counted == {
        "registered": 8,
        "sent_to_court": 6,
        "convicted": 5,
        "acquitted": 1,
        "cooperated": 1,
    }
    for key in ("registered", "sent_to_court", "convicted"):
        (shown,) = published[key]
        assert isinstance(shown, int) and shown % 5 == 0 and shown >= 5, (key, shown)
    assert published["acquitted"] == ["<5"]
    assert published["cooperated"] == ["<5"]


def test_a_person_with_several_proceedings_counts_once_among_those_who_cooperated(
    personas: Personas,
) -> None:
    officer = investigator(personas.police)
    case = identified_case(personas.screener)
    for _ in range(3):
        proceeding(case, officer, date(2025, 2, 1), cooperates=True)

    figures = proceeding_stats.proceeding_figures(Filters())

    assert figures.overview["registered"].n == 3
    assert figures.overview["cooperated"].n == 1


def test_small_counts_read_less_than_five_on_the_dashboard_and_in_the_api(
    personas: Personas,
) -> None:
    officer = investigator(personas.police)
    for _ in range(2):
        proceeding(identified_case(personas.screener), officer, date(2025, 2, 1))
    client = signed_in(personas.analyst)

    html = client.get("/reports/").content.decode()
    data = client.get("/api/v1/stats/").json()

    section_html = html[html.index('id="criminal-proceedings"') :]
    assert "Criminal proceedings" in section_html and "Criminal cases and verdicts" in section_html
    assert "&lt;5" in section_html
    rows = {r["key"]: r["values"]["count"] for r in data["tables"]["proceedings"]["rows"]}
    assert rows["registered"] == "<5"
    assert rows["sent_to_court"] == 0
    assert set(data["proceeding_summaries"]) == {"proceeding_timings", "compensation"}


def test_medians_are_hidden_below_twice_the_threshold(personas: Personas) -> None:
    officer = investigator(personas.police)
    case = identified_case(personas.screener)
    for _ in range(9):
        proceeding(case, officer, IDENTIFIED + timedelta(days=30), **convicted(date(2025, 12, 1)))

    timings = values(section(Filters())["proceeding_timings"])

    assert timings["to_registration"][1] == "—"
    assert timings["to_verdict"][1] == "—"
    # The nine proceedings measured are a protected count like any other.
    assert timings["to_verdict"][0] != 9 and timings["to_verdict"][0] % 5 == 0


def test_medians_are_shown_for_ten_proceedings_or_more(personas: Personas) -> None:
    officer = investigator(personas.police)
    case = identified_case(personas.screener)
    registered = IDENTIFIED + timedelta(days=30)
    for _ in range(10):
        proceeding(case, officer, registered, **convicted(registered + timedelta(days=200)))

    timings = values(section(Filters())["proceeding_timings"])

    assert timings["to_registration"][1] == 30
    assert timings["to_verdict"][1] == 200
    measured = timings["to_verdict"][0]
    assert isinstance(measured, int) and measured % 5 == 0


def test_identification_is_the_day_of_the_first_screening_not_the_day_the_case_was_typed(
    personas: Personas,
) -> None:
    officer = investigator(personas.police)
    case = identified_case(personas.screener, on=date(2025, 1, 1))
    proceeding(case, officer, date(2025, 1, 15))

    histogram = proceeding_stats.proceeding_figures(Filters()).histograms["to_registration"]

    assert {days: count.n for days, count in histogram.items()} == {14: 1}


def test_compensation_is_not_published_for_fewer_than_ten_proceedings(
    personas: Personas,
) -> None:
    officer = investigator(personas.police)
    case = identified_case(personas.screener)
    for _ in range(4):
        proceeding(
            case,
            officer,
            date(2025, 2, 1),
            **convicted(
                date(2025, 9, 1), compensation_awarded=1_500_000, compensation_paid=300_000
            ),
        )

    money = values(section(Filters())["compensation"])

    assert money == {"awarded": ["<5", "—"], "paid": ["<5", "—"]}
    figures = proceeding_stats.proceeding_figures(Filters())
    assert figures.money["awarded"][1] == 6_000_000  # known to the server, never shown
    client = signed_in(personas.analyst)
    outputs = [
        client.get("/reports/table/compensation.csv").content.decode("utf-8-sig"),
        client.get("/api/v1/stats/compensation/").content.decode(),
        client.get("/api/v1/stats/").content.decode(),
        client.get("/reports/").content.decode(),
    ]
    for output in outputs:
        assert not any(sum_ in output for sum_ in ("6000000", "6,000,000", "1200000", "1,200,000"))


def test_compensation_awarded_and_paid_are_shown_rounded_for_ten_proceedings(
    personas: Personas,
) -> None:
    officer = investigator(personas.police)
    case = identified_case(personas.screener)
    for i in range(12):
        paid = {"compensation_paid": 250_000} if i < 10 else {}
        proceeding(
            case,
            officer,
            date(2025, 2, 1),
            **convicted(date(2025, 9, 1), compensation_awarded=1_234_567, **paid),
        )

    money = values(section(Filters())["compensation"])

    awarded, paid = money["awarded"][1], money["paid"][1]
    # 12 × 1 234 567 and 10 × 250 000, adjusted by a few times 10 000 and rounded to 10 000.
    assert isinstance(awarded, int) and awarded % 10_000 == 0
    assert abs(awarded - 14_814_804) <= 200_000
    assert isinstance(paid, int) and paid % 10_000 == 0
    assert abs(paid - 2_500_000) <= 200_000
    assert values(section(Filters(year=2025))["compensation"]) == money  # the same every time
    assert all(isinstance(v, int) and v % 5 == 0 for v in (money["awarded"][0], money["paid"][0]))


def test_verdicts_count_by_article_and_year_under_each_article(personas: Personas) -> None:
    officer = investigator(personas.police)
    case = identified_case(personas.screener)
    proceeding(
        case, officer, date(2024, 1, 5), articles=("125", "128"), **convicted(date(2024, 11, 1))
    )
    proceeding(
        case,
        officer,
        date(2025, 1, 5),
        **convicted(date(2025, 6, 1), verdict=Proceeding.Verdict.ACQUITTED),
    )
    proceeding(case, officer, date(2025, 2, 5))  # no verdict yet

    figures = proceeding_stats.proceeding_figures(Filters())
    table = section(Filters())["proceedings_by_article"]

    assert sorted((a, y, v, c.n) for a, y, v, c in figures.by_article) == [
        ("125", 2024, "convicted", 1),
        ("128", 2024, "convicted", 1),
        ("128", 2025, "acquitted", 1),
    ]
    assert [row.key for row in table.rows] == ["128:2025", "125:2024", "128:2024"]
    assert values(table) == {
        "128:2025": [0, "<5"],
        "125:2024": ["<5", 0],
        "128:2024": ["<5", 0],
    }
    assert table.rows[0].label.startswith("128 · ") and table.rows[0].label.endswith(", 2025")
    assert "counted under each" in table.note
    assert table.grand_total is None  # a sum over articles would count a proceeding twice


def test_protection_measures_count_persons_by_kind(personas: Personas) -> None:
    officer = investigator(personas.police)
    case = identified_case(personas.screener)
    first = proceeding(case, officer, date(2025, 2, 1))
    second = proceeding(case, officer, date(2025, 3, 1))
    for measure in (first, second):
        ProtectionMeasure.objects.create(
            proceeding=measure, kind=ProtectionMeasure.Kind.SAFE_PLACE, starts_on=date(2025, 3, 2)
        )
    ProtectionMeasure.objects.create(
        proceeding=first, kind=ProtectionMeasure.Kind.PERSONAL_GUARD, starts_on=date(2025, 3, 2)
    )

    protection = proceeding_stats.proceeding_figures(Filters()).protection
    table = values(section(Filters())["protection_measures"])

    assert {kind: count.n for kind, count in protection.items()} == {
        "": 1,
        "safe_place": 1,
        "personal_guard": 1,
    }
    assert table["any"] == ["<5"] and table["safe_place"] == ["<5"]
    assert table["new_documents"] == [0]


def test_the_filters_apply_to_the_region_of_the_case_and_the_year_of_each_event(
    personas: Personas,
) -> None:
    almaty = investigator(personas.police)
    aktau = investigator(personas.aktau_police)
    proceeding(identified_case(personas.screener), almaty, date(2024, 12, 20))
    proceeding(
        identified_case(personas.screener),
        almaty,
        date(2025, 2, 1),
        **convicted(date(2026, 2, 1)),
    )
    proceeding(identified_case(personas.outsider), aktau, date(2025, 2, 1))

    def counted(filters: Filters) -> dict[str, int]:
        overview = proceeding_stats.proceeding_figures(filters).overview
        return {key: count.n for key, count in overview.items() if count.n}

    region = personas.police.region
    assert counted(Filters()) == {"registered": 3, "sent_to_court": 1, "convicted": 1}
    assert counted(Filters(region_id=region.pk)) == {
        "registered": 2,
        "sent_to_court": 1,
        "convicted": 1,
    }
    assert counted(Filters(year=2025)) == {"registered": 2, "sent_to_court": 1}
    assert counted(Filters(region_id=region.pk, year=2026)) == {"convicted": 1}


def test_coordinators_see_the_section_for_their_region_and_others_get_404(
    personas: Personas,
) -> None:
    aktau = investigator(personas.aktau_police)
    for _ in range(3):
        proceeding(identified_case(personas.outsider), aktau, date(2025, 2, 1))
    coordinator = signed_in(personas.coordinator)

    data = coordinator.get("/api/v1/stats/proceedings/").json()

    rows = {r["key"]: r["values"]["count"] for r in data["table"]["rows"]}
    assert rows["registered"] == 0  # Mangystau's proceedings are not the Almaty coordinator's
    mangystau = signed_in(personas.outsider_coordinator).get("/api/v1/stats/proceedings/").json()
    assert mangystau["table"]["rows"][0]["values"]["count"] == "<5"
    for user in (personas.screener, personas.caseworker, investigator(personas.police)):
        client = signed_in(user)
        assert client.get("/reports/table/proceedings.csv").status_code == 404
        assert client.get("/api/v1/stats/proceedings/").status_code == 404


def test_every_table_of_the_section_downloads_as_csv_and_xlsx_without_case_numbers(
    personas: Personas,
) -> None:
    officer = investigator(personas.police)
    case = identified_case(personas.screener)
    made = [
        proceeding(case, officer, date(2025, 2, 1), **convicted(date(2025, 9, 1))) for _ in range(6)
    ]
    client = signed_in(personas.analyst)

    for name in proceeding_stats.TABLE_NAMES:
        csv = client.get(f"/reports/table/{name}.csv")
        xlsx = client.get(f"/reports/table/{name}.xlsx")
        assert csv.status_code == 200 and xlsx.status_code == 200, name
        text = csv.content.decode("utf-8-sig")
        assert case.number not in text
        assert all(p.erdr_number not in text for p in made)
    by_article = client.get("/reports/table/proceedings_by_article.csv")
    assert "counted under each of them" in by_article.content.decode("utf-8-sig")
    book = load_workbook(io.BytesIO(client.get("/reports/tables.xlsx").content), read_only=True)
    assert set(proceeding_stats.TABLE_NAMES) <= set(book.sheetnames)


def test_the_quarterly_report_contains_the_criminal_proceedings_section(
    personas: Personas,
) -> None:
    officer = investigator(personas.police)
    case = identified_case(personas.screener)
    for _ in range(2):
        proceeding(case, officer, date(2025, 2, 1), **convicted(date(2025, 3, 1)))
    client = signed_in(personas.analyst)

    response = client.get("/reports/quarterly.pdf?year=2025&quarter=1&lang=en")

    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join("\n".join(page.extract_text() or "" for page in reader.pages).split())
    assert "Criminal proceedings" in text
    assert "Convictions and acquittals by article and year" in text
    assert "criminal cases sent to court" in text
    assert "Compensation awarded and paid (tenge)" in text
    assert "counted under each of them" in text
    tail = text[text.index("Criminal proceedings") :]
    assert "<5" in tail
    assert case.number not in text


def test_the_figures_are_kept_in_the_snapshot_as_they_were_computed(personas: Personas) -> None:
    officer = investigator(personas.police)
    case = identified_case(personas.screener)
    first = proceeding(
        case,
        officer,
        date(2025, 2, 1),
        articles=("125", "128"),
        cooperates=True,
        **convicted(date(2025, 9, 1), compensation_awarded=900_000),
    )
    ProtectionMeasure.objects.create(
        proceeding=first, kind=ProtectionMeasure.Kind.NEW_DOCUMENTS, starts_on=date(2025, 3, 1)
    )
    figures = proceeding_stats.proceeding_figures(Filters())

    stored = json.loads(json.dumps(proceeding_stats.encode(figures)))

    assert proceeding_stats.decode(stored) == figures


def test_a_snapshot_stored_before_the_section_existed_is_computed_again(
    personas: Personas, settings: Any
) -> None:
    settings.TANU_STATS_MAX_AGE = 300
    officer = investigator(personas.police)
    proceeding(identified_case(personas.screener), officer, date(2025, 2, 1))
    snapshots.figures(Filters())
    snapshot = StatsSnapshot.objects.get()
    snapshot.data.pop("proceedings")
    snapshot.save()

    figures = snapshots.figures(Filters())

    assert figures.proceedings.overview["registered"].n == 1
    assert "proceedings" in StatsSnapshot.objects.get().data
