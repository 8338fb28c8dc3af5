"""A child is assessed with the child lists that tanu ships, through the catalogue: recruitment
and exploitative conditions are enough (no means, no coercion: CETS 197 Art. 4(c)); an adult with
the same findings is not presumed a victim without coercion or abuse at destination."""

from __future__ import annotations

import pytest

from tanu.accounts.tests.personas import Personas
from tanu.identification import actions, catalogue
from tanu.identification.checklist_files import load_all_data
from tanu.identification.models import Screening

pytestmark = pytest.mark.django_db

RECRUITMENT = "deceptive_recruitment"
CONDITIONS = "exploitative_conditions"
COERCION = ("coercion_at_destination", "destination_abuse_of_vulnerability", "coercive_recruitment")


def medium_codes(checklist_id: str, dimension: str, n: int = 3) -> list[str]:
    """n medium indicators of a dimension in the shipped file (three make it positive)."""
    data = load_all_data()[checklist_id]
    codes = [
        i["code"]
        for i in data["indicators"]
        if i["dimension"] == dimension and i["strength"] == "medium"
    ]
    assert len(codes) >= n, (checklist_id, dimension)
    return codes[:n]


def recruited_and_exploited(population: str, form: str) -> dict[str, str]:
    """Recruitment and exploitative conditions observed; every coercion question answered no."""
    checklist_id = f"ilo-{population}-{form}"
    answers = {
        code: "observed"
        for dimension in (RECRUITMENT, CONDITIONS)
        for code in medium_codes(checklist_id, dimension)
    }
    for dimension in COERCION:
        for code in medium_codes(checklist_id, dimension, n=2):
            answers[code] = "not_observed"
    return answers


def screen(personas: Personas, age_group: str, form: str, answers: dict[str, str]) -> Screening:
    return actions.do_start_screening(
        actor=personas.screener,
        context={
            "place": "patrol",
            "interview_language": "ru",
            "age_group": age_group,
            "age_years": {"child": 15, "adult": 30}.get(age_group),
            "form": form,
        },
        answers=answers,
    )


@pytest.mark.parametrize("form", ["labour", "sexual"])
def test_a_child_recruited_and_exploited_is_presumed_a_victim_without_coercion(
    personas: Personas, form: str
) -> None:
    screening = screen(personas, "child", form, recruited_and_exploited("child", form))

    assert screening.outcome == "presumed_victim"
    assert screening.threshold_met is True
    assert screening.result["checklist"] == f"ilo-child-{form}"
    version = catalogue.current_versions()[f"ilo-child-{form}"]
    assert version.data == load_all_data()[f"ilo-child-{form}"]


@pytest.mark.parametrize("form", ["labour", "sexual"])
def test_an_adult_with_the_same_findings_is_not_presumed_a_victim(
    personas: Personas, form: str
) -> None:
    screening = screen(personas, "adult", form, recruited_and_exploited("adult", form))

    assert screening.outcome == "possible_victim"
    assert screening.threshold_met is False
    assert screening.result["checklist"] == f"ilo-adult-{form}"


def test_an_adult_is_presumed_a_victim_once_coercion_at_destination_is_found(
    personas: Personas,
) -> None:
    answers = recruited_and_exploited("adult", "labour")
    for code in medium_codes("ilo-adult-labour", "coercion_at_destination"):
        answers[code] = "observed"

    screening = screen(personas, "adult", "labour", answers)

    assert screening.outcome == "presumed_victim"


def test_a_person_who_may_be_a_child_is_assessed_with_the_child_lists(
    personas: Personas,
) -> None:
    screening = screen(
        personas, "unknown_maybe_child", "labour", recruited_and_exploited("child", "labour")
    )

    assert screening.outcome == "presumed_victim"
    assert screening.result["checklist"] == "ilo-child-labour"
