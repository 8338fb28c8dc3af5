"""The stage rules of a criminal proceeding: forward only, no verdict before the trial, no appeal
before the verdict, a sentence only with a conviction, dates in order and not in the future."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tanu.accounts.tests.personas import Personas
from tanu.audit.models import AuditEntry
from tanu.lib.revisions import ConflictError
from tanu.proceedings import actions
from tanu.proceedings.actions import Outcome, ProceedingError
from tanu.proceedings.models import Article, Proceeding
from tanu.proceedings.tests.helpers import investigator, referred_case, register, to_trial

pytestmark = pytest.mark.django_db
Stage = Proceeding.Stage
TODAY = timezone.localdate


def move(p: Proceeding, officer, stage: str, days_ago: int = 1, **extra) -> Proceeding:  # type: ignore[no-untyped-def]
    return actions.do_move_stage(
        p,
        actor=officer,
        stage=stage,
        on=TODAY() - timedelta(days=days_ago),
        expected_revision=None,
        **extra,
    )


@pytest.fixture
def scene(personas: Personas):  # type: ignore[no-untyped-def]
    officer = investigator(personas)
    return officer, register(referred_case(personas, officer), officer)


def test_a_new_proceeding_starts_in_pre_trial_investigation_under_its_articles(scene) -> None:  # type: ignore[no-untyped-def]
    officer, p = scene
    assert p.stage == Stage.PRE_TRIAL
    assert p.investigating_agency == officer.agency
    assert [a.number for a in p.articles.all()] == ["128"]
    entry = AuditEntry.objects.filter(object_type="proceeding", object_id=str(p.pk)).get()
    assert entry.action == "create" and entry.region_id == p.case.region_id


def test_no_verdict_before_the_trial(scene) -> None:  # type: ignore[no-untyped-def]
    officer, p = scene
    move(p, officer, Stage.SENT_TO_COURT, days_ago=20)
    with pytest.raises(ProceedingError, match="No verdict before the trial"):
        move(p, officer, Stage.VERDICT, outcome=Outcome("convicted", 60))
    p.refresh_from_db()
    assert p.stage == Stage.SENT_TO_COURT and p.verdict == ""


def test_a_verdict_after_the_trial_records_the_sentence_and_the_compensation(scene) -> None:  # type: ignore[no-untyped-def]
    officer, p = scene
    to_trial(p, officer, TODAY() - timedelta(days=20))
    p = move(p, officer, Stage.VERDICT, outcome=Outcome("convicted", 96, 2_000_000))
    assert (p.stage, p.verdict, p.sentence_months, p.compensation_awarded) == (
        Stage.VERDICT,
        "convicted",
        96,
        2_000_000,
    )
    # Recording the trial also recorded the day it was sent to court.
    assert p.sent_to_court_on == p.trial_started_on


def test_a_sentence_comes_only_with_a_conviction(scene) -> None:  # type: ignore[no-untyped-def]
    officer, p = scene
    to_trial(p, officer, TODAY() - timedelta(days=20))
    with pytest.raises(ProceedingError, match="only with a conviction"):
        move(p, officer, Stage.VERDICT, outcome=Outcome("acquitted", 12))
    with pytest.raises(ProceedingError, match="sentence in months"):
        move(p, officer, Stage.VERDICT, outcome=Outcome("convicted", None))
    p = move(p, officer, Stage.VERDICT, outcome=Outcome("acquitted"))
    assert p.verdict == "acquitted" and p.sentence_months is None


def test_a_proceeding_moves_forward_only_and_appeals_only_after_a_verdict(scene) -> None:  # type: ignore[no-untyped-def]
    officer, p = scene
    with pytest.raises(ProceedingError, match="No appeal before the verdict"):
        move(p, officer, Stage.APPEAL)
    to_trial(p, officer, TODAY() - timedelta(days=20))
    with pytest.raises(ProceedingError, match="forward only"):
        move(p, officer, Stage.SENT_TO_COURT)


def test_stage_dates_are_in_order_and_not_in_the_future(scene) -> None:  # type: ignore[no-untyped-def]
    officer, p = scene  # registered 60 days ago
    with pytest.raises(ProceedingError, match="before the stage before it"):
        move(p, officer, Stage.SENT_TO_COURT, days_ago=90)
    with pytest.raises(ProceedingError, match="in the future"):
        move(p, officer, Stage.SENT_TO_COURT, days_ago=-1)
    p.refresh_from_db()
    assert p.stage == Stage.PRE_TRIAL and p.sent_to_court_on is None


def test_closing_needs_a_listed_reason_and_a_closed_proceeding_stays_closed(scene) -> None:  # type: ignore[no-untyped-def]
    officer, p = scene
    with pytest.raises(ProceedingError, match="reason for closing"):
        move(p, officer, Stage.CLOSED)
    with pytest.raises(ProceedingError, match="No verdict is recorded"):
        move(p, officer, Stage.CLOSED, closing_reason="verdict_in_force")
    p = move(p, officer, Stage.CLOSED, closing_reason="no_corpus")
    assert p.closed_on == TODAY() - timedelta(days=1)
    with pytest.raises(ProceedingError, match="closed proceeding"):
        move(p, officer, Stage.SENT_TO_COURT)


def test_only_investigators_of_the_investigating_body_write(
    personas: Personas,
    scene,  # type: ignore[no-untyped-def]
) -> None:
    _officer, p = scene
    other = investigator(personas, "other_investigator")
    for actor in (other, personas.screener, personas.coordinator, personas.admin):
        with pytest.raises(ProceedingError):
            move(p, actor, Stage.SENT_TO_COURT)
    p.refresh_from_db()
    assert p.stage == Stage.PRE_TRIAL


def test_a_proceeding_is_registered_only_on_a_case_referred_to_the_investigators_agency(
    personas: Personas,
) -> None:
    from tanu.cases.tests.helpers import open_case

    officer = investigator(personas)
    case = open_case(personas.screener)
    with pytest.raises(ProceedingError, match="not referred to your agency"):
        register(case, officer)
    with pytest.raises(ProceedingError, match="Only investigators"):
        register(referred_case(personas, officer), personas.screener)


def test_a_declined_referral_does_not_let_the_investigator_in(personas: Personas) -> None:
    from tanu.cases.tests.helpers import open_case
    from tanu.proceedings.tests.helpers import refer_to

    officer = investigator(personas)
    case = open_case(personas.screener)
    refer_to(case, officer, status="declined")
    with pytest.raises(ProceedingError, match="not referred to your agency"):
        register(case, officer)


def test_bad_registration_data_is_refused_with_a_clear_message(personas: Personas) -> None:
    officer = investigator(personas)
    case = referred_case(personas, officer)
    with pytest.raises(ProceedingError, match="12 to 20 digits"):
        register(case, officer, erdr_number="12-AB")
    with pytest.raises(ProceedingError, match="at least one"):
        actions.do_register_proceeding(
            actor=officer,
            case=case,
            erdr_number="261500031000123",
            registered_on=TODAY(),
            articles=Article.objects.none(),
        )
    assert not Proceeding.objects.exists()
    p = register(case, officer, erdr_number="2615 0003 1000 123")
    assert p.erdr_number == "261500031000123"
    with pytest.raises(ProceedingError, match="already registered"):
        register(case, officer)


def test_a_stale_edit_is_refused_and_changes_nothing(scene) -> None:  # type: ignore[no-untyped-def]
    officer, p = scene
    read = p.revision
    move(p, officer, Stage.SENT_TO_COURT, days_ago=5)
    with pytest.raises(ConflictError):
        actions.do_update_proceeding(
            p, actor=officer, data={"cooperates": True}, expected_revision=read
        )
    p.refresh_from_db()
    assert p.cooperates is None


def test_compensation_paid_never_exceeds_the_award(scene) -> None:  # type: ignore[no-untyped-def]
    officer, p = scene
    to_trial(p, officer, TODAY() - timedelta(days=20))
    p = move(p, officer, Stage.VERDICT, outcome=Outcome("convicted", 60, 1_000_000))
    with pytest.raises(ProceedingError, match="cannot exceed"):
        actions.do_update_proceeding(
            p, actor=officer, data={"compensation_paid": 1_500_000}, expected_revision=None
        )
    p = actions.do_update_proceeding(
        p, actor=officer, data={"compensation_paid": 400_000}, expected_revision=None
    )
    assert p.compensation_paid == 400_000


def test_suspects_are_counted_by_role_sex_and_citizenship_never_named(scene) -> None:  # type: ignore[no-untyped-def]
    officer, p = scene
    rows = [
        {
            "standing": "accused",
            "role": "organiser",
            "sex": "male",
            "citizenship": "kz",
            "count": 1,
        },
        {
            "standing": "suspect",
            "role": "recruiter",
            "sex": "female",
            "citizenship": "UZ",
            "count": 2,
        },
    ]
    p = actions.do_set_suspects(p, actor=officer, rows=rows, expected_revision=None)
    assert [(s.role, s.citizenship, s.count) for s in p.suspects.all()] == [
        ("organiser", "KZ", 1),
        ("recruiter", "UZ", 2),
    ]
    with pytest.raises(ProceedingError, match="Each row needs"):
        actions.do_set_suspects(
            p, actor=officer, rows=[{"standing": "suspect", "name": "X"}], expected_revision=None
        )
    assert p.suspects.count() == 2


def test_hearings_are_scheduled_only_once_the_case_is_in_court(scene) -> None:  # type: ignore[no-untyped-def]
    officer, p = scene
    soon = timezone.now() + timedelta(days=2)
    with pytest.raises(ProceedingError, match="sent to court"):
        actions.do_schedule_hearing(p, actor=officer, starts_at=soon, place="Суд")
    to_trial(p, officer)
    hearing = actions.do_schedule_hearing(p, actor=officer, starts_at=soon, place="Суд, зал 4")
    assert hearing.place == "Суд, зал 4"


def test_an_article_taken_out_of_use_may_stay_but_is_never_newly_chosen(scene) -> None:  # type: ignore[no-untyped-def]
    officer, p = scene
    Article.objects.filter(number="128").update(is_active=False)
    Article.objects.filter(number="308").update(is_active=False)
    kept = actions.do_update_proceeding(
        p,
        actor=officer,
        data={"cooperates": True},
        articles=Article.objects.filter(number__in=["128", "126"]),
        expected_revision=None,
    )
    assert sorted(a.number for a in kept.articles.all()) == ["126", "128"]
    with pytest.raises(ProceedingError, match="no longer in use"):
        actions.do_update_proceeding(
            p,
            actor=officer,
            data={},
            articles=Article.objects.filter(number__in=["128", "308"]),
            expected_revision=None,
        )
