"""The demo proceeding: the canary's case, referred to the Almaty criminal police, is at trial
under article 128 with one hearing held and one to come; `tanu demo load` twice makes it once."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tanu.accounts import demo as accounts_demo
from tanu.accounts.models import Agency, Role, User
from tanu.audit.models import AuditEntry, ObjectType
from tanu.cases import demo as cases_demo
from tanu.identification.catalogue import sync_from_files
from tanu.proceedings import demo
from tanu.proceedings.access import visible_proceedings
from tanu.proceedings.models import Hearing, Proceeding, ProtectionMeasure, SuspectCount
from tanu.referrals import demo as referrals_demo
from tanu.referrals.models import Referral

pytestmark = pytest.mark.django_db


def load_demo() -> list[str]:
    """The loaders the demo proceeding stands on, in the order `tanu demo load` runs them."""
    accounts_demo.load()
    referrals_demo.load()
    cases_demo.load()
    referrals_demo.load_canary()
    return demo.load()


def test_the_demo_has_an_investigator_of_the_almaty_criminal_police() -> None:
    sync_from_files()
    load_demo()
    investigator = User.objects.get(username="investigator.almaty")
    assert investigator.role == Role.INVESTIGATOR and investigator.is_active
    assert investigator.check_password("tanu-demo")
    assert investigator.agency is not None
    assert investigator.agency.kind == Agency.Kind.CRIMINAL_POLICE
    assert investigator.agency.region.code == "KZ-75"
    assert "investigator.almaty" in accounts_demo.demo_usernames()


def test_the_canarys_case_is_at_trial_with_one_past_and_one_future_hearing() -> None:
    sync_from_files()
    lines = load_demo()
    case = cases_demo.canary_case()
    assert case is not None
    proceeding = Proceeding.objects.get(case=case)
    today = timezone.localdate()
    assert "registered" in lines[0]
    assert proceeding.stage == Proceeding.Stage.TRIAL
    assert list(proceeding.articles.values_list("number", flat=True)) == ["128"]
    assert proceeding.created_by.username == "investigator.almaty"
    assert proceeding.investigating_agency_id == proceeding.created_by.agency_id
    assert proceeding.sent_to_court_on is not None and proceeding.trial_started_on is not None
    assert proceeding.registered_on < proceeding.sent_to_court_on < proceeding.trial_started_on
    assert proceeding.trial_started_on < today
    assert timedelta(days=60) <= today - proceeding.registered_on <= timedelta(days=120)
    assert proceeding.verdict == "" and proceeding.verdict_on is None
    assert proceeding.person_status == Proceeding.PersonStatus.VICTIM and proceeding.cooperates
    now = timezone.now()
    hearings = list(Hearing.objects.filter(proceeding=proceeding))
    assert len([h for h in hearings if h.starts_at < now]) == 1
    future = [h for h in hearings if h.starts_at >= now]
    assert len(future) == 1 and future[0].place.startswith("Медеуский районный суд")
    assert future[0].starts_at - now < timedelta(days=7)
    suspects = SuspectCount.objects.filter(proceeding=proceeding)
    assert sum(s.count for s in suspects) == 3
    assert {(s.role, s.sex) for s in suspects} == {
        ("organiser", "male"), ("recruiter", "female"), ("recruiter", "male"),
    }  # fmt: skip
    assert list(
        ProtectionMeasure.objects.filter(proceeding=proceeding).values_list("kind", flat=True)
    ) == ["confidential_data"]
    # The case went to the police through an accepted referral, with the consent it needs.
    referral = Referral.objects.get(case=case, service__kind="police_investigation")
    assert referral.status == Referral.Status.ACCEPTED
    assert referral.to_agency_id == proceeding.investigating_agency_id
    assert referral.consent is not None and referral.consent.purpose == "law_enforcement"
    # Written by the named actions: audited.
    assert AuditEntry.objects.filter(
        object_type=ObjectType.PROCEEDING, object_id=str(proceeding.pk)
    ).exists()
    assert AuditEntry.objects.filter(object_type=ObjectType.HEARING).count() == 2
    # The investigator sees it; the Shymkent investigator does not.
    assert proceeding in visible_proceedings(User.objects.get(username="investigator.almaty"))
    assert not visible_proceedings(User.objects.get(username="investigator.shymkent")).exists()


def test_loading_the_demo_twice_creates_nothing_twice() -> None:
    sync_from_files()
    load_demo()
    counts = [
        m.objects.count()
        for m in (Proceeding, Hearing, SuspectCount, ProtectionMeasure, Referral, User)
    ]
    again = load_demo()
    assert "already present" in again[0]
    assert counts == [
        m.objects.count()
        for m in (Proceeding, Hearing, SuspectCount, ProtectionMeasure, Referral, User)
    ]


def test_a_past_next_hearing_is_replaced_by_one_to_come_on_the_next_load() -> None:
    sync_from_files()
    load_demo()
    upcoming = Hearing.objects.get(starts_at__gte=timezone.now())
    Hearing.objects.filter(pk=upcoming.pk).update(
        starts_at=timezone.now() - timedelta(days=2)
    )  # days went by
    load_demo()
    assert Hearing.objects.count() == 3
    assert Hearing.objects.filter(starts_at__gte=timezone.now()).count() == 1


def test_tanu_demo_load_twice_prints_the_investigators_login_and_one_proceeding(
    settings: object,
) -> None:
    settings.DEMO = True  # type: ignore[attr-defined]
    for _ in range(2):
        out = io.StringIO()
        call_command("demo", "load", stdout=out)
        text = out.getvalue()
        assert "loading proceedings ..." in text
        assert "  investigator.almaty" in text.split("Demo logins")[1]
    assert "(already present): trial, 3 accused, 2 hearings" in text
    assert Proceeding.objects.count() == 1 and Hearing.objects.count() == 2
