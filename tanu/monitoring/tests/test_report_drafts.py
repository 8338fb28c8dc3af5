"""The visit report is written section by section and kept as a draft until it is finished."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.lib.revisions import ConflictError
from tanu.monitoring import actions, queries
from tanu.monitoring.models import Visit
from tanu.monitoring.tests.helpers import REPORT, api_client, plan, recorded, signed_in, today

pytestmark = pytest.mark.django_db


def section_post(visit: Visit, go: str, **values: object) -> dict[str, object]:
    """What the report page sends when a section's button is pressed: every field of the form
    (the other sections as saved so far), the revision read, and where to go on."""
    return {"revision": visit.revision, "go": go, **values}


def test_saving_a_section_keeps_what_was_typed_and_the_visit_stays_planned(
    personas: Personas,
) -> None:
    visit = plan(personas, on=today())
    monitor = signed_in("monitor")
    response = monitor.post(
        f"/monitoring/visits/{visit.pk}/report/",
        section_post(visit, "people", visited_on=today().isoformat(), duration_minutes=95),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/monitoring/visits/{visit.pk}/report/#report-people"
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED and visit.has_draft
    assert visit.duration_minutes is None  # the report's own fields wait for the finish
    assert visit.report_draft["duration_minutes"] == 95

    # The next section: what was saved before is still there.
    monitor.post(
        f"/monitoring/visits/{visit.pk}/report/",
        section_post(
            visit,
            "access",
            visited_on=today().isoformat(),
            duration_minutes=95,
            adults_present=12,
            findings="Foreign workers without their passports",
        ),
    )
    visit.refresh_from_db()
    assert visit.report_draft["adults_present"] == 12

    # Leaving and coming back shows the draft.
    page = monitor.get(f"/monitoring/visits/{visit.pk}/report/").content.decode()
    assert 'value="95"' in page and 'value="12"' in page
    assert "Foreign workers without their passports" in page
    assert 'data-testid="draft-state"' in page
    assert "Continue the report" in monitor.get(f"/monitoring/visits/{visit.pk}/").content.decode()


def test_without_javascript_every_section_shows_with_its_own_button(personas: Personas) -> None:
    visit = plan(personas, on=today())
    page = signed_in("monitor").get(f"/monitoring/visits/{visit.pk}/report/").content.decode()
    for key in ("visit", "people", "access", "observations", "finish"):
        assert f'id="report-{key}"' in page
    assert page.count('name="go"') == 8  # "save and continue" in each section, "previous" after
    assert 'name="finish"' in page and "Step 1 of 5" in page
    assert "tanu/report.js" in page and "<script>" not in page


def test_a_draft_is_no_report_it_counts_nowhere_until_finished(personas: Personas) -> None:
    visit = plan(personas, on=today())
    visit = actions.do_save_visit_report_draft(
        visit,
        actor=personas.monitor,
        draft={**REPORT, "visited_on": today()},
        expected_revision=visit.revision,
    )
    first, last = today() - timedelta(days=1), today() + timedelta(days=1)
    _rows, total = queries.overview(Visit.objects.all(), first, last, today())
    assert total.done == 0 and total.present == 0 and total.screened == 0
    detail = signed_in("monitor").get(f"/monitoring/visits/{visit.pk}/").content.decode()
    assert 'id="report-h"' not in detail  # no recorded report to show or print
    client, auth = api_client("coordinator")
    read = client.get(f"/api/v1/visits/{visit.pk}/", **auth).json()
    assert read["status"] == "planned" and read["findings"] == "" and read["adults_present"] is None


def test_finishing_is_a_separate_step_that_records_the_report(personas: Personas) -> None:
    visit = plan(personas, on=today())
    visit = actions.do_save_visit_report_draft(
        visit,
        actor=personas.monitor,
        draft={"visited_on": today(), "adults_present": 20},
        expected_revision=visit.revision,
    )
    values = {**REPORT, "visited_on": today().isoformat()}
    response = signed_in("monitor").post(
        f"/monitoring/visits/{visit.pk}/report/",
        {**values, "revision": visit.revision, "finish": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/monitoring/visits/{visit.pk}/"
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DONE and visit.adults_present == 20
    assert visit.report_draft == {} and visit.draft_saved_at is None and not visit.has_draft
    _rows, total = queries.overview(Visit.objects.all(), today(), today(), today())
    assert total.done == 1 and total.screened == REPORT["people_screened"]


def test_an_unfinished_draft_cannot_be_finished_and_says_what_is_missing(
    personas: Personas,
) -> None:
    visit = plan(personas, on=today())
    visit = actions.do_save_visit_report_draft(
        visit,
        actor=personas.monitor,
        draft={"visited_on": today(), "adults_present": 20},
        expected_revision=visit.revision,
    )
    response = signed_in("monitor").post(
        f"/monitoring/visits/{visit.pk}/report/",
        {
            "visited_on": today().isoformat(),
            "adults_present": 20,
            "revision": visit.revision,
            "finish": "1",
        },
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED and visit.report_draft["adults_present"] == 20


def test_saving_a_draft_is_audited_by_field_names_never_content(personas: Personas) -> None:
    visit = plan(personas, on=today())
    actions.do_save_visit_report_draft(
        visit,
        actor=personas.monitor,
        draft={"findings": "Signs of forced labour"},
        expected_revision=visit.revision,
    )
    entry = AuditEntry.objects.filter(object_type="visit", action="update").latest("seq")
    assert entry.actor_id == personas.monitor.pk
    assert "findings" in entry.fields and "report_draft" in entry.fields
    assert "forced labour" not in str(entry.fields)


def test_a_stale_draft_is_refused_and_the_newer_one_kept(personas: Personas) -> None:
    visit = plan(personas, on=today())
    read = visit.revision
    actions.do_save_visit_report_draft(
        visit, actor=personas.monitor, draft={"adults_present": 7}, expected_revision=read
    )
    with pytest.raises(ConflictError):
        actions.do_save_visit_report_draft(
            visit, actor=personas.coordinator, draft={"adults_present": 9}, expected_revision=read
        )
    response = signed_in("coordinator").post(
        f"/monitoring/visits/{visit.pk}/report/",
        section_post(visit, "people", adults_present=9) | {"revision": read},
        follow=True,
    )
    assert "Someone else changed this visit" in response.content.decode()
    visit.refresh_from_db()
    assert visit.report_draft["adults_present"] == 7


def test_a_draft_with_a_date_to_come_or_junk_is_refused_and_changes_nothing(
    personas: Personas,
) -> None:
    visit = plan(personas, on=today())
    monitor = signed_in("monitor")
    for values in (
        {"visited_on": (today() + timedelta(days=1)).isoformat()},
        {"adults_present": "-3"},
        {"duration_minutes": "many"},
        {"access": "wide open"},
    ):
        response = monitor.post(
            f"/monitoring/visits/{visit.pk}/report/", section_post(visit, "people", **values)
        )
        assert response.status_code == 400
    visit.refresh_from_db()
    assert not visit.has_draft and visit.revision == 1


def test_a_recorded_report_is_corrected_at_once_not_drafted(personas: Personas) -> None:
    visit = recorded(personas)
    with pytest.raises(actions.MonitoringError):
        actions.do_save_visit_report_draft(
            visit, actor=personas.monitor, draft={"adults_present": 1}, expected_revision=None
        )
    page = signed_in("monitor").get(f"/monitoring/visits/{visit.pk}/report/").content.decode()
    assert 'name="go"' not in page and "Save the report" in page


def test_a_visit_with_only_a_draft_is_still_overdue_until_its_report_is_finished(
    personas: Personas,
) -> None:
    day = today() - timedelta(days=2)
    visit = plan(personas, on=day)
    visit = actions.do_save_visit_report_draft(
        visit,
        actor=personas.monitor,
        draft={**REPORT, "visited_on": day},
        expected_revision=visit.revision,
    )
    assert visit.is_overdue()
    _rows, total = queries.overview(Visit.objects.all(), day, today(), today())
    assert total.overdue == 1 and total.done == 0
    calendar = signed_in("monitor").get(f"/monitoring/?month={day:%Y-%m}").content.decode()
    assert "overdue: no report yet" in calendar and "draft report" in calendar
