"""Stored figures: the dashboard reuses its figures for a few minutes, refreshes them in the
background once they are old, never mixes up two users' scopes, and says when they were
computed."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tanu.accounts.models import Region
from tanu.accounts.tests.personas import Personas
from tanu.reports import snapshots, stats, suppression
from tanu.reports.filters import Filters
from tanu.reports.models import StatsSnapshot
from tanu.reports.snapshots import refresh_task
from tanu.reports.tests.helpers import add_screenings, signed_in

pytestmark = pytest.mark.django_db

MAX_AGE = 300


def forget_the_cell_key_secret() -> None:
    """The secret is derived once per process; a test that changes SECRET_KEY derives it again."""
    suppression._secret.cache_clear()
    suppression.record_key_constants.cache_clear()


class Refreshes(list[Filters]):
    """The filters each background refresh was enqueued for, run by `worker` (the test's)."""

    def worker(self) -> None:
        for result in list(DBTaskResult.objects.ready()):
            filters = Filters(**result.args_kwargs["args"][0])
            self.append(filters)
            result.claim("test")
            refresh_task.call(*result.args_kwargs["args"])
            result.set_successful(None)


@pytest.fixture
def stored(settings: Any) -> Refreshes:
    """Snapshots on (five minutes), background refreshes wait in the database queue."""
    settings.TANU_STATS_MAX_AGE = MAX_AGE
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return Refreshes()


def _screened(filters: Filters) -> int:
    """The true number of screenings counted (server side)."""
    counts = snapshots.figures(filters).counts
    return sum(c.n for c in counts[""][""].values())


def _age(filters: Filters, seconds: int) -> None:
    StatsSnapshot.objects.filter(key=snapshots.key_for(filters)).update(
        computed_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_a_recent_snapshot_is_served_without_reading_the_tables_again(
    personas: Personas, stored: Refreshes
) -> None:
    add_screenings(personas.police, personas.screener, 12)
    first = stats.overview(Filters()).as_json()
    assert StatsSnapshot.objects.count() == 1
    add_screenings(personas.police, personas.screener, 30)
    with CaptureQueriesContext(connection) as captured:
        again = stats.overview(Filters()).as_json()
    assert again == first  # the stored figures, not the 30 new screenings
    assert not any("identification_screening" in q["sql"] for q in captured.captured_queries)
    assert stored == []  # still fresh: no refresh started


def test_an_old_snapshot_is_shown_while_one_refresh_computes_it_again(
    personas: Personas, stored: Refreshes
) -> None:
    add_screenings(personas.police, personas.screener, 12)
    assert _screened(Filters()) == 12
    add_screenings(personas.police, personas.screener, 30)
    _age(Filters(), MAX_AGE + 1)
    assert _screened(Filters()) == 12  # nobody waits: the old figures, once more
    assert _screened(Filters()) == 12  # a second reader enqueues no second refresh
    stored.worker()
    assert stored == [Filters()]
    assert _screened(Filters()) == 42  # the refresh stored the new figures
    snapshot = StatsSnapshot.objects.get()
    assert timezone.now() - snapshot.computed_at < timedelta(minutes=1)


def test_a_very_old_snapshot_is_computed_again_before_it_is_shown(
    personas: Personas, stored: Refreshes
) -> None:
    add_screenings(personas.police, personas.screener, 12)
    assert _screened(Filters()) == 12
    add_screenings(personas.police, personas.screener, 30)
    _age(Filters(), MAX_AGE * snapshots.STALE_FACTOR + 1)
    assert _screened(Filters()) == 42
    assert stored == []


def test_the_indicators_panel_keeps_its_own_snapshot(personas: Personas, stored: Refreshes) -> None:
    observed = {"A1": "observed", "B2": "observed"}
    add_screenings(
        personas.police, personas.screener, 12, outcome="presumed_victim", answers=observed
    )
    client = signed_in(personas.analyst)
    first = client.get("/reports/panel/indicators/", HTTP_HX_REQUEST="true").content
    assert StatsSnapshot.objects.count() == 1  # the panel's, apart from the main view's
    add_screenings(
        personas.police, personas.screener, 30, outcome="presumed_victim", answers=observed
    )
    assert client.get("/reports/panel/indicators/", HTTP_HX_REQUEST="true").content == first
    key = snapshots.key_for(Filters(), snapshots.INDICATORS)
    StatsSnapshot.objects.filter(key=key).update(
        computed_at=timezone.now() - timedelta(seconds=MAX_AGE * snapshots.STALE_FACTOR + 1)
    )
    assert client.get("/reports/panel/indicators/", HTTP_HX_REQUEST="true").content != first
    counts = snapshots.indicator_figures(Filters()).counts
    assert counts["A1"].n == 42


def test_without_a_maximum_age_every_request_computes_its_figures(
    personas: Personas, settings: Any
) -> None:
    settings.TANU_STATS_MAX_AGE = 0
    add_screenings(personas.police, personas.screener, 12)
    assert _screened(Filters()) == 12
    add_screenings(personas.police, personas.screener, 30)
    assert _screened(Filters()) == 42
    assert not StatsSnapshot.objects.exists()


def test_each_set_of_filters_and_each_region_has_its_own_snapshot(
    personas: Personas, stored: Refreshes
) -> None:
    add_screenings(personas.police, personas.screener, 12)  # Almaty
    add_screenings(personas.aktau_police, personas.outsider, 20, form="sexual")  # Mangystau
    almaty = Region.objects.get(pk=personas.police.region_id)
    assert _screened(Filters()) == 32
    assert _screened(Filters(region_id=almaty.pk, region_code=almaty.code)) == 12
    assert _screened(Filters(form="sexual")) == 20
    assert StatsSnapshot.objects.count() == 3
    # Through the pages: the coordinator of Almaty never gets the country's stored figures.
    analyst = signed_in(personas.analyst).get("/api/v1/stats/").json()
    coordinator = signed_in(personas.coordinator).get("/api/v1/stats/").json()
    assert coordinator["filters"]["region"] == almaty.code
    assert analyst["tables"]["funnel"] != coordinator["tables"]["funnel"]
    assert StatsSnapshot.objects.count() == 3  # the same two views, read from their snapshots


def test_stored_figures_are_shown_in_the_readers_language(
    personas: Personas, stored: Refreshes
) -> None:
    add_screenings(personas.police, personas.screener, 12, screened_on=date(2025, 3, 4))
    english = signed_in(personas.analyst, "en").get("/reports/")
    kazakh = signed_in(personas.analyst, "kk").get("/reports/")
    assert StatsSnapshot.objects.count() == 1
    assert "Screenings by region" in english.content.decode()
    assert "Screenings by region" not in kazakh.content.decode()
    figures = [[r.values for r in t.rows] for t in english.context["data"].tables]
    assert figures == [[r.values for r in t.rows] for t in kazakh.context["data"].tables]
    assert any(any(v != 0 for v in row) for table in figures for row in table)


def test_the_page_and_the_api_say_when_the_figures_were_computed(
    personas: Personas, stored: Refreshes
) -> None:
    add_screenings(personas.police, personas.screener, 12)
    client = signed_in(personas.analyst)
    page = client.get("/reports/").content.decode()
    assert 'id="computed-at"' in page
    assert "Figures as of" in page
    snapshot = StatsSnapshot.objects.get()
    api = client.get("/api/v1/stats/").json()
    assert api["computed_at"] == snapshot.computed_at.isoformat()


def test_stored_figures_made_with_another_secret_key_are_not_used(settings: Any) -> None:
    original = settings.SECRET_KEY
    before = snapshots.key_for(Filters())
    settings.SECRET_KEY = "another secret key, long enough for the statistics tests"
    forget_the_cell_key_secret()
    try:
        assert snapshots.key_for(Filters()) != before
    finally:
        settings.SECRET_KEY = original
        forget_the_cell_key_secret()
    assert snapshots.key_for(Filters()) == before


def test_stats_refresh_computes_the_main_views_and_forgets_unused_snapshots(
    personas: Personas, stored: Refreshes
) -> None:
    add_screenings(personas.police, personas.screener, 12)
    _screened(Filters(form="sexual"))
    _age(Filters(form="sexual"), int(snapshots.FORGET_AFTER.total_seconds()) + 60)
    out = io.StringIO()
    call_command("stats", "refresh", stdout=out)
    regions = Region.objects.count()
    keys = set(StatsSnapshot.objects.values_list("key", flat=True))
    assert keys == {
        snapshots.key_for(f, kind) for f in snapshots.main_views() for kind in snapshots.KINDS
    }
    assert len(keys) == 2 * (regions + 1)
    assert f"main view {regions + 1}/{regions + 1}" in out.getvalue()
    call_command("stats", "drop", stdout=io.StringIO())
    assert not StatsSnapshot.objects.exists()


def test_a_slow_refresh_never_replaces_newer_figures(personas: Personas, stored: Refreshes) -> None:
    add_screenings(personas.police, personas.screener, 12)
    older = snapshots.compute(Filters())
    add_screenings(personas.police, personas.screener, 30)
    snapshots.compute_and_store(Filters())
    snapshots.store(Filters(), older, duration_ms=1)  # finished last, computed first
    assert _screened(Filters()) == 42


def test_a_failed_refresh_lets_the_next_reader_try_again(
    personas: Personas, stored: Refreshes, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_screenings(personas.police, personas.screener, 12)
    _screened(Filters())
    assert snapshots.refresh_in_background(Filters()) is True
    assert snapshots.refresh_in_background(Filters()) is False  # one at a time

    def broken(filters: Filters, kind: str) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(snapshots, "compute_and_store", broken)
    waiting = DBTaskResult.objects.get()
    waiting.claim("test")
    with pytest.raises(RuntimeError):
        refresh_task.call(*waiting.args_kwargs["args"])
    waiting.set_failed(RuntimeError("the database went away"))
    assert snapshots.refresh_in_background(Filters()) is True
