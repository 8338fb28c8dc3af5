"""The statistics dashboard: who sees it, what it shows, filters, downloads and query counts."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tanu.accounts.models import Region
from tanu.accounts.tests.personas import Personas
from tanu.reports.tests.helpers import add_notifications, add_screenings, signed_in

pytestmark = pytest.mark.django_db

PAGES = [
    "/reports/",
    "/reports/panel/indicators/",
    "/reports/chart/by_region.csv",
    "/reports/chart/by_region.svg",
    "/reports/table/by_form.csv",
    "/reports/table/by_form.xlsx",
    "/reports/tables.xlsx",
    "/reports/quarterly.pdf?year=2025&quarter=1&lang=en",
    "/reports/exports/",
    "/api/v1/stats/",
    "/api/v1/stats/by_region/",
]


def _data(personas: Personas) -> None:
    """Almaty: 40 screenings (3 presumed victims), Aktau: 12 (2 possible victims)."""
    add_screenings(personas.police, personas.screener, 35)
    add_screenings(personas.police, personas.screener, 3, outcome="presumed_victim")
    add_screenings(personas.police, personas.screener, 2, outcome="possible_victim", form="sexual")
    add_screenings(personas.aktau_police, personas.outsider, 10)
    add_screenings(personas.aktau_police, personas.outsider, 2, outcome="possible_victim")


def _row(table: dict, key: str) -> dict:
    return next(r for r in table["rows"] if r["key"] == key)


def test_analysts_see_the_statistics_of_every_region(personas: Personas) -> None:
    _data(personas)
    client = signed_in(personas.analyst)
    page = client.get("/reports/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Screenings by region" in html
    assert "Almaty" in html and "Mangystau" in html
    data = client.get("/api/v1/stats/").json()
    regions = data["tables"]["by_region"]["rows"]
    assert len(regions) == Region.objects.count()


def test_coordinators_see_their_region_only_and_no_filter_widens_it(personas: Personas) -> None:
    _data(personas)
    client = signed_in(personas.coordinator)
    data = client.get("/api/v1/stats/").json()
    rows = data["tables"]["by_region"]["rows"]
    assert [r["label"] for r in rows] == ["Almaty"]
    assert data["filters"]["region"] == "KZ-75"
    assert client.get("/reports/?region=KZ-47").status_code == 404
    assert client.get("/api/v1/stats/?region=KZ-47").status_code == 404
    assert client.get("/reports/table/by_form.csv?region=KZ-47").status_code == 404
    page = client.get("/reports/").content.decode()
    assert "Mangystau" not in page


@pytest.mark.parametrize(
    "username", ["screener", "caseworker", "monitor", "trainer", "admin", "outsider"]
)
def test_everyone_but_analysts_and_coordinators_gets_404(personas: Personas, username: str) -> None:
    client = signed_in(getattr(personas, username))
    observed = {url: client.get(url).status_code for url in PAGES}
    assert observed == dict.fromkeys(PAGES, 404)
    assert client.post("/reports/exports/", {"k": "11"}).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get("/reports/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_small_counts_read_less_than_five_and_totals_are_protected(personas: Personas) -> None:
    _data(personas)
    client = signed_in(personas.analyst)
    table = client.get("/api/v1/stats/by_region/").json()["table"]
    almaty = Region.objects.get(code="KZ-75")
    row = _row(table, str(almaty.pk))
    assert row["values"]["presumed_victim"] == "<5"
    assert row["values"]["possible_victim"] == "<5"
    assert isinstance(row["values"]["no_indication"], int)
    assert row["values"]["no_indication"] % 5 == 0
    # The row total minus the visible cell is a multiple of 5: never the hidden counts.
    assert (row["total"] - row["values"]["no_indication"]) % 5 == 0
    html = client.get("/reports/").content.decode()
    assert "&lt;5" in html


def test_the_same_group_shows_the_same_figure_in_every_table_and_filter(personas: Personas) -> None:
    _data(personas)
    client = signed_in(personas.analyst)
    almaty = Region.objects.get(code="KZ-75")
    by_region = client.get("/api/v1/stats/by_region/").json()["table"]
    almaty_total = _row(by_region, str(almaty.pk))["total"]
    filtered = client.get("/api/v1/stats/by_form/?region=KZ-75").json()["table"]
    assert filtered["totals"]["total"] == almaty_total
    by_place = client.get("/api/v1/stats/by_place/?region=KZ-75").json()["table"]
    assert by_place["totals"]["total"] == almaty_total


def test_a_filter_that_narrows_to_a_few_people_shows_no_exact_small_count(
    personas: Personas,
) -> None:
    _data(personas)
    client = signed_in(personas.analyst)
    data = client.get("/api/v1/stats/?form=sexual").json()
    figures = []
    for table in data["tables"].values():
        for row in table["rows"]:
            figures.extend(row["values"].values())
        if table["totals"]:
            figures.extend(table["totals"]["values"].values())
            figures.append(table["totals"]["total"])
    assert "<5" in figures
    assert all(f == 0 or f == "<5" for f in figures if not isinstance(f, int) or f < 5)
    assert not any(isinstance(f, int) and 0 < f < 5 for f in figures)


def test_differencing_two_filters_does_not_recover_a_small_group(personas: Personas) -> None:
    """All screenings minus the labour ones would be the 2 sexual-exploitation screenings of
    Almaty: the difference of what is shown is a multiple of 5, never 2."""
    _data(personas)
    client = signed_in(personas.analyst)
    everything = client.get("/api/v1/stats/by_region/?region=KZ-75").json()["table"]
    labour = client.get("/api/v1/stats/by_region/?region=KZ-75&form=labour").json()["table"]
    difference = everything["totals"]["total"] - labour["totals"]["total"]
    assert difference % 5 == 0
    sexual = client.get("/api/v1/stats/by_region/?region=KZ-75&form=sexual").json()["table"]
    assert sexual["totals"]["total"] == "<5"


def test_declined_cases_count_among_persons_identified(personas: Personas) -> None:
    add_notifications(personas.police, personas.screener, 12, sex="male")
    client = signed_in(personas.analyst)
    table = client.get("/api/v1/stats/persons_by_sex/").json()["table"]
    male = _row(table, "male")
    assert isinstance(male["values"]["presumed_victim"], int)
    funnel = client.get("/api/v1/stats/funnel/").json()["table"]
    assert isinstance(_row(funnel, "declined")["values"]["count"], int)


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=1850",
        "month_from=3",
        "year=2025&month_from=9&month_to=2",
        "form=trafficking",
        "region=XX-00",
        "sex=%00",
        "agency_type='\"<script>",
        "year=" + "9" * 30,
    ],
)
def test_bad_filters_answer_400_with_a_message_never_500(personas: Personas, query: str) -> None:
    client = signed_in(personas.analyst)
    page = client.get(f"/reports/?{query}")
    assert page.status_code == 400
    assert b'class="error"' in page.content
    api = client.get(f"/api/v1/stats/?{query}")
    assert api.status_code == 400
    assert "detail" in api.json()
    download = client.get(f"/reports/table/by_form.csv?{query}")
    assert download.status_code == 400
    assert download.content


def test_unknown_tables_and_charts_are_404(personas: Personas) -> None:
    client = signed_in(personas.analyst)
    assert client.get("/reports/chart/nothing.svg").status_code == 404
    assert client.get("/reports/table/nothing.csv").status_code == 404
    assert client.get("/api/v1/stats/nothing/").status_code == 404


def test_the_main_view_runs_the_same_number_of_queries_for_small_and_larger_data(
    personas: Personas,
) -> None:
    client = signed_in(personas.analyst)
    add_screenings(personas.police, personas.screener, 5)
    client.get("/reports/")
    with CaptureQueriesContext(connection) as small:
        assert client.get("/reports/").status_code == 200
    add_screenings(personas.police, personas.screener, 400, outcome="possible_victim")
    add_screenings(personas.aktau_police, personas.outsider, 300, form="sexual", age_group="child")
    add_notifications(personas.police, personas.screener, 50)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/reports/").status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)
    with CaptureQueriesContext(connection) as panel_small:
        client.get("/reports/panel/indicators/", HTTP_HX_REQUEST="true")
    add_screenings(personas.police, personas.screener, 200, outcome="presumed_victim")
    with CaptureQueriesContext(connection) as panel_large:
        client.get("/reports/panel/indicators/", HTTP_HX_REQUEST="true")
    assert len(panel_small.captured_queries) == len(panel_large.captured_queries)


def test_charts_are_svg_images_labelled_with_their_figures(personas: Personas) -> None:
    _data(personas)
    client = signed_in(personas.analyst)
    html = client.get("/reports/").content.decode()
    charts = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(charts) >= 8
    for svg in charts:
        assert 'role="img"' in svg
        assert "<title" in svg and "<desc" in svg
        assert "style=" not in svg  # the Content-Security-Policy forbids inline style
    download = client.get("/reports/chart/by_region.svg")
    assert download["Content-Type"] == "image/svg+xml"
    svg = download.content.decode()
    assert svg.startswith("<?xml")
    assert "Almaty" in svg
    small = client.get("/reports/chart/by_form.svg?region=KZ-75").content.decode()
    assert ">&lt;5</text>" in small  # the figure is written beside its bar


def test_chart_and_table_downloads_carry_the_protected_figures(personas: Personas) -> None:
    _data(personas)
    client = signed_in(personas.analyst)
    chart_csv = client.get("/reports/chart/by_region.csv").content.decode("utf-8-sig")
    assert "Almaty" in chart_csv
    table_csv = client.get("/reports/table/by_region.csv?region=KZ-75").content.decode("utf-8-sig")
    assert "<5" in table_csv
    assert "Counts from 1 to 4" in table_csv
    book = load_workbook(io.BytesIO(client.get("/reports/tables.xlsx").content))
    assert {"about", "by_region", "funnel", "indicators", "timings"} <= set(book.sheetnames)
    values = [c for row in book["by_region"].iter_rows(values_only=True) for c in row]
    assert "<5" in values
    assert not any(isinstance(v, int) and 0 < v < 5 for v in values)


def test_figure_downloads_are_recorded_in_the_audit_trail(personas: Personas) -> None:
    from tanu.audit.models import Action, AuditEntry

    client = signed_in(personas.analyst)
    client.get("/reports/table/by_form.xlsx?year=2025")
    entry = AuditEntry.objects.filter(action=Action.EXPORT, object_type="statistics").get()
    assert entry.actor == personas.analyst
    assert entry.object_id == "table:by_form.xlsx"
    assert "year=2025" in entry.reason


def test_the_indicators_panel_loads_after_the_page(personas: Personas) -> None:
    add_screenings(
        personas.police,
        personas.screener,
        12,
        outcome="presumed_victim",
        answers={"AL-DR-01": "observed", "AL-EC-01": "observed", "AL-CD-01": "not_observed"},
    )
    client = signed_in(personas.analyst)
    page = client.get("/reports/").content.decode()
    assert 'hx-get="/reports/panel/indicators/' in page
    panel = client.get("/reports/panel/indicators/", HTTP_HX_REQUEST="true").content.decode()
    assert "AL-DR-01" in panel and "AL-EC-01" in panel
    assert "AL-CD-01" not in panel  # not observed
    assert "<html" not in panel
    full = client.get("/reports/panel/indicators/").content.decode()
    assert "<html" in full
