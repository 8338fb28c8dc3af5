"""Properties of the engine, checked against plain, deliberately naive readings of DESIGN.md.

The naive versions below read the raw checklist data (not the engine's indexes) and spell the
rule out exactly as the design notes word it; decisive questions are found by trying every
subset of the unknown indicators.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tanu.identification.checklist_files import load_all_data
from tanu.identification.engine import (
    Checklist,
    assess,
    assess_person,
    strength_key,
)
from tanu.identification.tests import DIMENSION_ABBREVIATIONS, make_checklist_data

RECRUITMENT = {
    "deceptive_recruitment",
    "coercive_recruitment",
    "recruitment_abuse_of_vulnerability",
}
COERCION = {"coercion_at_destination", "destination_abuse_of_vulnerability"}
#: Levels for "raising the outcome": ``incomplete`` and ``no_indication`` are the same level
#: (nothing found), one below ``possible_victim``.
RANK = {"no_indication": 0, "incomplete": 0, "possible_victim": 1, "presumed_victim": 2}
GRADE_ORDER = {"strong": 0, "medium": 1, "weak": 2}

OBSERVED, NOT_OBSERVED, DECLINED, UNKNOWN = "observed", "not_observed", "declined", "unknown"


# -- the naive rule ------------------------------------------------------------------------


def naive_dimension_positive(strong: int, medium: int, weak: int) -> bool:
    """DESIGN.md: two strong; or one strong and one medium or weak; or three medium; or two
    medium and one weak."""
    return (
        strong >= 2
        or (strong >= 1 and medium + weak >= 1)
        or medium >= 3
        or (medium >= 2 and weak >= 1)
    )


def naive_counts(data: dict[str, Any], observed: set[str]) -> dict[str, dict[str, int]]:
    counts = {key: {"strong": 0, "medium": 0, "weak": 0} for key in DIMENSION_ABBREVIATIONS}
    for indicator in data["indicators"]:
        if indicator["code"] in observed:
            counts[indicator["dimension"]][indicator["strength"]] += 1
    return counts


def naive_enough_asked(data: dict[str, Any], answers: dict[str, str]) -> bool:
    """Every strong indicator answered (observed, not observed or declined) and every dimension
    that has indicators with one of them answered observed or not observed."""
    for indicator in data["indicators"]:
        if indicator["strength"] == "strong" and answers.get(indicator["code"], UNKNOWN) == UNKNOWN:
            return False
    for key in DIMENSION_ABBREVIATIONS:
        codes = [i["code"] for i in data["indicators"] if i["dimension"] == key]
        if codes and not any(answers.get(c) in (OBSERVED, NOT_OBSERVED) for c in codes):
            return False
    return True


def naive_assessment(
    data: dict[str, Any], observed: set[str], answers: dict[str, str] | None = None
) -> dict[str, Any]:
    """The naive outcome; ``answers`` (every code's answer) decides whether enough was asked,
    and without it enough was (the decisive-question search looks at levels only)."""
    counts = naive_counts(data, observed)
    positive = {
        key
        for key, c in counts.items()
        if naive_dimension_positive(c["strong"], c["medium"], c["weak"])
    }
    recruitment = bool(positive & RECRUITMENT)
    exploitation = "exploitative_conditions" in positive
    coercion = bool(positive & COERCION)
    if data["population"] == "child":
        threshold = recruitment and exploitation
    else:
        threshold = recruitment and exploitation and coercion
    any_strong = any(c["strong"] for c in counts.values())
    if threshold:
        outcome = "presumed_victim"
    elif positive or any_strong:
        outcome = "possible_victim"
    elif answers is None or naive_enough_asked(data, answers):
        outcome = "no_indication"
    else:
        outcome = "incomplete"
    return {"outcome": outcome, "threshold_met": threshold, "positive": positive, "counts": counts}


def naive_decisive(
    data: dict[str, Any], observed: set[str], unknown: list[str]
) -> list[tuple[str, int]]:
    """Every subset of the unknown codes: k(c) is the size of the smallest set that raises the
    outcome and would not without c."""
    base = RANK[naive_assessment(data, observed)["outcome"]]
    raises: dict[frozenset[str], bool] = {}
    for size in range(len(unknown) + 1):
        for subset in itertools.combinations(unknown, size):
            outcome = naive_assessment(data, observed | set(subset))["outcome"]
            raises[frozenset(subset)] = RANK[outcome] > base
    k: dict[str, int] = {}
    for subset, raised in sorted(raises.items(), key=lambda item: len(item[0])):
        if raised:
            for code in subset:
                if code not in k and not raises[subset - {code}]:
                    k[code] = len(subset)
    order = {item["code"]: n for n, item in enumerate(data["indicators"])}
    grade = {item["code"]: GRADE_ORDER[item["strength"]] for item in data["indicators"]}
    return sorted(k.items(), key=lambda item: (item[1], grade[item[0]], order[item[0]]))


# -- strategies ----------------------------------------------------------------------------

REAL_LISTS = load_all_data()


@st.composite
def random_checklists(
    draw: st.DrawFn, min_per_dimension: int = 0, max_per_dimension: int = 5
) -> dict[str, Any]:
    grades = {
        key: draw(st.text(alphabet="smw", min_size=min_per_dimension, max_size=max_per_dimension))
        for key in DIMENSION_ABBREVIATIONS
    }
    population = draw(st.sampled_from(["adult", "child"]))
    data = make_checklist_data(grades, population=population, checklist_id=f"random-{population}")
    if not data["indicators"]:
        data = make_checklist_data({"exploitative_conditions": "s"}, population=population)
    return data


checklists = st.one_of(
    random_checklists(), st.sampled_from([REAL_LISTS[cid] for cid in sorted(REAL_LISTS)])
)


@st.composite
def screenings(
    draw: st.DrawFn, data_strategy: st.SearchStrategy[dict[str, Any]] = checklists
) -> tuple[dict[str, Any], dict[str, str]]:
    data = draw(data_strategy)
    codes = [item["code"] for item in data["indicators"]]
    weights = draw(
        st.sampled_from([(1, 1, 1, 1), (1, 4, 0, 2), (3, 1, 1, 1), (1, 2, 0, 6), (2, 2, 0, 3)])
    )
    states = [OBSERVED] * weights[0] + [NOT_OBSERVED] * weights[1]
    states += [DECLINED] * weights[2] + [UNKNOWN] * weights[3]
    answers = dict(
        zip(
            codes,
            draw(st.lists(st.sampled_from(states), min_size=len(codes), max_size=len(codes))),
            strict=True,
        )
    )
    return data, answers


def split(answers: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    return (
        [c for c, a in answers.items() if a == OBSERVED],
        [c for c, a in answers.items() if a == NOT_OBSERVED],
        [c for c, a in answers.items() if a == DECLINED],
    )


def checklist_for(data: dict[str, Any]) -> Checklist:
    return Checklist.from_dict(data)


SETTINGS = settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])


# -- properties ----------------------------------------------------------------------------


@SETTINGS
@given(screenings())
def test_assess_agrees_with_a_naive_reading_of_the_design_rule(
    screening: tuple[dict[str, Any], dict[str, str]],
) -> None:
    data, answers = screening
    observed, not_observed, declined = split(answers)
    result = assess(checklist_for(data), observed, not_observed, declined)
    expected = naive_assessment(data, set(observed), answers)
    assert result.outcome == expected["outcome"]
    assert result.enough_asked == naive_enough_asked(data, answers)
    assert result.threshold_met == expected["threshold_met"]
    assert set(result.positive_dimensions) == expected["positive"]
    for key, counts in expected["counts"].items():
        got = result.dimensions[key]
        assert (got.strong, got.medium, got.weak) == (
            counts["strong"],
            counts["medium"],
            counts["weak"],
        )
        assert set(got.indicators) == {
            item["code"]
            for item in data["indicators"]
            if item["dimension"] == key and item["code"] in observed
        }


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(screenings(random_checklists(min_per_dimension=1, max_per_dimension=4)))
def test_decisive_questions_agree_with_a_search_over_every_subset(
    screening: tuple[dict[str, Any], dict[str, str]],
) -> None:
    data, answers = screening
    unknown = [c for c, a in answers.items() if a == UNKNOWN]
    for code in unknown[10:]:  # keep the search small: at most 2**10 subsets
        answers[code] = NOT_OBSERVED
    unknown = unknown[:10]
    observed, not_observed, declined = split(answers)
    expected = naive_decisive(data, set(observed), unknown)
    checklist = checklist_for(data)
    result = assess(checklist, observed, not_observed, declined, limit=100)
    assert list(zip(result.decisive, result.decisive_k, strict=True)) == expected
    assert assess(checklist, observed, not_observed, declined, limit=3).decisive == tuple(
        code for code, _ in expected[:3]
    )


@SETTINGS
@given(screenings())
def test_observing_a_decisive_code_never_lowers_the_outcome(
    screening: tuple[dict[str, Any], dict[str, str]],
) -> None:
    data, answers = screening
    observed, not_observed, declined = split(answers)
    checklist = checklist_for(data)
    before = assess(checklist, observed, not_observed, declined)
    for code in before.decisive:
        after = assess(checklist, [*observed, code], not_observed, declined)
        assert RANK[after.outcome] >= RANK[before.outcome]


@SETTINGS
@given(screenings())
def test_the_first_decisive_question_with_k_1_raises_the_outcome(
    screening: tuple[dict[str, Any], dict[str, str]],
) -> None:
    data, answers = screening
    observed, not_observed, declined = split(answers)
    checklist = checklist_for(data)
    before = assess(checklist, observed, not_observed, declined)
    if before.decisive_k and before.decisive_k[0] == 1:
        after = assess(checklist, [*observed, before.decisive[0]], not_observed, declined)
        assert RANK[after.outcome] == RANK[before.outcome] + 1
    # k is never below 1 and the list is sorted by it
    assert all(k >= 1 for k in before.decisive_k)
    assert list(before.decisive_k) == sorted(before.decisive_k)


@SETTINGS
@given(screenings(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_answer_order_or_repetition(
    screening: tuple[dict[str, Any], dict[str, str]], rng: random.Random
) -> None:
    data, answers = screening
    observed, not_observed, declined = split(answers)
    checklist = checklist_for(data)
    first = assess(checklist, observed, not_observed, declined)
    shuffled = [list(x) for x in (observed, not_observed, declined)]
    for codes in shuffled:
        codes.extend(rng.sample(codes, len(codes) // 2))  # some repeated
        rng.shuffle(codes)
    second = assess(checklist, *shuffled)
    assert second == first
    assert second.to_dict() == first.to_dict()


@settings(deadline=None, max_examples=100)
@given(st.data())
def test_with_the_form_unknown_the_stronger_of_the_two_results_stands(data: st.DataObject) -> None:
    population = data.draw(st.sampled_from(["adult", "child"]))
    labour = REAL_LISTS[f"ilo-{population}-labour"]
    sexual = REAL_LISTS[f"ilo-{population}-sexual"]
    lists = {cid: Checklist.from_dict(d) for cid, d in REAL_LISTS.items()}
    codes = [i["code"] for i in labour["indicators"]] + [i["code"] for i in sexual["indicators"]]
    observed = data.draw(st.lists(st.sampled_from(codes), max_size=25, unique=True))
    age_group = (
        "adult"
        if population == "adult"
        else data.draw(st.sampled_from(["child", "unknown_maybe_child"]))
    )
    combined = assess_person(lists, age_group=age_group, form="unknown", observed=observed)
    separately = [
        assess(lists[d["id"]], [c for c in observed if c in lists[d["id"]].codes])
        for d in (labour, sexual)
    ]
    best = max(separately, key=strength_key)  # max keeps the first (labour) on a tie
    assert combined.assessment == best
    assert combined.other == next(r for r in separately if r is not best)
    assert combined.assessed_as_child == (population == "child")


# -- an unasked or half-asked screening never clears anyone ---------------------------------


SHIPPED = [REAL_LISTS[cid] for cid in sorted(REAL_LISTS)]


@settings(deadline=None, max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SHIPPED), st.data())
def test_a_half_asked_screening_is_never_no_indication_on_any_shipped_list(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    """Leave at least one strong indicator unasked, or one dimension without an answer: whatever
    else is answered, and however (nothing observed), the outcome is never "no indication"."""
    checklist = checklist_for(data)
    strong = [i["code"] for i in data["indicators"] if i["strength"] == "strong"]
    by_dimension: dict[str, list[str]] = {}
    for indicator in data["indicators"]:
        by_dimension.setdefault(indicator["dimension"], []).append(indicator["code"])
    if draw.draw(st.booleans(), label="leave a strong indicator unasked"):
        gap = {draw.draw(st.sampled_from(strong), label="unasked strong")}
        may_decline: set[str] = set()
    else:
        dimension = draw.draw(st.sampled_from(sorted(by_dimension)), label="untouched dimension")
        gap = set(by_dimension[dimension]) - set(strong)
        may_decline = set(by_dimension[dimension]) & set(strong)  # asked, but declined
    answers: dict[str, str] = {}
    for code in checklist.indicators:
        if code in gap:
            continue
        if code in may_decline:
            answers[code] = DECLINED
        else:
            answers[code] = draw.draw(
                st.sampled_from([NOT_OBSERVED, NOT_OBSERVED, DECLINED, UNKNOWN]), label=code
            )
    _observed, not_observed, declined = split(answers)
    result = assess(checklist, [], not_observed, declined)
    assert not result.enough_asked
    assert result.outcome == "incomplete"
    assert result.outcome != "no_indication"


@settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SHIPPED), st.sampled_from(["adult", "child", "unknown_maybe_child"]))
def test_an_unasked_screening_is_never_no_indication_on_any_shipped_list(
    data: dict[str, Any], age_group: str
) -> None:
    assert assess(checklist_for(data), []).outcome == "incomplete"
    lists = {cid: Checklist.from_dict(d) for cid, d in REAL_LISTS.items()}
    for form in ("labour", "sexual", "unknown"):
        combined = assess_person(lists, age_group=age_group, form=form, observed=[])
        assert combined.outcome == "incomplete"
        assert not combined.enough_asked


@settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SHIPPED), st.data())
def test_a_strong_indicator_on_a_half_asked_screening_is_a_possible_victim_not_incomplete(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    checklist = checklist_for(data)
    strong = [i["code"] for i in data["indicators"] if i["strength"] == "strong"]
    code = draw.draw(st.sampled_from(strong))
    result = assess(checklist, [code])
    assert not result.enough_asked
    assert result.outcome == "possible_victim"


@settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SHIPPED), st.data())
def test_with_every_strong_indicator_and_every_dimension_answered_no_indication_can_stand(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    checklist = checklist_for(data)
    answers = {}
    seen: set[str] = set()
    for indicator in data["indicators"]:
        code = indicator["code"]
        if indicator["dimension"] not in seen:
            answers[code] = NOT_OBSERVED  # one real answer per dimension
            seen.add(indicator["dimension"])
        elif indicator["strength"] == "strong":
            answers[code] = draw.draw(st.sampled_from([NOT_OBSERVED, DECLINED]), label=code)
    _observed, not_observed, declined = split(answers)
    result = assess(checklist, [], not_observed, declined)
    assert result.enough_asked
    assert result.outcome == "no_indication"
