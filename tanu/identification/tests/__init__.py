"""Tests of the identification app; fixture checklists shared by the test modules."""

from __future__ import annotations

from typing import Any

DIMENSION_ABBREVIATIONS = {
    "deceptive_recruitment": "DR",
    "coercive_recruitment": "CR",
    "recruitment_abuse_of_vulnerability": "RV",
    "exploitative_conditions": "EC",
    "coercion_at_destination": "CD",
    "destination_abuse_of_vulnerability": "DV",
}
DESIGN_RULE_CLAUSES: list[dict[str, int]] = [
    {"strong": 2},
    {"strong": 1, "medium_or_weak": 1},
    {"medium": 3},
    {"medium": 2, "weak": 1},
]
ADULT_THRESHOLD = [
    ["deceptive_recruitment", "coercive_recruitment", "recruitment_abuse_of_vulnerability"],
    ["exploitative_conditions"],
    ["coercion_at_destination", "destination_abuse_of_vulnerability"],
]
CHILD_THRESHOLD = ADULT_THRESHOLD[:2]
GRADES = {"s": "strong", "m": "medium", "w": "weak"}


def texts(english: str) -> dict[str, str]:
    return {"kk": f"{english} (kk)", "ru": f"{english} (ru)", "en": english}


def make_checklist_data(
    grades: dict[str, str],
    *,
    checklist_id: str = "test-adult-labour",
    population: str = "adult",
    form: str = "labour",
    prefix: str = "AL",
    version: int = 1,
) -> dict[str, Any]:
    """A fixture checklist; ``grades`` gives each dimension's indicators as e.g. ``"ssmmw"``.

    Codes are ``{prefix}-{DR|CR|RV|EC|CD|DV}-{nn}``, numbered from 01 within each dimension.
    Dimensions missing from ``grades`` get no indicators.
    """
    indicators = []
    for dimension, abbreviation in DIMENSION_ABBREVIATIONS.items():
        for number, grade in enumerate(grades.get(dimension, ""), 1):
            code = f"{prefix}-{abbreviation}-{number:02d}"
            indicators.append(
                {
                    "code": code,
                    "dimension": dimension,
                    "strength": GRADES[grade],
                    "label": texts(f"indicator {code}"),
                    "prompt": texts(f"question about {code}?"),
                    "source": "test fixture",
                }
            )
    return {
        "id": checklist_id,
        "version": version,
        "population": population,
        "form": form,
        "title": texts(f"test checklist {checklist_id}"),
        "source": "test fixture",
        "rule": {
            "dimension_positive": [dict(clause) for clause in DESIGN_RULE_CLAUSES],
            "threshold": [
                list(g) for g in (ADULT_THRESHOLD if population == "adult" else CHILD_THRESHOLD)
            ],
        },
        "dimensions": [
            {"key": key, "label": texts(key.replace("_", " "))} for key in DIMENSION_ABBREVIATIONS
        ],
        "indicators": indicators,
    }


#: Every dimension with three strong, three medium and two weak indicators.
SMALL_GRADES = dict.fromkeys(DIMENSION_ABBREVIATIONS, "sssmmmww")

#: The shape of the ILO adult-labour list: 67 indicators, 10/10/16/9/15/7 per dimension.
LARGE_GRADES = {
    "deceptive_recruitment": "ssmmmmwwww",
    "coercive_recruitment": "sssssmmmmw",
    "recruitment_abuse_of_vulnerability": "mmmmmmmmmmmmwwww",
    "exploitative_conditions": "ssmmmmmmw",
    "coercion_at_destination": "sssssssmmmmmmmw",
    "destination_abuse_of_vulnerability": "mmmmmmw",
}
