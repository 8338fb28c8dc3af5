"""Training results in the reader's language and time zone: seminars are named by their city in
the page's language (Russian, Kazakh, English) in the tables, charts, filters and CSV files; CSV
files say when they were made in local time (TANU_TIME_ZONE, Kazakhstan, UTC+5), never in UTC;
and every table has the rounding note beside it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone, translation

from tanu.accounts.tests.personas import Personas
from tanu.lib.charts import ROUNDING_NOTE
from tanu.training.models import Attempt, KnowledgeTest, Seminar
from tanu.training.tests.helpers import add_participant, make_seminar, signed_in

pytestmark = pytest.mark.django_db

CITIES = {"ru": "Туркестан", "kk": "Түркістан", "en": "Turkestan"}


def _seminar_with_a_result(personas: Personas) -> Seminar:
    seminar = make_seminar(personas.trainer)
    Seminar.objects.filter(pk=seminar.pk).update(
        city_ru=CITIES["ru"], city_kk=CITIES["kk"], city_en=CITIES["en"]
    )
    test = KnowledgeTest.objects.create(
        seminar=seminar, kind="pre", code=f"LANGPRE{seminar.pk}", created_by=personas.trainer
    )
    participant = add_participant(seminar, personas.trainer, name="A")
    now = timezone.now()
    Attempt.objects.create(
        test=test,
        participant=participant,
        deadline=now + timedelta(minutes=20),
        submitted_at=now,
        score=60.0,
    )
    return seminar


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_seminars_are_named_in_the_language_of_the_page(personas: Personas, lang: str) -> None:
    _seminar_with_a_result(personas)
    page = signed_in("analyst", lang).get("/training/results/").content.decode()
    label = f"{CITIES[lang]} 03.03.2026"
    assert f"<td>{label}</td>" in page  # the table
    assert f">{label}</text>" in page  # the chart
    assert f">{label}</option>" in page  # the seminar filter
    for other, city in CITIES.items():
        if other != lang and city != CITIES[lang]:
            assert city not in page, other


def test_the_csv_names_seminars_in_the_readers_language(personas: Personas) -> None:
    _seminar_with_a_result(personas)
    text = signed_in("analyst", "ru").get("/training/results/by_seminar.csv").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == f"{CITIES['ru']} 03.03.2026"
    assert CITIES["en"] not in text


def test_the_csv_says_when_it_was_made_in_local_time_not_utc(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seminar_with_a_result(personas)
    client = signed_in("analyst", "ru")
    late_evening_utc = datetime(2026, 12, 4, 21, 30, tzinfo=UTC)  # already 5 December in Almaty
    monkeypatch.setattr(timezone, "now", lambda: late_evening_utc)
    for name in ("by_seminar", "by_region", "by_role", "items", "missed", "surveys"):
        rows = list(
            csv.reader(io.StringIO(client.get(f"/training/results/{name}.csv").content.decode()))
        )
        with translation.override("ru"):
            notes = {row[0]: row[1] for row in rows if len(row) == 2}
            generated = notes[translation.gettext("generated")]
            assert notes[translation.gettext("note")] == str(ROUNDING_NOTE)
        assert generated == "05.12.2026 02:30 (UTC+05:00)", name
        assert "21:30" not in generated


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_results_table_has_the_rounding_note_beside_it(personas: Personas, lang: str) -> None:
    _seminar_with_a_result(personas)
    client = signed_in("analyst", lang)
    with translation.override(lang):
        note = str(ROUNDING_NOTE)
    page = client.get("/training/results/").content.decode()
    assert page.count("<table") == page.count(note) == 5
    items = client.get("/training/results/items/").content.decode()
    assert items.count("<table") == items.count(note) == 1
