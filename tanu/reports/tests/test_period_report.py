"""The quarterly period report renders as a PDF in Kazakh, Russian and English."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tanu.accounts.tests.personas import Personas
from tanu.reports.tests.helpers import add_screenings, signed_in

pytestmark = pytest.mark.django_db

# Words each language's report must contain (title, a region, an outcome heading).
EXPECTED = {
    "kk": ["2025 жылғы 1-тоқсан", "Алматы", "болжамды құрбан"],
    "ru": ["1-й квартал 2025 года", "Алматы", "предполагаемая жертва"],
    "en": ["quarter 1 of 2025", "Almaty", "presumed victim"],
}


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_quarterly_report_renders_in_each_language(personas: Personas, lang: str) -> None:
    from datetime import date

    add_screenings(personas.police, personas.screener, 25, screened_on=date(2025, 2, 3))
    add_screenings(
        personas.police,
        personas.screener,
        8,
        outcome="presumed_victim",
        screened_on=date(2025, 3, 3),
    )
    add_screenings(personas.police, personas.screener, 9, screened_on=date(2025, 5, 3))
    client = signed_in(personas.analyst)
    response = client.get(f"/reports/quarterly.pdf?year=2025&quarter=1&lang={lang}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(_text(response.content).split())
    for expected in EXPECTED[lang]:
        assert expected in text, (lang, expected, text[:400])


def test_the_quarterly_report_counts_the_quarter_only_and_keeps_small_counts_hidden(
    personas: Personas,
) -> None:
    from datetime import date

    add_screenings(personas.police, personas.screener, 30, screened_on=date(2025, 1, 20))
    add_screenings(
        personas.police,
        personas.screener,
        2,
        outcome="presumed_victim",
        screened_on=date(2025, 1, 21),
    )
    add_screenings(personas.police, personas.screener, 500, screened_on=date(2025, 7, 1))
    client = signed_in(personas.analyst)
    text = _text(client.get("/reports/quarterly.pdf?year=2025&quarter=1&lang=en").content)
    assert "<5" in text
    assert "500" not in text


def test_a_coordinators_report_covers_their_region(personas: Personas) -> None:
    client = signed_in(personas.coordinator)
    text = _text(client.get("/reports/quarterly.pdf?year=2025&quarter=2&lang=en").content)
    assert "Almaty" in text
    assert "Mangystau" not in text


@pytest.mark.parametrize(
    "query", ["year=abc&quarter=1", "year=2025&quarter=5", "year=2025&quarter=1&lang=de"]
)
def test_bad_report_parameters_answer_400(personas: Personas, query: str) -> None:
    client = signed_in(personas.analyst)
    response = client.get(f"/reports/quarterly.pdf?{query}")
    assert response.status_code == 400
    assert response.content
