"""Scoring, in pure Python (no Django): test items, scenario exercises, and the statistics of the
results pages. Every definition here is the one documented on the pages and in the tests.

Test items (a score from 0 to 1 per item):

* single choice, true/false: 1 when the one chosen option is correct, else 0;
* multiple choice: ``max(0, (right choices - wrong choices) / number of correct options)``, so
  ticking everything scores 0 and a partly right answer earns part of the point;
* matching: the share of left-hand items matched to their own partner.

A test's score is the mean item score times 100 (unanswered items score 0).

Exercises (the trainee's indicators T against the key K):

* precision = |T ∩ K| / |T|; recall = |T ∩ K| / |K|; 0/0 counts as 1 (marking nothing when
  nothing is there, or finding nothing to miss, is no error), so marking nothing in a case with
  indicators gives precision 1 and recall 0;
* F1 = 2PR / (P + R), 0 when P + R = 0;
* outcome: 1 when the trainee's outcome equals the key's, else 0;
* referrals: Jaccard overlap |A ∩ B| / |A ∪ B| of the service kinds, 0/0 counts as 1;
* exercise score = 100 x (F1 + outcome + referrals) / 3.

Item analysis (classical test theory, as in Moodle's quiz statistics but with the upper-lower
index instead of Moodle's correlation):

* facility index F = mean item score over the attempts that drew the item (0..1);
* discrimination index D (Kelley's upper-lower 27 %): the attempts that drew the item are
  ranked by their total test score (highest first; ties by attempt id, lower first), the top
  n = max(1, round(0.27 x N)) and the bottom n are taken, and D = mean item score of the top
  group - mean item score of the bottom group. D needs N >= 2 (else it is undefined, None);
* an item is flagged as doubtful when F < 0.20 (too hard or wrong key), F > 0.95 (too easy to
  tell anyone apart) or D < 0.20 (does not separate those who know from those who do not).

Gains: normalised gain (Hake) g = (post - pre) / (100 - pre) on the group's mean scores,
counting only participants who took both tests; undefined when pre = 100.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

FLAG_FACILITY_LOW = 0.20
FLAG_FACILITY_HIGH = 0.95
FLAG_DISCRIMINATION_LOW = 0.20
GROUP_SHARE = 0.27


# ---------------------------------------------------------------------------------------------
# Test items


def score_choice(chosen: Collection[int], correct: Collection[int], *, multiple: bool) -> float:
    chosen_set, correct_set = set(chosen), set(correct)
    if not multiple:
        return 1.0 if len(chosen_set) == 1 and chosen_set <= correct_set else 0.0
    if not correct_set:
        return 0.0
    right = len(chosen_set & correct_set)
    wrong = len(chosen_set - correct_set)
    return max(0.0, (right - wrong) / len(correct_set))


def score_matching(pairs: Mapping[int, int], lefts: Collection[int]) -> float:
    """``pairs`` maps a left option id to the option id whose partner was chosen."""
    if not lefts:
        return 0.0
    return sum(1 for left in lefts if pairs.get(left) == left) / len(lefts)


def attempt_score(item_scores: Sequence[float | None]) -> float:
    if not item_scores:
        return 0.0
    return 100.0 * sum(s or 0.0 for s in item_scores) / len(item_scores)


# ---------------------------------------------------------------------------------------------
# Exercises


@dataclass(frozen=True)
class ExerciseScore:
    precision: float
    recall: float
    f1: float
    outcome_correct: bool
    referral_score: float
    score: float  # percent
    found: tuple[str, ...]
    missed: tuple[str, ...]
    extra: tuple[str, ...]
    referrals_missed: tuple[str, ...]
    referrals_extra: tuple[str, ...]


def _ratio(part: int, whole: int) -> float:
    return 1.0 if whole == 0 else part / whole


def score_exercise(
    *,
    observed: Iterable[str],
    key_observed: Iterable[str],
    outcome: str,
    key_outcome: str,
    referrals: Iterable[str],
    key_referrals: Iterable[str],
    order: Sequence[str] = (),
) -> ExerciseScore:
    trainee, key = set(observed), set(key_observed)
    hits = trainee & key
    precision = _ratio(len(hits), len(trainee))
    recall = _ratio(len(hits), len(key))
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    chosen, right = set(referrals), set(key_referrals)
    union = chosen | right
    referral_score = _ratio(len(chosen & right), len(union))
    outcome_correct = outcome == key_outcome
    score = 100.0 * (f1 + (1.0 if outcome_correct else 0.0) + referral_score) / 3
    rank = {code: i for i, code in enumerate(order)}

    def ordered(codes: set[str]) -> tuple[str, ...]:
        return tuple(sorted(codes, key=lambda c: (rank.get(c, len(rank)), c)))

    return ExerciseScore(
        precision=precision,
        recall=recall,
        f1=f1,
        outcome_correct=outcome_correct,
        referral_score=referral_score,
        score=score,
        found=ordered(hits),
        missed=ordered(key - trainee),
        extra=ordered(trainee - key),
        referrals_missed=tuple(sorted(right - chosen)),
        referrals_extra=tuple(sorted(chosen - right)),
    )


# ---------------------------------------------------------------------------------------------
# Item analysis


@dataclass(frozen=True)
class ItemResponse:
    """One attempt's score on one item, with the attempt's total score (percent)."""

    attempt: int
    total: float
    score: float


@dataclass
class ItemStats:
    question: int
    n: int
    facility: float | None
    discrimination: float | None
    flags: list[str] = field(default_factory=list)

    @property
    def doubtful(self) -> bool:
        return bool(self.flags)


def group_size(n: int) -> int:
    return max(1, round(GROUP_SHARE * n))


def facility_index(scores: Sequence[float]) -> float | None:
    return sum(scores) / len(scores) if scores else None


def discrimination_index(responses: Sequence[ItemResponse]) -> float | None:
    if len(responses) < 2:
        return None
    ranked = sorted(responses, key=lambda r: (-r.total, r.attempt))
    n = group_size(len(ranked))
    top = ranked[:n]
    bottom = ranked[-n:]
    return sum(r.score for r in top) / n - sum(r.score for r in bottom) / n


def item_stats(question: int, responses: Sequence[ItemResponse]) -> ItemStats:
    facility = facility_index([r.score for r in responses])
    discrimination = discrimination_index(responses)
    flags: list[str] = []
    if facility is not None:
        if facility < FLAG_FACILITY_LOW:
            flags.append("too_hard")
        elif facility > FLAG_FACILITY_HIGH:
            flags.append("too_easy")
    if discrimination is not None and discrimination < FLAG_DISCRIMINATION_LOW:
        flags.append("low_discrimination")
    return ItemStats(question, len(responses), facility, discrimination, flags)


def item_analysis(rows: Iterable[tuple[int, int, float, float]]) -> list[ItemStats]:
    """Rows of (question id, attempt id, attempt total percent, item score) -> stats per
    question, in question id order."""
    by_question: dict[int, list[ItemResponse]] = {}
    for question, attempt, total, score in rows:
        by_question.setdefault(question, []).append(ItemResponse(attempt, total, score))
    return [item_stats(q, by_question[q]) for q in sorted(by_question)]


# ---------------------------------------------------------------------------------------------
# Means and gains


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def normalised_gain(pre: float | None, post: float | None) -> float | None:
    if pre is None or post is None or pre >= 100:
        return None
    return (post - pre) / (100 - pre)


@dataclass
class GroupSummary:
    key: object
    label: str
    participants: int = 0
    pre: float | None = None
    post: float | None = None
    retest: float | None = None
    n_pre: int = 0
    n_post: int = 0
    n_retest: int = 0
    gain: float | None = None  # on participants with both pre and post
    retained_gain: float | None = None  # (retest - pre) / (100 - pre), both pre and retest
    n_gain: int = 0


def summarise(
    scores: Mapping[int, Mapping[str, float]],
    groups: Mapping[int, tuple[object, str]],
) -> list[GroupSummary]:
    """``scores``: participant -> {"pre"/"post"/"retest": percent};
    ``groups``: participant -> (group key, label). One summary per group, in label order."""
    members: dict[object, list[int]] = {}
    labels: dict[object, str] = {}
    for participant, (key, label) in groups.items():
        members.setdefault(key, []).append(participant)
        labels[key] = label
    out = []
    for key, people in members.items():
        summary = GroupSummary(key=key, label=labels[key], participants=len(people))
        for kind in ("pre", "post", "retest"):
            values = [scores[p][kind] for p in people if kind in scores.get(p, {})]
            setattr(summary, kind, mean(values))
            setattr(summary, f"n_{kind}", len(values))
        both = [p for p in people if {"pre", "post"} <= set(scores.get(p, {}))]
        summary.n_gain = len(both)
        summary.gain = normalised_gain(
            mean([scores[p]["pre"] for p in both]), mean([scores[p]["post"] for p in both])
        )
        kept = [p for p in people if {"pre", "retest"} <= set(scores.get(p, {}))]
        summary.retained_gain = normalised_gain(
            mean([scores[p]["pre"] for p in kept]), mean([scores[p]["retest"] for p in kept])
        )
        out.append(summary)
    out.sort(key=lambda s: s.label)
    return out
