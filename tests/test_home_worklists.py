"""Each role's home page is a worklist of what needs that official now, read through the access
helpers (need-to-know), without personal data; an empty one says so in words and offers the
role's main action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tanu.accounts import actions as account_actions
from tanu.accounts.models import Role, User
from tanu.accounts.tests.factories import UserFactory
from tanu.accounts.tests.personas import Personas
from tanu.cases.models import Case
from tanu.cases.tests.helpers import CANARY, open_case
from tanu.identification import actions as screening_actions
from tanu.monitoring import actions as monitoring_actions
from tanu.monitoring.tests.helpers import aktau_monitor, facility, plan
from tanu.referrals import actions as referral_actions
from tanu.referrals.models import Referral, Service
from tanu.referrals.tests.test_referrals import refer
from tanu.training import actions as training_actions

pytestmark = pytest.mark.django_db

NOTHING = "Nothing needs you now"
PERSONAL = (CANARY["given_name"], CANARY["family_name"], CANARY["other_names"], "N12345678")


def _home(user: User) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert not any(secret in page for secret in PERSONAL)
    return page


def _overdue(referral: Referral) -> None:
    Referral.objects.filter(pk=referral.pk).update(
        due_date=timezone.localdate() - timedelta(days=3)
    )


def _aktau_referral(personas: Personas) -> Referral:
    """A referral between two agencies of another region: no Almaty official needs to know."""
    case = open_case(personas.outsider)
    service = Service.objects.create(
        kind="shelter",
        region=personas.aktau_police.region,
        agency=personas.aktau_police,
        name_en="Aktau shelter",
        name_ru="Приют Актау",
        name_kk="Ақтау баспанасы",
    )
    consent = case.consents.create(
        purpose="referral",
        service=service,
        given=True,
        basis="person",
        language="ru",
        recorded_by=personas.outsider,
    )
    referral = referral_actions.do_send_referral(
        case,
        actor=personas.outsider,
        service=service,
        purpose="Shelter",
        urgency="urgent",
        shared_fields=["sex"],
        consent=consent,
    )
    _overdue(referral)
    return referral


@pytest.mark.parametrize(
    ("persona", "action"),
    [
        ("screener", "/screenings/new/"),
        ("caseworker", "/referrals/"),
        ("coordinator", "/cases/"),
        ("monitor", "/monitoring/visits/new/"),
        ("trainer", "/training/seminars/new/"),
        ("analyst", "/reports/"),
        ("admin", "/accounts/users/"),
    ],
)
def test_an_empty_worklist_says_so_in_words_and_offers_the_roles_main_action(
    personas: Personas, persona: str, action: str
) -> None:
    page = _home(getattr(personas, persona))
    assert NOTHING in page
    assert f'class="button primary" href="{action}"' in page


def test_the_receiving_agency_sees_new_referrals_and_the_sender_its_unanswered_ones(
    personas: Personas,
) -> None:
    case = open_case(personas.screener)
    referral = refer(case, personas)
    title = f"Referral #{referral.pk} · case {case.number}"
    shelter = _home(personas.caseworker)
    assert "New referrals waiting for your answer" in shelter and title in shelter
    assert f'href="/referrals/{referral.pk}/"' in shelter
    assert title not in _home(personas.screener)  # sent today: not late yet
    _overdue(referral)
    police = _home(personas.screener)
    assert "Referrals you sent without an answer past their due date" in police
    assert title in police and "overdue" in police
    assert title in _home(personas.colleague)  # the same unit shares the work


def test_the_coordinator_sees_the_regions_overdue_referrals_and_no_other_regions(
    personas: Personas,
) -> None:
    referral = refer(open_case(personas.screener), personas)
    _overdue(referral)
    aktau = _aktau_referral(personas)
    page = _home(personas.coordinator)
    assert "Overdue referrals in your region" in page
    assert f"Referral #{referral.pk} " in page
    assert f"Referral #{aktau.pk} " not in page
    other = _home(personas.outsider_coordinator)
    assert f"Referral #{aktau.pk} " in other and f"Referral #{referral.pk} " not in other


def test_an_outsiders_referral_never_appears_on_an_almaty_home_page(personas: Personas) -> None:
    aktau = _aktau_referral(personas)
    assert f"Referral #{aktau.pk} " in _home(personas.outsider)
    for persona in ("screener", "colleague", "caseworker", "coordinator", "monitor", "admin"):
        page = _home(getattr(personas, persona))
        assert f"Referral #{aktau.pk} " not in page and aktau.case.number not in page


def test_reflection_periods_ending_soon_reach_the_owning_agency_only(personas: Personas) -> None:
    case = open_case(personas.screener)
    Case.objects.filter(pk=case.pk).update(reflection_ends=timezone.localdate() + timedelta(days=3))
    page = _home(personas.screener)
    assert "Reflection periods ending soon" in page and f"Case {case.number}" in page
    assert f"Case {case.number}" in _home(personas.coordinator)
    assert case.number not in _home(personas.outsider)
    assert case.number not in _home(personas.outsider_coordinator)


def test_identification_decisions_due_and_to_review_reach_the_competent_officials(
    personas: Personas,
) -> None:
    pending = open_case(personas.screener)
    referral_actions.do_record_decision(
        pending,
        actor=personas.screener,
        status="pending",
        reasons="Waiting for the labour inspectorate's records.",
        due_date=timezone.localdate() + timedelta(days=5),
    )
    negative = open_case(personas.screener)
    referral_actions.do_record_decision(
        negative,
        actor=personas.screener,
        status="not_identified",
        reasons="The account could not be corroborated by the employer's records.",
    )
    police = _home(personas.screener)
    assert "Identification decisions due" in police and f"Case {pending.number}" in police
    # The official who decided is never the second reviewer.
    assert "Decisions awaiting your second review" not in police
    coordinator = _home(personas.coordinator)
    assert "Decisions awaiting your second review" in coordinator
    assert f"Case {negative.number}" in coordinator
    assert "Decisions awaiting your second review" in _home(personas.colleague)
    assert negative.number not in _home(personas.outsider_coordinator)
    # A shelter decides nothing: no decision list there.
    assert "Identification decisions due" not in _home(personas.caseworker)


def test_a_pending_decision_replaced_by_a_final_one_is_no_longer_due(personas: Personas) -> None:
    case = open_case(personas.screener)
    for status in ("pending", "identified"):
        referral_actions.do_record_decision(
            case,
            actor=personas.screener,
            status=status,
            reasons="Corroborated by the labour inspectorate.",
        )
    assert "Identification decisions due" not in _home(personas.screener)


def test_drafts_to_finish_are_the_officials_own(personas: Personas) -> None:
    draft = screening_actions.do_start_screening(
        actor=personas.screener,
        context={
            "place": "patrol",
            "interview_language": "ru",
            "age_group": "adult",
            "age_years": 30,
            "form": "labour",
        },
        answers={},
    )
    page = _home(personas.screener)
    assert "Screenings to finish" in page and f"Screening {draft.reference}" in page
    assert draft.reference not in _home(personas.colleague)
    assert draft.reference not in _home(personas.outsider)


def test_monitors_see_the_weeks_visits_and_the_follow_ups_due(personas: Personas) -> None:
    place = facility(name="Almaty detention centre")
    visit = plan(personas, place=place, on=timezone.localdate() + timedelta(days=2))
    later = plan(personas, place=place, on=timezone.localdate() + timedelta(days=20))
    monitoring_actions.do_add_follow_up_action(
        visit,
        actor=personas.monitor,
        description="Ask for an interpreter at intake",
        owner=personas.screener,
        due_on=timezone.localdate() - timedelta(days=1),
    )
    page = _home(personas.monitor)
    assert "Visits this week" in page and f'href="/monitoring/visits/{visit.pk}/"' in page
    assert f'href="/monitoring/visits/{later.pk}/"' not in page
    assert "Follow-up actions due" in page and "Almaty detention centre" in page
    # The owner of the action sees it too; the other region sees nothing.
    assert "Follow-up actions due" in _home(personas.screener)
    aktau = _home(aktau_monitor())
    assert "Almaty detention centre" not in aktau and NOTHING in aktau


def test_trainers_see_the_seminars_and_tests_they_run(personas: Personas) -> None:
    today = timezone.localdate()
    seminar = training_actions.do_create_seminar(
        actor=personas.trainer,
        data={
            "region": personas.trainer.agency.region,  # type: ignore[union-attr]
            "city_kk": "Алматы",
            "city_ru": "Алматы",
            "city_en": "Almaty",
            "starts_on": today + timedelta(days=3),
            "ends_on": today + timedelta(days=4),
            "language": "ru",
            "pass_mark": 70,
            "min_attendance": 50,
        },
    )
    test = training_actions.do_create_test(
        seminar,
        actor=personas.trainer,
        data={"kind": "pre", "question_count": 5, "time_limit_minutes": 20, "objectives": []},
    )
    page = _home(personas.trainer)
    assert "Seminars to run" in page and "Seminar in Almaty" in page
    assert (
        "Tests to run" in page
        and f'href="/training/seminars/{seminar.pk}/tests/{test.pk}/"' in page
    )
    other = UserFactory(username="trainer2", role=Role.TRAINER, agency=personas.trainer.agency)
    assert NOTHING in _home(other)


def test_administrators_see_role_changes_asked_by_another_administrator(
    personas: Personas,
) -> None:
    second = UserFactory(
        username="admin2",
        role=Role.ADMINISTRATOR,
        agency=personas.admin.agency,
        is_staff=True,
        is_superuser=True,
    )
    asked = account_actions.do_change_role(personas.analyst, Role.SCREENER, actor=personas.admin)
    assert asked is not None
    page = _home(second)
    assert "Role changes waiting for your approval" in page
    assert f"Request #{asked.pk}: new role screener" in page
    assert "Role changes waiting for your approval" not in _home(personas.admin)


def test_analysts_get_links_to_the_dashboard_and_the_exports(personas: Personas) -> None:
    page = _home(personas.analyst)
    assert 'href="/reports/"' in page and 'href="/reports/exports/"' in page


def _coordinator_queries(personas: Personas) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.coordinator)
    assert client.get("/").status_code == 200  # warm
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


def _coordinator_work(personas: Personas, n: int) -> None:
    place = facility(name=f"Facility {Case.objects.count()}")
    for _ in range(n):
        case = open_case(personas.screener)
        _overdue(refer(case, personas))
        referral_actions.do_record_decision(
            case,
            actor=personas.screener,
            status="not_identified",
            reasons="The account could not be corroborated by the employer's records.",
        )
        Case.objects.filter(pk=case.pk).update(
            reflection_ends=timezone.localdate() + timedelta(days=2)
        )
        visit = plan(personas, place=place, on=timezone.localdate())
        monitoring_actions.do_add_follow_up_action(
            visit,
            actor=personas.monitor,
            description="Check the intake register",
            owner=personas.monitor,
            due_on=timezone.localdate(),
        )


def test_the_coordinators_home_costs_the_same_queries_for_2_and_for_8_of_each_thing(
    personas: Personas,
) -> None:
    _coordinator_work(personas, 2)
    small = _coordinator_queries(personas)
    _coordinator_work(personas, 6)
    large = _coordinator_queries(personas)
    assert large == small
    assert large <= 16  # with the possible duplicates and contact requests (one query each)
    page = _home(personas.coordinator)
    assert page.count('<li class="late"><a href="/referrals/') == 8  # all overdue
    assert 'Decisions awaiting your second review <span class="count">8</span>' in page
    assert 'Follow-up actions due <span class="count">8</span>' in page
