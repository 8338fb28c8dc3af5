"""The quick triage on sparse cases (issue 15, section 10): presumed victims who disclose just
enough to meet the rule are flagged by at least one question, in every list."""

from __future__ import annotations

import random

import pytest

from tanu.identification.checklist_files import load_all_data, load_triage
from tanu.identification.engine import Checklist, assess
from tanu.identification.triage import sparse_miss_rate, sparse_presumed_victims

LISTS = {cid: Checklist.from_dict(data) for cid, data in sorted(load_all_data().items())}
SAMPLE = 2000
SEED = 15


def test_the_triage_has_at_most_20_questions() -> None:
    assert len(load_triage()["questions"]) <= 20


@pytest.mark.parametrize("checklist_id", sorted(LISTS))
def test_the_triage_misses_under_2_percent_of_sparse_presumed_victims(checklist_id: str) -> None:
    misses, n = sparse_miss_rate(load_triage(), LISTS[checklist_id], n=SAMPLE, seed=SEED)
    assert n == SAMPLE
    assert misses / n < 0.02, f"{checklist_id}: {misses} of {n} missed"


@pytest.mark.parametrize("checklist_id", sorted(LISTS))
def test_sparse_victims_just_meet_the_threshold_with_the_fewest_indicators(
    checklist_id: str,
) -> None:
    checklist = LISTS[checklist_id]
    victims = sparse_presumed_victims(checklist, random.Random(SEED))
    for _ in range(200):
        observed = next(victims)
        assert assess(checklist, observed).outcome == "presumed_victim"
        # Take any one indicator away and the threshold is no longer met.
        for code in observed:
            assert not assess(checklist, observed - {code}).threshold_met
        assert len(observed) <= 3 * len(checklist.rule.threshold)


def test_the_sparse_measure_is_deterministic_for_a_seed() -> None:
    checklist = LISTS["ilo-child-sexual"]
    first = [next(sparse_presumed_victims(checklist, random.Random(7))) for _ in range(3)]
    again = [next(sparse_presumed_victims(checklist, random.Random(7))) for _ in range(3)]
    assert first == again


def test_a_triage_covering_one_indicator_per_question_misses_more_than_2_percent() -> None:
    """The measure can fail: with each question narrowed to the first indicator it covers (about
    the version-1 triage), sparse child victims slip by far more often."""
    triage = load_triage()
    narrow = {
        **triage,
        "questions": [
            {**q, "covers": {cid: codes[:1] for cid, codes in q["covers"].items()}}
            for q in triage["questions"]
        ],
    }
    misses, n = sparse_miss_rate(narrow, LISTS["ilo-child-sexual"], n=SAMPLE, seed=SEED)
    assert misses / n >= 0.02
