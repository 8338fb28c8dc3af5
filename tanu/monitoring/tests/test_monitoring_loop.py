"""The whole loop of the issue, through the pages: plan a visit, record it, start two screenings
from it (one a presumed victim), see them counted in the visit and in the overview, create and
close a follow-up action."""

from __future__ import annotations

import re

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.cases import actions as case_actions
from tanu.cases.tests.helpers import CANARY
from tanu.identification import actions as screening_actions
from tanu.identification.models import Screening
from tanu.monitoring.models import FollowUpAction, Visit
from tanu.monitoring.tests.helpers import (
    POSSIBLE,
    PRESUMED,
    REPORT,
    day_after,
    facility,
    plan,
    recorded,
    referral_consent,
    shelter_service,
    signed_in,
    today,
)
from tanu.referrals import actions as referral_actions

pytestmark = pytest.mark.django_db


def counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)', html)}


def overview_row(html: str, region: str, kind: str) -> dict[str, str]:
    match = re.search(rf'<tr data-region="{region}" data-kind="{kind}">(.*?)</tr>', html, re.S)
    assert match, html
    return dict(re.findall(r'data-count="(\w+)">([^<]+)<', match.group(1)))


def finalise(screening: Screening, codes: list[str], personas: Personas) -> Screening:
    screening = screening_actions.do_record_answers(
        screening, actor=personas.monitor, answers=dict.fromkeys(codes, "observed")
    )
    return screening_actions.do_finalise_screening(
        screening,
        actor=personas.monitor,
        judgement="agree",
        notes="",
        expected_revision=screening.revision,
    )


def test_the_whole_monitoring_loop_from_plan_to_closed_follow_up(personas: Personas) -> None:
    place = facility(name="Almaty temporary detention facility")
    monitor = signed_in("monitor")

    # Plan.
    assert monitor.get("/monitoring/visits/new/").status_code == 200
    response = monitor.post(
        "/monitoring/visits/new/",
        {
            "facility": place.pk,
            "planned_on": today().isoformat(),
            "purpose": "Find unrecognised victims among detainees",
            "announced": "on",
            "team": [personas.monitor.pk, personas.screener.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    visit = Visit.objects.get()
    assert response["Location"] == f"/monitoring/visits/{visit.pk}/"
    assert visit.status == Visit.Status.PLANNED and visit.announced
    assert {m.capacity for m in visit.members.all()} == {"monitor", "police"}
    calendar = monitor.get("/monitoring/").content.decode()
    assert "Almaty temporary detention facility" in calendar

    # Record.
    response = monitor.post(
        f"/monitoring/visits/{visit.pk}/report/",
        {**REPORT, "visited_on": today().isoformat(), "revision": visit.revision, "finish": "1"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DONE and visit.people_screened == 8

    # Two screenings started from the visit, with the facility as the place.
    started = []
    for _ in range(2):
        response = monitor.post(
            f"/monitoring/visits/{visit.pk}/screenings/",
            {"age_group": "adult", "form": "labour", "interview_language": "ru"},
        )
        assert response.status_code == 302
        started.append(Screening.objects.latest("pk"))
        assert response["Location"] == f"/screenings/{started[-1].pk}/"
    for screening in started:
        assert screening.visit == visit
        assert screening.place == "detention_facility"
        assert screening.facility_name == "Almaty temporary detention facility"
        assert screening.screened_on == today()
    presumed = finalise(started[0], PRESUMED, personas)
    possible = finalise(started[1], POSSIBLE, personas)
    assert (presumed.outcome, possible.outcome) == ("presumed_victim", "possible_victim")

    # The presumed victim gets a case and a referral.
    case = case_actions.do_open_case(presumed, actor=personas.monitor, person_data=dict(CANARY))
    referral_actions.do_send_referral(
        case,
        actor=personas.monitor,
        service=shelter_service(personas),
        purpose="Safe accommodation",
        urgency="urgent",
        shared_fields=["sex", "age_band"],
        consent=referral_consent(case, personas.monitor),
    )

    # Counted in the visit ...
    page = monitor.get(f"/monitoring/visits/{visit.pk}/").content.decode()
    assert counts(page) == {
        "screenings": 2,
        "drafts": 0,
        "presumed": 1,
        "possible": 1,
        "referrals": 1,
    }
    assert presumed.reference in page
    assert "Канарьева" not in page  # personal data only through the case

    # ... and in the overview.
    overview = monitor.get("/monitoring/overview/").content.decode()
    row = overview_row(overview, "KZ-75", "temporary_detention")
    assert row == {
        "done": "1 / 1",
        "overdue": "0",
        "screened": "8",
        "screenings": "2",
        "presumed": "1",
        "possible": "1",
        "referrals": "1",
        "open_actions": "0",
    }

    # A follow-up action, owned by the police screener of the team, tracked to completion.
    response = monitor.post(
        f"/monitoring/visits/{visit.pk}/actions/",
        {
            "description": "Ask the police for the register of detainees",
            "owner": personas.screener.pk,
            "due_on": day_after(14).isoformat(),
        },
    )
    assert response.status_code == 302
    follow_up = FollowUpAction.objects.get()
    assert follow_up.status == "open" and follow_up.owner == personas.screener
    overview = monitor.get("/monitoring/overview/").content.decode()
    assert overview_row(overview, "KZ-75", "temporary_detention")["open_actions"] == "1"

    owner = signed_in("screener")
    assert (
        "Ask the police for the register"
        in owner.get("/monitoring/actions/?mine=1").content.decode()
    )
    response = owner.post(
        f"/monitoring/actions/{follow_up.pk}/done/", {"outcome": "The register was shown."}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and follow_up.completed_by == personas.screener
    overview = monitor.get("/monitoring/overview/").content.decode()
    assert overview_row(overview, "KZ-75", "temporary_detention")["open_actions"] == "0"

    # Every write left its entry in the audit trail.
    kinds = set(AuditEntry.objects.values_list("object_type", "action"))
    assert {("visit", "create"), ("visit", "update"), ("screening", "create")} <= kinds
    assert {("follow_up_action", "create"), ("follow_up_action", "update")} <= kinds


def test_a_correction_replaces_its_screening_in_the_counts(personas: Personas) -> None:
    place = facility()
    monitor = signed_in("monitor")
    visit = recorded(personas, place=place)
    screening = screening_actions.do_start_screening(
        actor=personas.monitor,
        context={
            "place": "detention_facility",
            "interview_language": "ru",
            "age_group": "adult",
            "form": "labour",
            "visit": visit,
        },
    )
    screening = finalise(screening, PRESUMED, personas)
    correction = screening_actions.do_correct_screening(screening, actor=personas.monitor)
    assert correction.visit == visit
    correction = screening_actions.do_record_answers(
        correction,
        actor=personas.monitor,
        answers={code: "not_observed" for code in PRESUMED if code not in POSSIBLE},
    )
    finalise(correction, POSSIBLE, personas)
    page = monitor.get(f"/monitoring/visits/{visit.pk}/").content.decode()
    assert counts(page)["screenings"] == 1
    assert counts(page)["presumed"] == 0 and counts(page)["possible"] == 1


def test_a_draft_screening_counts_as_screened_but_not_as_a_victim(personas: Personas) -> None:
    visit = plan(personas)
    monitor = signed_in("monitor")
    monitor.post(
        f"/monitoring/visits/{visit.pk}/screenings/",
        {"age_group": "adult", "form": "labour", "interview_language": "kk"},
    )
    screening = Screening.objects.get()
    screening_actions.do_record_answers(
        screening, actor=personas.monitor, answers=dict.fromkeys(PRESUMED, "observed")
    )
    page = monitor.get(f"/monitoring/visits/{visit.pk}/").content.decode()
    assert counts(page)["screenings"] == 1 and counts(page)["drafts"] == 1
    assert counts(page)["presumed"] == 0


def test_a_screening_cannot_start_before_the_day_of_the_visit(personas: Personas) -> None:
    visit = plan(personas, on=day_after(3))
    response = signed_in("monitor").post(
        f"/monitoring/visits/{visit.pk}/screenings/",
        {"age_group": "adult", "form": "labour", "interview_language": "ru"},
        follow=True,
    )
    assert "Screenings can be started from the day of the visit." in response.content.decode()
    assert not Screening.objects.exists()


def test_a_rehabilitation_centre_is_recorded_as_such_on_the_screening(
    personas: Personas,
) -> None:
    visit = plan(personas, place=facility(kind="juvenile_centre"))
    signed_in("screener").post(
        f"/monitoring/visits/{visit.pk}/screenings/",
        {"age_group": "child", "form": "unknown", "interview_language": "kk"},
    )
    screening = Screening.objects.get()
    assert screening.place == "rehabilitation_centre" and screening.visit == visit
    assert screening.agency == personas.police  # the screener's own agency owns it
