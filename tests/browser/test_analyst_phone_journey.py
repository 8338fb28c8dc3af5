"""An analyst on a 360 × 740 phone, in Russian, reads the statistics: the charts' bars lie
horizontally and their text is drawn at 12 px or more, every table has the rounding note beside
it, the training results name seminars in Russian, and a downloaded CSV gives local time
(Kazakhstan, UTC+5), never UTC."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from tanu.accounts.tests.personas import Personas
from tanu.lib.charts import ROUNDING_NOTE
from tanu.monitoring.tests.helpers import plan
from tanu.reports.tests.helpers import add_screenings
from tanu.training.models import Attempt, KnowledgeTest, Seminar
from tanu.training.tests.helpers import add_participant, make_seminar
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

#: For every chart text: its font size as drawn on the screen (the computed size times the
#: drawing's scale on the page), and for every bar its drawn width and height.
MEASURE = """() => {
  const texts = [], bars = [];
  for (const svg of document.querySelectorAll("svg[role=img]")) {
    if (!svg.getBoundingClientRect().width) continue;
    for (const t of svg.querySelectorAll("text")) {
      const size = parseFloat(getComputedStyle(t).fontSize);
      const scale = t.getScreenCTM().a;
      texts.push({text: t.textContent, px: size * scale,
                  height: t.getBoundingClientRect().height});
    }
    for (const r of svg.querySelectorAll("rect[fill='#0b5394'], rect[fill^='#'][height='18']")) {
      const box = r.getBoundingClientRect();
      if (box.width > 1 && box.height < 40) bars.push({w: box.width, h: box.height});
    }
  }
  return {texts, bars, scroll: document.documentElement.scrollWidth};
}"""

#: Every table in a statistics section is followed by the rounding note in that section.
NOTES = """note => Array.from(document.querySelectorAll("main table")).map(table => {
  const section = table.closest("section") || document.querySelector("main");
  const found = Array.from(section.querySelectorAll(".rounding-note"))
    .find(p => table.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING);
  return Boolean(found) && found.textContent.trim() === note && found.offsetParent !== null;
})"""


def _note() -> str:
    with translation.override("ru"):
        return str(ROUNDING_NOTE)


def _check_charts(page: Any) -> None:
    measured = page.evaluate(MEASURE)
    assert measured["texts"], "no chart text on the page"
    small = [t for t in measured["texts"] if t["px"] < 12]
    print(f"\nsmallest chart text at 360 px: {min(t['px'] for t in measured['texts']):.1f} px")
    assert not small, small[:5]
    assert measured["bars"]
    assert all(bar["w"] >= bar["h"] or bar["w"] < 20 for bar in measured["bars"])
    assert any(bar["w"] > 3 * bar["h"] for bar in measured["bars"])  # horizontal bars
    assert measured["scroll"] <= 360  # no sideways scroll


def _seminar_with_a_result(personas: Personas) -> Seminar:
    seminar = make_seminar(personas.trainer)
    Seminar.objects.filter(pk=seminar.pk).update(
        city_ru="Туркестан", city_kk="Түркістан", city_en="Turkestan"
    )
    participant = add_participant(seminar, personas.trainer, name="A")
    now = timezone.now()
    for kind, score in (("pre", 50.0), ("post", 80.0)):
        test = KnowledgeTest.objects.create(
            seminar=seminar,
            kind=kind,
            code=f"AN{kind.upper()}{seminar.pk}",
            created_by=personas.trainer,
        )
        Attempt.objects.create(
            test=test,
            participant=participant,
            deadline=now + timedelta(minutes=20),
            submitted_at=now,
            score=score,
        )
    return seminar


@pytest.mark.django_db(transaction=True)
def test_an_analyst_reads_the_statistics_on_a_phone_in_russian(
    live_server: Any, phone: Any, shot: Any, personas: Personas
) -> None:
    add_screenings(personas.police, personas.screener, 40)
    add_screenings(personas.police, personas.screener, 3, outcome="presumed_victim")
    add_screenings(personas.aktau_police, personas.outsider, 12)
    _seminar_with_a_result(personas)
    plan(personas)  # a monitoring visit this week
    base = live_server.url
    sign_in(phone, base, "analyst", "ru")

    # The dashboard: readable charts, the note beside every table.
    phone.goto(f"{base}/reports/")
    phone.wait_for_selector("#indicators-panel table")  # the panel htmx loads
    _check_charts(phone)
    assert all(phone.evaluate(NOTES, _note()))
    phone.locator("svg[role=img]").first.scroll_into_view_if_needed()
    shot(phone, "analyst-1-dashboard-chart-ru")
    phone.locator(".rounding-note").first.scroll_into_view_if_needed()
    shot(phone, "analyst-2-dashboard-table-and-note-ru")

    # A table's CSV says when it was made in local time.
    before = timezone.localtime()
    with phone.expect_download() as download:
        phone.locator("a[href*='/reports/table/by_region.csv']").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    with translation.override("ru"):
        notes = {row[0]: row[1] for row in rows if len(row) == 2}
        generated = notes[translation.gettext("generated")]
        assert notes[translation.gettext("note")] == _note() or _note() in rows[-1]
    assert generated.endswith("(UTC+05:00)")
    assert generated.startswith(f"{before:%d.%m.%Y %H}") or generated.startswith(
        f"{before + timedelta(hours=1):%d.%m.%Y %H}"
    )

    # The training results: seminars named in Russian, the note beside every table.
    phone.goto(f"{base}/training/results/")
    main = phone.locator("main").inner_text()
    assert "Туркестан 03.03.2026" in main
    assert "Turkestan" not in phone.content()
    _check_charts(phone)
    assert all(phone.evaluate(NOTES, _note()))
    shot(phone, "analyst-3-training-results-ru")

    # ... and its CSV names the seminar in Russian and says when it was made in local time.
    with phone.expect_download() as download:
        phone.locator("a[href*='/training/results/by_seminar.csv']").click()
    text = Path(download.value.path()).read_text("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "Туркестан 03.03.2026"
    stamp = next(row[1] for row in rows if len(row) == 2 and row[1].endswith("(UTC+05:00)"))
    assert (
        stamp[:10] == f"{timezone.localtime():%d.%m.%Y}"[:10] or stamp[:10] == f"{before:%d.%m.%Y}"
    )

    # The item analysis has the note beside its table too. The monitoring overview counts
    # visits exactly (no figure is rounded there), so it makes no such claim.
    phone.goto(f"{base}/training/results/items/")
    assert all(phone.evaluate(NOTES, _note()))
    phone.goto(f"{base}/monitoring/overview/")
    assert phone.locator("main table").count() == 1
    assert phone.locator(".rounding-note").count() == 0
    shot(phone, "analyst-4-monitoring-overview-ru")
