"""Beside every table of rounded figures (the statistics page, the quarterly PDF
and every CSV and XLSX download) one shared note says, in the reader's language, that figures
are rounded separately, so totals may differ from the sum of their parts."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from tanu.accounts.tests.personas import Personas
from tanu.lib.charts import ROUNDING_NOTE
from tanu.monitoring.tests.helpers import plan
from tanu.reports.tests.helpers import add_screenings, signed_in

pytestmark = pytest.mark.django_db


def _note(lang: str) -> str:
    with translation.override(lang):
        return str(ROUNDING_NOTE)


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_every_table_on_the_statistics_page_has_the_note_beside_it(
    personas: Personas, lang: str
) -> None:
    add_screenings(personas.police, personas.screener, 12)
    html = signed_in(personas.analyst, lang).get("/reports/").content.decode()
    tables = html.count("<table")
    assert tables >= 8
    sections = re.findall(r'<section class="stat".*?</section>', html, flags=re.S)
    assert sections
    for section in sections:
        if "<table" in section:
            # the note follows the table, inside the table's own section
            assert section.index(_note(lang)) > section.index("</table>"), section[:120]
    panel = signed_in(personas.analyst, lang).get("/reports/panel/indicators/").content.decode()
    assert _note(lang) in panel


def test_the_downloads_carry_the_note_as_a_line_of_their_own(personas: Personas) -> None:
    add_screenings(personas.police, personas.screener, 12)
    client = signed_in(personas.analyst, "ru")
    note = _note("ru")
    for url in ("/reports/table/by_form.csv", "/reports/chart/by_region.csv"):
        text = client.get(url).content.decode("utf-8-sig")
        assert any(line.endswith(note) or note in line for line in text.splitlines()), url
    book = load_workbook(io.BytesIO(client.get("/reports/tables.xlsx").content))
    for sheet in book.worksheets:
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
        assert note in cells, sheet.title
    book = load_workbook(io.BytesIO(client.get("/reports/table/by_form.xlsx").content))
    assert all(
        note in [str(c.value) for row in s.iter_rows() for c in row] for s in book.worksheets
    )


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_the_quarterly_report_has_the_note_under_its_tables(personas: Personas, lang: str) -> None:
    add_screenings(personas.police, personas.screener, 12, screened_on=date(2025, 2, 3))
    content = signed_in(personas.analyst).get(
        f"/reports/quarterly.pdf?year=2025&quarter=1&lang={lang}"
    )
    reader = PdfReader(io.BytesIO(content.content))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    flat = " ".join(text.split())
    assert flat.count(_note(lang)) >= 8  # one under each table


def test_the_monitoring_overview_counts_exactly_and_makes_no_rounding_claim(
    personas: Personas,
) -> None:
    plan(personas)
    html = signed_in(personas.monitor, "ru").get("/monitoring/overview/").content.decode()
    assert "</table>" in html
    assert _note("ru") not in html
