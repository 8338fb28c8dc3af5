"""The assessment engine on hand-worked examples (DESIGN.md, "Identification method").

Fixture lists: every dimension has indicators 01-03 strong, 04-06 medium, 07-08 weak, e.g.
AL-DR-01 (strong), AL-DR-04 (medium), AL-DR-07 (weak).
"""

from __future__ import annotations

import pytest

from tanu.identification.engine import (
    AGE_NOTE,
    DIMENSIONS,
    AssessmentError,
    Checklist,
    ConflictingAnswer,
    InvalidAnswers,
    InvalidChecklist,
    MissingChecklist,
    UnknownIndicator,
    assess,
    assess_person,
    validate_checklist,
)
from tanu.identification.tests import SMALL_GRADES, make_checklist_data

ADULT = Checklist.from_dict(make_checklist_data(SMALL_GRADES))
CHILD = Checklist.from_dict(
    make_checklist_data(
        SMALL_GRADES, checklist_id="test-child-labour", population="child", prefix="CL"
    )
)


def all_lists() -> dict[str, Checklist]:
    lists = {}
    for population, p in (("adult", "A"), ("child", "C")):
        for form, f in (("labour", "L"), ("sexual", "S")):
            data = make_checklist_data(
                SMALL_GRADES,
                checklist_id=f"test-{population}-{form}",
                population=population,
                form=form,
                prefix=p + f,
            )
            lists[data["id"]] = Checklist.from_dict(data)
    return lists


LISTS = all_lists()


DIMENSION_CODES = ("DR", "CR", "RV", "EC", "CD", "DV")


def dim(code: str) -> str:
    abbreviation = code.split("-")[1]
    return {
        "DR": "deceptive_recruitment",
        "CR": "coercive_recruitment",
        "RV": "recruitment_abuse_of_vulnerability",
        "EC": "exploitative_conditions",
        "CD": "coercion_at_destination",
        "DV": "destination_abuse_of_vulnerability",
    }[abbreviation]


def everything_else(checklist: Checklist, *named: list[str]) -> list[str]:
    """Every code of the checklist not in the given lists: answer them "not observed"."""
    taken = {code for codes in named for code in codes}
    return [code for code in checklist.indicators if code not in taken]


# -- when a dimension is positive ----------------------------------------------------------


def positive_after(observed: list[str]) -> bool:
    result = assess(ADULT, observed)
    return result.dimensions[dim(observed[0])].positive


def test_two_strong_indicators_make_a_dimension_positive() -> None:
    result = assess(ADULT, ["AL-DR-01", "AL-DR-02"])
    dimension = result.dimensions["deceptive_recruitment"]
    assert dimension.positive
    assert (dimension.strong, dimension.medium, dimension.weak) == (2, 0, 0)
    assert dimension.clause == {"strong": 2}


def test_one_strong_and_one_medium_indicator_make_a_dimension_positive() -> None:
    assert positive_after(["AL-CR-01", "AL-CR-04"])


def test_one_strong_and_one_weak_indicator_make_a_dimension_positive() -> None:
    result = assess(ADULT, ["AL-CR-01", "AL-CR-07"])
    assert result.dimensions["coercive_recruitment"].positive
    assert result.dimensions["coercive_recruitment"].clause == {"strong": 1, "medium_or_weak": 1}


def test_three_medium_indicators_make_a_dimension_positive() -> None:
    result = assess(ADULT, ["AL-EC-04", "AL-EC-05", "AL-EC-06"])
    assert result.dimensions["exploitative_conditions"].positive
    assert result.dimensions["exploitative_conditions"].clause == {"medium": 3}


def test_two_medium_and_one_weak_indicator_make_a_dimension_positive() -> None:
    result = assess(ADULT, ["AL-DV-04", "AL-DV-05", "AL-DV-07"])
    assert result.dimensions["destination_abuse_of_vulnerability"].positive
    assert result.dimensions["destination_abuse_of_vulnerability"].clause == {
        "medium": 2,
        "weak": 1,
    }


def test_more_than_enough_indicators_keep_a_dimension_positive() -> None:
    assert positive_after(["AL-RV-01", "AL-RV-02", "AL-RV-03", "AL-RV-04", "AL-RV-07"])


@pytest.mark.parametrize(
    "observed",
    [
        pytest.param(["AL-DR-01"], id="one strong alone"),
        pytest.param(["AL-DR-04", "AL-DR-05"], id="two medium"),
        pytest.param(["AL-DR-04", "AL-DR-07", "AL-DR-08"], id="one medium and two weak"),
        pytest.param(["AL-DR-07", "AL-DR-08"], id="two weak"),
        pytest.param(["AL-DR-04"], id="one medium"),
    ],
)
def test_fewer_indicators_than_any_clause_asks_for_leave_a_dimension_negative(
    observed: list[str],
) -> None:
    assert not positive_after(observed)


def test_indicators_of_different_dimensions_do_not_add_up() -> None:
    result = assess(ADULT, ["AL-DR-01", "AL-CR-04"])
    assert result.positive_dimensions == ()
    assert result.dimensions["deceptive_recruitment"].indicators == ("AL-DR-01",)
    assert result.dimensions["coercive_recruitment"].indicators == ("AL-CR-04",)


def test_not_observed_and_declined_indicators_do_not_count() -> None:
    result = assess(ADULT, ["AL-DR-01"], not_observed=["AL-DR-02"], declined=["AL-DR-04"])
    assert not result.dimensions["deceptive_recruitment"].positive
    assert result.dimensions["deceptive_recruitment"].strong == 1
    assert result.declined == ("AL-DR-04",)


# -- the adult rule ------------------------------------------------------------------------

RECRUITMENT = {
    "deceptive_recruitment": ["AL-DR-01", "AL-DR-02"],
    "coercive_recruitment": ["AL-CR-01", "AL-CR-04"],
    "recruitment_abuse_of_vulnerability": ["AL-RV-04", "AL-RV-05", "AL-RV-06"],
}
EXPLOITATION = ["AL-EC-04", "AL-EC-05", "AL-EC-07"]
COERCION = {
    "coercion_at_destination": ["AL-CD-01", "AL-CD-07"],
    "destination_abuse_of_vulnerability": ["AL-DV-01", "AL-DV-02"],
}


@pytest.mark.parametrize("recruitment", list(RECRUITMENT))
@pytest.mark.parametrize("coercion", list(COERCION))
def test_an_adult_with_recruitment_exploitation_and_coercion_is_a_presumed_victim(
    recruitment: str, coercion: str
) -> None:
    result = assess(ADULT, RECRUITMENT[recruitment] + EXPLOITATION + COERCION[coercion])
    assert result.threshold_met
    assert result.outcome == "presumed_victim"
    assert set(result.positive_dimensions) == {recruitment, "exploitative_conditions", coercion}
    assert result.missing_groups == ()
    assert result.decisive == ()


def test_an_adult_without_coercion_at_destination_is_only_a_possible_victim() -> None:
    result = assess(ADULT, RECRUITMENT["deceptive_recruitment"] + EXPLOITATION)
    assert not result.threshold_met
    assert result.outcome == "possible_victim"
    assert result.missing_groups == (
        ("coercion_at_destination", "destination_abuse_of_vulnerability"),
    )


def test_an_adult_without_exploitative_conditions_is_only_a_possible_victim() -> None:
    result = assess(
        ADULT, RECRUITMENT["coercive_recruitment"] + COERCION["coercion_at_destination"]
    )
    assert result.outcome == "possible_victim"
    assert result.missing_groups == (("exploitative_conditions",),)


def test_an_adult_without_recruitment_is_only_a_possible_victim() -> None:
    result = assess(ADULT, EXPLOITATION + COERCION["destination_abuse_of_vulnerability"])
    assert result.outcome == "possible_victim"


def test_a_single_strong_indicator_makes_a_possible_victim() -> None:
    result = assess(ADULT, ["AL-EC-01"])
    assert result.positive_dimensions == ()
    assert result.outcome == "possible_victim"
    assert {
        "kind": "strong_indicator",
        "code": "AL-EC-01",
        "dimension": "exploitative_conditions",
    } in result.reasons


def test_a_positive_dimension_without_a_strong_indicator_makes_a_possible_victim() -> None:
    result = assess(ADULT, ["AL-RV-04", "AL-RV-05", "AL-RV-06"])
    assert result.strong_indicators == ()
    assert result.outcome == "possible_victim"


def test_medium_and_weak_indicators_below_every_clause_give_no_indication() -> None:
    observed = ["AL-DR-04", "AL-DR-05", "AL-CR-07", "AL-EC-04", "AL-EC-08"]
    result = assess(ADULT, observed, not_observed=everything_else(ADULT, observed))
    assert result.outcome == "no_indication"
    assert not result.threshold_met


def test_nothing_observed_gives_no_indication() -> None:
    result = assess(ADULT, [], not_observed=list(ADULT.indicators))
    assert result.outcome == "no_indication"
    assert result.enough_asked
    assert result.decisive == ()


# -- enough asked --------------------------------------------------------------------------


def test_nothing_asked_is_incomplete_never_no_indication() -> None:
    result = assess(ADULT, [])
    assert result.outcome == "incomplete"
    assert not result.enough_asked
    assert result.unasked_strong == 18
    assert result.untouched_dimensions == DIMENSIONS
    assert result.decisive[0] == "AL-DR-01"  # the strong indicators are asked first


def test_one_unasked_strong_indicator_keeps_the_outcome_incomplete() -> None:
    asked = everything_else(ADULT, ["AL-CD-02"])
    result = assess(ADULT, [], not_observed=asked)
    assert result.outcome == "incomplete"
    assert result.unasked_strong == 1
    assert result.untouched_dimensions == ()
    assert result.decisive == ("AL-CD-02",)


def test_a_dimension_without_an_answer_keeps_the_outcome_incomplete() -> None:
    answered = [c for c in everything_else(ADULT) if not c.startswith("AL-DV-")]
    declined = ["AL-DV-01", "AL-DV-02", "AL-DV-03"]  # its strong ones: put, but declined
    result = assess(ADULT, [], not_observed=answered, declined=declined)
    assert result.unasked_strong == 0
    assert result.outcome == "incomplete"
    assert result.untouched_dimensions == ("destination_abuse_of_vulnerability",)


def test_declined_strong_indicators_count_as_asked() -> None:
    strong = [c for c, i in ADULT.indicators.items() if i.strength == "strong"]
    one_per_dimension = [f"AL-{abbreviation}-04" for abbreviation in DIMENSION_CODES]
    result = assess(ADULT, [], not_observed=one_per_dimension, declined=strong)
    assert result.enough_asked
    assert result.outcome == "no_indication"


def test_a_dimension_whose_every_answer_was_declined_has_not_been_asked_about() -> None:
    strong = [c for c, i in ADULT.indicators.items() if i.strength == "strong"]
    others = [f"AL-{abbreviation}-04" for abbreviation in DIMENSION_CODES if abbreviation != "EC"]
    result = assess(ADULT, [], not_observed=others, declined=[*strong, "AL-EC-04"])
    assert not result.enough_asked
    assert result.untouched_dimensions == ("exploitative_conditions",)
    assert result.outcome == "incomplete"


def test_a_positive_finding_stands_on_a_partial_screening() -> None:
    assert assess(ADULT, ["AL-CD-01"]).outcome == "possible_victim"
    presumed = assess(
        ADULT, ["AL-DR-01", "AL-DR-02", "AL-EC-01", "AL-EC-02", "AL-CD-01", "AL-CD-02"]
    )
    assert presumed.outcome == "presumed_victim"
    assert not presumed.enough_asked


def test_with_the_form_unknown_both_lists_must_be_asked_enough() -> None:
    labour = LISTS["test-adult-labour"]
    asked_labour = list(labour.indicators)
    result = assess_person(
        LISTS, age_group="adult", form="unknown", observed=[], not_observed=asked_labour
    )
    assert result.outcome == "incomplete"
    assert not result.enough_asked
    assert result.to_dict()["enough_asked"] is False


# -- the child rule ------------------------------------------------------------------------


def test_a_child_meets_the_threshold_without_any_coercion() -> None:
    result = assess(CHILD, ["CL-DR-01", "CL-DR-02", "CL-EC-04", "CL-EC-05", "CL-EC-06"])
    assert result.threshold_met
    assert result.outcome == "presumed_victim"
    assert not result.dimensions["coercion_at_destination"].positive


def test_a_child_still_needs_exploitative_conditions() -> None:
    result = assess(CHILD, ["CL-DR-01", "CL-DR-02", "CL-CD-01", "CL-CD-02"])
    assert result.outcome == "possible_victim"
    assert result.missing_groups == (("exploitative_conditions",),)


def test_a_child_still_needs_a_recruitment_dimension() -> None:
    result = assess(CHILD, ["CL-EC-01", "CL-EC-02", "CL-DV-01", "CL-DV-02"])
    assert result.outcome == "possible_victim"


# -- choosing the lists for a person -------------------------------------------------------


def test_a_person_whose_age_is_unknown_but_may_be_a_child_is_assessed_as_a_child() -> None:
    result = assess_person(
        LISTS,
        age_group="unknown_maybe_child",
        form="labour",
        observed=["CL-DR-01", "CL-DR-02", "CL-EC-01", "CL-EC-04"],
    )
    assert result.assessed_as_child
    assert result.checklist == "test-child-labour"
    assert result.outcome == "presumed_victim"  # no coercion needed for a child
    assert result.age_note == AGE_NOTE == "age unknown, may be a child: assessed as a child"
    assert result.reasons[0] == {"kind": "age_note", "note": AGE_NOTE}
    assert result.to_dict()["age_note"] == AGE_NOTE


def test_a_child_is_assessed_with_the_child_list_without_an_age_note() -> None:
    result = assess_person(LISTS, age_group="child", form="sexual", observed=["CS-DR-01"])
    assert result.assessed_as_child
    assert result.checklist == "test-child-sexual"
    assert result.age_note is None
    assert result.other is None


@pytest.mark.parametrize("age_group", ["adult", "unknown"])
def test_an_adult_or_a_person_of_unknown_age_is_assessed_with_the_adult_list(
    age_group: str,
) -> None:
    result = assess_person(LISTS, age_group=age_group, form="labour", observed=["AL-DR-01"])
    assert not result.assessed_as_child
    assert result.checklist == "test-adult-labour"


def test_the_same_answers_give_a_child_a_stronger_result_than_an_adult() -> None:
    observed = ["DR-01", "DR-02", "EC-01", "EC-04"]
    adult = assess_person(
        LISTS, age_group="adult", form="labour", observed=[f"AL-{c}" for c in observed]
    )
    child = assess_person(
        LISTS, age_group="child", form="labour", observed=[f"CL-{c}" for c in observed]
    )
    assert (adult.outcome, child.outcome) == ("possible_victim", "presumed_victim")


def test_unknown_form_is_assessed_against_both_lists_and_the_stronger_result_stands() -> None:
    result = assess_person(
        LISTS,
        age_group="adult",
        form="unknown",
        observed=[
            "AL-DR-01",
            "AS-DR-01",
            "AS-DR-02",
            "AS-EC-01",
            "AS-EC-02",
            "AS-CD-01",
            "AS-CD-02",
        ],
        not_observed=["AL-EC-01"],
    )
    assert result.checklist == "test-adult-sexual"
    assert result.outcome == "presumed_victim"
    assert result.other is not None
    assert result.other.checklist == "test-adult-labour"
    assert result.other.outcome == "possible_victim"
    assert result.other.dimensions["deceptive_recruitment"].indicators == ("AL-DR-01",)
    form_note = next(r for r in result.reasons if r["kind"] == "form_unknown")
    assert form_note == {
        "kind": "form_unknown",
        "assessed_against": ["test-adult-labour", "test-adult-sexual"],
        "chosen": "test-adult-sexual",
        "other": {"checklist": "test-adult-labour", "outcome": "possible_victim"},
    }
    assert result.to_dict()["other"]["checklist"] == "test-adult-labour"


def test_on_equal_outcomes_more_positive_dimensions_win() -> None:
    result = assess_person(
        LISTS,
        age_group="adult",
        form="unknown",
        observed=["AL-DR-01", "AL-DR-02", "AS-DR-01", "AS-DR-02", "AS-CR-01", "AS-CR-02"],
    )
    assert result.outcome == result.other.outcome == "possible_victim"  # type: ignore[union-attr]
    assert result.checklist == "test-adult-sexual"


def test_on_equal_outcomes_and_dimensions_more_strong_indicators_win() -> None:
    result = assess_person(
        LISTS,
        age_group="adult",
        form="unknown",
        observed=["AL-DR-04", "AL-DR-05", "AL-DR-06", "AS-DR-01", "AS-DR-04"],
    )
    assert result.checklist == "test-adult-sexual"


def test_on_a_full_tie_the_labour_list_stands() -> None:
    result = assess_person(LISTS, age_group="adult", form="unknown", observed=[])
    assert result.checklist == "test-adult-labour"


def test_a_known_form_does_not_accept_codes_of_the_other_form() -> None:
    with pytest.raises(UnknownIndicator, match="AS-DR-01"):
        assess_person(LISTS, age_group="adult", form="labour", observed=["AS-DR-01"])


def test_a_code_known_to_no_considered_list_is_an_error() -> None:
    with pytest.raises(UnknownIndicator, match="CL-DR-01"):
        assess_person(LISTS, age_group="adult", form="unknown", observed=["CL-DR-01"])


def test_a_missing_list_is_an_error() -> None:
    only_adult = {"test-adult-labour": LISTS["test-adult-labour"]}
    with pytest.raises(MissingChecklist) as caught:
        assess_person(only_adult, age_group="child", form="labour", observed=[])
    assert str(caught.value) == "no checklist for child labour exploitation"


def _adult_labour(checklist_id: str) -> Checklist:
    return Checklist.from_dict(make_checklist_data(SMALL_GRADES, checklist_id=checklist_id))


def test_of_two_lists_for_the_same_people_and_form_the_ilo_list_is_used() -> None:
    lists = {name: _adult_labour(name) for name in ("kz-adult-labour", "ilo-adult-labour")}
    result = assess_person(lists, age_group="adult", form="labour", observed=["AL-DR-01"])
    assert result.checklist == "ilo-adult-labour"


def test_two_lists_for_the_same_people_and_form_without_the_ilo_one_are_an_error() -> None:
    lists = {name: _adult_labour(name) for name in ("kz-b-labour", "kz-a-labour")}
    with pytest.raises(MissingChecklist) as caught:
        assess_person(lists, age_group="adult", form="labour", observed=[])
    assert str(caught.value) == (
        "more than one checklist for adult labour exploitation: kz-a-labour, kz-b-labour"
    )


def test_an_unknown_age_group_or_form_is_an_error() -> None:
    with pytest.raises(AssessmentError) as age:
        assess_person(LISTS, age_group="elderly", form="labour", observed=[])
    assert str(age.value) == (
        "age_group must be one of adult, child, unknown_maybe_child, unknown, not 'elderly'"
    )
    with pytest.raises(AssessmentError) as form:
        assess_person(LISTS, age_group="adult", form="begging", observed=[])
    assert str(form.value) == "form must be one of labour, sexual, unknown, not 'begging'"


@pytest.mark.parametrize("name", ["observed", "not_observed", "declined"])
def test_an_error_in_a_persons_answers_names_the_list(name: str) -> None:
    with pytest.raises(InvalidAnswers) as caught:
        assess_person(LISTS, age_group="adult", form="labour", **{"observed": [], name: "AL"})
    assert str(caught.value) == f"{name} must be a list of indicator codes, not a single string"
    with pytest.raises(InvalidAnswers) as numbers:
        assess_person(LISTS, age_group="adult", form="labour", **{"observed": [], name: [7]})
    assert str(numbers.value) == f"{name} must be a list of indicator codes (strings)"
    with pytest.raises(UnknownIndicator) as unknown:
        assess_person(LISTS, age_group="adult", form="unknown", **{"observed": [], name: ["X"]})
    assert str(unknown.value) == (
        "unknown indicator code for checklist test-adult-labour or checklist test-adult-sexual: X"
    )


def test_with_the_form_unknown_the_json_says_what_both_lists_still_need() -> None:
    # Everything on the labour list was asked, nothing on the sexual one: the result that
    # stands must not report "enough asked" for the person.
    labour = sorted(LISTS["test-child-labour"].codes - {"CL-DR-01"})
    combined = assess_person(
        LISTS,
        age_group="unknown_maybe_child",
        form="unknown",
        observed=["CL-DR-01"],
        not_observed=labour,
    )
    # The labour list stands (a strong indicator observed) and was asked in full.
    assert combined.checklist == "test-child-labour" and combined.assessment.enough_asked
    assert combined.other is not None
    result = combined.to_dict()
    assert result["enough_asked"] is False
    assert result["unasked_strong"] == sum(r.unasked_strong for r in combined.lists) > 0
    assert result["untouched_dimensions"] == list(combined.untouched_dimensions)
    assert result["untouched_dimensions"]  # the sexual list's dimensions were never asked
    assert (result["age_group"], result["form"]) == ("unknown_maybe_child", "unknown")
    assert result["age_note"] == AGE_NOTE


def test_a_persons_result_as_json_carries_how_it_was_reached() -> None:
    # The API, the offline sync and the stored screening read these keys.
    result = assess_person(
        LISTS, age_group="unknown_maybe_child", form="labour", observed=["CL-DR-01"]
    ).to_dict()
    assert result["enough_asked"] is False
    assert result["unasked_strong"] > 0
    assert "exploitative_conditions" in result["untouched_dimensions"]
    assert result["reasons"][0] == {"kind": "age_note", "note": AGE_NOTE}
    assert (result["age_group"], result["form"]) == ("unknown_maybe_child", "labour")
    assert result["assessed_as_child"] is True
    assert result["age_note"] == AGE_NOTE
    assert result["other"] is None


# -- decisive questions --------------------------------------------------------------------


def test_with_nothing_known_yet_strong_indicators_are_asked_first() -> None:
    result = assess(ADULT, [], limit=100)
    strong = [c for c in ADULT.indicators if ADULT.indicators[c].strength == "strong"]
    medium = [c for c in ADULT.indicators if ADULT.indicators[c].strength == "medium"]
    weak = [c for c in ADULT.indicators if ADULT.indicators[c].strength == "weak"]
    # A strong indicator alone makes a possible victim; three medium, or two medium and a weak,
    # make a dimension positive.
    assert result.decisive == tuple(strong + medium + weak)
    assert result.decisive_k == (1,) * len(strong) + (3,) * (len(medium) + len(weak))


def test_decisive_questions_are_capped_at_the_limit() -> None:
    assert len(assess(ADULT, []).decisive) == 10
    assert assess(ADULT, [], limit=3).decisive == ("AL-DR-01", "AL-DR-02", "AL-DR-03")
    assert assess(ADULT, [], limit=0).decisive == ()


def test_a_medium_indicator_is_not_decisive_when_only_a_strong_one_could_tip_the_balance() -> None:
    # Only AL-DR-01 (strong) and AL-DR-04 (medium) are unknown: observing the medium one helps
    # only together with the strong one, which alone already makes a possible victim.
    unknown = ["AL-DR-01", "AL-DR-04"]
    result = assess(ADULT, [], not_observed=everything_else(ADULT, unknown))
    assert result.decisive == ("AL-DR-01",)
    assert result.decisive_k == (1,)


def test_with_two_medium_indicators_observed_the_third_is_decisive() -> None:
    observed = ["AL-EC-04", "AL-EC-05"]
    unknown = ["AL-EC-06", "AL-EC-07", "AL-DR-04"]
    result = assess(ADULT, observed, not_observed=everything_else(ADULT, observed, unknown))
    assert result.outcome == "no_indication"
    assert result.decisive == ("AL-EC-06", "AL-EC-07")
    assert result.decisive_k == (1, 1)


def test_when_one_threshold_group_is_missing_its_indicators_are_decisive() -> None:
    observed = ["AL-DR-01", "AL-DR-02", "AL-EC-01", "AL-EC-02", "AL-CD-04"]
    unknown = [f"AL-CD-0{n}" for n in (1, 2, 3, 5, 6, 7, 8)] + [f"AL-DV-0{n}" for n in range(1, 9)]
    unknown += ["AL-CR-01", "AL-EC-03"]  # dimensions or groups already positive
    result = assess(
        ADULT, observed, not_observed=everything_else(ADULT, observed, unknown), limit=100
    )
    assert result.outcome == "possible_victim"
    assert list(zip(result.decisive, result.decisive_k, strict=True)) == [
        # one strong next to the observed medium makes coercion at destination positive
        ("AL-CD-01", 1),
        ("AL-CD-02", 1),
        ("AL-CD-03", 1),
        # a destination-vulnerability indicator needs one more: a strong one needs any, a medium
        # or weak one needs a strong; a second medium at destination needs a third medium or a
        # weak; a weak one needs a second medium. Strong before medium before weak, then in
        # checklist order.
        ("AL-DV-01", 2),
        ("AL-DV-02", 2),
        ("AL-DV-03", 2),
        ("AL-CD-05", 2),
        ("AL-CD-06", 2),
        ("AL-DV-04", 2),
        ("AL-DV-05", 2),
        ("AL-DV-06", 2),
        ("AL-CD-07", 2),
        ("AL-CD-08", 2),
        ("AL-DV-07", 2),
        ("AL-DV-08", 2),
    ]


def test_when_two_groups_are_missing_their_costs_add_up() -> None:
    # Recruitment is positive; exploitation has one medium; coercion at destination one strong.
    observed = ["AL-DR-01", "AL-DR-02", "AL-EC-04", "AL-CD-01"]
    unknown = ["AL-EC-01", "AL-EC-05", "AL-EC-06", "AL-EC-07", "AL-CD-04", "AL-CD-07"]
    result = assess(
        ADULT, observed, not_observed=everything_else(ADULT, observed, unknown), limit=100
    )
    assert list(zip(result.decisive, result.decisive_k, strict=True)) == [
        # exploitation needs 1 (a strong) and coercion 1 (any): 2 in all
        ("AL-EC-01", 2),
        ("AL-CD-04", 2),
        ("AL-CD-07", 2),
        # a medium or weak exploitation indicator: 2 for exploitation, 1 for coercion
        ("AL-EC-05", 3),
        ("AL-EC-06", 3),
        ("AL-EC-07", 3),
    ]


def test_declined_and_answered_indicators_are_not_asked_again() -> None:
    result = assess(
        ADULT, ["AL-DR-04"], not_observed=["AL-DR-01"], declined=["AL-DR-02"], limit=100
    )
    assert not {"AL-DR-01", "AL-DR-02", "AL-DR-04"} & set(result.decisive)
    assert result.decisive[0] == "AL-DR-03"


def test_a_presumed_victim_has_no_decisive_questions() -> None:
    result = assess(
        ADULT,
        RECRUITMENT["deceptive_recruitment"] + EXPLOITATION + COERCION["coercion_at_destination"],
    )
    assert result.decisive == ()
    assert not any(r["kind"] == "decisive_question" for r in result.reasons)


def test_a_child_list_asks_nothing_about_coercion_at_destination_for_the_threshold() -> None:
    result = assess(CHILD, ["CL-DR-01", "CL-DR-02", "CL-EC-04"], limit=100)
    assert result.outcome == "possible_victim"
    assert {dim(code) for code in result.decisive} == {"exploitative_conditions"}


# -- explanation and output ----------------------------------------------------------------


def test_the_result_explains_itself_indicator_by_indicator() -> None:
    result = assess(ADULT, ["AL-DR-01", "AL-DR-07", "AL-EC-04"], declined=["AL-CD-01"], limit=1)
    assert result.reasons == [
        {"kind": "strong_indicator", "code": "AL-DR-01", "dimension": "deceptive_recruitment"},
        {
            "kind": "dimension_positive",
            "dimension": "deceptive_recruitment",
            "clause": {"strong": 1, "medium_or_weak": 1},
            "indicators": ["AL-DR-01", "AL-DR-07"],
        },
        {
            "kind": "threshold_not_met",
            "missing_groups": [
                ["exploitative_conditions"],
                ["coercion_at_destination", "destination_abuse_of_vulnerability"],
            ],
        },
        {"kind": "declined", "codes": ["AL-CD-01"]},
        {
            "kind": "not_enough_asked",
            "unasked_strong": 16,
            "untouched_dimensions": [
                "coercive_recruitment",
                "recruitment_abuse_of_vulnerability",
                "coercion_at_destination",
                "destination_abuse_of_vulnerability",
            ],
        },
        {"kind": "outcome", "outcome": "possible_victim", "basis": "dimension_positive"},
        {"kind": "decisive_question", "code": result.decisive[0], "k": result.decisive_k[0]},
    ]


def test_to_dict_has_the_documented_shape() -> None:
    result = assess(ADULT, ["AL-DR-01", "AL-DR-02"]).to_dict()
    assert set(result) == {
        "outcome",
        "threshold_met",
        "enough_asked",
        "unasked_strong",
        "untouched_dimensions",
        "dimensions",
        "decisive",
        "checklist",
        "version",
        "indicators",
        "reasons",
    }
    assert list(result["dimensions"]) == list(DIMENSIONS)
    assert result["dimensions"]["deceptive_recruitment"] == {
        "positive": True,
        "strong": 2,
        "medium": 0,
        "weak": 0,
    }
    assert result["indicators"]["deceptive_recruitment"] == ["AL-DR-01", "AL-DR-02"]
    assert result["checklist"] == "test-adult-labour"
    assert result["version"] == 1
    assert isinstance(result["decisive"], list)


def test_the_result_keeps_the_checklist_version() -> None:
    data = make_checklist_data(SMALL_GRADES, version=7)
    assert assess(Checklist.from_dict(data), []).version == 7


# -- errors --------------------------------------------------------------------------------


def test_an_unknown_code_is_an_error() -> None:
    with pytest.raises(UnknownIndicator, match=r"unknown indicator code .*AL-XX-99") as caught:
        assess(ADULT, ["AL-DR-01", "AL-XX-99"])
    assert isinstance(caught.value, ValueError)
    assert caught.value.codes == ("AL-XX-99",)


def test_a_code_both_observed_and_not_observed_is_an_error() -> None:
    with pytest.raises(ConflictingAnswer, match="both observed and not observed: AL-DR-01"):
        assess(ADULT, ["AL-DR-01"], not_observed=["AL-DR-01"])


def test_a_code_both_observed_and_declined_is_an_error() -> None:
    with pytest.raises(ConflictingAnswer, match="observed and declined"):
        assess(ADULT, ["AL-DR-01"], declined=["AL-DR-01"])


@pytest.mark.parametrize(
    ("first", "second", "words"),
    [
        ("observed", "not_observed", "observed and not observed"),
        ("observed", "declined", "observed and declined"),
        ("not_observed", "declined", "not observed and declined"),
    ],
)
def test_a_code_given_two_answers_is_named_with_both_answers(
    first: str, second: str, words: str
) -> None:
    answers = {"observed": [], first: ["AL-DR-01", "AL-DR-02"], second: ["AL-DR-02", "AL-DR-03"]}
    with pytest.raises(ConflictingAnswer) as caught:
        assess(ADULT, **answers)
    assert str(caught.value) == f"indicator both {words}: AL-DR-02"
    assert caught.value.codes == ("AL-DR-02",)


def test_declined_codes_are_listed_in_checklist_order() -> None:
    result = assess(ADULT, [], declined=["AL-EC-02", "AL-CR-01", "AL-DR-03"])
    assert result.declined == ("AL-DR-03", "AL-CR-01", "AL-EC-02")


def test_a_dimension_that_is_not_positive_names_no_clause() -> None:
    result = assess(ADULT, ["AL-DR-01", "AL-EC-07"])
    assert result.dimensions["deceptive_recruitment"].clause is None
    assert result.dimensions["exploitative_conditions"].clause is None
    assert result.dimensions["coercive_recruitment"].clause is None


def test_a_limit_of_zero_or_less_asks_no_decisive_question() -> None:
    assert assess(ADULT, [], limit=3).decisive  # there are questions to ask
    assert assess(ADULT, [], limit=0).decisive == ()
    assert assess(ADULT, [], limit=-1).decisive == ()


def test_a_single_string_instead_of_a_list_is_an_error() -> None:
    with pytest.raises(InvalidAnswers, match="not a single string"):
        assess(ADULT, "AL-DR-01")


def test_codes_that_are_not_strings_are_an_error() -> None:
    with pytest.raises(InvalidAnswers, match="strings"):
        assess(ADULT, [1, 2])  # type: ignore[list-item]
    with pytest.raises(InvalidAnswers, match="strings"):
        assess(ADULT, [["AL-DR-01"]])  # type: ignore[list-item]


@pytest.mark.parametrize("name", ["observed", "not_observed", "declined"])
def test_an_error_in_a_list_of_answers_names_that_list(name: str) -> None:
    # The API and the command pass these messages on: the caller must learn which list is wrong.
    with pytest.raises(InvalidAnswers) as single:
        assess(ADULT, **{"observed": [], name: "AL-DR-01"})
    assert str(single.value) == f"{name} must be a list of indicator codes, not a single string"
    with pytest.raises(InvalidAnswers) as unhashable:
        assess(ADULT, **{"observed": [], name: [["AL-DR-01"]]})
    assert str(unhashable.value) == f"{name} must be a list of indicator codes (strings)"
    with pytest.raises(InvalidAnswers) as numbers:
        assess(ADULT, **{"observed": [], name: [7]})
    assert str(numbers.value) == f"{name} must be a list of indicator codes (strings)"
    with pytest.raises(UnknownIndicator) as unknown:
        assess(ADULT, **{"observed": [], name: ["AL-XX-99"]})
    assert str(unknown.value) == f"unknown indicator code for checklist {ADULT.id}: AL-XX-99"


def test_repeated_codes_count_once() -> None:
    assert assess(ADULT, ["AL-DR-01", "AL-DR-01"]).dimensions["deceptive_recruitment"].strong == 1


# -- validation ----------------------------------------------------------------------------


def test_a_well_formed_checklist_has_no_problems() -> None:
    assert validate_checklist(make_checklist_data(SMALL_GRADES)) == []


def test_validation_finds_duplicate_codes_unknown_dimensions_and_bad_strengths() -> None:
    data = make_checklist_data(SMALL_GRADES)
    data["indicators"][1]["code"] = data["indicators"][0]["code"]
    data["indicators"][2]["dimension"] = "begging"
    data["indicators"][3]["strength"] = "very strong"
    data["indicators"][4]["code"] = 'AL "DR" 05'
    problems = validate_checklist(data)
    assert "indicator code 'AL \"DR\" 05' may use only letters, digits, - _ and ." in problems
    assert "indicator code AL-DR-01 is used twice" in problems
    assert any("unknown dimension 'begging'" in p for p in problems)
    assert any("'very strong'" in p for p in problems)
    with pytest.raises(InvalidChecklist):
        Checklist.from_dict(data)


def test_validation_finds_missing_translations() -> None:
    data = make_checklist_data(SMALL_GRADES)
    del data["title"]["kk"]
    data["dimensions"][0]["label"]["ru"] = " "
    data["indicators"][0]["prompt"]["en"] = ""
    del data["indicators"][1]["label"]
    problems = validate_checklist(data)
    assert "title has no kk text" in problems
    assert "dimension 'deceptive_recruitment' label has no ru text" in problems
    assert "indicator AL-DR-01 prompt has no en text" in problems
    assert "indicator AL-DR-02 label must be an object with kk, ru and en texts" in problems


def test_validation_requires_the_six_dimensions_in_order() -> None:
    data = make_checklist_data(SMALL_GRADES)
    data["dimensions"].reverse()
    assert any("six ILO dimensions in order" in p for p in validate_checklist(data))
    data["dimensions"].append({"key": "begging", "label": {}})
    assert any("unknown key 'begging'" in p for p in validate_checklist(data))


def test_validation_checks_the_rule() -> None:
    data = make_checklist_data(SMALL_GRADES)
    data["rule"]["dimension_positive"].append({"strong": -1})
    data["rule"]["dimension_positive"].append({"many": 2})
    data["rule"]["threshold"].append(["begging"])
    data["rule"]["threshold"].append(["exploitative_conditions"])
    problems = validate_checklist(data)
    assert "rule.dimension_positive clause 5: strong must be a whole number >= 0" in problems
    assert "rule.dimension_positive clause 6 has unknown key 'many'" in problems
    assert "rule.threshold group 4 names unknown dimension 'begging'" in problems
    assert any("more than one group" in p for p in problems)
    data["rule"] = {"dimension_positive": [], "threshold": []}
    problems = validate_checklist(data)
    assert "rule.dimension_positive must be a non-empty list of clauses" in problems
    assert "rule.threshold must be a non-empty list of groups of dimensions" in problems


def test_validation_names_every_problem_of_every_clause_and_group() -> None:
    # A national administrator's spreadsheet is refused with each problem spelt out (issue 18).
    data = make_checklist_data(SMALL_GRADES)
    data["rule"] = {
        "dimension_positive": [
            {},
            "two strong",
            {"strong": 0},
            {"strong": 1, "medium": True},
            {"weak": 1.5, "medium_or_weak": 1},
            {"medium": 2},
        ],
        "threshold": [
            ["deceptive_recruitment"],
            [],
            "exploitative_conditions",
            ["begging", "deceptive_recruitment", "coercion_at_destination"],
        ],
    }
    assert validate_checklist(data) == [
        "rule.dimension_positive clause 1 must be a non-empty object",
        "rule.dimension_positive clause 2 must be a non-empty object",
        "rule.dimension_positive clause 3 requires nothing: every dimension would be positive",
        "rule.dimension_positive clause 4: medium must be a whole number >= 0",
        "rule.dimension_positive clause 5: weak must be a whole number >= 0",
        "rule.threshold group 2 must be a non-empty list of dimension keys",
        "rule.threshold group 3 must be a non-empty list of dimension keys",
        "rule.threshold group 4 names unknown dimension 'begging'",
        "rule.threshold group 4: dimension 'deceptive_recruitment' is in more than one group",
    ]
    lacking = make_checklist_data(SMALL_GRADES)
    lacking["dimensions"].pop()  # destination_abuse_of_vulnerability, named in the threshold
    assert (
        "rule.threshold group 3 names dimension 'destination_abuse_of_vulnerability'"
        " that the checklist lacks"
    ) in validate_checklist(lacking)
    data["rule"] = ["dimension_positive", "threshold"]
    assert validate_checklist(data) == [
        "rule must be an object with dimension_positive and threshold"
    ]


def test_validation_names_every_problem_of_every_dimension_and_indicator_in_order() -> None:
    data = make_checklist_data(SMALL_GRADES)
    data["source"] = 7
    first, second = data["dimensions"][0], data["dimensions"][1]
    data["dimensions"] = [first, "coercive", {"key": "begging"}, first, second, "x"]
    good = data["indicators"][0]
    data["indicators"] = [
        "AL-DR-01",
        {**good, "code": " ", "dimension": "x"},
        {**good, "code": "AL DR 02", "dimension": "begging", "strength": "decisive"},
        {**good, "code": "AL-DR-01"},
        {**good, "code": "AL-DR-01", "dimension": "exploitative_conditions", "source": 3},
        {**good, "code": "AL-DR-09", "label": {"kk": "", "ru": "r", "en": "e"}, "prompt": "?"},
    ]
    assert validate_checklist(data) == [
        "source must be a string",
        "dimension 2 must be an object with key and label",
        "dimension 3 has unknown key 'begging'",
        "dimension 'deceptive_recruitment' is listed twice",
        "dimension 6 must be an object with key and label",
        "dimensions must be the six ILO dimensions in order: deceptive_recruitment, "
        "coercive_recruitment, recruitment_abuse_of_vulnerability, exploitative_conditions, "
        "coercion_at_destination, destination_abuse_of_vulnerability",
        "indicator 1 must be an object",
        "indicator 2 has no code",
        "indicator 2 has unknown dimension 'x'",
        "indicator code 'AL DR 02' may use only letters, digits, - _ and .",
        "indicator AL DR 02 has unknown dimension 'begging'",
        "indicator AL DR 02 has strength 'decisive', not strong/medium/weak",
        "indicator code AL-DR-01 is used twice",  # the fifth; the fourth was its first use
        "indicator AL-DR-01 is in dimension 'exploitative_conditions' that the checklist lacks",
        "indicator AL-DR-01 source must be a string",
        "indicator AL-DR-09 label has no kk text",
        "indicator AL-DR-09 prompt must be an object with kk, ru and en texts",
        "rule.threshold group 1 names dimension 'recruitment_abuse_of_vulnerability'"
        " that the checklist lacks",
        "rule.threshold group 2 names dimension 'exploitative_conditions' that the checklist lacks",
        "rule.threshold group 3 names dimension 'coercion_at_destination' that the checklist lacks",
        "rule.threshold group 3 names dimension 'destination_abuse_of_vulnerability'"
        " that the checklist lacks",
    ]
    data["dimensions"] = {"deceptive_recruitment": first}
    data["indicators"] = []
    problems = validate_checklist(data)
    assert problems[1:3] == ["dimensions must be a list", problems[2]]
    assert "indicators must be a non-empty list" in problems


def test_validation_checks_the_header() -> None:
    problems = validate_checklist({"id": "", "version": 0, "population": "elderly", "form": "x"})
    assert "id must be a non-empty string" in problems
    assert "version must be a whole number >= 1" in problems
    assert "population must be 'adult' or 'child'" in problems
    assert "form must be 'labour' or 'sexual'" in problems
    assert validate_checklist([]) == ["a checklist must be a JSON object"]
    for version in (True, "2", 1.0):
        data = make_checklist_data(SMALL_GRADES)
        data["version"] = version
        assert validate_checklist(data) == ["version must be a whole number >= 1"]


def test_an_error_names_every_offending_code_in_order() -> None:
    with pytest.raises(UnknownIndicator) as unknown:
        assess(ADULT, ["AL-XX-99", "AL-DR-01", "AL-XX-98"])
    assert str(unknown.value).startswith("unknown indicator codes for ")
    assert str(unknown.value).endswith(": AL-XX-98, AL-XX-99")
    with pytest.raises(ConflictingAnswer) as conflicting:
        assess(ADULT, ["AL-DR-02", "AL-DR-01"], not_observed=["AL-DR-01", "AL-DR-02"])
    assert str(conflicting.value) == "indicator both observed and not observed: AL-DR-01, AL-DR-02"


def test_an_invalid_checklist_error_carries_its_id_and_every_problem() -> None:
    data = make_checklist_data(SMALL_GRADES)
    data["indicators"][1]["code"] = data["indicators"][0]["code"]
    data["indicators"][2]["dimension"] = "begging"
    problems = validate_checklist(data)
    assert len(problems) >= 2

    with pytest.raises(InvalidChecklist) as caught:
        Checklist.from_dict(data)

    assert caught.value.checklist_id == data["id"]
    assert caught.value.problems == problems
    assert str(caught.value) == f"checklist {data['id']!r} is invalid: " + "; ".join(problems)


# -- checklists as data (a national list imported from a spreadsheet, issue 18) -----------------


def test_a_rule_of_a_single_clause_is_applied() -> None:
    # A national list may say a dimension is positive in one way only.
    data = make_checklist_data(SMALL_GRADES)
    data["rule"]["dimension_positive"] = [{"medium": 2}]
    checklist = Checklist.from_dict(data)

    two = assess(checklist, ["AL-DR-04", "AL-DR-05"]).dimensions["deceptive_recruitment"]
    assert two.positive and two.clause == {"medium": 2}
    strong = assess(checklist, ["AL-DR-01", "AL-DR-02"]).dimensions["deceptive_recruitment"]
    assert not strong.positive  # two strong ones meet no clause of this rule


def test_a_checklist_may_list_its_indicators_with_the_dimensions_interleaved() -> None:
    # A spreadsheet need not keep each dimension's indicators together: every dimension still
    # gets its own observed codes, in the checklist's order.
    data = make_checklist_data(SMALL_GRADES)
    by_dimension: dict[str, list[dict[str, object]]] = {}
    for indicator in data["indicators"]:
        by_dimension.setdefault(str(indicator["dimension"]), []).append(indicator)
    data["indicators"] = [
        indicator for row in zip(*by_dimension.values(), strict=True) for indicator in row
    ]
    checklist = Checklist.from_dict(data)
    observed = ["AL-EC-04", "AL-DR-07", "AL-EC-01", "AL-DR-01", "AL-CR-05", "AL-CR-01"]

    result = assess(checklist, observed)

    assert result.dimensions["deceptive_recruitment"].indicators == ("AL-DR-01", "AL-DR-07")
    assert result.dimensions["coercive_recruitment"].indicators == ("AL-CR-01", "AL-CR-05")
    assert result.dimensions["exploitative_conditions"].indicators == ("AL-EC-01", "AL-EC-04")
    assert result.strong_indicators == ("AL-DR-01", "AL-CR-01", "AL-EC-01")


def _with_rule(*clauses: dict[str, int]) -> Checklist:
    data = make_checklist_data(SMALL_GRADES)
    data["rule"]["dimension_positive"] = [dict(clause) for clause in clauses]
    return Checklist.from_dict(data)


def test_under_another_rule_a_question_is_decisive_only_where_its_answer_is_needed() -> None:
    # Rule: one strong indicator, or three medium ones; weak indicators never count. The
    # recruitment and exploitation groups are met; coercion at destination is missing.
    checklist = _with_rule({"strong": 1}, {"medium": 3})
    result = assess(checklist, ["AL-DR-01", "AL-EC-01"], limit=50)
    assert result.outcome == "possible_victim"
    k = dict(zip(result.decisive, result.decisive_k, strict=True))
    for dimension in ("CD", "DV"):
        assert [k.get(f"AL-{dimension}-{n:02d}") for n in range(1, 9)] == [
            1, 1, 1,  # one strong indicator completes the threshold
            3, 3, 3,  # a medium one is needed only in a set of three medium ones
            None, None,  # a weak one is never needed
        ]  # fmt: skip


def test_under_a_rule_of_medium_indicators_only_no_other_question_is_decisive() -> None:
    checklist = _with_rule({"medium": 2})
    result = assess(checklist, ["AL-DR-04", "AL-DR-05", "AL-EC-04", "AL-EC-05"], limit=50)
    assert result.outcome == "possible_victim"
    k = dict(zip(result.decisive, result.decisive_k, strict=True))
    assert k == {f"AL-{d}-{n:02d}": 2 for d in ("CD", "DV") for n in (4, 5, 6)}


def test_under_another_rule_a_strong_question_is_not_decisive_when_no_set_needs_it() -> None:
    # Rule: two medium indicators, or two strong ones. At destination one strong indicator is
    # left unknown and one medium is observed: that strong one can never be needed.
    checklist = _with_rule({"medium": 2}, {"strong": 2})
    answers = ["AL-DR-04", "AL-DR-05", "AL-EC-04", "AL-EC-05", "AL-CD-04"]
    result = assess(checklist, answers, not_observed=["AL-CD-02", "AL-CD-03"], limit=50)
    k = dict(zip(result.decisive, result.decisive_k, strict=True))
    assert "AL-CD-01" not in k
    assert (k["AL-CD-05"], k["AL-CD-06"]) == (1, 1)
    assert (k["AL-DV-01"], k["AL-DV-04"]) == (2, 2)


def test_a_checklist_that_is_not_an_object_is_refused_as_invalid() -> None:
    with pytest.raises(InvalidChecklist) as caught:
        Checklist.from_dict([])  # type: ignore[arg-type]
    assert caught.value.problems == ["a checklist must be a JSON object"]


def test_a_checklist_keeps_its_title_in_the_three_languages() -> None:
    data = make_checklist_data(SMALL_GRADES, checklist_id="national-adult-labour")
    assert Checklist.from_dict(data).title == {
        "kk": "test checklist national-adult-labour (kk)",
        "ru": "test checklist national-adult-labour (ru)",
        "en": "test checklist national-adult-labour",
    }
