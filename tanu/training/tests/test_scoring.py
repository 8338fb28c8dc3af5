"""Scoring against hand-worked examples: exercises against the key, test items, item statistics
and normalised gain."""

from __future__ import annotations

import pytest

from tanu.training import scoring
from tanu.training.exercises import get_scenario
from tanu.training.scoring import ItemResponse, score_exercise

# ---------------------------------------------------------------------------------------------
# Exercises


def test_an_exercise_is_scored_exactly_as_worked_by_hand() -> None:
    # Key K = {A, B, C, D}; trainee T = {A, B, E}. |T ∩ K| = 2.
    # precision = 2/3, recall = 2/4 = 1/2, F1 = 2·(2/3)(1/2) / (2/3 + 1/2) = (2/3) / (7/6) = 4/7.
    # Referrals: chosen {shelter, medical}, key {shelter, legal_aid, police_investigation}:
    # Jaccard = |{shelter}| / |{shelter, medical, legal_aid, police_investigation}| = 1/4.
    # Outcome right (1). Score = 100 · (4/7 + 1 + 1/4) / 3 = 100 · (51/28) / 3 = 100 · 17/28.
    result = score_exercise(
        observed=["A", "B", "E"],
        key_observed=["A", "B", "C", "D"],
        outcome="presumed_victim",
        key_outcome="presumed_victim",
        referrals=["shelter", "medical"],
        key_referrals=["shelter", "legal_aid", "police_investigation"],
        order=["A", "B", "C", "D", "E"],
    )
    assert result.precision == pytest.approx(2 / 3)
    assert result.recall == pytest.approx(1 / 2)
    assert result.f1 == pytest.approx(4 / 7)
    assert result.referral_score == pytest.approx(1 / 4)
    assert result.outcome_correct
    assert result.score == pytest.approx(100 * 17 / 28)
    assert result.found == ("A", "B")
    assert result.missed == ("C", "D")
    assert result.extra == ("E",)
    assert result.referrals_missed == ("legal_aid", "police_investigation")
    assert result.referrals_extra == ("medical",)


def test_marking_nothing_in_a_case_without_indicators_is_perfect() -> None:
    # 0/0 counts as 1: precision = recall = 1, F1 = 1; no referral needed and none chosen: 1.
    result = score_exercise(
        observed=[],
        key_observed=[],
        outcome="no_indication",
        key_outcome="no_indication",
        referrals=[],
        key_referrals=[],
    )
    assert (result.precision, result.recall, result.f1, result.referral_score) == (1, 1, 1, 1)
    assert result.score == 100


def test_marking_nothing_in_a_trafficking_case_scores_no_recall() -> None:
    # T = {} and K = {A, B}: precision 0/0 = 1 (no false alarm), recall 0/2 = 0, F1 = 0.
    # Wrong outcome (0), referrals {} vs {shelter}: 0/1 = 0. Score 0.
    result = score_exercise(
        observed=[],
        key_observed=["A", "B"],
        outcome="no_indication",
        key_outcome="presumed_victim",
        referrals=[],
        key_referrals=["shelter"],
    )
    assert (result.precision, result.recall, result.f1) == (1.0, 0.0, 0.0)
    assert result.referral_score == 0
    assert not result.outcome_correct
    assert result.score == 0


def test_ticking_everything_is_punished_by_precision() -> None:
    # T = 10 codes, K = 2 of them: precision 2/10, recall 1, F1 = 2·0.2·1/1.2 = 1/3.
    codes = [f"X{i}" for i in range(10)]
    result = score_exercise(
        observed=codes,
        key_observed=["X1", "X2"],
        outcome="possible_victim",
        key_outcome="presumed_victim",
        referrals=["shelter"],
        key_referrals=["shelter"],
    )
    assert result.precision == pytest.approx(0.2)
    assert result.recall == 1
    assert result.f1 == pytest.approx(1 / 3)
    assert result.score == pytest.approx(100 * (1 / 3 + 0 + 1) / 3)


def test_a_real_scenario_is_scored_against_its_own_key() -> None:
    scenario = get_scenario("wage-dispute-taraz")
    assert scenario is not None
    # Key: AL-EC-02, AL-EC-07 · no_indication · legal_aid.
    # Trainee: AL-EC-02, AL-CD-01 · possible_victim · legal_aid + police_investigation.
    # P = 1/2, R = 1/2, F1 = 1/2; outcome 0; Jaccard 1/2. Score = 100 · (1/2 + 0 + 1/2)/3.
    result = scenario.score(
        ["AL-EC-02", "AL-CD-01"], "possible_victim", ["legal_aid", "police_investigation"]
    )
    assert result.precision == result.recall == result.f1 == pytest.approx(0.5)
    assert result.referral_score == pytest.approx(0.5)
    assert result.score == pytest.approx(100 / 3)
    assert result.missed == ("AL-EC-07",)
    assert result.extra == ("AL-CD-01",)


# ---------------------------------------------------------------------------------------------
# Test items


def test_single_choice_and_true_false_score_one_or_zero() -> None:
    assert scoring.score_choice([3], [3], multiple=False) == 1
    assert scoring.score_choice([4], [3], multiple=False) == 0
    assert scoring.score_choice([], [3], multiple=False) == 0
    assert scoring.score_choice([3, 4], [3], multiple=False) == 0


def test_multiple_choice_gives_partial_credit_minus_wrong_choices() -> None:
    correct = [1, 2, 3]
    assert scoring.score_choice([1, 2, 3], correct, multiple=True) == 1
    assert scoring.score_choice([1, 2], correct, multiple=True) == pytest.approx(2 / 3)
    assert scoring.score_choice([1, 2, 9], correct, multiple=True) == pytest.approx(1 / 3)
    assert scoring.score_choice([1, 2, 3, 8, 9], correct, multiple=True) == pytest.approx(1 / 3)
    assert scoring.score_choice([1, 7, 8, 9], correct, multiple=True) == 0  # never below zero


def test_matching_scores_the_share_of_right_pairs() -> None:
    assert scoring.score_matching({1: 1, 2: 2, 3: 3, 4: 4}, [1, 2, 3, 4]) == 1
    assert scoring.score_matching({1: 1, 2: 3, 3: 2}, [1, 2, 3, 4]) == pytest.approx(1 / 4)
    assert scoring.score_matching({}, [1, 2]) == 0


def test_a_test_score_is_the_mean_item_score_in_percent() -> None:
    assert scoring.attempt_score([1, 0, 0.5, None]) == pytest.approx(37.5)
    assert scoring.attempt_score([]) == 0


# ---------------------------------------------------------------------------------------------
# Item statistics on a small fixture, worked by hand
#
# Ten attempts (id, total score %) and their score on item Q:
#   a1 95 → 1   a2 90 → 1   a3 80 → 1   a4 75 → 0   a5 70 → 1
#   a6 60 → 1   a7 50 → 0   a8 45 → 0   a9 30 → 1   a10 20 → 0
# Facility F = 6/10 = 0.6.
# Groups: n = round(0.27 · 10) = round(2.7) = 3. Top 3 (a1, a2, a3): mean 3/3 = 1.
# Bottom 3 (a8, a9, a10): mean 1/3. D = 1 - 1/3 = 2/3 ≈ 0.667. Not flagged.

FIXTURE = [
    (1, 95.0, 1.0),
    (2, 90.0, 1.0),
    (3, 80.0, 1.0),
    (4, 75.0, 0.0),
    (5, 70.0, 1.0),
    (6, 60.0, 1.0),
    (7, 50.0, 0.0),
    (8, 45.0, 0.0),
    (9, 30.0, 1.0),
    (10, 20.0, 0.0),
]


def test_item_statistics_match_the_hand_computed_values() -> None:
    stats = scoring.item_stats(7, [ItemResponse(a, t, s) for a, t, s in FIXTURE])
    assert stats.n == 10
    assert stats.facility == pytest.approx(0.6)
    assert scoring.group_size(10) == 3
    assert stats.discrimination == pytest.approx(2 / 3)
    assert stats.flags == []


def test_an_item_everybody_gets_right_is_flagged_too_easy_and_not_discriminating() -> None:
    stats = scoring.item_stats(8, [ItemResponse(a, t, 1.0) for a, t, _s in FIXTURE])
    assert stats.facility == 1
    assert stats.discrimination == 0
    assert stats.flags == ["too_easy", "low_discrimination"]


def test_an_item_the_weak_get_right_and_the_strong_get_wrong_is_flagged() -> None:
    # Reversed: top 3 score 0, bottom 3 score 1: D = -1. F = 3/10 = 0.3 (not too hard).
    responses = [ItemResponse(a, t, 1.0 if a >= 8 else 0.0) for a, t, _s in FIXTURE]
    stats = scoring.item_stats(9, responses)
    assert stats.facility == pytest.approx(0.3)
    assert stats.discrimination == pytest.approx(-1)
    assert stats.flags == ["low_discrimination"]


def test_a_very_hard_item_is_flagged() -> None:
    responses = [ItemResponse(a, t, 1.0 if a == 1 else 0.0) for a, t, _s in FIXTURE]
    stats = scoring.item_stats(10, responses)
    assert stats.facility == pytest.approx(0.1)
    # n = 3: top (a1, a2, a3) mean 1/3, bottom mean 0: D = 1/3.
    assert stats.discrimination == pytest.approx(1 / 3)
    assert stats.flags == ["too_hard"]


def test_ties_in_total_score_are_broken_by_attempt_id() -> None:
    # Four attempts with the same total: n = round(1.08) = 1; top = a1, bottom = a4.
    responses = [
        ItemResponse(1, 50, 1),
        ItemResponse(2, 50, 0),
        ItemResponse(3, 50, 0),
        ItemResponse(4, 50, 0),
    ]
    assert scoring.discrimination_index(responses) == 1


def test_discrimination_needs_two_attempts() -> None:
    assert scoring.discrimination_index([ItemResponse(1, 50, 1)]) is None
    assert scoring.item_stats(1, []).facility is None


# ---------------------------------------------------------------------------------------------
# Gains


def test_normalised_gain_is_hakes_formula_on_the_means() -> None:
    # 55 → 85: g = 30 / 45 = 2/3.
    assert scoring.normalised_gain(55, 85) == pytest.approx(2 / 3)
    assert scoring.normalised_gain(55, 50) == pytest.approx(-5 / 45)
    assert scoring.normalised_gain(100, 100) is None
    assert scoring.normalised_gain(None, 80) is None


def test_group_summaries_count_only_participants_with_both_tests_in_the_gain() -> None:
    scores = {
        1: {"pre": 40.0, "post": 80.0, "retest": 60.0},
        2: {"pre": 60.0, "post": 90.0},
        3: {"post": 100.0},  # no pre-test: in the post mean, not in the gain
    }
    groups = {1: ("a", "A"), 2: ("a", "A"), 3: ("a", "A")}
    [summary] = scoring.summarise(scores, groups)
    assert summary.participants == 3
    assert summary.pre == pytest.approx(50)
    assert summary.post == pytest.approx(90)
    assert summary.retest == pytest.approx(60)
    assert summary.n_gain == 2
    # Means of the two with both: pre 50, post 85: g = 35/50 = 0.7.
    assert summary.gain == pytest.approx(0.7)
    # Retained: only participant 1: (60 - 40) / 60 = 1/3.
    assert summary.retained_gain == pytest.approx(1 / 3)
