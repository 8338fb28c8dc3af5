"""The statistics cube gives exactly the figures of the screenings themselves, before and after
screenings are finalised or corrected, and keeps the number of queries fixed."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.identification.models import Screening
from tanu.reports import cube, queries, stats
from tanu.reports.filters import Filters
from tanu.reports.models import CubeState, ScreeningCube
from tanu.reports.tests.helpers import add_screenings, signed_in

pytestmark = pytest.mark.django_db

FILTERS = [
    Filters(),
    Filters(region_id=None, year=2025, month_from=2, month_to=3),
    Filters(form="sexual"),
    Filters(age_group="child", agency_type="administrative_police"),
]


def _data(personas: Personas) -> None:
    add_screenings(personas.police, personas.screener, 40)
    add_screenings(
        personas.police,
        personas.screener,
        7,
        outcome="presumed_victim",
        form="sexual",
        screened_on=date(2025, 3, 4),
    )
    add_screenings(
        personas.aktau_police,
        personas.outsider,
        9,
        outcome="possible_victim",
        age_group="child",
        place="border_or_transport",
        screened_on=date(2024, 11, 30),
    )


def _figures(filters: Filters) -> dict:
    return stats.overview(filters).as_json()["tables"]


def _counts(filters: Filters) -> queries.ScreeningCounts:
    with queries.reading():
        return queries.screening_counts(filters, queries.cube_state())


def test_the_cube_gives_the_same_counts_and_figures_as_the_screenings(personas: Personas) -> None:
    _data(personas)
    live = {i: (_counts(f), _figures(f)) for i, f in enumerate(FILTERS)}
    state = cube.rebuild()
    assert state.screenings == 56
    assert ScreeningCube.objects.exists()
    for i, f in enumerate(FILTERS):
        assert _counts(f) == live[i][0], f
        assert _figures(f) == live[i][1], f


def test_screenings_finalised_or_corrected_after_a_rebuild_are_counted_exactly(
    personas: Personas,
) -> None:
    _data(personas)
    cube.rebuild()
    now = timezone.now()
    add_screenings(
        personas.police, personas.screener, 6, outcome="presumed_victim", finalised_at=now
    )
    corrected = Screening.objects.filter(outcome="possible_victim")[:2]
    Screening.objects.filter(pk__in=[s.pk for s in corrected]).update(
        status=Screening.Status.SUPERSEDED, updated_at=now + timedelta(seconds=1)
    )
    with_cube = {i: _counts(f) for i, f in enumerate(FILTERS)}
    cube.drop()
    for i, f in enumerate(FILTERS):
        assert with_cube[i] == _counts(f), f


def test_the_sex_filter_reads_the_screenings_themselves(personas: Personas) -> None:
    _data(personas)
    before = _counts(Filters(sex="unknown"))
    cube.rebuild()
    with CaptureQueriesContext(connection) as captured:
        after = _counts(Filters(sex="unknown"))
    assert before == after
    assert not any(queries.CUBE in q["sql"] for q in captured.captured_queries)


def test_the_dashboard_runs_a_fixed_number_of_queries_with_the_cube(personas: Personas) -> None:
    _data(personas)
    cube.rebuild()
    client = signed_in(personas.analyst)
    client.get("/reports/")
    with CaptureQueriesContext(connection) as small:
        client.get("/reports/")
    add_screenings(personas.police, personas.screener, 300, finalised_at=timezone.now())
    cube.rebuild()
    add_screenings(personas.police, personas.screener, 50, finalised_at=timezone.now())
    with CaptureQueriesContext(connection) as large:
        client.get("/reports/")
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_refresh_command_rebuilds_the_cube(personas: Personas) -> None:
    _data(personas)
    out = io.StringIO()
    call_command("stats", "refresh", stdout=out)
    state = CubeState.objects.get()
    assert state.screenings == 56
    assert "56 screenings" in out.getvalue()
    call_command("stats", "drop", stdout=io.StringIO())
    assert not CubeState.objects.exists()


def test_a_rebuild_is_due_when_many_screenings_changed_or_the_cube_is_old() -> None:
    assert cube.needs_rebuild(None, 0)
    state = CubeState(built_at=timezone.now())
    assert not cube.needs_rebuild(state, 10)
    assert cube.needs_rebuild(state, cube.REBUILD_AFTER_ROWS + 1)
    state.built_at = timezone.now() - cube.REBUILD_AFTER - timedelta(minutes=1)
    assert cube.needs_rebuild(state, 0)
