"""Synthetic criminal proceedings: a plausible share of the cases of presumed victims, each stage
after the one before, outcomes that follow the stage rules, the same rows for the same seed."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tanu.accounts.models import Agency, Role
from tanu.cases.models import Case
from tanu.ops.synthetic.batches import BatchMaker
from tanu.ops.synthetic.proceedings import prepare_proceedings
from tanu.ops.synthetic.screenings import checklist_sets
from tanu.ops.synthetic.synth import synthesise
from tanu.ops.synthetic.world import prepare_world
from tanu.proceedings.actions import check_stage
from tanu.proceedings.models import Hearing, Proceeding, ProtectionMeasure, SuspectCount

pytestmark = pytest.mark.django_db


def test_synth_gives_a_share_of_the_presumed_victims_cases_a_proceeding_with_ordered_stages() -> (
    None
):
    lines: list[str] = []
    # Two years, so that some proceedings are still investigated or in court.
    first_day = timezone.localdate() - timedelta(days=730)
    report = synthesise(2000, seed=11, batch=500, out=lines.append, first_day=first_day)
    proceedings = list(Proceeding.objects.select_related("case", "created_by"))
    assert report.rows["proceedings.Proceeding"] == len(proceedings)
    assert any("criminal proceedings ·" in line for line in lines)  # progress, per batch
    presumed = Case.objects.filter(outcome="presumed_victim").count()
    on_presumed = sum(p.case.outcome == "presumed_victim" for p in proceedings)
    assert presumed and 0.08 <= on_presumed / presumed <= 0.4
    assert len(proceedings) < Case.objects.count() / 3
    today = timezone.localdate()
    for p in proceedings:
        check_stage(p)  # each stage's date is set and not before the one before it
        days = [
            d
            for d in (p.registered_on, p.sent_to_court_on, p.trial_started_on, p.verdict_on)
            if d is not None
        ]
        assert days == sorted(days) and days[-1] <= today
        assert p.registered_on >= p.case.created_at.date() - timedelta(days=1)
        assert p.created_by.role == Role.INVESTIGATOR
        assert p.created_by.agency_id == p.investigating_agency_id
        assert p.investigating_agency.kind == Agency.Kind.CRIMINAL_POLICE
        assert p.investigating_agency.region_id == p.case.region_id
        assert p.articles.exists()
        assert 12 <= len(p.erdr_number) <= 20 and p.erdr_number.isdigit()
        if p.verdict:
            assert p.trial_started_on is not None and p.verdict_on is not None
        else:
            assert p.verdict_on is None and p.sentence_months is None
        if p.sentence_months is not None:
            assert p.verdict == "convicted" and 36 <= p.sentence_months <= 180
        if p.compensation_paid is not None:
            assert p.compensation_awarded is not None
            assert p.compensation_paid <= p.compensation_awarded
        if p.stage == Proceeding.Stage.CLOSED:
            assert p.closing_reason and p.closed_on is not None
            assert (p.closing_reason == "verdict_in_force") == bool(p.verdict)
        suspects = list(SuspectCount.objects.filter(proceeding=p))
        assert suspects and all(s.count >= 1 for s in suspects)
        standing = "accused" if p.sent_to_court_on else "suspect"
        assert {s.standing for s in suspects} == {standing}
        for hearing in Hearing.objects.filter(proceeding=p):
            assert p.sent_to_court_on is not None
            assert hearing.starts_at.date() >= p.sent_to_court_on
            if p.verdict_on is not None:
                assert hearing.starts_at.date() <= p.verdict_on
        for measure in ProtectionMeasure.objects.filter(proceeding=p):
            assert measure.starts_on >= p.registered_on
            assert measure.ends_on is None or measure.ends_on >= measure.starts_on
    stages = Counter(p.stage for p in proceedings)
    # Some still investigated, some in court, some decided or closed.
    assert len(stages) >= 3, stages
    verdicts = Counter(p.verdict for p in proceedings if p.verdict)
    assert verdicts["convicted"] >= verdicts["acquitted"]


def test_synthetic_proceedings_are_the_same_for_the_same_seed() -> None:
    world = prepare_world(lambda line: None)
    plan = prepare_proceedings(world, lambda line: None)
    now, today = timezone.now(), timezone.localdate()

    def made(seed: int) -> dict[str, list[list[object]]]:
        maker = BatchMaker(world, checklist_sets(), None, False, now, today, proceedings=plan)
        days = [date(2022, 3, 1 + i % 28) for i in range(800)]
        batch = maker.make(0, days, seed)
        labels = [m._meta.label for m in (Proceeding, SuspectCount, ProtectionMeasure, Hearing)]
        return {label: batch.tables[label] for label in labels}

    first = made(7)
    assert first["proceedings.Proceeding"]
    assert made(7) == first
    assert made(8) != first
